"""Tagged PDF (PDF/UA-1) through Typst: one function per node kind, like pdf.py.

The document tree and the layout's tokens become plain data (JSON) that a fixed
Typst program, `brief.typ`, reads with `json()` from `sys.inputs` and draws. Content
is never written into Typst source: a string in the data is shown as text, so `#`,
`$`, `<`, `@`, `]`, backslashes or `#import` in a brief cannot become markup or code.
Typst tags the PDF (headings, lists, tables with header cells, notes, figures with
alternative text), sets page footnotes, writes bookmarks from headings and marks the
banners, running header and page numbers as artifacts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from briefing.compose import tree as t
from briefing.load.layout import LoadedLayout
from briefing.model import placeholders
from briefing.render.registry import dispatch
from briefing.render.scale import scale_alt, scale_svg
from briefing.render.typst.sections import nest_sections

PROGRAM = Path(__file__).with_name("brief.typ")
PDF_STANDARDS = ["ua-1"]
HANGUL = re.compile(r"[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]+")
CYRILLIC = re.compile(r"[\u0400-\u052F]+")
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # Typst writes no object streams
STYLE_KEYS = ("size", "leading", "colour", "bold", "italic", "align", "space_before",
              "space_after", "indent_left", "indent_right", "first_line_indent",
              "keep_with_next", "background")


class TypstRenderError(ValueError):
    """Typst could not draw the brief (a renderer's refusal, reported as a build failure)."""


class TypstRenderer:
    """Turns a document tree into the data `brief.typ` draws, then compiles it."""

    def __init__(self, layout: LoadedLayout):
        self.layout = layout
        self.families = font_families(layout)
        self.styles: dict[str, dict] = {}
        self.bold = False  # the style of the block whose inlines are being drawn is bold
        self.anchors: set[str] = set()
        self.scripts: dict[str, str] = {}
        self.level = 0  # the level of the last heading drawn
        self.blocks = dispatch(self, t.BLOCK_TYPES)
        self.inlines = dispatch(self, t.INLINE_TYPES)

    # -- styles ----------------------------------------------------------------

    def style(self, name: str) -> str:
        """Record style `name` (fonts with their fallbacks, sizes, colours) and name it."""
        if name not in self.styles:
            values = self.layout.style(name)
            family = values.get("font") or self.layout.style("Body")["font"]
            chain = [family, *(f for f in self.layout.layout.fallback_fonts if f != family)]
            style = {key: values[key] for key in STYLE_KEYS if key in values}
            style["fonts"] = list(dict.fromkeys(self.families[f] for f in chain))
            self.styles[name] = style
        return name

    # -- inlines: a string is text; a dict is any other node ----------------------

    def inline(self, children: tuple[t.Inline, ...]) -> list:
        out: list = []
        for node in children:
            value = self.inlines[type(node)](node)
            out.extend(value if isinstance(value, list) else [value])
        return out

    def text(self, node: t.Text) -> list:
        """Text; a stretch in Cyrillic or Hangul carries its language. Soft hyphens stay,
        links included: Typst breaks a line at one and draws the hyphen."""
        text = node.text
        out: list = []
        at = 0
        for match in sorted([*CYRILLIC.finditer(text), *HANGUL.finditer(text)],
                            key=lambda m: m.start()):
            lang = "ko" if HANGUL.match(match.group()) else self.scripts.get("Cyrl", "")
            if not lang:
                continue
            if match.start() > at:
                out.append(text[at:match.start()])
            out.append({"t": "lang", "lang": lang, "c": [match.group()]})
            at = match.end()
        if at < len(text):
            out.append(text[at:])
        return out

    def emph(self, node: t.Emph) -> dict:
        return {"t": "emph", "c": self.inline(node.children)}

    def strong(self, node: t.Strong) -> dict:
        """Strong; in a bold style it is set in the regular weight ("plain"), as the
        other formats do, so that it stays visible."""
        return {"t": "plain" if self.bold else "strong", "c": self.inline(node.children)}

    def styled_inline(self, children: tuple[t.Inline, ...], style: str) -> list:
        """The inlines of a block in `style` (a name `style()` returned)."""
        outer, self.bold = self.bold, bool(self.styles[style].get("bold"))
        try:
            return self.inline(children)
        finally:
            self.bold = outer

    def code(self, node: t.Code) -> list:
        return self.text(t.Text(node.text))

    def link(self, node: t.Link) -> dict:
        if node.url.startswith("#"):
            return {"t": "ref", "to": node.url[1:], "c": self.inline(node.children)}
        return {"t": "link", "url": node.url, "c": self.inline(node.children)}

    def citation(self, node: t.Citation) -> dict | list:
        if not node.target:
            return self.inline(node.children)
        return {"t": "ref", "to": node.target, "c": self.inline(node.children)}

    def footnote(self, node: t.Footnote) -> dict:
        return {"t": "note", "c": self.inline(node.children)}

    def line_break(self, node: t.LineBreak) -> dict:
        return {"t": "br"}

    def content_field(self, node: t.Field) -> list:
        return self.inline(node.children)

    # -- blocks ------------------------------------------------------------------

    def anchor(self, anchor: str) -> str:
        if anchor:
            self.anchors.add(anchor)
        return anchor

    def heading(self, node: t.Heading) -> dict:
        style = self.style(node.style_name)
        self.level = node.level
        return {"t": "heading", "level": node.level, "style": style,
                "anchor": self.anchor(node.anchor),
                "c": self.styled_inline(node.children, style)}

    def paragraph(self, node: t.Paragraph) -> dict:
        style = self.style(node.style)
        inlines = self.styled_inline(node.children, style)
        return {"t": "par", "style": style, "anchor": self.anchor(node.anchor),
                "lang": node.lang, "c": inlines, "notes": _holds_note(inlines)}

    def list(self, node: t.ListBlock) -> dict:
        style = self.style(node.style)
        return {"t": "list", "ordered": node.ordered, "style": style,
                "items": [self.styled_inline(item, style) for item in node.items]}

    def table(self, node: t.Table) -> dict:
        columns = len(node.rows[0]) if node.rows else 1
        widths = list(node.widths) if node.widths else [1] * columns
        return {"t": "table", "widths": widths, "header_rows": node.header_rows,
                "rows": [[self.cell(cell) for cell in row] for row in node.rows]}

    def cell(self, cell: t.Cell) -> dict:
        style = self.style(cell.style)
        return {"style": style, "c": self.styled_inline(cell.children, style)}

    def box(self, node: t.Box) -> dict:
        spec = self.layout.box(node.style)
        return {"t": "box", "background": spec.background, "border": spec.border,
                "border_width": spec.border_width, "padding": spec.padding,
                "c": [self.blocks[type(child)](child) for child in node.children]}

    def key_judgment(self, node: t.KeyJudgment) -> dict:
        labels = self.layout.layout.labels
        style, meta_style, basis_style = (self.style(node.style), self.style("Judgment Meta"),
                                          self.style("Basis"))
        basis = ([{"t": "strong", "c": [labels.basis]},
                  *self.styled_inline(node.basis, basis_style)] if node.basis else [])
        return {"t": "judgment", "number": node.number, "anchor": self.anchor(node.anchor),
                "level": self.level + 1,
                "style": style, "meta_style": meta_style,
                "basis_style": basis_style, "c": self.styled_inline(node.children, style),
                "meta": t.judgment_meta(node), "basis": basis,
                "bars": scale_svg(node, self.layout.layout.colours),
                "alt": scale_alt(node)}

    def page_break(self, node: t.PageBreak) -> dict:
        return {"t": "pagebreak"}

    # -- document ----------------------------------------------------------------

    def data(self, document: t.Document) -> dict:
        """Everything `brief.typ` draws, as JSON-ready data."""
        meta = document.meta
        self.scripts = dict(meta.script_languages)
        blocks = [self.blocks[type(block)](block) for block in document.blocks]
        layout = self.layout.layout
        for name in ("Body", "Header", "Footer", "Footnote Text"):
            self.style(name)
        language, _, region = meta.language.partition("-")
        banner = self.layout.style("Marking")
        return {
            "meta": {"title": meta.title, "authors": list(meta.authors),
                     "keywords": list(meta.keywords), "subject": meta.subject,
                     "date": _date(meta.date), "lang": language.lower(),
                     "region": region.upper() or None,
                     "header": _pattern(meta.header, meta),
                     "footer": _pattern(layout.footer, meta)},
            "page": {"size": "a4" if layout.page.size == "A4" else "us-letter",
                     "top": layout.page.margin_top, "bottom": layout.page.margin_bottom,
                     "left": layout.page.margin_left, "right": layout.page.margin_right},
            "marking": {"label": document.marking.label,
                        "fg": document.marking.foreground, "bg": document.marking.background,
                        "height": layout.marking.height, "size": layout.marking.size,
                        "font": self.families[layout.marking.font],
                        "bold": banner.get("bold", True)},
            "colours": layout.colours.model_dump(),
            "styles": self.styles,
            "anchors": sorted(self.anchors),
            "blocks": blocks,
        }

    def render(self, document: t.Document) -> bytes:
        data = json.dumps(self.data(document), ensure_ascii=False)
        timestamp = _timestamp(document.meta.date)
        import typst

        try:
            pdf = compiler(font_folders(self.layout)).compile(
                input=PROGRAM.read_bytes(), sys_inputs={"brief": data},
                pdf_standards=PDF_STANDARDS, timestamp=timestamp)
        except typst.TypstError as exc:
            raise TypstRenderError(f"typst: {exc.message}") from None
        assert isinstance(pdf, bytes)
        pdf = nest_sections(pdf)
        limit = self.layout.layout.max_pages
        if limit is not None:
            pages = len(PAGE_OBJECT.findall(pdf))
            if pages > limit:
                raise TypstRenderError(f"layout '{self.layout.layout.name}' allows {limit} "
                                       f"page(s); the brief needs {pages}")
        return pdf


def _holds_note(inlines: list) -> bool:
    """Whether drawn inlines hold a footnote (whose paragraph must not be put in a block)."""
    return any(isinstance(node, dict) and (node["t"] == "note" or _holds_note(node.get("c", [])))
               for node in inlines)


def _pattern(pattern: str, meta: t.Metadata) -> list:
    """A header or footer pattern as parts: strings, and {"t": "page"} / {"t": "pages"}
    counters; {title}, {edition} and {date} filled in, `{{` and `}}` literal braces."""
    return [{"t": piece.name} if isinstance(piece, placeholders.Field) else piece
            for piece in placeholders.pieces(placeholders.fill(pattern,
                                                               meta.pattern_values()))]


def _date(iso: str) -> list[int] | None:
    try:
        return [int(part) for part in iso.split("-")][:3] if iso else None
    except ValueError:
        return None


def _timestamp(iso: str) -> dt.datetime:
    """The PDF's creation date: the brief's date (never the clock), at midnight UTC."""
    parts = _date(iso)
    if parts and len(parts) == 3:
        return dt.datetime(*parts, tzinfo=dt.UTC)
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def font_families(layout: LoadedLayout) -> dict[str, str]:
    """Layout family key (e.g. `serif`) → the family name Typst knows the files by."""
    from fontTools.ttLib import TTFont

    names = {}
    for key, family in layout.layout.fonts.items():
        names[key] = _family_name(layout.font_path(family.regular), TTFont)
    return names


@cache
def _family_name(path: Path, loader) -> str:
    return loader(str(path), lazy=True)["name"].getBestFamilyName()


def font_folders(layout: LoadedLayout) -> tuple[str, ...]:
    """The folders holding the layout's font files (Typst reads whole folders)."""
    folders = {str(layout.font_path(file).parent)
               for family in layout.layout.fonts.values()
               for file in family.files().values()}
    return tuple(sorted(folders))


@cache
def compiler(folders: tuple[str, ...]):
    """One Typst compiler per set of font folders, kept for the process (warm builds);
    system fonts are ignored, so the output is the same on every machine."""
    import typst

    return typst.Compiler(font_paths=list(folders), ignore_system_fonts=True)


def render_typst(document: t.Document, layout: LoadedLayout) -> bytes:
    """The tagged PDF of `document` in `layout`, drawn by Typst, as bytes."""
    return TypstRenderer(layout).render(document)

