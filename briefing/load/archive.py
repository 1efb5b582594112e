"""Archived source texts: finding them on disk, normalising them, searching quotes."""

from __future__ import annotations

import bisect
import difflib
import heapq
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from briefing.core.confine import (
    ConfinementError,
    allowed_roots,
    confine,
    is_inside,
    project_root,
    read_bounded,
)
from briefing.core.limits import MAX_ARCHIVE_BYTES, MAX_PASSAGE_CANDIDATES

# Single and double quotation marks fold together: a quote nested in a quotation
# may turn the source's “…” into ‘…’.
_QUOTES = {ord(c): '"' for c in "'‘’‚‛′`´“”„‟″«»"}
_DASHES = {ord(c): "-" for c in "‐‑‒–—―−"}
_SPACE = re.compile(r"\s+")
ELLIPSIS = re.compile(r"\s*(?:…|\.\s?\.\s?\.|\[…\]|\[\.\.\.\])\s*")
#: How the header line of an archived copy written by `briefing source add` starts.
#: That first line says where the text came from and is not a paragraph of it.
HEADER = "# briefing archive:"


def normalise(text: str) -> str:
    """Fold the differences a quote may legitimately have from its source."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES)
    text = text.replace("\u00ad", "")
    return _SPACE.sub(" ", text).strip()


class ArchiveError(Exception):
    """An archived copy that may not or cannot be read; the message says why."""


def locate_archive(root: Path, relative: str, project: Path) -> Path | None:
    """The archived copy named `relative`, looked up from the brief's folder `root`
    up to its `project` folder (never above it); None when there is none.

    Raises ArchiveError for a copy that resolves outside the project or the
    package (an absolute path, `..`, a symlink) or is not a regular file.
    """
    roots = allowed_roots(project)
    folders: list[Path] = []
    for folder in (Path(os.path.abspath(root)), *Path(os.path.abspath(root)).parents):
        real = _real(folder)
        if not is_inside(real, (project,)):
            break
        folders.append(folder)
        if real == project:
            break
    for folder in folders:
        try:
            return confine(relative, folder, roots, "archived copy")
        except FileNotFoundError:
            if Path(relative).is_absolute():
                return None
            continue
        except ConfinementError as exc:
            raise ArchiveError(str(exc)) from None
    return None


def find_archive(root: Path, relative: str, project: Path | None = None) -> Path | None:
    """The archived copy named `relative`, or None if it is missing, refused or cannot
    be read (the quotes check reports why)."""
    try:
        path = locate_archive(root, relative, project or project_root(root))
        if path is not None:
            read_archive(path)  # cached: the caller's read costs nothing more
        return path
    except ArchiveError:
        return None


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


@dataclass(frozen=True)
class ArchivedText:
    """An archived source text, split into paragraphs: its non-empty lines, after the
    header line (`HEADER`) if it has one."""

    path: Path
    paragraphs: tuple[str, ...]

    @cached_property
    def normalised(self) -> str:
        return " ".join(normalise(p) for p in self.paragraphs)

    @cached_property
    def _ends(self) -> list[int]:
        ends, position = [], 0
        for para in self.paragraphs:
            position += len(normalise(para)) + 1
            ends.append(position)
        return ends

    def paragraph_of(self, offset: int) -> int:
        """1-based paragraph holding `offset` of the normalised text."""
        return min(bisect.bisect_right(self._ends, offset) + 1, len(self.paragraphs))


@lru_cache(maxsize=32)
def _read(path: Path, _mtime: int) -> ArchivedText:
    try:
        raw = read_bounded(path, MAX_ARCHIVE_BYTES, f"archived copy '{path.name}'",
                           "MAX_ARCHIVE_BYTES")
    except ConfinementError as exc:
        raise ArchiveError(str(exc)) from None
    if b"\x00" in raw:
        raise ArchiveError(f"archived copy '{path.name}' looks binary (it contains a NUL "
                           "byte); an archived copy is a plain text file")
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if lines and lines[0].lstrip("\ufeff").startswith(HEADER):
        lines = lines[1:]  # what wrote the copy, not a paragraph of the source
    paragraphs = tuple(line.strip() for line in lines if line.strip())
    return ArchivedText(path, paragraphs)


def read_archive(path: Path) -> ArchivedText:
    """The archived text at `path` (confined already); raises ArchiveError."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ArchiveError(f"archived copy '{path.name}' cannot be read "
                           f"({exc.strerror or exc})") from None
    return _read(path, mtime)


_WORD = re.compile(r"\S+")
_COMPARED = 1000  # characters of a long quote that the similarity ratio looks at


def closest_passage(quote: str, archived: ArchivedText) -> tuple[str, int]:
    """The passage of the source most like `quote`, and its paragraph number.

    Linear in the archive's length: a sliding window counts the quote's words at
    each word of the source, and only the best MAX_PASSAGE_CANDIDATES windows (and
    their neighbours) are compared character by character.
    """
    target = normalise(ELLIPSIS.sub(" ", quote))
    haystack = archived.normalised
    width = len(target)
    starts = [m.start() for m in _WORD.finditer(haystack)] or [0]
    wanted = {w.casefold() for w in target.split()}
    hits = [w.casefold() in wanted for w in haystack.split()] or [False]
    span = max(1, len(target.split()))
    score = sum(hits[:span])
    scores = [score]
    for i in range(1, len(starts)):
        score += (hits[i + span - 1] if i + span - 1 < len(hits) else 0) - hits[i - 1]
        scores.append(score)
    best_windows = heapq.nlargest(MAX_PASSAGE_CANDIDATES, range(len(starts)),
                                  key=scores.__getitem__)
    candidates = sorted({j for i in best_windows
                         for j in range(max(0, i - 2), min(len(starts), i + 3))})
    best, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target[:_COMPARED])
    for index in candidates:
        start = starts[index]
        matcher.set_seq1(haystack[start:start + min(width, _COMPARED)])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = start, ratio
    end = best + width
    while end < len(haystack) and haystack[end] != " ":
        end += 1  # finish the last word
    return haystack[best:end].rstrip(",;:"), archived.paragraph_of(best)
