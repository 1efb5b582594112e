"""The package: the parts of an unsaved python-docx package as files, zipped the same way
every time (entry order, timestamps, attributes), with a custom XML part added when
asked; and the parts read or freed in place once the document is done.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

from docx.opc.packuri import PACKAGE_URI
from docx.opc.part import Part, XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefing.core.recent import Recent

# The zip format (APPNOTE.TXT 4.3): a local header before each part, the central
# directory after them, and its end record; as zipfile writes them.
LOCAL_ENTRY, CENTRAL_ENTRY, END_RECORD = "<4s2B4HL2L2H", "<4s4B4HL2L5H2L", "<4s4H2LH"
ZIP_VERSION, ZIP_DEFLATED = 20, 8  # version 2.0 (deflate) made on and needed, MS-DOS
DOS_TIME, DOS_DATE = 0, (1 << 5) | 1  # 1980-01-01 00:00:00, the earliest a zip can say
FILE_ATTRIBUTES = 0o644 << 16
CUSTOM_XML_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                  "customXml")
CUSTOM_PROPS_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "customXmlProps")
CUSTOM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def part_root(part: Part) -> BaseOxmlElement:
    """The XML of a part, whether python-docx loaded it as XML or as a blob."""
    return part.element if isinstance(part, XmlPart) else parse_xml(part.blob)


def store(part: Part, root) -> None:
    """Write `root` back into a blob part (an XmlPart serialises its element itself)."""
    if not isinstance(part, XmlPart):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


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


def package_files(package, saved: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The files python-docx's save puts in the package's zip, by name, unzipped:
    [Content_Types].xml, the relationships items and every part (or its bytes in
    `saved`, serialised already). Saving to a zip that `zip_package` unpacks again
    would compress and inflate every part once more."""
    saved = saved or {}
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    files = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob,
             PACKAGE_URI.rels_uri.membername: package.rels.xml}
    for part in parts:
        name = part.partname.membername
        files[name] = saved[name] if name in saved else part.blob
        if len(part.rels):
            files[part.partname.rels_uri.membername] = part.rels.xml
    return files


def zip_package(files: dict[str, bytes]) -> bytes:
    """The package of `files` with a fixed entry order, timestamps and attributes."""
    return _zip_parts(list(files), files.__getitem__)


def _zip_parts(names: list[str], read: Callable[[str], bytes]) -> bytes:
    """A package of the parts `names` (their bytes from `read`, one at a time) with a
    fixed entry order, timestamps and attributes: the bytes zipfile writes for them
    (deflated at level 6, MS-DOS attributes, rw-r--r--), each part deflated once per
    process (`deflated`): a rebuild changes few of them."""
    out, central = io.BytesIO(), []
    for name in sorted(names, key=lambda n: (n != "[Content_Types].xml",
                                             n != "_rels/.rels", n)):
        data = read(name)
        crc, packed = deflated(data)
        encoded = name.encode("ascii")  # part names are ASCII (OPC, RFC 3986)
        facts = (ZIP_VERSION, 0, 0, ZIP_DEFLATED, DOS_TIME, DOS_DATE, crc, len(packed),
                 len(data), len(encoded), 0)
        central.append(struct.pack(CENTRAL_ENTRY, b"PK\x01\x02", ZIP_VERSION, 0, *facts,
                                   0, 0, 0, FILE_ATTRIBUTES, out.tell()) + encoded)
        out.write(struct.pack(LOCAL_ENTRY, b"PK\x03\x04", *facts))
        out.write(encoded)
        out.write(packed)
    start = out.tell()
    out.writelines(central)
    out.write(struct.pack(END_RECORD, b"PK\x05\x06", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


# The deflated parts this process has zipped: (CRC-32, size) → (part, deflated part);
# parts up to DEFLATED_PART bytes (a long brief's body is not kept), DEFLATED_KEPT of them.
DEFLATED_KEPT, DEFLATED_PART = 32, 512 * 1024
_DEFLATED = Recent(DEFLATED_KEPT)


def deflated(data: bytes) -> tuple[int, bytes]:
    """The CRC-32 of `data` and `data` deflated as zipfile deflates it (level 6, raw),
    the same part deflated once per process: a warm rebuild leaves styles, fonts,
    numbering and theme as they were, and deflating them is a tenth of a render."""
    crc = zlib.crc32(data)
    kept = _DEFLATED.get((crc, len(data)))
    if kept is not None and kept[0] == data:
        return crc, kept[1]
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    if len(data) <= DEFLATED_PART:
        _DEFLATED.put((crc, len(data)), (data, packed))
    return crc, packed


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
