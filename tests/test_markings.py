"""Markings: banners and portion marks in each scheme's syntax, in both formats and
everywhere a portion's text appears; validate's messages name the portion."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefing.build.pipeline import build
from briefing.cli.main import main
from briefing.model import marks

FIXTURES = Path(__file__).parent / "fixtures"

# Each portion's text (its start) and the mark a reader must see before it.
US_PORTIONS = {
    "Widget exports will likely rise next year (": "(S//NF)",
    "Orders are already rising.": "(U)",
    "Widget exports will likely rise next year.": "(S//NF)",
    "Two sources agree on the direction.": "(S//NF)",
    "Prices stayed stable this year.": "(U)",
    "Published price lists.": "(U)",
    "Reporting. Source A reports more orders.": "(C//REL TO USA, GBR)",
    "Reporting. A new plant opened in March.": "(S//OC)",
    "Reporting. The price list did not change.": "(U)",
    "Exports stall because of a shortage.": "(C)",
    "Would be right if: Orders fall for two quarters.": "(C)",
    "Plan for more exports.": "(C)",
    "New export orders, month by month.": "(U)",
    "Kim, J. (2026, June).": "(U)",  # "Ji-woo": a lower-case part is no initial (CSL)
    "Widget Institute. (2026).": "(U)",  # APA's CSL dates a report by its year
}
UK_PORTIONS = {
    "Widget supply will likely tighten next year (": "(S UK EYES ONLY)",
    "Widget supply will likely tighten next year.": "(OS COMMERCIAL)",
    "The institute's review and the plant's order book agree.": "(OS COMMERCIAL)",
    "Reporting. The institute's review expects fewer deliveries.": "(O)",
    "A glut follows the new plant's opening.": "(O)",
    "Secure supply contracts early.": "(OS)",
    "Monthly deliveries.": "(O)",
    "Widget Institute. (2026).": "(O)",
}
CASES = {
    "marked-us": ("SECRET//ORCON/NOFORN", US_PORTIONS,
                  ["1. (S//NF) Widget exports will likely rise next year.",
                   "2. (U) Prices stayed stable this year."]),
    "marked-uk": ("SECRET COMMERCIAL UK EYES ONLY", UK_PORTIONS,
                  ["1. (OS COMMERCIAL) Widget supply will likely tighten next year."]),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module", params=sorted(CASES))
def built(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    name = request.param
    result = build(FIXTURES / name, tmp_path_factory.mktemp(name), ("pdf", "docx"))
    return name, result.outputs


def _marked(text: str, portions: dict[str, str]) -> None:
    for start, mark in portions.items():
        assert f"{mark} {start}" in text, f"{mark} {start!r} missing"


def _outline(items, out: list[str]) -> list[str]:
    for item in items:
        if isinstance(item, list):
            _outline(item, out)
        else:
            out.append(item.title)
    return out


def test_pdf_marks_every_portion_and_the_banner(built):
    name, outputs = built
    banner, portions, _ = CASES[name]
    reader = PdfReader(outputs["pdf"])
    pages = [_squash(page.extract_text()) for page in reader.pages]
    _marked(" ".join(pages), portions)
    assert all(page.count(banner) >= 2 for page in pages)  # top and bottom of each page


def test_pdf_bookmarks_carry_the_portion_marks(built):
    name, outputs = built
    _, _, headings = CASES[name]
    outline = _outline(PdfReader(outputs["pdf"]).outline, [])
    for heading in headings:
        assert outline.count(heading) == 2  # the key judgment and its discussion heading


def _docx_text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def test_docx_marks_every_portion_heading_and_contents_entry(built):
    name, outputs = built
    banner, portions, headings = CASES[name]
    document = docx.Document(outputs["docx"])
    paragraphs = [(p.style.name, _docx_text(p)) for p in document.paragraphs]
    cells = [_docx_text(p) for table in document.tables for row in table.rows
             for cell in row.cells for p in cell.paragraphs]
    _marked(" ".join([text for _, text in paragraphs] + cells), portions)
    assert [text for style, text in paragraphs if style == "Heading 2"] == headings
    assert [text for style, text in paragraphs if style == "toc 2"] == headings
    section = document.sections[0]
    assert banner in _docx_text(section.header.paragraphs[0])
    assert banner in " ".join(_docx_text(p) for p in section.footer.paragraphs)


@pytest.mark.parametrize(("scheme", "level", "controls", "banner", "portion"), [
    ("us", "SECRET", ["NOFORN"], "SECRET//NOFORN", "(S//NF)"),
    ("us", "TOP SECRET", ["nf", "SI", "ORCON"], "TOP SECRET//SI//ORCON/NOFORN",
     "(TS//SI//OC/NF)"),
    ("us", "CONFIDENTIAL", ["REL TO GBR, USA, AUS"], "CONFIDENTIAL//REL TO USA, AUS, GBR",
     "(C//REL TO USA, AUS, GBR)"),
    ("us", "UNCLASSIFIED", [], "UNCLASSIFIED", "(U)"),
    ("uk", "OFFICIAL-SENSITIVE", ["uk eyes only", "COMMERCIAL"],
     "OFFICIAL-SENSITIVE COMMERCIAL UK EYES ONLY", "(OS COMMERCIAL UK EYES ONLY)"),
    (["PUBLIC", "INTERNAL", "RESTRICTED"], "RESTRICTED", ["HR ONLY"],
     "RESTRICTED//HR ONLY", "(RESTRICTED//HR ONLY)"),
])
def test_banner_and_portion_syntax(scheme, level, controls, banner, portion):
    assert marks.banner(scheme, level, controls) == banner
    assert marks.portion(scheme, level, controls) == portion


# ---- validate -------------------------------------------------------------------


@pytest.fixture
def marked(tmp_path, monkeypatch):
    """A copy of the US fixture at <tmp>/marked-us, the working directory <tmp>."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "marked-us", tmp_path / "marked-us")
    return tmp_path / "marked-us" / "brief.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _pos(path: Path, needle: str) -> str:
    text = path.read_text("utf-8")
    assert text.count(needle) == 1, needle
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"marked-us/brief.yaml:{line}:{col}"


