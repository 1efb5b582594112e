"""Raw WordprocessingML that python-docx has no API for, kept in one place.

Footnotes (part, separators, references), bookmarks and their Word-safe
names, internal and external hyperlinks, complex fields, fonts with an East
Asian face, language tags, shading and borders, numbering definitions,
table-header rows, settings, what a reference.docx keeps (its body
emptied, its footnotes part re-used, its headers tested for content), and the
package hygiene Word expects (compatibility mode, zoom, theme, app.xml, the font
table with its embedded fonts).
Everything else in the DOCX renderer goes through python-docx's public API.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.opc.part import Part, XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart

ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The tail of CT_Settings' child sequence, from w:updateFields onwards.
SETTINGS_ORDER = tuple(qn(tag) for tag in (
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures",
    "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
    "w:listSeparator",
))


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """A new `w:` element; attribute names use `_` for `:` (w_val → w:val)."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(name.replace("_", ":", 1)), value)
    return node


def _child(parent: BaseOxmlElement, tag: str, first: bool = False) -> BaseOxmlElement:
    """The child `tag` of `parent`, created (at the start if `first`) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
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


def _replace(parent: BaseOxmlElement, new: BaseOxmlElement) -> None:
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


# ---- fonts, language, styles -------------------------------------------------


def set_fonts(rpr: BaseOxmlElement, latin: str, east_asia: str | None) -> None:
    """w:rFonts with explicit faces (theme fonts removed, which would win)."""
    fonts = element("w:rFonts", w_ascii=latin, w_hAnsi=latin, w_cs=latin)
    if east_asia:
        fonts.set(qn("w:eastAsia"), east_asia)
    _replace(rpr, fonts)


def set_lang(rpr: BaseOxmlElement, lang: str, east_asia: str | None) -> None:
    """w:lang, the language spell-checkers and hyphenation use."""
    tag = element("w:lang", w_val=lang)
    if east_asia:
        tag.set(qn("w:eastAsia"), east_asia)
    _replace(rpr, tag)


W_P, W_R, W_RPR, W_RSTYLE, W_B, W_I, W_LANG, W_T, W_TAB, W_BR, W_VAL, W_EAST_ASIA = (
    qn(f"w:{name}") for name in ("p", "r", "rPr", "rStyle", "b", "i", "lang", "t", "tab",
                                 "br", "val", "eastAsia"))
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RUN_BREAKS = re.compile(r"(\t|[\r\n])")


def append_run(parent: BaseOxmlElement, text: str, style_id: str | None, bold: bool | None,
               italic: bool | None, lang: str, east_asia: str | None) -> BaseOxmlElement:
    """A run at the end of `parent` (a w:p or w:hyperlink), built in one go as python-docx
    would make it through `add_run(text)`, the run's style, `bold` and `italic` setters
    (None: not set) and `set_lang`: a tab becomes w:tab, a line break w:br, and a
    w:t whose text starts or ends in white space keeps it (xml:space)."""
    run = etree.SubElement(parent, W_R)
    properties = etree.SubElement(run, W_RPR)
    if style_id is not None:
        etree.SubElement(properties, W_RSTYLE).set(W_VAL, style_id)
    for tag, value in ((W_B, bold), (W_I, italic)):
        if value is not None:
            switch = etree.SubElement(properties, tag)
            if not value:
                switch.set(W_VAL, "0")
    language = etree.SubElement(properties, W_LANG)
    language.set(W_VAL, lang)
    if east_asia:
        language.set(W_EAST_ASIA, east_asia)
    for piece in RUN_BREAKS.split(text) if text else ():
        if piece == "\t":
            etree.SubElement(run, W_TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(run, W_BR)
        elif piece:
            node = etree.SubElement(run, W_T)
            node.text = piece
            if len(piece.strip()) < len(piece):
                node.set(XML_SPACE, "preserve")
    return run


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
    _replace(ppr, element("w:outlineLvl", w_val=str(level)))


def doc_defaults(styles: BaseOxmlElement, latin: str, east_asia: str | None, lang: str,
                 east_asia_lang: str | None) -> None:
    """Default run fonts and language for the whole document."""
    defaults = _child(styles, "w:docDefaults", first=True)
    rpr_default = _child(defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    set_fonts(rpr, latin, east_asia)
    set_lang(rpr, lang, east_asia_lang)


# ---- shading and borders -----------------------------------------------------


def shading(fill: str) -> BaseOxmlElement:
    return element("w:shd", w_val="clear", w_color="auto", w_fill=fill.lstrip("#").upper())


def shade_run(rpr: BaseOxmlElement, fill: str) -> None:
    _replace(rpr, shading(fill))


def shade_paragraph(ppr: BaseOxmlElement, fill: str) -> None:
    _replace(ppr, shading(fill))


def border(side: str, colour: str, points: float) -> BaseOxmlElement:
    """One border line; w:sz is in eighths of a point."""
    return element(f"w:{side}", w_val="single", w_sz=str(max(2, round(points * 8))),
                   w_space="0", w_color=colour.lstrip("#").upper())


def border_paragraph(ppr: BaseOxmlElement, colour: str, points: float = 0.5) -> None:
    box = element("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        box.append(border(side, colour, points))
    _replace(ppr, box)


def cell_look(cell: BaseOxmlElement, fill: str | None, borders: dict[str, tuple[str, float]],
              padding: float | None = None) -> None:
    """Shading, borders and padding (points) of one w:tc."""
    tcpr = cell.get_or_add_tcPr()
    if borders:
        lines = element("w:tcBorders")
        for side in ("top", "left", "bottom", "right"):
            if side in borders:
                lines.append(border(side, *borders[side]))
        _replace(tcpr, lines)
    if fill:
        _replace(tcpr, shading(fill))
    if padding is not None:
        margins = element("w:tcMar")
        for side in ("top", "left", "bottom", "right"):
            margins.append(element(f"w:{side}", w_w=str(round(padding * 20)), w_type="dxa"))
        _replace(tcpr, margins)


def repeat_header(row: BaseOxmlElement) -> None:
    """Mark a w:tr as a header row repeated at the top of each page."""
    trpr = row.get_or_add_trPr()
    for old in [*trpr.findall(qn("w:cantSplit")), *trpr.findall(qn("w:tblHeader"))]:
        trpr.remove(old)
    trpr.append(element("w:cantSplit"))  # schema order: cantSplit, trHeight, tblHeader
    trpr.append(element("w:tblHeader"))


def table_style(style: BaseOxmlElement, rule: str, header_fill: str,
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


def table_look(table: BaseOxmlElement, header: bool) -> None:
    """w:tblLook: which conditional parts of the table style apply."""
    tblpr = table.tblPr
    look = element("w:tblLook", w_val="0420" if header else "0400",
                   w_firstRow="1" if header else "0", w_lastRow="0", w_firstColumn="0",
                   w_lastColumn="0", w_noHBand="1", w_noVBand="1")
    _replace(tblpr, look)


# ---- bookmarks, hyperlinks, fields --------------------------------------------


BOOKMARK_MAX = 40  # Word's limit on a bookmark name


def bookmark_name(anchor: str, hashed: bool = False) -> str:
    """A name Word accepts for a bookmark on `anchor`: a letter first, then letters,
    digits and `_`, at most 40 characters. Long names (or any, if `hashed`) end in
    8 hex digits of the anchor's sha1, so different anchors keep different names."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not re.match(r"[A-Za-z]", name):
        name = f"b_{name}"
    if hashed or len(name) > BOOKMARK_MAX:
        name = f"{name[:31]}_{hashlib.sha1(anchor.encode()).hexdigest()[:8]}"
    return name


