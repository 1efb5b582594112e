"""Benchmark `briefing`: cold builds as subprocesses, warm stage timings in-process.

For the NK–Russia brief and synthetic briefs (bench/generate.py) of k = 1, 25
and 250 key judgments, prints a Markdown report:

* cold: `python -m briefing build PATH --out-dir TMP --format pdf` (and
  `--format all` when the DOCX renderer exists) run as a fresh process; median
  wall time, as a multiple of the baseline `python -c "import briefing"`, and
  the peak RSS of that process (GNU time's %M when /usr/bin/time is GNU time,
  else `os.wait4`);
* warm: validate, compose, render PDF (and DOCX) called in this process after a
  warm-up, with the layout already loaded; median seconds per stage;
* the ratio of the two largest synthetic briefs (k=250 / k=25): about 10 or
  less means time grows linearly with the number of key judgments.

Each measurement repeats up to N times but stops early once it has used
`--max-time` seconds, so the whole run stays within a few minutes; the table
gives the number of runs behind every median.

Usage: python bench/run.py [--quick] [--repeat N] [--cold-repeat N] [--sizes K ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from generate import LAYOUT, generate_brief

from briefing import cite
from briefing.build import renderer, resolve_layout
from briefing.compose import compose
from briefing.validate import validate

ROOT = Path(__file__).resolve().parent.parent
NK_BRIEF = ROOT / "content" / "nk-russia"
HAS_DOCX = find_spec("briefing.render.docx") is not None
# citeproc results cached in-process by (style, items, citations), if this version has it
CITE_CACHE = getattr(cite, "_CACHE", None)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


@dataclass
class Sample:
    """Repeated measurements of one quantity (seconds, or KiB for memory)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the values (NaN when there are none)."""
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def n(self) -> int:
        """Number of values."""
        return len(self.values)


@dataclass
class Row:
    """Everything measured for one brief."""

    name: str
    judgments: int
    pages: int = 0
    cold: dict[str, Sample] = field(default_factory=dict)  # format -> wall seconds
    rss: dict[str, Sample] = field(default_factory=dict)  # format -> peak RSS KiB
    warm: dict[str, Sample] = field(default_factory=dict)  # stage -> seconds


def log(message: str) -> None:
    """Progress goes to stderr so that stdout holds only the report."""
    print(message, file=sys.stderr, flush=True)


def repeat(run: Callable[[], None], times: int, max_time: float) -> None:
    """Call `run` up to `times` times, stopping early after `max_time` seconds (>= 1 call)."""
    start = time.perf_counter()
    for i in range(times):
        run()
        if max_time and i + 1 < times and time.perf_counter() - start >= max_time:
            log(f"    stopped after {i + 1} run(s): --max-time {max_time:g} s reached")
            return


def _gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it understands -f %M and -o), else None."""
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        done = subprocess.run([path, "-f", "%M", "-o", out.name, "true"], check=False,
                              capture_output=True)
        return path if done.returncode == 0 and out.read().strip().isdigit() else None


GNU_TIME = _gnu_time()
RSS_METHOD = ("GNU time %M of the build process" if GNU_TIME else
              "os.wait4 ru_maxrss (an upper bound: Linux counts this process's own RSS "
              "at fork)")


def run_cold(command: list[str]) -> tuple[float, float]:
    """Run `command` as a fresh process: (wall seconds, its peak RSS in KiB).

    The peak RSS comes from GNU time, which forks the command from its own small
    process. Without it, `os.wait4` gives this one child's ru_maxrss (a
    RUSAGE_CHILDREN delta cannot: ru_maxrss is a maximum, not a sum), but Linux
    counts the parent's RSS at fork in it, so it is only an upper bound.
    """
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as rss_file:
        prefix = [GNU_TIME, "-f", "%M", "-o", rss_file.name] if GNU_TIME else []
        start = time.perf_counter()
        process = subprocess.Popen([*prefix, *command], cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{shlex.join(command)} exited {process.returncode}:\n"
                               f"{errors.read().decode(errors='replace')}")
        if GNU_TIME:
            return elapsed, float(rss_file.read().strip().splitlines()[-1])
    return elapsed, usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)


def cold_builds(row: Row, path: Path, layout: Path | None, out: Path, times: int,
                max_time: float) -> None:
    """Time `briefing build` in fresh processes, for PDF only and for every format.

    Every run writes to a new, empty output folder: builds are incremental (their
    state is kept in the output folder), and a cold build must not be skipped.
    """
    formats = ("pdf", "all") if HAS_DOCX else ("pdf",)
    out.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        options = ["--format", fmt, *(["--layout", str(layout)] if layout else [])]
        wall, rss = row.cold.setdefault(fmt, Sample()), row.rss.setdefault(fmt, Sample())

        def once(options: list[str] = options, wall: Sample = wall,
                 rss: Sample = rss) -> None:
            """One cold build into a new output folder."""
            target = tempfile.mkdtemp(prefix="out-", dir=out)
            seconds, kib = run_cold([sys.executable, "-m", "briefing", "build", str(path),
                                     "--out-dir", target, *options])
            wall.values.append(seconds)
            rss.values.append(kib)

        log(f"  cold build --format {fmt}")
        repeat(once, times, max_time)


