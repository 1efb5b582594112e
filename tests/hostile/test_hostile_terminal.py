"""Hostile corpus — terminal output: nothing printed can act on the terminal."""

from __future__ import annotations

import json
import os

import pytest
from corpus import run_process

ESC = "\x1b"


def _passage(project, line: str) -> list[str]:
    """An archive holding `line`; a quote that is not in it; validate's stderr."""
    (project.root / "seeds" / "odd.txt").write_text(f"Intro.\n{line}\n", "utf-8")
    project.cite_archive("seeds/odd.txt", quote="the alliance grew weaker in 2025")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    project.assert_contained(result)
    assert ESC not in result.err and "\u202e" not in result.err and "\x9b" not in result.err
    return result.lines


@pytest.mark.parametrize(("raw", "shown"), [
    (f"the alliance {ESC}[31mgrew{ESC}[0m weaker in 2025", "\\x1b[31mgrew\\x1b[0m"),
    ("the alliance grew \u202eweaker in 2025", "\\u202eweaker"),
    ("the alliance grew \x9b2Jweaker in 2025", "\\x9b2Jweaker"),
    (f"the alliance grew{ESC}]0;title\x07 weaker in 2025", "\\x1b]0;title\\x07"),
])
def test_controls_in_a_closest_passage_are_made_visible(project, raw, shown):
    lines = _passage(project, raw)
    assert "closest passage (para. 2)" in lines[0]
    assert shown in lines[0]


def test_json_output_escapes_controls_too(project):
    (project.root / "seeds" / "odd.txt").write_text(
        f"Intro.\nthe alliance {ESC}[31mgrew weaker in 2025\n", "utf-8")
    project.cite_archive("seeds/odd.txt", quote="the alliance grew weaker in 2025")
    result = project.run("validate", "content/demo", "--format", "json")
    assert result.code == 2
    assert ESC not in result.out
    assert json.loads(result.out)[0]["valid"] is False


def test_folder_name_with_an_escape_is_made_visible(project):
    odd = project.root / "content" / f"x{ESC}[2Jy"
    project.brief.rename(odd)
    result = project.run("validate", str(odd.relative_to(project.root)))
    assert result.code == 0, result.err
    assert ESC not in result.err
    assert result.lines[-1] == "content/x\\x1b[2Jy: valid (0 error(s), 0 warning(s))"


def test_folder_name_that_is_not_utf8(project):
    odd = os.fsencode(project.root / "content") + b"/caf\xe9"
    os.rename(project.brief, odd)
    result = run_process(project.root, "validate", os.fsdecode(b"content/caf\xe9"))
    assert result.code == 0, result.err
    assert result.err.splitlines()[-1] == "content/caf\\xe9: valid (0 error(s), 0 warning(s))"
    json_result = run_process(project.root, "validate", "--format", "json",
                              os.fsdecode(b"content/caf\xe9"))
    assert json.loads(json_result.out)[0]["path"] == "content/caf\\xe9"
    project.assert_contained(result)


def test_layout_name_with_an_escape(project):
    result = project.run("build", "content/demo", "--layout", f"evil{ESC}[31m")
    assert result.code == 1
    assert ESC not in result.err
    assert "no layout named 'evil\\x1b[31m'" in result.err
    project.assert_contained(result)


def test_archive_name_with_an_escape(project):
    place = project.cite_archive("seeds/\\e[31mred.txt")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert ESC not in result.err
    assert result.lines[0].startswith(f"{place}: error: ")
    project.assert_contained(result)
