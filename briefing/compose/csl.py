"""Sources of the content model as CSL-JSON items, without loss.

What a source does not give stays out of its item (an unknown date, a missing
author): the style prints its own "no date" term, its own substitute, where it
wants one. Two conventions of the mapping:

- an untitled work known by its description ("[News report on …]") is described
  in CSL's `genre` for APA's styles, whose CSL prints an untitled work's
  description in brackets from it (APA 7, 9.21), and titled by its description,
  brackets and all, for every other style, which has no such field;
- a web page whose only author is an organisation of the site's own name does not
  name the site again (APA 7, 9.7: "when the author and site name are the same,
  omit the site name").
"""

from __future__ import annotations

import re

from briefing.model import Name, Source, partial_date_parts
from briefing.model.vocab import SOURCE_TYPES


def csl_name(name: Name) -> dict:
    if name.literal:
        return {"literal": name.literal}
    return {k: v for k, v in (("family", name.family), ("given", name.given)) if v}


def csl_item(source: Source, descriptions_as_genre: bool = False) -> dict:
    """The CSL-JSON item of a source; `descriptions_as_genre` for a style that prints
    an untitled work's description from `genre` (APA's)."""
    item: dict = {"id": source.id, "type": SOURCE_TYPES[source.type]}
    if source.authors:
        item["author"] = [csl_name(n) for n in source.authors]
    if source.editors:
        item["editor"] = [csl_name(n) for n in source.editors]
    title = source.sentence_case_title or source.title
    genre = source.genre or ("Opinion" if source.type == "opinion-piece" else None)
    if title:
        item["title"] = title
    elif source.description and descriptions_as_genre:
        genre = re.sub(r"^\[(.*)\]$", r"\1", source.description.strip())
    elif source.description:
        item["title"] = source.description
    site_is_author = (item["type"] == "webpage" and len(source.authors) == 1
                      and source.authors[0].literal == source.container)
    optional = {
        "container-title": None if site_is_author else source.container,
        "publisher": source.publisher,
        "genre": genre,
        "URL": source.url,
        "DOI": source.doi,
        "language": source.language,
    }
    item.update({k: v for k, v in optional.items() if v})
    parts = partial_date_parts(source.date)
    if parts:
        item["issued"] = {"date-parts": [list(parts)]}
    if source.accessed:
        a = source.accessed
        item["accessed"] = {"date-parts": [[a.year, a.month, a.day]]}
    return item


def describes_in_genre(style_text: str) -> bool:
    """Whether a style is one of APA's, whose CSL takes an untitled work's description
    from `genre` (judged by its title, as the style names itself)."""
    title = re.search(r"<title>(.*?)</title>", style_text, re.DOTALL)
    name = title.group(1) if title else ""
    return name.startswith("APA") or "American Psychological Association" in name
