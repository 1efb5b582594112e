"""Word styles: every style a layout names, made a real Word style, applied by id, and
kept once made.

`StyleSheet` (the part of the DOCX renderer that defines styles) makes each layout
style ("Key Judgment", "Evidence", …) a Word style; headings restyle Word's
built-in "Heading 1–3" so the navigation pane and the table of contents work, and
the note, link and contents styles take Word's built-in names and ids. With a
reference.docx, its styles (matched by name in any case, or by style id) win and
the layout only fills what it lacks.

Defining a layout's thirty-odd styles through python-docx costs about 25 ms of every
DOCX render, yet what it makes, the styles part's XML, depends only on the layout,
the family names of its fonts and the languages. So a render takes the styles made
before for the same inputs (`made_before`, `keep`, `adopt`): the XML, parsed as the
root of the styles part of python-docx's template (5 ms), and which Word style each
layout style became. Only an optimisation: the XML is the same either way, so the
DOCX is the same bytes. A layout with a reference.docx defines its styles each time
(its styles part is the reference's own).
"""

from __future__ import annotations

import json
import re

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import BaseStyle, StyleFactory
from lxml import etree

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.recent import Recent
from briefing.load.layout import STYLE_NAMES

from .elements import border, child_of, element, put, shading
from .runs import W_B, W_I, W_P, W_RPR, W_VAL, set_fonts, set_lang

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
# Word's own names and ids for built-in styles python-docx's template lacks, so
# Word and LibreOffice take them for their footnote, link and TOC styles.
BUILT_IN = {"Footnote Text": ("footnote text", "FootnoteText"),
            "Footnote Reference": ("footnote reference", "FootnoteReference"),
            "Hyperlink": ("Hyperlink", "Hyperlink"),
            **{f"TOC {n}": (f"toc {n}", f"TOC{n}") for n in (1, 2, 3)}}
KIND_NAMES = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character",
              WD_STYLE_TYPE.TABLE: "table", WD_STYLE_TYPE.LIST: "numbering"}


