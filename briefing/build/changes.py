"""Which file changes matter to a brief, seen by a live file watcher: what `watch`
rebuilds on and what the live preview redraws on (`inputs.py` says which files count)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from watchfiles import Change, DefaultFilter
from watchfiles._rust_notify import RustNotify

from .inputs import can_change_outputs

_NOISE = DefaultFilter()  # version control, caches, editor swap files …


def relevant(change: int, path: str, brief: Path) -> bool:
    """Whether a watcher's `(change, path)` can change `brief`'s outputs."""
    return _NOISE(Change(change), path) and can_change_outputs(Path(path), brief)


@contextmanager
def file_watcher(folders: Iterable[Path]) -> Iterator[RustNotify]:
    """A live watcher over `folders` and everything below them; its `watch()` returns
    the changes seen since the last call (or "timeout", "stop", "signal")."""
    paths = sorted({str(p) for p in folders})
    with RustNotify(paths, False, False, 300, True, False) as watcher:
        yield watcher
