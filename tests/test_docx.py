"""The DOCX as an analyst opens it: styles, real footnotes, links, header, TOC, metadata."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.opc.oxml import serialize_part_xml
from docx.shared import Pt
from lxml import etree
from readback import list_labels

from briefing.compose import tree as t
from briefing.compose.composer import compose
from briefing.load.brief import load_brief
from briefing.load.layout import STYLE_NAMES, LoadedLayout, load_layout
from briefing.render.docx import links as docx_links
from briefing.render.docx import runs as docx_runs
from briefing.render.docx import styles as docx_styles
from briefing.render.docx.renderer import DocxRenderer, render_docx

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
LAYOUT = ROOT / "layouts" / "policy-brief" / "layout.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS = {"w": W[1:-1]}
# Layout style names Word knows as built-ins under its own (lower-case) names.
WORD_NAMES = {"Footnote Text": "footnote text"}
BOOKMARK = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}|_Toc\d{8}")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def layout() -> LoadedLayout:
    return load_layout(LAYOUT)


@pytest.fixture(scope="module")
def document(layout) -> t.Document:
    return compose(load_brief(NK), layout)


@pytest.fixture(scope="module")
def data(document, layout) -> bytes:
    return render_docx(document, layout)


@pytest.fixture(scope="module")
def word(data):
    return docx.Document(io.BytesIO(data))


def _xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


# ---- walking the tree in reading order -------------------------------------------


def _runs_of(blocks: tuple[t.Block, ...]) -> Iterator[tuple[t.Inline, ...]]:
    """Every run of inlines in the order a reader meets them."""
    for block in blocks:
        if isinstance(block, t.Heading | t.Paragraph):
            yield block.children
        elif isinstance(block, t.ListBlock):
            yield from block.items
        elif isinstance(block, t.Table):
            for row in block.rows:
                for cell in row:
                    yield cell.children
        elif isinstance(block, t.Box):
            yield from _runs_of(block.children)
        elif isinstance(block, t.KeyJudgment):
            yield block.children
            yield block.basis


def _footnotes(children: tuple[t.Inline, ...]) -> Iterator[t.Footnote]:
    for node in children:
        if isinstance(node, t.Footnote):
            yield node
        if hasattr(node, "children"):
            yield from _footnotes(node.children)


def _tree_footnotes(document: t.Document) -> list[t.Footnote]:
    return [note for run in _runs_of(document.blocks) for note in _footnotes(run)]


def _judgments(document: t.Document) -> list[t.KeyJudgment]:
    return [b for b in document.blocks if isinstance(b, t.KeyJudgment)]


# ---- tests -------------------------------------------------------------------------


def test_key_judgments_use_their_styles(word, document):
    judgments = _judgments(document)
    paragraphs = word.paragraphs
    styled = [p for p in paragraphs if p.style.name == "Key Judgment"]
    assert len(styled) == len(judgments) == 7
    labels = list_labels(word)
    for paragraph, node in zip(styled, judgments, strict=True):
        assert paragraph.text == t.plain_text(node.children)
        assert labels[paragraph._p] == f"{node.number}."  # Word numbering, not typed
        following = paragraphs[paragraphs.index(paragraph) + 1: paragraphs.index(paragraph) + 3]
        meta, basis = following
        assert meta.style.name == "Judgment Meta"
        assert meta.text.strip() == t.judgment_meta(node)  # after the bars of the scale
        bars = [r for r in meta.runs if r._r.find(f"{W}rPr/{W}shd") is not None]
        assert len(bars) == 10
        assert basis.style.name == "Basis"
        assert basis.text == "Basis: " + t.plain_text(node.basis)
        assert basis.runs[0].text == "Basis: " and basis.runs[0].bold


def test_headings_use_words_built_in_heading_styles(word, document):
    for level in (1, 2):
        expected = [t.plain_text(b.children) for b in document.blocks
                    if isinstance(b, t.Heading) and b.level == level]
        found = [p.text for p in word.paragraphs if p.style.name == f"Heading {level}"]
        assert expected and found == expected
    style = word.styles["Heading 1"]
    assert style.element.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"


def test_layout_styles_become_named_word_styles(word, layout):
    for name in STYLE_NAMES:
        if name not in layout.layout.styles:
            continue
        style = word.styles[WORD_NAMES.get(name, name)]
        assert style.font.size == Pt(layout.style(name).get("size", 10)), name
    entry = word.styles["Source Entry"].paragraph_format
    assert entry.left_indent == Pt(24) and entry.first_line_indent == Pt(-24)
    fonts = word.styles["Body"].element.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}ascii") == "Noto Serif"
    assert fonts.get(f"{W}eastAsia") == "NanumGothic"
    heading = word.styles["Heading 1"].element.find(f"{W}rPr/{W}rFonts")
    assert heading.get(f"{W}ascii") == "Noto Sans"
    lang = word.styles["Body"].element.find(f"{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en-US"  # the brief's `language: en`, with its region


def test_built_in_styles_keep_words_names_and_ids(word):
    expected = {"footnote text": "FootnoteText", "footnote reference": "FootnoteReference",
                "Hyperlink": "Hyperlink", "toc 1": "TOC1", "toc 2": "TOC2", "toc 3": "TOC3",
                "heading 1": "Heading1", "TOC Heading": "TOCHeading"}
    styles = {s.element.name_val: s for s in word.styles}
    for name, style_id in expected.items():
        assert styles[name].style_id == style_id, name
        assert styles[name].element.get(f"{W}customStyle") is None, name
    lowered = [name.lower() for name in styles]
    assert len(lowered) == len(set(lowered))  # no two styles differ only by case


def test_footnotes_are_real_and_match_the_tree(data, document):
    expected = _tree_footnotes(document)
    notes = [n for n in _xml(data, "word/footnotes.xml").findall(f"{W}footnote")
             if n.get(f"{W}type") is None]
    assert len(notes) == len(expected) >= 8
    for number, (note, node) in enumerate(zip(notes, expected, strict=True), start=1):
        assert note.get(f"{W}id") == str(number)
        assert note.find(".//w:footnoteRef", NS) is not None
        assert _squash(_text(note)) == _squash(t.plain_text(node.children))
    body = _xml(data, "word/document.xml")
    references = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert references == [str(n) for n in range(1, len(expected) + 1)]
    kinds = {n.get(f"{W}type") for n in _xml(data, "word/footnotes.xml")}
    assert {"separator", "continuationSeparator"} <= kinds


def test_footnote_part_is_related_and_typed(data):
    rels = _text_of(data, "word/_rels/document.xml.rels")
    types = _text_of(data, "[Content_Types].xml")
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    assert 'PartName="/word/footnotes.xml"' in types


def _text_of(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def _citation_targets(children: tuple[t.Inline, ...]) -> Iterator[str]:
    for node in children:
        if isinstance(node, t.Citation) and node.target:
            yield node.target
        yield from _citation_targets(getattr(node, "children", ()))


def test_citations_link_to_reference_bookmarks(data, document):
    names = [b.get(f"{W}name") for b in _xml(data, "word/document.xml").iter(
        f"{W}bookmarkStart")]
    assert all(BOOKMARK.fullmatch(name) for name in names), names
    assert len({name.lower() for name in names}) == len(names)
    anchors = [h.get(f"{W}anchor") for part in ("word/document.xml", "word/footnotes.xml")
               for h in _xml(data, part).iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    references = [a for a in anchors if a.startswith("ref_")]
    assert len(references) >= 10
    assert set(anchors) <= set(names)
    assert {"kj_munitions", "alt_china_brake", "ref_seed_alliance_of_villains"} <= set(anchors)
    targets = {target for run in _runs_of(document.blocks) for target in _citation_targets(run)}
    assert {docx_links.bookmark_name(target) for target in targets} <= set(anchors)


def test_bookmark_names_are_word_safe_unique_and_stable(layout):
    def sha(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()[:8]

    renderer = DocxRenderer(layout)
    long = "ref-" + "very-long-source-identifier-" * 3
    expected = {"kj-durable-alliance": "kj_durable_alliance", "2023-visit": "b_2023_visit",
                long: f"ref_very_long_source_identifier_{sha(long)}", "a-b": "a_b",
                "a_b": f"a_b_{sha('a_b')}", "A-B": f"A_B_{sha('A-B')}", "조선": "b___"}
    assert {anchor: renderer.word_name(anchor) for anchor in expected} == expected
    assert renderer.word_name("a_b") == expected["a_b"]  # stable once given
    assert all(BOOKMARK.fullmatch(name) for name in expected.values())
    assert len(expected[long]) == 40


def test_external_links_use_external_relationships(data):
    rels = _xml(data, "word/_rels/document.xml.rels")
    external = {r.get("Id"): r for r in rels if r.get("TargetMode") == "External"}
    ids = [h.get(f"{R}id") for h in _xml(data, "word/document.xml").iter(f"{W}hyperlink")
           if h.get(f"{R}id")]
    assert ids and set(ids) <= set(external)
    assert any("doi.org" in external[i].get("Target") for i in ids)


def test_header_and_footer_carry_marking_and_page_fields(word, data, document):
    section = word.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "TLP:CLEAR" in header
    assert document.meta.header in header
    banner = section.header.paragraphs[0]
    assert banner.alignment == 1 and banner.runs[0].bold
    shading = banner.runs[0]._r.find(f"{W}rPr/{W}shd")
    assert shading.get(f"{W}fill") == document.marking.background.lstrip("#")
    assert str(banner.runs[0].font.color.rgb) == document.marking.foreground.lstrip("#")
    footer = _xml(data, "word/footer1.xml")
    instructions = [i.text.strip() for i in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    texts = "".join(x.text for x in footer.iter(f"{W}t"))
    assert texts.startswith("Page ") and " of " in texts and "TLP:CLEAR" in texts


def test_toc_field_before_first_heading_without_an_update_prompt(data, word):
    body = _xml(data, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    instructions = [(i, p) for i, p in enumerate(paragraphs)
                    for code in p.iter(f"{W}instrText") if code.text.strip().startswith("TOC")]
    assert len(instructions) == 1
    index, paragraph = instructions[0]
    assert paragraph.find(f".//{W}instrText").text.strip() == 'TOC \\o "1-3" \\h \\z \\u'
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    first_heading = next(i for i, p in enumerate(word.paragraphs)
                         if p.style.name == "Heading 1")
    assert index < first_heading
    # The contents list is written out, so Word need not ask to update fields on open.
    assert _xml(data, "word/settings.xml").find(f"{W}updateFields") is None


def test_core_properties_use_the_briefs_date(word, document):
    props = word.core_properties
    meta = document.meta
    date = datetime.fromisoformat(meta.date).replace(tzinfo=UTC)
    assert props.title == meta.title
    assert props.author == ", ".join(meta.authors)
    assert props.subject == meta.subject
    assert "North Korea" in props.keywords
    assert props.language == meta.language
    assert props.created == props.modified == date
    assert props.last_modified_by == "briefing"


def test_tables_use_a_named_style_with_repeated_header(word):
    tables = [tb for tb in word.tables if tb.style is not None and tb.style.name == "Brief Table"]
    assert len(tables) == 2
    for table in tables:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert table.rows[0].cells[0].paragraphs[0].style.name == "Table Header"


def test_bluf_box_is_a_shaded_one_cell_table(word):
    box = word.tables[0]
    assert len(box.rows) == 1 and len(box.columns) == 1
    cell = box.cell(0, 0)
    assert [p.style.name for p in cell.paragraphs][:2] == ["BLUF Title", "BLUF"]
    tcpr = cell._tc.tcPr
    assert tcpr.find(f"{W}shd").get(f"{W}fill") == "EEF2F7"
    assert tcpr.find(f"{W}tcBorders/{W}left") is not None


def test_output_is_reproducible(data, document, layout):
    assert render_docx(document, layout) == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert b"python-docx" not in _text_of(data, "docProps/core.xml").encode()


def _every_kind() -> t.Document:
    inline = (t.Text("Plain "), t.Emph((t.Text("emph"),)), t.Text(" "),
              t.Strong((t.Text("strong"),)), t.Code(" code "), t.LineBreak(),
              t.Link("https://example.org/", (t.Text("outside"),)), t.Text(" "),
              t.Link("#top", (t.Text("inside"),)), t.Text(" 조선 "),
              t.Citation((t.Text("(Cite, 2024)"),), ("cite",), "top"),
              t.Footnote((t.Text("A note."),)))
    blocks = (
        t.Heading(1, (t.Text("Top"),), "top"),
        t.Paragraph(inline),
        t.ListBlock(((t.Text("one"),), (t.Text("two"),)), ordered=True),
        t.ListBlock(((t.Text("three"),), (t.Text("four"),)), ordered=True),
        t.ListBlock(((t.Text("dot"),),)),
        t.Table(((t.Cell((t.Text("H"),), "Table Header"),), (t.Cell((t.Text("c"),)),))),
        t.Box((t.Paragraph((t.Text("boxed"),)),), "Box"),
        t.KeyJudgment(1, "kj", (t.Text("Judged."),), "low", "likely", (55, 80),
                      (t.Text("why"),)),
        t.PageBreak(),
        t.Heading(2, (t.Text("Second"),)),
    )
    return t.Document(t.Metadata("Every kind", language="en-GB"), t.Marking("TLP:AMBER"),
                      blocks)


def test_every_node_kind_renders(layout):
    data = render_docx(_every_kind(), layout)
    word = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Plain emph strong code \noutside inside 조선 (Cite, 2024)" in text
    numbering = _xml(data, "word/numbering.xml")
    formats = {f.get(f"{W}val") for f in numbering.iter(f"{W}numFmt")}
    assert {"decimal", "bullet"} <= formats
    list_paragraphs = [p for p in word.paragraphs if p.style.name == "List"]
    num_ids = [p._p.pPr.numPr.numId.val for p in list_paragraphs]
    assert len(set(num_ids[:2])) == 1 and num_ids[0] != num_ids[2]
    restarts = numbering.findall(".//w:startOverride", NS)
    assert len(restarts) >= 2
    assert "TLP:AMBER" in word.sections[0].header.paragraphs[0].text
    assert word.core_properties.created == datetime(1980, 1, 1, tzinfo=UTC)
    langs = {x.get(f"{W}val") for x in _xml(data, "word/document.xml").iter(f"{W}lang")}
    assert langs == {"en-GB"}


@pytest.mark.slow
def test_libreoffice_renders_every_key_judgment(data, document, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    from pypdf import PdfReader

    source = tmp_path / "brief.docx"
    source.write_bytes(data)
    run = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                          str(tmp_path), str(source)], capture_output=True, text=True,
                         timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "brief.pdf"
    assert pdf.is_file(), run.stdout + run.stderr
    text = _squash(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    for node in _judgments(document):
        assert _squash(t.plain_text(node.children)) in text, node.anchor
    assert "TLP:CLEAR" in text and "Page 1 of" in text


@pytest.mark.slow
def test_libreoffice_draws_hangul_with_the_east_asian_font(layout, tmp_path):
    soffice, pdffonts = shutil.which("soffice"), shutil.which("pdffonts")
    if soffice is None or pdffonts is None:
        pytest.skip("LibreOffice or poppler not installed")
    source = tmp_path / "kinds.docx"
    source.write_bytes(render_docx(_every_kind(), layout))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    fonts = subprocess.run([pdffonts, str(tmp_path / "kinds.pdf")], capture_output=True,
                           text=True).stdout
    assert "NanumGothic" in fonts and "NotoSerif" in fonts


def pandoc_notes(plain: str) -> dict[int, str]:
    """Footnotes as pandoc's plain writer prints them at the end: `[n] text`."""
    return {int(n): _squash(text) for n, text in
            re.findall(r"^\[(\d+)\] (.*?)(?=\n\n\[\d+\] |\Z)", plain, re.S | re.M)}


