"""Making WordprocessingML elements python-docx has no API for, and putting them where
the schema wants them.

`element` makes a `w:` element with its attributes and `child_of` finds or makes a
child; `put` places a property (of a w:pPr, w:rPr or w:tcPr) in schema order,
replacing one of its kind, and `put_setting` and `put_head_setting` do the same for
w:settings. Shading and border lines are shared by styles, runs and table cells.
The modules beside this one each build the XML of one concern from these.
"""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new `w:` element; attribute names use `_` for `:` (w_val → w:val). The same
    element as python-docx's OxmlElement makes, without working out its namespaces
    again for each of the tens of thousands a long brief has."""
    clark, namespaces = _tag(tag)
    node = oxml_parser.makeelement(clark, nsmap=namespaces)
    for name, value in attrs.items():
        node.set(_attribute(name), value)
    return node


@cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


@cache
def _attribute(name: str) -> str:
    return qn(name.replace("_", ":", 1))


def child_of(parent: BaseOxmlElement, tag: str, first: bool = False) -> BaseOxmlElement:
    """The child `tag` of `parent`, created (at the start if `first`) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = element(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _qualified(tags: str) -> tuple[str, ...]:
    return tuple(qn(f"w:{tag}") for tag in tags.split())


# Schema order of the children of w:pPr, w:rPr and w:tcPr.
PPR_ORDER = _qualified(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange")
RPR_ORDER = _qualified(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath")
TCPR_ORDER = _qualified(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark")
ORDERS = {qn("w:pPr"): PPR_ORDER, qn("w:rPr"): RPR_ORDER, qn("w:tcPr"): TCPR_ORDER}


def put(parent: BaseOxmlElement, new: BaseOxmlElement) -> None:
    """Put `new` in `parent` (replacing a child of the same tag) in schema order."""
    old = parent.find(new.tag)
    if old is not None:
        parent.replace(old, new)
        return
    order = ORDERS.get(parent.tag)
    if order and new.tag in order:
        later = order[order.index(new.tag) + 1:]
        for child in parent:
            if child.tag in later:
                child.addprevious(new)
                return
    parent.append(new)


def shading(fill: str) -> BaseOxmlElement:
    return element("w:shd", w_val="clear", w_color="auto", w_fill=fill.lstrip("#").upper())


def border(side: str, colour: str, points: float) -> BaseOxmlElement:
    """One border line; w:sz is in eighths of a point."""
    return element(f"w:{side}", w_val="single", w_sz=str(max(2, round(points * 8))),
                   w_space="0", w_color=colour.lstrip("#").upper())


# ---- settings -----------------------------------------------------------------

# The head of CT_Settings' child sequence, up to the font-embedding switches.
SETTINGS_HEAD = tuple(qn(tag) for tag in (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts",
))
# The tail of CT_Settings' child sequence, from w:updateFields onwards.
SETTINGS_ORDER = tuple(qn(tag) for tag in (
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
))


def put_head_setting(settings: BaseOxmlElement, new: BaseOxmlElement) -> None:
    """Put a setting of the head of CT_Settings (zoom … saveSubsetFonts) in order."""
    old = settings.find(new.tag)
    if old is not None:
        settings.replace(old, new)
        return
    earlier = SETTINGS_HEAD[:SETTINGS_HEAD.index(new.tag)]
    previous = [child for child in settings if child.tag in earlier]
    if previous:
        previous[-1].addnext(new)
    else:
        settings.insert(0, new)


def put_setting(settings: BaseOxmlElement, new: BaseOxmlElement) -> None:
    old = settings.find(new.tag)
    if old is not None:
        settings.replace(old, new)
        return
    later = SETTINGS_ORDER[SETTINGS_ORDER.index(new.tag) + 1:]
    for child in settings:
        if child.tag in later:
            child.addprevious(new)
            return
    settings.append(new)
