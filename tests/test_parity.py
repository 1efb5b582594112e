"""PDF and DOCX say the same thing: the same text blocks, in the same order, with
either PDF engine (ReportLab's text as drawn; Typst's as its structure tree reads)."""

from __future__ import annotations

from pathlib import Path

import pytest
from readback import (
    docx_blocks,
    drop_repeated,
    pdf_blocks,
    squash,
    table_headers,
    tagged_blocks,
)

from briefing import tree as t
from briefing.build import build
from briefing.layout import load_layout
from briefing.render.docx import DocxRenderer
from briefing.render.pdf import PdfRenderer
from briefing.render.typst_pdf import TypstRenderer

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = {
    "nk-russia": (ROOT / "content" / "nk-russia",
                  {"TLP:CLEAR", "The North Korea–Russia Alliance · Edition 1"}),
    "every-node": (Path(__file__).parent / "fixtures" / "every-node",
                   {"TLP:AMBER", "Every node kind · Edition 2"}),
}


ENGINES = ("reportlab", "typst")


@pytest.fixture(scope="module", params=[(b, e) for b in sorted(BRIEFS) for e in ENGINES],
                ids=lambda p: "-".join(p))
def outputs(request, tmp_path_factory):
    brief, engine = request.param
    path, furniture = BRIEFS[brief]
    result = build(path, tmp_path_factory.mktemp(brief), ("pdf", "docx"), pdf_engine=engine)
    assert not result.invalid, result.findings
    pdf = result.outputs["pdf"]
    read = (lambda: pdf_blocks(pdf, furniture)) if engine == "reportlab" else (
        lambda: tagged_blocks(pdf))
    return read, result.outputs["docx"]


def test_pdf_and_docx_have_the_same_text_in_the_same_order(outputs):
    read, docx = outputs
    docx_text = squash(docx_blocks(docx))
    pdf_text = drop_repeated(squash(read()), table_headers(docx))
    if pdf_text != docx_text:
        at = next(i for i, (a, b) in enumerate(zip(pdf_text, docx_text, strict=False))
                  if a != b)
        pytest.fail(f"outputs part at character {at}:\n  pdf:  …{pdf_text[at - 60:at + 60]}…"
                    f"\n  docx: …{docx_text[at - 60:at + 60]}…")


def test_every_docx_block_is_found_in_order_in_the_pdf(outputs):
    read, docx = outputs
    pdf_text = squash(read())
    position = 0
    for block in docx_blocks(docx):
        needle = squash([block])
        found = pdf_text.find(needle, position)
        assert found >= 0, f"not in the PDF (in order): {block!r}"
        position = found + len(needle)


def test_both_renderers_handle_every_node_kind():
    layout = load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml")
    for renderer in (PdfRenderer(layout), DocxRenderer(layout), TypstRenderer(layout)):
        assert set(renderer.blocks) == set(t.BLOCK_TYPES), type(renderer).__name__
        assert set(renderer.inlines) == set(t.INLINE_TYPES), type(renderer).__name__


def test_the_fixture_uses_every_node_kind():
    from briefing.compose import compose
    from briefing.load import load_brief

    document = compose(load_brief(BRIEFS["every-node"][0]),
                       load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml"),
                       fields=True)  # as a build with a DOCX composes it
    seen: set[type] = set()

    def walk(nodes):
        for node in nodes:
            seen.add(type(node))
            for attr in ("children", "basis"):
                value = getattr(node, attr, ())
                if isinstance(value, tuple):
                    walk(value)
            if isinstance(node, t.Table):
                for row in node.rows:
                    for cell in row:
                        walk(cell.children)
            if isinstance(node, t.ListBlock):
                for item in node.items:
                    walk(item)

    walk(document.blocks)
    assert set(t.BLOCK_TYPES) | set(t.INLINE_TYPES) <= seen
