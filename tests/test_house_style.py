"""House style: a layout's reference.docx wins over layout.yaml in the DOCX.

The reference is made here with python-docx: a dark-red 13 pt "Key Judgment"
style, a numbering definition, a table style, a header and footer of its own,
Letter paper, a stale body and a stale footnote. Its bad forms (missing, not a
zip, a zip that is no Word file) each have a test showing the message.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from lxml import etree
from readback import list_labels

from briefing.build.pipeline import build
from briefing.cli.main import main
from briefing.compose import tree as t
from briefing.compose.composer import compose
from briefing.core.terminal import display_path
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout
from briefing.render.docx.renderer import render_docx

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
POLICY = ROOT / "layouts" / "policy-brief"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER, FOOTER = "ACME Analysis · House Style", "ACME internal distribution"
DARK_RED = RGBColor(0x8B, 0x00, 0x00)
NUMBERING = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:nsid w:val="0BADC0DE"/>'
             '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
             '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1)"/><w:lvlJc w:val="left"/>'
             '</w:lvl></w:abstractNum>')
STALE_NOTES = (f'<w:footnotes {nsdecls("w")}>'
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
               '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
               '<w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p>'
               '<w:r><w:t>stale note</w:t></w:r></w:p></w:footnote></w:footnotes>')


def make_reference(path: Path, header: str | None = HEADER, brief_table: bool = False) -> None:
    """A house-style reference.docx, as an organisation's template might be."""
    doc = docx.Document()
    judgment = doc.styles.add_style("Key Judgment", WD_STYLE_TYPE.PARAGRAPH)
    judgment.font.color.rgb = DARK_RED
    judgment.font.size = Pt(13)
    grid = doc.styles.add_style("House Grid", WD_STYLE_TYPE.TABLE)
    grid.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders><w:top w:val="double" w:sz="6" w:space="0" '
        'w:color="8B0000"/></w:tblBorders></w:tblPr>'))
    if brief_table:
        doc.styles.add_style("Brief Table", WD_STYLE_TYPE.TABLE).element.append(parse_xml(
            f'<w:tblPr {nsdecls("w")}><w:tblBorders><w:insideH w:val="dotted" w:sz="4" '
            'w:space="0" w:color="8B0000"/></w:tblBorders></w:tblPr>'))
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId '
                               'w:val="77"/></w:num>'))
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    section.left_margin = section.right_margin = Mm(20)
    if header:
        section.header.is_linked_to_previous = False
        section.header.paragraphs[0].text = header
        section.footer.is_linked_to_previous = False
        section.footer.paragraphs[0].text = FOOTER
    doc.add_paragraph("stale body text")
    notes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, STALE_NOTES.encode(),
                 doc.part.package)
    doc.part.relate_to(notes, RT.FOOTNOTES)
    doc.save(str(path))


def house_layout(folder: Path, reference: str = "reference.docx") -> Path:
    """A copy of the policy-brief layout naming `reference` as its reference.docx."""
    shutil.copytree(POLICY, folder)
    layout = folder / "layout.yaml"
    layout.write_text(layout.read_text("utf-8") + f"reference_docx: {reference}\n", "utf-8")
    return folder


@dataclass
class House:
    folder: Path
    reference: docx.document.Document
    word: docx.document.Document
    data: bytes
    document: t.Document


@pytest.fixture(scope="module")
def house(tmp_path_factory) -> House:
    """The NK brief built in a house-style copy of the policy-brief layout."""
    base = tmp_path_factory.mktemp("house")
    folder = house_layout(base / "house-style")
    make_reference(folder / "reference.docx")
    result = build(NK, base / "out", ("docx",), layout_name=str(folder))
    data = result.outputs["docx"].read_bytes()
    document = compose(load_brief(NK), load_layout(folder / "layout.yaml"))
    return House(folder, docx.Document(str(folder / "reference.docx")),
                 docx.Document(io.BytesIO(data)), data, document)


def _xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _styles(doc: docx.document.Document) -> dict[str, bytes]:
    return {s.style_id: etree.tostring(s.element, method="c14n") for s in doc.styles}


def _judgments(document: t.Document) -> list[t.KeyJudgment]:
    return [b for b in document.blocks if isinstance(b, t.KeyJudgment)]


# ---- the reference wins -------------------------------------------------------------


