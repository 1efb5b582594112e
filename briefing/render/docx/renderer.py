"""DOCX renderer (python-docx): one method per node kind, mirroring render/pdf.py.

Every style layout.yaml names becomes a real Word style ("Key Judgment",
"Evidence", …); headings restyle Word's built-in "Heading 1–3" so the
navigation pane and the table of contents work. Footnotes are real Word
footnotes, numbered in the reading order the PDF numbers its notes in;
citations and '#' links jump to bookmarks with Word-safe names. Raw XML lives
in docx_xml, and the same inputs always give the same bytes.

House style: a layout's `reference_docx` is the starting document. Its styles
(matched by name in any case, or by style id), numbering, settings, page setup
and non-empty headers and footers win; layout.yaml only fills what it lacks,
and the marking banner is added wherever the reference's headers lack it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from briefing.compose import tree as t
from briefing.core.limits import MAX_PROPERTY_CHARS
from briefing.load.brief import display_path
from briefing.load.layout import STYLE_NAMES, LoadedLayout
from briefing.model import placeholders
from briefing.model.scripts import CYRILLIC
from briefing.model.vocab import CYRILLIC_LANGUAGES, LIKELIHOOD_BANDS, with_region
from briefing.render.fonts import load_fonts
from briefing.render.registry import dispatch
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.section import _Footer, _Header
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from . import oxml as x
from .fonts import embedded_face, font_facts, subset_fonts
from .styles import adopt, keep, made_before, styles_key

if TYPE_CHECKING:
    from .wordml import WordDocument as WordReading

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
CONFIDENCE = ("low", "moderate", "high")
SEGMENT, THIN, GAP = "\u2003\u2003", "\u2009", "\u2003"
PAGE_SIZES = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
# A code point of each East Asian script, and the language tag Word expects for it.
EAST_ASIAN = ((0xAC00, "ko-KR"), (0x3042, "ja-JP"), (0x4E00, "zh-CN"))
# The theme's script code for each East Asian language.
THEME_SCRIPTS = {"ko-KR": "Hang", "ja-JP": "Jpan", "zh-CN": "Hans"}
CYRILLIC_RUN = re.compile(r"([\u0400-\u052F][\u0400-\u052F\-‐'’.]*)")
APPLICATION = "briefing"
FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
SOFT_HYPHEN = "\u00ad"  # written as Word's optional hyphen, as the PDF treats it
REVIEWER = "briefing"  # the author of review comments; import skips them
MANIFEST_SCHEMA = "urn:briefing:manifest:1"
MANIFEST_ITEM_ID = "B81EF1A6-9C2B-4D0E-8C5A-6A1F3E0B2D47"
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
LIST_INDENT = 14.0
HEADER_DISTANCE = 5.0  # mm from the page edge to the marking banner, as in the PDF
MM_PER_PT = 25.4 / 72
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
# Word's own names and ids for built-in styles python-docx's template lacks, so
# Word and LibreOffice take them for their footnote, link and TOC styles.
BUILT_IN = {"Footnote Text": ("footnote text", "FootnoteText"),
            "Footnote Reference": ("footnote reference", "FootnoteReference"),
            "Hyperlink": ("Hyperlink", "Hyperlink"),
            **{f"TOC {n}": (f"toc {n}", f"TOC{n}") for n in (1, 2, 3)}}
KIND_NAMES = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character",
              WD_STYLE_TYPE.TABLE: "table", WD_STYLE_TYPE.LIST: "numbering"}


class ReferenceDocxError(ValueError):
    """The layout's reference.docx cannot be opened as a Word document."""


@dataclass(frozen=True)
class _Runs:
    """Where inline runs go (a paragraph, or a hyperlink inside it) and how they look."""

    paragraph: Paragraph
    target: BaseOxmlElement
    bold: bool
    italic: bool
    base: tuple[bool, bool]
    link: bool = False


@dataclass(frozen=True)
class _Story:
    """The parent python-docx expects of a paragraph: something with a `part`."""

    part: StoryPart