@pytest.mark.slow
def test_pandoc_reads_every_footnote_and_key_judgment(data, document, tmp_path):
    pypandoc = pytest.importorskip("pypandoc")
    source = tmp_path / "brief.docx"
    source.write_bytes(data)
    plain = pypandoc.convert_file(str(source), "plain", format="docx")
    expected = [_squash(t.plain_text(note.children)) for note in _tree_footnotes(document)]
    assert pandoc_notes(plain) == dict(enumerate(expected, start=1))
    text = _squash(plain)
    for node in _judgments(document):
        assert f"{node.number}. {_squash(t.plain_text(node.children))}" in text, node.anchor


def test_a_reference_in_another_language_is_tagged_so(tmp_path):
    from briefing.build.pipeline import build

    fixture = Path(__file__).parent / "fixtures" / "every-node"
    docx_path = build(fixture, tmp_path, ("docx",)).outputs["docx"]
    body = _xml(docx_path.read_bytes(), "word/document.xml")
    entries = [p for p in body.iter(f"{W}p")
               if any(b.get(f"{W}name", "").endswith("src_b") or
                      b.get(f"{W}name", "") == "ref_src_b"
                      for b in p.iter(f"{W}bookmarkStart"))]
    assert len(entries) == 1
    langs = {x.get(f"{W}val") for x in entries[0].iter(f"{W}lang")}
    assert langs == {"de-DE"}
    other = [p for p in body.iter(f"{W}p") if "Widget Institute" in "".join(
        t.text or "" for t in p.iter(f"{W}t")) and p is not entries[0]]
    assert other and all({x.get(f"{W}val") for x in p.iter(f"{W}lang")} <= {"en-US"}
                         for p in other)


