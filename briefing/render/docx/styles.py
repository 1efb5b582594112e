"""The Word styles a layout defines, made once and kept (in this process and on disk).

Defining a layout's thirty-odd styles through python-docx costs about 25 ms of every
DOCX render, yet what it makes, the styles part's XML, depends only on the layout,
the family names of its fonts and the languages. So a render takes the styles made
before for the same inputs: the XML, parsed as the root of the styles part of
python-docx's template (5 ms), and which Word style each layout style became. Only an
optimisation: the XML is the same either way, so the DOCX is the same bytes.
A layout with a reference.docx defines its styles each time (its styles part is
the reference's own).
"""

from __future__ import annotations

import json

from lxml import etree

import docx
from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.recent import Recent
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.styles.style import BaseStyle, StyleFactory

KIND = "docx-styles"
KEPT = 16  # payloads (about 0.4 MB each) a process keeps: a layout and language each
_MADE = Recent(KEPT)  # this process's payloads, by disk cache key
W_STYLE, W_TYPE, W_STYLE_ID = qn("w:style"), qn("w:type"), qn("w:styleId")


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
    `DocxRenderer.find_style` finds them (the first of a type and id wins)."""
    root = part._element = parse_xml(xml)  # python-docx keeps a part's root here
    found: dict[tuple[str, str], etree._Element] = {}
    for element in root.iterchildren(W_STYLE):
        found.setdefault((element.get(W_TYPE, "paragraph"),
                          (element.get(W_STYLE_ID) or "").lower()), element)
    return {name: StyleFactory(found[(kind.xml_value, style_id.lower())])
            for name, (kind, style_id) in names.items()}
