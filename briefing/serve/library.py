"""The briefs a server knows, each kept fresh with at most one build at a time.

Telling whether a brief changed is cheap: one `stat` per input file, compared with the
stats taken before its last build. Only when a stat moved does a build run; `build`
then compares full input digests, so a touched but unchanged file renders nothing.
Builds run in worker processes (the server's threads keep serving meanwhile); the
requests for a brief that is being rebuilt all wait for that one build.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path

from briefing.build.batch import discover
from briefing.build.inputs import coarse_inputs
from briefing.core.pool import end_now
from briefing.core.terminal import display_path
from briefing.render.pdf import memo as pdf_memo
from briefing.render.registry import FORMATS

from .builder import Built, Output, build_for_serve
from .metrics import Metrics

log = logging.getLogger("briefing.serve")

RESCAN_INTERVAL = 1.0  # seconds between two discoveries of new briefs
BUILD_TIMEOUT = 120.0  # seconds a request waits for a build before 503


class Busy(Exception):
    """A build did not finish in time, or the server is stopping."""


Stamp = tuple[tuple[str, int, int, int] | tuple[str], ...]


def stamp(paths: Iterable[Path]) -> Stamp:
    """(size, mtime, inode) of every path; a missing one stands for itself alone."""
    stats = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            stats.append((str(path),))
            continue
        stats.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(stats)


@dataclass
class Entry:
    """One brief: its last build, the stats that build saw, and its build lock."""

    path: Path
    built: Built | None = None
    watched: tuple[Path, ...] = ()
    seen: Stamp | None = None
    built_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def brief_id(self) -> str:
        if self.built and self.built.brief_id:
            return self.built.brief_id
        return (self.path if self.path.is_dir() else self.path.with_suffix("")).name

    def fresh(self) -> bool:
        """True when every input has the stats it had before the last build."""
        return self.seen is not None and stamp(self.watched) == self.seen


class Workers:
    """Worker processes that build briefs; ended (not waited for) when the server stops."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.closed = False

    def run(self, *args: object) -> Built:
        with self._lock:
            if self.closed:
                raise Busy("the server is stopping")
            if self._pool is None:  # spawn: no fork of a process that runs threads
                self._pool = ProcessPoolExecutor(  # a worker keeps paragraphs (pdf_memo)
                    self.jobs, mp_context=multiprocessing.get_context("spawn"),
                    initializer=pdf_memo.keep)
            future = self._pool.submit(build_for_serve, *args)
        try:
            return future.result(timeout=BUILD_TIMEOUT)
        except FutureTimeout:
            raise Busy("the build is taking too long") from None
        except BrokenExecutor:
            with self._lock:
                if self.closed:
                    raise Busy("the server is stopping") from None
                self._pool = None  # a worker died: the next build starts a new one
            raise

    def close(self) -> None:
        """Cancel queued builds and end the workers now."""
        with self._lock:
            self.closed, pool, self._pool = True, self._pool, None
        if pool is not None:
            end_now(pool, timeout=5)


