"""The two PDF engines side by side, for bench/run.py: ReportLab and Typst.

For each brief, in the same run as the rest of the benchmark:

* cold: `python -m briefing build PATH --format pdf --force --pdf-engine E` in a fresh
  process (median wall time, peak RSS by GNU time), one run of each engine per round;
* warm: in this process, after one untimed render, the renderer alone on the composed
  document tree, alternately with and without a one-word edit of the first key judgment
  (what `briefing watch` pays per rebuild for the PDF; Typst's compiler is kept, so
  it relayouts only what the edit touched), median seconds;
* pages of each engine's PDF (Typst sets footnotes on their pages, ReportLab endnotes).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from measure import Sample, Timing, log, repeat, run_cold

ENGINES = ("reportlab", "typst")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def engine_tool(engine: str) -> str:
    return f"build --format pdf --pdf-engine {engine}"


def engine_cold_once(brief, engine: str, out: Path) -> None:
    """One cold PDF build with `engine` into a new, empty output folder."""
    target = tempfile.mkdtemp(prefix=f"{engine}-", dir=out)
    command = [sys.executable, "-m", "briefing", "build", str(brief.path), "--out-dir", target,
               "--format", "pdf", "--force", "--pdf-engine", engine, *brief.layout_option]
    brief.engine_runs.setdefault(engine, Timing()).add(*run_cold(command))


def engine_cold_tasks(brief, folder: Path) -> list[Callable[[], None]]:
    """One cold-run callable per engine (for bench/run.py's rounds)."""
    out = folder / "engines"
    out.mkdir(parents=True, exist_ok=True)
    if not hasattr(brief, "engine_runs"):
        brief.engine_runs, brief.engine_warm, brief.engine_pages = {}, {}, {}
    return [partial(engine_cold_once, brief, engine, out) for engine in ENGINES]


def engine_warm(brief, times: int, max_time: float) -> None:
    """Time each engine's renderer alone, warm, on the brief's composed document."""
    from briefing.build.pipeline import resolve_layout
    from briefing.build.validate import validate
    from briefing.compose.composer import compose
    from briefing.render.registry import entry_point

    loaded = validate(brief.path).loaded
    assert loaded is not None, f"{brief.path} is invalid"
    if not hasattr(brief, "engine_runs"):
        brief.engine_runs, brief.engine_warm, brief.engine_pages = {}, {}, {}
    for engine in ENGINES:
        layout = resolve_layout(loaded, str(brief.layout) if brief.layout else None, engine)
        documents = [compose(loaded, layout)]
        documents.append(edited(documents[0]))
        render = entry_point("pdf", engine)
        brief.engine_pages[engine] = len(_PAGE.findall(render(documents[0], layout)))
        sample = brief.engine_warm.setdefault(engine, Sample())

        def once(render=render, sample=sample, documents=documents, layout=layout) -> None:
            document = documents[sample.n % 2 == 0]  # the edited one first
            start = time.perf_counter()
            render(document, layout)
            sample.values.append(time.perf_counter() - start)

        log(f"  warm PDF render, {engine}")
        repeat(once, times, max_time)


def edited(document):
    """`document` with one word put before the first key judgment's text."""
    from dataclasses import replace

    from briefing.compose import tree as t

    blocks = list(document.blocks)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, t.KeyJudgment)), None)
    if at is None:
        return document
    blocks[at] = replace(blocks[at], children=(t.Text("Edited: "), *blocks[at].children))
    return replace(document, blocks=tuple(blocks))


def engines_table(briefs: list) -> str:
    """Markdown: per brief and engine, cold median s and peak RSS, warm render s, pages,
    and Typst's times over ReportLab's."""
    header = ["brief", "PDF engine", "cold median s", "runs", "peak RSS MiB",
              "warm render s", "pages", "÷ ReportLab (cold, warm)"]
    rows = []
    for brief in briefs:
        runs = getattr(brief, "engine_runs", {})
        warm = getattr(brief, "engine_warm", {})
        for engine in ENGINES:
            if engine not in runs and engine not in warm:
                continue
            cold = runs.get(engine, Timing())
            hot = warm.get(engine, Sample())
            ratio = ""
            if engine != "reportlab" and "reportlab" in runs and cold.seconds.n:
                base_cold = runs["reportlab"].seconds.median
                base_warm = warm["reportlab"].median if "reportlab" in warm else float("nan")
                ratio = (f"{cold.seconds.median / base_cold:.2f}×, "
                         f"{hot.median / base_warm:.2f}×" if hot.n else
                         f"{cold.seconds.median / base_cold:.2f}×")
            rows.append([brief.name, engine,
                         f"{cold.seconds.median:.3f}" if cold.seconds.n else "–",
                         str(cold.seconds.n),
                         f"{cold.rss.peak / 1024:.0f}" if cold.rss.n else "–",
                         f"{hot.median:.3f}" if hot.n else "–",
                         str(getattr(brief, "engine_pages", {}).get(engine, "–")), ratio])
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
