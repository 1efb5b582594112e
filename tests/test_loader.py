"""Loading a brief from one file or a folder of files, with positions in the right file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefing.core.findings import Place
from briefing.load.brief import load_brief

FILES = ("brief.yaml", "judgments.yaml", "sources.yaml")


@pytest.fixture
def multi(brief):
    """The scaffold split by top-level keys into brief/judgments/sources.yaml."""
    text = brief.text()
    kj, src = text.index("key_judgments:"), text.index("sources:")
    brief.write(text[:kj])
    brief.write(text[kj:src], "judgments.yaml")
    brief.write(text[src:], "sources.yaml")
    return brief


def summary(target: str, errors: int, warnings: int = 0) -> str:
    verdict = "invalid" if errors else "valid"
    return f"{target}: {verdict} ({errors} error(s), {warnings} warning(s))"


def test_a_folder_of_files_is_one_brief(multi, cli):
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [summary("demo", 0)]
    assert code == 0
    loaded = load_brief(Path("demo"))
    assert [f.name for f in loaded.files] == list(FILES)
    assert loaded.brief.id == "demo"
    assert [kj.id for kj in loaded.brief.key_judgments] == ["kj-1"]
    assert [s.id for s in loaded.brief.sources] == ["example-source"]


def test_positions_of_values_name_the_file_that_holds_them(multi):
    loaded = load_brief(Path("demo"))
    for path, needle, name in [
        (("title",), "Demo", "brief.yaml"),
        (("key_judgments", 0, "confidence"), "low", "judgments.yaml"),
        (("sources", 0, "reliability"), "F", "sources.yaml"),
    ]:
        text = multi.text(name)
        index = text.index(f"{path[-1]}: {needle}") + len(f"{path[-1]}: ")
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        assert loaded.place(*path) == Place(f"demo/{name}", line, col)


def test_key_defined_in_two_files(multi, cli):
    multi.write(multi.text("sources.yaml") + "title: Again\n", "sources.yaml")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        f"{multi.pos('title: Again', 'sources.yaml')}: error: 'title' is already defined "
        f"in {multi.pos('title: Demo')} [BR801]",
        summary("demo", 1)]
    assert code == 2


def test_key_defined_in_two_files_blames_the_later_file(multi, cli):
    multi.write(multi.text("judgments.yaml") + "sources: []\n", "judgments.yaml")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        "demo/sources.yaml:1:1: error: 'sources' is already defined in "
        f"{multi.pos('sources: []', 'judgments.yaml')} [BR801]",
        summary("demo", 1)]
    assert code == 2


def test_check_findings_name_the_file_of_each_value(multi, cli):
    text = multi.text()
    date = dt.date.fromisoformat(re.search(r"^date: (\S+)$", text, re.M).group(1))
    cutoff = dt.date.fromisoformat(re.search(r"^cutoff: (\S+)$", text, re.M).group(1))
    later = date + dt.timedelta(days=1)
    latest = later + dt.timedelta(days=1)
    multi.edit(f"cutoff: {cutoff}", f"cutoff: {later}")
    multi.edit("source: example-source", "source: example-sorce", "judgments.yaml")
    multi.edit("likelihood: likely", "likelihood: unlikely", "judgments.yaml")
    multi.edit("date: unknown", f"date: {latest}", "sources.yaml")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        f"{multi.pos(str(later))}: error: information cut-off {later} is after the "
        f"brief's date {date}; the cut-off can be at most the brief's date [BR301]",
        f"{multi.pos('likely to', 'judgments.yaml')}: error: key judgment 'kj-1' says "
        "'likely' (likely, 55-80 %) but declares likelihood 'unlikely' (20-45 %); use the "
        "term of the declared band, or change the likelihood [BR103]",
        f"{multi.pos('example-sorce', 'judgments.yaml')}: error: 'example-sorce' names no "
        "source; did you mean 'example-source'? [BR603]",
        f"{multi.pos(str(latest), 'sources.yaml')}: error: source 'example-source' is dated "
        f"{latest}, after the information cut-off {later}; move the cut-off, or leave out "
        "what the source adds after it [BR302]",
        summary("demo", 4)]
    assert code == 2


def test_model_errors_in_several_files_are_all_reported(multi, cli):
    multi.edit("    confidence: low", "    confidnce: low", "judgments.yaml")
    multi.edit("reliability: F", "reliability: G", "sources.yaml")
    multi.edit("authors: [Your Name]", "authors: Your Name")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        f"{multi.pos('Your Name')}: error: 'authors' must be a list, got text [BR804]",
        f"{multi.pos('confidnce', 'judgments.yaml')}: error: unknown field 'confidnce' in "
        "key judgment 'kj-1'; did you mean 'confidence'? [BR802]",
        f"{multi.pos('G', 'sources.yaml')}: error: 'G' is not allowed for 'reliability'; "
        "expected one of 'A', 'B', 'C', 'D', 'E' or 'F' [BR804]",
        summary("demo", 3)]
    assert code == 2


def test_citation_in_one_file_resolves_to_a_source_in_another(multi, cli):
    multi.edit("[@example-source]", "[@example-sorce]")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        f"{multi.pos('@example-sorce')}: error: citation '@example-sorce' names no source; "
        "did you mean 'example-source'? [BR604]",
        summary("demo", 1)]
    assert code == 2


def test_yml_files_count_and_other_files_are_ignored(multi, cli):
    multi.file("sources.yaml").rename(multi.file("sources.yml"))
    multi.file("notes.txt").write_text("key_judgments: [not, a, brief]\n", "utf-8")
    multi.file("README.md").write_bytes(b"\x00\x01 binary junk")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [summary("demo", 0)]
    assert code == 0
    names = [f.name for f in load_brief(Path("demo")).files]
    assert names == ["brief.yaml", "judgments.yaml", "sources.yml"]


def test_file_of_a_folder_that_is_not_a_mapping_is_named(multi, cli):
    multi.write("- a\n- b\n", "judgments.yaml")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [
        "demo/judgments.yaml:1:1: error: expected a mapping of brief fields at the top of "
        "the file, got a list [BR801]",
        summary("demo", 1)]
    assert code == 2


def test_single_file_can_be_validated_by_its_path(brief, cli):
    code, out, err = cli("validate", "demo/brief.yaml")
    assert err.splitlines() == [summary("demo/brief.yaml", 0)]
    assert code == 0


def test_folder_without_yaml_files(brief, cli):
    (brief.folder.parent / "empty").mkdir()
    code, out, err = cli("validate", "empty")
    assert err.splitlines() == ["empty:1:1: error: folder holds no .yaml files [BR801]",
                                summary("empty", 1)]
    assert code == 2


def test_path_that_does_not_exist(brief, cli):
    code, out, err = cli("validate", "nowhere")
    assert err.splitlines() == ["nowhere:1:1: error: no such file or folder [BR801]",
                                summary("nowhere", 1)]
    assert code == 2


def test_every_path_is_reported_and_one_bad_brief_fails_the_run(brief, cli):
    code, out, err = cli("validate", "demo", "nowhere")
    assert err.splitlines() == [summary("demo", 0),
                                "nowhere:1:1: error: no such file or folder [BR801]",
                                summary("nowhere", 1)]
    assert code == 2


@pytest.mark.parametrize("encode", [
    pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="bom"),
])
def test_crlf_and_bom_do_not_shift_positions(brief, cli, encode):
    text = brief.edit("    confidence: low", "    confidnce: low")
    place = brief.pos("confidnce:")
    brief.file().write_bytes(encode(text))
    code, out, err = cli("validate", "demo")
    assert err.splitlines()[0] == (f"{place}: error: unknown field 'confidnce' in key "
                                   "judgment 'kj-1'; did you mean 'confidence'? [BR802]")
    assert code == 2


def test_paths_are_shown_relative_to_the_working_directory(brief, cli):
    brief.edit("    confidence: low", "    confidnce: low")
    place = brief.pos("confidnce:")
    code, out, err = cli("validate", str(brief.folder.resolve()))
    assert err.splitlines()[0].startswith(f"{place}: error: ")
    assert code == 2


def test_paths_outside_the_working_directory_are_shown_as_given(brief, cli, monkeypatch):
    brief.edit("    confidence: low", "    confidnce: low")
    place = brief.pos("confidnce:")
    elsewhere = brief.folder.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = cli("validate", "../demo")
    assert err.splitlines() == [
        f"../{place}: error: unknown field 'confidnce' in key judgment 'kj-1'; "
        "did you mean 'confidence'? [BR802]",
        summary("../demo", 1)]
    assert code == 2


def test_unsaved_text_stands_in_for_its_file_down_to_the_place_of_a_word():
    """An editor's unsaved text (`texts=`) is what the findings point into: the vague
    word typed into a judgment is found on its line of that text, not of the file."""
    from briefing.build.validate import validate
    from briefing.core.terminal import display_path

    nk = Path(__file__).resolve().parents[1] / "content" / "nk-russia"
    file = nk / "judgments.yaml"
    saved = file.read_text("utf-8")
    typed = saved.replace("North Korea has consistently", "North Korea could have consistently")
    index = typed.index("could have")
    findings = validate(nk, {file: typed}, configuration=False).findings
    assert [(f.rule, f.place) for f in findings] == [
        ("BR106", Place(display_path(file), typed.count("\n", 0, index) + 1,
                        index - typed.rfind("\n", 0, index)))]
    assert file.read_text("utf-8") == saved