def bookmark(paragraph: BaseOxmlElement, name: str, number: int) -> None:
    """Wrap the content of a w:p in a bookmark called `name`."""
    start = element("w:bookmarkStart", w_id=str(number), w_name=name)
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(element("w:bookmarkEnd", w_id=str(number)))


def soft_hyphens(run: BaseOxmlElement) -> None:
    """Turn each U+00AD in a run's text into Word's optional hyphen (w:softHyphen),
    invisible unless a line breaks there, as in the PDF."""
    for text in list(run.iter(qn("w:t"))):
        pieces = (text.text or "").split("\u00ad")
        if len(pieces) == 1:
            continue
        text.text = pieces[0]
        anchor = text
        for piece in pieces[1:]:
            hyphen = element("w:softHyphen")
            anchor.addnext(hyphen)
            anchor = hyphen
            if piece:
                more = element("w:t")
                more.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                more.text = piece
                anchor.addnext(more)
                anchor = more


def bookmark_start(name: str, number: int) -> BaseOxmlElement:
    return element("w:bookmarkStart", w_id=str(number), w_name=name)


def bookmark_end(number: int) -> BaseOxmlElement:
    return element("w:bookmarkEnd", w_id=str(number))


def runs_between(start: BaseOxmlElement, end: BaseOxmlElement) -> list[BaseOxmlElement]:
    """The w:r elements after `start` and before `end` in document order."""
    runs = []
    for node in start.itersiblings():
        if node is end:
            break
        runs.extend(node.iter(qn("w:r")))
    return runs


