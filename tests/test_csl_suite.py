"""The CSL processor test suite (tests/csl-suite) through briefing's citation layer.

Every fixture runs the way a build formats citations (`Citer`, CSL-JSON in, HTML out).
The fixtures that fail are listed in tests/csl-suite/known-failures.txt with a reason
and a digest of what the layer printed: a listed fixture that starts passing, or fails
with other output, fails here, so the list stays true; and no fixture citeproc-py
passes on its own may be broken by briefing's mends.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "csl-suite"


@cache
def _runner():
    spec = importlib.util.spec_from_file_location("csl_suite_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _outcomes(engine: str) -> dict:
    run = _runner()
    return {o.name: o for o in run.run_all(engine)}


def test_every_fixture_is_vendored_with_its_source():
    assert len(list((HERE / "fixtures").glob("*.txt"))) == 845
    assert "13724f99a9b253e4a363f72e55b90cf8889e92b8" in (HERE / "SOURCE.md").read_text("utf-8")


def test_known_failures_are_exactly_the_failures():
    run = _runner()
    known = run.read_known()
    outcomes = _outcomes("briefing")
    passing_listed = sorted(n for n in known if outcomes[n].passed)
    unlisted = sorted(n for n, o in outcomes.items() if not o.passed and n not in known)
    changed = sorted(n for n, (fingerprint, _) in known.items()
                     if not outcomes[n].passed and outcomes[n].fingerprint != fingerprint)
    assert not passing_listed, f"now passing, take them off the list: {passing_listed}"
    assert not unlisted, f"failing and not listed: {unlisted}"
    assert not changed, f"listed, but failing differently now: {changed}"
    assert all(reason.strip() for _, reason in known.values())


def test_the_mends_break_nothing_citeproc_py_gets_right():
    mended, bare = _outcomes("briefing"), _outcomes("citeproc-py")
    broken = sorted(n for n, o in mended.items() if o.passed is False and bare[n].passed)
    assert not broken, f"a mend breaks what the style says in: {broken}"


@pytest.mark.parametrize("name", ["punctuation_DateStripPeriods", "sort_Citation",
                                  "sort_DaleDalebout", "condition_EmptyDate"])
def test_a_sample_passes(name):
    """A few fixtures of kinds the brief relies on (dates, sorting, punctuation)."""
    assert _outcomes("briefing")[name].passed
