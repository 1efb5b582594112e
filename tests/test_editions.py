"""Editions: `briefing release`, the computed 'What changed' section, `briefing diff`.

The fixture releases tests/fixtures/editions/edition-1.yaml and edition-2.yaml with
the real command, then leaves working.yaml (edition 3) as the working copy: since
edition 2 it changes one thing of each kind.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from readback import docx_blocks, pdf_blocks, squash

from briefing.cli.main import main
from briefing.editions.report import diff_text
from briefing.load.snapshots import read_release
from briefing.model.changes import EditionDiff

FIXTURE = Path(__file__).parent / "fixtures" / "editions"
KINDS = {"marking", "judgment added", "judgment renamed", "judgment reworded", "likelihood",
         "confidence", "evidence added", "evidence removed", "judgment dropped",
         "source added", "source removed"}


@dataclass
class Editions:
    root: Path
    folder: Path
    out: Path
    digests: dict[int, dict[str, str]]

    def put(self, name: str) -> None:
        (self.folder / "brief.yaml").write_text((FIXTURE / name).read_text("utf-8"), "utf-8")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _make(root: Path) -> Editions:
    folder = root / "widgets"
    folder.mkdir(parents=True)
    editions = Editions(root, folder, root / "out", {})
    for number in (1, 2):
        editions.put(f"edition-{number}.yaml")
        assert main(["release", str(folder), "--out-dir", str(editions.out)]) == 0
        editions.digests[number] = {
            fmt: hashlib.sha256((editions.out / f"widgets.{fmt}").read_bytes()).hexdigest()
            for fmt in ("pdf", "docx")}
        shutil.copy(editions.out / "widgets.docx", root / f"released-{number}.docx")
    editions.put("working.yaml")
    assert main(["build", str(folder), "--out-dir", str(editions.out)]) == 0
    return editions


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Editions:
    """Editions 1 and 2 released, the working copy (edition 3) built."""
    return _make(tmp_path_factory.mktemp("editions"))


@pytest.fixture
def copy(released: Editions, tmp_path: Path, monkeypatch) -> Editions:
    """A private copy of the released brief, with the working directory beside it."""
    shutil.copytree(released.root, tmp_path / "copy")
    monkeypatch.chdir(tmp_path / "copy")
    return Editions(Path("."), Path("widgets"), Path("out"), released.digests)


def diff_json(capsys, folder: Path, *options: str) -> dict:
    code, out, err = run(capsys, "diff", str(folder), "--format", "json", *options)
    assert code == 0, err
    return json.loads(out)


def section(blocks: list[str], title: str) -> list[str]:
    start = blocks.index(title)
    end = next(i for i in range(start + 1, len(blocks)) if blocks[i] in ("Sources", "Notes"))
    return blocks[start + 1:end]


# -- release -------------------------------------------------------------------


def test_release_writes_a_frozen_snapshot_with_the_outputs_digests(released):
    for number in (1, 2):
        snapshot = released.folder / "editions" / f"{number}.yaml"
        release = read_release(snapshot)
        assert release.number == number
        assert release.brief.edition == str(number)
        assert {fmt: v["sha256"] for fmt, v in release.outputs.items()} == \
            released.digests[number]
        assert "Never edit this file" in snapshot.read_text("utf-8")
    second = read_release(released.folder / "editions" / "2.yaml").brief
    assert [ev.id for ev in second.key_judgments[1].evidence] == ["ev-p", "ev-p2"]


def test_release_again_with_the_same_content_does_nothing(copy, capsys):
    copy.put("edition-2.yaml")
    snapshot = copy.folder / "editions" / "2.yaml"
    before = snapshot.read_bytes(), snapshot.stat().st_mtime_ns
    code, out, err = run(capsys, "release", str(copy.folder))
    assert code == 0, err
    assert out == ("edition 2 of 'widgets' is already released as widgets/editions/2.yaml, "
                   "with this content; nothing to do\n")
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns) == before


def test_release_refuses_a_changed_re_release_and_keeps_the_snapshot(copy, capsys):
    copy.put("edition-2.yaml")
    copy.folder.joinpath("brief.yaml").write_text(
        copy.folder.joinpath("brief.yaml").read_text("utf-8").replace(
            "stay flat through next year", "stay flat all of next year"), "utf-8")
    snapshot = copy.folder / "editions" / "2.yaml"
    before = snapshot.read_bytes()
    code, out, err = run(capsys, "release", str(copy.folder))
    assert code == 1
    assert out == ""
    assert err == (
        "widgets/brief.yaml:4:10: error: edition 2 was already released "
        "(widgets/editions/2.yaml) with different content (Judgment 2 (kj-prices) reworded); "
        "a released edition is never rewritten: set edition to 3 and its date to release "
        "these changes\n"
        "briefing: release refused: nothing was released\n")
    assert snapshot.read_bytes() == before
    assert sorted(p.name for p in (copy.folder / "editions").iterdir()) == ["1.yaml", "2.yaml"]


def test_release_refuses_invalid_content(copy, capsys):
    copy.folder.joinpath("brief.yaml").write_text(
        copy.folder.joinpath("brief.yaml").read_text("utf-8").replace(
            "confidence: moderate\n    basis: Order books", "confidnce: moderate\n    basis: "
            "Order books"), "utf-8")
    code, out, err = run(capsys, "release", str(copy.folder))
    assert code == 2
    assert "error: unknown field 'confidnce' in key judgment 'kj-demand'" in err
    assert err.endswith("briefing: release refused: the brief is invalid; fix the errors "
                        "above, then release\n")
    assert not (copy.folder / "editions" / "3.yaml").exists()


def test_release_refuses_an_edition_that_is_not_a_number(copy, capsys):
    text = copy.folder.joinpath("brief.yaml").read_text("utf-8")
    copy.folder.joinpath("brief.yaml").write_text(text.replace("edition: 3", "edition: draft"),
                                                  "utf-8")
    code, _, err = run(capsys, "release", str(copy.folder))
    assert code == 2
    assert ("widgets/brief.yaml:4:10: error: edition 'draft' is not a whole number; "
            "`briefing release` records numbered editions (1, 2, 3 …)\n") in err


def test_releasing_the_working_copy_adds_edition_3(copy, capsys):
    code, out, err = run(capsys, "release", str(copy.folder))
    assert code == 0, err
    assert out.startswith("released edition 3 of 'widgets' as widgets/editions/3.yaml (pdf "
                          "sha256 ")
    assert read_release(copy.folder / "editions" / "3.yaml").brief.key_judgments[0].id == \
        "kj-production"


# -- the computed section and diff ----------------------------------------------


def test_diff_json_lists_every_kind_of_change(released, capsys):
    data = diff_json(capsys, released.folder)
    assert data["from"] == {"edition": 2, "date": "2026-10-01"}
    assert data["to"] == {"edition": 3, "date": "2026-11-01", "working": True}
    assert data["title"] == "What changed since edition 2 (1 October 2026)"
    assert {c["kind"] for c in data["changes"]} >= KINDS
    by_kind = {c["kind"]: c for c in reversed(data["changes"])}
    assert by_kind["likelihood"]["summary"] == \
        "Judgment 2 (kj-prices): likelihood raised, likely → very likely"
    assert by_kind["likelihood"]["direction"] == "raised"
    assert by_kind["confidence"]["summary"] == \
        "Judgment 1 (kj-production): confidence lowered, moderate → low"
    assert by_kind["marking"]["summary"] == "Marking changed, TLP:CLEAR → TLP:GREEN"
    assert by_kind["judgment reworded"]["words"] == [
        ["=", "Widget prices will"], ["+", "very"], ["=", "likely"], ["-", "stay flat"],
        ["+", "rise"], ["=", "through next year."]]
    assert [n["judgment"] for n in data["notes"]] == ["kj-prices", "kj-demand"]


def test_a_rename_by_previous_id_is_not_an_add_and_a_drop(released, capsys):
    changes = diff_json(capsys, released.folder)["changes"]
    about = [(c["kind"], c["subject"]) for c in changes
             if c["subject"] in ("kj-output", "kj-production")]
    assert ("judgment renamed", "kj-production") in about
    assert not [kind for kind, _ in about if kind in ("judgment added", "judgment dropped")]
    renamed = next(c for c in changes if c["kind"] == "judgment renamed")
    assert renamed["previous_id"] == "kj-output"
    # its evidence stays its own: only the evidence really removed is listed
    assert [c["subject"] for c in changes if c["kind"] == "evidence removed"] == ["ev-b"]


def test_docx_section_lists_the_same_changes_as_diff_json(released, capsys):
    data = diff_json(capsys, released.folder)
    blocks = docx_blocks(released.out / "widgets.docx")
    items = section(blocks, data["title"])
    assert items[0] == "Editor's notes"  # the editor's notes come first
    assert items[1].startswith("kj-prices (likelihood): Raised because raw materials")
    start = items.index("All changes since edition 2")
    listed = [item.split("\n")[0] for item in items[start + 1:-1]]
    assert listed == [c["summary"] for c in data["changes"]]
    reworded = next(item for item in items if item.startswith("Judgment 2 (kj-prices) reworded"))
    assert reworded.split("\n")[1:] == [
        "Was: Widget prices will likely stay flat through next year.",
        "Now: Widget prices will very likely rise through next year."]


def test_pdf_section_lists_the_same_changes_as_diff_json(released, capsys):
    data = diff_json(capsys, released.folder)
    text = squash(pdf_blocks(released.out / "widgets.pdf", {"TLP:GREEN"}))
    start = text.index(squash([data["title"]]))
    body = text[start:text.index(squash(["Words removed"]), start)]
    position = 0
    for summary in ["Editor's notes", *[c["summary"] for c in data["changes"]]]:
        found = body.find(squash([summary]), position)
        assert found >= 0, summary
        position = found
    assert squash(["Now: Widget prices will very likely rise through next year."]) in body


def test_edition_2_output_says_what_changed_since_edition_1(released, capsys):
    data = diff_json(capsys, released.folder, "--from", "1", "--to", "2")
    assert data["to"]["working"] is False
    assert [c["summary"] for c in data["changes"]] == [
        "Judgment 2 (kj-prices) reworded",
        "Evidence ev-p2 added to judgment 2 (kj-prices): “Source A reports stable input costs.”"]


def test_diff_text_marks_words_and_colours_only_for_a_terminal(released, capsys):
    code, out, _ = run(capsys, "diff", str(released.folder))
    assert code == 0
    assert "\x1b[" not in out
    assert out.splitlines()[0] == ("What changed since edition 2 (1 October 2026) to the "
                                   "working copy of 'widgets' (edition 3, 1 November 2026)")
    assert "    Widget prices will {+very+} likely [-stay flat-] {+rise+} through next year." \
        in out.splitlines()
    assert "+ Judgment 3 (kj-demand) added: “Demand for widgets rose in the third quarter.”" \
        in out
    assert "- Former judgment 3 (kj-exports) dropped: “Exports are very unlikely to fall this " \
        "year.”" in out
    assert "- Source src-c removed: Export orders by month" in out


def test_diff_text_in_colour():
    import datetime as dt

    from briefing.model.changes import Change

    diff = EditionDiff(1, dt.date(2026, 1, 1), "2", dt.date(2026, 2, 1), True, (
        Change("judgment reworded", "kj", "Judgment kj reworded", words=(("-", "old"),
                                                                         ("+", "new"))),))
    coloured = diff_text(diff, "demo", colour=True)
    assert "\x1b[9;31mold\x1b[0m" in coloured and "\x1b[32m\x1b[1mnew\x1b[0m" in coloured


def test_diff_names_a_missing_edition(released, capsys):
    code, out, err = run(capsys, "diff", str(released.folder), "--from", "7")
    assert code == 1
    assert re.fullmatch(r"briefing: error: edition 7 of 'widgets' was never released "
                        r"\(released editions: 1, 2; snapshots live in .*editions\)\n", err)


# -- validate ------------------------------------------------------------------


def validate_lines(capsys, folder: Path) -> list[str]:
    _, _, err = run(capsys, "validate", str(folder))
    return err.splitlines()[:-1]


def at(folder: Path, *lines: str) -> str:
    """'widgets/brief.yaml:line:col' of the start of the one occurrence of `lines`
    (joined by newlines)."""
    text = (folder / "brief.yaml").read_text("utf-8")
    needle = "\n".join(lines)
    assert text.count(needle) == 1, needle
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"widgets/brief.yaml:{line}:{col}"


def test_validate_edition_earlier_than_the_last_release(copy, capsys):
    copy.put("edition-1.yaml")
    assert validate_lines(capsys, copy.folder) == [
        f"{at(copy.folder, '1', 'date')}: error: edition 1 is earlier than the last released "
        "edition, edition 2 (1 October 2026); the next edition is 3 [BR613]",
        f"{at(copy.folder, '2026-09-01')}: error: date 2026-09-01 is earlier than the date "
        "of the last released edition, edition 2 (1 October 2026) [BR615]",
        f"{at(copy.folder, '- id: ev-p')}: warning: key judgment 'kj-prices' rests only on "
        "assumptions; add the reporting it rests on, or make it an assumption of another "
        "judgment [BR608]"]


def test_validate_warns_of_unreleased_changes_under_a_released_number(copy, capsys):
    text = (FIXTURE / "edition-2.yaml").read_text("utf-8")
    copy.folder.joinpath("brief.yaml").write_text(text.replace("Costs have not moved.",
                                                               "Costs are flat."), "utf-8")
    assert validate_lines(capsys, copy.folder) == [
        f"{at(copy.folder, '2', 'date')}: warning: edition 2 was released "
        "(widgets/editions/2.yaml) and the content has changed since; set edition to 3 "
        "before releasing these changes [BR614]"]


def test_validate_warns_of_an_edition_with_no_released_predecessor(brief, capsys):
    brief.edit("edition: 1", "edition: 2")
    place = brief.pos("2\ndate")
    assert validate_lines(capsys, brief.folder) == [
        f"{place}: warning: edition 2 "
        "has no released predecessor (no earlier edition was recorded with `briefing "
        "release`), so its outputs cannot say what changed; release the previous edition "
        "with `briefing release`, or number this one 1 [BR610]"]


def test_validate_checks_editors_notes_against_the_computed_changes(copy, capsys):
    text = (FIXTURE / "working.yaml").read_text("utf-8")
    text = text.replace("""  - judgment: kj-prices
    change: likelihood
    text: Raised because raw materials became dearer [@src-d].
