"""A free-form Word draft read as a brief's parts: which paragraphs are the title, the
BLUF, the key judgments and so on, told by Word styles and common section names.

Paragraphs are numbered as a reader counts them: the draft's non-empty paragraphs
from the top, the title being 1. Inline emphasis and links are kept as Markdown (the
round trip's converter); each footnote mark is kept as a marker (`NOTE`) that the
skeleton turns into evidence or a citation.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace

from briefing.render.docx.wordml import (
    Atom,
    WordReadError,
    parse_part,
    read_docx,
    w,
)
from briefing.roundtrip.markdown import escape_text, to_markdown

from .extracted import IngestError, clean

NOTE = re.compile("\ue000([^\ue001]*)\ue001")  # a footnote mark in a paragraph's Markdown

#: The sections a draft may have, each with the names it goes by (lower case, without
#: numbering or a closing colon).
SECTIONS: dict[str, tuple[str, ...]] = {
    "bluf": ("bottom line", "bottom line up front", "bluf", "summary", "executive summary",
             "key takeaway", "key takeaways", "the bottom line"),
    "judgments": ("key judgments", "key judgements", "key findings", "judgments",
                  "judgements", "findings", "key assessments", "assessments"),
    "discussion": ("discussion", "analysis", "background", "assessment", "detailed analysis"),
    "outlook": ("outlook", "implications", "outlook and implications",
                "implications and outlook", "policy implications", "implications for policy",
                "looking ahead"),
    "indicators": ("indicators", "signposts", "indicators and signposts",
                   "signposts and indicators", "indicators to watch", "what to watch"),
    "alternatives": ("alternative views", "alternative view", "alternative analysis",
                     "alternative analyses", "alternative hypotheses", "alternatives",
                     "competing hypotheses"),
    "references": ("sources", "references", "bibliography", "works cited", "reference list",
                   "source list"),
}
_NAMES = {name: section for section, names in SECTIONS.items() for name in names}
_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[ivxIVX]+|[A-Za-z])[.)]\s+)")
_HEADING_STYLE = re.compile(r"^(?:heading \d|title|subtitle)$")


@dataclass(frozen=True)
class Written:
    """A paragraph's or footnote's text: as inline Markdown and as plain text (both
    with footnote marks as NOTE markers), and its italic stretches."""

    markdown: str
    plain: str
    italic: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Its words, without footnote marks."""
        return clean(NOTE.sub("", self.plain))

    def notes(self) -> list[str]:
        """The ids of the footnotes marked in it, in order."""
        return NOTE.findall(self.plain)


@dataclass(frozen=True)
class DraftParagraph(Written):
    number: int = 0  # among the draft's non-empty paragraphs, from 1
    style: str = "normal"  # the Word style's name, lower case ("heading 1", "title")
    bold: bool = False  # every character of it is bold


@dataclass
class Draft:
    paragraphs: list[DraftParagraph]
    footnotes: dict[str, Written]  # by footnote id
    author: str | None = None  # the file's core property


@dataclass
class Parts:
    """The draft sorted into the brief's parts; `unplaced` holds (paragraph, where it
    stood) for what fits none."""

    title: DraftParagraph | None = None
    subtitle: DraftParagraph | None = None
    authors: list[DraftParagraph] = field(default_factory=list)
    marking: str | None = None
    sections: dict[str, list[DraftParagraph]] = field(default_factory=dict)
    unplaced: list[tuple[DraftParagraph, str]] = field(default_factory=list)


def read_draft(data: bytes, name: str) -> Draft:
    """The paragraphs and footnotes of the DOCX `data`."""
    try:
        document = read_docx(data)
        styles = _style_names(data)
    except WordReadError as exc:
        raise IngestError(f"{name}: {exc}") from None
    notes = {ref: _written(atoms) for ref, atoms in document.footnotes.items()}
    paragraphs = []
    for para in document.paragraphs:
        written = _written(para.atoms)
        if not written.text:
            continue
        texts = [a for a in para.atoms if a.kind == "text" and a.text.strip()]
        paragraphs.append(DraftParagraph(
            written.markdown, written.plain, written.italic, len(paragraphs) + 1,
            styles.get(para.style, para.style).lower() or "normal",
            bool(texts) and all(a.bold for a in texts)))
    return Draft(paragraphs, notes, _author(data))


