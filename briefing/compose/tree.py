"""The document tree: format-neutral, frozen nodes that both renderers walk.

Inline nodes make up the runs of a paragraph; block nodes make up the body.
Nothing here knows PDF or DOCX; styles are names that layout.yaml defines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ---- the node registry -------------------------------------------------------
# Every node kind is declared once, with the decorator below: its handler name
# (the method each renderer implements for it, docutils' visitor idea) and
# whether it is inline or block. BLOCK_TYPES, INLINE_TYPES and HANDLERS are read
# from here, so adding a node kind is one class here plus one method per renderer
# (tests/test_registry.py fails until every renderer has it). A revision kind
# (`revision=True`) appears only in a redline, two editions merged
# (compose/redtree.py); only a renderer that draws revisions must handle it.

NODES: dict[type, tuple[str, str]] = {}  # kind → (handler name, "inline" | "block")
REVISION_KINDS: set[type] = set()


def node(handler: str, role: str, *, revision: bool = False):
    """Declare a frozen dataclass as a node kind, handled by method `handler`."""
    assert role in ("inline", "block"), role

    def declare(cls: type) -> type:
        assert handler not in {name for name, _ in NODES.values()}, handler
        cls = dataclass(frozen=True)(cls)
        NODES[cls] = (handler, role)
        if revision:
            REVISION_KINDS.add(cls)
        return cls

    return declare

# ---- inline -----------------------------------------------------------------


@node("text", "inline")
class Text:
    text: str


@node("emph", "inline")
class Emph:
    children: tuple[Inline, ...]


@node("strong", "inline")
class Strong:
    children: tuple[Inline, ...]


@node("code", "inline")
class Code:
    text: str


@node("link", "inline")
class Link:
    """A hyperlink: `url` is external (https://…) or internal (#anchor)."""

    url: str
    children: tuple[Inline, ...]


@node("citation", "inline")
class Citation:
    """A formatted in-text citation linking to its first reference entry."""

    children: tuple[Inline, ...]
    keys: tuple[str, ...]
    target: str


@node("footnote", "inline")
class Footnote:
    """A footnote; its mark is numbered by the renderer in reading order."""

    children: tuple[Inline, ...]


@node("line_break", "inline")
class LineBreak:
    pass


@node("content_field", "inline")
class Field:
    """Content from one prose field of the brief (its key in `fields.py`); invisible in
    print, a hidden bookmark in the DOCX so that `briefing import` can find it again."""

    key: str
    children: tuple[Inline, ...]


Inline = Text | Emph | Strong | Code | Link | Citation | Footnote | LineBreak | Field

# ---- block ------------------------------------------------------------------


@node("heading", "block")
class Heading:
    level: int
    children: tuple[Inline, ...]
    anchor: str = ""
    style: str = ""

    @property
    def style_name(self) -> str:
        return self.style or f"Heading {self.level}"


@node("paragraph", "block")
class Paragraph:
    """A paragraph in a named style; `lang` is set when it is not the brief's language."""

    children: tuple[Inline, ...]
    style: str = "Body"
    anchor: str = ""
    lang: str = ""


@node("list", "block")
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of inline runs."""

    items: tuple[tuple[Inline, ...], ...]
    ordered: bool = False
    style: str = "List"


@dataclass(frozen=True)
class Cell:
    children: tuple[Inline, ...]
    style: str = "Table Text"


@node("table", "block")
class Table:
    """Rows of cells; the first `header_rows` rows repeat on each page."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()
    header_rows: int = 1
    style: str = "Brief Table"
    caption: str = ""


@node("box", "block")
class Box:
    """A framed, shaded block (e.g. the BLUF) holding other blocks."""

    children: tuple[Block, ...]
    style: str = "Box"
    title: str = ""


@node("key_judgment", "block")
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


@node("page_break", "block")
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
    identifier: str = ""  # the brief's id: its outputs are <id>.pdf, <id>.docx …

    def pattern_values(self) -> dict[str, str]:
        """What a footer's {title}, {edition} and {date} stand for (the header comes
        filled in)."""
        return {"title": self.title, "edition": str(self.edition), "date": self.date}


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


# ---- revisions: only in a redline ------------------------------------------------


@node("inserted", "inline", revision=True)
class Inserted:
    """Inline content added since the old edition."""

    children: tuple


@node("deleted", "inline", revision=True)
class Deleted:
    """Inline content of the old edition that the new one dropped."""

    children: tuple


@node("block_revision", "block", revision=True)
class BlockRevision:
    """A whole block inserted ('ins') or deleted ('del')."""

    kind: str
    block: Block


@dataclass(frozen=True)
class Meta:
    """A line the renderer writes from a node's fields (a judgment's likelihood and
    confidence), as it reads in the old and the new edition."""

    old: str
    new: str


@node("revised_judgment", "block", revision=True)
class RevisedJudgment:
    """A key judgment whose likelihood or confidence line changed."""

    judgment: KeyJudgment
    meta: Meta


def _kinds(role: str, revision: bool) -> tuple[type, ...]:
    return tuple(kind for kind, (_, r) in NODES.items()
                 if r == role and (kind in REVISION_KINDS) == revision)


BLOCK_TYPES = _kinds("block", revision=False)
INLINE_TYPES = _kinds("inline", revision=False)
REVISION_BLOCK_TYPES = _kinds("block", revision=True)
REVISION_INLINE_TYPES = _kinds("inline", revision=True)
HANDLERS: dict[type, str] = {kind: handler for kind, (handler, _) in NODES.items()}


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
