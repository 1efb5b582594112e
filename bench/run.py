"""Benchmark `briefing` against pandoc, WeasyPrint and docxtpl on the same content.

For the NK–Russia brief and synthetic briefs (bench/generate.py) of k = 1, 25
and 250 key judgments, prints a Markdown report:

* cold runs, each a fresh process as a user would start it, with median wall
  time and peak RSS (GNU time %M):
  - `python -m briefing build PATH --out-dir NEW --force` (PDF and DOCX, the
    default), `--format pdf` and `--format html`, with briefing's disk cache warm (filled by the
    warm-up, as on a machine that has built before);
  - the same build with an empty cache (first run on a machine) and with
    `--no-cache`, and `python -m briefing validate` of the NK brief;
  - the peers on the same content (bench/peers.py): `pandoc brief.md -o
    brief.docx`; `pandoc brief.md -s -o brief.html` then `weasyprint brief.html
    brief.pdf` (each step, and their sum); docxtpl rendering a template;
* the warm one-edit rebuild of the NK brief: in this process, as `briefing
  watch` does, build it once, then edit one judgment's text and call
  `briefing.build.pipeline.build` again (the citation cache stays warm, as in watch);
* the two PDF engines side by side (bench/engines.py): cold builds and warm renders;
* in-process stage timings (validate, compose, render PDF, render DOCX) to show
  where the time goes;
* a table of the targets: each, the measured value, met or missed.

Every cold run has compiled bytecode, as an installed package does (the
benchmark keeps it under its own folder with PYTHONPYCACHEPREFIX, since this
machine sets PYTHONDONTWRITEBYTECODE), and briefing's cache in its own folder.

Cold runs go in rounds (every tool once per round, so drift hits all tools
alike); rounds stop at --cold-repeat or once a brief has used --max-time
seconds, so the whole run stays within a few minutes. Tables give the number of
runs behind every median.

Usage: python bench/run.py [--quick] [--cold-repeat N] [--repeat N] [--edits N]
                           [--sizes K ...] [--max-time S] [--no-nk] [--no-peers]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import resource
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.util import find_spec
from pathlib import Path

from engines import engine_cold_tasks, engine_warm, engines_table
from floor import (
    FLOOR_HEADER,
    FLOOR_NOTE,
    FLOOR_PDF,
    FLOOR_VALIDATE,
    OWN,
    PYTHON,
    floor_rows,
    floor_tasks,
)
from generate import LAYOUT, generate_brief
from measure import ROOT, RSS_METHOD, Sample, Timing, log, repeat, run_cold, time_steps
from peers import (
    DOCXTPL_SCRIPT,
    PANDOC_FROM,
    PeerFiles,
    document_of,
    make_template,
    peer_steps,
    write_inputs,
)

from briefing.build.pipeline import build, resolve_layout
from briefing.build.validate import validate
from briefing.compose import cite
from briefing.compose.composer import compose
from briefing.core import cache as disk_cache
from briefing.render.pdf import memo as pdf_memo
from briefing.render.registry import entry_point

NK_BRIEF = ROOT / "content" / "nk-russia"
# The one edit of the warm rebuild: a word of the first key judgment, back and forth.
EDIT_FILE, EDIT_FROM, EDIT_TO = "judgments.yaml", "publicly backed", "openly backed"
EDIT_COUNT = "# edits: "
# citation runs cached in-process by (style, items, citations), if this version has it
CITE_CACHE = getattr(cite, "_CACHE", None)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")

# Tools, in the order of the report's rows.
OURS_ALL = "briefing build (PDF+DOCX)"
OURS_PDF = "briefing build --format pdf"
OURS_EDIT = "briefing warm one-edit rebuild (PDF+DOCX, in-process)"
OURS_HTML = "briefing build --format html"
OURS_EMPTY = "briefing build, empty cache (first run)"
OURS_NO_CACHE = "briefing build --no-cache"
OURS_VALIDATE = "briefing validate"
PANDOC_DOCX = "pandoc → DOCX"
PANDOC_HTML = "pandoc → HTML"
WEASYPRINT = "WeasyPrint HTML → PDF"
PANDOC_PDF = "pandoc → HTML → WeasyPrint (sum)"
DOCXTPL = "docxtpl → DOCX"
TOOLS = (OURS_ALL, OURS_PDF, OURS_HTML, OURS_EDIT, OURS_EMPTY, OURS_NO_CACHE, OURS_VALIDATE,
         PANDOC_DOCX, PANDOC_HTML, WEASYPRINT, PANDOC_PDF, DOCXTPL, PYTHON, FLOOR_PDF,
         FLOOR_PDF + OWN, FLOOR_VALIDATE, FLOOR_VALIDATE + OWN)
STAGES = ("validate", "compose", "pdf", "docx")

# The targets (issue 17), each a ratio to a peer measured in the same run
COLD_BUILD_LIMIT = 2.5  # × pandoc → DOCX: NK, k=1, k=25
COLD_BUILD_K250_LIMIT = 3.0  # × pandoc → DOCX at k=250
PEAK_RSS_LIMIT_MB = 150
PDF_SPEEDUP = 5.0  # our PDF at least this many times faster than WeasyPrint's step
WARM_EDIT_LIMIT = 0.3  # × pandoc → DOCX: the NK one-edit rebuild (issue 26; issue 17 asked 0.5)
VALIDATE_LIMIT = 1.0  # × pandoc → DOCX: `briefing validate` of the NK brief
HTML_LIMIT = 1.0  # × pandoc → HTML: the web edition alone (issue 26)
EMPTY_CACHE_LIMIT = 1.2  # empty-cache build × the --no-cache build (no cache, as before it)


@dataclass
class Brief:
    """One brief and everything measured for it."""

    name: str
    path: Path
    layout: Path | None
    judgments: int
    tools: dict[str, Timing] = field(default_factory=dict)  # tool -> cold runs
    stages: dict[str, Sample] = field(default_factory=dict)  # stage -> in-process seconds
    pages: dict[str, int] = field(default_factory=dict)  # "ours" / "WeasyPrint" -> pages

    def timing(self, tool: str) -> Timing:
        """The tool's Timing, created on first use."""
        return self.tools.setdefault(tool, Timing())

    def seconds(self, tool: str) -> float:
        """Median seconds of the tool on this brief (NaN if not measured)."""
        timing = self.tools.get(tool)
        return timing.seconds.median if timing else math.nan

    def peak_mib(self, tool: str) -> float:
        """Largest peak RSS of the tool's runs, MiB (NaN if not measured)."""
        timing = self.tools.get(tool)
        return timing.rss.peak / 1024 if timing and timing.rss.n else math.nan

    @property
    def layout_option(self) -> list[str]:
        """`--layout PATH` when the brief is built in a layout other than its own."""
        return ["--layout", str(self.layout)] if self.layout else []


