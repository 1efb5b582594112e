"""Peer tools fed the same content as `briefing build`, for bench/run.py.

A brief is composed with its layout into briefing's document tree, and the
tree is written out twice:

* as pandoc Markdown (`to_markdown`): headings, paragraphs, the key judgments as
  a numbered list with their meta line and basis, tables as pipe tables, lists,
  footnotes as `[^n]` notes, links (citations become links to their reference
  entry), emphasis; block quotes for quotes, a fenced div for a box;
* as a docxtpl context (`to_context`): the same blocks as JSON, inline runs
  with their bold/italic/superscript/link flags, footnotes as numbered notes at
  the end (docxtpl cannot make real footnotes).

`peer_steps` gives the commands a user would run on those files, each a fresh
process: pandoc → DOCX; pandoc → standalone HTML, then WeasyPrint → PDF; and
docxtpl rendering the template made by `make_template` (bench/docxtpl_render.py).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.build.pipeline import resolve_layout
from briefing.build.validate import validate
from briefing.compose import tree as t
from briefing.compose.composer import compose

BENCH = Path(__file__).resolve().parent
DOCXTPL_SCRIPT = BENCH / "docxtpl_render.py"
# pandoc Markdown without the `smart` extension: straight quotes and "--" stay as typed
PANDOC_FROM = "markdown-smart"

# ---- the document tree of a brief ------------------------------------------------------


def document_of(path: Path, layout: str | None = None) -> t.Document:
    """Validate and compose the brief at `path` (in `layout`, else its own)."""
    validation = validate(path)
    if not validation.ok or validation.loaded is None:
        raise ValueError(f"{path} is invalid: {validation.findings}")
    return compose(validation.loaded, resolve_layout(validation.loaded, layout))


# ---- Markdown ---------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>{}#$^~@|])")
_LEADING_MARKER = re.compile(r"^(\d+)([.)])(\s)|^([-+:])(\s)")


def _escape(text: str) -> str:
    """Text with every character pandoc Markdown could read as markup backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def _unlist(text: str) -> str:
    """Escape a paragraph's leading '1.', '-', '+' or ':' so it stays a paragraph."""
    return _LEADING_MARKER.sub(
        lambda m: (f"{m[1]}\\{m[2]}{m[3]}" if m[1] else f"\\{m[4]}{m[5]}"), text, count=1)


def _indent(text: str, prefix: str = "    ") -> str:
    """Every line after the first indented by `prefix` (a list item's continuation)."""
    return text.replace("\n", "\n" + prefix)


