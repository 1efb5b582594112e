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

from briefing.build.pipeline import build
from briefing.compose import tree as t
from briefing.load.layout import load_layout

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


def _marked_document() -> tuple[t.Document, dict[type, str]]:
    """A document in which each node kind that holds text holds its own marker word."""
    mark = {kind: f"Mark{kind.__name__}" for kind in t.NODES}
    word = lambda kind: (t.Text(mark[kind]),)  # noqa: E731
    inline = (t.Text(mark[t.Text] + " "), t.Emph(word(t.Emph)), t.Text(" "),
              t.Strong(word(t.Strong)), t.Text(" "), t.Code(mark[t.Code]), t.LineBreak(),
              t.Link("https://example.org/", word(t.Link)), t.Text(" "),
              t.Citation(word(t.Citation), ("k",), "top"), t.Footnote(word(t.Footnote)),
              t.Text(" "), t.Field("bluf.0", word(t.Field)))
    blocks = (
        t.Heading(1, word(t.Heading), "top"),
        t.Paragraph(inline),
        t.ListBlock((word(t.ListBlock),)),
        t.Table(((t.Cell((t.Text("Head"),), "Table Header"),), (t.Cell(word(t.Table)),))),
        t.Box((t.Paragraph(word(t.Box)),), "Box"),
        t.KeyJudgment(1, "kj", word(t.KeyJudgment), "low", None, None, ()),
        t.PageBreak(),
        t.Paragraph(word(t.Paragraph)),
    )
    return t.Document(t.Metadata("Marked"), t.Marking("TLP:CLEAR"), blocks), mark


def test_every_node_kind_reaches_the_reader_in_every_format(tmp_path):
    """Each handler draws what its node holds (a handler that draws nothing, or drops
    its children, fails here): the marker of every text-holding kind is in the PDF's
    and the DOCX's text; a line break and a page break take effect in both."""
    from readback import docx_blocks

    from briefing.render.docx.renderer import render_docx
    from briefing.render.pdf.renderer import render_pdf

    layout = load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml")
    document, mark = _marked_document()
    pdf, docx = tmp_path / "m.pdf", tmp_path / "m.docx"
    pdf.write_bytes(render_pdf(document, layout))
    docx.write_bytes(render_docx(document, layout))
    pdf_text = " ".join(pdf_blocks(pdf, {"TLP:CLEAR", "Marked"}))
    docx_text = " ".join(docx_blocks(docx))
    silent = {t.LineBreak, t.PageBreak}
    from briefing.render.typst.renderer import render_typst

    typst = tmp_path / "m-typst.pdf"
    typst.write_bytes(render_typst(document, layout))
    typst_text = " ".join(pdf_blocks(typst, {"TLP:CLEAR", "Marked"}))
    for kind in set(t.NODES) - silent - t.REVISION_KINDS:  # those only a redline draws
        assert mark[kind] in pdf_text, f"PDF lacks {kind.__name__}'s text"
        assert mark[kind] in docx_text, f"DOCX lacks {kind.__name__}'s text"
        assert mark[kind] in typst_text, f"Typst PDF lacks {kind.__name__}'s text"
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == 2  # the page break
    assert any(line.strip() == "MarkLink (MarkCitation)" or line.startswith("MarkLink")
               for line in PdfReader(pdf).pages[0].extract_text().splitlines())  # line break
    import zipfile

    body = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert '<w:br w:type="page"/>' in body or 'w:type="page"' in body
    assert "<w:br/>" in body


def test_the_fixture_uses_every_node_kind():
    from briefing.compose.composer import compose
    from briefing.load.brief import load_brief

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
