"""The Typst engine: a tagged PDF/UA-1 with page footnotes, read back with pikepdf.

What a screen reader and an accessibility checker look at: the structure tree
(headings, lists, tables with header cells, notes, figures with alternative text),
every piece of page content tagged or marked as an artifact, the document's language,
title and bookmarks, embedded fonts; and that no content string can inject Typst.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from readback import docx_blocks, squash, tagged_blocks

from briefing.build.pipeline import build
from briefing.cli.main import main
from briefing.compose import tree as t
from briefing.compose.composer import compose
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout
from briefing.render.typst.renderer import render_typst, scale_alt

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
EVERY = Path(__file__).parent / "fixtures" / "every-node"
LAYOUT = ROOT / "layouts" / "policy-brief" / "layout.yaml"
PAINTING = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"f", b"F", b"f*", b"B", b"B*", b"b",
            b"b*", b"S", b"s"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    out = tmp_path_factory.mktemp("typst")
    found = {}
    for path in (NK, EVERY):
        result = build(path, out, ("pdf", "docx"), pdf_engine="typst")
        assert not result.invalid and result.outputs, result.findings
        found[path.name] = (result.outputs["pdf"], result.outputs["docx"])
    return found


@pytest.fixture(scope="module")
def documents() -> dict[str, t.Document]:
    layout = load_layout(LAYOUT)
    return {path.name: compose(load_brief(path), layout) for path in (NK, EVERY)}


def elements(pdf: pikepdf.Pdf):
    """Every structure element, in reading order, with its parent."""
    def walk(node, parent):
        if isinstance(node, pikepdf.Array):
            for item in node:
                yield from walk(item, parent)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node, parent
            if "/K" in node:
                yield from walk(node.K, node)
    yield from walk(pdf.Root.StructTreeRoot.K, None)


def roles(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S) for element, _ in elements(pdf)]


def attributes(element) -> dict:
    found: dict = {}
    value = element.get("/A")
    for item in (value if isinstance(value, pikepdf.Array) else [value] if value else []):
        if isinstance(item, pikepdf.Dictionary):
            found.update({str(k): item[k] for k in item.keys()})
    return found


def walk_inlines(nodes):
    for node in nodes:
        yield node
        children = list(getattr(node, "children", ()) or ())
        if isinstance(node, t.KeyJudgment):
            children += list(node.basis)
        if isinstance(node, t.Table):
            children = [i for row in node.rows for cell in row for i in cell.children]
        if isinstance(node, t.ListBlock):
            children = [i for item in node.items for i in item]
        yield from walk_inlines(children)


# -- the done-when checks --------------------------------------------------------------

@pytest.mark.parametrize("name", ["nk-russia", "every-node"])
def test_the_pdf_is_tagged_and_declares_pdf_ua_1(built, name):
    pdf = pikepdf.open(built[name][0])
    assert "/StructTreeRoot" in pdf.Root
    assert pdf.Root.MarkInfo.Marked is True
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(built[name][0])], capture_output=True,
                              text=True, check=True).stdout
        assert re.search(r"(?m)^Tagged:\s+yes$", info)


@pytest.mark.parametrize("name", ["nk-russia", "every-node"])
def test_every_page_content_is_tagged_or_an_artifact(built, name):
    pdf = pikepdf.open(built[name][0])
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[str] = []
        painted = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = bytes(operator)
            if op == b"BDC":
                tag, props = operands[0], operands[1]
                is_marked = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                stack.append("artifact" if tag == "/Artifact" else
                             "content" if is_marked else "other")
            elif op == b"BMC":
                stack.append("artifact" if operands[0] == "/Artifact" else "other")
            elif op == b"EMC":
                stack.pop()
            elif op in PAINTING:
                painted += 1
                assert {"artifact", "content"} & set(stack), (
                    f"page {number}: {op.decode()} outside tagged content and artifacts")
        assert painted and not stack


def outline_of(document: t.Document) -> list[tuple[int, str]]:
    """(level, title) of each heading the PDF should have: the tree's headings, and a
    heading one level down for each key judgment, titled with its number and text."""
    found, level = [], 0
    for block in document.blocks:
        if isinstance(block, t.Heading):
            level = block.level
            found.append((level, t.plain_text(block.children)))
        elif isinstance(block, t.KeyJudgment):
            found.append((level + 1, f"{block.number}. {t.plain_text(block.children)}"))
    return found


def test_headings_nest_as_the_outline_says(built, documents):
    pdf = pikepdf.open(built["nk-russia"][0])
    levels = [int(role[2]) for role in roles(pdf) if re.fullmatch(r"/H\d", role)]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert set(levels) >= {1, 2}
    expected = outline_of(documents["nk-russia"])
    assert levels == [level for level, _ in expected]
    with pdf.open_outline() as outline:
        def flat(items, depth=1):
            for item in items:
                yield depth, item.title
                yield from flat(item.children, depth + 1)
        bookmarks = list(flat(outline.root))
    assert bookmarks == expected


def test_every_key_judgment_is_a_bookmark_and_a_tagged_heading(built, documents):
    pdf = pikepdf.open(built["nk-russia"][0])
    judgments = [b for b in documents["nk-russia"].blocks if isinstance(b, t.KeyJudgment)]
    titles = [str(e.T) for e, _ in elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
    for kj in judgments:
        title = f"{kj.number}. {t.plain_text(kj.children)}"
        assert titles.count(title) >= 1, title
    with pdf.open_outline() as outline:
        under = next(item for item in outline.root if item.title == "Key judgments")
        assert [item.title for item in under.children] == [
            f"{kj.number}. {t.plain_text(kj.children)}" for kj in judgments]


@pytest.mark.parametrize("name", ["nk-russia", "every-node"])
def test_headings_open_sections_nested_by_level(built, name):
    """Each heading stands first in a `Sect` holding what follows it, up to the next
    heading of its level or above; a lower heading's section sits inside it."""
    pdf = pikepdf.open(built[name][0])
    sections = [(e, parent) for e, parent in elements(pdf) if e.S == "/Sect"]
    headings = [e for e, _ in elements(pdf) if re.fullmatch(r"/H\d", str(e.S))]
    assert sections and len(sections) == len(headings)
    for section, parent in sections:
        kids = [k for k in section.K if isinstance(k, pikepdf.Dictionary)]
        level = int(str(kids[0].S)[2])
        assert section.P.objgen == parent.objgen and kids[0].P.objgen == section.objgen
        if parent.S == "/Sect":
            assert int(str(parent.K[0].S)[2]) == level - 1
        else:
            assert parent.S == "/Document" and level == 1
        inner = [int(str(k.K[0].S)[2]) for k in kids[1:] if k.S == "/Sect"]
        assert all(sub == level + 1 for sub in inner)
        assert not any(re.fullmatch(r"/H\d", str(k.S)) for k in kids[1:])