class StyleSheet:
    """The renderer's Word styles (needs `layout`, `doc`, `reference`, the languages,
    `east_asia` and `family_name`; keeps `_styles`, `_index`, `_defining`, `_looks`,
    `_by_id`, and `restyled`: whether a style was made or changed since it was last
    set False)."""

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
            for node in self.doc.styles.element.findall(W_STYLE):  # as _indexed, from XML
                style, name = StyleFactory(node), node.find(W_NAME)  # python-docx's
                kind = node.get(W_TYPE)  # style.name only capitalises a few (BabelFish)
                by_name.setdefault((name.get(W_VAL) or "").lower() if name is not None
                                   else "", style)
                by_id.setdefault((WD_STYLE_TYPE.from_xml(kind) if kind else
                                  WD_STYLE_TYPE.PARAGRAPH,
                                  (node.get(W_STYLE_ID) or "").lower()), style)
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
        self.restyled = True
        if style is None:
            word_name, style_id = BUILT_IN.get(name, (name, ""))
            style = self.doc.styles.add_style(word_name, kind)
            if style_id:
                style.style_id = style_id
                mark_built_in(style.element)
            self._indexed(style)
        reset_style(style.element)
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
                outline_level(style.element.get_or_add_pPr(), int(level[1]) - 1)
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
        """(bold, italic) of Word style `name`, following its based-on chain (read from
        the XML: python-docx looks each based-on style up with an XPath query)."""
        if name not in self._looks:
            node: BaseOxmlElement | None = self.style(name).element
            by_id = self._styles_by_id()
            bold = italic = None
            for _ in range(32):  # a reference's based-on chain may loop
                if node is None:
                    break
                properties = node.find(W_RPR)
                if properties is not None:
                    bold = _switch(properties, W_B) if bold is None else bold
                    italic = _switch(properties, W_I) if italic is None else italic
                based = node.find(W_BASED_ON)
                node = by_id.get(based.get(W_VAL)) if based is not None else None
            self._looks[name] = (bool(bold), bool(italic))
        return self._looks[name]

    def _styles_by_id(self) -> dict[str, BaseOxmlElement]:
        """Each style element by its id, the first of an id winning (as python-docx
        finds them), made again when a style is added."""
        root = self.doc.styles.element
        if self._by_id is None or self._by_id[0] != len(root):
            self._by_id = (len(root), {style.get(W_STYLE_ID): style
                                       for style in reversed(root.findall(W_STYLE))})
        return self._by_id[1]

    def _style_font(self, style: BaseStyle, values: dict) -> None:
        font = style.font
        font.size = Pt(values.get("size", 10))
        font.bold = values.get("bold", False)
        font.italic = values.get("italic", False)
        font.color.rgb = rgb(values.get("colour", "#000000"))
        family = values.get("font") or self.layout.style("Body")["font"]
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, self.family_name(family), self.east_asia)
        set_lang(rpr, self.lang, self.east_asia_lang)

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
            shade_paragraph(ppr, values["background"])
        if values.get("border"):
            border_paragraph(ppr, values["border"])

    def define_styles(self) -> None:
        """Every layout style, Normal as Body, the TOC, link and note-mark styles
        (with a reference.docx, only those it lacks); taken from an earlier render's
        when the inputs are the same (`made_before`)."""
        key = None if self.reference else styles_key(
            repr(self.layout.layout), self.lang, repr(self.east_asia), repr(self.east_asia_lang),
            *(f"{family}={self.family_name(family)}" for family in self.layout.layout.fonts))
        made = made_before(key) if key else None
        if made is not None:
            self._styles = adopt(self.doc.part.part_related_by(RT.STYLES), *made)
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
            doc_defaults(self.doc.styles.element, self.family_name(body["font"]),
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
            style.font.color.rgb = rgb(colour)
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
            self.restyled = True
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
            self._indexed(style)
            style.base_style = self.find_style("Normal Table", WD_STYLE_TYPE.TABLE)
            colours = self.layout.layout.colours
            table_style_definition(style.element, colours.table_rule, colours.table_header,
                                   (3, 6))
        return style


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def apply_style(element: BaseOxmlElement, style_id: str) -> None:
    """Give a w:p, w:r or w:tbl its style by id (python-docx's setter rescans every
    style to find the default on each call, which dominates long documents). A
    paragraph's w:pStyle is written directly: it is the first child of w:pPr, itself
    the first child of w:p, where python-docx's setters put them after searching for
    each of the thirty elements that may follow."""
    if element.tag == W_P:
        properties = element.pPr
        if properties is None:
            properties = OxmlElement("w:pPr")
            element.insert(0, properties)
        style = properties.pStyle
        if style is None:
            style = OxmlElement("w:pStyle")
            properties.insert(0, style)
        style.set(W_VAL, style_id)
    elif element.tag == qn("w:tbl"):
        element.tblStyle_val = style_id
    else:
        element.style = style_id


def reset_style(style: BaseOxmlElement) -> None:
    """Drop a style's paragraph and run properties so the layout defines them all."""
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"):
        for old in style.findall(qn(tag)):
            style.remove(old)
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)


def mark_built_in(style: BaseOxmlElement) -> None:
    """Drop w:customStyle, so Word takes the style for its built-in of that name."""
    style.attrib.pop(qn("w:customStyle"), None)


def outline_level(ppr: BaseOxmlElement, level: int) -> None:
    """w:outlineLvl, which puts a heading in the navigation pane and the TOC."""
    put(ppr, element("w:outlineLvl", w_val=str(level)))


def doc_defaults(styles: BaseOxmlElement, latin: str, east_asia: str | None, lang: str,
                 east_asia_lang: str | None) -> None:
    """Default run fonts and language for the whole document."""
    defaults = child_of(styles, "w:docDefaults", first=True)
    rpr_default = child_of(defaults, "w:rPrDefault", first=True)
    rpr = child_of(rpr_default, "w:rPr")
    set_fonts(rpr, latin, east_asia)
    set_lang(rpr, lang, east_asia_lang)


def shade_paragraph(ppr: BaseOxmlElement, fill: str) -> None:
    put(ppr, shading(fill))


