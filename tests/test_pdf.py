"""The ReportLab PDF as a reader sees it: text, fonts, outline, links, metadata, page count
(the Typst PDF has its own tests, tests/test_typst.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.build.pipeline import build
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def nk_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = build(NK, out, ("pdf",), pdf_engine="reportlab")
    assert not result.invalid, result.findings
    return result.outputs["pdf"]


@pytest.fixture(scope="module")
def reader(nk_pdf) -> PdfReader:
    return PdfReader(nk_pdf)


@pytest.fixture(scope="module")
def pages(reader) -> list[str]:
    return [_squash(page.extract_text()) for page in reader.pages]


def test_bluf_and_every_key_judgment_are_in_the_text(pages):
    brief = load_brief(NK).brief
    text = " ".join(pages)
    bluf_start = _squash(brief.bluf[0])[:80]
    assert bluf_start in text
    for kj in brief.key_judgments:
        assert _squash(kj.text) in text, kj.id


def test_marking_and_page_n_of_m_on_every_page(pages):
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count("TLP:CLEAR") >= 2, f"page {number} lacks top and bottom banner"
        assert f"Page {number} of {total}" in text


def test_cyrillic_author_name_is_drawn(pages):
    assert "Гай-Нижник" in " ".join(pages)


def test_every_font_is_embedded(nk_pdf):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    lines = subprocess.run(["pdffonts", str(nk_pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded"


def test_outline_has_an_entry_per_key_judgment(reader):
    brief = load_brief(NK).brief

    def titles(outline) -> list[str]:
        out = []
        for item in outline:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    entries = titles(reader.outline)
    for number, kj in enumerate(brief.key_judgments, start=1):
        assert any(e.startswith(f"{number}. {kj.text[:30]}") for e in entries), kj.id
    assert "Sources" in entries and "Key judgments" in entries


def test_citation_links_point_at_reference_entries(reader, pages):
    """Links from in-text citations land on the pages of the reference list."""
    first = next(i for i, text in enumerate(pages) if "Sources" in text and "(n.d.)" in text)
    last = next(i for i, text in enumerate(pages) if "Sourcing annex" in text)
    reference_pages = set(range(first, last + 1))
    page_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    to_references = 0
    for number, page in enumerate(reader.pages):
        if number in reference_pages:
            continue
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if annot.get("/Subtype") == "/Link" and dest is not None:
                if page_of[dest[0].idnum] in reference_pages:
                    to_references += 1
    assert to_references >= 10


def test_doi_is_a_clickable_link(reader):
    uris = {annot.get_object()["/A"]["/URI"] for page in reader.pages
            for annot in page.get("/Annots") or []
            if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]}
    assert "https://doi.org/10.5281/zenodo.20391772" in uris


def test_metadata(reader):
    info = reader.metadata
    assert info.title == "The North Korea–Russia Alliance"
    assert info.author == "briefing editorial team"
    assert info.producer.startswith("briefing ")
    assert "North Korea" in info.get("/Keywords")
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.slow
def test_qpdf_check_is_clean(nk_pdf):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf not installed")
    run = subprocess.run(["qpdf", "--check", str(nk_pdf)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def test_layout_loads():
    layout = load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml")
    assert layout.layout.citation_style == "apa"


def test_hangul_falls_back_to_a_font_that_has_it(tmp_path):
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    from scaffolds import scaffolded as new_brief

    brief = new_brief("hangul", tmp_path / "content", "schema.json")
    text = brief.read_text("utf-8").replace(
        "State the bottom line first",
        "조선민주주의인민공화국 (DPRK) and Россия state the bottom line")
    brief.write_text(text, "utf-8")
    result = build(brief.parent, tmp_path / "out", ("pdf",), pdf_engine="reportlab")
    pdf = result.outputs["pdf"]
    extracted = _squash(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "조선민주주의인민공화국 (DPRK) and Россия" in extracted
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NanumGothic" in fonts


def test_white_space_a_font_need_not_draw_is_what_str_isspace_accepts():
    from briefing.render.fonts import WHITE_SPACE

    assert WHITE_SPACE == {chr(p) for p in range(0x110000) if chr(p).isspace()}


def _nk_document(edit: tuple[str, str] | None = None, tmp_path: Path | None = None):
    """The NK brief's layout and composed document, with one judgment edited if asked."""
    from briefing.build.pipeline import resolve_layout
    from briefing.build.validate import validate
    from briefing.compose.composer import compose

    path = NK
    if edit:
        path = tmp_path / "nk-russia"
        shutil.copytree(NK, path)
        for name in ("layouts", "seeds"):
            (tmp_path / name).symlink_to(ROOT / name)
        judgments = path / "judgments.yaml"
        text = judgments.read_text("utf-8")
        assert text.count(edit[0]) == 1
        judgments.write_text(text.replace(*edit), "utf-8")
    loaded = validate(path, configuration=False).loaded
    layout = resolve_layout(loaded, None, "reportlab")
    return compose(loaded, layout), layout


def test_paragraphs_kept_between_renders_give_the_same_pdf(tmp_path, monkeypatch):
    """As `watch` renders: the second render of a brief parses no paragraph markup it
    parsed before, and after an edit only the edited paragraphs are parsed; each PDF
    is the bytes a render without kept paragraphs gives."""
    from reportlab.platypus.paraparser import ParaParser

    from briefing.build.pipeline import render_format
    from briefing.render.pdf import memo as pdf_memo

    document, layout = _nk_document()
    fresh = render_format("pdf", document, layout)
    parse = ParaParser.parse
    parses: list[str] = []

    def counted(self, text, style):
        parses.append(text)
        return parse(self, text, style)

    monkeypatch.setattr(ParaParser, "parse", counted)
    with pdf_memo.kept():
        assert render_format("pdf", document, layout) == fresh
        first = len(parses)
        parses.clear()
        assert render_format("pdf", document, layout) == fresh
        assert parses == []

        edit = ("publicly backed", "quietly backed")
        edited, _ = _nk_document(edit, tmp_path)
        parses.clear()
        kept = render_format("pdf", edited, layout)
    assert not pdf_memo.keeping() and not pdf_memo._parsed and not pdf_memo._broken
    assert [p for p in parses if "quietly" in p]
    assert len(parses) < first / 5
    assert kept == render_format("pdf", edited, layout)
    assert kept != fresh


def test_kept_paragraphs_are_bounded(monkeypatch):
    from briefing.core.recent import Recent
    from briefing.render.pdf import memo as pdf_memo

    monkeypatch.setattr(pdf_memo, "_broken", Recent(3))
    with pdf_memo.kept():
        for n in range(5):
            pdf_memo.remember_lines((n,), f"lines {n}")
        assert list(pdf_memo._broken) == [(2,), (3,), (4,)]
        assert pdf_memo.broken((0,)) is None and pdf_memo.broken((2,)) == "lines 2"
        assert list(pdf_memo._broken)[-1] == (2,)  # used again: now the newest