def test_sections_are_an_update_after_what_typst_wrote(documents, monkeypatch):
    """The sections are appended as an incremental update: what Typst wrote is kept
    byte for byte, and the update's trailer points back at Typst's cross-references."""
    import briefing.render.typst.renderer as renderer

    seen = {}
    nest = renderer.nest_sections
    monkeypatch.setattr(renderer, "nest_sections",
                        lambda pdf: seen.setdefault("out", (pdf, nest(pdf))))
    render_typst(documents["nk-russia"], load_layout(LAYOUT))
    typst, nested = seen["out"]
    assert nested.startswith(typst) and len(nested) > len(typst)
    first = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", typst).group(1))
    update = nested[len(typst):]
    assert re.search(rb"trailer\s*<<[^\n]*/Prev %d >>\s*startxref" % first, update)
    assert update.count(b"%%EOF") == 1 and b"/S /Sect" in update
    with pikepdf.open(io.BytesIO(nested)) as pdf:
        assert pdf.trailer.ID[0] == pikepdf.open(io.BytesIO(typst)).trailer.ID[0]


def test_lists_are_l_with_li_label_and_body(built):
    pdf = pikepdf.open(built["every-node"][0])
    lists = [e for e, _ in elements(pdf) if e.S == "/L"]
    assert lists
    for element in lists:
        items = [k for k in element.K if isinstance(k, pikepdf.Dictionary)]
        assert items and all(k.S == "/LI" for k in items)
        for item in items:
            assert [str(k.S) for k in item.K] == ["/Lbl", "/LBody"]


def test_tables_have_rows_header_cells_with_scope_and_data_cells(built, documents):
    pdf = pikepdf.open(built["nk-russia"][0])
    found = list(elements(pdf))
    tables = [e for e, _ in found if e.S == "/Table"]
    assert len(tables) == 2  # indicators, sourcing annex
    headers = [e for e, _ in found if e.S == "/TH"]
    assert headers and all(attributes(h).get("/Scope") == "/Column" for h in headers)
    assert any(e.S == "/TD" for e, _ in found)
    parents = {str(parent.S) for e, parent in found if e.S in ("/TH", "/TD")}
    assert parents == {"/TR"}
    tree_tables = [b for b in documents["nk-russia"].blocks if isinstance(b, t.Table)]
    assert len(headers) == sum(len(row) for table in tree_tables
                               for row in table.rows[:table.header_rows])