# ---- cold runs --------------------------------------------------------------------------


def rounds(tasks: list[Callable[[], None]], times: int, max_time: float) -> None:
    """Run every task once per round, up to `times` rounds or until `max_time` has passed."""
    start = time.perf_counter()
    for i in range(times):
        for task in tasks:
            task()
        if max_time and i + 1 < times and time.perf_counter() - start >= max_time:
            log(f"    stopped after {i + 1} round(s): --max-time {max_time:g} s reached")
            return


def ours_once(brief: Brief, fmt: str, out: Path) -> None:
    """One cold `briefing build` into a new, empty output folder."""
    target = tempfile.mkdtemp(prefix=f"{fmt}-", dir=out)
    formats = [] if fmt == "default" else ["--format", fmt]  # default: PDF and DOCX
    command = [sys.executable, "-m", "briefing", "build", str(brief.path), "--out-dir", target,
               *formats, "--force", *brief.layout_option]
    tool = {"default": OURS_ALL, "pdf": OURS_PDF, "html": OURS_HTML}[fmt]
    brief.timing(tool).add(*run_cold(command))


def cache_tasks(brief: Brief, out: Path) -> list[Callable[[], None]]:
    """Cold builds with an empty cache and with none, and (NK) a cold `briefing validate`."""
    tasks = [partial(empty_cache_once, brief, out),
             partial(no_cache_once, brief, out)]
    if brief.path == NK_BRIEF:
        tasks.append(partial(validate_once, brief))
    return tasks