def warm_stages(row: Row, path: Path, layout_override: str | None, times: int,
                max_time: float) -> None:
    """Time validate, compose and each renderer in this (already warm) process."""
    loaded = validate(path).loaded
    assert loaded is not None, f"{path} is invalid"
    layout = resolve_layout(loaded, layout_override)  # loaded once, as in a warm process
    renderers = {"pdf": renderer("pdf")}
    if HAS_DOCX:
        renderers["docx"] = renderer("docx")
    cached = ["compose cached"] if CITE_CACHE is not None else []
    stages = ["validate", "compose", *cached, *renderers]
    for stage in stages:
        row.warm.setdefault(stage, Sample())

    def once() -> None:
        """One warm pass over every stage."""
        start = time.perf_counter()
        validation = validate(path)
        row.warm["validate"].values.append(time.perf_counter() - start)
        assert validation.ok and validation.loaded is not None, validation.findings
        if CITE_CACHE is not None:
            CITE_CACHE.clear()  # measure citeproc's work, not a hit from the last run
        start = time.perf_counter()
        document = compose(validation.loaded, layout)
        row.warm["compose"].values.append(time.perf_counter() - start)
        if cached:  # again, now that the citation cache holds this brief
            start = time.perf_counter()
            document = compose(validation.loaded, layout)
            row.warm["compose cached"].values.append(time.perf_counter() - start)
        for fmt, render in renderers.items():
            start = time.perf_counter()
            data = render(document, layout)
            row.warm[fmt].values.append(time.perf_counter() - start)
            if fmt == "pdf":
                row.pages = len(_PAGE.findall(data))

    log(f"  warm stages: {', '.join(stages)}")
    repeat(once, times, max_time)


def warm_up(folder: Path) -> None:
    """Load the layout, fonts and every lazily imported module once, untimed.

    Also runs one untimed cold build so that stale bytecode is recompiled
    before any cold process is timed.
    """
    path = generate_brief(1, folder / "warm-up").parent
    loaded = validate(path).loaded
    assert loaded is not None
    layout = resolve_layout(loaded, str(LAYOUT))
    document = compose(loaded, layout)
    renderer("pdf")(document, layout)
    if HAS_DOCX:
        renderer("docx")(document, layout)
    run_cold([sys.executable, "-m", "briefing", "build", str(path), "--out-dir",
              str(folder / "warm-up-out"), "--format", "all" if HAS_DOCX else "pdf",
              "--layout", str(LAYOUT)])


def _seconds(sample: Sample | None) -> str:
    """Median seconds, with the number of runs when more than one."""
    if sample is None or not sample.n:
        return "–"
    value = sample.median
    text = f"{value:.3f}" if value < 10 else f"{value:.2f}"
    return text if sample.n == 1 else f"{text} ({sample.n})"


def _times(sample: Sample | None, baseline: float) -> str:
    """Median as a multiple of the baseline."""
    if sample is None or not sample.n:
        return "–"
    return f"{sample.median / baseline:.1f}×"


def _mib(sample: Sample | None) -> str:
    """Largest peak RSS of the runs, KiB to MiB."""
    if sample is None or not sample.n:
        return "–"
    return f"{max(sample.values) / 1024:.0f}"


def _ratio(big: Sample | None, small: Sample | None) -> str:
    """Ratio of two medians."""
    if big is None or small is None or not big.n or not small.n:
        return "–"
    return f"{big.median / small.median:.1f}"


def _total(row: Row, stages: list[str]) -> Sample | None:
    """Per-run sum of the warm stages."""
    if not row.warm:
        return None
    return Sample([sum(run) for run in zip(*(row.warm[s].values for s in stages),
                                           strict=True)])


