"""`briefing watch`: rebuild a brief's outputs whenever its inputs change.

Runs in one process, so fonts, citation results and the package stay loaded
between rebuilds. Invalid content prints its findings and keeps the last good
outputs; a brief that disappears is reported and waited for.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from briefing.build.batch import Outcome, build_one
from briefing.build.changes import file_watcher, relevant
from briefing.build.inputs import watched_folders
from briefing.core.pool import end_now, start_method
from briefing.core.terminal import display_path
from briefing.render.pdf import memo as pdf_memo

DEBOUNCE_MS = 250


def _line(outcome: Outcome, stream: TextIO) -> None:
    stamp = time.strftime("%H:%M:%S")
    name = display_path(outcome.path)
    if outcome.status == "built":
        outputs = ", ".join(outcome.outputs.values())
        print(f"[{stamp}] {name}: rebuilt {outputs} in {outcome.seconds:.2f} s",
              file=stream, flush=True)
    elif outcome.status == "up to date":
        print(f"[{stamp}] {name}: up to date", file=stream, flush=True)
    else:
        for finding in outcome.findings:
            print(finding, file=stream)
        print(f"[{stamp}] {name}: {outcome.status}: {outcome.message}; "
              "kept the last good outputs", file=stream, flush=True)


def watch(brief: Path, out_dir: Path, formats: tuple[str, ...], layout: str | None,
          stop: threading.Event | None = None, stream: TextIO | None = None,
          pdf_engine: str | None = None) -> int:
    """Build now, then after every relevant change until `stop` is set, Ctrl-C or SIGTERM.

    The watcher is live before the first build starts (an edit made during that build
    is not lost) and "watching …" is printed once it is. A stop request during a build
    abandons it (outputs are written atomically, so the last good ones stay).
    """
    stream = stream or sys.stdout
    stop = stop or threading.Event()
    # every rebuild renders again the paragraphs an edit left alone: keep them
    with pdf_memo.kept(), _Stopper(stop) as stopper, _helper(formats) as helper, \
            file_watcher(watched_folders(brief)) as watcher:
        print(f"watching {display_path(brief)} (Ctrl-C to stop)", file=stream, flush=True)

        def rebuild() -> None:
            with stopper.building():
                outcome = build_one(brief, out_dir, formats, layout, False, helper,
                                    pdf_engine=pdf_engine, keep_ready=True)
            if not stop.is_set():
                _line(outcome, stream)

        try:
            if brief.exists():
                rebuild()
            else:
                print(f"{display_path(brief)}: does not exist; waiting for it", file=stream,
                      flush=True)
            while not stop.is_set():
                changes = watcher.watch(DEBOUNCE_MS, 50, 500, stop)
                if changes in ("stop", "signal"):
                    break
                if changes == "timeout" or not any(relevant(c, p, brief) for c, p in changes):
                    continue
                if not brief.exists():
                    print(f"{display_path(brief)}: no longer exists; waiting for it to come "
                          "back", file=stream, flush=True)
                    continue
                print(f"[{time.strftime('%H:%M:%S')}] {display_path(brief)}: changed; "
                      "rebuilding", file=stream, flush=True)
                rebuild()
        except KeyboardInterrupt:  # a stop request abandoned a build, or a foreign Ctrl-C
            stop.set()
    print("stopped watching", file=stream, flush=True)
    return 0


class _Stopper:
    """SIGINT and SIGTERM set the stop event; during a build they also abandon it.

    Installed only in the main thread (the only one Python delivers signals to);
    the previous handlers come back on exit.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.busy = False
        self.previous: dict[int, object] = {}

    def __enter__(self) -> _Stopper:
        if threading.current_thread() is threading.main_thread():
            self.previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: object) -> None:
        self.stop.set()
        if self.busy:
            raise KeyboardInterrupt

    @contextmanager
    def building(self) -> Iterator[None]:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.busy = True
        try:
            yield
        finally:
            self.busy = False


def _ignore_interrupts() -> None:
    """In the helper: Ctrl-C (sent to the whole terminal group) is the parent's to handle;
    SIGTERM just ends the process, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def _helper(formats: tuple[str, ...]) -> Iterator[ProcessPoolExecutor | None]:
    """A process that renders the second format while this one renders the first.

    On the way out an idle helper is shut down; one still rendering an abandoned
    build is terminated, so stopping never waits for it and leaves no process behind.
    """
    if len(formats) < 2 or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=1, initializer=_ignore_interrupts,
                               mp_context=multiprocessing.get_context(start_method()))
    # Start the worker now, while this process has no other threads: forking once the
    # file watcher's thread runs could copy a lock it holds and hang the helper (a
    # process that already ran Typst has native threads: its worker is spawned).
    pool.submit(os.getpid).result()
    try:
        yield pool
    finally:
        end_now(pool)