def empty_cache_once(brief: Brief, out: Path) -> None:
    """One cold build as the first on a machine: its cache folder new and empty."""
    target = tempfile.mkdtemp(prefix="empty-", dir=out)
    command = [sys.executable, "-m", "briefing", "build", str(brief.path), "--out-dir",
               str(Path(target) / "out"), "--force", *brief.layout_option]
    with environ(BRIEFING_CACHE_DIR=str(Path(target) / "cache")):
        brief.timing(OURS_EMPTY).add(*run_cold(command))


def no_cache_once(brief: Brief, out: Path) -> None:
    """One cold build that neither reads nor writes the cache."""
    target = tempfile.mkdtemp(prefix="no-cache-", dir=out)
    command = [sys.executable, "-m", "briefing", "build", str(brief.path), "--out-dir", target,
               "--force", "--no-cache", *brief.layout_option]
    brief.timing(OURS_NO_CACHE).add(*run_cold(command))


def validate_once(brief: Brief) -> None:
    """One cold `briefing validate`, as an editor runs it on save."""
    command = [sys.executable, "-m", "briefing", "validate", str(brief.path)]
    brief.timing(OURS_VALIDATE).add(*run_cold(command))


@contextmanager
def environ(**values: str) -> Iterator[None]:
    """Environment variables set for the processes started inside the block."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cold_process_environment(folder: Path) -> None:
    """Every cold run of every tool sees the same settings: briefing's cache in the
    benchmark's folder (filled by the warm-up: "second run on a machine"), and compiled
    bytecode kept, as an installed package has it (pip compiles it; this machine sets
    PYTHONDONTWRITEBYTECODE, which would make every cold run compile every module)."""
    os.environ["BRIEFING_CACHE_DIR"] = str(folder / "cache")
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("BRIEFING_CACHE", None)


def pandoc_pdf_once(brief: Brief, steps: list[list[str]], files: PeerFiles) -> None:
    """pandoc → HTML, then WeasyPrint → PDF; each step timed, and their sum."""
    html, pdf = brief.timing(PANDOC_HTML), brief.timing(WEASYPRINT)
    time_steps(steps, [html, pdf], before=partial(_unlink, [files.html, files.pdf]))
    brief.timing(PANDOC_PDF).add(html.seconds.values[-1] + pdf.seconds.values[-1],
                                 max(html.rss.values[-1], pdf.rss.values[-1]))


def _unlink(paths: list[Path]) -> None:
    """Remove earlier outputs so that every run writes afresh."""
    for path in paths:
        path.unlink(missing_ok=True)


def cold_tasks(brief: Brief, folder: Path, template: Path | None) -> list[Callable[[], None]]:
    """One callable per tool, each a cold run of it on `brief`; peers need `template`."""
    out = folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    tasks: list[Callable[[], None]] = [partial(ours_once, brief, "default", out),
                                       partial(ours_once, brief, "pdf", out),
                                       partial(ours_once, brief, "html", out),
                                       *cache_tasks(brief, out)]
    if brief.judgments < 250:  # the targets missed are at these sizes
        tasks += floor_tasks(brief, folder / "floor", nk=brief.path == NK_BRIEF)
    if template is None:
        return tasks
    layout = str(brief.layout) if brief.layout else None
    files = write_inputs(document_of(brief.path, layout), folder / "peers")
    steps = peer_steps(files, template)
    tasks += [
        partial(time_steps, steps["pandoc docx"], [brief.timing(PANDOC_DOCX)],
                before=partial(_unlink, [files.pandoc_docx])),
        partial(pandoc_pdf_once, brief, steps["pandoc html+weasyprint"], files),
        partial(time_steps, steps["docxtpl"], [brief.timing(DOCXTPL)],
                before=partial(_unlink, [files.docxtpl_docx])),
    ]
    return tasks


def pdf_pages(path: Path) -> int:
    """Pages of a PDF: pypdf when installed (object streams hide /Type /Page), else a scan."""
    if find_spec("pypdf"):
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    return len(_PAGE.findall(path.read_bytes()))


# ---- in-process -------------------------------------------------------------------------


def warm_stages(brief: Brief, times: int, max_time: float) -> None:
    """Time validate, compose and each renderer in this (already warm) process.

    The citation cache is cleared before `compose`, so that it measures
    the citation engine's work; `compose cached` repeats it with the cache holding the brief.
    """
    loaded = validate(brief.path).loaded
    assert loaded is not None, f"{brief.path} is invalid"
    layout = resolve_layout(loaded, str(brief.layout) if brief.layout else None)
    cached = ["compose cached"] if CITE_CACHE is not None else []
    for stage in ("validate", "compose", *cached, "pdf", "docx"):
        brief.stages.setdefault(stage, Sample())

    def timed(stage: str, run: Callable[[], object]) -> object:
        """Call `run`, adding its seconds to `stage`."""
        start = time.perf_counter()
        value = run()
        brief.stages[stage].values.append(time.perf_counter() - start)
        return value

    def once() -> None:
        """One warm pass over every stage."""
        validation = timed("validate", partial(validate, brief.path))
        assert validation.ok and validation.loaded is not None, validation.findings
        if CITE_CACHE is not None:
            CITE_CACHE.clear()
        with disk_cache.disabled():  # the citation engine's work, not the disk cache's
            document = timed("compose", partial(compose, validation.loaded, layout))
        if cached:
            document = timed("compose cached", partial(compose, validation.loaded, layout))
        data = timed("pdf", partial(entry_point("pdf"), document, layout))
        timed("docx", partial(entry_point("docx"), document, layout))
        brief.pages["ours"] = len(_PAGE.findall(data))

    log(f"  in-process stages: {', '.join(brief.stages)}")
    repeat(once, times, max_time)


def copy_nk(folder: Path) -> Path:
    """A copy of the NK brief, with copies of the repository's layouts and seeds beside
    it (a brief may only name files inside its project, so links out would not do)."""
    copy = folder / "content" / NK_BRIEF.name
    shutil.copytree(NK_BRIEF, copy)
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    return copy


def toggle_edit(path: Path) -> None:
    """Edit one judgment's text: swap EDIT_FROM and EDIT_TO, whichever is there. A
    comment at the end counts the edits, so that the file's text is new each time, as
    an editor's is (a text seen before would be found parsed already)."""
    text = path.read_text("utf-8")
    old, new = (EDIT_FROM, EDIT_TO) if EDIT_FROM in text else (EDIT_TO, EDIT_FROM)
    assert text.count(old) == 1, f"{path}: expected '{old}' once"
    body, _, count = text.partition(EDIT_COUNT)
    edits = int(count or 0) + 1
    path.write_text(f"{body.replace(old, new)}{EDIT_COUNT}{edits}\n", "utf-8")


