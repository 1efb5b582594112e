"""Building many briefs: discovery, parallel jobs, progress and a summary table."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from briefing.core.findings import ContentError, Finding, Place
from briefing.core.pool import start_method
from briefing.core.terminal import display_path, visible
from briefing.load import YAML_SUFFIXES

if TYPE_CHECKING:
    from concurrent.futures import Executor

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _has_yaml(folder: Path) -> bool:
    return any(p.suffix in YAML_SUFFIXES and p.is_file() for p in folder.iterdir())


def discover(path: Path) -> list[Path]:
    """The briefs at `path`: a file, a brief's folder, or a folder of briefs (recursively)."""
    if not path.is_dir() or _has_yaml(path):
        return [path]
    found: list[Path] = []
    for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if _holds_briefs(child):
            found.extend(discover(child))
    return found or [path]  # no brief below: loading the folder says what is wrong


def _holds_briefs(folder: Path) -> bool:
    return any(p.suffix in YAML_SUFFIXES for p in folder.rglob("*") if p.is_file())


@dataclass
class Outcome:
    """One brief's build, reduced to what the summary and exit code need."""

    path: Path
    status: str  # built | up to date | invalid | failed
    exit_code: int
    findings: list[Finding] = field(default_factory=list)
    message: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def duplicate_ids(ids: dict[Path, tuple[str, Place]]) -> dict[Path, Finding]:
    """An error for each brief whose id another brief of the run also declares,
    naming the other's folder: their outputs would overwrite each other."""
    by_id: dict[str, list[Path]] = {}
    for brief, (ident, _) in ids.items():
        by_id.setdefault(ident, []).append(brief)
    findings = {}
    for ident, briefs in by_id.items():
        if len(briefs) < 2:
            continue
        for brief in briefs:
            others = ", ".join(display_path(b) for b in briefs if b != brief)
            findings[brief] = Finding(ids[brief][1], "error", f"brief id '{ident}' is also the "
                                      f"id of {others}; briefs with one id would write over "
                                      "each other's outputs: give each its own id",
                                      rule="BR807")
    return findings


def declared_ids(briefs: list[Path]) -> dict[Path, tuple[str, Place]]:
    """The id each brief declares and where (a brief that cannot be read is left out:
    building it reports why)."""
    from briefing.load.brief import load_located

    ids = {}
    for brief in briefs:
        try:
            located, _ = load_located(brief)
        except ContentError:
            continue
        ident = located.data.get("id") if isinstance(located.data, dict) else None
        if isinstance(ident, str):
            ids[brief] = (ident, located.place(("id",)) or Place(display_path(brief)))
    return ids