def _errors(capsys) -> tuple[int, list[str]]:
    code = main(["validate", "marked-us"])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if ": error: " in line]


def test_the_fixtures_validate_clean(capsys):
    for name in CASES:
        assert main(["validate", str(FIXTURES / name)]) == 0
        assert "0 error(s), 0 warning(s)" in capsys.readouterr().err


def test_portion_above_the_banner_names_the_portion(marked, capsys):
    _edit(marked, "classification: CONFIDENTIAL\n        controls",
          "classification: TOP SECRET\n        controls")
    code, errors = _errors(capsys)
    assert code == 2
    assert errors == [f"{_pos(marked, 'TOP SECRET')}: error: evidence 'ev-orders' is marked "
                      "TOP SECRET, higher than the banner SECRET; raise the banner to "
                      "TOP SECRET [BR704]"]


def test_control_missing_from_the_banner_names_the_portion(marked, capsys):
    _edit(marked, "controls: [NOFORN, ORCON]", "controls: [NOFORN]")
    code, errors = _errors(capsys)
    assert code == 2
    place = _pos(marked, "ORCON")
    assert errors == [f"{place}: error: evidence 'ev-plant' carries ORCON, which the banner "
                      "SECRET//NOFORN lacks; the banner needs it: SECRET//ORCON/NOFORN [BR710]"]


def test_a_release_list_wider_than_the_banners_is_covered_a_narrower_one_is_not(marked,
                                                                                 capsys):
    _edit(marked, "controls: [NOFORN, ORCON]", 'controls: [ORCON, "REL TO USA, GBR, AUS"]')
    text = marked.read_text("utf-8")
    marked.write_text(text.replace("    controls: [NOFORN]\n", ""), "utf-8")  # BLUF, kj-rise
    code, errors = _errors(capsys)
    assert code == 2
    place = _pos(marked, '"REL TO USA, GBR"]')
    assert errors == [f"{place}: error: evidence 'ev-orders' carries REL TO USA, GBR, which "
                      "the banner SECRET//ORCON/REL TO USA, AUS, GBR releases more widely; "
                      "the banner needs it: SECRET//ORCON/REL TO USA, GBR [BR710]"]


def test_unmarked_portion_is_an_error_with_portion_marks(marked, capsys):
    _edit(marked, "  - text: Orders are already rising.\n    classification: UNCLASSIFIED\n",
          "  - Orders are already rising.\n")
    code, errors = _errors(capsys)
    assert code == 2
    assert errors == [f"{_pos(marked, 'Orders are already rising.')}: error: BLUF paragraph "
                      "2 has no classification; with portion_marks: true every portion "
                      "needs one [BR709]"]


def test_unknown_control_suggests_the_known_one(marked, capsys):
    _edit(marked, "controls: [ORCON]", "controls: [ORKON]")
    code, errors = _errors(capsys)
    assert errors[0] == (f"{_pos(marked, 'ORKON')}: error: evidence 'ev-plant': 'ORKON' is "
                         "not a control of the us scheme (HCS, SI, TK, RSEN, FOUO, ORCON, "
                         "IMCON, NOFORN, PROPIN, REL TO …, RELIDO, DISPLAY ONLY …); did you "
                         "mean 'ORCON'? [BR707]")


def test_an_unquoted_release_list_says_to_quote_it(marked, capsys):
    _edit(marked, 'controls: ["REL TO USA, GBR"]', "controls: [REL TO USA, GBR]")
    code, errors = _errors(capsys)
    assert code == 2
    assert errors == [f"{_pos(marked, 'GBR]')}: error: evidence 'ev-orders': 'GBR' is not a "
                      "control of the us scheme (HCS, SI, TK, RSEN, FOUO, ORCON, IMCON, "
                      "NOFORN, PROPIN, REL TO …, RELIDO, DISPLAY ONLY …); quote a release "
                      "list as one item: \"REL TO USA, GBR\" [BR707]"]


def test_noforn_and_a_release_list_exclude_each_other(marked, capsys):
    _edit(marked, "controls: [ORCON]", 'controls: [ORCON, NOFORN, "REL TO USA, GBR"]')
    code, errors = _errors(capsys)
    assert code == 2
    assert errors[0].endswith("error: evidence 'ev-plant': NOFORN and REL TO exclude each "
                              "other; keep one of them [BR708]")


def test_tlp_brief_takes_no_controls(marked, capsys):
    text = marked.read_text("utf-8")
    start = text.index("marking:")
    end = text.index("\nbluf:")
    marked.write_text(text[:start] + "marking: {tlp: 'TLP:AMBER', controls: [NOFORN]}\n"
                      + text[end:], "utf-8")
    code, errors = _errors(capsys)
    assert code == 2
    assert errors[0] == (f"{_pos(marked, '[NOFORN]}')}: error: controls are given, but the "
                         "brief is marked TLP:AMBER; TLP 2.0 has no caveats (use "
                         "TLP:AMBER+STRICT to keep it within the organisation) [BR706]")


def test_banner_shorthand_in_us_syntax(marked, capsys):
    text = marked.read_text("utf-8")
    start = text.index("marking:")
    end = text.index("\nbluf:")
    marked.write_text(text[:start] + "marking: SECRET//ORCON/NOFORN\n" + text[end:], "utf-8")
    assert main(["validate", "marked-us"]) == 0
