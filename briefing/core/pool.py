"""Process pools: ending one at once (what `watch` and `serve` do when told to stop),
whether and how to start workers, and prompt hand-overs to their threads."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a build that starts no worker never imports concurrent.futures
    from concurrent.futures import ProcessPoolExecutor


def end_now(pool: ProcessPoolExecutor, timeout: float = 10.0) -> None:
    """Cancel queued work, terminate workers still busy, and reap every worker, so that
    stopping never waits for a render and leaves no process behind."""
    # The executor has no public way to end a busy worker before Python 3.14.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(timeout=timeout)


def only_thread() -> bool:
    """Whether this process runs a single thread, counting the threads of native code
    (Typst's compiler keeps a pool of them once it has run), which `threading` does not
    see. Forking a process that runs other threads can hang the child: a lock one of
    them held, or a thread pool that is no longer there, never comes back."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: what Python knows
        return threading.active_count() == 1


def start_method() -> str:
    """How to start a worker process: fork (cheap, shares what is loaded) when that is
    safe, else spawn."""
    import multiprocessing

    safe = only_thread() and "fork" in multiprocessing.get_all_start_methods()
    return "fork" if safe else "spawn"


_PROMPT_LOCK = threading.Lock()
_prompt_users = 0
_usual_interval = 0.0


@contextmanager
def prompt_threads(interval: float = 0.0005) -> Iterator[None]:
    """Run the body with threads that wait for the interpreter lock getting it within
    `interval` seconds, not the usual 5 ms. A process pool's own threads pass the work
    on to a helper process while this thread computes, each waiting up to a switch
    interval for the lock. Nested and concurrent uses (serve's threads) restore the
    usual interval once the last ends."""
    global _prompt_users, _usual_interval
    with _PROMPT_LOCK:
        if _prompt_users == 0:
            _usual_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(interval, _usual_interval))
        _prompt_users += 1
    try:
        yield
    finally:
        with _PROMPT_LOCK:
            _prompt_users -= 1
            if _prompt_users == 0:
                sys.setswitchinterval(_usual_interval)
