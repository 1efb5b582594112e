"""DOCX renderer (python-docx): the visitor, one method per node kind, mirroring the PDF
renderer, that turns blocks and inlines into a Word document; and the entry points a
build calls (`render_docx`, and `prepare` and `ready_next` ahead of a render).

The renderer is assembled from one part per concern, each in its own module: its
Word styles (styles), lists (numbering), page setup, headers and footers (page),
properties and what Word expects of a file (hygiene) and its fonts (fonts). Raw
XML is built by helpers grouped by what they are for: runs, links (bookmarks and
hyperlinks), fields, notes (footnotes and comments), tables, and the package
zipped (package). Footnotes are real Word footnotes, numbered in the reading order
the PDF numbers its notes in; citations and '#' links jump to bookmarks with
Word-safe names; each content field sits in a hidden bookmark (field_marks) that
the manifest (written only when the build asks for it) records for import. The
same inputs always give the same bytes.

House style: a layout's `reference_docx` is the starting document. Its styles
(matched by name in any case, or by style id), numbering, settings, page setup
and non-empty headers and footers win; layout.yaml only fills what it lacks,
and the marking banner is added wherever the reference's headers lack it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from briefing.compose import tree as t
from briefing.core.terminal import display_path
from briefing.load.layout import LoadedLayout
from briefing.model.scripts import CYRILLIC
from briefing.model.vocab import CYRILLIC_LANGUAGES, LIKELIHOOD_BANDS, with_region
from briefing.render.fonts import load_fonts
from briefing.render.registry import dispatch

from .elements import element, put
from .fields import TOC_INSTRUCTION, field_char, field_code
from .fonts import Fonts
from .hygiene import Hygiene, drop_thumbnail, stamp
from .links import (
    bookmark_end,
    bookmark_name,
    bookmark_paragraph,
    bookmark_start,
    external_link,
    internal_link,
)
from .notes import (
    FieldMark,
    Story,
    add_comments,
    footnote_reference,
    footnote_separators,
    footnotes_part,
    last_footnote_id,
    new_footnote,
    reuse_footnotes,
)
from .numbering import LIST_INDENT, Numbering, number_paragraph
from .package import add_custom_xml, package_files, release_parts, saved_parts, zip_package
from .page import PageFurniture
from .runs import SOFT_HYPHEN, Runs, append_run, set_lang, shade_run, soft_hyphens
from .styles import StyleSheet, apply_style
from .tables import cell_look, repeat_header, table_look

if TYPE_CHECKING:
    from .wordml import WordDocument as WordReading

CONFIDENCE = ("low", "moderate", "high")
RELEASED_ABOVE = 500  # blocks in the body: a longer document's XML is freed at once
SEGMENT, THIN, GAP = "\u2003\u2003", "\u2009", "\u2003"
CYRILLIC_RUN = re.compile(r"([\u0400-\u052F][\u0400-\u052F\-‐'’.]*)")


class ReferenceDocxError(ValueError):
    """The layout's reference.docx cannot be opened as a Word document."""


