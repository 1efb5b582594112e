"""Ending a process pool at once: what `watch` and `serve` do when told to stop."""

from __future__ import annotations

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