def _written(atoms: list[Atom]) -> Written:
    atoms = [a for a in atoms if a.kind in ("text", "note", "break")]
    plain = "".join(a.text if a.kind == "text" else " " if a.kind == "break"
                    else f"\ue000{a.ref}\ue001" for a in atoms)
    italic = tuple(a.text for a in atoms if a.kind == "text" and a.italic and a.text.strip())
    return Written(to_markdown(atoms, _cite, set()).strip(), plain.strip(), italic)


def _cite(atom: Atom | None, target: str, shown: str) -> str:
    """A footnote mark as a NOTE marker; an internal link as its text."""
    if atom is not None and atom.kind == "note":
        return f"\ue000{atom.ref}\ue001"
    return escape_text(shown, set())


def _style_names(data: bytes) -> dict[str, str]:
    """Each paragraph style's id → its name ("Heading1" → "heading 1")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "word/styles.xml" not in package.namelist():
                return {}
            root = parse_part(package.read("word/styles.xml"))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise WordReadError(f"cannot read its styles ({exc})") from None
    names = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        if name is not None:
            names[style.get(w("styleId"), "")] = name.get(w("val"), "")
    return names


def _author(data: bytes) -> str | None:
    """The author the file's core properties give."""
    import docx

    try:
        properties = docx.Document(io.BytesIO(data)).core_properties
    except (ValueError, KeyError, zipfile.BadZipFile):
        return None
    return (properties.author or "").strip() or None


def section_of(text: str) -> str | None:
    """The section a heading's text names ('Key Judgments:' → 'judgments'), or None."""
    name = _NUMBERING.sub("", text).strip().rstrip(":.").strip().lower()
    name = re.sub(r"\s+", " ", name.replace("&", "and"))
    return _NAMES.get(name)


_LABEL = re.compile(r"^\s*(?:\*\*)?([A-Za-z][A-Za-z /&]{2,40}?)(?:\*\*)?\s*[:—–]\s*(?:\*\*)?\s*")
_MARKING = re.compile(r"^\s*(TLP:(?:CLEAR|GREEN|AMBER\+STRICT|AMBER|RED|WHITE))\s*$", re.I)


def sort_draft(draft: Draft) -> Parts:
    """The draft's paragraphs in the brief's parts, by style and section name."""
    parts = Parts()
    current: str | None = None  # the section being read; None before the first
    label = ""
    for para in draft.paragraphs:
        text = para.text
        heading = _HEADING_STYLE.match(para.style) or (para.bold and len(text.split()) <= 8)
        named = section_of(text) if (heading or len(text.split()) <= 6) else None
        if named:
            current, label = named, text
            continue
        inline = _LABEL.match(para.markdown)
        plain_label = _LABEL.match(para.plain)
        if inline and plain_label and section_of(inline.group(1)):
            current, label = section_of(inline.group(1)), inline.group(1)
            para = replace(para, markdown=para.markdown[inline.end():].strip(),
                           plain=para.plain[plain_label.end():].strip())
        if para.style == "title" and parts.title is None:
            parts.title = para
        elif para.style == "subtitle" and parts.subtitle is None:
            parts.subtitle = para
        elif para.style == "author" and current is None:
            parts.authors.append(para)
        elif _MARKING.match(text) and parts.marking is None:
            parts.marking = _MARKING.match(text).group(1).upper()
        elif current is None and parts.title is None and heading:
            parts.title = para
        elif heading and _HEADING_STYLE.match(para.style):
            current, label = "unplaced", text  # a section the brief has no place for
            parts.unplaced.append((para, f"heading of a section named '{text}'"))
        elif current in SECTIONS and current != "discussion":
            parts.sections.setdefault(current, []).append(para)
        else:
            where = f"under '{label}'" if label else "before the first section"
            parts.unplaced.append((para, where))
    return parts