def warm_edit(brief: Brief, folder: Path, times: int, max_time: float) -> None:
    """What `briefing watch` does after an edit: build() again in the same process,
    with the same helper process rendering the DOCX while this one renders the PDF
    (and, between builds, beginning its next render: `keep_ready`).

    The first build (both formats) is untimed; each timed one follows an edit of
    one judgment's text, so its inputs really changed and both formats are rebuilt.
    """
    copy = copy_nk(folder)
    out = folder / "out"
    with pdf_memo.kept(), ProcessPoolExecutor(max_workers=1) as helper:  # as watch does
        result = build(copy, out, helper=helper, keep_ready=True)
        assert result.outputs, result.findings
        timing = brief.timing(OURS_EDIT)

        def once() -> None:
            """One edit and the rebuild that follows it."""
            toggle_edit(copy / EDIT_FILE)
            start = time.perf_counter()
            rebuilt = build(copy, out, helper=helper, keep_ready=True)
            timing.seconds.values.append(time.perf_counter() - start)
            assert sorted(rebuilt.outputs) == ["docx", "pdf"], (rebuilt.findings,
                                                                rebuilt.skipped)

        log("  warm one-edit rebuild (in-process with a helper process, as watch)")
        repeat(once, times, max_time)


def warm_up(folder: Path, template: Path | None) -> None:
    """Load fonts and lazy imports, and run every command once, all untimed.

    The untimed cold runs recompile stale bytecode and fill the OS file cache
    before anything is timed.
    """
    brief = Brief("warm-up", generate_brief(1, folder / "brief").parent, LAYOUT, 1)
    warm_stages(brief, 1, 0)
    for task in cold_tasks(brief, folder, template):
        task()


