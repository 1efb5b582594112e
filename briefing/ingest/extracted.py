"""What an extractor gives: the text's paragraphs and what the file states of itself."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from briefing.model import DOI_PATTERN, URL_PATTERN


class IngestError(Exception):
    """A file that cannot be archived; the message says why and what to do."""


@dataclass
class Extracted:
    """A source's text as paragraphs, with only the facts its file gives (None where
    it gives none) and remarks for the editor's note."""

    kind: str  # "PDF", "HTML", "DOCX", "Markdown" or "text"
    paragraphs: list[str]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    site: str | None = None  # the site or periodical it appeared in
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    language: str | None = None
    remarks: list[str] = field(default_factory=list)


_LIGATURES = {ord(c): unicodedata.normalize("NFKC", c) for c in "ﬀﬁﬂﬃﬄﬅﬆ"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_DOI = re.compile(r"\b(10\.\d{4,9}/[-._;()/:A-Za-z0-9]+)")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_URL = re.compile(URL_PATTERN)
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def clean(text: str) -> str:
    """One paragraph on one line: ligatures unfolded, runs of spaces and line breaks
    made one space, control characters dropped."""
    text = text.translate(_LIGATURES).replace("\u00ad", "")
    text = "".join(" " if c in "\r\n\v\f\u2028\u2029" else c for c in text
                   if c in "\r\n\v\f\t" or unicodedata.category(c) != "Cc")
    return _SPACES.sub(" ", text).strip()


def paragraphs_of(texts: list[str]) -> list[str]:
    """The non-empty paragraphs among `texts`, each cleaned."""
    return [p for p in (clean(t) for t in texts) if p]


def find_doi(*texts: str) -> str | None:
    """The first DOI in `texts` that the content model accepts."""
    for text in texts:
        for match in _DOI.finditer(text or ""):
            doi = match.group(1).rstrip(".,;:)")
            if re.match(DOI_PATTERN, doi):
                return doi
    return None


def web_address(text: str | None) -> str | None:
    """`text` if it is a web address the content model accepts, else None."""
    text = (text or "").strip()
    return text if text and _URL.match(text) else None


def date_of(text: str | None) -> str | None:
    """The YYYY[-MM[-DD]] a metadata date starts with, or None."""
    match = _DATE.match((text or "").strip())
    if not match:
        return None
    return "-".join(g for g in match.groups() if g)


def language_tag(text: str | None) -> str | None:
    """A BCP 47 tag from a declared language ("en_GB", "EN-gb" → "en-GB"), or None."""
    text = (text or "").strip().replace("_", "-")
    if not text:
        return None
    head, _, rest = text.partition("-")
    tag = head.lower() + (f"-{rest}" if rest else "")
    return tag if _LANGUAGE.match(tag) and tag not in ("und", "x-none") else None


_ENGLISH = frozenset("the of and to in a is that for on with as by was are it from at "
                     "this be has have which not or an their its were said".split())


def looks_english(paragraphs: list[str]) -> bool:
    """Whether the text reads as English: a sixth of its words or more are among the
    commonest English function words (a text in another language has almost none)."""
    words = re.findall(r"[^\W\d_]+", " ".join(paragraphs[:200]).lower())
    return len(words) >= 20 and sum(w in _ENGLISH for w in words) >= len(words) / 6