def internal_link(anchor: str) -> BaseOxmlElement:
    """A w:hyperlink to a bookmark in the document."""
    return element("w:hyperlink", w_anchor=anchor, w_history="1")


def external_link(part: Part, url: str) -> BaseOxmlElement:
    """A w:hyperlink to `url`, through an external relationship of `part`."""
    rel_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return element("w:hyperlink", r_id=rel_id, w_history="1")


def field_char(run: BaseOxmlElement, kind: str) -> None:
    """Turn an empty w:r into a fldChar of `kind` (begin, separate, end)."""
    run.append(element("w:fldChar", w_fldCharType=kind))


def instruction(run: BaseOxmlElement, text: str) -> None:
    code = element("w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = f" {text} "
    run.append(code)


# ---- footnotes ----------------------------------------------------------------


def _separator_note(kind: str, number: int, mark: str) -> BaseOxmlElement:
    note = element("w:footnote", w_type=kind, w_id=str(number))
    para = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:spacing", w_after="0", w_line="240", w_lineRule="auto"))
    para.append(ppr)
    run = element("w:r")
    run.append(element(mark))
    para.append(run)
    note.append(para)
    return note


def footnotes_part(document_part: Part) -> StoryPart:
    """A new word/footnotes.xml with separators, related from the document part.

    A story part, so its paragraphs find the document's styles by name.
    """
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
    root.append(_separator_note("separator", -1, "w:separator"))
    root.append(_separator_note("continuationSeparator", 0, "w:continuationSeparator"))
    part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root,
                     document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


def reuse_footnotes(document_part: Part) -> StoryPart | None:
    """The document's own word/footnotes.xml (a reference.docx's), remade as a story
    part that keeps only the separator notes; None when the document has none."""
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        old = rel.target_part
        root = old.element if isinstance(old, XmlPart) else parse_xml(old.blob)
        for note in root.findall(qn("w:footnote")):
            if note.get(qn("w:type"), "normal") == "normal":
                root.remove(note)
        del document_part.rels[rel_id]
        part = StoryPart(old.partname, old.content_type, root, document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        return part
    return None


def last_footnote_id(part: XmlPart) -> int:
    """The highest w:id among the notes already in a footnotes part (at least 0)."""
    ids = [int(n.get(qn("w:id"), "0")) for n in part.element.findall(qn("w:footnote"))]
    return max([0, *ids])


def new_footnote(part: XmlPart, number: int, style_id: str,
                 mark_style_id: str) -> BaseOxmlElement:
    """Append footnote `number`; return its w:p, which starts with the note's mark."""
    note = element("w:footnote", w_id=str(number))
    para = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:pStyle", w_val=style_id))
    para.append(ppr)
    run = element("w:r")
    rpr = element("w:rPr")
    rpr.append(element("w:rStyle", w_val=mark_style_id))
    run.append(rpr)
    run.append(element("w:footnoteRef"))
    para.append(run)
    space = element("w:r")
    text = element("w:t")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = " "
    space.append(text)
    para.append(space)
    note.append(para)
    part.element.append(note)
    return para


def footnote_reference(run: BaseOxmlElement, number: int) -> None:
    """Make a w:r the in-text mark of footnote `number`."""
    run.append(element("w:footnoteReference", w_id=str(number)))


# ---- numbering ----------------------------------------------------------------


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
    _replace(ppr, numpr)


# ---- settings and package -----------------------------------------------------


def _insert_setting(settings: BaseOxmlElement, new: BaseOxmlElement) -> None:
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


def footnote_separators(settings: BaseOxmlElement, notes: XmlPart) -> None:
    """Name the separator footnotes in settings, as Word itself does (a reference's
    own w:footnotePr, with its numbering format, is left as it is)."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    properties = element("w:footnotePr")
    for note in notes.element.findall(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            properties.append(element("w:footnote", w_id=note.get(qn("w:id"))))
    _insert_setting(settings, properties)


def clear_body(body: BaseOxmlElement) -> None:
    """Remove a document's content, keeping its final section properties."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


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


def drop_thumbnail(package) -> None:
    """Remove the template's preview picture, which shows another document."""
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def package_files(package) -> dict[str, bytes]:
    """The files python-docx's save puts in the package's zip, by name, unzipped:
    [Content_Types].xml, the relationships items and every part. Saving to a zip
    that `zip_package` unpacks again would compress and inflate every part once more."""
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    files = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob,
             PACKAGE_URI.rels_uri.membername: package.rels.xml}
    for part in parts:
        files[part.partname.membername] = part.blob
        if len(part.rels):
            files[part.partname.rels_uri.membername] = part.rels.xml
    return files


def zip_package(files: dict[str, bytes]) -> bytes:
    """The package of `files` with a fixed entry order, timestamps and attributes."""
    return _zip_parts(list(files), files.__getitem__)


def _zip_parts(names: list[str], read: Callable[[str], bytes]) -> bytes:
    """A package of the parts `names` (their bytes from `read`, one at a time) with a
    fixed entry order, timestamps and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(names, key=lambda n: (n != "[Content_Types].xml",
                                                 n != "_rels/.rels", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, read(name), compresslevel=6)
    return out.getvalue()


CUSTOM_XML_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                  "customXml")
CUSTOM_PROPS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "customXmlProps")
CUSTOM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def add_custom_xml(files: dict[str, bytes], xml: bytes, schema: str, item_id: str) -> bytes:
    """The package of `files` with one more custom XML part (item, its properties and
    the relationship from the document), as Word stores data it does not show; written
    as `zip_package` writes a package."""
    names = list(files)
    number = 1
    while f"customXml/item{number}.xml" in names:
        number += 1
    item, props = f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml"
    changed: dict[str, bytes] = {item: xml}
    changed[props] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{item_id}}}" xmlns:ds="http://schemas.openxmlformats'
        '.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        f'<ds:schemaRef ds:uri="{schema}"/></ds:schemaRefs></ds:datastoreItem>').encode()
    changed[f"customXml/_rels/item{number}.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
        'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{CUSTOM_PROPS_REL}" Target="itemProps{number}.xml"/></Relationships>').encode()
    types = etree.fromstring(files["[Content_Types].xml"])
    override = types.makeelement(
        "{http://schemas.openxmlformats.org/package/2006/content-types}Override",
        {"PartName": f"/{props}", "ContentType": CUSTOM_PROPS_TYPE})
    types.append(override)
    changed["[Content_Types].xml"] = _serialise(types)
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    taken = {rel.get("Id") for rel in rels}
    rel_id = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    rels.append(rels.makeelement(
        "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
        {"Id": rel_id, "Type": CUSTOM_XML_REL, "Target": f"../{item}"}))
    changed["word/_rels/document.xml.rels"] = _serialise(rels)
    return _zip_parts([*dict.fromkeys([*names, *changed])],
                      lambda name: changed[name] if name in changed else files[name])


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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


# ---- Word hygiene: settings, theme, properties and fonts Word expects ------------

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FONT_ATTRIBUTES = tuple(qn(f"w:{name}") for name in ("ascii", "hAnsi", "cs", "eastAsia"))
THEME_ATTRIBUTES = tuple(qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "cstheme",
                                                        "eastAsiaTheme"))
# The head of CT_Settings' child sequence, up to the font-embedding switches.
SETTINGS_HEAD = tuple(qn(tag) for tag in (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts",
))
# Parts whose runs name fonts and show text.
STORY_TYPES = (CT.WML_DOCUMENT_MAIN, CT.WML_STYLES, CT.WML_NUMBERING, CT.WML_HEADER,
               CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES, CT.WML_COMMENTS)


def _part_root(part: Part) -> BaseOxmlElement:
    """The XML of a part, whether python-docx loaded it as XML or as a blob."""
    return part.element if isinstance(part, XmlPart) else parse_xml(part.blob)


def saved_parts(package, parse: Callable[[bytes], etree._Element]
                ) -> Callable[[str], etree._Element | None]:
    """The parts of an unsaved package by their names in the file it saves to
    ("word/document.xml", "word/_rels/document.xml.rels"), as reading that file gives
    them: an XML part's own tree (not a copy), any other part and a relationships
    item parsed by `parse`; None for a part the file lacks."""
    parts = {str(part.partname): part for part in package.iter_parts()}

    def part(name: str) -> etree._Element | None:
        folder, _, item = name.rpartition("/")
        if folder.rpartition("/")[2] == "_rels" and item.endswith(".rels"):
            owner = parts.get(f"/{folder[:-len('_rels')]}{item[:-len('.rels')]}")
            return parse(owner.rels.xml) if owner is not None and len(owner.rels) else None
        found = parts.get(f"/{name}")
        if found is None:
            return None
        return found.element if isinstance(found, XmlPart) else parse(found.blob)

    return part


def release_parts(package) -> None:
    """Free the XML trees of a package that has been saved. Its parts and their
    package refer to each other, so without this the trees (30 MiB of body for a long
    brief) would wait for Python's cycle collector, however long that takes."""
    for part in package.iter_parts():
        if isinstance(part, XmlPart):
            root = part.element
            for child in root:  # grandchildren first: lxml frees a subtree at once only
                del child[:]  # when no Python object refers into it (w:body has one)
            del root[:]


def _store(part: Part, root) -> None:
    """Write `root` back into a blob part (an XmlPart serialises its element itself)."""
    if not isinstance(part, XmlPart):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def drop_styles_with_effects(document_part: Part) -> None:
    """Drop the template's Word 2010 stylesWithEffects.xml, stale beside our styles."""
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document_part.rels[rel_id]


def compatibility_mode(settings: BaseOxmlElement, mode: int = 15) -> None:
    """Lay the document out as Word `mode` does (15: Word 2013 and later)."""
    compat = _child(settings, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    compat.append(element("w:compatSetting", w_name="compatibilityMode",
                          w_uri="http://schemas.microsoft.com/office/word", w_val=str(mode)))


def _insert_head_setting(settings: BaseOxmlElement, new: BaseOxmlElement) -> None:
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


def zoom(settings: BaseOxmlElement, percent: int = 100) -> None:
    """w:zoom with the w:percent the schema requires."""
    _insert_head_setting(settings, element("w:zoom", w_percent=str(percent)))


def drop_proof_state(settings: BaseOxmlElement) -> None:
    """Drop the template's claim that spelling and grammar were checked and clean, so
    Word proofs this document's own text."""
    for old in settings.findall(qn("w:proofState")):
        settings.remove(old)


def embed_fonts(settings: BaseOxmlElement) -> None:
    """Tell Word the file carries its TrueType fonts, as subsets."""
    _insert_head_setting(settings, element("w:embedTrueTypeFonts"))
    _insert_head_setting(settings, element("w:saveSubsetFonts"))


def theme_font_lang(settings: BaseOxmlElement, lang: str, east_asia: str | None) -> None:
    """The languages theme fonts are chosen for: the brief's, not the template's ja-JP."""
    tag = element("w:themeFontLang", w_val=lang)
    if east_asia:
        tag.set(qn("w:eastAsia"), east_asia)
    _insert_setting(settings, tag)


def theme_fonts(theme: Part, major: str, minor: str, east_asia: str | None,
                script: str | None) -> None:
    """The theme's heading (major) and body (minor) fonts become the layout's; the
    template's per-script defaults (MS Mincho for Japanese …) go, but for the East
    Asian script the layout has a face for (`script`, e.g. Hang)."""
    root = etree.fromstring(theme.blob)
    for tag, latin in (("majorFont", major), ("minorFont", minor)):
        for fonts in root.iter(f"{{{DRAWING_NS}}}{tag}"):
            fonts.find(f"{{{DRAWING_NS}}}latin").set("typeface", latin)
            fonts.find(f"{{{DRAWING_NS}}}ea").set("typeface", east_asia or "")
            for old in fonts.findall(f"{{{DRAWING_NS}}}font"):
                fonts.remove(old)
            if east_asia and script:
                extra = etree.SubElement(fonts, f"{{{DRAWING_NS}}}font")
                extra.set("script", script)
                extra.set("typeface", east_asia)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)


def story_parts(package) -> list[Part]:
    """The document's parts that hold runs (body, styles, notes, headers …), in order."""
    return sorted((p for p in package.iter_parts() if p.content_type in STORY_TYPES),
                  key=lambda p: str(p.partname))


def used_fonts(package, theme_faces: tuple[str, ...]) -> list[str]:
    """Every font a run, style or list label names, and the theme's faces if any run
    takes its font from the theme; in order of first use."""
    names: dict[str, None] = {}
    themed = False
    for part in story_parts(package):
        for fonts in _part_root(part).iter(qn("w:rFonts")):
            names.update((fonts.get(a), None) for a in FONT_ATTRIBUTES if fonts.get(a))
            themed = themed or any(fonts.get(a) for a in THEME_ATTRIBUTES)
    if themed:
        names.update((face, None) for face in theme_faces if face)
    return list(names)


def used_characters(package) -> frozenset[str]:
    """Every character the document shows: text, field results, list labels."""
    chars: set[str] = set()
    for part in story_parts(package):
        root = _part_root(part)
        for text in root.iter(qn("w:t")):
            chars.update(text.text or "")
        for label in root.iter(qn("w:lvlText")):
            chars.update(label.get(qn("w:val"), ""))
    return frozenset(chars)


def font_table(document_part: Part, fonts: list[tuple[str, object, list]]) -> None:
    """List each (name, facts, faces) in word/fontTable.xml, replacing the template's
    entries for fonts the document does not use; each embedded face becomes an
    obfuscated font part (word/fonts/fontN.odttf) named by r:id and w:fontKey."""
    try:
        part = document_part.part_related_by(RT.FONT_TABLE)
    except KeyError:  # a reference.docx from a tool that writes none
        part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE,
                    f"<w:fonts {nsdecls('w', 'r')}/>".encode(), document_part.package)
        document_part.relate_to(part, RT.FONT_TABLE)
    root = _part_root(part)
    existing = {f.get(qn("w:name")): f for f in root.findall(qn("w:font"))}
    for node in list(root):
        root.remove(node)
    number = 0
    for name, facts, faces in fonts:
        entry = existing.get(name) if facts is None else None
        if entry is None:
            entry = element("w:font", w_name=name)
            if facts is not None:
                _font_facts(entry, facts)
        for face in faces:
            number += 1
            font_part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT,
                             face.data, document_part.package)
            rel_id = part.relate_to(font_part, RT.FONT)
            entry.append(element(f"w:{face.element}", r_id=rel_id, w_fontKey=face.key,
                                 w_subsetted="1"))
        root.append(entry)
    _store(part, root)


