"""Headings nested in sections: each heading and what follows it, up to the next heading
of its level or above, becomes a `Sect` in the PDF's structure tree.

Typst 0.15 tags headings as `H1`…`H6` but leaves them flat under `Document`, so an
assistive technology that navigates by section (or a checker that follows the PDF/UA
guidance on grouping) sees one long run of siblings. Only structure elements move;
the marked content and the parent tree that points at them stay as they are.
"""

from __future__ import annotations

import io
import re

import pikepdf

HEADING = re.compile(r"^/H([1-6])$")


def nest_sections(pdf_bytes: bytes) -> bytes:
    """The PDF with the children of its `Document` element grouped into nested `Sect`s."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        document = _document(root) if root is not None else None
        if document is None or not _can_nest(document):
            return pdf_bytes
        document.K = _grouped(pdf, document)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def _document(root: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    """The `Document` element at the top of the structure tree, if there is one."""
    kids = root.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    found = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Document"]
    return found[0] if len(found) == 1 and isinstance(found[0].get("/K"), pikepdf.Array) else None


def _level(kid) -> int:
    """The heading level of a structure element (0 if it is not a heading)."""
    if isinstance(kid, pikepdf.Dictionary):
        match = HEADING.match(str(kid.get("/S", "")))
        if match:
            return int(match.group(1))
    return 0


def _can_nest(document: pikepdf.Dictionary) -> bool:
    """There is a heading, and every kid is a structure element: marked content held by
    `Document` itself would need its parent-tree entry moved too, so it is left alone."""
    kids = list(document.K)
    return (any(_level(kid) for kid in kids)
            and all(isinstance(kid, pikepdf.Dictionary) and "/S" in kid for kid in kids))


def _grouped(pdf: pikepdf.Pdf, document: pikepdf.Dictionary) -> pikepdf.Array:
    """The document's kids, each heading opening a `Sect` that holds what follows it."""
    top = pikepdf.Array()
    stack: list[tuple[int, pikepdf.Dictionary | None, pikepdf.Array]] = [(0, None, top)]
    for kid in list(document.K):
        level = _level(kid)
        if level:
            while stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] or document
            section = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Sect, P=parent,
                K=pikepdf.Array()))
            stack[-1][2].append(section)
            stack.append((level, section, section.K))
        kid.P = stack[-1][1] or document
        stack[-1][2].append(kid)
    return top