def test_key_judgments_keep_the_reference_style(house):
    judgments = _judgments(house.document)
    styled = [p for p in house.word.paragraphs if p.style.name == "Key Judgment"]
    assert len(styled) == len(judgments) == 7
    labels = list_labels(house.word)
    for paragraph, node in zip(styled, judgments, strict=True):
        assert paragraph.text == t.plain_text(node.children)
        assert labels[paragraph._p] == f"{node.number}."  # Word numbering, not typed
        assert paragraph.style.font.color.rgb == DARK_RED
        assert paragraph.style.font.size == Pt(13)
        # layout.yaml's bold serif is not laid over the house style, nor forced on the runs
        assert paragraph.style.font.bold is None and paragraph.style.font.name is None
        assert all(run.bold is None for run in paragraph.runs)


def test_every_reference_style_is_untouched(house):
    before, after = _styles(house.reference), _styles(house.word)
    assert before.items() <= after.items()
    assert "HouseGrid" in after


def test_styles_the_reference_lacks_come_from_layout_yaml(house):
    layout = load_layout(house.folder / "layout.yaml")
    for name in ("Body", "Evidence", "Basis", "Judgment Meta", "Marking"):
        style = house.word.styles[name]
        assert style.font.size == Pt(layout.style(name)["size"]), name
    evidence = house.word.styles["Evidence"]
    assert evidence.paragraph_format.left_indent == Pt(12)
    assert evidence.element.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "Noto Serif"
    assert evidence.base_style.name == "Body"
    assert any(p.style.name == "Evidence" for p in house.word.paragraphs)
    table = house.word.styles["Brief Table"]
    assert [tb.style.name for tb in house.word.tables if tb.style is not None].count(
        "Brief Table") == 2
    assert table.element.find(f"{W}tblStylePr[@{W}type='firstRow']") is not None


def test_reference_numbering_survives_beside_fresh_lists(house):
    numbering = _xml(house.data, "word/numbering.xml")
    ours = numbering.find(f"{W}abstractNum[@{W}abstractNumId='77']")
    assert ours is not None and ours.find(f"{W}nsid").get(f"{W}val") == "0BADC0DE"
    assert ours.find(f"{W}lvl/{W}numFmt").get(f"{W}val") == "upperRoman"
    num = numbering.find(f"{W}num[@{W}numId='77']/{W}abstractNumId")
    assert num is not None and num.get(f"{W}val") == "77"
    # a brief with lists adds its own definitions with ids that collide with nothing
    lists = t.Document(t.Metadata("Lists"), t.Marking("TLP:CLEAR"), (
        t.ListBlock(((t.Text("one"),), (t.Text("two"),)), ordered=True),
        t.ListBlock(((t.Text("dot"),),))))
    data = render_docx(lists, load_layout(house.folder / "layout.yaml"))
    numbering = _xml(data, "word/numbering.xml")
    abstract = [a.get(f"{W}abstractNumId") for a in numbering.findall(f"{W}abstractNum")]
    nums = [n.get(f"{W}numId") for n in numbering.findall(f"{W}num")]
    assert "77" in abstract and "77" in nums
    assert len(set(abstract)) == len(abstract) and len(set(nums)) == len(nums)
    formats = {n.get(f"{W}val") for n in numbering.iter(f"{W}numFmt")}
    assert {"upperRoman", "decimal", "bullet"} <= formats
    word = docx.Document(io.BytesIO(data))
    used = {p._p.pPr.numPr.numId.val for p in word.paragraphs if p._p.pPr.numPr is not None}
    assert len(used) == 2 and "77" not in {str(u) for u in used}


def test_header_and_footer_keep_the_reference_and_gain_the_marking(house):
    section = house.word.sections[0]
    header = [p.text for p in section.header.paragraphs]
    footer = [p.text for p in section.footer.paragraphs]
    assert header == ["\u00a0\u00a0TLP:CLEAR\u00a0\u00a0", HEADER]
    assert footer == [FOOTER, "\u00a0\u00a0TLP:CLEAR\u00a0\u00a0"]
    banner = section.header.paragraphs[0]
    assert banner.style.name == "Marking" and banner.runs[0].bold


def test_page_setup_comes_from_the_reference(house):
    section = house.word.sections[0]
    assert round(section.page_width.mm, 1) == 215.9 and round(section.page_height.mm, 1) == 279.4
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 20
    assert round(section.top_margin.mm, 1) == 25.4  # the reference's, not layout.yaml's 30
    box = house.word.tables[0].columns[0].width
    assert round(box.mm, 1) == round(215.9 - 40, 1)  # boxes span the reference's text width


def test_reference_body_and_notes_are_replaced(house):
    text = "\n".join(p.text for p in house.word.paragraphs)
    assert "stale body text" not in text
    with zipfile.ZipFile(io.BytesIO(house.data)) as package:
        names = package.namelist()
        notes = package.read("word/footnotes.xml").decode()
    assert names.count("word/footnotes.xml") == 1
    assert "stale note" not in notes
    ids = [n.get(f"{W}id") for n in _xml(house.data, "word/footnotes.xml")]
    assert ids[:2] == ["-1", "0"] and ids[2:] == [str(i) for i in range(1, len(ids) - 1)]


