"""A layout's template runs within its own budget: processor time, memory and output.

A template is code from the layout's author. jinja2's sandbox keeps it from what it
may not touch, but not from running for minutes, building a string of gigabytes or
writing without end. `run` renders a template under three bounds of core/limits.py,
each a `TemplateStopped` raised where the template was running (so the error names
its line):

- TEMPLATE_TIME_BUDGET seconds of processor time: in the main thread a timer signal
  stops even a loop that does nothing; elsewhere the time is checked at every call,
  attribute, operator and piece of output (`check`);
- MAX_TEMPLATE_OUTPUT characters of output, counted as they are written;
- MAX_TEMPLATE_MEMORY bytes more than the process holds when it starts (in the main
  thread, as the process's address-space limit for the while): past it an allocation
  fails at once with MemoryError instead of taking the machine's memory.

A budget is no wall clock: a loaded machine slows a template without stopping it.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from briefing.core import limits

from .template_trace import writing_line


class TemplateStopped(Exception):
    """The template ran past its budget. `where` is (file, line) when the running
    template's line is known without a traceback (output counted between pieces)."""

    def __init__(self, message: str, where: tuple[str, int] | None = None):
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class _Budget:
    seconds: float
    deadline: float  # time.thread_time() past which the template stops
    by_signal: bool  # a timer signal stops it (`check` need not look at the clock)


_RUNNING: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def time_message(seconds: float) -> str:
    return (f"the template ran past its time budget of {seconds:g} s of processor time "
            "(TEMPLATE_TIME_BUDGET) and was stopped")


def output_message() -> str:
    return (f"the template's output passed {limits.MAX_TEMPLATE_OUTPUT:,} characters "
            "(MAX_TEMPLATE_OUTPUT) and was stopped")


def memory_message() -> str:
    return (f"the template ran out of its memory budget of "
            f"{limits.MAX_TEMPLATE_MEMORY // limits.MIB:,} MiB (MAX_TEMPLATE_MEMORY) and was "
            "stopped")


def check() -> None:
    """Stop the running template (if any) when it has used up its processor time and
    no timer signal stops it (outside the main thread)."""
    budget = _RUNNING.get()
    if budget is not None and not budget.by_signal and time.thread_time() > budget.deadline:
        raise TemplateStopped(time_message(budget.seconds))


def run(load: Callable, variables: dict) -> str:
    """The output of the jinja2 template that `load()` gives, over `variables`, within
    the budget. Loading is inside it too: compiling a template runs what it can of it
    ahead (jinja2 folds constant expressions, filters included).

    Raises TemplateStopped past a bound, MemoryError past the memory budget, and
    whatever error the template itself raises."""
    chunks: list[str] = []
    size, most = 0, limits.MAX_TEMPLATE_OUTPUT
    with _budget():
        stream = load().generate(**variables)
        try:
            for chunk in stream:
                size += len(chunk)
                if size > most:
                    raise TemplateStopped(output_message())
                chunks.append(chunk)
                check()
        except TemplateStopped as exc:  # stopped here, between two pieces of output: at
            exc.where = exc.where or writing_line(stream)  # the line that wrote the last
            raise
        finally:
            stream.close()
    return "".join(chunks)


def pieces(load: Callable, variables: dict) -> Iterator[tuple[int, str, Generator]]:
    """Each piece of the template's output as `run` makes it, within the same budget:
    the offset where it ends, the piece, and the paused generator that wrote it."""
    size = 0
    with _budget():
        stream = load().generate(**variables)
        try:
            for chunk in stream:
                size += len(chunk)
                if size > limits.MAX_TEMPLATE_OUTPUT:
                    raise TemplateStopped(output_message())
                check()
                yield size, chunk, stream
        finally:
            stream.close()


@contextmanager
def _budget() -> Iterator[None]:
    """The budget of one template run: processor time, memory, and `check`'s clock."""
    seconds = limits.TEMPLATE_TIME_BUDGET
    with _timer(seconds) as by_signal, _memory_cap(limits.MAX_TEMPLATE_MEMORY):
        token = _RUNNING.set(_Budget(seconds, time.thread_time() + seconds, by_signal))
        try:
            yield
        finally:
            _RUNNING.reset(token)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _timer(seconds: float) -> Iterator[bool]:
    """In the main thread, a processor-time timer that raises TemplateStopped wherever
    the template runs (even in a loop that calls nothing); elsewhere nothing (`check`
    does it). A timer already running is left alone."""
    usable = (_main_thread() and seconds > 0
              and signal.getitimer(signal.ITIMER_PROF)[0] == 0)
    if not usable:
        yield False
        return

    def expire(signum, frame):
        raise TemplateStopped(time_message(seconds))

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextmanager
def _memory_cap(extra: int) -> Iterator[None]:
    """In the main thread, lower the process's address-space limit to what it maps now
    plus `extra` bytes, and restore it after (an unprivileged process may raise its
    soft limit back up to the hard one)."""
    mapped = _mapped_bytes()
    if not _main_thread() or mapped is None or extra <= 0:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already as tight
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mapped_bytes() -> int | None:
    """The process's virtual memory size (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as stream:
            pages = int(stream.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