""", """  - judgment: kj-production
    change: likelihood
    text: Lowered.
  - judgment: kj-demand
    change: dropped
    text: Gone, in fact.
""")
    text = text.replace("bluf: Widget output", "bluf: Widget output, we said,")
    copy.folder.joinpath("brief.yaml").write_text(text, "utf-8")
    lines = validate_lines(capsys, copy.folder)
    assert lines == [
        f"{at(copy.folder, 'very likely', '    confidence: moderate')}: warning: judgment "
        "2 (kj-prices): likelihood raised, likely → very likely since edition 2 (1 October "
        "2026), and no what_changed note says why [BR620]",
        f"{at(copy.folder, 'likelihood', '    text: Lowered')}: warning: editor's note says "
        "judgment 'kj-production' changed in likelihood, but since edition 2 (1 October "
        "2026): Judgment 1 (kj-production): id kj-output renamed kj-production; Judgment 1 "
        "(kj-production): confidence lowered, moderate → low; Evidence ev-b removed from "
        "judgment 1 (kj-production): “Source B reports the same rise.” [BR619]",
        f"{at(copy.folder, 'dropped')}: warning: editor's note says judgment 'kj-demand' "
        "was dropped, but since edition 2 (1 October 2026): Judgment 3 (kj-demand) "
        "added: “Demand for widgets rose in the third quarter.” [BR619]"]


def test_validate_warns_of_a_note_on_an_unchanged_judgment(copy, capsys):
    text = (FIXTURE / "edition-2.yaml").read_text("utf-8").replace(
        "edition: 2\ndate: 2026-10-01", "edition: 3\ndate: 2026-11-01")
    text = text.replace("\nsources:", "\nwhat_changed:\n  - judgment: kj-output\n    change: "
                        "revised\n    text: Checked again.\n\nsources:")
    copy.folder.joinpath("brief.yaml").write_text(text, "utf-8")
    assert validate_lines(capsys, copy.folder) == [
        f"{at(copy.folder, 'kj-output', '    change')}: warning: editor's note on judgment "
        "'kj-output', which did not change since edition 2 (1 October 2026) [BR618]"]


# -- the redline ----------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def redline(released) -> Path:
    """`briefing diff --docx` of the working copy against edition 2."""
    target = released.root / "redline.docx"
    assert main(["diff", str(released.folder), "--docx", str(target)]) == 0
    return target


def body(path: Path):
    from docx import Document

    return Document(str(path)).element.body


def changed_text(path: Path, kind: str) -> list[str]:
    """The text of each w:ins or w:del of the body, in order."""
    tag = "delText" if kind == "del" else "t"
    return ["".join(t.text or "" for t in mark.iter(f"{W}{tag}"))
            for mark in body(path).iter(f"{W}{kind}") if mark.getparent().tag != f"{W}rPr"]


def test_redline_marks_the_word_changes_by_briefing_on_the_editions_date(redline):
    marks = [m for kind in ("ins", "del") for m in body(redline).iter(f"{W}{kind}")]
    assert marks
    assert {(m.get(f"{W}author"), m.get(f"{W}date")) for m in marks} == {
        ("briefing", "2026-11-01T00:00:00Z")}
    assert len({m.get(f"{W}id") for m in marks}) == len(marks)
    deleted, inserted = changed_text(redline, "del"), changed_text(redline, "ins")
    assert "stay flat " in deleted and "rise " in inserted and "very " in inserted
    assert "Exports are very unlikely to fall this year." in deleted
    assert "Demand for widgets rose in the third quarter " in inserted
    # the likelihood line of a judgment whose likelihood moved
    assert "Likely (55–80 " in deleted and "Very likely (80–95 " in inserted
    assert "Low " in deleted and "Moderate " in inserted


def test_redline_keeps_the_layout_and_styles_of_the_current_edition(released, redline):
    def styles(path: Path, skip_deleted: bool) -> list[str]:
        out = []
        for p in body(path).iter(f"{W}p"):
            if skip_deleted and p.find(f"{W}pPr/{W}rPr/{W}del") is not None:
                continue
            style = p.find(f"{W}pPr/{W}pStyle")
            out.append(style.get(f"{W}val") if style is not None else "")
        return out

    assert styles(redline, True) == styles(released.out / "widgets.docx", False)
    assert "KeyJudgment" in styles(redline, True)


def test_redline_reads_a_rename_as_the_same_judgment(redline):
    paragraph = next(p for p in body(redline).iter(f"{W}p")
                     if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith(
                         "The widget factory produced more widgets"))
    assert paragraph.find(f".//{W}ins") is None and paragraph.find(f".//{W}del") is None


def test_redline_between_two_releases_is_dated_by_the_later(released, tmp_path, capsys):
    target = tmp_path / "one-two.docx"
    code, out, err = run(capsys, "diff", str(released.folder), "--from", "1", "--to", "2",
                         "--docx", str(target))
    assert code == 0, err
    assert out.endswith(": edition 2 with the changes since edition 1 as tracked changes\n")
    dates = {m.get(f"{W}date") for m in body(target).iter(f"{W}ins")}
    assert dates == {"2026-10-01T00:00:00Z"}
    assert "through " in changed_text(target, "ins")


def pandoc_text(path: Path, *options: str) -> str:
    """What pandoc reads in a DOCX, white space squashed and list labels left out.

    pandoc keeps an empty list item for a numbered paragraph whose mark is inserted
    (on reject) or deleted (on accept), where Word removes it, so empty items go and
    the labels that count them are not compared; every word still is."""
    pypandoc = pytest.importorskip("pypandoc")
    plain = pypandoc.convert_file(str(path), "plain", format="docx",
                                  extra_args=["--wrap=none", *options])
    lines = [re.sub(r"^\s*(\d+\.|-|\[\d+\])\s*", "", line) for line in plain.splitlines()]
    return re.sub(r"\s+", " ", " ".join(line for line in lines if line.strip())).strip()


@pytest.mark.slow
def test_pandoc_accepting_gives_the_current_edition_and_rejecting_the_previous(
        released, redline):
    accepted = pandoc_text(redline, "--track-changes=accept")
    rejected = pandoc_text(redline, "--track-changes=reject")
    assert accepted == pandoc_text(released.out / "widgets.docx")
    assert rejected == pandoc_text(released.root / "released-2.docx")
    assert accepted != rejected


@pytest.mark.slow
def test_libreoffice_opens_the_redline(redline, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    import subprocess

    from pypdf import PdfReader

    result = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                             str(tmp_path), str(redline)], capture_output=True, text=True,
                            timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "redline.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    # LibreOffice shows the changes: the deleted judgment and the added one are both there
    assert "Exports are very unlikely to fall this year." in text
    assert "Demand for widgets rose in the third quarter" in text


def test_compare_names_every_other_kind_of_change():
    from briefing.load.brief import load_brief
    from briefing.model.changes import compare

    old = load_brief(FIXTURE / "edition-2.yaml").brief
    output, prices, exports = old.key_judgments
    moved = prices.evidence[1].model_copy(update={"text": "Source A reports steady costs.",
                                                  "credibility": 2})
    new = old.model_copy(update={
        "bluf": ["Widget output rose sharply this year [@src-a]."],
        "outlook": ["Watch costs."],
        "key_judgments": [
            output.model_copy(update={"classification": "TLP:GREEN",
                                      "evidence": [*output.evidence, moved]}),
            prices.model_copy(update={"evidence": prices.evidence[:1]}),
            exports]})
    assert [(c.kind, c.summary) for c in compare(old, new)] == [
        ("bluf revised", "Bottom line up front reworded"),
        ("judgment marking", "Judgment 1 (kj-output): marking changed, unmarked → (TLP:GREEN)"),
        ("evidence moved", "Evidence ev-p2 moved from kj-prices to judgment 1 (kj-output)"),
        ("evidence revised", "Evidence ev-p2 of judgment 1 (kj-output) reworded"),
        ("evidence revised", "Evidence ev-p2 of judgment 1 (kj-output): credibility raised, "
                             "3 → 2"),
        ("outlook revised", "Outlook added")]
    bluf = compare(old, new)[0]
    assert bluf.words == (("=", "Widget output rose"), ("+", "sharply"), ("=", "this year."))


def test_a_changed_snapshot_makes_the_outputs_stale(copy, capsys):
    assert run(capsys, "build", str(copy.folder))[0] == 0
    code, out, _ = run(capsys, "build", str(copy.folder))
    assert code == 0 and "up to date" in out + _
    (copy.folder / "editions" / "2.yaml").unlink()
    code, out, err = run(capsys, "build", str(copy.folder))
    assert code == 0 and "wrote" in out, out + err
    text = " ".join(docx_blocks(copy.out / "widgets.docx"))
    assert "What changed since edition 1 (1 September 2026)" in text


def test_redline_tracks_the_running_header_and_the_marking_banner(redline):
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(redline) as archive:
        header = etree.fromstring(archive.read("word/header1.xml"))
    deleted = ["".join(m.itertext()) for m in header.iter(f"{W}del")]
    inserted = ["".join(m.itertext()) for m in header.iter(f"{W}ins")]
    assert "\u00a0\u00a0TLP:CLEAR\u00a0\u00a0" in deleted
    assert "\u00a0\u00a0TLP:GREEN\u00a0\u00a0" in inserted
    assert "Widget output · Edition 2" in deleted and "Widget output · Edition 3" in inserted


def test_validate_finds_a_snapshot_edited_after_its_release(copy, capsys):
    snapshot = copy.folder / "editions" / "1.yaml"
    snapshot.chmod(0o644)
    text = snapshot.read_text("utf-8")
    snapshot.write_text(text.replace("stay flat next year", "stay level next year"), "utf-8")
    line = text[:text.index("\n  id: widgets")].count("\n") + 2  # the snapshot's brief
    assert validate_lines(capsys, copy.folder) == [
        f"widgets/editions/1.yaml:{line}:3: error: released snapshot was edited after its release "
        "(its content no longer matches its content_sha256); a released edition is frozen: "
        "restore the file (e.g. from git) [BR621]"]
    code, _, err = run(capsys, "diff", str(copy.folder), "--from", "1")
    assert code == 2 and "was edited after its release" in err


def test_validate_finds_a_damaged_snapshot(copy, capsys):
    snapshot = copy.folder / "editions" / "2.yaml"
    snapshot.chmod(0o644)
    snapshot.write_text("just: text\n", "utf-8")
    assert validate_lines(capsys, copy.folder) == [
        "widgets/editions/2.yaml:1:1: error: not a snapshot written by `briefing release` (no "
        "'brief' mapping) [BR621]"]


def test_validate_warns_of_a_previous_id_that_cannot_be_a_rename(copy, capsys):
    text = copy.folder.joinpath("brief.yaml").read_text("utf-8")
    copy.folder.joinpath("brief.yaml").write_text(
        text.replace("previous_id: kj-output", "previous_id: kj-outptu"), "utf-8")
    assert f"{at(copy.folder, 'kj-outptu')}: warning: previous_id 'kj-outptu' names no " \
        "judgment of edition 2 (1 October 2026); did you mean 'kj-output'?; " \
        "'kj-production' reads as a new judgment [BR616]" in validate_lines(capsys, copy.folder)
    copy.folder.joinpath("brief.yaml").write_text(
        text.replace("previous_id: kj-output", "previous_id: kj-prices"), "utf-8")
    assert f"{at(copy.folder, 'kj-prices', '    text: The widget')}: warning: previous_id " \
        "'kj-prices' is still the id of a judgment in this edition, so 'kj-production' is " \
        "not its rename [BR617]" in validate_lines(capsys, copy.folder)


def test_diff_of_a_brief_never_released(brief, capsys):
    code, out, err = run(capsys, "diff", str(brief.folder))
    assert (code, out) == (1, "")
    assert err == ("briefing: error: no released edition before the working copy of 'demo' "
                   "to compare with; release one with `briefing release`, or name one with "
                   "--from\n")


def test_validate_locates_a_bad_value_in_a_snapshot(copy, capsys):
    snapshot = copy.folder / "editions" / "1.yaml"
    snapshot.chmod(0o644)
    text = snapshot.read_text("utf-8").replace("confidence: moderate", "confidence: sure", 1)
    snapshot.write_text(text, "utf-8")
    index = text.index("confidence: sure") + len("confidence: ")
    line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    assert validate_lines(capsys, copy.folder) == [
        f"widgets/editions/1.yaml:{line}:{col}: error: released snapshot cannot be read: "
        "key_judgments.0.confidence: Input should be 'high', 'moderate' or 'low' [BR621]"]


# -- an edited redline comes back -------------------------------------------------


def _redline_paragraph(document, start: str):
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for p in document.element.body.iter(qn("w:p")):
        paragraph = Paragraph(p, document._body)
        shown = "".join(t.text or "" for t in p.iter(qn("w:t")))  # deleted text left out
        if shown.startswith(start):
            return paragraph
    raise AssertionError(f"no paragraph starts with {start!r}")


def _analyst_redline_edits(source: Path, target: Path) -> None:
    """An untracked edit of a word the redline did not change, and a tracked insertion
    of the analyst's own."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(str(source))
    basis = _redline_paragraph(document, "Basis: Costs have started")
    text = next(t for t in basis._p.iter(qn("w:t")) if "started" in (t.text or ""))
    text.text = text.text.replace("started", "begun")
    evidence = _redline_paragraph(document, "Reporting. Source D reports dearer")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = "Source D also reports "
    run.append(t)
    insertion = OxmlElement("w:ins")
    for name, value in (("w:id", "9001"), ("w:author", "Analyst"),
                        ("w:date", "2026-11-02T09:00:00Z")):
        insertion.set(qn(name), value)
    insertion.append(run)
    end = next(e for e in evidence._p.iter(qn("w:bookmarkEnd")))
    end.addprevious(insertion)
    document.save(str(target))