def _run_through_python_docx(paragraph, text, style_id, bold, italic, lang, east_asia):
    """A run made as the renderer made it before `append_run`: python-docx's add_run
    and setters, then the language."""
    run = paragraph.add_run(text)
    if style_id is not None:
        docx_styles.apply_style(run._r, style_id)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    docx_runs.set_lang(run._r.get_or_add_rPr(), lang, east_asia)
    return run._r


RUN_TEXTS = ["", "plain", " lead", "trail ", "\u00a0nbsp", "tab\there", "\tfirst", "last\t",
             "line\nbreak", "cr\r\nlf", "\n", "a\t\tb", "soft\u00adhyphen", "Кириллица ",
             "  ", "x\u2003y"]


@pytest.mark.parametrize("text", RUN_TEXTS)
@pytest.mark.parametrize("style_id,bold,italic,east_asia", [
    (None, None, None, None), ("Hyperlink", True, None, None), (None, False, True, "ko-KR"),
    ("FootnoteReference", None, False, "ja-JP")])
def test_a_run_is_built_as_python_docx_builds_it(text, style_id, bold, italic, east_asia):
    document = docx.Document()
    ours = docx_runs.append_run(document.add_paragraph()._p, text, style_id, bold, italic,
                               "en-GB", east_asia)
    theirs = _run_through_python_docx(document.add_paragraph(), text, style_id, bold,
                                      italic, "en-GB", east_asia)
    assert etree.tostring(ours) == etree.tostring(theirs)


