"""PDF renderer (ReportLab platypus): one function per node kind.

Fonts are embedded and subset; characters the main font lacks are drawn with
a fallback family. Every page carries the marking banner at top and bottom,
a running header and `Page N of M`. Footnotes become numbered notes at the
end of the document (ReportLab has no page footnotes).
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.paragraph import (  # for _split_blParaProcessed, ReportLab's own
    _InjectedFrag,
    _SHYWord,
    _SHYWordHS,
    _SplitFragHY,
    _SplitFragLL,
)

from briefing import __version__
from briefing.compose import tree as t
from briefing.load.layout import Colours, LoadedLayout
from briefing.model import placeholders
from briefing.render.fonts import FontSet, load_fonts
from briefing.render.registry import dispatch

from . import memo as pdf_memo

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def escape(text: str) -> str:
    """`text` as ReportLab paragraph markup (what xml.sax.saxutils.escape gives, without
    importing urllib, http and ssl along with it)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """`text` as a quoted attribute value (what xml.sax.saxutils.quoteattr gives)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


class _Paragraph(Paragraph):
    """A Paragraph that remembers its line breaking for a width.

    Platypus wraps most paragraphs two or three times at the same width (to keep
    a heading with what follows, to fit a KeepTogether, then to draw); breaking
    the lines is most of the PDF's cost, and it depends on the width alone.
    When a paragraph splits across pages, both parts keep the lines already
    broken, so a paragraph of many pages is broken once (linear), not once per
    page (quadratic).
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo = self.__dict__.get("_wrapped")
        if memo is not None and memo[0] == availWidth:
            _, self.width, self.height, self.blPara, self._wrapWidths = memo
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            self._wrapped = (availWidth, self.width, self.height, self.blPara,
                             self._wrapWidths)
        return size

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: N803 - ReportLab's
        """ReportLab's, taking the parse of markup seen before from `pdf_memo` when the
        process keeps paragraphs (`watch`, `serve`)."""
        key = getattr(style, "memo_key", None)
        if (key is None or frags is not None or not pdf_memo.keeping()
                or not isinstance(bulletText, str | None)):
            return super()._setup(text, style, bulletText, frags, cleaner)
        memo = (text, bulletText, key)
        seen = pdf_memo.parsed(memo)
        if seen is not None:
            cleaned, fragments = seen
            super()._setup(cleaned, style, bulletText, fragments, cleaner)
        else:
            super()._setup(text, style, bulletText, frags, cleaner)
            if self.style is not style or self.bulletText is not bulletText:
                return  # markup that restyled the paragraph or gave its bullet: not kept
            pdf_memo.remember_parse(memo, self.text, self.frags)
        self._memo = memo

    def breakLines(self, width):  # noqa: N802 - ReportLab's name
        """The lines broken for the page before, when this is the rest of a split
        paragraph at the same width; breaking them again would make a paragraph
        that runs over many pages take quadratic time. A whole paragraph of markup
        seen before, at a width seen before, takes the lines from `pdf_memo`."""
        ready = self.__dict__.pop("_rest", None)
        if ready is not None and list(ready[0]) == list(width):
            return ready[1]
        self.__dict__.pop("_first_frag", None)  # fresh lines index this one's own frags
        memo = self.__dict__.get("_memo")
        if memo is None:
            return super().breakLines(width)
        key = (memo, tuple(width) if isinstance(width, list | tuple) else width)
        lines = pdf_memo.broken(key)
        if lines is None:
            lines = super().breakLines(width)
            pdf_memo.remember_lines(key, lines)
        return lines

    def _split_blParaProcessed(self, blPara, start, stop):  # noqa: N802 - ReportLab's
        """ReportLab's own, for lines whose frag indices count from `_first_frag`."""
        base = self.__dict__.get("_first_frag", 0)
        if not base:
            return super()._split_blParaProcessed(blPara, start, stop)
        if not stop:
            return []
        lines = blPara.lines
        end = lines[stop].sFW - base if stop != len(lines) else len(self.frags)
        frags = self.frags[lines[start].sFW - base:end]
        while frags and isinstance(frags[-1], _InjectedFrag):
            del frags[-1]
        if isinstance(frags[-1], _SplitFragHY):
            frags[-1].__class__ = (_SHYWordHS if isinstance(frags[-1], _SHYWord)
                                   else _SplitFragLL)
        return frags

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        had = getattr(self, "blPara", None)
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and had is not None and isinstance(parts[1], _Paragraph):
            first, rest = parts
            count = len(first.blPara.lines)
            first._rest = (tuple(self._wrapWidths), had.clone(lines=had.lines[:count]))
            lines = had.lines[count:]
            if lines:
                later = self._wrapWidths[1]
                rest._rest = ((later, later), had.clone(lines=lines))
                # the lines index the first paragraph's frags; the rest's start later
                rest._first_frag = getattr(lines[0], "sFW", 0)
        return parts


