"""The document tree: format-neutral, frozen nodes that both renderers walk.

Inline nodes make up the runs of a paragraph; block nodes make up the body.
Nothing here knows PDF or DOCX; styles are names that layout.yaml defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---- inline -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    """A hyperlink: `url` is external (https://…) or internal (#anchor)."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Citation:
    """A formatted in-text citation linking to its first reference entry."""

    children: tuple[Inline, ...]
    keys: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class Footnote:
    """A footnote; its mark is numbered by the renderer in reading order."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class Field:
    """Content from one prose field of the brief (its key in `fields.py`); invisible in
    print, a hidden bookmark in the DOCX so that `briefing import` can find it again."""

    key: str
    children: tuple[Inline, ...]


Inline = Text | Emph | Strong | Code | Link | Citation | Footnote | LineBreak | Field

# ---- block ------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    children: tuple[Inline, ...]
    anchor: str = ""
    style: str = ""

    @property
    def style_name(self) -> str:
        return self.style or f"Heading {self.level}"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph in a named style; `lang` is set when it is not the brief's language."""

    children: tuple[Inline, ...]
    style: str = "Body"
    anchor: str = ""
    lang: str = ""


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of inline runs."""

    items: tuple[tuple[Inline, ...], ...]
    ordered: bool = False
    style: str = "List"


@dataclass(frozen=True)
class Cell:
    children: tuple[Inline, ...]
    style: str = "Table Text"


@dataclass(frozen=True)
class Table:
    """Rows of cells; the first `header_rows` rows repeat on each page."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()
    header_rows: int = 1
    style: str = "Brief Table"
    caption: str = ""


@dataclass(frozen=True)
class Box:
    """A framed, shaded block (e.g. the BLUF) holding other blocks."""

    children: tuple[Block, ...]
    style: str = "Box"
    title: str = ""


@dataclass(frozen=True)
class KeyJudgment:
    """A numbered key judgment with its likelihood and confidence."""

    number: int
    anchor: str
    children: tuple[Inline, ...]
    confidence: str
    likelihood: str | None = None
    likelihood_range: tuple[int, int] | None = None
    basis: tuple[Inline, ...] = ()
    style: str = "Key Judgment"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Marking:
    """The banner shown at the top and bottom of every page."""

    label: str
    foreground: str = "#000000"
    background: str = "#FFFFFF"


@dataclass(frozen=True)
class Metadata:
    title: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    date: str = ""
    edition: str = ""
    header: str = ""
    script_languages: tuple[tuple[str, str], ...] = ()  # e.g. (("Cyrl", "uk"),)


Block = Heading | Paragraph | ListBlock | Table | Box | KeyJudgment | PageBreak


@dataclass(frozen=True)
class Provenance:
    """Where a document's fields came from, for the DOCX manifest: each field's key,
    YAML file and line, original Markdown, and the digest of the brief's inputs."""

    brief: str = ""
    fields: tuple = ()
    digest: str = ""
    content_digest: str = ""
    comments: tuple[tuple[str, str], ...] = ()  # (field key, text) review comments


@dataclass(frozen=True)
class Document:
    meta: Metadata
    marking: Marking
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    provenance: Provenance | None = None


BLOCK_TYPES = (Heading, Paragraph, ListBlock, Table, Box, KeyJudgment, PageBreak)
INLINE_TYPES = (Text, Emph, Strong, Code, Link, Citation, Footnote, LineBreak, Field)

# The method a renderer implements for each node kind (docutils' visitor idea):
# adding a node kind means adding one method to every renderer.
HANDLERS: dict[type, str] = {
    Heading: "heading", Paragraph: "paragraph", ListBlock: "list", Table: "table",
    Box: "box", KeyJudgment: "key_judgment", PageBreak: "page_break",
    Text: "text", Emph: "emph", Strong: "strong", Code: "code", Link: "link",
    Citation: "citation", Footnote: "footnote", LineBreak: "line_break", Field: "content_field",
}


def plain_text(children: tuple[Inline, ...]) -> str:
    """The text a reader sees in a run of inlines (footnote bodies excluded)."""
    out: list[str] = []
    for node in children:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Emph | Strong | Link | Citation | Field):
            out.append(plain_text(node.children))
    return "".join(out)


def judgment_meta(node: KeyJudgment) -> str:
    """The words under a key judgment: its likelihood band and confidence."""
    confidence = f"{node.confidence.capitalize()} confidence"
    if node.likelihood and node.likelihood_range:
        low, high = node.likelihood_range
        return f"{node.likelihood.capitalize()} ({low}–{high} %) · {confidence}"
    return f"Statement of fact · {confidence}"
