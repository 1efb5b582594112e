"""A reference-list entry (or a footnote) as a source entry's facts: authors, year,
title and what follows, read where its form is APA- or Chicago-like; otherwise the
whole text is the title. Nothing is added that the text does not give."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .entry import slug
from .extracted import find_doi, web_address
from .names import name_entry, split_names

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november "
    "december".split(), start=1)}
_APA = re.compile(r"^(?P<authors>[^()]{2,300}?)\s*\((?P<year>\d{4})[a-z]?"
                  r"(?:,\s*(?P<when>[^)]{3,30}))?\)\.?\s+(?P<rest>.+)$")
_APA_UNDATED = re.compile(r"^(?P<authors>[^()]{2,300}?)\s*\(n\.\s?d\.\)\.?\s+(?P<rest>.+)$")
_CHICAGO = re.compile(r"^(?P<authors>[^.]{2,200}?(?:\s[A-Z]\.)*)\.\s+(?P<year>\d{4})[a-z]?\."
                      r"\s+(?P<rest>.+)$")
_INITIALS = re.compile(r"([^,&]+?),\s*((?:[A-Z][a-z]?\.[\s-]*)+)(?:,\s*|\s*$)")
_URL = re.compile(r"https?://\S+")
_QUOTED = re.compile(r"^[\"“](?P<title>.+?)[.,]?[\"”][.,]?\s*(?P<rest>.*)$")
_SENTENCE_END = re.compile(r"(?<=[^A-Z\s][.?!])\s+(?=\S)")
_VOLUME = re.compile(r"\d+\s*\(\d+\)|\bvol\.\s*\d+|,\s*\d+\s*[–-]\s*\d+")


@dataclass
class Reference:
    """What a reference gives; `authors` as the content model's names."""

    text: str
    title: str
    authors: list[dict[str, str]] = field(default_factory=list)
    year: str | None = None
    date: str = "unknown"
    container: str | None = None
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    kind: str = "report"
    parsed: bool = False  # read as APA or Chicago; else the title is the whole text

    @property
    def key_name(self) -> str:
        """The first author's family name or organisation ('' without authors)."""
        first = self.authors[0] if self.authors else {}
        return first.get("family") or first.get("literal") or ""

    def id_base(self) -> str:
        """A source id: first author and year ('doe-2024'), else words of the title."""
        name = slug(" ".join(self.key_name.split()[:3]), 30)
        if name:
            return f"{name}-{self.year}" if self.year else name
        return slug(self.title, 30) or "source"


def parse_reference(text: str, italic: tuple[str, ...] = ()) -> Reference:
    """`text` (a reference as plain text) read as APA or Chicago author-date; `italic`
    are its italic stretches, which tell a title from a periodical."""
    text = " ".join(text.split())
    url = web_address(_URL.search(text).group(0).rstrip(".,;)") if _URL.search(text) else None)
    doi = find_doi(text)
    match = _APA.match(text) or _APA_UNDATED.match(text) or _CHICAGO.match(text)
    if not match:
        return Reference(text, text, url=url if not doi else None, doi=doi,
                         kind="web-page" if url and not doi else "report")
    groups = match.groupdict()
    year = groups.get("year")
    reference = Reference(text, "", _authors(groups["authors"]), year,
                          _date(year, groups.get("when")), url=None if doi else url,
                          doi=doi, parsed=True)
    rest = _URL.sub("", groups["rest"]).strip()
    rest = re.sub(r"\bdoi:\s*\S+", "", rest).strip()
    quoted = _QUOTED.match(rest)
    if quoted:
        title, after = quoted.group("title"), quoted.group("rest")
    else:
        pieces = _SENTENCE_END.split(rest, maxsplit=1)
        title, after = pieces[0], (pieces[1] if len(pieces) > 1 else "")
    reference.title = title.strip().rstrip(".")
    after = after.strip().strip(".").strip()
    title_italic = any(reference.title in span or span in reference.title
                       for span in italic if len(span) > 3)
    container = next((s.strip(" .,") for s in italic if s.strip(" .,") and
                      s.strip(" .,") not in reference.title and s in after), None)
    if container:
        reference.container = container
    elif after and not title_italic and not _VOLUME.search(after):
        reference.container = after.split(",")[0].strip(" .") or None
    if title_italic and after:
        reference.publisher = after.split(".")[0].strip(" .,") or None
    reference.kind = _kind(reference, after, groups.get("when"), title_italic)
    return reference


def _authors(text: str) -> list[dict[str, str]]:
    text = text.strip()
    initials = _INITIALS.findall(text.replace("&", ","))
    if initials and all(len(f.split()) <= 3 for f, _ in initials):
        return [{"family": f.strip(), "given": g.strip()} for f, g in initials]
    names = split_names(text.rstrip("."))
    if len(names) > 1 and "," in names[0] and all("," not in n for n in names[1:]):
        names = [names[0]] + names[1:]  # Chicago: "Doe, Jane, and Richard Roe"
    return [name_entry(n) for n in names]


def _date(year: str | None, when: str | None) -> str:
    if not year:
        return "unknown"
    words = re.findall(r"[A-Za-z]+|\d+", when or "")
    month = next((_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS), None)
    day = next((int(w) for w in words if w.isdigit() and int(w) <= 31), None)
    if month and day:
        return f"{year}-{month:02d}-{day:02d}"
    return f"{year}-{month:02d}" if month else year


def _kind(reference: Reference, after: str, when: str | None, title_italic: bool) -> str:
    """A guess at the source's type from the reference's form (the note says so)."""
    if reference.doi or _VOLUME.search(after):
        return "journal-article"
    if reference.container and when:
        return "news-article"
    if title_italic:
        return "report" if reference.publisher else "book"
    if reference.url:
        return "web-page"
    return "report"


def matches(reference: Reference, note: str) -> bool:
    """Whether a footnote's text (`Doe (2024), p. 4`) cites `reference`: it names its
    first author (or organisation) and its year."""
    name = reference.key_name
    if not name or not reference.year or reference.year not in note:
        return False
    return re.search(r"\b" + re.escape(name) + r"\b", note) is not None
