"""The rule registry: codes, docs whose examples are tests, `briefing rules`, selection,
suppression with a reason, and SARIF 2.1.0 output checked against the OASIS schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from briefing.build.validate import validate
from briefing.cli.main import main
from briefing.review.examples import example_brief
from briefing.review.registry import CODE, FAMILY_TITLES, all_rules
from tests.rule_examples import example_findings

ROOT = Path(__file__).resolve().parents[1]
RULES = all_rules()
SARIF_SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")


def _example(tmp_path: Path, edits) -> Path:
    return example_brief(tmp_path / "example", edits)


def _codes(folder: Path) -> list[str]:
    result = validate(folder)
    assert result.loaded is not None, [str(f) for f in result.findings]
    return [f.rule for f in result.findings]


def test_the_example_brief_is_clean(tmp_path):
    assert _codes(_example(tmp_path, ())) == []


@pytest.mark.parametrize("code", list(RULES))
def test_bad_example_raises_the_rule_and_good_one_does_not(code, tmp_path):
    rule = RULES[code]
    bad = [f.rule for f in example_findings(rule, tmp_path / "bad" / "example", rule.bad)]
    assert code in bad, f"{code}: the bad example gives {bad}"
    good = [f.rule for f in example_findings(rule, tmp_path / "good" / "example", rule.good)]
    assert code not in good, f"{code}: the good example gives {good}"


def test_every_rule_is_declared_completely():
    assert RULES
    for code, rule in RULES.items():
        assert CODE.match(code) and rule.family in FAMILY_TITLES
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary.endswith(".") and rule.standard and rule.bad and rule.good
        assert rule.bad != rule.good, code
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule in RULES.values():
        assert f"{rule.code}  {rule.severity:<7}  {rule.name}" in out


@pytest.mark.parametrize("code", list(RULES))
def test_rules_code_explains_one(code, capsys):
    assert main(["rules", code.lower()]) == 0
    out = capsys.readouterr().out
    rule = RULES[code]
    assert out.startswith(f"{code} {rule.name} ({rule.severity}; ")
    assert rule.summary in out and f"Standard: {rule.standard}" in out
    assert "Bad (" in out and "Good:" in out


def test_rules_unknown_code_suggests_a_near_one(capsys):
    assert main(["rules", "BR5O1"]) == 1
    assert capsys.readouterr().err == ("briefing: error: no rule 'BR5O1'; did you mean "
                                       "'BR501'?; `briefing rules` lists them\n")


def test_rules_json(capsys):
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in listed] == list(RULES)


# --- selection and suppression ----------------------------------------------------

HIGH = ("confidence: moderate", "confidence: high")


def test_a_finding_shows_its_code(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _example(tmp_path, (HIGH,))
    assert main(["validate", "--strict", "example"]) == 2
    line = capsys.readouterr().err.splitlines()[0]
    assert line.endswith("warning: key judgment 'kj-commission' is held with high confidence "
                         "but rests on a single source ('ministry'); corroborate it from an "
                         "independent source or lower the confidence [BR401]"), line


def test_suppress_with_a_reason_moves_the_finding_to_suppressed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    reason = "the ministry alone can confirm its own plans"
    _example(tmp_path, (("confidence: moderate", f"confidence: high\n    suppress: {{BR401: "
                         f"{reason}}}"),))
    assert main(["validate", "--strict", "example"]) == 0
    assert capsys.readouterr().err == ("example: valid (0 error(s), 0 warning(s), "
                                       "1 suppressed)\n")
    assert main(["validate", "--format", "json", "example"]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["findings"] == []
    [entry] = result["suppressed"]
    assert entry["rule"] == "BR401" and entry["reason"] == reason
    assert "kj-commission" in entry["message"]
    assert entry["suppressed_at"].startswith("example/brief.yaml:")


def test_suppress_covers_only_its_own_item(tmp_path):
    edits = (HIGH, ("  - id: kj-treaty\n", "  - id: kj-treaty\n    suppress: {BR401: the "
                    "ministry alone can confirm its own plans}\n"))
    codes = _codes(_example(tmp_path, edits))
    assert sorted(codes) == ["BR003", "BR401"]


def test_suppress_without_reason_or_unknown_code_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _example(tmp_path, (("confidence: moderate",
                         "confidence: high\n    suppress: {BR401: ok, BR4O1: a fine reason "
                         "given}"),))
    assert main(["validate", "example"]) == 2
    err = capsys.readouterr().err
    assert ("error: key judgment 'kj-commission' suppresses BR401 without a reason; write why "
            "a reviewer should accept it (at least 3 words) [BR002]") in err
    assert ("error: key judgment 'kj-commission' suppresses 'BR4O1', which is no rule code; "
            "did you mean 'BR401'?; `briefing rules` lists them [BR001]") in err
    assert "[BR401]" in err  # a suppression without a reason silences nothing


def test_review_ignore_in_the_brief(tmp_path):
    edits = (HIGH, ("marking: TLP:CLEAR\n", "marking: TLP:CLEAR\nreview:\n  ignore: [BR4]\n"))
    assert _codes(_example(tmp_path, edits)) == []


def test_review_select_in_the_brief(tmp_path):
    edits = (HIGH, ("[@ministry]", "[@ministri]"),
             ("marking: TLP:CLEAR\n", "marking: TLP:CLEAR\nreview: {select: [BR6]}\n"))
    assert _codes(_example(tmp_path, edits)) == ["BR604"]


def test_review_ignore_of_an_unknown_code_is_located(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _example(tmp_path, (("marking: TLP:CLEAR\n", "marking: TLP:CLEAR\nreview:\n"
                         "  ignore: [BR9]\n"),))
    assert main(["validate", "example"]) == 2
    assert capsys.readouterr().err.startswith(
        "example/brief.yaml:13:12: error: review ignore names 'BR9', which is no rule code "
        "or code prefix; `briefing rules` lists them [BR001]\n")


def test_review_ignore_in_the_layout(tmp_path):
    (tmp_path / "briefing.toml").write_text("", "utf-8")  # the project: layouts, example
    folder = _example(tmp_path, (HIGH, ("layout: policy-brief", "layout: house")))
    house = tmp_path / "layouts" / "house"
    shutil.copytree(ROOT / "layouts" / "policy-brief", house)
    layout = house / "layout.yaml"
    layout.write_text(layout.read_text("utf-8") + "\nreview:\n  ignore: [BR401]\n", "utf-8")
    assert _codes(folder) == []


# --- SARIF ---------------------------------------------------------------------------

def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    reason = "the ministry alone can confirm its own plans"
    _example(tmp_path, (("confidence: moderate", f"confidence: high\n    suppress: {{BR401: "
                         f"{reason}}}"), ("[@ministry]", "[@ministri]")))
    assert main(["validate", "--format", "sarif", "example"]) == 2
    log = json.loads(capsys.readouterr().out)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == list(RULES)
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"BR604", "BR401"}
    unknown = results["BR604"]
    assert unknown["level"] == "error" and "suppressions" not in unknown
    region = unknown["locations"][0]["physicalLocation"]
    assert region["artifactLocation"] == {"uri": "example/brief.yaml", "uriBaseId": "SRCROOT"}
    assert region["region"]["startLine"] == 14
    assert list(RULES)[unknown["ruleIndex"]] == "BR604"
    assert results["BR401"]["suppressions"][0]["justification"] == reason


def test_sarif_of_a_brief_that_cannot_load_is_valid_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _example(tmp_path, (("confidence: moderate", "confidnce: moderate"),))
    assert main(["validate", "--format", "sarif", "example"]) == 2
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8"))).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "BR802" and "confidnce" in result["message"]["text"]


def test_rules_markdown_is_a_table_of_every_rule(capsys):
    assert main(["rules", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["| code | name | severity | family | what it flags | standard |",
                         "|---|---|---|---|---|---|"]
    assert lines[2:] == [f"| {r.code} | `{r.name}` | {r.severity} | {FAMILY_TITLES[r.family]} | "
                         f"{r.summary.replace('|', '/')} | {r.standard} |" for r in RULES.values()]


# --- the three messages that misled --------------------------------------------------

def _nk(tmp_path: Path, file: str, old: str, new: str) -> Path:
    for name in ("seeds", "layouts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    folder = tmp_path / "content" / "nk-russia"
    shutil.copytree(ROOT / "content" / "nk-russia", folder)
    path = folder / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    return folder


def test_tlp_white_suggests_tlp_clear_with_the_reason(tmp_path, monkeypatch, capsys):
    _nk(tmp_path, "brief.yaml", "marking: TLP:CLEAR", "marking: TLP:WHITE")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "content/nk-russia"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/nk-russia/brief.yaml:27:10: error: 'TLP:WHITE' is not allowed for 'marking'; "
        "expected one of 'TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT' or "
        "'TLP:RED'; use 'TLP:CLEAR': TLP 2.0 (FIRST, 2022) renamed TLP:WHITE to TLP:CLEAR; "
        "the meaning is unchanged (disclosure is not limited) [BR804]")


def test_did_you_mean_only_for_near_names(tmp_path, monkeypatch, capsys):
    _nk(tmp_path, "brief.yaml", "marking: TLP:CLEAR", "marking: TLP:BLUE")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "content/nk-russia"]) == 2
    err = capsys.readouterr().err
    assert "'TLP:BLUE' is not allowed" in err and "did you mean" not in err


def test_a_quotation_credited_to_the_wrong_source_names_the_right_one(tmp_path, monkeypatch,
                                                                       capsys):
    old = ("          China, in contrast, has tread carefully diplomatically — avoiding direct\n"
           "          military aid to Russia while maintaining economic ties.\n")
    new = ("          it has been reluctant to cut ties with the regime, fearing instability "
           "on\n          its border.\n")
    _nk(tmp_path, "judgments.yaml", old, new)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "content/nk-russia"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith(
        "error: quote in evidence 'ev-china-careful' is not in the archived copy of "
        "'seed-crucial-ally' but is in that of 'seed-dangerous-shift' "
        "(seeds/002_51c24e47a63acc76.txt, para. 15); credit source 'seed-dangerous-shift' "
        "or correct the quotation [BR506]"), lines
    assert len(lines) == 2  # the bare "not in the archived copy" error is superseded


def test_a_mixed_column_warning_locates_both_terms(tmp_path, monkeypatch, capsys):
    _nk(tmp_path, "judgments.yaml", "will likely keep their military alliance",
        "will probably keep their military alliance")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "content/nk-russia"]) == 0
    text = (tmp_path / "content/nk-russia/judgments.yaml").read_text("utf-8").splitlines()
    row = next(i for i, line in enumerate(text, 1) if "China is unlikely" in line)
    col = text[row - 1].index("unlikely") + 1
    probably = next(i for i, line in enumerate(text, 1) if "will probably" in line)
    assert capsys.readouterr().err.splitlines()[0] == (
        f"content/nk-russia/judgments.yaml:{probably}:"
        f"{text[probably - 1].index('probably') + 1}: warning: key judgment "
        "'kj-durable-alliance' says 'probably', an alternative ICD 203 term, while key "
        "judgment 'kj-china-restraint' says 'unlikely' from the main column "
        f"(content/nk-russia/judgments.yaml:{row}:{col}); use terms from one column "
        "throughout, e.g. 'likely' [BR105]")