def test_house_style_output_is_reproducible(house, tmp_path):
    again = build(NK, tmp_path / "out", ("docx",), layout_name=str(house.folder))
    assert again.outputs["docx"].read_bytes() == house.data


def test_reference_brief_table_and_marked_header_are_used_as_they_are(tmp_path):
    folder = house_layout(tmp_path / "house")
    make_reference(folder / "reference.docx", header="TLP:CLEAR · ACME", brief_table=True)
    reference = docx.Document(str(folder / "reference.docx"))
    table = t.Table(((t.Cell((t.Text("H"),), "Table Header"),), (t.Cell((t.Text("c"),)),)),
                    header_rows=1)
    document = t.Document(t.Metadata("Table"), t.Marking("TLP:CLEAR"), (table,))
    word = docx.Document(io.BytesIO(render_docx(document, load_layout(folder / "layout.yaml"))))
    assert word.tables[0].style.name == "Brief Table"
    assert _styles(word)["BriefTable"] == _styles(reference)["BriefTable"]
    header = [p.text for p in word.sections[0].header.paragraphs]
    assert header == ["TLP:CLEAR · ACME"]  # already marked: no second banner


def test_reference_without_headers_gets_the_layouts(tmp_path):
    folder = house_layout(tmp_path / "house")
    make_reference(folder / "reference.docx", header=None)
    document = t.Document(t.Metadata("Plain", header="{title} header"), t.Marking("TLP:AMBER"),
                          (t.Paragraph((t.Text("text"),)),))
    word = docx.Document(io.BytesIO(render_docx(document, load_layout(folder / "layout.yaml"))))
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == [
        "\u00a0\u00a0TLP:AMBER\u00a0\u00a0", "Plain header"]
    assert section.footer.paragraphs[0].text.startswith("Page ")


@pytest.mark.slow
def test_pandoc_reads_the_house_style_docx(house, tmp_path):
    pypandoc = pytest.importorskip("pypandoc")
    source = tmp_path / "house.docx"
    source.write_bytes(house.data)
    plain = re.sub(r"\s+", " ", pypandoc.convert_file(str(source), "plain", format="docx"))
    for node in _judgments(house.document):
        text = re.sub(r"\s+", " ", t.plain_text(node.children)).strip()
        assert f"{node.number}. {text}" in plain, node.anchor


# ---- bad reference.docx -----------------------------------------------------------------


def _build(tmp_path: Path, reference: bytes | None, monkeypatch, capsys) -> tuple[int, str, str]:
    """Build the NK brief in a layout whose reference.docx holds `reference` (None: absent);
    return the exit code, stderr and where layout.yaml's reference_docx value stands."""
    monkeypatch.chdir(tmp_path)
    folder = house_layout(tmp_path / "house")
    if reference is not None:
        (folder / "reference.docx").write_bytes(reference)
    code = main(["build", str(NK), "--format", "docx", "--out-dir", str(tmp_path / "out"),
                 "--layout", str(folder)])
    err = capsys.readouterr().err
    layout = folder / "layout.yaml"
    lines = layout.read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("reference_docx:"))
    return code, err, f"{display_path(layout)}:{line}:{len('reference_docx: ') + 1}"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("reference", "problem"), [
    (None, "not found"),
    (b"%PDF-1.7 not a Word file", "is not a Word document (not a zip file)"),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w/>"}),
     "is not a Word document (it has no word/document.xml)"),
])
def test_bad_reference_docx_is_a_located_error(tmp_path, monkeypatch, capsys, reference,
                                               problem):
    code, err, place = _build(tmp_path, reference, monkeypatch, capsys)
    assert code == 1
    assert f"{place}: error: reference_docx 'reference.docx' {problem} [BR812]" in \
        err.splitlines()
    assert "Traceback" not in err and "internal error" not in err
    assert not (tmp_path / "out" / "nk-russia.docx").exists()


def test_reference_docx_python_docx_cannot_open_is_a_build_error(tmp_path, monkeypatch,
                                                                 capsys):
    broken = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"})
    code, err, _ = _build(tmp_path, broken, monkeypatch, capsys)
    assert code == 1
    failed = [line for line in err.splitlines() if ": failed: " in line]
    assert len(failed) == 1
    assert failed[0].split(": failed: ")[1].startswith(
        "docx: reference_docx 'house/reference.docx' is not a Word document (")
    assert "Traceback" not in err and "internal error" not in err
