"""Measuring for the benchmark: samples, bounded repeats, and timed fresh processes.

Peak memory of a fresh process comes from GNU time (`/usr/bin/time -f %M`),
which forks the command from its own small process. Without GNU time,
`os.wait4` gives the child's ru_maxrss, but Linux counts this (larger)
process's RSS at fork in it, so it is only an upper bound.
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    """Repeated measurements of one quantity (seconds, or KiB for memory)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the values (NaN when there are none)."""
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def peak(self) -> float:
        """Largest value (NaN when there are none)."""
        return max(self.values) if self.values else float("nan")

    @property
    def n(self) -> int:
        """Number of values."""
        return len(self.values)


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
RSS_METHOD = ("GNU time %M of each process" if GNU_TIME else
              "os.wait4 ru_maxrss (an upper bound: Linux counts the parent's RSS at fork)")


def run_cold(command: Sequence[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run `command` as a fresh process: (wall seconds, its peak RSS in KiB).

    Raises RuntimeError, with the command's stderr, when it exits non-zero.
    """
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as rss_file:
        prefix = [GNU_TIME, "-f", "%M", "-o", rss_file.name] if GNU_TIME else []
        start = time.perf_counter()
        process = subprocess.Popen([*prefix, *command], cwd=cwd, stdout=subprocess.DEVNULL,
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


@dataclass
class Timing:
    """Wall seconds and peak RSS (KiB) of repeated runs of one tool on one brief."""

    seconds: Sample = field(default_factory=Sample)
    rss: Sample = field(default_factory=Sample)

    def add(self, seconds: float, kib: float) -> None:
        """Record one run."""
        self.seconds.values.append(seconds)
        self.rss.values.append(kib)


def time_steps(steps: Sequence[Sequence[str]], timings: Sequence[Timing], cwd: Path = ROOT,
               before: Callable[[], None] | None = None) -> None:
    """Run `steps` one after another as fresh processes, recording each in its Timing.

    `before` (e.g. clearing an output folder) runs, untimed, before the first step.
    """
    if before:
        before()
    for command, timing in zip(steps, timings, strict=True):
        timing.add(*run_cold(command, cwd))


@contextmanager
def other_commit(rev: str, prefix: str) -> Iterator[tuple[Path, Path]]:
    """(a scratch folder, a git worktree of `rev` inside it), both removed afterwards: the
    other side of a comparison of this tree against another commit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        folder = Path(scratch)
        other = folder / "other"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                        str(other), rev], check=True)
        try:
            yield folder, other
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(other)], check=False)
