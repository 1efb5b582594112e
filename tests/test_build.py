"""Building: layouts, literal content, odd shapes, atomic outputs, the tree command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from scaffolds import scaffolded as new_brief

from briefing.build.pipeline import BuildError, build
from briefing.cli.main import main
from briefing.core.findings import ContentError
from briefing.load.layout import load_layout

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
POLICY = ROOT / "layouts" / "policy-brief"


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the shipped layouts and a scaffolded brief."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    new_brief("demo", tmp_path / "content", "schema.json")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def test_one_pager_gives_exactly_one_page_for_the_nk_brief(tmp_path):
    result = build(NK, tmp_path, ("pdf",), "one-pager")
    pdf = PdfReader(result.outputs["pdf"])
    assert len(pdf.pages) == 1
    text = _text(result.outputs["pdf"])
    assert "BOTTOM LINE UP FRONT" in text and "Sources" in text
    assert "Discussion" not in text


def test_markup_like_content_is_printed_literally(project):
    brief = project / "content" / "demo" / "brief.yaml"
    _edit(brief, "State the bottom line first",
          "Literal <b>bold</b> <font color=red>red</font> {{ 7*7 }} &amp; %s and")
    result = build(brief.parent, project / "out", ("pdf",))
    text = _text(result.outputs["pdf"])
    assert "Literal <b>bold</b> <font color=red>red</font> {{ 7*7 }} &amp; %s and" in text
    assert "49" not in text


def test_very_long_word_and_empty_sections_render(project):
    brief = project / "content" / "demo" / "brief.yaml"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6
    _edit(brief, "What the source reports, in your words.", f"{word}.")
    text = brief.read_text("utf-8")
    text = re.sub(r"alternative_views:\n(  .*\n|\n)*?(?=outlook:)", "", text)
    text = re.sub(r"indicators:\n(  .*\n|\n)*?(?=sources:)", "", text)
    brief.write_text(text, "utf-8")
    result = build(brief.parent, project / "out", ("pdf",))
    pdf_text = _text(result.outputs["pdf"]).replace(" ", "")
    assert word[:60] in pdf_text
    assert "Alternative views" not in _text(result.outputs["pdf"])


def test_brief_with_250_judgments_renders(project):
    brief = project / "content" / "demo" / "brief.yaml"
    text = brief.read_text("utf-8")
    block = text[text.index("  - id: kj-1"):text.index("alternative_views:")]
    many = "".join(block.replace("kj-1", f"kj-{i}").replace("ev-1", f"ev-{i}")
                   for i in range(1, 251))
    brief.write_text(text.replace(block, many), "utf-8")
    result = build(brief.parent, project / "out", ("pdf",))
    reader = PdfReader(result.outputs["pdf"])
    assert len(reader.pages) > 10
    assert _text(result.outputs["pdf"]).count("likely to continue over the next year") == 500


def test_invalid_content_keeps_the_last_good_output(project, capsys):
    brief = project / "content" / "demo"
    out = project / "out"
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 0
    before = (out / "demo.pdf").read_bytes()
    _edit(brief / "brief.yaml", "    confidence: low", "    confidnce: low")
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 2
    assert (out / "demo.pdf").read_bytes() == before
    assert "nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [".briefing", "demo.pdf"]  # no temp files


def test_build_failure_exits_1_and_keeps_output(project, capsys):
    brief = project / "content" / "demo"
    out = project / "out"
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 0
    before = (out / "demo.pdf").read_bytes()
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf",
                 "--layout", "no-such-layout"]) == 1
    assert (out / "demo.pdf").read_bytes() == before
    assert "no layout named 'no-such-layout'" in capsys.readouterr().err


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  Evidence: {font: serif", "  Evidense: {font: serif",
     "unknown style name 'Evidense'; did you mean 'Evidence'?"),
    ("    regular: NotoSans-Regular.ttf", "    regular: NoSuchFont.ttf",
     "font file 'NoSuchFont.ttf' not found"),
    ('colour: "#1A1A1A", space_after: 6', 'colour: "red", space_after: 6',
     "'red' is not a colour for 'colour': write #RRGGBB, six hexadecimal digits, such as "
     "#12355B"),
])
def test_layout_errors_point_at_layout_yaml(tmp_path, old, new, message):
    folder = tmp_path / "policy-brief"
    shutil.copytree(POLICY, folder)
    layout = folder / "layout.yaml"
    text = layout.read_text("utf-8")
    assert text.count(old) == 1
    layout.write_text(text.replace(old, new), "utf-8")
    line = next(i for i, ln in enumerate(layout.read_text("utf-8").splitlines(), 1)
                if new in ln)
    with pytest.raises(ContentError) as caught:
        load_layout(layout)
    finding = caught.value.findings[0]
    assert finding.place.line == line
    assert finding.place.path.endswith("layout.yaml")
    assert message in finding.message


def test_layout_error_fails_the_build(project):
    layout = project / "layouts" / "policy-brief" / "layout.yaml"
    _edit(layout, "  Evidence: {font: serif", "  Evidence: {font: nosuchfamily")
    with pytest.raises(BuildError) as caught:
        build(project / "content" / "demo", project / "out", ("pdf",))
    assert "font family 'nosuchfamily'" in str(caught.value.findings[0])


def test_tree_prints_the_document_tree(capsys):
    assert main(["tree", str(NK)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Document: The North Korea–Russia Alliance\n  marking: TLP:CLEAR")
    assert "KeyJudgment 6 #kj-durable-alliance (Likely (55–80 %) · Moderate confidence)" in out
    assert "Paragraph [Source Entry] #ref-garamone-2023: Garamone, J. (2023, March 3)." in out


@pytest.mark.parametrize("engine", ["typst", "reportlab"])
def test_a_character_no_font_can_draw_is_a_located_error_before_any_render(
        project, capsys, engine):
    """BR815 at `validate` and at `build`, with either engine: PDF/UA-1 forbids such a
    character and ReportLab would print a box; the previous PDF is kept."""
    out = project / "out"
    brief = project / "content" / "demo" / "brief.yaml"
    args = ["build", str(brief.parent), "--out-dir", str(out), "--format", "pdf",
            "--pdf-engine", engine]
    assert main(args) == 0
    before = (out / "demo.pdf").read_bytes()
    _edit(brief, "State the bottom line first", "State \U00013000 the bottom line first")
    line = next(i for i, text in enumerate(brief.read_text("utf-8").splitlines(), 1)
                if "\U00013000" in text)
    message = (f"brief.yaml:{line}:9: error: character U+13000 EGYPTIAN HIEROGLYPH A001 has "
               "no glyph in any font of layout 'policy-brief' (serif, sans, hangul); replace "
               "it, or give the layout a font that draws it [BR815]")
    capsys.readouterr()
    assert main(["validate", str(brief.parent)]) == 2
    assert message in capsys.readouterr().err
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err
    assert (out / "demo.pdf").read_bytes() == before


@pytest.mark.parametrize(("old", "new", "message", "below"), [
    ('<p style="Title">', '<p style="Titel">',
     "error: the template uses unknown style 'Titel'; did you mean 'Title'?", 0),
    ("{{ brief.title }}</p>", "{{ brief.titel }}</p>",
     "error: template error: 'briefing.model.brief.Brief object' has no attribute 'titel'", 0),
    # jinja2 notices an unclosed tag where the next one starts
    ("{% for kj in brief.key_judgments %}\n<kj", "{% for kj in brief.key_judgments %\n<kj",
     "error: template error: unexpected '<'", 1),
])
def test_template_errors_point_at_the_template_line(project, capsys, old, new, message, below):
    template = project / "layouts" / "policy-brief" / "brief.xml.j2"
    text = template.read_text("utf-8")
    assert text.count(old) == 1
    template.write_text(text.replace(old, new), "utf-8")
    line = below + next(i for i, ln in enumerate(template.read_text("utf-8").splitlines(), 1)
                        if new.split("\n")[0] in ln)
    code = main(["build", str(project / "content" / "demo"), "--out-dir",
                 str(project / "out"), "--format", "pdf"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(rf"brief\.xml\.j2:{line}:\d+: {re.escape(message)}", err), err
    for command in ("validate", "tree"):  # validate finds it; tree never says "internal"
        assert main([command, str(project / "content" / "demo")]) == 2
        err = capsys.readouterr().err
        assert re.search(rf"brief\.xml\.j2:{line}:\d+: {re.escape(message)}", err), err
        assert "internal error" not in err


def test_portion_marks_appear_before_marked_items(project):
    brief = project / "content" / "demo" / "brief.yaml"
    _edit(brief, "marking: TLP:CLEAR",
          "marking: {classification: SECRET, scheme: us, portion_marks: true}")
    _edit(brief, "    confidence: low\n", "    confidence: low\n    classification: SECRET\n")
    _edit(brief, "        credibility: 6\n",
          "        credibility: 6\n        classification: CONFIDENTIAL\n")
    # With portion_marks every portion needs a mark: the rest are unclassified.
    _edit(brief, "bluf: >-\n  State", "bluf:\n  text: >-\n    State")
    _edit(brief, "[@example-source].\n", "[@example-source].\n  classification: UNCLASSIFIED\n")
    _edit(brief, "    text: A competing explanation of the same facts.\n",
          "    text: A competing explanation of the same facts.\n"
          "    classification: UNCLASSIFIED\n")
    _edit(brief, "  - What this means for the reader's decisions.\n",
          "  - {text: What this means for the reader's decisions., "
          "classification: UNCLASSIFIED}\n")
    _edit(brief, "    supports: [kj-1]\n",
          "    supports: [kj-1]\n    classification: UNCLASSIFIED\n")
    _edit(brief, "    reliability: F\n", "    reliability: F\n    classification: UNCLASSIFIED\n")
    result = build(brief.parent, project / "out", ("pdf",))
    text = _text(result.outputs["pdf"])
    assert "1. (S) The development in question is likely to continue" in text
    assert "(C) Reporting. What the source reports" in text
    assert "(U) State the bottom line first" in text
    assert "(U) A competing explanation of the same facts." in text
    assert "(U) What this means for the reader's decisions." in text
    assert "(U) A signpost to watch." in text
    assert "(U) Title of the source as it gives it" in text
    assert text.count("SECRET") >= 2  # the banner, top and bottom
