"""The looks of tables and their cells: shading, borders and padding of a cell, header
rows repeated on each page, and which parts of the table style apply (w:tblLook).
The table style itself is made in styles.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from .elements import border, element, put, shading


def cell_look(cell: BaseOxmlElement, fill: str | None, borders: dict[str, tuple[str, float]],
              padding: float | None = None) -> None:
    """Shading, borders and padding (points) of one w:tc."""
    tcpr = cell.get_or_add_tcPr()
    if borders:
        lines = element("w:tcBorders")
        for side in ("top", "left", "bottom", "right"):
            if side in borders:
                lines.append(border(side, *borders[side]))
        put(tcpr, lines)
    if fill:
        put(tcpr, shading(fill))
    if padding is not None:
        margins = element("w:tcMar")
        for side in ("top", "left", "bottom", "right"):
            margins.append(element(f"w:{side}", w_w=str(round(padding * 20)), w_type="dxa"))
        put(tcpr, margins)


def repeat_header(row: BaseOxmlElement) -> None:
    """Mark a w:tr as a header row repeated at the top of each page."""
    trpr = row.get_or_add_trPr()
    for old in [*trpr.findall(qn("w:cantSplit")), *trpr.findall(qn("w:tblHeader"))]:
        trpr.remove(old)
    trpr.append(element("w:cantSplit"))  # schema order: cantSplit, trHeight, tblHeader
    trpr.append(element("w:tblHeader"))


def table_look(table: BaseOxmlElement, header: bool) -> None:
    """w:tblLook: which conditional parts of the table style apply."""
    tblpr = table.tblPr
    look = element("w:tblLook", w_val="0420" if header else "0400",
                   w_firstRow="1" if header else "0", w_lastRow="0", w_firstColumn="0",
                   w_lastColumn="0", w_noHBand="1", w_noVBand="1")
    put(tblpr, look)