class MarkdownWriter:
    """Writes one document tree as pandoc Markdown; footnotes are collected as it goes."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def inlines(self, children: tuple[t.Inline, ...]) -> str:
        """A run of inlines as Markdown."""
        return "".join(self.inline(node) for node in children)

    def inline(self, node: t.Inline) -> str:
        """One inline node as Markdown."""
        if isinstance(node, t.Text):
            return _escape(node.text)
        if isinstance(node, t.Code):
            return f"`` {node.text} ``" if "`" in node.text else f"`{node.text}`"
        if isinstance(node, t.Emph):
            return f"*{self.inlines(node.children)}*"
        if isinstance(node, t.Strong):
            return f"**{self.inlines(node.children)}**"
        if isinstance(node, t.Link):
            return f"[{self.inlines(node.children)}](<{node.url}>)"
        if isinstance(node, t.Citation):
            text = self.inlines(node.children)
            return f"[{text}](#{node.target})" if node.target else text
        if isinstance(node, t.Footnote):
            self.notes.append(self.inlines(node.children))
            return f"[^{len(self.notes)}]"
        if isinstance(node, t.LineBreak):
            return "\\\n"
        raise TypeError(f"no Markdown for {type(node).__name__}")

    def block(self, node: t.Block) -> str:
        """One block node as Markdown (no trailing blank line)."""
        if isinstance(node, t.Heading):
            anchor = f" {{#{node.anchor}}}" if node.anchor else ""
            return f"{'#' * node.level} {self.inlines(node.children)}{anchor}"
        if isinstance(node, t.Paragraph):
            anchor = f"[]{{#{node.anchor}}}" if node.anchor else ""
            text = anchor + _unlist(self.inlines(node.children))
            return f"> {text}" if node.style == "Quote" else text
        if isinstance(node, t.KeyJudgment):
            return self.judgment(node)
        if isinstance(node, t.ListBlock):
            return "\n".join(
                f"{f'{n}.' if node.ordered else '-':<3} {_indent(self.inlines(item))}"
                for n, item in enumerate(node.items, 1))
        if isinstance(node, t.Table):
            return self.table(node)
        if isinstance(node, t.Box):
            title = [f"**{_escape(node.title)}**"] if node.title else []
            inner = [*title, *(self.block(child) for child in node.children)]
            return "::: {.box}\n" + "\n\n".join(inner) + "\n:::"
        if isinstance(node, t.PageBreak):
            return ""
        raise TypeError(f"no Markdown for {type(node).__name__}")

    def judgment(self, node: t.KeyJudgment) -> str:
        """A key judgment as an item of a numbered list: text, meta line, basis."""
        anchor = f"[]{{#{node.anchor}}}" if node.anchor else ""
        parts = [anchor + self.inlines(node.children), f"*{_escape(t.judgment_meta(node))}*"]
        if node.basis:
            parts.append(self.inlines(node.basis))
        return f"{node.number}.  " + "\n\n    ".join(_indent(p) for p in parts)

    def table(self, node: t.Table) -> str:
        """A pipe table; the dashes under the header give the relative column widths."""
        columns = max(len(row) for row in node.rows)
        cells = [[self.inlines(c.children).replace("\n", " ") for c in row]
                 + [""] * (columns - len(row)) for row in node.rows]
        header = cells[0] if node.header_rows else [""] * columns
        body = cells[1:] if node.header_rows else cells
        widths = node.widths if len(node.widths) == columns else (1.0,) * columns
        total = sum(widths)
        rule = ["-" * max(3, round(60 * w / total)) for w in widths]
        return "\n".join("| " + " | ".join(row) + " |" for row in [header, rule, *body])

    def document(self, document: t.Document) -> str:
        """The whole document: a YAML title block, the blocks, then the footnotes."""
        meta = document.meta
        lines = ["---", f"title: {json.dumps(_escape(meta.title), ensure_ascii=False)}"]
        if meta.subtitle:
            lines.append(f"subtitle: {json.dumps(_escape(meta.subtitle), ensure_ascii=False)}")
        lines += [f"lang: {meta.language}", "---", ""]
        previous: t.Block | None = None
        for node in document.blocks:
            if isinstance(node, t.Paragraph) and node.style in ("Title", "Subtitle"):
                continue  # in the title block
            if isinstance(node, t.ListBlock) and isinstance(previous, t.ListBlock
                                                             | t.KeyJudgment):
                lines += ["<!-- end of list -->", ""]
            text = self.block(node)
            if text:
                lines += [text, ""]
            previous = node
        lines += [f"[^{n}]: {_indent(note)}" for n, note in enumerate(self.notes, 1)]
        return "\n".join(lines) + "\n"


def to_markdown(document: t.Document) -> str:
    """The document tree as pandoc Markdown."""
    return MarkdownWriter().document(document)


# ---- docxtpl context --------------------------------------------------------------------

Run = list[Any]  # [text, flags, url]: flags hold "b" bold, "i" italic, "^" superscript


class ContextWriter:
    """Turns one document tree into a JSON-able docxtpl context."""

    def __init__(self) -> None:
        self.notes: list[list[Run]] = []

    def runs(self, children: tuple[t.Inline, ...], flags: str = "",
             url: str | None = None) -> list[Run]:
        """Inlines as flat runs; a footnote becomes a superscript number and a note."""
        out: list[Run] = []
        for node in children:
            if isinstance(node, t.Text | t.Code):
                out.append([node.text, flags, url])
            elif isinstance(node, t.LineBreak):
                out.append(["\n", flags, url])
            elif isinstance(node, t.Emph):
                out += self.runs(node.children, flags + "i", url)
            elif isinstance(node, t.Strong):
                out += self.runs(node.children, flags + "b", url)
            elif isinstance(node, t.Link):
                out += self.runs(node.children, flags, node.url)
            elif isinstance(node, t.Citation):
                out += self.runs(node.children, flags, f"#{node.target}" if node.target
                                 else url)
            elif isinstance(node, t.Footnote):
                self.notes.append([])  # numbered before the notes inside it
                number = len(self.notes)
                self.notes[number - 1] = [[f"{number}. ", "", None],
                                          *self.runs(node.children)]
                out.append([str(number), flags + "^", None])
        return out

    def blocks(self, nodes: tuple[t.Block, ...]) -> list[dict[str, Any]]:
        """Blocks as dicts with a `kind`; consecutive key judgments form one group."""
        out: list[dict[str, Any]] = []
        for node in nodes:
            if isinstance(node, t.KeyJudgment):
                if not out or out[-1]["kind"] != "judgments":
                    out.append({"kind": "judgments", "judgments": []})
                out[-1]["judgments"].append({
                    "runs": [[f"{node.number}. ", "b", None], *self.runs(node.children)],
                    "meta": t.judgment_meta(node), "basis": self.runs(node.basis)})
            elif isinstance(node, t.Box):
                title = [{"kind": "body", "runs": [[node.title, "b", None]]}] if node.title \
                    else []
                out += [*title, *self.blocks(node.children)]
            else:
                out += self.block(node)
        return out

    def block(self, node: t.Block) -> list[dict[str, Any]]:
        """One block other than a key judgment or a box."""
        if isinstance(node, t.Heading):
            return [{"kind": f"h{min(node.level, 2)}", "runs": self.runs(node.children)}]
        if isinstance(node, t.Paragraph):
            kind = "quote" if node.style == "Quote" else "body"
            return [{"kind": kind, "runs": self.runs(node.children)}]
        if isinstance(node, t.ListBlock):
            return [{"kind": "item", "runs": ([[f"{n}. ", "", None]] if node.ordered else [])
                     + self.runs(item)} for n, item in enumerate(node.items, 1)]
        if isinstance(node, t.Table):
            rows = [[self.runs(c.children, "b" if r < node.header_rows else "") for c in row]
                    for r, row in enumerate(node.rows)]
            return [{"kind": "table", "rows": rows}]
        return []  # a page break

    def document(self, document: t.Document) -> dict[str, Any]:
        """The context: title, subtitle, blocks and notes."""
        body = tuple(b for b in document.blocks if not (
            isinstance(b, t.Paragraph) and b.style in ("Title", "Subtitle")))
        blocks = self.blocks(body)
        return {"title": document.meta.title, "subtitle": document.meta.subtitle,
                "blocks": blocks, "notes": self.notes}


def to_context(document: t.Document) -> dict[str, Any]:
    """The document tree as a docxtpl context (JSON-able; runs made RichText later)."""
    return ContextWriter().document(document)


# ---- docxtpl template -------------------------------------------------------------------

# The template, paragraph by paragraph: (style, text). "TABLE" marks the table.
TEMPLATE: list[tuple[str, str]] = [
    ("Title", "{{ title }}"),
    ("Subtitle", "{{ subtitle }}"),
    ("Normal", "{%p for block in blocks %}"),
    ("Normal", '{%p if block.kind == "judgments" %}'),
    ("Normal", "{%p for kj in block.judgments %}"),
    ("List Paragraph", "{{r kj.runs }}"),
    ("Intense Quote", "{{ kj.meta }}"),
    ("List Paragraph", "{{r kj.basis }}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", '{%p elif block.kind == "h1" %}'),
    ("Heading 1", "{{r block.runs }}"),
    ("Normal", '{%p elif block.kind == "h2" %}'),
    ("Heading 2", "{{r block.runs }}"),
    ("Normal", '{%p elif block.kind == "quote" %}'),
    ("Quote", "{{r block.runs }}"),
    ("Normal", '{%p elif block.kind == "item" %}'),
    ("List Bullet", "{{r block.runs }}"),
    ("Normal", '{%p elif block.kind == "table" %}'),
    ("TABLE", ""),
    ("Normal", "{%p else %}"),
    ("Normal", "{{r block.runs }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p endfor %}"),
    ("Normal", "{%p if notes %}"),
    ("Heading 1", "Notes"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p for note in notes %}"),
    ("Normal", "{{r note }}"),
    ("Normal", "{%p endfor %}"),
]


def make_template(target: Path) -> Path:
    """Write the docxtpl template (python-docx's default styles) to `target`."""
    from docx import Document

    doc = Document()
    for style, text in TEMPLATE:
        if style != "TABLE":
            doc.add_paragraph(text, style=style)
            continue
        table = doc.add_table(rows=3, cols=3, style="Table Grid")
        table.cell(0, 0).text = "{%tr for row in block.rows %}"
        for column, text in enumerate(["{%tc for cell in row %}", "{{r cell }}",
                                       "{%tc endfor %}"]):
            table.cell(1, column).text = text
        table.cell(2, 0).text = "{%tr endfor %}"
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


# ---- the peers' files and commands ----------------------------------------------------


@dataclass(frozen=True)
class PeerFiles:
    """The inputs and outputs of the peers for one brief, all in one folder."""

    folder: Path

    @property
    def markdown(self) -> Path:
        return self.folder / "brief.md"

    @property
    def context(self) -> Path:
        return self.folder / "context.json"

    @property
    def html(self) -> Path:
        return self.folder / "brief.html"

    @property
    def pdf(self) -> Path:
        return self.folder / "brief.pdf"

    @property
    def pandoc_docx(self) -> Path:
        return self.folder / "pandoc.docx"

    @property
    def docxtpl_docx(self) -> Path:
        return self.folder / "docxtpl.docx"

    def outputs(self) -> list[Path]:
        """Every file a peer writes."""
        return [self.html, self.pdf, self.pandoc_docx, self.docxtpl_docx]


def write_inputs(document: t.Document, folder: Path) -> PeerFiles:
    """Write the brief's Markdown and docxtpl context into `folder`."""
    files = PeerFiles(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files.markdown.write_text(to_markdown(document), "utf-8")
    files.context.write_text(json.dumps(to_context(document), ensure_ascii=False), "utf-8")
    return files


def pandoc_binary() -> str:
    """The pandoc executable that pypandoc-binary ships (or finds)."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def peer_steps(files: PeerFiles, template: Path) -> dict[str, list[list[str]]]:
    """Each peer's commands, in order: pandoc DOCX, pandoc HTML + WeasyPrint, docxtpl."""
    pandoc = pandoc_binary()
    return {
        "pandoc docx": [[pandoc, str(files.markdown), "-f", PANDOC_FROM, "-o",
                         str(files.pandoc_docx)]],
        "pandoc html+weasyprint": [
            [pandoc, str(files.markdown), "-f", PANDOC_FROM, "-s", "-o", str(files.html)],
            [sys.executable, "-m", "weasyprint", str(files.html), str(files.pdf)]],
        "docxtpl": [[sys.executable, str(DOCXTPL_SCRIPT), str(template), str(files.context),
                     str(files.docxtpl_docx)]],
    }
