"""Writing files so that a crash, even a SIGKILL, never leaves one half-written or a
group of them half-replaced: the one home of atomic writes.

One file (`write_atomic`) is written to a temporary file beside it, flushed to disk
and renamed over the old one: a reader sees the old file or the new, never part of
one. A group of files that belong together (a brief's PDF and DOCX and the record of
what they were built from; the YAML files an import rewrites) cannot be renamed all at
once: no file system replaces two names in one step. `write_group` therefore writes
every temporary file, then a journal naming each and its target (written atomically
itself: its rename is the moment the group is committed), then renames them one by one,
then removes the journal. A process killed

- before the journal leaves the old files and some temporary ones (`remove_temps`
  clears them),
- after it leaves a journal that `finish` completes: the renames not yet done are
  done, so the group is all new.

Whoever next writes the group (or reads it, for a brief's own files) calls `finish`
first, under the lock that keeps writers of the group apart.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .testhook import pause_at

TEMP_SUFFIX = ".tmp"
#: How a temporary file beside `name` is called: ".name.XXXXXXXX.tmp".
_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def write_atomic(target: Path, data: bytes, point: str | None = "rename-1") -> None:
    """Write `data` to `target` via a temporary file in the same folder and a rename
    (`point`: where a test may pause it, before the rename)."""
    temp = _write_temp(target, data)
    try:
        if point:
            pause_at(point)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_group(files: dict[Path, bytes], journal: Path) -> None:
    """Write every file of `files` so that all are replaced or none is (after `finish`):
    temporary files, then `journal`, then the renames (see the module's docstring).

    A failure before the journal is written (a full disk) removes the temporary files
    and leaves the old ones; nothing is renamed."""
    with GroupWrite(journal) as group:
        for target, data in files.items():
            group.add(target, data)
        group.commit()


class GroupWrite:
    """A group write whose files are written as they come (`add`: each to its temporary
    file, flushed to disk), then `commit`ted all at once: a build writes its PDF while
    its helper still renders the DOCX. Leaving the `with` block without a commit (an
    error, a stop) removes the temporary files and leaves the old ones."""

    def __init__(self, journal: Path):
        self.journal = journal
        self.temps: dict[Path, str] = {}
        self.committed = False

    def __enter__(self) -> GroupWrite:
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            for temp in self.temps.values():
                Path(temp).unlink(missing_ok=True)

    def add(self, target: Path, data: bytes) -> None:
        self.temps[target] = _write_temp(target, data)

    def commit(self) -> None:
        """The journal (the moment the group is committed), then the renames."""
        pause_at("journal")
        entries = [[os.path.relpath(temp, self.journal.parent),
                    os.path.relpath(target, self.journal.parent)]
                   for target, temp in self.temps.items()]
        write_atomic(self.journal, json.dumps({"renames": entries}).encode(),
                     "journal-rename")
        self.committed = True
        for number, (target, temp) in enumerate(self.temps.items(), 1):
            pause_at(f"rename-{number}")
            os.replace(temp, target)
        self.journal.unlink()


def finish(journal: Path) -> bool:
    """Complete the group write `journal` records, if a process was killed during it:
    rename every temporary file still there over its target, then remove the journal.
    True when there was one to finish. Safe to run twice."""
    try:
        entries = json.loads(journal.read_text("utf-8"))["renames"]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # not ours, or not whole: nothing to complete
        return False
    for temp, target in entries:
        source = journal.parent / temp
        if source.is_file() and _TEMP.match(source.name):
            os.replace(source, journal.parent / target)
    journal.unlink(missing_ok=True)
    return True


def temps_of(folder: Path, names: Iterable[str]) -> list[Path]:
    """The temporary files in `folder` that writes of the files `names` left behind."""
    wanted = set(names)
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _TEMP.match(path.name)
        if match and match.group("name") in wanted:
            found.append(path)
    return sorted(found)


def remove_temps(folder: Path, names: Iterable[str]) -> None:
    """Remove what killed writes of `names` left in `folder` (the caller holds the lock
    that keeps their writers apart, so no running write's file is touched)."""
    for path in temps_of(folder, names):
        path.unlink(missing_ok=True)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` itself (no lock file is made): writers of a
    group in it, and whoever finishes their commits, take it in turn. A killed holder's
    lock is released by the system."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _write_temp(target: Path, data: bytes) -> str:
    """A temporary file beside `target` holding `data`, flushed to disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX,
                                    dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp
