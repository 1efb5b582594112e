"""Quote matching against archived copies: what normalising may and may not forgive."""

from __future__ import annotations

from pathlib import Path

from briefing.load.archive import closest_passage, read_archive
from briefing.load.quoting import find_quote


def _archive(tmp_path: Path, text: str):
    path = tmp_path / "source.txt"
    path.write_text(text, "utf-8")
    return read_archive(path)


def test_nested_quotation_marks_may_turn_single(tmp_path):
    archived = _archive(tmp_path, "First line.\nKwon called them “baseless rumors” and more.\n")
    assert find_quote("Kwon called them ‘baseless rumors’", archived) is not None
    assert find_quote("Kwon called them \"baseless rumors\"", archived) is not None


def test_dashes_whitespace_and_ellipsis_are_forgiven(tmp_path):
    archived = _archive(tmp_path, "In 2024–2025 the   alliance took shape, it said, and grew.\n")
    assert find_quote("In 2024-2025 the alliance took shape … and grew", archived) is not None


def test_a_changed_word_is_not_forgiven_and_the_passage_is_shown(tmp_path):
    archived = _archive(tmp_path, "Intro.\nKim pledged to step up strategic cooperation.\n")
    assert find_quote("Kim pledged to step up tactical cooperation", archived) is None
    passage, paragraph = closest_passage("Kim pledged to step up tactical cooperation",
                                         archived)
    assert passage == "Kim pledged to step up strategic cooperation."
    assert paragraph == 2