# ---- report -----------------------------------------------------------------------------


def _seconds(sample: Sample | None) -> str:
    """Median seconds, or '–'."""
    if sample is None or not sample.n:
        return "–"
    value = sample.median
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def _ratio(value: float, reference: float) -> str:
    """value / reference as 'N.NN×', or '–'."""
    if math.isnan(value) or math.isnan(reference) or not reference:
        return "–"
    ratio = value / reference
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.1f}×"


def _number(value: float, digits: int = 0) -> str:
    """A number, or '–' for NaN."""
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def markdown_table(header: list[str], rows: list[list[str]], left: int = 1) -> str:
    """A Markdown table: the first `left` columns left-aligned, the others right-aligned."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    rule = ["-" * w if i < left else "-" * (w - 1) + ":" for i, w in enumerate(widths)]
    return "\n".join("| " + " | ".join(cell.ljust(widths[i]) if i < left else
                                        cell.rjust(widths[i]) for i, cell in enumerate(line))
                     + " |" for line in [header, rule, *rows])


def tools_table(briefs: list[Brief]) -> str:
    """One row per brief and tool: median s, runs, peak RSS, time relative to the peers."""
    header = ["brief", "tool", "median s", "runs", "peak RSS MiB", "÷ pandoc DOCX",
              "÷ WeasyPrint"]
    rows = []
    for brief in briefs:
        docx, weasy = brief.seconds(PANDOC_DOCX), brief.seconds(WEASYPRINT)
        for tool in TOOLS:
            if tool not in brief.tools:
                continue
            timing = brief.tools[tool]
            seconds = timing.seconds.median
            rows.append([brief.name, tool, _seconds(timing.seconds), str(timing.seconds.n),
                         _number(brief.peak_mib(tool)),
                         _ratio(seconds, docx) if tool != PANDOC_DOCX else "1×",
                         _ratio(seconds, weasy) if tool in (OURS_PDF, OURS_ALL) else ""])
    return markdown_table(header, rows, left=2)


def _total(brief: Brief) -> Sample:
    """Per-run sum of the stages of a build (validate, compose, pdf, docx)."""
    return Sample([sum(run) for run in zip(*(brief.stages[s].values for s in STAGES),
                                           strict=True)])


def stages_table(briefs: list[Brief], growth: tuple[Brief, Brief] | None) -> str:
    """In-process stage medians per brief, and the k-ratio row."""
    shown = [s for s in ("validate", "compose", "compose cached", "pdf", "docx")
             if briefs and s in briefs[0].stages]
    header = ["brief", "KJs", "pages ours", "pages WeasyPrint", *(f"{s} s" for s in shown),
              "total s", "runs"]
    rows = []
    for brief in briefs:
        rows.append([brief.name, str(brief.judgments), str(brief.pages.get("ours", "–")),
                     str(brief.pages.get("WeasyPrint", "–")),
                     *(_seconds(brief.stages[s]) for s in shown), _seconds(_total(brief)),
                     str(brief.stages["validate"].n)])
    if growth:
        small, big = growth
        rows.append([f"ratio k={big.judgments} / k={small.judgments}", "", "", "",
                     *(_ratio(big.stages[s].median, small.stages[s].median) for s in shown),
                     _ratio(_total(big).median, _total(small).median), ""])
    return markdown_table(header, rows)


def floor_table(briefs: list[Brief]) -> str:
    """Per brief and cold command: the target in seconds, the import floor, and the
    work that is left even in a warm process (bench/floor.py)."""
    rows = []
    for brief in briefs:
        if FLOOR_PDF not in brief.tools:
            continue
        stage = {name: sample.median for name, sample in brief.stages.items()}
        render = stage.get("compose cached", stage.get("compose", math.nan)) + stage["pdf"]
        docx = brief.seconds(PANDOC_DOCX)
        spec = [("build --format pdf", FLOOR_PDF, brief.seconds(WEASYPRINT) / PDF_SPEEDUP,
                 brief.seconds(OURS_PDF), "compose + PDF", render),
                ("build --format all", FLOOR_PDF, COLD_BUILD_LIMIT * docx,
                 brief.seconds(OURS_ALL), "compose + PDF", render)]
        if FLOOR_VALIDATE in brief.tools:
            spec.append(("validate", FLOOR_VALIDATE, VALIDATE_LIMIT * docx,
                         brief.seconds(OURS_VALIDATE), "validate", stage["validate"]))
        rows += floor_rows(brief, spec)
    return markdown_table(FLOOR_HEADER, rows, left=2)


@dataclass
class Target:
    """One of the issue's targets, measured."""

    name: str
    measured: str
    met: bool | None  # None: not measured


