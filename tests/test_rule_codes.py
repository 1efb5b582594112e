"""Every finding has a code a rule declares: the review's, the loader's, the
configuration check's and the build's glyph check's, over the example brief's bad and
good examples, the review corpus, the fixtures and a set of bad inputs."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from briefing.build.validate import validate
from briefing.review.examples import example_brief
from briefing.review.registry import CODE, all_rules
from tests.rule_examples import example_findings

ROOT = Path(__file__).resolve().parents[1]
RULES = all_rules()
_SPEC = importlib.util.spec_from_file_location("review_corpus", ROOT / "tests/review/corpus.py")
corpus = sys.modules.setdefault("review_corpus", importlib.util.module_from_spec(_SPEC))
_SPEC.loader.exec_module(corpus)

TITLE = "title: Example brief"
LAYOUT = "layout: policy-brief"
PLAIN = ("name: plain\nfonts:\n  sans: {regular: NotoSans-Regular.ttf}\n"
         "styles:\n  Body: {font: sans, size: 10}\n")
BAD_INPUTS = {
    "bad YAML": ((TITLE, "title: [Example brief"),),
    "a tab": ((TITLE, "title: Example brief\n\tx: 1"),),
    "a duplicate key": ((TITLE, TITLE + "\n" + TITLE),),
    "an unknown field": (("  - id: kj-treaty\n", "  - id: kj-treaty\n    colour: red\n"),),
    "a missing field": ((TITLE + "\n", ""),),
    "TLP:WHITE": (("marking: TLP:CLEAR", "marking: TLP:WHITE"),),
    "a date that is none": (("date: 2025-07-01", "date: yesterday"),),
    "an over-long text": ((TITLE, "title: " + "x" * 100_001),),
    "a control character": ((TITLE, 'title: "Example\\a brief"'),),
    "a C1 control": ((TITLE, 'title: "Example\\x9b brief"'),),
    "a bidirectional override": ((TITLE, 'title: "Example\\u202e brief"'),),
    "a via cycle": (("    container: Example Wire\n",
                     "    container: Example Wire\n    via: wire\n"),),
    "an unknown layout": ((LAYOUT, "layout: policy-brif"),),
    "a layout path to nowhere": ((LAYOUT, "layout: ../../layout.yaml"),),
    "a layout that is no layout": ((LAYOUT, "layout: brief.yaml"),),
    "a layout without a template": (("<file>layouts/plain/layout.yaml", PLAIN),
                                    (LAYOUT, "layout: plain")),
    "a template that does not parse": (
        ("<file>layouts/plain/layout.yaml", PLAIN),
        ("<file>layouts/plain/brief.xml.j2", "{% if %}\n"), (LAYOUT, "layout: plain")),
    "a template that fails when it runs": (
        ("<file>layouts/plain/layout.yaml", PLAIN),
        ("<file>layouts/plain/brief.xml.j2", "{{ brief.nothing.deeper }}\n"),
        (LAYOUT, "layout: plain")),
    "an unknown citation style": (
        ("<file>layouts/plain/layout.yaml", PLAIN + "citation_style: chicago-nope\n"),
        (LAYOUT, "layout: plain")),
    "an unknown style in a layout": (
        ("<file>layouts/plain/layout.yaml", PLAIN + "  Bodyy: {size: 10}\n"),
        (LAYOUT, "layout: plain")),
    "an empty second file": (("<file>more.yaml", ""),),
    "a field in two files": (("<file>more.yaml", "title: Again\n"),),
    "a damaged snapshot": (("<file>editions/1.yaml", "brief: {id: example}\n"),),
}


def _uncoded(findings) -> list[str]:
    return [f"{f} ({f.rule!r})" for f in findings if f.rule not in RULES]


def test_every_code_a_module_writes_is_declared():
    written = set()
    for path in (ROOT / "briefing").rglob("*.py"):
        written |= set(re.findall(r"""rule=["'](BR\d{3})["']""", path.read_text("utf-8")))
    assert written and written <= set(RULES), sorted(written - set(RULES))
    assert all(CODE.match(code) for code in written)


@pytest.mark.parametrize("code", list(RULES))
def test_the_examples_of_every_rule_give_only_declared_codes(code, tmp_path):
    rule = RULES[code]
    for kind in ("bad", "good"):
        found = example_findings(rule, tmp_path / kind / "example", getattr(rule, kind))
        assert _uncoded(found) == [], (code, kind)


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_a_bad_input_gives_only_declared_codes(name, tmp_path):
    findings = validate(example_brief(tmp_path / "example", BAD_INPUTS[name])).findings
    assert findings, name
    assert _uncoded(findings) == []


def test_the_review_corpus_gives_only_declared_codes():
    outcomes = corpus.run()
    assert all(not o.error for o in outcomes)
    assert [u for o in outcomes for u in _uncoded(o.findings)] == []


def test_the_fixtures_and_the_nk_brief_give_only_declared_codes():
    fixtures = ROOT / "tests" / "fixtures"
    targets = [ROOT / "content" / "nk-russia", *sorted(fixtures.iterdir()),
               *sorted(fixtures.rglob("*.yaml"))]
    for target in targets:
        assert _uncoded(validate(target).findings) == [], target


def test_a_missing_brief_and_an_empty_folder_give_declared_codes(tmp_path):
    (tmp_path / "empty").mkdir()
    for target in (tmp_path / "nowhere", tmp_path / "empty"):
        findings = validate(target).findings
        assert findings and _uncoded(findings) == [], target


def test_rules_explains_every_code(capsys):
    from briefing.cli.main import main

    for code in RULES:
        assert main(["rules", code]) == 0
        assert capsys.readouterr().out.startswith(f"{code} {RULES[code].name} ")


def test_the_input_rules_cannot_be_ignored_or_suppressed(tmp_path):
    folder = example_brief(tmp_path / "example", (
        (TITLE, "title: " + "x" * 100_001),
        ("marking: TLP:CLEAR\n", "marking: TLP:CLEAR\nreview: {ignore: [BR8]}\n")))
    assert [f.rule for f in validate(folder).findings] == ["BR805"]
