"""Bookmarks and hyperlinks: Word-safe bookmark names, a paragraph bookmarked, links to
a bookmark in the document or to a web address.
"""

from __future__ import annotations

import hashlib
import re

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .elements import element

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


def bookmark_paragraph(paragraph: BaseOxmlElement, name: str, number: int) -> None:
    """Wrap the content of a w:p in a bookmark called `name`."""
    start = element("w:bookmarkStart", w_id=str(number), w_name=name)
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(element("w:bookmarkEnd", w_id=str(number)))


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