def _font_facts(entry: BaseOxmlElement, facts) -> None:
    entry.append(element("w:panose1", w_val=facts.panose))
    entry.append(element("w:charset", w_val=facts.charset))
    entry.append(element("w:family", w_val=facts.family))
    entry.append(element("w:pitch", w_val="variable"))
    usb0, usb1, usb2, usb3 = facts.usb
    csb0, csb1 = facts.csb
    entry.append(element("w:sig", w_usb0=usb0, w_usb1=usb1, w_usb2=usb2, w_usb3=usb3,
                         w_csb0=csb0, w_csb1=csb1))


def body_counts(body: BaseOxmlElement) -> dict[str, int]:
    """Word's statistics of the body: words, characters (without and with spaces),
    and paragraphs that hold text."""
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    texts = [text for text in texts if text.strip()]
    joined = "\n".join(texts)
    return {"Words": sum(len(text.split()) for text in texts),
            "Characters": sum(1 for c in joined if not c.isspace()),
            "CharactersWithSpaces": sum(len(text) for text in texts),
            "Paragraphs": len(texts)}


def app_properties(package, application: str, title: str, counts: dict[str, int]) -> None:
    """docProps/app.xml of this document: the application that made it, its title
    and its counts (the template's claims Word 2010 for Mac and zero words)."""
    try:
        part = package.part_related_by(RT.EXTENDED_PROPERTIES)
    except KeyError:  # a reference.docx without docProps/app.xml
        part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, b"", package)
        package.relate_to(part, RT.EXTENDED_PROPERTIES)
    root = etree.Element(f"{{{EXTENDED_NS}}}Properties", nsmap={None: EXTENDED_NS,
                                                                "vt": VT_NS})

    def add(tag: str, text: str) -> etree._Element:
        node = etree.SubElement(root, f"{{{EXTENDED_NS}}}{tag}")
        node.text = text
        return node

    add("Application", application)
    add("DocSecurity", "0")
    add("ScaleCrop", "false")
    for name, value in counts.items():
        add(name, str(value))
    pairs = add("HeadingPairs", None)
    vector = etree.SubElement(pairs, f"{{{VT_NS}}}vector", size="2", baseType="variant")
    etree.SubElement(etree.SubElement(vector, f"{{{VT_NS}}}variant"),
                     f"{{{VT_NS}}}lpstr").text = "Title"
    etree.SubElement(etree.SubElement(vector, f"{{{VT_NS}}}variant"),
                     f"{{{VT_NS}}}i4").text = "1"
    parts = add("TitlesOfParts", None)
    titles = etree.SubElement(parts, f"{{{VT_NS}}}vector", size="1", baseType="lpstr")
    etree.SubElement(titles, f"{{{VT_NS}}}lpstr").text = title
    add("LinksUpToDate", "false")
    add("SharedDoc", "false")
    add("HyperlinksChanged", "false")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                standalone=True)