@pytest.mark.parametrize("given", [None, "w:jc", "w:spacing", "w:pStyle", "w:rPr"])
def test_a_paragraph_style_is_set_as_python_docx_sets_it(given):
    """apply_style writes w:pStyle itself; python-docx's setter gives the same XML,
    whatever paragraph properties are already there."""
    document = docx.Document()
    ours, theirs = document.add_paragraph("a")._p, document.add_paragraph("a")._p
    for p in (ours, theirs):
        if given:
            properties = p.get_or_add_pPr()
            properties.append(properties.makeelement(docx.oxml.ns.qn(given), {}))
    docx_styles.apply_style(ours, "Heading1")
    theirs.style = "Heading1"
    assert etree.tostring(ours) == etree.tostring(theirs)
    docx_styles.apply_style(ours, "Body")
    theirs.style = "Body"
    assert etree.tostring(ours) == etree.tostring(theirs)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_style_first_made_in_the_render_is_saved_with_the_styles(document, layout):
    """A renderer begun ahead saves the styles it made then, unless the render makes or
    changes one: a layout without a Quote style, and a brief that quotes."""
    from dataclasses import replace

    from briefing.render.docx import renderer as docx_module

    styles = {name: style for name, style in layout.layout.styles.items() if name != "Quote"}
    unquoted = LoadedLayout(layout.layout.model_copy(update={"styles": styles}),
                            layout.folder, layout.located)
    quoting = replace(document, blocks=(*document.blocks, t.Paragraph(
        (t.Text("A line quoted."),), style="Quote")))
    fresh = render_docx(quoting, unquoted)
    docx_module.ready_next(unquoted, quoting.meta)
    assert render_docx(quoting, unquoted) == fresh
    renderer = DocxRenderer(unquoted)
    renderer.begin(quoting.meta)
    saved = _parts(renderer.render(quoting))["word/styles.xml"]
    assert saved == serialize_part_xml(renderer.doc.styles.element), "the styles as they end"
    assert b'w:styleId="Quote"' in saved