class PageLimitError(ValueError):
    """The brief does not fit the page limit its layout sets."""


class _Doc(BaseDocTemplate):
    """Adds an outline entry for each flowable that carries `_outline`."""

    def afterInit(self) -> None:  # noqa: N802 - ReportLab's hook name
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        key, title, level = outline
        level = min(level, self._outline_level + 1)
        self._outline_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=False)


PAGE_COUNT_FORM = "briefing-page-count"


class _CountingCanvas(Canvas):
    """Draws the total page count into a form that pages reference before it exists.

    One pass, and link destinations keep their real pages (deferring whole
    pages, the usual `Page N of M` trick, points every link at page 1).
    """

    count_font: tuple[str, float] = ("Helvetica", 8)
    count_colour = colors.black
    stamp: tuple[int, int, int] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.stamp:  # creation and modification date: the brief's date, never now
            self._doc._timeStamp.YMDhms = (*self.stamp, 0, 0, 0)
            self._doc._timeStamp.dhh = self._doc._timeStamp.dmm = 0

    def save(self) -> None:
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(*self.count_font)
        self.setFillColor(self.count_colour)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


class PdfRenderer:
    """Renders a document tree to PDF bytes in one layout."""

    def __init__(self, layout: LoadedLayout, fonts: FontSet | None = None):
        self.layout = layout
        self.fonts = fonts or load_fonts(layout)
        self.styles: dict[str, ParagraphStyle] = {}
        self.notes: list[str] = []
        self.link_colour = layout.layout.colours.link
        self.width = 0.0
        self.blocks = dispatch(self, t.BLOCK_TYPES)
        self.inlines = dispatch(self, t.INLINE_TYPES)

    # -- styles --------------------------------------------------------------

    def style(self, name: str) -> ParagraphStyle:
        if name not in self.styles:
            values = self.layout.style(name)
            size = values.get("size", 10)
            family = values.get("font") or self.layout.style("Body")["font"]
            self.styles[name] = ParagraphStyle(
                name,
                fontName=self.fonts.families[family].font(values.get("bold", False),
                                                          values.get("italic", False)),
                fontSize=size,
                leading=values.get("leading", size * 1.3),
                textColor=colors.HexColor(values.get("colour", "#000000")),
                alignment=ALIGN[values.get("align", "left")],
                spaceBefore=values.get("space_before", 0),
                spaceAfter=values.get("space_after", 0),
                leftIndent=values.get("indent_left", 0),
                rightIndent=values.get("indent_right", 0),
                firstLineIndent=values.get("first_line_indent", 0),
                keepWithNext=int(values.get("keep_with_next", False)),
                backColor=colors.HexColor(values["background"]) if "background" in values
                else None,
                splitLongWords=1,
                bulletFontName=self.fonts.families[family].font(values.get("bold", False)),
                bulletFontSize=size,
                allowWidows=0,
                allowOrphans=0,
            )
            self.styles[name].family = family  # type: ignore[attr-defined]
            self.styles[name].bold = values.get("bold", False)  # type: ignore[attr-defined]
            self.styles[name].italic = values.get("italic", False)  # type: ignore[attr-defined]
            if pdf_memo.keeping():
                self.styles[name].memo_key = pdf_memo.style_key(self.styles[name])
        return self.styles[name]

    def table_style(self, commands: list) -> TableStyle:
        """A table style whose cells default to the body font (never Helvetica)."""
        body = self.style("Body")
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), body.fontName),
                           ("FONTSIZE", (0, 0), (-1, -1), body.fontSize), *commands])

    # -- inlines -------------------------------------------------------------

    def markup(self, children: tuple[t.Inline, ...], style: ParagraphStyle,
               bold: bool | None = None, italic: bool | None = None) -> str:
        state = (style.family, style.bold if bold is None else bold,
                 style.italic if italic is None else italic)
        return "".join(self.inlines[type(node)](node, state) for node in children)

    def _children(self, children: tuple[t.Inline, ...], state: tuple) -> str:
        return "".join(self.inlines[type(node)](node, state) for node in children)

    def text(self, node: t.Text, state: tuple) -> str:
        family, bold, italic = state
        out = []
        for run_family, run in self.fonts.runs(node.text, family):
            font = self.fonts.families[run_family].font(bold, italic)
            out.append(f'<font name="{font}">{escape(run)}</font>')
        return "".join(out)

    def emph(self, node: t.Emph, state: tuple) -> str:
        family, bold, italic = state
        return self._children(node.children, (family, bold, not italic))

    def strong(self, node: t.Strong, state: tuple) -> str:
        """Bold, and the regular weight in a bold style (as emphasis is upright in an
        italic one), so that it stays visible."""
        family, bold, italic = state
        return self._children(node.children, (family, not bold, italic))

    def code(self, node: t.Code, state: tuple) -> str:
        return self.text(t.Text(node.text), state)

    def link(self, node: t.Link, state: tuple) -> str:
        inner = self._children(node.children, state)
        return f'<a href={quoteattr(node.url)} color="{self.link_colour}">{inner}</a>'

    def citation(self, node: t.Citation, state: tuple) -> str:
        inner = self._children(node.children, state)
        if not node.target:
            return inner
        return f'<a href={quoteattr("#" + node.target)} color="{self.link_colour}">{inner}</a>'

    def content_field(self, node: t.Field, state: tuple) -> str:
        return self._children(node.children, state)

    def footnote(self, node: t.Footnote, state: tuple) -> str:
        note_style = self.style("Footnote Text")
        self.notes.append(self.markup(node.children, note_style))
        number = len(self.notes)
        return (f'<a name="fnref-{number}"/><a href="#fn-{number}" '
                f'color="{self.link_colour}"><super>{number}</super></a>')

    def line_break(self, node: t.LineBreak, state: tuple) -> str:
        return "<br/>"

    # -- blocks --------------------------------------------------------------

    def para(self, children: tuple[t.Inline, ...], style_name: str, anchor: str = "",
             **kwargs) -> Paragraph:
        style = self.style(style_name)
        target = f'<a name="{escape(anchor)}"/>' if anchor else ""
        return _Paragraph(target + self.markup(children, style), style, **kwargs)

    def heading(self, node: t.Heading) -> list[Flowable]:
        flowable = self.para(node.children, node.style_name, node.anchor)
        key = node.anchor or f"h{id(node)}"
        flowable._outline = (f"ol-{key}", t.plain_text(node.children), node.level - 1)
        return [flowable]

    def paragraph(self, node: t.Paragraph) -> list[Flowable]:
        return [self.para(node.children, node.style, node.anchor)]

    def list(self, node: t.ListBlock) -> list[Flowable]:
        items = [ListItem(self.para(item, node.style)) for item in node.items]
        kind = "1" if node.ordered else "bullet"
        style = self.style(node.style)
        return [ListFlowable(items, bulletType=kind, start="1" if node.ordered else None,
                             leftIndent=14, bulletFontName=style.fontName,
                             bulletFontSize=style.fontSize * 0.8)]

    def table(self, node: t.Table) -> list[Flowable]:
        rows = [[self.para(cell.children, cell.style) for cell in row] for row in node.rows]
        total = sum(node.widths) or len(rows[0])
        widths = ([self.width * w / total for w in node.widths] if node.widths else None)
        palette = self.layout.layout.colours
        table = Table(rows, colWidths=widths, repeatRows=node.header_rows, hAlign="LEFT",
                      splitInRow=1)
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(palette.table_rule)),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if node.header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, node.header_rows - 1),
                             colors.HexColor(palette.table_header)))
        table.setStyle(self.table_style(commands))
        return [table]

    def box(self, node: t.Box) -> list[Flowable]:
        spec = self.layout.box(node.style)
        background, border = spec.background, spec.border
        border_width, padding = spec.border_width, spec.padding
        inner: list[Flowable] = []
        for child in node.children:
            inner.extend(self.blocks[type(child)](child))
        table = Table([[inner]], colWidths=[self.width])
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background)),
            ("LINEBEFORE", (0, 0), (0, -1), border_width * 3, colors.HexColor(border)),
            ("BOX", (0, 0), (-1, -1), border_width / 2, colors.HexColor(border)),
            *[(side, (0, 0), (-1, -1), padding) for side in
              ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")],
        ]))
        return [Spacer(1, 6), table, Spacer(1, 6)]

    def key_judgment(self, node: t.KeyJudgment) -> list[Flowable]:
        text = self.para(node.children, node.style, node.anchor, bulletText=f"{node.number}.")
        text._outline = (f"ol-{node.anchor or node.number}",
                         f"{node.number}. {t.plain_text(node.children)}"[:120], 1)
        meta = self.para((t.Text(t.judgment_meta(node)),), "Judgment Meta")
        scale = _Scale(node.likelihood_range, node.confidence, self.layout.layout.colours)
        indent = self.style(node.style).leftIndent
        row = Table([[scale, meta]], colWidths=[scale.width + 6, self.width - scale.width - 6
                                                - indent], hAlign="LEFT")
        row.setStyle(self.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        wrapped = Table([[row]], colWidths=[self.width], hAlign="LEFT")
        wrapped.setStyle(self.table_style([("LEFTPADDING", (0, 0), (-1, -1), indent),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                     ("TOPPADDING", (0, 0), (-1, -1), 0),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        parts: list[Flowable] = [text, wrapped]
        if node.basis:
            label = t.Strong((t.Text(self.layout.layout.labels.basis),))
            parts.append(self.para((label, *node.basis), "Basis"))
        return [KeepTogether(parts)] if len(parts) > 1 else parts

    def page_break(self, node: t.PageBreak) -> list[Flowable]:
        return [RLPageBreak()]

    def endnotes(self) -> list[Flowable]:
        if not self.notes:
            return []
        heading = self.heading(t.Heading(1, (t.Text(self.layout.layout.labels.notes),), "notes"))
        style = self.style("Footnote Text")
        notes = [_Paragraph(f'<a name="fn-{n}"/>{note}', style, bulletText=f"{n}.")
                 for n, note in enumerate(self.notes, start=1)]
        return [*heading, *notes]

    # -- document ------------------------------------------------------------

    def render(self, document: t.Document) -> bytes:
        page = self.layout.layout.page
        size = A4 if page.size == "A4" else LETTER
        buffer = io.BytesIO()
        meta = document.meta
        doc = _Doc(
            buffer, pagesize=size, leftMargin=page.margin_left * mm,
            rightMargin=page.margin_right * mm, topMargin=page.margin_top * mm,
            bottomMargin=page.margin_bottom * mm, title=meta.title,
            author=", ".join(meta.authors), subject=meta.subject,
            keywords=", ".join(meta.keywords), creator=f"briefing {__version__}",
            producer=f"briefing {__version__}", lang=meta.language, invariant=1,
            displayDocTitle=1, initialFontName=self.style("Body").fontName,
        )
        self.width = doc.width
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        decorate = _Decorator(self, document, size)
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
        self.notes = []
        story: list[Flowable] = []
        for block in document.blocks:
            story.extend(self.blocks[type(block)](block))
        story.extend(self.endnotes())
        footer = self.style("Footer")
        canvas_class = type("BriefCanvas", (_CountingCanvas,), {
            "count_font": (footer.fontName, footer.fontSize),
            "count_colour": footer.textColor,
            "stamp": _date_parts(document.meta.date)})
        try:
            doc.build(story, canvasmaker=canvas_class)
        except LayoutError as exc:
            raise PageLimitError(f"content does not fit the page: {str(exc)[:200]}") from None
        limit = self.layout.layout.max_pages
        if limit is not None and doc.page > limit:
            raise PageLimitError(f"layout '{self.layout.layout.name}' allows {limit} "
                                 f"page(s); the brief needs {doc.page}")
        return buffer.getvalue()


class _Scale(Flowable):
    """Seven ICD 203 likelihood bands and three confidence levels, as small bars."""

    BANDS, SEGMENT, GAP, HEIGHT = 7, 9.0, 1.5, 5.0

    def __init__(self, likelihood_range: tuple[int, int] | None, confidence: str,
                 palette: Colours):
        super().__init__()
        self.on = colors.HexColor(palette.scale_on)
        self.off = colors.HexColor(palette.scale_off)
        self.range = likelihood_range
        self.confidence = confidence
        self.width = (self.BANDS + 3) * (self.SEGMENT + self.GAP) + 6
        self.height = self.HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        from briefing.model.vocab import LIKELIHOOD_BANDS

        canvas = self.canv
        x = 0.0
        bands = list(LIKELIHOOD_BANDS.values())
        for _, _, low, high in bands:
            on = self.range is not None and (low, high) == tuple(self.range)
            canvas.setFillColor(self.on if on else self.off)
            canvas.rect(x, 0, self.SEGMENT, self.HEIGHT, stroke=0, fill=1)
            x += self.SEGMENT + self.GAP
        x += 6
        level = ("low", "moderate", "high").index(self.confidence) \
            if self.confidence in ("low", "moderate", "high") else -1
        for i in range(3):
            canvas.setFillColor(self.on if i <= level else self.off)
            canvas.rect(x, 0, self.SEGMENT, self.HEIGHT, stroke=0, fill=1)
            x += self.SEGMENT + self.GAP


class _Decorator:
    """Draws the marking banners, running header and page numbers on a page."""

    def __init__(self, renderer: PdfRenderer, document: t.Document, size: tuple):
        self.renderer = renderer
        self.document = document
        self.size = size

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        number = canvas.getPageNumber()
        width, height = self.size
        layout = self.renderer.layout.layout
        marking = self.document.marking
        banner_font = self.renderer.fonts.families[layout.marking.font].font(bold=True)
        band = layout.marking.height * mm
        canvas.saveState()
        for y in (height - band - 5 * mm, 5 * mm):
            label_width = canvas.stringWidth(marking.label, banner_font, layout.marking.size)
            box = label_width + 12
            canvas.setFillColor(colors.HexColor(marking.background))
            canvas.rect((width - box) / 2, y, box, band, stroke=0, fill=1)
            canvas.setFillColor(colors.HexColor(marking.foreground))
            canvas.setFont(banner_font, layout.marking.size)
            canvas.drawCentredString(width / 2, y + (band - layout.marking.size * 0.7) / 2,
                                     marking.label)
        header = self.renderer.style("Header")
        footer = self.renderer.style("Footer")
        page = layout.page
        canvas.setFillColor(header.textColor)
        canvas.setFont(header.fontName, header.fontSize)
        top = height - page.margin_top * mm + 6 * mm
        canvas.drawString(page.margin_left * mm, top,
                          placeholders.render(self.document.meta.header, number))
        canvas.setFont(footer.fontName, footer.fontSize)
        canvas.setFillColor(footer.textColor)
        bottom = page.margin_bottom * mm - 9 * mm
        meta = self.document.meta
        footer_pattern = placeholders.fill(layout.footer, meta.pattern_values())
        parts = placeholders.pieces(footer_pattern)
        total = next((i for i, part in enumerate(parts)
                      if part == placeholders.Field("pages")), None)
        has_total = total is not None
        text = "".join(part if isinstance(part, str) else str(number)
                       for part in parts[:total])
        reserve = canvas.stringWidth(text + "999", footer.fontName, footer.fontSize)
        x = width - page.margin_right * mm - reserve
        canvas.drawString(x, bottom, text)
        if has_total:
            canvas.translate(x + canvas.stringWidth(text, footer.fontName, footer.fontSize),
                             bottom)
            canvas.doForm(PAGE_COUNT_FORM)
        canvas.restoreState()


def _date_parts(iso: str) -> tuple[int, int, int] | None:
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return None
    return year, month, day


def render_pdf(document: t.Document, layout: LoadedLayout) -> bytes:
    """The PDF of `document` in `layout`, as bytes."""
    return PdfRenderer(layout).render(document)