def border_paragraph(ppr: BaseOxmlElement, colour: str, points: float = 0.5) -> None:
    box = element("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        box.append(border(side, colour, points))
    put(ppr, box)


def table_style_definition(style: BaseOxmlElement, rule: str, header_fill: str,
                           padding: tuple[float, float]) -> None:
    """A table style: a hairline under every row, cell padding, a shaded first row."""
    tblpr = element("w:tblPr")
    lines = element("w:tblBorders")
    lines.append(border("bottom", rule, 0.4))
    lines.append(border("insideH", rule, 0.4))
    tblpr.append(lines)
    margins = element("w:tblCellMar")
    vertical, horizontal = padding
    for side, value in (("top", vertical), ("left", horizontal), ("bottom", vertical),
                        ("right", horizontal)):
        margins.append(element(f"w:{side}", w_w=str(round(value * 20)), w_type="dxa"))
    tblpr.append(margins)
    style.append(tblpr)
    first = element("w:tblStylePr", w_type="firstRow")
    first.append(element("w:tblPr"))
    trpr = element("w:trPr")
    trpr.append(element("w:tblHeader"))
    first.append(trpr)
    tcpr = element("w:tcPr")
    tcpr.append(shading(header_fill))
    first.append(tcpr)
    style.append(first)


def _switch(properties: BaseOxmlElement, tag: str) -> bool | None:
    """A w:b or w:i of a w:rPr as python-docx reads it: None when absent."""
    node = properties.find(tag)
    return None if node is None else node.val


# ---- styles made before --------------------------------------------------------

KIND = "docx-styles"
KEPT = 16  # payloads (about 0.4 MB each) a process keeps: a layout and language each
_MADE = Recent(KEPT)  # this process's payloads, by disk cache key
W_STYLE, W_TYPE, W_STYLE_ID = qn("w:style"), qn("w:type"), qn("w:styleId")
W_BASED_ON, W_NAME = qn("w:basedOn"), qn("w:name")


def styles_key(*inputs: str) -> str:
    """The key of the styles made from `inputs` (the layout and languages, as text)
    by this code and this python-docx."""
    return digests.code_key(KIND, docx.__version__, *inputs)


def made_before(key: str) -> tuple[bytes, dict[str, tuple[WD_STYLE_TYPE, str]]] | None:
    """The styles part's XML and each layout style's (type, Word style id), or None."""
    payload = _MADE.get(key) or disk.get(KIND, key)
    if payload is None:
        return None
    head, _, xml = payload.partition(b"\n")
    try:
        names = {name: (WD_STYLE_TYPE(kind), style_id)
                 for name, (kind, style_id) in json.loads(head).items()}
    except (ValueError, TypeError):
        return None
    _MADE.put(key, payload)
    return xml, names


def keep(key: str, styles: etree._Element, names: dict[str, tuple[WD_STYLE_TYPE, str]]) -> None:
    """Remember the styles part's XML and the Word style of each layout style."""
    head = json.dumps({name: [int(kind), style_id] for name, (kind, style_id)
                       in names.items()}, sort_keys=True).encode()
    payload = head + b"\n" + etree.tostring(styles)
    _MADE.put(key, payload)
    disk.put(KIND, key, payload)


def adopt(part: XmlPart, xml: bytes,
          names: dict[str, tuple[WD_STYLE_TYPE, str]]) -> dict[str, BaseStyle]:
    """Make the styles part `part` hold the styles of `xml` (made before) instead of its
    own; the Word style each layout style of `names` is, found by type and id as
    `StyleSheet.find_style` finds them (the first of a type and id wins)."""
    root = part._element = parse_xml(xml)  # python-docx keeps a part's root here
    found: dict[tuple[str, str], etree._Element] = {}
    for node in root.iterchildren(W_STYLE):
        found.setdefault((node.get(W_TYPE, "paragraph"),
                          (node.get(W_STYLE_ID) or "").lower()), node)
    return {name: StyleFactory(found[(kind.xml_value, style_id.lower())])
            for name, (kind, style_id) in names.items()}