def test_footnotes_are_notes_numbered_as_in_the_docx_on_the_pages_that_cite_them(
        built, documents):
    path, docx = built["nk-russia"]
    pdf = pikepdf.open(path)
    page_of = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    count = sum(isinstance(n, t.Footnote) for n in walk_inlines(documents["nk-russia"].blocks))
    notes = [(e, parent) for e, parent in elements(pdf) if e.S == "/Note"]
    assert len(notes) == count > 0
    for note, parent in notes:
        siblings = [k for k in parent.K if isinstance(k, pikepdf.Dictionary)]
        at = next(i for i, k in enumerate(siblings) if k.objgen == note.objgen)
        mark = siblings[at - 1]
        assert mark.S == "/Lbl"  # the reference mark just before its note
        cited = _pages(mark, page_of)
        shown = _pages(note, page_of)
        assert min(shown) == max(cited), "a note starts on the page that cites it"
    pdf_notes = [" ".join(b.split()) for b in tagged_blocks(path)]
    docx_notes = [" ".join(b.split()) for b in docx_blocks(docx)]
    assert pdf_notes[pdf_notes.index("Notes"):] == docx_notes[docx_notes.index("Notes"):]


def _pages(element, page_of, page=None) -> set[int]:
    found: set[int] = set()
    page = element.get("/Pg", page) if isinstance(element, pikepdf.Dictionary) else page
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    if isinstance(element, int) or (isinstance(element, pikepdf.Dictionary)
                                    and element.get("/Type") == "/MCR"):
        return {page_of[page.objgen]}
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            found |= _pages(kid, page_of, page)
    elif kids is not None:
        found |= _pages(kids, page_of, page)
    return found


def test_language_title_and_display_doc_title(built):
    pdf = pikepdf.open(built["nk-russia"][0])
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == "The North Korea–Russia Alliance"
    # runs in other scripts carry their language: the Ukrainian author's name
    streams = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert re.search(rb"/Span\s*<<[^>]*/Lang\s*\(uk\)", streams)


def test_every_figure_has_alternative_text(built, documents):
    pdf = pikepdf.open(built["nk-russia"][0])
    figures = [e for e, _ in elements(pdf) if e.S == "/Figure"]
    judgments = [b for b in documents["nk-russia"].blocks if isinstance(b, t.KeyJudgment)]
    assert [str(f.Alt) for f in figures] == [scale_alt(j) for j in judgments]
    assert "Likelihood: likely, 55–80 %; confidence: moderate" in [str(f.Alt) for f in figures]


