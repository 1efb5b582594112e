"""Hostile sizes: long paragraphs in the PDF and the closest-passage search, against
the quadratic baselines they replaced, measured in the same run.

    python bench/hostile.py [--quick]

Prints two tables (medians of in-process runs, seconds):

- PDF of a brief whose one key judgment is N characters: briefing's renderer, and
  the same renderer with ReportLab's own split (which breaks the rest of a
  paragraph again for every page) as the baseline;
- the closest passage to a quote not found in an archive of N bytes: the bounded
  search, and the previous full scan (a similarity ratio at every word) as baseline;
- the template step of a brief of K key judgments: run within its budget (time,
  output, memory; the bounded sandbox's checks), and jinja2's plain sandboxed render
  of the same template as the baseline.
"""

from __future__ import annotations

import difflib
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.build.pipeline import render_format, resolve_layout  # noqa: E402
from briefing.build.validate import validate  # noqa: E402
from briefing.cli.scaffold import new_brief  # noqa: E402
from briefing.compose import composer, template_budget  # noqa: E402
from briefing.compose.composer import compose, render_markup  # noqa: E402
from briefing.load import archive  # noqa: E402
from briefing.render.pdf import renderer as pdf  # noqa: E402

SENTENCE = "Supply lines to the front widened steadily through the year. "


def _median(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def _reportlab_split():
    """The baseline: ReportLab's split, which re-breaks the rest on every page."""
    saved = pdf._Paragraph.split
    pdf._Paragraph.split = pdf.Paragraph.split
    try:
        yield
    finally:
        pdf._Paragraph.split = saved


def _document(folder: Path, chars: int):
    new_brief("demo", folder, "schema.json")
    path = folder / "demo" / "brief.yaml"
    text = ("The alliance will likely hold. " + SENTENCE * (chars // len(SENTENCE)))[:chars]
    path.write_text(path.read_text("utf-8").replace(
        "text: The development in question is likely to continue over the next year.",
        f"text: {text.rstrip()}"), "utf-8")
    loaded = validate(folder / "demo").loaded
    layout = resolve_layout(loaded, None, "reportlab")  # the split measured is ReportLab's
    return compose(loaded, layout), layout


def _old_closest(quote: str, archived: archive.ArchivedText) -> tuple[str, int]:
    """The search before: a similarity ratio at every word of the archive."""
    target = archive.normalise(archive.ELLIPSIS.sub(" ", quote))
    haystack = archived.normalised
    width = len(target)
    starts = [0] + [m.end() for m in re.finditer(r" ", haystack)]
    best, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for start in starts:
        matcher.set_seq1(haystack[start:start + width])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = start, ratio
    return haystack[best:best + width], archived.paragraph_of(best)


@contextmanager
def _unbudgeted():
    """The baseline: jinja2's own sandbox and `Template.render`, no budget."""
    from jinja2.sandbox import SandboxedEnvironment

    saved = composer.BoundedSandbox, template_budget.run
    composer.BoundedSandbox = SandboxedEnvironment
    template_budget.run = lambda load, variables: load().render(**variables)
    try:
        yield
    finally:
        composer.BoundedSandbox, template_budget.run = saved


def _template_rows(sizes: tuple[int, ...]) -> list[tuple[str, ...]]:
    """Each side compiles the template once into a disk cache of its own (compiled code
    differs: the bounded sandbox calls its operator checks), then renders it."""
    import os

    sys.path.insert(0, str(ROOT / "bench"))
    from generate import LAYOUT, generate_brief

    from briefing.load.brief import load_brief
    from briefing.load.layout import load_layout

    rows = []
    layout = load_layout(LAYOUT / "layout.yaml")
    before = os.environ.get("BRIEFING_CACHE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for k in sizes:
                generate_brief(k, Path(tmp) / str(k))
                loaded = load_brief(Path(tmp) / str(k))
                run = lambda lo=loaded: render_markup(lo, layout)  # noqa: E731
                os.environ["BRIEFING_CACHE_DIR"] = f"{tmp}/ours"
                run()
                ours = _median(run, 9)
                os.environ["BRIEFING_CACHE_DIR"] = f"{tmp}/base"
                with _unbudgeted():
                    run()
                    base = _median(run, 9)
                rows.append((f"{k:,}", f"{ours * 1000:.1f}", f"{base * 1000:.1f}",
                             f"{ours / base:.2f}×"))
        finally:
            os.environ.pop("BRIEFING_CACHE_DIR", None)
            if before is not None:
                os.environ["BRIEFING_CACHE_DIR"] = before
    return rows


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}\n")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main(quick: bool = False) -> None:
    sizes = (10_000, 25_000, 50_000, 100_000) if not quick else (10_000, 25_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for chars in sizes:
            document, layout = _document(Path(tmp) / str(chars), chars)
            ours = _median(lambda d=document, lay=layout: render_format("pdf", d, lay), 3)
            with _reportlab_split():
                base = _median(lambda d=document, lay=layout: render_format("pdf", d, lay),
                               1 if chars > 25_000 else 3)
            rows.append((f"{chars:,}", f"{ours:.2f}", f"{base:.2f}", f"{base / ours:.1f}×"))
    _table("PDF of a brief whose key judgment is one paragraph of N characters (s)",
           ("characters", "briefing", "ReportLab split (baseline)", "speed-up"), rows)

    rows = []
    quote = "the alliance grew weaker in the last winter of the war"
    for size in ((250_000, 500_000, 1_000_000) if not quick else (100_000, 250_000)):
        words = " ".join(f"word{i % 997} filler{i % 13}" for i in range(size // 14))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "archive.txt"
            path.write_text(words[:size] + "\nIn short, the alliance grew stronger.\n", "utf-8")
            archived = archive.read_archive(path)
            archived.normalised  # noqa: B018 - cached before timing, as in validate
            ours = _median(lambda a=archived: archive.closest_passage(quote, a), 3)
            base = _median(lambda a=archived: _old_closest(quote, a), 1)
            rows.append((f"{size:,}", f"{ours:.3f}", f"{base:.2f}", f"{base / ours:.0f}×"))
    _table("Closest passage to a quote not found in an archive of N bytes (s)",
           ("bytes", "bounded search", "full scan (baseline)", "speed-up"), rows)

    rows = _template_rows((10, 250, 1000) if not quick else (10, 250))
    _table("Template step of a brief of K key judgments (ms)",
           ("key judgments", "within its budget", "plain render (baseline)", "cost"), rows)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
