"""Word's complex fields: the begin, instruction, separate and end marks of a field
(PAGE and NUMPAGES in the footer, the contents list's TOC), each in a run of its own.
"""

from __future__ import annotations

from docx.oxml.xmlchemy import BaseOxmlElement

from .elements import XML_SPACE, element

# The field each {name} of a header or footer pattern becomes.
FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


def field_char(run: BaseOxmlElement, kind: str) -> None:
    """Turn an empty w:r into a fldChar of `kind` (begin, separate, end)."""
    run.append(element("w:fldChar", w_fldCharType=kind))


def field_code(run: BaseOxmlElement, text: str) -> None:
    """Put a field's instruction (`PAGE`, a TOC's switches) in an empty w:r."""
    code = element("w:instrText")
    code.set(XML_SPACE, "preserve")
    code.text = f" {text} "
    run.append(code)
