"""A brief checked and composed before, remembered in the disk cache: a build whose
inputs are all as they were skips loading the brief, its review and composing, and
renders the remembered document. That is what `build --format html` after a `build`
does, or `build --force` of content that did not change, in a fresh process: the
outputs are the same bytes, without the tenth of a second the loader's models, the
review rules and the template cost a cold process.

An entry is found by what the build was asked (the brief's path, the layout and PDF
engine named on the command line and the folder it ran in, whether content fields are
marked, briefing's version, the Python that runs it, the `BRIEFING_*` variables), and
used only when
what `stat` says of every path the result could depend on is what it said when the
entry was made:

* every input a build digests (`input_files`: the brief's files, the layout folder,
  fonts, archived sources, released editions);
* the folders where a new file would change what is found: the brief's folder, its
  sub-folders, layouts/ and seeds/, and every folder from the brief up to its project
  folder; and a `briefing.toml` in any folder above the brief (it would move the
  project);
* briefing's own code, file by file and folder by folder;
* the folders Python imports from (installing or upgrading a library changes them).

Anything else is a miss and the build runs in full. An entry is made only by a build
that found no error and asked for no review comments, from inputs that had not
changed for SETTLED_SECONDS (a file saved a moment ago could change again within the
resolution of its timestamp), and only if nothing changed while it ran.
`--no-cache` (or `BRIEFING_CACHE=off`) turns this off with the rest of the cache.

Entries are pickles, like every entry in the cache folder they are private to the
user who runs briefing (docs/security.md).
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.core import cache
from briefing.core.digests import PACKAGE, SETTLED_SECONDS

if TYPE_CHECKING:
    from briefing.compose.tree import Document
    from briefing.core.findings import Finding
    from briefing.load.layout import LoadedLayout

KIND = "checked-brief"
Stamp = tuple[int, int, int, int] | None


@dataclass(frozen=True)
class Remembered:
    """What a build of a valid brief computed before rendering: enough to render and
    write its outputs again."""

    brief_id: str
    layout: LoadedLayout
    files: list[tuple[Path, bytes]]  # input_digests
    content_digest: str
    findings: list[Finding]  # the review's: warnings and notes only
    document: Document  # composed, before the build's digests are set in it


@dataclass(frozen=True)
class Request:
    """What a build was asked: the part of an entry's key that needs no file read."""

    path: Path
    layout_name: str | None
    pdf_engine: str | None
    fields: bool

    def key(self) -> str:
        settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("BRIEFING_"))
        return cache.key(KIND, __version__, sys.version, sys.executable,
                         os.fsencode(os.getcwd()),  # what a relative --layout names
                         os.fsencode(os.path.abspath(self.path)), str(self.layout_name),
                         str(self.pdf_engine), str(self.fields), repr(settings))


def recall(request: Request) -> Remembered | None:
    """The remembered result for `request`, or None (no entry, a path changed since,
    a corrupt entry, the cache off)."""
    if cache.folder() is None:
        return None
    stored = cache.get(KIND, request.key())
    if stored is None:
        return None
    try:
        stamps, payload = pickle.loads(stored)
        if _changed(stamps):
            return None
        remembered = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - an entry from other code, or damaged: a miss
        return None
    return remembered if isinstance(remembered, Remembered) else None


def stamps_of(request: Request, inputs: Iterable[Path]) -> list[tuple[str, Stamp]]:
    """What `stat` says now of every path the result of `request` depends on (`inputs`:
    the files the build digests): take it before the result is remembered, and again
    after, to be sure nothing changed while the build ran. Empty when an input changed
    in the last SETTLED_SECONDS (nothing will be remembered: as in `watch`)."""
    known = {os.fspath(path): _stamp(os.fspath(path)) for path in inputs}
    if any(_fresh(stamp) for stamp in known.values()):
        return []
    return [(path, known[path] if path in known else _stamp(path))
            for path in _watched(request.path, known)]


def remember(request: Request, remembered: Remembered,
             before: list[tuple[str, Stamp]]) -> None:
    """Store `remembered` for `request`, if the paths are still as `before` and have
    been for SETTLED_SECONDS; any failure only means no entry."""
    if (not before or cache.folder() is None
            or any(_fresh(stamp) for _, stamp in before) or _changed(before)):
        return
    try:
        payload = pickle.dumps(remembered, protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps((before, payload), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - something in the tree that does not pickle
        return
    cache.put(KIND, request.key(), data)


def _fresh(stamp: Stamp) -> bool:
    """Whether the path changed in the last SETTLED_SECONDS."""
    return stamp is not None and time.time_ns() - max(stamp[1], stamp[2]) < SETTLED_SECONDS * 1e9


def _changed(before: list[tuple[str, Stamp]]) -> bool:
    return any(_stamp(path) != stamp for path, stamp in before)


def _stamp(path: str) -> Stamp:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _watched(brief: Path, inputs: Iterable[str]) -> list[str]:
    """Every path whose change can change a build of `brief` (see the module's text)."""
    from briefing.core.confine import PROJECT_FILE, project_root

    from .inputs import coarse_inputs

    folder = Path(os.path.realpath(brief if brief.is_dir() else brief.parent))
    project = project_root(folder)
    paths = set(inputs)
    paths.update(os.fspath(p) for p in coarse_inputs(brief))
    for above in (folder, *folder.parents):
        if above == project or project in above.parents:
            paths.add(os.fspath(above))  # a layouts/, seeds/ or briefing.toml added here
        paths.add(os.fspath(above / PROJECT_FILE))  # would move the project
    paths.update(os.fspath(p) for p in _code())
    paths.update(p for p in sys.path if os.path.isabs(p))  # where libraries are installed
    return sorted(paths)


def _code() -> list[Path]:
    """briefing's own files and folders."""
    return [PACKAGE, *(p for p in PACKAGE.rglob("*") if "__pycache__" not in p.parts)]