def build_one(path: Path, out_dir: Path, formats: tuple[str, ...], layout: str | None,
              force: bool, helper: Executor | None = None, comments: bool = False,
              pdf_engine: str | None = None, wait: float | None = None,
              keep_ready: bool = False) -> Outcome:
    """Build one brief and never raise: failures become an Outcome."""
    from .pipeline import BuildError, build  # not imported by `validate`, which finds briefs here

    start = time.perf_counter()
    try:
        result = build(path, out_dir, formats, layout, force, helper, comments=comments,
                       pdf_engine=pdf_engine, wait=wait, keep_ready=keep_ready)
    except BuildError as exc:
        return Outcome(path, "failed", EXIT_FAILED, exc.findings, str(exc),
                       seconds=time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - reported as one line, not a traceback
        return Outcome(path, "failed", EXIT_FAILED, [], f"{type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - start)
    elapsed = time.perf_counter() - start
    if result.invalid:
        errors = sum(f.severity == "error" for f in result.findings)
        return Outcome(path, "invalid", EXIT_INVALID, result.findings,
                       f"{errors} error(s); nothing was written", seconds=elapsed)
    outputs = {fmt: display_path(p) for fmt, p in result.outputs.items()}
    status = "up to date" if result.up_to_date else "built"
    return Outcome(path, status, EXIT_OK, result.findings, outputs=outputs, seconds=elapsed)


def report(outcome: Outcome, stream: TextIO) -> None:
    """The lines a user reads for one brief: its findings, then what happened."""
    for finding in outcome.findings:
        print(finding, file=sys.stderr)
    name = display_path(outcome.path)
    if outcome.status == "built":
        for target in outcome.outputs.values():
            print(f"wrote {target}", file=stream)
        print(f"{name}: built in {outcome.seconds:.2f} s", file=stream)
    elif outcome.status == "up to date":
        print(f"{name}: up to date", file=stream)
    else:
        print(visible(f"{name}: {outcome.status}: {outcome.message}"), file=sys.stderr)


def build_many(paths: list[Path], out_dir: Path, formats: tuple[str, ...],
               layout: str | None, force: bool, jobs: int,
               stream: TextIO | None = None, comments: bool = False,
               pdf_engine: str | None = None, wait: float | None = None,
               helper: Executor | None = None) -> list[Outcome]:
    """Build every brief, `jobs` at a time (never more processes than briefs),
    reporting each as it finishes. Briefs that share an id are not built. One at a
    time, each renders its second format in `helper` if given."""
    stream = stream or sys.stdout
    briefs = list(dict.fromkeys(brief for path in paths for brief in discover(path)))
    clashes = duplicate_ids(declared_ids(briefs)) if len(briefs) > 1 else {}
    outcomes: list[Outcome] = []
    with _Progress(len(briefs), stream) as progress:
        for brief, finding in clashes.items():
            outcomes.append(Outcome(brief, "failed", EXIT_FAILED, [finding],
                                    "duplicate brief id; nothing was written"))
            progress.done(outcomes[-1])
        todo = [brief for brief in briefs if brief not in clashes]
        workers = min(jobs, len(todo))
        if workers <= 1:
            for brief in todo:
                progress.starting(brief)
                outcomes.append(build_one(brief, out_dir, formats, layout, force, helper,
                                          comments=comments, pdf_engine=pdf_engine,
                                          wait=wait))
                progress.done(outcomes[-1])
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            context = multiprocessing.get_context(start_method())
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = [pool.submit(build_one, b, out_dir, formats, layout, force,
                                       None, comments, pdf_engine, wait) for b in todo]
                for future in as_completed(futures):
                    outcomes.append(future.result())
                    progress.done(outcomes[-1])
    order = {brief: i for i, brief in enumerate(briefs)}
    return sorted(outcomes, key=lambda o: order[o.path])


class _Progress:
    """Progress over many briefs: a rich bar on a terminal, plain lines otherwise."""

    def __init__(self, total: int, stream: TextIO):
        self.total, self.stream, self.count = total, stream, 0
        self.bar = None
        if total > 1 and stream.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(file=stream), transient=True)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("building", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def starting(self, brief: Path) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=f"building {display_path(brief)}")

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if self.bar is not None:
            report(outcome, sys.stdout)  # rich redirects it above the live bar
            self.bar.advance(self.task)
            return
        report(outcome, self.stream)
        if self.total > 1:
            print(f"[{self.count}/{self.total}] {display_path(outcome.path)}: "
                  f"{outcome.status}", file=self.stream)


def summary(outcomes: list[Outcome], stream: TextIO | None = None) -> None:
    """A table of every brief's status and time; rich on a terminal, plain otherwise."""
    stream = stream or sys.stdout
    rows = [(display_path(o.path), o.status, f"{o.seconds:.2f} s",
             visible(", ".join(o.outputs.values()) or o.message)) for o in outcomes]
    if stream.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title="briefing build")
        for column in ("brief", "status", "time", "outputs"):
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        Console(file=stream).print(table)
        return
    widths = [max(len(r[i]) for r in [("brief", "status", "time", "outputs"), *rows])
              for i in range(4)]
    for row in [("brief", "status", "time", "outputs"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip(), file=stream)


def worst_exit(outcomes: list[Outcome]) -> int:
    return max((o.exit_code for o in outcomes), default=EXIT_OK)