# ---- tracked changes (the redline) --------------------------------------------

REVISIONS = (qn("w:ins"), qn("w:del"))


def revision(kind: str, number: int, author: str, date: str) -> BaseOxmlElement:
    """A w:ins or w:del mark (`kind` 'ins' or 'del') by `author` on `date`."""
    return element(f"w:{kind}", w_id=str(number), w_author=author, w_date=date)


def track_run(run: BaseOxmlElement, kind: str, number: int, author: str, date: str) -> bool:
    """Put a w:r inside a w:ins or w:del: the one just before it when that is the same
    kind of change (False: no new mark was made), else a new one numbered `number`."""
    before = run.getprevious()
    tag = qn(f"w:{kind}")
    if before is not None and before.tag == tag and before.get(qn("w:author")) == author:
        before.append(run)
        return False
    mark = revision(kind, number, author, date)
    run.addprevious(mark)
    mark.append(run)
    return True


def _revision_of(run: BaseOxmlElement, stop: BaseOxmlElement) -> str | None:
    """'ins' or 'del' when a w:r lies inside such a mark (below `stop`), else None."""
    node = run.getparent()
    while node is not None and node is not stop:
        if node.tag in REVISIONS:
            return node.tag.rsplit("}", 1)[1]
        node = node.getparent()
    return None