def test_fonts_are_embedded(built):
    pdf = pikepdf.open(built["nk-russia"][0])
    fonts = {}
    for page in pdf.pages:
        for _name, font in page.Resources.get("/Font", {}).items():
            fonts[font.objgen] = font
    assert fonts
    for font in fonts.values():
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.FontDescriptor
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), \
            str(font.get("/BaseFont"))


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
@pytest.mark.parametrize("name", ["nk-russia", "every-node"])
def test_qpdf_check_is_clean(built, name):
    run = subprocess.run(["qpdf", "--check", str(built[name][0])], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors found" in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


FIXTURE_BRIEFS = {"marked-uk": EVERY.parent / "marked-uk", "marked-us": EVERY.parent / "marked-us",
                  "edition-2": EVERY.parent / "editions" / "edition-2.yaml"}


@pytest.mark.parametrize("name", ["nk-russia", "every-node", *FIXTURE_BRIEFS])
def test_an_independent_checker_finds_nothing(built, name, tmp_path):
    """pdfua (the machine-checkable part of PDF/UA-1 and the WCAG 2.1 criteria it
    covers, on pikepdf) reports no finding for the Typst PDF of NK and every fixture,
    where it reports 170 for the ReportLab PDF of NK (no structure tree, no PDF/UA
    identification, links without descriptions)."""
    pdfua = pytest.importorskip("pdfua")
    if name in built:
        pdf = built[name][0]
    else:
        result = build(FIXTURE_BRIEFS[name], tmp_path, ("pdf",), pdf_engine="typst")
        assert not result.invalid, result.findings
        pdf = result.outputs["pdf"]
    report = pdfua.validate(str(pdf))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert len(report.outcomes) > 10  # it ran its checks


def test_the_checker_can_fail_the_reportlab_pdf(tmp_path):
    pdfua = pytest.importorskip("pdfua")
    result = build(NK, tmp_path, ("pdf",), pdf_engine="reportlab")
    rules = {f.rule_id for f in pdfua.validate(str(result.outputs["pdf"])).findings}
    assert {"UA-01-005", "UA-28-004"} <= rules  # untagged, no PDF/UA identification


# -- reproducible, incremental, chosen from the layout or the command line --------------

def test_output_is_byte_reproducible(documents):
    layout = load_layout(LAYOUT)
    first = render_typst(documents["every-node"], layout)
    second = render_typst(documents["every-node"], layout)
    assert first == second
    assert b"/CreationDate (D:20261101000000" in first or b"2026-11-01" in first


def test_the_engine_is_part_of_the_build_inputs(tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", str(EVERY), "--out-dir", str(out), "--format", "pdf"]
    assert main([*args, "--pdf-engine", "reportlab"]) == 0
    reportlab_pdf = (out / "every-node.pdf").read_bytes()
    assert b"/StructTreeRoot" not in reportlab_pdf
    capsys.readouterr()
    assert main([*args, "--pdf-engine", "reportlab"]) == 0
    assert capsys.readouterr().out.strip().endswith("up to date")
    assert main(args) == 0  # the layout's engine: Typst, the default
    assert "built in" in capsys.readouterr().out
    assert b"/StructTreeRoot" in (out / "every-node.pdf").read_bytes()
    assert main([*args, "--pdf-engine", "reportlab"]) == 0
    assert (out / "every-node.pdf").read_bytes() == reportlab_pdf


def test_the_default_engine_is_typst_and_a_layout_can_choose_reportlab(tmp_path):
    assert b"/StructTreeRoot" in build(EVERY, tmp_path / "typst", ("pdf",)).outputs[
        "pdf"].read_bytes()
    folder = tmp_path / "low-memory"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    path = folder / "layout.yaml"
    path.write_text(path.read_text("utf-8") + "pdf_engine: reportlab\n", "utf-8")
    result = build(EVERY, tmp_path / "out", ("pdf",), str(path))
    assert b"/StructTreeRoot" not in result.outputs["pdf"].read_bytes()


def test_an_unknown_engine_is_a_clear_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["build", str(EVERY), "--pdf-engine", "latex"])
    assert stop.value.code != 0
    err = capsys.readouterr().err
    assert "--pdf-engine: invalid choice: 'latex'" in err and "reportlab" in err and "typst" in err


# -- content can never inject Typst markup or code -----------------------------------------

PAYLOAD = ' #import "/etc/passwd": * $x^2$ <lbl> @lbl ] [ \\ #panic("injected") */ //'


def _poisoned(node):
    """`node` with the payload appended to every string a reader sees."""
    if isinstance(node, t.Text):
        return t.Text(node.text + PAYLOAD)
    if isinstance(node, tuple):
        return tuple(_poisoned(item) for item in node)
    if dataclasses.is_dataclass(node):
        changes = {}
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            if isinstance(value, tuple) or dataclasses.is_dataclass(value):
                changes[field.name] = _poisoned(value)
            elif isinstance(value, str) and field.name in ("title", "label", "header",
                                                             "caption", "subtitle"):
                changes[field.name] = value + PAYLOAD
        return dataclasses.replace(node, **changes)
    return node


def test_no_content_string_can_inject_typst(documents, tmp_path):
    document = documents["every-node"]
    poisoned = dataclasses.replace(document, meta=_poisoned(document.meta),
                                   marking=_poisoned(document.marking),
                                   blocks=_poisoned(document.blocks))
    texts = sum(isinstance(n, t.Text) for n in walk_inlines(poisoned.blocks))
    pdf = render_typst(poisoned, load_layout(LAYOUT))  # no Typst error, no panic
    path = tmp_path / "poisoned.pdf"
    path.write_bytes(pdf)
    shown = squash(tagged_blocks(path))
    assert shown.count(squash([PAYLOAD])) == texts
    with pikepdf.open(path) as opened:
        assert str(opened.docinfo.Title) == document.meta.title + PAYLOAD
        streams = b"".join(page.Contents.read_bytes() for page in opened.pages)
        assert b"/Artifact" in streams  # the banner and header, payload and all, drawn


def test_a_layout_text_with_braces_or_hashes_is_shown_as_written(tmp_path, documents):
    folder = tmp_path / "braces"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    path = folder / "layout.yaml"
    path.write_text(path.read_text("utf-8").replace(
        'footer: "Page {page} of {pages}"', 'footer: "#{page} $ of ] {pages}"'), "utf-8")
    pdf = render_typst(documents["every-node"], load_layout(path))
    target = tmp_path / "braces.pdf"
    target.write_bytes(pdf)
    from pypdf import PdfReader

    assert "#1 $ of ] " in PdfReader(target).pages[0].extract_text()


def test_watch_builds_with_the_typst_engine(tmp_path):
    """`watch --pdf-engine typst`: the first build (PDF rendered in watch's helper
    process) is the tagged one."""
    import io
    import threading
    import time

    from briefing.watch import watch

    stop, stream = threading.Event(), io.StringIO()
    thread = threading.Thread(target=watch, args=(EVERY, tmp_path, ("pdf",), None, stop,
                                                  stream), kwargs={"pdf_engine": "typst"})
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while "rebuilt" not in stream.getvalue() and time.monotonic() < deadline:
            assert "kept the last good outputs" not in stream.getvalue(), stream.getvalue()
            time.sleep(0.05)
        assert "rebuilt" in stream.getvalue(), stream.getvalue()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    with pikepdf.open(tmp_path / "every-node.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root


def test_an_unknown_engine_in_a_layout_is_a_located_error(tmp_path):
    from briefing.core.findings import ContentError

    folder = tmp_path / "typo"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    path = folder / "layout.yaml"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, "pdf_engine: typs"]) + "\n", "utf-8")
    with pytest.raises(ContentError) as error:
        load_layout(path)
    [finding] = error.value.findings
    assert (finding.place.line, finding.place.col) == (len(lines) + 1, 13)
    assert "did you mean 'typst'?" in finding.message


