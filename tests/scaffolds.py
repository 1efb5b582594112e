"""Briefs for tests: `briefing new`'s scaffold, without its placeholder warnings.

A test that edits a scaffolded brief to provoke one finding wants no others; the
scaffold's placeholders (BR626) are what `briefing new` is for, and
`tests/test_placeholders.py` checks them."""

from __future__ import annotations

from pathlib import Path

from briefing.cli.scaffold import new_brief

QUIET = "review: {ignore: [BR626]}"


def scaffolded(ident: str, parent: Path, schema: str) -> Path:
    """`new_brief`, with BR626 (placeholder-left) ignored by the brief's review settings,
    which take the place of its first line (the schema comment), so that every other
    value keeps its line and column and the file still ends with its sources."""
    path = new_brief(ident, parent, schema)
    first, rest = path.read_text("utf-8").split("\n", 1)
    assert first.startswith("# yaml-language-server:"), first
    path.write_text(f"{QUIET}\n{rest}", "utf-8")
    return path