def clear_body(body: BaseOxmlElement) -> None:
    """Remove a document's content, keeping its final section properties."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


class DocxRenderer(StyleSheet, Numbering, PageFurniture, Hygiene, Fonts):
    """Renders a document tree to DOCX bytes in one layout."""

    def __init__(self, layout: LoadedLayout):
        self.layout = layout
        self.fonts = load_fonts(layout)
        self.reference = bool(layout.layout.reference_docx)
        self._index: tuple[dict, dict] | None = None  # styles by name and id
        self._text_width: float | None = None
        self.doc: WordDocument = self._base_document()
        self.container: WordDocument | _Cell = self.doc
        self.lang = "en-US"
        self.cyrillic = ""  # the language Cyrillic runs are tagged with, if any
        self.east_asia, self.east_asia_lang = self._east_asian_face()
        self.notes: StoryPart | None = reuse_footnotes(self.doc.part)
        self.note_count = last_footnote_id(self.notes) if self.notes is not None else 0
        self.bookmark_count = 0
        self.field_marks: dict[str, str] = {}  # hidden bookmark → field key
        self.first_marks: dict[str, FieldMark] = {}  # field key → where it first stands
        self.anchors: dict[int, str] = {}
        self.word_names: dict[str, str] = {}
        self.lists: dict[tuple, int] = {}
        self.toc_done = False
        self.begun = False
        self._styles: dict[str, BaseStyle] = {}
        self._defining: set[str] = set()
        self._looks: dict[str, tuple[bool, bool]] = {}
        self._by_id: tuple[int, dict] | None = None  # style elements by id (see look)
        self.restyled = True  # the styles changed since `styles_xml` was saved
        self.styles_xml = b""
        self.blocks = dispatch(self, t.BLOCK_TYPES)
        self.inlines = dispatch(self, t.INLINE_TYPES)

    def _base_document(self) -> WordDocument:
        """python-docx's template, or the layout's reference.docx with its body emptied."""
        reference = self.layout.layout.reference_docx
        if not reference:
            return Document()
        path = self.layout.reference_path()  # confined, and checked when the layout loaded
        try:
            doc = Document(str(path))
        except Exception as exc:  # python-docx fails on a damaged file in many ways
            reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else
                      str(exc.args[0]) if exc.args else type(exc).__name__)
            raise ReferenceDocxError(f"reference_docx '{display_path(path)}' is not a Word "
                                     f"document ({reason})") from None
        clear_body(doc.element.body)
        return doc

    # -- inlines ---------------------------------------------------------------

    def runs(self, paragraph: Paragraph, style: str) -> Runs:
        """The inline context for a paragraph in layout style `style`."""
        look = self.look(style)
        return Runs(paragraph, paragraph._p, *look, look)

    def run(self, ctx: Runs, text: str = "") -> Run:
        """A run appended where `ctx` points, with the look the context asks for."""
        element = append_run(
            ctx.target, text, self._styles["Hyperlink"].style_id if ctx.link else None,
            ctx.bold if ctx.bold != ctx.base[0] else None,
            ctx.italic if ctx.italic != ctx.base[1] else None, self.lang, self.east_asia_lang)
        if SOFT_HYPHEN in text:
            soft_hyphens(element)
        return Run(element, ctx.paragraph)

    def children(self, children: tuple[t.Inline, ...], ctx: Runs) -> None:
        for node in children:
            self.inlines[type(node)](node, ctx)

    def text(self, node: t.Text, ctx: Runs) -> None:
        """Text; a stretch in Cyrillic is tagged with its language (see scripts.py)."""
        cyrillic = self.cyrillic_lang()
        if not cyrillic or not CYRILLIC.search(node.text):
            self.run(ctx, node.text)
            return
        for piece in CYRILLIC_RUN.split(node.text):
            if piece:
                run = self.run(ctx, piece)
                if CYRILLIC.match(piece):
                    set_lang(run._r.get_or_add_rPr(), cyrillic, self.east_asia_lang)

    def cyrillic_lang(self) -> str:
        """The tag for Cyrillic text here: the paragraph's language if written in
        Cyrillic, else the one the brief's sources give; '' if it is the runs' own."""
        own = self.lang.split("-")[0]
        tag = self.lang if own in CYRILLIC_LANGUAGES else self.cyrillic
        return "" if tag == self.lang else tag

    def emph(self, node: t.Emph, ctx: Runs) -> None:
        self.children(node.children, replace(ctx, italic=not ctx.italic))

    def strong(self, node: t.Strong, ctx: Runs) -> None:
        """Strong turns bold on, and off in a bold style (a key judgment, a heading):
        the toggle Word's own Bold button makes there, so it stays visible."""
        self.children(node.children, replace(ctx, bold=not ctx.bold))

    def code(self, node: t.Code, ctx: Runs) -> None:
        self.run(ctx, node.text)

    def link(self, node: t.Link, ctx: Runs) -> None:
        if node.url.startswith("#"):
            hyperlink = internal_link(self.word_name(node.url[1:]))
        else:
            hyperlink = external_link(ctx.paragraph.part, node.url)
        ctx.target.append(hyperlink)
        self.children(node.children, replace(ctx, target=hyperlink, link=True))

    def citation(self, node: t.Citation, ctx: Runs) -> None:
        if not node.target:
            self.children(node.children, ctx)
            return
        hyperlink = internal_link(self.word_name(node.target))
        ctx.target.append(hyperlink)
        self.children(node.children, replace(ctx, target=hyperlink, link=True))

    def footnote(self, node: t.Footnote, ctx: Runs) -> None:
        """A real footnote: a reference mark here, the note in word/footnotes.xml."""
        if self.notes is None:
            self.notes = footnotes_part(self.doc.part)
        self.note_count += 1
        mark = self.run(replace(ctx, link=False))
        apply_style(mark._r, self._styles["Footnote Reference"].style_id)
        footnote_reference(mark._r, self.note_count)
        style_id = self.style("Footnote Text").style_id
        mark_id = self._styles["Footnote Reference"].style_id
        element = new_footnote(self.notes, self.note_count, style_id, mark_id)
        note = Paragraph(element, Story(self.notes))
        self.children(node.children, self.runs(note, "Footnote Text"))

    def content_field(self, node: t.Field, ctx: Runs) -> None:
        """A content field, enclosed in a hidden bookmark (`_Brf<n>`) for import."""
        number = self.bookmark_count
        self.bookmark_count += 1
        # Fields are in the tree only when the build writes a manifest, which imports
        # field_marks (and the reader it uses) anyway; no other render needs them.
        from .field_marks import field_bookmark

        name = field_bookmark(len(self.field_marks))
        start = bookmark_start(name, number)
        ctx.target.append(start)
        self.children(node.children, ctx)
        end = bookmark_end(number)
        ctx.target.append(end)
        self.field_marks[name] = node.key
        self.first_marks.setdefault(node.key, (start, end, ctx.paragraph))

    def line_break(self, node: t.LineBreak, ctx: Runs) -> None:
        self.run(ctx).add_break()

    def field(self, ctx: Runs, instruction: str, shown: str) -> None:
        """A complex field (begin, instruction, separate, cached result, end)."""
        field_char(self.run(ctx)._r, "begin")
        field_code(self.run(ctx)._r, instruction)
        field_char(self.run(ctx)._r, "separate")
        self.run(ctx, shown)
        field_char(self.run(ctx)._r, "end")

    # -- blocks ----------------------------------------------------------------

    def para(self, children: tuple[t.Inline, ...], style: str, anchor: str = "",
             prefix: str = "") -> Paragraph:
        """A paragraph in `style` holding `children`, bookmarked at `anchor`."""
        paragraph = self.styled(self.container, self.style(style))
        ctx = self.runs(paragraph, style)
        if prefix:
            self.run(ctx, prefix)
        self.children(children, ctx)
        if anchor:
            self.bookmark(paragraph, anchor)
        return paragraph

    def word_name(self, anchor: str) -> str:
        """The Word-safe bookmark name for `anchor`: the same for its bookmark and every
        link to it, never shared with another anchor (Word ignores case)."""
        if anchor not in self.word_names:
            taken = {name.lower() for name in self.word_names.values()}
            name = bookmark_name(anchor)
            salt = 0
            while name.lower() in taken:
                name = bookmark_name(f"{anchor}#{salt}" if salt else anchor, hashed=True)
                salt += 1
            self.word_names[anchor] = name
        return self.word_names[anchor]

    def bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        bookmark_paragraph(paragraph._p, self.word_name(anchor), self.bookmark_count)
        self.bookmark_count += 1

    def heading(self, node: t.Heading) -> None:
        anchor = self.anchors.get(id(node), node.anchor)
        self.para(node.children, node.style_name, anchor)

    def paragraph(self, node: t.Paragraph) -> None:
        """A paragraph; one in another language tags its runs with that language."""
        document_lang, self.lang = self.lang, with_region(node.lang) if node.lang else self.lang
        try:
            self.para(node.children, node.style, node.anchor)
        finally:
            self.lang = document_lang

    def list(self, node: t.ListBlock) -> None:
        """Items numbered by a numbering definition (a fresh count for each ordered list)."""
        num_id = self.numbering(node.ordered, node.style)
        indent = self.layout.style(node.style).get("indent_left", 0) + LIST_INDENT
        for item in node.items:
            paragraph = self.para(item, node.style)
            number_paragraph(paragraph._p.get_or_add_pPr(), num_id)
            paragraph.paragraph_format.left_indent = Pt(indent)
            paragraph.paragraph_format.first_line_indent = Pt(-LIST_INDENT)

    def styled(self, container, style: BaseStyle) -> Paragraph:
        """A new paragraph in `container` with `style` (set by id: see apply_style)."""
        paragraph = container.add_paragraph()
        apply_style(paragraph._p, style.style_id)
        return paragraph

    def table(self, node: t.Table) -> None:
        """A table in the layout's table style; its rows and cells are walked as XML
        (python-docx's rows and cells work out the grid for each cell they hand out)."""
        columns = max((len(row) for row in node.rows), default=0)
        if not columns:
            return
        table = self.container.add_table(rows=len(node.rows), cols=columns)
        apply_style(table._tbl, self.table_style(node.style).style_id)
        table.autofit = False
        table_look(table._tbl, node.header_rows > 0)
        rows = self._column_widths(table, node.widths, columns)
        for r, (row, word_row) in enumerate(zip(node.rows, rows, strict=True)):
            word_cells = word_row.tc_lst
            for cell, target in zip(row, word_cells, strict=False):
                self.cell(Paragraph(target.p_lst[0], table), cell)
            if r < node.header_rows:
                repeat_header(word_row)
                for target in word_cells:
                    cell_look(target, self.layout.layout.colours.table_header, {})

    def _column_widths(self, table: Table, widths: tuple[float, ...], columns: int) -> list:
        """Set each column's width (its grid column and its cells); the table's w:tr."""
        shares = list(widths[:columns]) + [0.0] * (columns - len(widths))
        if not any(shares):
            shares = [1.0] * columns
        total = sum(shares) or 1.0
        sizes = [Mm(self.text_width() * (share or total / columns) / total) for share in shares]
        for column, width in zip(table.columns, sizes, strict=True):
            column.width = width
        rows = table._tbl.tr_lst
        for row in rows:
            for cell, width in zip(row.tc_lst, sizes, strict=False):
                cell.width = width
        return rows

    def cell(self, paragraph: Paragraph, node: t.Cell) -> None:
        """A cell's content, in the cell's one paragraph."""
        apply_style(paragraph._p, self.style(node.style).style_id)
        self.children(node.children, self.runs(paragraph, node.style))

    def box(self, node: t.Box) -> None:
        """A one-cell table, shaded with a heavy left rule, holding the box's blocks."""
        spec = self.layout.box(node.style)
        background, colour, weight, padding = (spec.background, spec.border,
                                               spec.border_width, spec.padding)
        table = self.container.add_table(rows=1, cols=1)
        table.autofit = False
        cell = table.cell(0, 0)
        cell.width = Mm(self.text_width())
        table.columns[0].width = Mm(self.text_width())
        thin = (colour, weight / 2)
        cell_look(cell._tc, background, {"top": thin, "bottom": thin, "right": thin,
                                        "left": (colour, weight * 3)}, padding)
        placeholder = cell.paragraphs[0]._p
        outer, self.container = self.container, cell
        try:
            for child in node.children:
                self.blocks[type(child)](child)
        finally:
            self.container = outer
        if len(cell._tc.findall(placeholder.tag)) > 1:
            cell._tc.remove(placeholder)

    def key_judgment(self, node: t.KeyJudgment) -> None:
        """Numbered judgment (Word numbering, so it renumbers when an analyst inserts
        one), its likelihood and confidence, then its basis."""
        paragraph = self.para(node.children, node.style, node.anchor)
        number_paragraph(paragraph._p.get_or_add_pPr(), self.judgment_numbering(node.style))
        meta = self.styled(self.container, self.style("Judgment Meta"))
        ctx = self.runs(meta, "Judgment Meta")
        self.scale(ctx, node)
        self.text(t.Text(t.judgment_meta(node)), ctx)
        if node.basis:
            label = t.Strong((t.Text(self.layout.layout.labels.basis),))
            self.para((label, *node.basis), "Basis")

    def scale(self, ctx: Runs, node: t.KeyJudgment) -> None:
        """The PDF's seven likelihood and three confidence bars, as shaded spaces."""
        band = tuple(node.likelihood_range) if node.likelihood_range else None
        lit = [band == (low, high) for _, _, low, high in LIKELIHOOD_BANDS.values()]
        level = CONFIDENCE.index(node.confidence) if node.confidence in CONFIDENCE else -1
        lit += [i <= level for i in range(len(CONFIDENCE))]
        for i, on in enumerate(lit):
            if i == len(LIKELIHOOD_BANDS):
                self._segment(ctx, GAP, None)
            palette = self.layout.layout.colours
            self._segment(ctx, SEGMENT, palette.scale_on if on else palette.scale_off)
            self._segment(ctx, THIN, None)
        self._segment(ctx, GAP + GAP, None)

    def _segment(self, ctx: Runs, text: str, fill: str | None) -> None:
        properties = self.run(ctx, text)._r.rPr
        put(properties, element("w:sz", w_val="10"))  # 5 pt, in half-points
        if fill:
            shade_run(properties, fill)

    def page_break(self, node: t.PageBreak) -> None:
        self.container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- table of contents -----------------------------------------------------

    def collect_headings(self, blocks: tuple[t.Block, ...]) -> list[tuple[int, str, str]]:
        """(level, text, bookmark) of every heading of level 1–3, in reading order."""
        found: list[tuple[int, str, str]] = []
        for block in blocks:
            if isinstance(block, t.Box):
                found.extend(self.collect_headings(block.children))
            elif isinstance(block, t.Heading) and block.level <= 3:
                name = block.anchor or f"_Toc{len(self.anchors) + 1:08d}"
                if not block.anchor:  # Word's own hidden-bookmark form, kept as it is
                    self.word_names[name] = name
                self.anchors[id(block)] = name
                found.append((block.level, t.plain_text(block.children), name))
        return found

    def toc(self, entries: list[tuple[int, str, str]]) -> None:
        """A TOC field whose result already lists the headings, linked to them, so
        Word shows the contents without asking to update fields."""
        self.doc.add_paragraph(self.layout.layout.labels.contents,
                               style=self._styles["TOC Heading"])
        if not entries:
            paragraph = self.styled(self.doc, self._styles["TOC 1"])
            self.field(self.runs(paragraph, "Body"), TOC_INSTRUCTION,
                       "Update this field to show the table of contents.")
            return
        last = None
        for number, (level, text, anchor) in enumerate(entries):
            paragraph = self.styled(self.doc, self._styles[f"TOC {level}"])
            ctx = self.runs(paragraph, "Body")
            if number == 0:
                field_char(self.run(ctx)._r, "begin")
                field_code(self.run(ctx)._r, TOC_INSTRUCTION)
                field_char(self.run(ctx)._r, "separate")
            hyperlink = internal_link(self.word_name(anchor))
            paragraph._p.append(hyperlink)
            self.run(replace(ctx, target=hyperlink), text)
            last = ctx
        field_char(self.run(last)._r, "end")

    # -- document --------------------------------------------------------------

    def begin(self, meta: t.Metadata) -> None:
        """What every render begins with, given only the document's languages: the
        languages its runs are tagged with, its styles, page and Word settings
        (`ready_next` does it ahead)."""
        self.lang = with_region(meta.language or "en")
        cyrillic = dict(meta.script_languages).get("Cyrl", "")
        self.cyrillic = with_region(cyrillic) if cyrillic else ""
        self.define_styles()
        self._style_index()  # the index of styles, ahead
        for name in list(self._styles):  # and their looks
            self.look(name)
        self.page_setup()
        self.word_hygiene()
        self.styles_xml = self.doc.part.part_related_by(RT.STYLES).blob  # saved, unless
        self.restyled = False  # a style is made or changed by the render
        self.begun = True

    def render(self, document: t.Document) -> bytes:
        if not self.begun:
            self.begin(document.meta)
        self.properties(document.meta)
        self.header_footer(document)
        entries = self.collect_headings(document.blocks)
        for block in document.blocks:
            if isinstance(block, t.Heading) and block.level == 1 and not self.toc_done:
                self.toc(entries)
                self.toc_done = True
            self.blocks[type(block)](block)
        settings = self.doc.settings.element
        if self.notes is not None:
            footnote_separators(settings, self.notes)
        provenance = document.provenance
        if provenance is not None and provenance.comments:
            add_comments(self.doc, self.first_marks, provenance.comments,
                         stamp(document.meta.date))
        drop_thumbnail(self.doc.part.package)
        self.package_properties(document)
        self.embed_fonts()
        styles = {} if self.restyled else {"word/styles.xml": self.styles_xml}
        files = package_files(self.doc.part.package, styles)  # what saving it would zip
        shown = self.shown() if provenance is not None else None
        self.release()
        if provenance is None:
            return zip_package(files)
        from .manifest import ITEM_ID, NAMESPACE

        return add_custom_xml(files, self.manifest(shown, provenance), NAMESPACE, ITEM_ID)

    def shown(self) -> WordReading:
        """What the document just saved shows, read from its own trees: the same reading
        as re-parsing the saved package, without a second copy of the document (and
        without reading again a block this process read before)."""
        from .wordml import parse_part, read_parts

        return read_parts(saved_parts(self.doc.part.package, parse_part), remembered=True)

    def manifest(self, shown: WordReading, provenance: t.Provenance) -> bytes:
        """The field manifest of the document `shown`."""
        from .manifest import build_manifest

        anchors = {name: anchor for anchor, name in self.word_names.items()}
        return build_manifest(shown, provenance, self.field_marks, anchors)

    def release(self) -> None:
        """Free the saved document's XML (a render holds nothing larger) before the
        manifest is built and the package rewritten, which reuse its memory: for a long
        brief only, for freeing takes as long as a short brief's manifest (whose trees
        the cycle collector frees soon enough)."""
        self.first_marks.clear()
        if len(self.doc.element.body) > RELEASED_ABOVE:
            release_parts(self.doc.part.package)


