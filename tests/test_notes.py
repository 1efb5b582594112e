"""Notes: one note per citation in note styles, numbered 1…N in both formats, never nested.

The NK brief is built with copies of the policy-brief layout set to three
note-class and three author-date CSL styles; the outputs are read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader
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
from briefing.compose.composer import compose
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
NOTE_STYLES = ("chicago-notes-bibliography", "chicago-shortened-notes-bibliography", "oscola")
AUTHOR_DATE_STYLES = ("apa", "chicago-author-date", "harvard-cite-them-right")
STYLES = NOTE_STYLES + AUTHOR_DATE_STYLES
FURNITURE = {"TLP:CLEAR", "The North Korea–Russia Alliance · Edition 1"}


def layout_with_style(folder: Path, style: str) -> Path:
    """A copy of the policy-brief layout whose citation_style is `style`."""
    target = folder / style
    shutil.copytree(ROOT / "layouts" / "policy-brief", target)
    path = target / "layout.yaml"
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^citation_style: .*$", f"citation_style: {style}", text),
                    "utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path, t.Document]]:
    root = tmp_path_factory.mktemp("styles")
    loaded = load_brief(NK)
    out = {}
    for style in STYLES:
        layout = layout_with_style(root / "layouts", style)
        result = build(NK, root / style, ("pdf", "docx"), str(layout),
                       pdf_engine="reportlab")  # its notes are read from its endnotes
        assert not result.invalid, result.findings
        out[style] = (result.outputs["pdf"], result.outputs["docx"],
                      compose(loaded, load_layout(layout)))
    return out


@pytest.fixture(scope="module")
def typst_built(tmp_path_factory, built) -> dict[str, Path]:
    """The Typst PDF (the default engine: page footnotes) of each note style."""
    root = tmp_path_factory.mktemp("typst-styles")
    return {style: build(NK, root / style, ("pdf",), str(layout_with_style(
        root / "layouts", style))).outputs["pdf"] for style in NOTE_STYLES}


def walk(nodes, in_note: bool = False):
    """(node, inside a note) for every inline of the tree, in reading order."""
    for node in nodes:
        yield node, in_note
        children = list(getattr(node, "children", ()) or ())
        if isinstance(node, t.KeyJudgment):
            children += list(node.basis)
        if isinstance(node, t.Table):
            children = [i for row in node.rows for cell in row for i in cell.children]
        if isinstance(node, t.ListBlock):
            children = [i for item in node.items for i in item]
        yield from walk(children, in_note or isinstance(node, t.Footnote))


def docx_notes(docx: Path) -> tuple[list[str], list[str], etree._Element]:
    """(ids of the body's note references in order, ids of the notes, footnotes.xml)."""
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    references = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    ids = [n.get(qn("w:id")) for n in notes.iter(qn("w:footnote"))
           if n.get(qn("w:type"), "normal") == "normal"]
    return references, ids, notes


def pdf_note_numbers(pdf: Path) -> list[int]:
    """The numbers of the notes listed under the PDF's closing "Notes" heading."""
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    notes = text[text.rindex("\nNotes\n"):]
    return [int(n) for n in re.findall(r"(?m)^(\d+)\. ", notes)]


@pytest.mark.parametrize("style", STYLES)
def test_notes_are_numbered_one_to_n_once_each_in_both_formats(built, style):
    pdf, docx, document = built[style]
    references, ids, _ = docx_notes(docx)
    count = sum(isinstance(n, t.Footnote) for n, _ in walk(document.blocks))
    assert count > 0
    assert references == ids == [str(n) for n in range(1, count + 1)]
    assert pdf_note_numbers(pdf) == list(range(1, count + 1))


@pytest.mark.parametrize("style", STYLES)
def test_no_note_is_nested_in_another(built, style):
    _, docx, document = built[style]
    assert not [n for n, in_note in walk(document.blocks)
                if in_note and isinstance(n, t.Footnote)]
    _, _, notes = docx_notes(docx)
    assert not list(notes.iter(qn("w:footnoteReference")))


@pytest.mark.parametrize("style", NOTE_STYLES)
def test_a_note_style_makes_every_citation_one_note(built, style):
    """As many notes as the author-date build has citations outside notes plus notes;
    no citation is left in running text, and one inside a note is printed in it."""
    document = built[style][2]
    reference = built["apa"][2]
    in_text = sum(isinstance(n, t.Citation) and not in_note for n, in_note in walk(
        reference.blocks))
    notes = sum(isinstance(n, t.Footnote) for n, _ in walk(reference.blocks))
    nodes = list(walk(document.blocks))
    assert sum(isinstance(n, t.Footnote) for n, _ in nodes) == in_text + notes
    assert not [n for n, in_note in nodes if isinstance(n, t.Citation) and not in_note]
    assert sum(isinstance(n, t.Citation) and in_note for n, in_note in nodes) == notes


@pytest.mark.parametrize("style", NOTE_STYLES)
def test_a_note_mark_follows_punctuation_and_its_word(built, style):
    nodes = [n for n, in_note in walk(built[style][2].blocks) if not in_note]
    for before, node, after in zip(nodes, nodes[1:], nodes[2:], strict=False):
        if isinstance(node, t.Footnote):
            if isinstance(before, t.Text):
                assert not before.text[-1:].isspace(), before.text[-40:]
            if isinstance(after, t.Text):
                assert not re.match(r"[.,;:]", after.text), after.text[:40]


def test_a_citation_inside_a_note_does_not_double_its_full_stop(built):
    pdf, docx, _ = built["chicago-notes-bibliography"]
    texts = [text for _, text in footnotes_text(docx)]
    evidence = [text for text in texts if "Source reliability" in text]
    assert evidence and not [text for text in evidence if ".. Source" in text]
    assert any(re.search(r"para\. \d+\. Source reliability", text) for text in evidence)


def footnotes_text(docx: Path) -> list[tuple[str, str]]:
    _, _, notes = docx_notes(docx)
    return [(n.get(qn("w:id")), "".join(x.text or "" for x in n.iter(qn("w:t"))).strip())
            for n in notes.iter(qn("w:footnote")) if n.get(qn("w:type"), "normal") == "normal"]


def test_positions_give_short_forms_and_ibid(built):
    """OSCOLA prints "ibid" for a source cited in the note just before; Chicago's
    shortened notes give a later citation of a source in short form."""
    oscola = [text for _, text in footnotes_text(built["oscola"][1])]
    assert any(text.startswith("ibid") for text in oscola)
    shortened = [text for _, text in footnotes_text(built["chicago-notes-bibliography"][1])]
    degraeve = [text for text in shortened if "Degraeve" in text]
    assert degraeve[0].startswith("Raphael Degraeve, “North Korea")
    assert all(text.startswith("Degraeve, “North Korea") for text in degraeve[1:])


@pytest.mark.parametrize("style", NOTE_STYLES)
def test_pdf_and_docx_carry_the_same_notes(built, style):
    pdf, docx, _ = built[style]
    docx_text = squash(docx_blocks(docx))
    pdf_text = drop_repeated(squash(pdf_blocks(pdf, FURNITURE)), table_headers(docx))
    notes_at = docx_text.rindex("Notes1.")
    assert pdf_text[pdf_text.rindex("Notes1."):] == docx_text[notes_at:]
    assert pdf_text == docx_text


@pytest.mark.slow
def test_libreoffice_opens_every_docx_with_all_its_notes(built, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    sources = []
    for style, (_, docx, _) in built.items():
        sources.append(tmp_path / f"{style}.docx")
        shutil.copy(docx, sources[-1])
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for fmt in ("pdf", "fodt"):
        run = subprocess.run([soffice, "--headless", "--convert-to", fmt, "--outdir",
                              str(tmp_path / fmt), *map(str, sources)],
                             capture_output=True, text=True, timeout=300, env=env)
        for source in sources:
            assert (tmp_path / fmt / f"{source.stem}.{fmt}").is_file(), run.stdout + run.stderr
    for style, (pdf, _, _) in built.items():
        assert len(PdfReader(tmp_path / "pdf" / f"{style}.pdf").pages) > 1
        office = etree.parse(str(tmp_path / "fodt" / f"{style}.fodt"))
        text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
        notes = list(office.iter(f"{{{text_ns}}}note"))
        assert len(notes) == len(pdf_note_numbers(pdf)), style
        assert not [n for n in notes if list(n.iterdescendants(f"{{{text_ns}}}note"))]


@pytest.mark.parametrize("style", NOTE_STYLES)
def test_the_typst_pdf_has_a_page_footnote_per_note_and_the_docx_text(built, typst_built,
                                                                       style):
    """Typst's page footnotes: one tagged `Note` per note of the tree, and the same text
    in the same order as the DOCX (read in structure order)."""
    import pikepdf

    _, docx, document = built[style]
    pdf = pikepdf.open(typst_built[style])
    roles = []

    def walk_tree(node):
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk_tree(item)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            roles.append(str(node.S))
            if "/K" in node:
                walk_tree(node.K)

    walk_tree(pdf.Root.StructTreeRoot.K)
    assert roles.count("/Note") == sum(isinstance(n, t.Footnote) for n, _ in walk(
        document.blocks))
    pdf_text = drop_repeated(squash(tagged_blocks(typst_built[style])), table_headers(docx))
    assert pdf_text == squash(docx_blocks(docx))