def targets(briefs: list[Brief], growth: tuple[Brief, Brief] | None) -> list[Target]:
    """Each target with its measured value (`growth` is shown in the stages table)."""
    return speed_targets(briefs)


def _ratio_target(name: str, value: float, reference: float, limit: float,
                  at_most: bool = True) -> Target:
    """A target on value / reference (≤ limit, or ≥ limit when not `at_most`)."""
    if math.isnan(value) or math.isnan(reference) or not reference:
        return Target(name, "–", None)
    ratio = value / reference
    return Target(name, f"{value:.3f} s vs {reference:.3f} s ({_ratio(value, reference)})",
                  ratio <= limit if at_most else ratio >= limit)


def speed_targets(briefs: list[Brief]) -> list[Target]:
    """The targets of issue 17, each a ratio to a peer (or to our own build without a
    cache) measured in this run."""
    out: list[Target] = []
    for brief in briefs:
        if brief.judgments == 250 and brief.name.startswith("k="):
            continue
        out.append(_ratio_target(
            f"{brief.name}: cold build, both formats ≤ {COLD_BUILD_LIMIT:g}× pandoc → DOCX",
            brief.seconds(OURS_ALL), brief.seconds(PANDOC_DOCX), COLD_BUILD_LIMIT))
    for brief in briefs:
        out.append(_ratio_target(f"{brief.name}: cold HTML alone ≤ {HTML_LIMIT:g}× pandoc → HTML",
                                 brief.seconds(OURS_HTML), brief.seconds(PANDOC_HTML),
                                 HTML_LIMIT))
    for brief in briefs:
        weasy, ours = brief.seconds(WEASYPRINT), brief.seconds(OURS_PDF)
        target = _ratio_target(f"{brief.name}: cold PDF ≥ {PDF_SPEEDUP:g}× faster than "
                               "WeasyPrint's step", weasy, ours, PDF_SPEEDUP, at_most=False)
        if target.met is not None:
            target.measured = f"{ours:.3f} s vs {weasy:.3f} s ({weasy / ours:.1f}× faster)"
        out.append(target)
    k250 = next((b for b in briefs if b.name == "k=250"), None)
    if k250:
        out.append(_ratio_target(f"k=250: cold build, both formats ≤ {COLD_BUILD_K250_LIMIT:g}× "
                                 "pandoc → DOCX", k250.seconds(OURS_ALL),
                                 k250.seconds(PANDOC_DOCX), COLD_BUILD_K250_LIMIT))
        mib = max(k250.peak_mib(OURS_ALL), k250.peak_mib(OURS_PDF), k250.peak_mib(OURS_EMPTY))
        megabytes = mib * 1024 * 1024 / 1e6
        out.append(Target(f"k=250: peak RSS of a cold build ≤ {PEAK_RSS_LIMIT_MB} MB",
                          "–" if math.isnan(mib) else f"{megabytes:.0f} MB ({mib:.0f} MiB)",
                          None if math.isnan(mib) else megabytes <= PEAK_RSS_LIMIT_MB))
    nk = next((b for b in briefs if b.path == NK_BRIEF), None)
    if nk:
        out.append(_ratio_target(f"NK: warm one-edit rebuild, both formats ≤ "
                                 f"{WARM_EDIT_LIMIT:g}× pandoc → DOCX", nk.seconds(OURS_EDIT),
                                 nk.seconds(PANDOC_DOCX), WARM_EDIT_LIMIT))
        out.append(_ratio_target(f"NK: `briefing validate`, cold ≤ {VALIDATE_LIMIT:g}× pandoc "
                                 "→ DOCX", nk.seconds(OURS_VALIDATE), nk.seconds(PANDOC_DOCX),
                                 VALIDATE_LIMIT))
    for brief in briefs:
        out.append(_ratio_target(f"{brief.name}: cold build with an empty cache (first run) ≤ "
                                 f"{EMPTY_CACHE_LIMIT:g}× the build without a cache",
                                 brief.seconds(OURS_EMPTY), brief.seconds(OURS_NO_CACHE),
                                 EMPTY_CACHE_LIMIT))
    return out


