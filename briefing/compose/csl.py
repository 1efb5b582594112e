"""Sources of the content model as CSL-JSON items, without loss."""

from __future__ import annotations

from briefing.model import Name, Source, partial_date_parts
from briefing.model.vocab import SOURCE_TYPES


def csl_name(name: Name) -> dict:
    if name.literal:
        return {"literal": name.literal}
    return {k: v for k, v in (("family", name.family), ("given", name.given)) if v}


def csl_item(source: Source) -> dict:
    """The CSL-JSON item of a source; unknown dates are left out (styles print n.d.)."""
    item: dict = {"id": source.id, "type": SOURCE_TYPES[source.type]}
    if source.authors:
        item["author"] = [csl_name(n) for n in source.authors]
    if source.editors:
        item["editor"] = [csl_name(n) for n in source.editors]
    item["title"] = source.sentence_case_title or source.title or source.description
    optional = {
        "container-title": source.container,
        "publisher": source.publisher,
        "genre": source.genre or ("Opinion" if source.type == "opinion-piece" else None),
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
