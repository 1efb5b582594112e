"""Hostile corpus — sizes and time: every resource is bounded, and counted, not timed.

No case here measures wall-clock time: each counts the work done (line breaks
computed, passages compared, values built), which a loaded machine cannot make
flaky.
"""

from __future__ import annotations

import difflib

from corpus import QUOTE

from briefing.core import limits
from briefing.load import archive


def _invalid(project, place: str, message: str) -> None:
    for command in ("validate", "build"):
        result = project.run(command, "content/demo")
        assert result.code == 2, result.err
        assert result.lines[0] == f"{place}: error: {message}"
        project.assert_contained(result)


def test_a_one_megabyte_judgment_is_refused_by_validate(project):
    text = "The alliance will likely hold. " + "More words of the judgment. " * 37_500
    project.edit("    text: The development in question is likely to continue over the next "
                 "year.", f"    text: {text}")
    _invalid(project, project.pos("The alliance will likely hold."),
             f"text is {len(text.rstrip()):,} characters; the limit is {limits.MAX_PROSE_CHARS:,} "
             "(MAX_PROSE_CHARS); split it into shorter paragraphs or items [BR805]")


def test_a_long_title_field_is_refused_too(project, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PROSE_CHARS", 40)
    title = "A title that runs on and on past the limit"
    project.edit("title: Demo", f"title: {title}")
    _invalid(project, project.pos(title), f"text is {len(title)} characters; the limit is 40 "
             "(MAX_PROSE_CHARS); split it into shorter paragraphs or items [BR805]")


def test_deeply_nested_emphasis_is_refused(project):
    nested = "*a _b " * 100 + "x" + " c_ d*" * 100
    project.edit("    basis: A single placeholder source; replace it with real reporting.",
                 f"    basis: \"{nested}\"")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (
        f"{project.pos(chr(34) + nested)}: error: inline markup (emphasis, strong, links) "
        f"nests 200 levels deep; the limit is {limits.MAX_INLINE_DEPTH} (MAX_INLINE_DEPTH) "
        "[BR806]")
    project.assert_contained(result)


def test_nested_emphasis_inside_a_link_is_refused(project):
    nested = "[" + "*a _b " * 15 + "x" + " c_ d*" * 15 + "](https://example.org)"
    project.edit("    basis: A single placeholder source; replace it with real reporting.",
                 f"    basis: \"{nested}\"")
    result = project.run("build", "content/demo")
    assert result.code == 2
    assert result.lines[0].endswith(f"nests 31 levels deep; the limit is "
                                    f"{limits.MAX_INLINE_DEPTH} (MAX_INLINE_DEPTH) [BR806]")
    project.assert_contained(result)


def test_nesting_at_the_limit_builds(project):
    """The limit is a limit, not a lower ceiling: 20 levels build (no RecursionError)."""
    nested = "*a _b " * 10 + "deep" + " c_ d*" * 10
    project.edit("    basis: A single placeholder source; replace it with real reporting.",
                 f"    basis: \"{nested}\"")
    result = project.run("build", "content/demo", "--format", "pdf")
    assert result.code == 0, result.err


def test_a_paragraph_of_many_pages_is_broken_into_lines_once(project, monkeypatch):
    """Splitting a long paragraph across pages reuses the lines already broken: the
    paragraph's text is broken once per width, not once more for every page."""
    from reportlab.platypus.paragraph import Paragraph

    text = "The alliance will likely hold. " + "Supply lines widened steadily. " * 2_500
    project.edit("    text: The development in question is likely to continue over the next "
                 "year.", f"    text: {text}")
    calls = []
    original = Paragraph.breakLines

    def counting(self, width):
        if sum(len(getattr(f, "text", "")) for f in self.frags) > 5_000:
            calls.append(width)
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    result = project.run("build", "content/demo", "--format", "pdf", "--force",
                         "--pdf-engine", "reportlab")
    assert result.code == 0, result.err
    from pypdf import PdfReader

    pages = len(PdfReader(project.out / "demo.pdf").pages)
    assert pages >= 10
    assert 1 <= len(calls) <= 3, f"{len(calls)} line breakings for {pages} pages"


def test_closest_passage_compares_a_bounded_number_of_passages(project, monkeypatch):
    """A quote not found in a large archive: only the best-scoring windows are
    compared character by character."""
    words = " ".join(f"word{i % 997} filler{i % 13}" for i in range(60_000))
    (project.root / "seeds" / "big.txt").write_text(words + "\n" + f"In short, {QUOTE}.\n",
                                                   "utf-8")
    project.cite_archive("seeds/big.txt", quote="the alliance grew weaker in 2025")
    compared = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio",
                        lambda self: compared.append(1) or ratio(self))
    archive._read.cache_clear()
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert (f"closest passage (para. 2): \"{QUOTE}.\"" in result.lines[0]
            or f"closest passage (para. 2): \"{QUOTE}\"" in result.lines[0]), result.lines[0]
    assert len(compared) <= 5 * limits.MAX_PASSAGE_CANDIDATES
    project.assert_contained(result)


def test_build_time_budget_stops_a_runaway_render(project, monkeypatch):
    """A render that never ends is stopped by the budget's timer; nothing is written.
    (The fake renderer waits on an event no one sets: it ends only by the timer.)"""
    import threading

    from briefing.build import pipeline as build

    monkeypatch.setattr(limits, "BUILD_TIME_BUDGET", 0.2)
    monkeypatch.setattr(build, "render_format",
                        lambda *args, **kwargs: threading.Event().wait())
    result = project.run("build", "content/demo", "--force")
    assert result.code == 1
    assert result.lines[-1] == ("content/demo: failed: the build ran past its time budget of "
                                "0.2 s (BUILD_TIME_BUDGET) and was stopped; nothing was "
                                "written")
    project.assert_contained(result)


def test_yaml_file_over_the_limit_is_not_read_whole(project, monkeypatch):
    from briefing.load import yamlpos

    monkeypatch.setattr(yamlpos, "MAX_FILE_BYTES", 100)
    size = project.file().stat().st_size
    _invalid(project, "content/demo/brief.yaml:1:1",
             f"file is {size:,} bytes; the limit is 100 bytes [BR801]")