def targets_table(found: list[Target]) -> str:
    """The targets as a Markdown table."""
    verdict = {True: "met", False: "**missed**", None: "–"}
    return markdown_table(["target", "measured", "result"],
                          [[t.name, t.measured, verdict[t.met]] for t in found], left=2)


def machine() -> str:
    """One line about the machine and interpreter."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (f"nproc {usable} (cpu_count {os.cpu_count()}){f', {model}' if model else ''}; "
            f"Python {platform.python_version()} ({platform.python_implementation()}); "
            f"{platform.system()} {platform.release()}")


def versions() -> str:
    """Versions of the peers."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("pypandoc-binary", "weasyprint", "docxtpl"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} absent")
    try:
        import pypandoc

        found.append(f"pandoc {pypandoc.get_pandoc_version()}")
    except (ImportError, OSError):
        pass
    return ", ".join(found)


def report(briefs: list[Brief], baseline: Timing, warm_edits: int, started: float,
           args: argparse.Namespace) -> None:
    """Print the Markdown report to stdout."""
    synthetic = sorted((b for b in briefs if b.name.startswith("k=")), key=lambda b: b.judgments)
    growth = (synthetic[-2], synthetic[-1]) if len(synthetic) >= 2 else None
    command = shlex.join([Path(sys.executable).name, *sys.argv])
    print("## briefing benchmark\n")
    print(f"- command: `{command}`")
    print(f"- machine: {machine()}")
    print(f"- peers: {versions()}; pandoc reads `-f {PANDOC_FROM}`, the Markdown that "
          "bench/peers.py writes from briefing's document tree; WeasyPrint runs as "
          "`python -m weasyprint`; docxtpl as `python bench/"
          f"{DOCXTPL_SCRIPT.name}` with a python-docx template")
    print(f"- cold runs: up to {args.cold_repeat} rounds per brief, stopped after "
          f"{args.max_time:g} s; in-process stages up to {args.repeat} runs, one-edit "
          f"rebuild up to {warm_edits}; medians")
    print(f"- peak RSS: {RSS_METHOD} (a build's helper process included)")
    print("- cold runs have compiled bytecode (PYTHONPYCACHEPREFIX in the benchmark's folder) "
          "and briefing's disk cache warm, except the empty-cache and --no-cache rows")
    print(f"- baseline `python -c \"import briefing\"`: {_seconds(baseline.seconds)} s, "
          f"{_number(baseline.rss.peak / 1024)} MiB")
    print(f"- synthetic briefs: bench/generate.py, layout `{LAYOUT.relative_to(ROOT)}`; "
          "÷ columns: the tool's median time over the peer's (below 1× is faster)\n")
    print(tools_table(briefs))
    print("\n### In-process stages (warm process, median seconds)\n")
    print(stages_table(briefs, growth))
    print("\n'compose' clears the citation cache first (and uses no disk cache); "
          "'compose cached' is a second compose with it warm (not in the total). The "
          "one-edit rebuild keeps the cache, as watch does.")
    print("\n### Targets\n")
    print(targets_table(targets(briefs, growth)))
    print("\n### Start-up floor: the targets against what imports alone cost (bench/floor.py)\n")
    print(floor_table(briefs))
    print(f"\n{FLOOR_NOTE}")
    print("\n### PDF engines: ReportLab and Typst (bench/engines.py)\n")
    print(engines_table(briefs))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss /= 1024 * (1024 if sys.platform == "darwin" else 1)
    print(f"\nPeak RSS of this benchmark process: {rss:.0f} MiB. "
          f"Total wall time: {time.perf_counter() - started:.0f} s.")


