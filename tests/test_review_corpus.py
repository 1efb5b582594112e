"""The review corpus (tests/review/): every seeded fault caught, no benign edit flagged,
every rule covered; and the NK brief itself passes `validate --strict`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from briefing.cli.main import main
from briefing.review.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("review_corpus", ROOT / "tests/review/corpus.py")
corpus = sys.modules.setdefault("review_corpus", importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(corpus)


@pytest.fixture(scope="module")
def outcomes():
    return corpus.run()


def test_the_nk_brief_passes_validate_strict(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--strict", "content/nk-russia"]) == 0
    assert capsys.readouterr().err == "content/nk-russia: valid (0 error(s), 0 warning(s))\n"


def test_the_synthetic_brief_passes_validate_strict(monkeypatch, capsys):
    """The corpus's second subject: a synthetic brief with synthetic archived sources."""
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--strict", "tests/review/synthetic"]) == 0
    assert capsys.readouterr().err == "tests/review/synthetic: valid (0 error(s), 0 warning(s))\n"


def test_the_corpus_covers_two_subjects_and_paraphrases():
    cases = corpus.load_cases()
    assert {c.brief for c in cases} == {"nk-russia", "synthetic"}
    faults = [c for c in cases if c.kind == "fault"]
    assert len([c for c in faults if c.paraphrase]) >= 60
    for case in cases:  # the synthetic brief's archived copies say they are synthetic
        assert case.brief in corpus.BRIEFS
    for text in (corpus.SYNTHETIC / "archive").glob("*.txt"):
        assert text.read_text("utf-8").startswith("SYNTHETIC TEST DOCUMENT")


def test_the_corpus_is_large_enough_and_covers_every_rule():
    cases = corpus.load_cases()
    faults = [c for c in cases if c.kind == "fault"]
    assert len(faults) >= 150
    assert len([c for c in cases if c.kind == "benign"]) >= 50
    assert {c.expect for c in faults} == set(all_rules())
    assert len({c.name for c in cases}) == len(cases)


def test_every_fault_is_caught_and_no_benign_edit_is_flagged(outcomes):
    wrong = [(o.case.kind, o.case.name, o.case.expect, o.codes, o.error)
             for o in outcomes if not o.ok]
    assert wrong == []


def test_every_finding_is_located_and_has_its_rules_severity(outcomes):
    rules = all_rules()
    for outcome in outcomes:
        for finding in outcome.findings:
            assert finding.place.path and finding.place.line >= 1, finding
            if finding.rule in rules:
                assert finding.severity == rules[finding.rule].severity, finding


def test_the_catch_rate_table_is_on_the_rules_page(outcomes):
    assert corpus.table(outcomes) in (ROOT / "docs" / "rules" / "index.md").read_text("utf-8")


def test_a_recipe_that_no_longer_applies_is_reported(tmp_path):
    case = corpus.Case("stale", "fault", "BR101", (("judgments.yaml", "no such text", "x",
                                                     False),))
    [outcome] = corpus.run([case])
    assert not outcome.ok and "occurs 0 times" in outcome.error