class Library:
    """Every brief under `root`, found by id, each rebuilt when its inputs changed."""

    def __init__(self, root: Path, out_dir: Path, metrics: Metrics | None = None,
                 formats: tuple[str, ...] = FORMATS, jobs: int | None = None):
        self.root, self.out_dir, self.formats = root, out_dir, formats
        self.metrics = metrics or Metrics()
        # Two briefs can build at once on two cores; one brief builds once at a time.
        self.workers = Workers(jobs or min(2, os.cpu_count() or 1))
        self._entries: dict[Path, Entry] = {}
        self._lock = threading.Lock()
        self._scanned = float("-inf")

    # -- discovery -------------------------------------------------------------------

    def scan(self, force: bool = False) -> None:
        """Find briefs added or removed under the root (at most once a second)."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._scanned < RESCAN_INTERVAL:
                return
            self._scanned = now
            paths = discover(self.root) if self.root.exists() else []
            found = {p.resolve(): p for p in paths if p.exists()}
            for key in list(self._entries):
                if key not in found:
                    del self._entries[key]
            new = [self._entries.setdefault(k, Entry(p)) for k, p in found.items()
                   if k not in self._entries]
        for entry in new:  # a new brief's id is known once it was loaded
            self.refresh(entry)

    def entries(self) -> list[Entry]:
        with self._lock:
            return sorted(self._entries.values(), key=lambda e: e.brief_id)

    def find(self, brief_id: str) -> Entry | None:
        """The brief with this id; only known ids lead anywhere."""
        for attempt in range(2):
            for entry in self.entries():
                if entry.brief_id == brief_id:
                    return entry
            if attempt == 0:
                self.scan()
        return None

    # -- freshness -------------------------------------------------------------------

    def current(self, entry: Entry, fmt: str | None = None) -> Built:
        """The brief's latest build (with `fmt` built), building first if an input's stat
        moved or `fmt` was not built since the last change."""
        if self._ready(entry, fmt):
            self.metrics.hit()
            return entry.built
        return self.refresh(entry, fmt)

    def refresh(self, entry: Entry, fmt: str | None = None) -> Built:
        """Build the brief unless another request just did (single flight).

        Only the format asked for is built (every format when none is); a format
        that nobody asks for is never rendered.
        """
        if not entry.lock.acquire(timeout=BUILD_TIMEOUT):
            raise Busy("waiting for another build took too long")
        try:
            if self._ready(entry, fmt):
                self.metrics.hit()  # built by the request this one waited for
                return entry.built
            return self._build(entry, (fmt,) if fmt else self.formats)
        finally:
            entry.lock.release()

    @staticmethod
    def _ready(entry: Entry, fmt: str | None) -> bool:
        built = entry.built
        if built is None or not entry.fresh():
            return False
        return fmt is None or not built.ok or fmt in built.outputs

    def _build(self, entry: Entry, formats: tuple[str, ...]) -> Built:
        before = stamp(entry.watched or coarse_inputs(entry.path))
        unchanged = entry.seen is not None and before == entry.seen  # only a format to add
        known = entry.built.brief_id if entry.built else None
        self.metrics.started()
        try:
            built = self.workers.run(entry.path, self.out_dir, formats, known)
        except Busy:
            self.metrics.build(entry.brief_id, "cancelled", 0.0)
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. a worker that died
            built = Built(entry.path, "error", known, message=f"{type(exc).__name__}: {exc}")
        if built.status == "error":
            log.error("%s: build failed unexpectedly: %s", display_path(entry.path),
                      built.message)
        entry.watched = tuple(built.inputs)
        after = stamp(entry.watched)
        # Rebuild on the next request if a file moved during this build, or if it failed
        # for a reason the content cannot explain (a full disk, a dead worker).
        retry = built.status == "error" or (built.status == "failed" and not built.findings)
        entry.seen = after if _agree(before, after) and not retry else None
        previous = entry.built
        if previous is not None and built.ok and previous.ok and unchanged:
            built.outputs = {**previous.outputs, **built.outputs}
        elif previous is not None and not built.ok:  # keep the last good ones we know
            built.outputs = {**previous.outputs, **{
                fmt: out for fmt, out in built.outputs.items()
                if fmt not in previous.outputs or previous.outputs[fmt].digest != out.digest}}
        entry.built, entry.built_at = built, time.time()
        self.metrics.build(entry.brief_id, built.status, built.seconds)
        return built

    def close(self) -> None:
        self.workers.close()


def _agree(before: Stamp, after: Stamp) -> bool:
    """True unless a file seen before the build has other stats after it."""
    earlier = {item[0]: item for item in before}
    return all(earlier.get(item[0], item) == item for item in after)


__all__ = ["Busy", "Entry", "Library", "Output", "stamp"]