class DocxRenderer:
    """Renders a document tree to DOCX bytes in one layout."""

    def __init__(self, layout: LoadedLayout):
        self.layout = layout
        self.fonts = load_fonts(layout)
        self.reference = bool(layout.layout.reference_docx)
        self._index: tuple[dict, dict] | None = None  # styles by name and id
        self.doc: WordDocument = self._base_document()
        self.container: WordDocument | _Cell = self.doc
        self.lang = "en-US"
        self.cyrillic = ""  # the language Cyrillic runs are tagged with, if any
        self.east_asia, self.east_asia_lang = self._east_asian_face()
        self.notes: StoryPart | None = x.reuse_footnotes(self.doc.part)
        self.note_count = x.last_footnote_id(self.notes) if self.notes is not None else 0
        self.bookmark_count = 0
        self.field_marks: dict[str, str] = {}  # hidden bookmark → field key
        self.first_marks: dict[str, tuple[BaseOxmlElement, BaseOxmlElement, Paragraph]] = {}
        self.anchors: dict[int, str] = {}
        self.word_names: dict[str, str] = {}
        self.lists: dict[tuple, int] = {}
        self.toc_done = False
        self.begun = False
        self._styles: dict[str, BaseStyle] = {}
        self._defining: set[str] = set()
        self._looks: dict[str, tuple[bool, bool]] = {}
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
        x.clear_body(doc.element.body)
        return doc

    # -- fonts and styles ------------------------------------------------------

    def family_name(self, family: str) -> str:
        """The TrueType family name ("Noto Serif") of a layout font family ("serif")."""
        return self.fonts.families[family].family_name

    def _east_asian_face(self) -> tuple[str | None, str | None]:
        """The first fallback family that covers an East Asian script, and its language."""
        for family in self.layout.layout.fallback_fonts:
            coverage = self.fonts.families[family].coverage
            for point, lang in EAST_ASIAN:
                if point in coverage:
                    return self.family_name(family), lang
        return None, None

    def find_style(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle | None:
        """The document's style called `name` in any case, else the one whose id is
        `name` without spaces (how Word ids its built-ins: "Heading1"); None if neither."""
        by_name, by_id = self._style_index()
        style = by_name.get(name.lower())
        if style is not None:
            if style.type != kind:
                raise ValueError(f"Word style '{name}' exists but is a "
                                 f"{KIND_NAMES.get(style.type, 'other')} style, not a "
                                 f"{KIND_NAMES[kind]} style")
            return style
        return by_id.get((kind, name.replace(" ", "").lower()))

    def _style_index(self) -> tuple[dict[str, BaseStyle], dict[tuple, BaseStyle]]:
        """Styles by lower-case name and by (type, lower-case id), built once per change."""
        if self._index is None:
            by_name: dict[str, BaseStyle] = {}
            by_id: dict[tuple, BaseStyle] = {}
            self._index = (by_name, by_id)
            for style in self.doc.styles:
                self._indexed(style)
        return self._index

    def _indexed(self, style: BaseStyle) -> None:
        """Add a style to the index (kept up to date as styles are added)."""
        if self._index is None:
            return
        by_name, by_id = self._index
        for key in {(style.name or "").lower(), (style.element.name_val or "").lower()}:
            by_name.setdefault(key, style)
        by_id.setdefault((style.type, (style.style_id or "").lower()), style)

    def word_style(self, name: str, kind: WD_STYLE_TYPE) -> tuple[BaseStyle, bool]:
        """Word style `name` and whether the layout defines it: False when it comes
        from the reference.docx (kept untouched), True when found in python-docx's
        template (emptied for restyling) or newly made."""
        style = self.find_style(name, kind)
        if style is not None and self.reference:
            return style, False
        if style is None:
            word_name, style_id = BUILT_IN.get(name, (name, ""))
            style = self.doc.styles.add_style(word_name, kind)
            if style_id:
                style.style_id = style_id
                x.mark_built_in(style.element)
            self._indexed(style)
        x.reset_style(style.element)
        return style, True

    def style(self, name: str) -> BaseStyle:
        """The Word paragraph style for layout style `name`, defined on first use."""
        if name not in self._styles:
            self.define_style(name)
        return self._styles[name]

    def define_style(self, name: str) -> None:
        """Take style `name` from the reference, or make it from the layout's values."""
        style, ours = self.word_style(name, WD_STYLE_TYPE.PARAGRAPH)
        self._styles[name] = style
        if not ours:
            return
        self._defining.add(name)
        try:
            values = self.layout.style(name)
            style.base_style = self._base(name)
            style.quick_style = True
            self._style_font(style, values)
            self._style_paragraph(style, values)
            level = re.fullmatch(r"Heading ([1-9])", name)
            if level:
                x.outline_level(style.element.get_or_add_pPr(), int(level[1]) - 1)
                style.next_paragraph_style = self.style("Body")
        finally:
            self._defining.discard(name)

    def _base(self, name: str) -> BaseStyle | None:
        spec = self.layout.layout.styles.get(name)
        base = spec.based_on if spec and spec.based_on else ("Body" if name != "Body" else "")
        if not base or base in self._defining:
            return self.find_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
        return self.style(base)

    def look(self, name: str) -> tuple[bool, bool]:
        """(bold, italic) of Word style `name`, following its based-on chain."""
        if name not in self._looks:
            style: BaseStyle | None = self.style(name)
            bold = italic = None
            for _ in range(32):  # a reference's based-on chain may loop
                if style is None:
                    break
                bold = style.font.bold if bold is None else bold
                italic = style.font.italic if italic is None else italic
                style = style.base_style
            self._looks[name] = (bool(bold), bool(italic))
        return self._looks[name]

    def _style_font(self, style: BaseStyle, values: dict) -> None:
        font = style.font
        font.size = Pt(values.get("size", 10))
        font.bold = values.get("bold", False)
        font.italic = values.get("italic", False)
        font.color.rgb = _rgb(values.get("colour", "#000000"))
        family = values.get("font") or self.layout.style("Body")["font"]
        rpr = style.element.get_or_add_rPr()
        x.set_fonts(rpr, self.family_name(family), self.east_asia)
        x.set_lang(rpr, self.lang, self.east_asia_lang)

    def _style_paragraph(self, style: BaseStyle, values: dict) -> None:
        size = values.get("size", 10)
        fmt = style.paragraph_format
        fmt.alignment = ALIGN[values.get("align", "left")]
        fmt.space_before = Pt(values.get("space_before", 0))
        fmt.space_after = Pt(values.get("space_after", 0))
        fmt.left_indent = Pt(values.get("indent_left", 0))
        fmt.right_indent = Pt(values.get("indent_right", 0))
        fmt.first_line_indent = Pt(values.get("first_line_indent", 0))
        fmt.keep_with_next = bool(values.get("keep_with_next", False))
        fmt.widow_control = True
        fmt.line_spacing = Pt(values.get("leading", size * 1.3))
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        ppr = style.element.get_or_add_pPr()
        if values.get("background"):
            x.shade_paragraph(ppr, values["background"])
        if values.get("border"):
            x.border_paragraph(ppr, values["border"])

    def define_styles(self) -> None:
        """Every layout style, Normal as Body, the TOC, link and note-mark styles
        (with a reference.docx, only those it lacks); taken from an earlier render's
        when the inputs are the same (`docx_styles`)."""
        key = None if self.reference else styles_key(
            repr(self.layout.layout), self.lang, repr(self.east_asia), repr(self.east_asia_lang),
            *(f"{family}={self.family_name(family)}" for family in self.layout.layout.fonts))
        made = made_before(key) if key else None
        if made is not None:
            self._styles = adopt(self.doc.part.part_related_by(x.RT.STYLES), *made)
            self._index = None
            return
        self._define_styles()
        if key:
            keep(key, self.doc.styles.element, {name: (style.type, style.style_id)
                                                for name, style in self._styles.items()})

    def _define_styles(self) -> None:
        body = self.layout.style("Body")
        if not self.reference:
            normal, _ = self.word_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
            self._style_font(normal, body)
            x.doc_defaults(self.doc.styles.element, self.family_name(body["font"]),
                           self.east_asia, self.lang, self.east_asia_lang)
        for name in STYLE_NAMES:
            if name in self.layout.layout.styles:
                self.style(name)
        self._character_style("Hyperlink", colour=self.layout.layout.colours.link)
        self._character_style("Footnote Reference", superscript=True)
        self._toc_styles()
        self.table_style("Brief Table")

    def _character_style(self, name: str, colour: str | None = None,
                         superscript: bool = False) -> None:
        style, ours = self.word_style(name, WD_STYLE_TYPE.CHARACTER)
        self._styles[name] = style
        if not ours:
            return
        style.base_style = self.find_style("Default Paragraph Font", WD_STYLE_TYPE.CHARACTER)
        if colour:
            style.font.color.rgb = _rgb(colour)
        if superscript:
            style.font.superscript = True

    def _toc_styles(self) -> None:
        heading = self.layout.style("Heading 1") if "Heading 1" in \
            self.layout.layout.styles else self.layout.style("Body")
        label, ours = self.word_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH)
        self._styles["TOC Heading"] = label
        if ours:
            label.base_style = self.find_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
            self._style_font(label, heading)
            self._style_paragraph(label, heading)
        body = self.layout.style("Body")
        for level in (1, 2, 3):
            name = f"TOC {level}"
            style, ours = self.word_style(name, WD_STYLE_TYPE.PARAGRAPH)
            self._styles[name] = style
            if not ours:
                continue
            style.base_style = self.style("Body")
            values = {**body, "space_after": 2, "indent_left": 12 * (level - 1),
                      "bold": level == 1}
            self._style_font(style, values)
            self._style_paragraph(style, values)

    def table_style(self, name: str) -> BaseStyle:
        """A named table style (hairlines, padding, shaded header row), made if missing;
        a reference's (or the template's) style of that name is used as it is."""
        style = self.find_style(name, WD_STYLE_TYPE.TABLE)
        if style is None:
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
            self._indexed(style)
            style.base_style = self.find_style("Normal Table", WD_STYLE_TYPE.TABLE)
            x.table_style(style.element, self.layout.layout.colours.table_rule,
                          self.layout.layout.colours.table_header, (3, 6))
        return style

    # -- inlines ---------------------------------------------------------------

    def runs(self, paragraph: Paragraph, style: str) -> _Runs:
        """The inline context for a paragraph in layout style `style`."""
        look = self.look(style)
        return _Runs(paragraph, paragraph._p, *look, look)

    def run(self, ctx: _Runs, text: str = "") -> Run:
        """A run appended where `ctx` points, with the look the context asks for."""
        element = x.append_run(
            ctx.target, text, self._styles["Hyperlink"].style_id if ctx.link else None,
            ctx.bold if ctx.bold != ctx.base[0] else None,
            ctx.italic if ctx.italic != ctx.base[1] else None, self.lang, self.east_asia_lang)
        if SOFT_HYPHEN in text:
            x.soft_hyphens(element)
        return Run(element, ctx.paragraph)

    def children(self, children: tuple[t.Inline, ...], ctx: _Runs) -> None:
        for node in children:
            self.inlines[type(node)](node, ctx)

    def text(self, node: t.Text, ctx: _Runs) -> None:
        """Text; a stretch in Cyrillic is tagged with its language (see scripts.py)."""
        cyrillic = self.cyrillic_lang()
        if not cyrillic or not CYRILLIC.search(node.text):
            self.run(ctx, node.text)
            return
        for piece in CYRILLIC_RUN.split(node.text):
            if piece:
                run = self.run(ctx, piece)
                if CYRILLIC.match(piece):
                    x.set_lang(run._r.get_or_add_rPr(), cyrillic, self.east_asia_lang)

    def cyrillic_lang(self) -> str:
        """The tag for Cyrillic text here: the paragraph's language if written in
        Cyrillic, else the one the brief's sources give; '' if it is the runs' own."""
        own = self.lang.split("-")[0]
        tag = self.lang if own in CYRILLIC_LANGUAGES else self.cyrillic
        return "" if tag == self.lang else tag

    def emph(self, node: t.Emph, ctx: _Runs) -> None:
        self.children(node.children, replace(ctx, italic=not ctx.italic))

    def strong(self, node: t.Strong, ctx: _Runs) -> None:
        self.children(node.children, replace(ctx, bold=True))

    def code(self, node: t.Code, ctx: _Runs) -> None:
        self.run(ctx, node.text)

    def link(self, node: t.Link, ctx: _Runs) -> None:
        if node.url.startswith("#"):
            hyperlink = x.internal_link(self.word_name(node.url[1:]))
        else:
            hyperlink = x.external_link(ctx.paragraph.part, node.url)
        ctx.target.append(hyperlink)
        self.children(node.children, replace(ctx, target=hyperlink, link=True))

    def citation(self, node: t.Citation, ctx: _Runs) -> None:
        if not node.target:
            self.children(node.children, ctx)
            return
        hyperlink = x.internal_link(self.word_name(node.target))
        ctx.target.append(hyperlink)
        self.children(node.children, replace(ctx, target=hyperlink, link=True))

    def footnote(self, node: t.Footnote, ctx: _Runs) -> None:
        """A real footnote: a reference mark here, the note in word/footnotes.xml."""
        if self.notes is None:
            self.notes = x.footnotes_part(self.doc.part)
        self.note_count += 1
        mark = self.run(replace(ctx, link=False))
        x.apply_style(mark._r, self._styles["Footnote Reference"].style_id)
        x.footnote_reference(mark._r, self.note_count)
        style_id = self.style("Footnote Text").style_id
        mark_id = self._styles["Footnote Reference"].style_id
        element = x.new_footnote(self.notes, self.note_count, style_id, mark_id)
        note = Paragraph(element, _Story(self.notes))
        self.children(node.children, self.runs(note, "Footnote Text"))

    def content_field(self, node: t.Field, ctx: _Runs) -> None:
        """A content field, enclosed in a hidden bookmark (`_Brf<n>`) for import."""
        number = self.bookmark_count
        self.bookmark_count += 1
        name = f"_Brf{len(self.field_marks)}"
        start = x.bookmark_start(name, number)
        ctx.target.append(start)
        self.children(node.children, ctx)
        end = x.bookmark_end(number)
        ctx.target.append(end)
        self.field_marks[name] = node.key
        self.first_marks.setdefault(node.key, (start, end, ctx.paragraph))

    def review_comments(self, comments: tuple[tuple[str, str], ...], date: str) -> None:
        """Each (field key, text) as a Word comment by "briefing" on that field."""
        stamp = datetime.fromisoformat(date).replace(tzinfo=UTC) if date else EPOCH
        for key, text in comments:
            if key not in self.first_marks:
                continue
            start, end, paragraph = self.first_marks[key]
            runs = [Run(r, paragraph) for r in x.runs_between(start, end)]
            if not runs:
                continue
            comment = self.doc.add_comment(runs, text, author=REVIEWER, initials="BR")
            comment._comment_elm.date = stamp

    def line_break(self, node: t.LineBreak, ctx: _Runs) -> None:
        self.run(ctx).add_break()

    def field(self, ctx: _Runs, instruction: str, shown: str) -> None:
        """A complex field (begin, instruction, separate, cached result, end)."""
        x.field_char(self.run(ctx)._r, "begin")
        x.instruction(self.run(ctx)._r, instruction)
        x.field_char(self.run(ctx)._r, "separate")
        self.run(ctx, shown)
        x.field_char(self.run(ctx)._r, "end")

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
            name = x.bookmark_name(anchor)
            salt = 0
            while name.lower() in taken:
                name = x.bookmark_name(f"{anchor}#{salt}" if salt else anchor, hashed=True)
                salt += 1
            self.word_names[anchor] = name
        return self.word_names[anchor]

    def bookmark(self, paragraph: Paragraph, anchor: str) -> None:
        x.bookmark(paragraph._p, self.word_name(anchor), self.bookmark_count)
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
            x.number_paragraph(paragraph._p.get_or_add_pPr(), num_id)
            paragraph.paragraph_format.left_indent = Pt(indent)
            paragraph.paragraph_format.first_line_indent = Pt(-LIST_INDENT)

    def numbering(self, ordered: bool, style: str) -> int:
        values = self.layout.style(style)
        family = self.family_name(values.get("font") or self.layout.style("Body")["font"])
        key = (ordered, family, values.get("size", 10))
        numbering = self.doc.part.numbering_part.element
        if key not in self.lists:
            self.lists[key] = x.abstract_list(numbering, ordered, family, LIST_INDENT,
                                              key[2] * (1 if ordered else 0.8))
        if ordered:
            return x.list_instance(numbering, self.lists[key], restart=True)
        bullets = ("bullets", *key)
        if bullets not in self.lists:
            self.lists[bullets] = x.list_instance(numbering, self.lists[key], restart=False)
        return self.lists[bullets]

    def styled(self, container, style: BaseStyle) -> Paragraph:
        """A new paragraph in `container` with `style` (set by id: see apply_style)."""
        paragraph = container.add_paragraph()
        x.apply_style(paragraph._p, style.style_id)
        return paragraph

    def judgment_numbering(self, style: str) -> int:
        """One decimal list for every key judgment, hung as the layout's style hangs."""
        key = ("judgments", style)
        if key not in self.lists:
            values = self.layout.style(style)
            family = self.family_name(values.get("font") or self.layout.style("Body")["font"])
            hang = -values.get("first_line_indent", 0) or LIST_INDENT
            numbering = self.doc.part.numbering_part.element
            abstract = x.abstract_list(numbering, True, family, hang, values.get("size", 10),
                                       left=values.get("indent_left", hang))
            self.lists[key] = x.list_instance(numbering, abstract, restart=False)
        return self.lists[key]

    def text_width(self) -> float:
        """Width between the margins, in millimetres (the reference's, if it sets them)."""
        page = self.layout.layout.page
        section = self.doc.sections[0]
        width = section.page_width or Mm(PAGE_SIZES[page.size][0])
        left = Mm(page.margin_left) if section.left_margin is None else section.left_margin
        right = Mm(page.margin_right) if section.right_margin is None else section.right_margin
        return Emu(width - left - right).mm

    def table(self, node: t.Table) -> None:
        columns = max((len(row) for row in node.rows), default=0)
        if not columns:
            return
        table = self.container.add_table(rows=len(node.rows), cols=columns)
        x.apply_style(table._tbl, self.table_style(node.style).style_id)
        table.autofit = False
        x.table_look(table._tbl, node.header_rows > 0)
        self._column_widths(table, node.widths, columns)
        for r, (row, word_row) in enumerate(zip(node.rows, table.rows, strict=True)):
            word_cells = word_row.cells
            for cell, target in zip(row, word_cells, strict=False):
                self.cell(target, cell)
            if r < node.header_rows:
                x.repeat_header(word_row._tr)
                for target in word_cells:
                    x.cell_look(target._tc, self.layout.layout.colours.table_header, {})

    def _column_widths(self, table: Table, widths: tuple[float, ...], columns: int) -> None:
        shares = list(widths[:columns]) + [0.0] * (columns - len(widths))
        if not any(shares):
            shares = [1.0] * columns
        total = sum(shares) or 1.0
        sizes = [Mm(self.text_width() * (share or total / columns) / total) for share in shares]
        for column, width in zip(table.columns, sizes, strict=True):
            column.width = width
        for row in table.rows:  # row by row: table.column(i).cells is quadratic
            for cell, width in zip(row.cells, sizes, strict=False):
                cell.width = width

    def cell(self, target: _Cell, node: t.Cell) -> None:
        paragraph = target.paragraphs[0]
        x.apply_style(paragraph._p, self.style(node.style).style_id)
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
        x.cell_look(cell._tc, background, {"top": thin, "bottom": thin, "right": thin,
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
        x.number_paragraph(paragraph._p.get_or_add_pPr(), self.judgment_numbering(node.style))
        meta = self.styled(self.container, self.style("Judgment Meta"))
        ctx = self.runs(meta, "Judgment Meta")
        self.scale(ctx, node)
        self.text(t.Text(t.judgment_meta(node)), ctx)
        if node.basis:
            label = t.Strong((t.Text(self.layout.layout.labels.basis),))
            self.para((label, *node.basis), "Basis")

    def scale(self, ctx: _Runs, node: t.KeyJudgment) -> None:
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

    def _segment(self, ctx: _Runs, text: str, fill: str | None) -> None:
        run = self.run(ctx, text)
        run.font.size = Pt(5)
        if fill:
            x.shade_run(run._r.get_or_add_rPr(), fill)

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
                x.field_char(self.run(ctx)._r, "begin")
                x.instruction(self.run(ctx)._r, TOC_INSTRUCTION)
                x.field_char(self.run(ctx)._r, "separate")
            hyperlink = x.internal_link(self.word_name(anchor))
            paragraph._p.append(hyperlink)
            self.run(replace(ctx, target=hyperlink), text)
            last = ctx
        x.field_char(self.run(last)._r, "end")

    # -- page, header, footer, properties --------------------------------------

    def page_setup(self) -> None:
        """Page size, margins and header distance from the layout; with a reference.docx
        only those its section leaves unset."""
        page = self.layout.layout.page
        width, height = PAGE_SIZES[page.size]
        wanted = {"page_width": Mm(width), "page_height": Mm(height),
                  "top_margin": Mm(page.margin_top), "bottom_margin": Mm(page.margin_bottom),
                  "left_margin": Mm(page.margin_left), "right_margin": Mm(page.margin_right),
                  "header_distance": Mm(HEADER_DISTANCE), "footer_distance": Mm(HEADER_DISTANCE)}
        section = self.doc.sections[0]
        for name, value in wanted.items():
            if not self.reference or getattr(section, name) is None:
                setattr(section, name, value)

    def header_footer(self, document: t.Document) -> None:
        """Marking banners top and bottom, the running header, `Page N of M`, on every
        kind of page the section has; a reference's non-empty header or footer is kept,
        with a banner added if it lacks the marking."""
        section = self.doc.sections[0]
        pairs = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            pairs.append((section.first_page_header, section.first_page_footer))
        if self.doc.settings.odd_and_even_pages_header_footer:
            pairs.append((section.even_page_header, section.even_page_footer))
        for header, footer in pairs:
            if self._kept(header):
                self._ensure_marking(header, document.marking, first=True)
            else:
                self._own_header(header, document)
            if self._kept(footer):
                self._ensure_marking(footer, document.marking, first=False)
            else:
                self._own_footer(footer, document)

    def _kept(self, story: _Header | _Footer) -> bool:
        """Whether `story` is the reference's own, non-empty header or footer."""
        return (self.reference and not story.is_linked_to_previous
                and x.has_content(story._element))

    def _ensure_marking(self, story: _Header | _Footer, marking: t.Marking,
                        first: bool) -> None:
        """Add a banner (at the top if `first`) unless `story` already shows the label."""
        if marking.label in x.story_text(story._element):
            return
        paragraph = story.add_paragraph()
        if first:
            x.move_first(story._element, paragraph._p)
        self.banner(paragraph, marking)

    @staticmethod
    def _first_paragraph(story: _Header | _Footer) -> Paragraph:
        """The first paragraph of a header or footer of this document's own."""
        story.is_linked_to_previous = False
        return story.paragraphs[0] if story.paragraphs else story.add_paragraph()

    def _own_header(self, header: _Header, document: t.Document) -> None:
        """The layout's header: the marking banner, then the running header."""
        self.banner(self._first_paragraph(header), document.marking)
        running = self.styled(header, self.style("Header"))
        running.paragraph_format.space_before = self._gap(self.layout.layout.page.margin_top
                                                          - 6, "Header", 0.8)
        self.pattern(running, document.meta.header, document.meta, "Header")

    def _own_footer(self, footer: _Footer, document: t.Document) -> None:
        """The layout's footer: `Page N of M`, then the marking banner."""
        number = self._first_paragraph(footer)
        x.apply_style(number._p, self.style("Footer").style_id)
        number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        number.paragraph_format.space_after = self._gap(self.layout.layout.page.margin_bottom
                                                        - 9, "Footer", 0.2)
        self.pattern(number, self.layout.layout.footer, document.meta, "Footer")
        self.banner(footer.add_paragraph(), document.marking)

    def _gap(self, baseline: float, style: str, share: float) -> Pt:
        """Space between the banner and a header/footer line whose baseline the PDF puts
        `baseline` mm from the page edge (`share`: the part of the line above it)."""
        banner = self.layout.layout.marking.size * 1.3 * MM_PER_PT
        line = self.layout.style(style).get("size", 10) * 1.3 * MM_PER_PT
        return Pt(max(0.0, baseline - HEADER_DISTANCE - banner - line * share) / MM_PER_PT)

    def banner(self, paragraph: Paragraph, marking: t.Marking) -> None:
        """The marking label, centred, bold, in its colours."""
        spec = self.layout.layout.marking
        x.apply_style(paragraph._p, self.style("Marking").style_id)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = self.run(self.runs(paragraph, "Marking"), f"\u00a0\u00a0{marking.label}\u00a0\u00a0")
        run.bold = True
        run.font.size = Pt(spec.size)
        run.font.color.rgb = _rgb(marking.foreground)
        rpr = run._r.get_or_add_rPr()
        x.set_fonts(rpr, self.family_name(spec.font), self.east_asia)
        x.shade_run(rpr, marking.background)

    def pattern(self, paragraph: Paragraph, text: str, meta: t.Metadata, style: str) -> None:
        """Text with {page} and {pages} as PAGE / NUMPAGES fields, other names filled in."""
        values = {"title": meta.title, "edition": str(meta.edition), "date": meta.date}
        ctx = self.runs(paragraph, style)
        for piece in placeholders.pieces(placeholders.fill(text, values)):
            if isinstance(piece, placeholders.Field):
                self.field(ctx, FIELDS[piece.name], "1")
            else:
                self.run(ctx, piece)

    def properties(self, meta: t.Metadata) -> None:
        """Core properties; the dates are the brief's date, never the build time."""
        props = self.doc.core_properties
        props.title = _property(meta.title)
        props.author = _property(", ".join(meta.authors))
        props.subject = _property(meta.subject)
        props.keywords = _property(", ".join(meta.keywords))
        props.language = _property(meta.language)
        props.last_modified_by = "briefing"
        props.comments = _property(meta.subtitle)
        props.version = _property(str(meta.edition))
        props.revision = 1
        stamp = datetime.fromisoformat(meta.date).replace(tzinfo=UTC) if meta.date else EPOCH
        props.created = props.modified = stamp

    # -- document --------------------------------------------------------------

    def begin(self, meta: t.Metadata) -> None:
        """What every render begins with, given only the document's languages: the
        languages its runs are tagged with, and its styles (`ready_next` does it ahead)."""
        self.lang = with_region(meta.language or "en")
        cyrillic = dict(meta.script_languages).get("Cyrl", "")
        self.cyrillic = with_region(cyrillic) if cyrillic else ""
        self.define_styles()
        self.begun = True

    def render(self, document: t.Document) -> bytes:
        if not self.begun:
            self.begin(document.meta)
        self.page_setup()
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
            x.footnote_separators(settings, self.notes)
        provenance = document.provenance
        if provenance is not None and provenance.comments:
            self.review_comments(provenance.comments, document.meta.date)
        x.drop_thumbnail(self.doc.part.package)
        self.word_hygiene(document)
        self.embed_fonts()
        files = x.package_files(self.doc.part.package)  # what saving it would zip
        shown = self.shown() if provenance is not None else None
        self.release()
        if provenance is None:
            return x.zip_package(files)
        manifest = self.manifest(shown, provenance)
        return x.add_custom_xml(files, manifest, MANIFEST_SCHEMA, MANIFEST_ITEM_ID)

    def shown(self) -> WordReading:
        """What the document just saved shows, read from its own trees: the same reading
        as re-parsing the saved package, without a second copy of the document."""
        from .wordml import parse_part, read_parts

        return read_parts(x.saved_parts(self.doc.part.package, parse_part))

    def manifest(self, shown: WordReading, provenance: t.Provenance) -> bytes:
        """The field manifest of the document `shown`."""
        from .manifest import build_manifest

        anchors = {name: anchor for anchor, name in self.word_names.items()}
        return build_manifest(shown, provenance, self.field_marks, anchors)

    def release(self) -> None:
        """Free the saved document's XML (a render holds nothing larger) before the
        manifest is built and the package rewritten, which reuse its memory."""
        self.first_marks.clear()
        x.release_parts(self.doc.part.package)


    # -- what Word expects of a file it opens without complaint ------------------

    def word_hygiene(self, document: t.Document) -> None:
        """Word 2013+ compatibility, a zoom, no stale stylesWithEffects or proofing
        state, app.xml of this document, and (unless a reference.docx brings its own) a theme and
        theme-font languages that are the layout's and the brief's."""
        settings = self.doc.settings.element
        x.drop_styles_with_effects(self.doc.part)
        x.compatibility_mode(settings, 15)
        x.zoom(settings, 100)
        x.drop_proof_state(settings)
        x.app_properties(self.doc.part.package, APPLICATION, document.meta.title,
                         x.body_counts(self.doc.element.body))
        if self.reference:
            return
        x.theme_font_lang(settings, self.lang, self.east_asia_lang)
        major, minor = self.theme_faces()
        x.theme_fonts(self.doc.part.part_related_by(x.RT.THEME), major, minor,
                      self.east_asia, THEME_SCRIPTS.get(self.east_asia_lang or ""))

    def theme_faces(self) -> tuple[str, str]:
        """The faces of the theme's heading (major) and body (minor) fonts."""
        body = self.layout.style("Body")["font"]
        heading = self.layout.style("Heading 1").get("font") if \
            "Heading 1" in self.layout.layout.styles else None
        return self.family_name(heading or body), self.family_name(body)

    def shows(self, family: str, name: str, characters: frozenset[str]) -> bool:
        """Whether a font draws any of `characters`: a text face always; the East Asian
        face only if the document has a character it has that the body face lacks."""
        if name != self.east_asia:
            return True
        body = self.fonts.families[self.layout.style("Body")["font"]].coverage
        coverage = self.fonts.families[family].coverage
        return any(ord(c) in coverage and ord(c) not in body for c in characters)

    def embed_fonts(self) -> None:
        """List every font the document uses in the font table; embed the layout's,
        subset to the characters the document shows (see docx_fonts)."""
        package = self.doc.part.package
        ours = {self.family_name(family): family for family in self.layout.layout.fonts}
        characters = x.used_characters(package)
        used = []  # (name, family or None, its faces to embed)
        for name in x.used_fonts(package, self.theme_faces()):
            family = ours.get(name)
            shown = family is not None and self.shows(family, name, characters)
            used.append((name, family, list(self.fonts.families[family].files.items())
                         if shown else []))
        subsets = iter(subset_fonts([path for _, _, faces in used for _, path in faces],
                                    characters))  # cut together: see font_subset
        table = []
        for name, family, faces in used:
            facts = font_facts(self.fonts.families[family].files["regular"]) if family else None
            table.append((name, facts, [embedded_face(face, next(subsets)) for face, _ in faces]))
        x.font_table(self.doc.part, table)
        x.embed_fonts(self.doc.settings.element)


def _property(text: str) -> str:
    """A document property as Word keeps it: at most MAX_PROPERTY_CHARS characters
    (the text of the document keeps the whole value)."""
    if len(text) <= MAX_PROPERTY_CHARS:
        return text
    return text[:MAX_PROPERTY_CHARS - 1].rstrip() + "…"


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


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