def _redline_judgments(folder: Path) -> dict:
    data = yaml.safe_load((folder / "brief.yaml").read_text("utf-8"))
    return {kj["id"]: kj for kj in data["key_judgments"]}


def test_the_redline_carries_the_field_manifest_of_the_later_edition(copy, capsys):
    target = Path("redline.docx")
    assert run(capsys, "diff", str(copy.folder), "--docx", str(target))[0] == 0
    with zipfile.ZipFile(target) as package:
        body_xml = package.read("word/document.xml").decode()
        manifest = next(package.read(n).decode() for n in package.namelist()
                        if n.startswith("customXml/item")
                        and b"urn:briefing:manifest:1" in package.read(n))
    assert 'w:name="_Brf' in body_xml and 'redline="1"' in manifest
    assert 'key="judgment:kj-prices.basis"' in manifest
    code, out, err = run(capsys, "import", str(copy.folder), str(target))
    assert code == 0, err
    assert "no changes to import" in err and out == ""


def _check_redline_import(capsys, folder: Path, returned: Path) -> None:
    before = (folder / "brief.yaml").read_text("utf-8")
    code, out, err = run(capsys, "import", str(folder), str(returned), "--changes", "reject",
                         "--write")
    assert code == 0, err
    judgments = _redline_judgments(folder)
    assert judgments["kj-prices"]["basis"] == "Costs have begun to rise."
    assert judgments["kj-prices"]["text"] == (
        "Widget prices will very likely rise through next year.")  # briefing's changes kept
    evidence = {e["id"]: e for e in judgments["kj-prices"]["evidence"]}
    assert evidence["ev-d"]["text"] == "Source D reports dearer raw materials."
    (folder / "brief.yaml").write_text(before, "utf-8")
    code, out, err = run(capsys, "import", str(folder), str(returned), "--write")
    assert code == 0, err
    evidence = {e["id"]: e for e in _redline_judgments(folder)["kj-prices"]["evidence"]}
    assert evidence["ev-d"]["text"] == (
        "Source D reports dearer raw materials.Source D also reports")


def test_an_edited_redline_is_imported(copy, capsys):
    target = Path("redline.docx")
    assert run(capsys, "diff", str(copy.folder), "--docx", str(target))[0] == 0
    returned = Path("returned.docx")
    _analyst_redline_edits(target, returned)
    _check_redline_import(capsys, copy.folder, returned)


@pytest.mark.slow
def test_an_edited_redline_is_imported_through_libreoffice(copy, capsys, tmp_path):
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    target = Path("redline.docx")
    assert run(capsys, "diff", str(copy.folder), "--docx", str(target))[0] == 0
    edited = tmp_path / "edited" / "returned.docx"
    edited.parent.mkdir()
    _analyst_redline_edits(target, edited)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "docx", "--outdir", str(out), str(edited)],
                   check=True, capture_output=True, timeout=300)
    _check_redline_import(capsys, copy.folder, out / "returned.docx")
