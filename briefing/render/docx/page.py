"""The page: its size and margins, and what every page shows around the text: the
marking banners, the running header and `Page N of M`.

`PageFurniture` is the part of the DOCX renderer that sets the section up and
writes its headers and footers. With a reference.docx, its page setup and its
non-empty headers and footers win; the banner is added wherever they lack the
marking.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer, _Header
from docx.shared import Emu, Mm, Pt
from docx.text.paragraph import Paragraph

from briefing.compose import tree as t
from briefing.load.layout_ranges import BANNER_OFFSET_MM, PAGE_SIZES_MM
from briefing.model import placeholders

from .fields import FIELDS
from .runs import set_fonts, shade_run
from .styles import apply_style, rgb

PAGE_SIZES = PAGE_SIZES_MM
HEADER_DISTANCE = BANNER_OFFSET_MM  # from the page edge to the marking banner, as in the PDF
MM_PER_PT = 25.4 / 72


class PageFurniture:
    """The renderer's page setup, headers and footers (needs `layout`, `doc`,
    `reference`, `style`, `runs`, `run`, `field`, `styled` and `family_name`; keeps
    `_text_width`)."""

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

    def text_width(self) -> float:
        """Width between the margins, in millimetres (the reference's, if it sets them);
        worked out once, after the page is set up."""
        if self._text_width is None:
            self._text_width = self._width_between_margins()
        return self._text_width

    def _width_between_margins(self) -> float:
        page = self.layout.layout.page
        section = self.doc.sections[0]
        width = section.page_width or Mm(PAGE_SIZES[page.size][0])
        left = Mm(page.margin_left) if section.left_margin is None else section.left_margin
        right = Mm(page.margin_right) if section.right_margin is None else section.right_margin
        return Emu(width - left - right).mm

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
                and has_content(story._element))

    def _ensure_marking(self, story: _Header | _Footer, marking: t.Marking,
                        first: bool) -> None:
        """Add a banner (at the top if `first`) unless `story` already shows the label."""
        if marking.label in story_text(story._element):
            return
        paragraph = story.add_paragraph()
        if first:
            move_first(story._element, paragraph._p)
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
        apply_style(number._p, self.style("Footer").style_id)
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
        apply_style(paragraph._p, self.style("Marking").style_id)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = self.run(self.runs(paragraph, "Marking"), f"\u00a0\u00a0{marking.label}\u00a0\u00a0")
        run.bold = True
        run.font.size = Pt(spec.size)
        run.font.color.rgb = rgb(marking.foreground)
        rpr = run._r.get_or_add_rPr()
        set_fonts(rpr, self.family_name(spec.font), self.east_asia)
        shade_run(rpr, marking.background)

    def pattern(self, paragraph: Paragraph, text: str, meta: t.Metadata, style: str) -> None:
        """Text with {page} and {pages} as PAGE / NUMPAGES fields, other names filled in."""
        ctx = self.runs(paragraph, style)
        for piece in placeholders.pieces(placeholders.fill(text, meta.pattern_values())):
            if isinstance(piece, placeholders.Field):
                self.field(ctx, FIELDS[piece.name], "1")
            else:
                self.run(ctx, piece)


def has_content(story: BaseOxmlElement) -> bool:
    """Whether a header or footer shows anything: text, a picture or a field."""
    return bool(story_text(story).strip()) or any(
        story.find(f".//{qn(tag)}") is not None
        for tag in ("w:drawing", "w:pict", "w:object", "w:fldSimple", "w:instrText"))


def story_text(story: BaseOxmlElement) -> str:
    """All the text of a header, footer or other story, text boxes included."""
    return "".join(t.text or "" for t in story.iter(qn("w:t")))


def move_first(story: BaseOxmlElement, child: BaseOxmlElement) -> None:
    """Make `child` the first block of a header or footer."""
    story.insert(0, child)
