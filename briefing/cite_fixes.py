"""Corrections for citeproc-py's artefacts, kept in one place.

citeproc-py implements CSL well enough to trust its structure, but it leaves
marks a careful reader notices. Each function below mends one of them and
says which; tests/test_citations.py has a test for each. Fixes work on the
HTML that citeproc-py's html formatter produces, before it becomes inlines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

_CLOSE_TAGS = r"((?:</[a-z]+>)*)"
PERIODICAL_TYPES = {"article-newspaper", "article-magazine", "article-journal"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# APA 7 title case leaves these lower case unless first (words of three letters or fewer).
MINOR_WORDS = {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at",
               "by", "in", "of", "off", "on", "per", "to", "up", "via"}


@dataclass(frozen=True)
class StyleInfo:
    """What the fixes need to know about a CSL style."""

    title: str
    is_apa: bool
    title_case: bool
    numeric: bool
    note: bool  # citations go in footnotes
    uses_position: bool  # ibid, subsequent forms: a citation's text depends on its place

    @classmethod
    def read(cls, path: Path) -> StyleInfo:
        text = path.read_text("utf-8", errors="replace")
        title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
        name = html.unescape(title.group(1)) if title else path.stem
        note = re.search(r'<style\b[^>]*\bclass="note"', text) is not None
        return cls(
            title=name,
            is_apa=name.startswith("APA") or "American Psychological Association" in name,
            title_case='text-case="title"' in text,
            numeric='variable="citation-number"' in text,
            note=note,
            uses_position=note or "position=" in text,
        )


# -- before citeproc ------------------------------------------------------------


def prepare_item(item: dict) -> dict:
    """Adjust a CSL-JSON item so styles place everything where they should."""
    item = dict(item)
    authors = item.get("author", [])
    # A site named like its only (organisational) author is not repeated (APA 7 §9.?:
    # "when the author and site name are the same, omit the site name").
    if (len(authors) == 1 and authors[0].get("literal")
            and authors[0]["literal"] == item.get("container-title")
            and item["type"] == "webpage"):
        del item["container-title"]
    # With no author the title moves to the author position; a genre such as
    # "Opinion" must travel with it instead of trailing a repeated title.
    if not authors and item.get("genre"):
        item["title"] = f"{item['title']} [{item.pop('genre')}]"
    return item


# -- after citeproc: reference entries -------------------------------------------


def fix_entry(text: str, item: dict, source_title: str, style: StyleInfo) -> str:
    """Mend one formatted reference entry (HTML from citeproc-py)."""
    if not item.get("author"):
        text = drop_repeated_title(text, item["title"])
    text = restore_descriptions(text, item["title"])
    if style.is_apa and not item.get("author") and item["type"] in PERIODICAL_TYPES:
        text = unitalicise_leading_title(text)
    if style.is_apa and item["type"] == "report":
        text = restore_report_date(text, item)
    if "edition" not in item:
        text = drop_stray_edition(text)
    text = hyphenated_initials(text)
    if style.is_apa:
        text = re.sub(r"\b(ed|eds)\.\)", lambda m: m.group(1).capitalize() + ".)", text)
    text = capitalise_after_quote(text, item["title"])
    text = nest_quotes(text)
    text = punctuation_inside_quotes(text)
    return tidy_punctuation(text)


def drop_repeated_title(text: str, title: str) -> str:
    """Artefact: with no author and no container, APA and Chicago print the title twice."""
    pattern = re.compile(r"(?:<i>)?" + re.escape(html.escape(title, quote=False)) +
                         r"(?:</i>)?", re.IGNORECASE)
    matches = list(pattern.finditer(text))
    if len(matches) < 2:
        return text
    second = matches[1]
    return text[:second.start()] + text[second.end():]


def restore_descriptions(text: str, title: str) -> str:
    """Artefact: a bracketed description of an untitled work is italicised and
    title-cased as if it were a title; APA prints it plain, as written."""
    match = re.search(r"\[[^\]]*\]", title)
    if not match:
        return text
    description = html.escape(match.group(0), quote=False)
    text = re.sub(re.escape(description), lambda _: description, text, flags=re.IGNORECASE)
    return re.sub(r"<i>(\[[^\]<]*\])</i>", r"\1", text)


def unitalicise_leading_title(text: str) -> str:
    """APA 7: an article's title in the author position is not italic."""
    return re.sub(r"^<i>(.*?)</i>", r"\1", text, count=1)


def restore_report_date(text: str, item: dict) -> str:
    """Artefact: under APA, citeproc-py prints only the year of a dated report."""
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if len(parts) < 2:
        return text
    year = parts[0]
    full = f"{year}, {MONTHS[parts[1] - 1]}" + (f" {parts[2]}" if len(parts) > 2 else "")
    return text.replace(f"({year}).", f"({full}).", 1)