def table(rows: list[Row], baseline: Sample, baseline_rss: Sample,
          ratio: tuple[Row, Row] | None) -> str:
    """The Markdown table of the report."""
    base = baseline.median
    cold_formats = ["pdf", "all"] if HAS_DOCX else ["pdf"]
    stages = ["validate", "compose", "pdf", *(["docx"] if HAS_DOCX else [])]
    shown = [*stages[:2], *(["compose cached"] if CITE_CACHE is not None else []),
             *stages[2:]]
    header = ["brief", "KJs", "pages"]
    for fmt in cold_formats:
        header += [f"cold {fmt} s", "× base", "RSS MiB"]
    header += [f"warm {stage} s" for stage in shown] + ["warm total s"]
    lines = [header, ["---", *["---:"] * (len(header) - 1)]]
    lines.append(["baseline `python -c \"import briefing\"`", "", "", _seconds(baseline),
                  "1.0×", _mib(baseline_rss)]
                 + ["–"] * (len(header) - 6))
    for row in rows:
        line = [row.name, str(row.judgments), str(row.pages or "–")]
        for fmt in cold_formats:
            line += [_seconds(row.cold.get(fmt)), _times(row.cold.get(fmt), base),
                     _mib(row.rss.get(fmt))]
        line += [_seconds(row.warm.get(stage)) for stage in shown]
        line.append(_seconds(_total(row, stages)))
        lines.append(line)
    if ratio:
        big, small = ratio
        line = [f"**ratio k={big.judgments} / k={small.judgments}**", "",
                _ratio(Sample([big.pages]), Sample([small.pages]))]
        for fmt in cold_formats:
            line += [_ratio(big.cold.get(fmt), small.cold.get(fmt)), "",
                     _ratio(big.rss.get(fmt), small.rss.get(fmt))]
        line += [_ratio(big.warm.get(stage), small.warm.get(stage)) for stage in shown]
        line.append(_ratio(_total(big, stages), _total(small, stages)))
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for number, line in enumerate(lines):
        cells = [("-" * (widths[i] - 1) + ":" if i else "-" * widths[i]) if number == 1
                 else cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                 for i, cell in enumerate(line)]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its Markdown report to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="warm runs per brief, median reported (default 5; --quick 1)")
    parser.add_argument("--cold-repeat", type=int, default=None, metavar="N",
                        help="cold subprocess runs per brief and format (default 3; --quick 1)")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="K",
                        help="synthetic brief sizes (default 1 25 250; --quick 1 25)")
    parser.add_argument("--max-time", type=float, default=15.0, metavar="SECONDS",
                        help="stop repeating a measurement after this long (0: never; "
                             "default 15)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of everything, k = 1 and 25 only")
    parser.add_argument("--no-nk", action="store_true", help="skip the NK–Russia brief")
    args = parser.parse_args(argv)
    warm_times = args.repeat or (1 if args.quick else 5)
    cold_times = args.cold_repeat or (1 if args.quick else 3)
    sizes = args.sizes or ([1, 25] if args.quick else [1, 25, 250])
    if min(warm_times, cold_times, *sizes) < 1:
        parser.error("--repeat, --cold-repeat and --sizes must be at least 1")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as temp:
        folder = Path(temp)
        log("warm-up (untimed)")
        warm_up(folder)
        log("baseline: python -c 'import briefing'")
        baseline, baseline_rss = Sample(), Sample()

        def baseline_once() -> None:
            """One cold `import briefing`."""
            seconds, kib = run_cold([sys.executable, "-c", "import briefing"])
            baseline.values.append(seconds)
            baseline_rss.values.append(kib)

        repeat(baseline_once, max(cold_times, 3), args.max_time)

        briefs: list[tuple[Row, Path, Path | None]] = []
        if not args.no_nk:
            loaded = validate(NK_BRIEF).loaded
            assert loaded is not None, "content/nk-russia is invalid"
            briefs.append((Row("content/nk-russia", len(loaded.brief.key_judgments)),
                           NK_BRIEF, None))
        for k in sizes:
            path = generate_brief(k, folder / f"synthetic-{k}").parent
            briefs.append((Row(f"synthetic k={k}", k), path, LAYOUT))
        for row, path, layout in briefs:
            log(f"{row.name}")
            cold_builds(row, path, layout, folder / "out", cold_times, args.max_time)
            warm_stages(row, path, str(layout) if layout else None, warm_times, args.max_time)
    rows = [row for row, _, _ in briefs]
    synthetic = sorted((r for r in rows if r.name.startswith("synthetic")),
                       key=lambda r: r.judgments)
    ratio = (synthetic[-1], synthetic[-2]) if len(synthetic) >= 2 else None

    command = shlex.join([Path(sys.executable).name, *sys.argv])
    print("## briefing benchmark\n")
    print(f"- command: `{command}`")
    print(f"- machine: {machine()}")
    print(f"- runs: warm up to {warm_times}, cold up to {cold_times}, each stopped after "
          f"{args.max_time:g} s (0 = never); medians, with the number of runs in "
          "parentheses when more than one")
    print(f"- DOCX renderer: {'present' if HAS_DOCX else 'absent (briefing/render/docx.py)'}")
    print(f"- peak RSS: {RSS_METHOD}")
    if CITE_CACHE is not None:
        print("- warm compose: citation cache cleared before each run; 'compose cached' "
              "repeats it with the cache holding the brief (not in the total)")
    print(f"- layout of synthetic briefs: `{LAYOUT.relative_to(ROOT)}`\n")
    print(table(rows, baseline, baseline_rss, ratio))
    if ratio:
        big, small = ratio
        print(f"\nRatio row: k={big.judgments} over k={small.judgments} "
              f"({big.judgments / small.judgments:g}× the key judgments); a ratio at or "
              f"below {big.judgments / small.judgments:g} means linear or better.")
    warm_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    warm_rss /= 1024 * (1024 if sys.platform == "darwin" else 1)
    print(f"Peak RSS of the warm benchmark process: {warm_rss:.0f} MiB. "
          f"Total wall time: {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