def render_docx(document: t.Document, layout: LoadedLayout) -> bytes:
    """The DOCX of `document` in `layout`, as bytes."""
    return (_ready_for(layout, document.meta) or DocxRenderer(layout)).render(document)


# A renderer begun ahead by `ready_next`: (its layout, its languages, the renderer).
_READY: list[tuple[LoadedLayout, tuple, DocxRenderer]] = []


def ready_next(layout: LoadedLayout, meta: t.Metadata) -> None:
    """Begin, ahead of the next render, the renderer it needs if only the document's
    text changes: the base document and its styles, 9 ms of a render. A helper process
    that outlives its build (watch keeps one) runs this while it waits for the next
    edit. Not for a layout with a reference.docx: that file may change meanwhile."""
    _READY.clear()
    if layout.layout.reference_docx:
        return
    renderer = DocxRenderer(layout)
    renderer.begin(meta)
    _READY.append((layout, _languages(meta), renderer))


def _ready_for(layout: LoadedLayout, meta: t.Metadata) -> DocxRenderer | None:
    """The renderer begun ahead, if it was begun for this layout and these languages."""
    ready = _READY.pop() if _READY else None
    if ready is None or ready[0] != layout or ready[1] != _languages(meta):
        return None
    return ready[2]


def _languages(meta: t.Metadata) -> tuple:
    return meta.language, meta.script_languages


def prepare() -> None:
    """Do ahead what a first render does whatever the document (a build's helper
    process calls this while the build loads the brief): import the modules that write
    and read back the field manifest, find the cache folder and work out the digest of
    briefing's code that keys its entries."""
    from briefing.core import cache, digests

    from . import manifest, wordml  # noqa: F401

    cache.folder()
    digests.code_digest()