def test_the_page_limit_holds_for_typst_too(tmp_path):
    from briefing.build.pipeline import BuildError

    folder = tmp_path / "short"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    path = folder / "layout.yaml"
    path.write_text(path.read_text("utf-8") + "max_pages: 1\n", "utf-8")
    with pytest.raises(BuildError) as error:
        build(NK, tmp_path / "out", ("pdf",), str(path), pdf_engine="typst")
    assert re.fullmatch(r"pdf: layout 'policy-brief' allows 1 page\(s\); the brief needs \d+",
                        str(error.value)), str(error.value)
    assert not (tmp_path / "out" / "nk-russia.pdf").exists()


def test_a_soft_hyphen_in_a_link_is_kept_and_breaks_the_line_there(tmp_path):
    """U+00AD inside a link is kept: in a cell too narrow for the whole word, the line
    breaks at a soft hyphen (and shows the hyphen) instead of anywhere else."""
    word = "Zusammen\u00adarbeit\u00adsabkommen"
    narrow = tuple(t.Cell((t.Text("x"),)) for _ in range(5))
    table = t.Table(rows=(tuple(t.Cell((t.Text("h"),)) for _ in range(6)),
                          (t.Cell((t.Link("https://example.org", (t.Text(word),)),)),
                           *narrow)), widths=(1,) * 6)
    pdf = tmp_path / "soft.pdf"
    pdf.write_bytes(render_typst(documents_of_one(table), load_layout(LAYOUT)))
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Zusammen"))
    assert lines[at].replace("\u00ad", "") == "Zusammenarbeit"
    assert lines[at].endswith("\u00ad") and lines[at + 1] == "sabkommen"


def test_a_character_no_font_draws_is_refused_by_pdf_ua():
    """PDF/UA-1 forbids text shown without a glyph; validate warns about such characters,
    and the Typst build fails with Typst's reason instead of printing a box."""
    from briefing.render.typst.renderer import TypstRenderError

    with pytest.raises(TypstRenderError, match=r"^typst: PDF/UA-1 error: the text .* could "
                       "not be displayed"):
        render_typst(documents_of_one(t.Paragraph((t.Text("\U0001F600"),))),
                     load_layout(LAYOUT))


def documents_of_one(block: t.Block) -> t.Document:
    return t.Document(t.Metadata(title="One block", date="2026-11-01"),
                      t.Marking("TLP:CLEAR"), (block,))


def test_after_a_typst_render_workers_are_spawned_not_forked(tmp_path):
    """Typst's compiler keeps native threads once it has run; a process forked from it
    would wait for them forever in its own first render. So a process that has rendered
    with Typst starts its helper and `--jobs` workers with spawn, and its next build of
    both formats completes."""
    from briefing.build.helper import can_fork_helper
    from briefing.core.pool import only_thread, start_method

    render_typst(documents_of_one(t.Paragraph((t.Text("warm"),))), load_layout(LAYOUT))
    assert not only_thread() and start_method() == "spawn" and not can_fork_helper()
    result = build(NK, tmp_path, ("pdf", "docx"), force=True)
    assert set(result.outputs) == {"pdf", "docx"}
