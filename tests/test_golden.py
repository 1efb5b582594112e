"""Golden files: the document tree as text, diffable by a reviewer.

After an intended change, regenerate with:
    BRIEFING_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(("layout", "golden"), [
    (None, "nk-russia.tree.txt"),
    ("one-pager", "nk-russia.one-pager.tree.txt"),
])
def test_tree_matches_golden(layout, golden, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = ["tree", "content/nk-russia"] + (["--layout", layout] if layout else [])
    assert main(args) == 0
    actual = capsys.readouterr().out
    path = GOLDEN / golden
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        path.write_text(actual, "utf-8")
    assert actual == path.read_text("utf-8")