def hyphenated_initials(text: str) -> str:
    """Artefact: citeproc-py initialises "Ji-woo" as "J.-. woo." instead of "J.-W."."""
    return re.sub(r"\b(\w)\.-\.?\s?(\w)\w*\s?\.",
                  lambda m: f"{m.group(1)}.-{m.group(2).upper()}.", text)


def drop_stray_edition(text: str) -> str:
    """Artefact: Chicago prints the bare term "Edition" for items that have none."""
    return re.sub(r"([.,][”’]?)\s*edition(?=[.,;]|$)", r"\1", text, flags=re.IGNORECASE)


def capitalise_after_quote(text: str, title: str) -> str:
    """Artefact: title-casing skips a word that follows an opening quotation mark
    (and, on its way, capitalises one in a sentence-case title)."""
    escaped = html.escape(title, quote=False)
    match = re.search(re.escape(escaped), text, re.IGNORECASE)
    if not match:
        return text
    region = match.group(0)
    if region == escaped:  # printed as stored (sentence case): nothing to mend
        return text
    fixed = re.sub(r"([“‘\"])(\w)", lambda m: m.group(1) + m.group(2).upper(), region)
    return text[:match.start()] + fixed + text[match.end():]


def nest_quotes(text: str) -> str:
    """Quotation marks inside a quoted title become single (“… ‘…’ …”)."""
    out, depth = [], 0
    for char in text:
        if char == "“":
            out.append("‘" if depth else "“")
            depth += 1
        elif char == "”" and depth:
            depth -= 1
            out.append("’" if depth else "”")
        else:
            out.append(char)
    return "".join(out)


def punctuation_inside_quotes(text: str) -> str:
    """American usage: a period or comma after a closing double quote goes inside it."""
    text = re.sub(r"([?!])”([.,])", r"\1”", text)
    return re.sub(r"”([.,])", r"\1”", text)


def tidy_punctuation(text: str) -> str:
    """Artefacts: "?." and "!.", doubled periods, commas and stray spaces."""
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",\s*\.", ".", text)
    text = re.sub(r"\s+([.,;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"([?!])" + _CLOSE_TAGS + r"\.", r"\1\2", text)
    text = re.sub(r"\." + _CLOSE_TAGS + r"(?:\s*\.)+", r".\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


# -- after citeproc: in-text citations -------------------------------------------


def fix_citation(text: str, items: list[dict], originals: dict[str, str],
                 style: StyleInfo) -> str:
    """Mend one formatted in-text citation (HTML from citeproc-py)."""
    for item in items:
        text = restore_descriptions(text, item["title"])
        if not style.numeric and not item.get("author") and item["type"] in PERIODICAL_TYPES:
            text = quote_article_title(text, item, originals.get(item["id"], item["title"]))
        if "edition" not in item:
            text = drop_stray_edition(text)
        text = capitalise_after_quote(text, item["title"])
    text = nest_quotes(text)
    text = punctuation_inside_quotes(text)
    return tidy_punctuation(text)


def quote_article_title(text: str, item: dict, original: str) -> str:
    """APA 7 (and Chicago): a no-author article is cited by its title in title case,
    in quotation marks; citeproc-py italicises it, with any genre attached."""
    quoted = f"“{apa_title_case(original)},”"
    for match in re.finditer(r"<i>([^<]*)</i>,?", text):
        inner = html.unescape(match.group(1)).casefold()
        if inner.startswith(original.casefold()[:20]):
            return text[:match.start()] + html.escape(quoted, quote=False) + \
                text[match.end():]
    return text


def apa_title_case(title: str) -> str:
    """APA 7 title case: capitalise every word except minor words of three letters or fewer."""
    words = title.split(" ")
    out = []
    for index, word in enumerate(words):
        bare = word.strip("“‘\"'([").lower()
        after_colon = index > 0 and words[index - 1].endswith(":")
        if index and not after_colon and bare in MINOR_WORDS:
            out.append(word.lower() if word.isalpha() else word)
        else:
            out.append(re.sub(r"^([“‘\"'(\[]*)(\w)", lambda m: m.group(1) + m.group(2).upper(),
                              word, count=1))
    return " ".join(out)


def sort_key(plain: str) -> str:
    """APA sorts letter by letter on the first significant word, ignoring brackets."""
    key = re.sub(r"^[\[“‘\"'(]+", "", plain).casefold()
    key = re.sub(r"^(the|a|an) ", "", key)
    return key
