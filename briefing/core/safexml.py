"""XML from outside (a reference_docx's parts, a CSL file) read without DTDs or entities.

lxml's default parser would expand entities, and an external entity can read
any file; python-docx does not expand them but passes a DOCTYPE on to the
DOCX it writes, which Word then refuses to open. So a part that declares a
DTD is refused before anything else reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                       dtd_validation=False, huge_tree=False, remove_comments=False)


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, expands no entity and fetches nothing."""
    from lxml import etree

    return etree.XMLParser(**_PARSER_OPTIONS)


def dtd_problem(data: bytes) -> str | None:
    """Why `data` may not be read (it declares a DTD or an entity), or None.

    Malformed XML is not judged here: the reader that needs the XML says so.
    """
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:2]
    ascii_like = start[:1] == b"<" and start[1:2] not in (b"\x00", b"")
    if ascii_like and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
        return None  # the usual case, decided without parsing (nor importing lxml)
    from lxml import etree

    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError:
        return ("declares a DTD or entities (<!DOCTYPE …>), which are not allowed"
                if b"<!DOCTYPE" in data or b"<!ENTITY" in data else None)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return "declares a DTD or entities (<!DOCTYPE …>), which are not allowed"
    return None