def _whole(paragraph: BaseOxmlElement) -> str | None:
    """The change every run of a w:p is part of, when they all are of one kind."""
    kinds = {_revision_of(r, paragraph) for r in paragraph.iter(qn("w:r"))}
    return kinds.pop() if len(kinds) == 1 else None


def finish_revisions(root: BaseOxmlElement, first: int, author: str, date: str) -> int:
    """Complete the tracked changes of one part: deleted text as w:delText (and field
    codes as w:delInstrText); a paragraph whose every run is inserted (deleted) gets an
    inserted (deleted) paragraph mark, and a table row whose every paragraph does,
    an inserted (deleted) row. Returns the next free revision number."""
    number = first
    for mark in root.iter(qn("w:del")):
        for text in mark.iter(qn("w:t"), qn("w:instrText")):
            text.tag = qn("w:delText") if text.tag == qn("w:t") else qn("w:delInstrText")
    marked: dict = {}
    for paragraph in root.iter(qn("w:p")):
        kind = _whole(paragraph)
        if kind is None:
            continue
        marked[paragraph] = kind
        ppr = paragraph.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = element("w:rPr")
            _replace(ppr, rpr)
        rpr.insert(0, revision(kind, number, author, date))
        number += 1
    for row in root.iter(qn("w:tr")):
        kinds = {marked.get(p) for p in row.iter(qn("w:p"))}
        if len(kinds) == 1 and None not in kinds:
            row.get_or_add_trPr().append(revision(kinds.pop(), number, author, date))
            number += 1
    return number
