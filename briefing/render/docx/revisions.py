"""Tracked changes (the redline): runs put inside w:ins or w:del, and a part's changes
completed (deleted text, paragraph marks and table rows) before it is saved.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .elements import element, put

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
            put(ppr, rpr)
        rpr.insert(0, revision(kind, number, author, date))
        number += 1
    for row in root.iter(qn("w:tr")):
        kinds = {marked.get(p) for p in row.iter(qn("w:p"))}
        if len(kinds) == 1 and None not in kinds:
            row.get_or_add_trPr().append(revision(kinds.pop(), number, author, date))
            number += 1
    return number