# ---- main -------------------------------------------------------------------------------


def peers_available() -> str | None:
    """None when every peer can run, else what is missing."""
    missing = [name for name in ("pypandoc", "weasyprint", "docxtpl") if not find_spec(name)]
    return ", ".join(missing) or None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with --quick's defaults filled in."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cold-repeat", type=int, metavar="N",
                        help="cold rounds per brief (default 3; --quick 1)")
    parser.add_argument("--repeat", type=int, metavar="N",
                        help="in-process stage runs per brief (default 3; --quick 1)")
    parser.add_argument("--edits", type=int, metavar="N",
                        help="one-edit rebuilds of the NK brief (default 7; --quick 3)")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="K",
                        help="synthetic brief sizes (default 1 25 250; --quick 1 25)")
    parser.add_argument("--max-time", type=float, default=25.0, metavar="SECONDS",
                        help="stop repeating a brief's measurement after this long "
                             "(0: never; default 25)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of everything, k = 1 and 25 only (under a minute)")
    parser.add_argument("--no-nk", action="store_true", help="skip the NK–Russia brief")
    parser.add_argument("--no-peers", action="store_true",
                        help="skip pandoc, WeasyPrint and docxtpl")
    args = parser.parse_args(argv)
    args.cold_repeat = args.cold_repeat or (1 if args.quick else 3)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.edits = args.edits or (3 if args.quick else 7)
    args.sizes = args.sizes or ([1, 25] if args.quick else [1, 25, 250])
    if min(args.cold_repeat, args.repeat, args.edits, *args.sizes) < 1:
        parser.error("counts and sizes must be at least 1")
    if not args.no_peers and (missing := peers_available()):
        parser.error(f"missing {missing}: pip install -e '.[bench]' (or pass --no-peers)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its Markdown report to stdout."""
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as temp:
        folder = Path(temp)
        cold_process_environment(folder)
        template = None if args.no_peers else make_template(folder / "template.docx")
        log("warm-up (untimed)")
        warm_up(folder / "warm-up", template)
        baseline = Timing()
        repeat(lambda: baseline.add(*run_cold([sys.executable, "-c", "import briefing"])),
               3, args.max_time)
        briefs: list[Brief] = []
        if not args.no_nk:
            loaded = validate(NK_BRIEF).loaded
            assert loaded is not None, "content/nk-russia is invalid"
            briefs.append(Brief("NK–Russia", NK_BRIEF, None, len(loaded.brief.key_judgments)))
        for k in args.sizes:
            briefs.append(Brief(f"k={k}", generate_brief(k, folder / f"k{k}").parent, LAYOUT,
                                k))
        for n, brief in enumerate(briefs):
            log(f"{brief.name}: cold rounds")
            work = folder / f"brief-{n}"
            rounds(cold_tasks(brief, work, template) + engine_cold_tasks(brief, work),
                   args.cold_repeat, args.max_time)
            if template is not None:
                brief.pages["WeasyPrint"] = pdf_pages(PeerFiles(work / "peers").pdf)
            if brief.path == NK_BRIEF:
                warm_edit(brief, work / "edit", args.edits, args.max_time)
            warm_stages(brief, args.repeat, args.max_time)
            engine_warm(brief, args.repeat, args.max_time)
        report(briefs, baseline, args.edits, started, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
