"""The CSL processor test suite (tests/csl-suite) through briefing's citation layer.

Every fixture runs the way a build formats citations (`Citer`: CSL-JSON items and
citations in, one pandoc run, the document tree's inlines out, written as the HTML
CSL processors print). The fixtures that fail are listed in
tests/csl-suite/known-failures.txt with a reason and a digest of what the layer
printed: a listed fixture that starts passing, or fails with other output, fails
here, so the list stays true.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "csl-suite"
# The bar: jgm/citeproc's 742 of these fixtures through its own runner, plus one.
AT_LEAST = 743


@cache
def _runner():
    spec = importlib.util.spec_from_file_location("csl_suite_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _outcomes() -> dict:
    return {o.name: o for o in _runner().run_all()}


def test_every_fixture_is_vendored_with_its_source():
    assert len(list((HERE / "fixtures").glob("*.txt"))) == 845
    assert "13724f99a9b253e4a363f72e55b90cf8889e92b8" in (HERE / "SOURCE.md").read_text("utf-8")


def test_the_layer_passes_at_least_the_bar():
    passed = sum(o.passed for o in _outcomes().values())
    assert passed >= AT_LEAST, f"{passed} of 845 pass"


def test_known_failures_are_exactly_the_failures():
    known = _runner().read_known()
    outcomes = _outcomes()
    passing_listed = sorted(n for n in known if outcomes[n].passed)
    unlisted = sorted(n for n, o in outcomes.items() if not o.passed and n not in known)
    changed = sorted(n for n, (fingerprint, _) in known.items()
                     if not outcomes[n].passed and outcomes[n].fingerprint != fingerprint)
    assert not passing_listed, f"now passing, take them off the list: {passing_listed}"
    assert not unlisted, f"failing and not listed: {unlisted}"
    assert not changed, f"listed, but failing differently now: {changed}"


def test_every_known_failure_says_why():
    """A cause written by hand before the difference the runner shows, on every line."""
    for name, (_, reason) in _runner().read_known().items():
        cause, _, difference = reason.partition(" — ")
        assert cause.strip() and not cause.startswith("TODO"), name
        assert difference.startswith(("expected «", "raises ")), name


@pytest.mark.parametrize("name", ["punctuation_DateStripPeriods", "sort_Citation",
                                  "sort_DaleDalebout", "condition_EmptyDate",
                                  "position_IbidWithSuffix", "disambiguate_YearSuffixAndSort",
                                  "locale_SpecificTerm"])
def test_a_sample_passes(name):
    """Fixtures of kinds the brief relies on (dates, sorting, punctuation, ibid, year
    suffixes, locales)."""
    assert _outcomes()[name].passed
