"""Numbered and bulleted lists: Word numbering definitions (w:abstractNum and w:num),
one per list look, a fresh count for each ordered list and one count for every key
judgment, and a paragraph put in a list.

`Numbering` is the part of the DOCX renderer that keeps the lists it has made.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .elements import element, put
from .runs import set_fonts

LIST_INDENT = 14.0


class Numbering:
    """The renderer's lists (needs `layout`, `doc`, `lists` and `family_name`)."""

    def numbering(self, ordered: bool, style: str) -> int:
        """The w:numId of a new list in `style`: a fresh count if `ordered`, else the one
        bullet list of that look."""
        values = self.layout.style(style)
        family = self.family_name(values.get("font") or self.layout.style("Body")["font"])
        key = (ordered, family, values.get("size", 10))
        numbering = self.doc.part.numbering_part.element
        if key not in self.lists:
            self.lists[key] = abstract_list(numbering, ordered, family, LIST_INDENT,
                                            key[2] * (1 if ordered else 0.8))
        if ordered:
            return list_instance(numbering, self.lists[key], restart=True)
        bullets = ("bullets", *key)
        if bullets not in self.lists:
            self.lists[bullets] = list_instance(numbering, self.lists[key], restart=False)
        return self.lists[bullets]

    def judgment_numbering(self, style: str) -> int:
        """One decimal list for every key judgment, hung as the layout's style hangs."""
        key = ("judgments", style)
        if key not in self.lists:
            values = self.layout.style(style)
            family = self.family_name(values.get("font") or self.layout.style("Body")["font"])
            hang = -values.get("first_line_indent", 0) or LIST_INDENT
            numbering = self.doc.part.numbering_part.element
            abstract = abstract_list(numbering, True, family, hang, values.get("size", 10),
                                     left=values.get("indent_left", hang))
            self.lists[key] = list_instance(numbering, abstract, restart=False)
        return self.lists[key]


def _next_id(root: BaseOxmlElement, tag: str, attr: str) -> int:
    used = [int(e.get(qn(attr))) for e in root.findall(qn(tag))]
    return max(used, default=0) + 1


def abstract_list(numbering: BaseOxmlElement, ordered: bool, font: str, indent: float,
                  size: float, left: float | None = None) -> int:
    """A one-level bullet or decimal list definition; its w:abstractNumId.

    The label hangs `indent` points left of the text, which starts at `left`."""
    number = _next_id(numbering, "w:abstractNum", "w:abstractNumId") + 100
    definition = element("w:abstractNum", w_abstractNumId=str(number))
    definition.append(element("w:multiLevelType", w_val="singleLevel"))
    level = element("w:lvl", w_ilvl="0")
    level.append(element("w:start", w_val="1"))
    level.append(element("w:numFmt", w_val="decimal" if ordered else "bullet"))
    level.append(element("w:lvlText", w_val="%1." if ordered else "•"))
    level.append(element("w:lvlJc", w_val="left"))
    ppr = element("w:pPr")
    twips = str(round(indent * 20))
    start = str(round((indent if left is None else left) * 20))
    ppr.append(element("w:ind", w_left=start, w_hanging=twips))
    level.append(ppr)
    rpr = element("w:rPr")
    set_fonts(rpr, font, None)
    rpr.append(element("w:sz", w_val=str(round(size * 2))))
    level.append(rpr)
    definition.append(level)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(definition)
    else:
        numbering.append(definition)
    return number


def list_instance(numbering: BaseOxmlElement, abstract: int, restart: bool) -> int:
    """A w:num over `abstract` (restarting at 1 if asked); its w:numId."""
    number = _next_id(numbering, "w:num", "w:numId")
    num = element("w:num", w_numId=str(number))
    num.append(element("w:abstractNumId", w_val=str(abstract)))
    if restart:
        override = element("w:lvlOverride", w_ilvl="0")
        override.append(element("w:startOverride", w_val="1"))
        num.append(override)
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))  # must stay last
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)
    return number


def number_paragraph(ppr: BaseOxmlElement, num_id: int) -> None:
    numpr = element("w:numPr")
    numpr.append(element("w:ilvl", w_val="0"))
    numpr.append(element("w:numId", w_val=str(num_id)))
    put(ppr, numpr)
