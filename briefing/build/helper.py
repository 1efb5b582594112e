"""Rendering the formats of one build side by side, on a machine with more than one core.

A cold build spends most of its time importing and running two renderers that
share nothing but the document tree: ReportLab for the PDF, python-docx for the
DOCX. A helper process, forked as soon as the build knows it will render more than
one format, imports the second renderer while this process composes, then renders
that format while this one renders the first. The outputs are the same bytes. On a
machine whose cores are all busy the helper is not forked: it would only add the
cost of forking and of sending it the document.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from briefing.core.pool import start_method

if TYPE_CHECKING:
    from concurrent.futures import Executor

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def can_fork_helper() -> bool:
    """True when a helper process pays: more than one core and one of them idle (on a
    machine already busy, a second process only adds the cost of forking and of sending
    the document), this is the main process (not already a worker of `build --jobs`),
    and it runs no other thread, native ones included (forking a threaded process is
    unsafe: after a Typst render, the child's compiler would wait for its thread pool)."""
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return (cores > 1 and _load() < cores - 0.5 and multiprocessing.parent_process() is None
            and start_method() == "fork")


def _load() -> float:
    """Runnable processes over the last minute (0 where the system does not say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


@contextmanager
def side_helper(helper: Executor | None, formats: list[str]) -> Iterator[Executor | None]:
    """`helper` if the caller has one (watch and `build` do); else, when more than one
    format is to be rendered and `can_fork_helper()`, a helper process for the duration,
    already importing the renderers of `formats[1:]`; else None (render one after the
    other). A helper still importing when the work is over is stopped, not awaited."""
    if helper is not None or len(formats) < 2 or not can_fork_helper():
        yield helper
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    own = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                              initializer=die_with_parent, initargs=(os.getpid(),))
    loading = own.submit(preload, formats[1:])
    try:
        yield own
    except BaseException:  # a failed or stopped build (time budget): stop the helper too
        _terminate(own)
        raise
    finally:
        if not loading.done():  # never used (e.g. the brief is invalid): do not wait
            _terminate(own)
        own.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: Executor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def die_with_parent(parent: int) -> None:
    """In the helper: end when the build that forked it ends, even if it is killed (a
    helper left behind would wait forever to hand over its output)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the check below still catches most
        pass
    if os.getppid() != parent:  # the build ended before the line above took effect
        os._exit(1)


def preload(formats: list[str]) -> None:
    """Import the renderers of `formats`, and do what their module's `prepare` does
    ahead of a first render (in the helper, while the build loads and composes)."""
    with settled_imports():
        from briefing.render.registry import renderer_module

        for fmt in formats:
            prepare = getattr(renderer_module(fmt), "prepare", None)
            if prepare is not None:
                prepare()


@contextmanager
def settled_imports() -> Iterator[None]:
    """Run the body (a command's imports) without the cycle collector, then move every
    object alive (modules, mostly) out of its reach (`gc.freeze`).

    Imports only make objects that live as long as the process: collections during
    them find nothing, and later full collections that walk them all cost a cold build
    tens of milliseconds (20 ms of a helper's unpickling of the document). Objects made
    after the body are collected as usual."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