def test_a_rebuild_reads_again_only_the_blocks_it_changed(layout, tmp_path, monkeypatch):
    """The manifest reads back what the render wrote; a block this process read before
    (the same XML, styles and links) is not read again. After an edit, the DOCX is the
    same as a render that remembers nothing, and only the edited blocks were read."""
    from briefing.render.docx import wordml

    folder = tmp_path / "nk-russia"
    shutil.copytree(NK, folder)
    judgments = folder / "judgments.yaml"
    text = judgments.read_text("utf-8")
    assert text.count("publicly backed") == 1
    judgments.write_text(text.replace("publicly backed", "openly backed"), "utf-8")
    before = compose(load_brief(NK), layout, fields=True)
    after = compose(load_brief(folder), layout, fields=True)
    read: list[str] = []
    real = wordml._Reader._paragraph

    def reading(self, p):
        read.append("".join(p.itertext()))
        return real(self, p)

    monkeypatch.setattr(wordml._Reader, "_paragraph", reading)
    monkeypatch.setattr(wordml, "_READINGS", wordml.Readings())
    fresh = render_docx(after, layout)
    everything = len(read)
    monkeypatch.setattr(wordml, "_READINGS", wordml.Readings())
    render_docx(before, layout)
    read.clear()
    assert render_docx(after, layout) == fresh
    body = [text for text in read if "openly backed" in text]
    assert body and len(read) < everything // 4, read


def test_a_renderer_begun_ahead_gives_the_same_document_and_only_for_its_languages(
        document, layout, data, monkeypatch):
    from dataclasses import replace

    from briefing.render.docx import renderer as docx_module

    made: list[DocxRenderer] = []
    real_init = DocxRenderer.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(DocxRenderer, "__init__", counting_init)
    docx_module.ready_next(layout, document.meta)
    assert len(made) == 1
    assert render_docx(document, layout) == data and len(made) == 1, "the ready one was used"
    ukrainian = replace(document, meta=replace(document.meta, language="uk"))
    docx_module.ready_next(layout, document.meta)
    other = render_docx(ukrainian, layout)
    assert len(made) == 3, "a renderer begun for other languages is not used"
    assert b'w:lang w:val="uk-UA"' in _parts(other)["word/styles.xml"]
    assert render_docx(document, layout) == data and len(made) == 4
