"""Fonts cut down to the characters a document shows, kept for reuse: in this process
(the most recently used) and in the disk cache. The DOCX embeds them as TrueType, the
web edition as WOFF2; the cutting itself is font_subset's, in a child process when
this one has not loaded fontTools' subsetter."""

from __future__ import annotations

import sys
from pathlib import Path

import fontTools

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.digests import file_digest
from briefing.core.recent import Recent

from .font_subset import ALWAYS, cut, cut_elsewhere

MEMORY_SUBSETS = 64  # subsets a process keeps in memory (e.g. `watch`)
_SUBSETS = Recent(MEMORY_SUBSETS)  # by disk cache key


def font_cache_key(kind: str, path: Path, *parts: str) -> str:
    """The disk cache key of a result drawn from the font at `path` (its bytes, this
    code, fontTools' version)."""
    return digests.code_key(kind, fontTools.version, file_digest(path), *parts)


def subset_fonts(paths: list[Path], characters: frozenset[str],
                 flavor: str | None = None) -> list[bytes]:
    """Each TrueType font at `paths` cut down to `characters` (font_subset.cut), as
    TrueType or as `flavor` ("woff2"): from this process's memory or the disk cache
    when there, the others cut together and kept in both."""
    kind = "font-subset" if flavor is None else f"font-subset-{flavor}"
    names = [font_cache_key(kind, path, "".join(sorted(characters | ALWAYS)))
             for path in paths]
    found = {name: _SUBSETS.get(name) or disk.get(kind, name) for name in names}
    missing = {name: path for name, path in zip(names, paths, strict=True)
               if found[name] is None}
    if missing:
        for name, data in zip(missing, _subset(list(missing.values()), characters, flavor),
                              strict=True):
            disk.put(kind, name, data)
            found[name] = data
    for name, data in found.items():
        _SUBSETS.put(name, data)
    return [found[name] for name in names]  # type: ignore[misc]


def forget_subsets() -> None:
    """Drop the subsets this process remembers (the disk cache keeps them)."""
    _SUBSETS.clear()


def _subset(paths: list[Path], characters: frozenset[str], flavor: str | None) -> list[bytes]:
    """Cut each font: in one child process unless fontTools' subsetter is already
    loaded here (it would cost this process 16 MiB), else, or if the child fails, here."""
    if "fontTools.subset" not in sys.modules:
        done = cut_elsewhere(paths, characters, flavor)
        if done is not None:
            return done
    return [cut(path, characters, flavor) for path in paths]
