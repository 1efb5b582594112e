"""Archived source texts: finding them on disk, normalising them, searching quotes."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Single and double quotation marks fold together: a quote nested in a quotation
# may turn the source's “…” into ‘…’.
_QUOTES = {ord(c): '"' for c in "'‘’‚‛′`´“”„‟″«»"}
_DASHES = {ord(c): "-" for c in "‐‑‒–—―−"}
_SPACE = re.compile(r"\s+")
ELLIPSIS = re.compile(r"\s*(?:…|\.\s?\.\s?\.|\[…\]|\[\.\.\.\])\s*")


def normalise(text: str) -> str:
    """Fold the differences a quote may legitimately have from its source."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_DASHES)
    text = text.replace("\u00ad", "")
    return _SPACE.sub(" ", text).strip()


def find_archive(root: Path, relative: str) -> Path | None:
    """The archived copy named `relative`, looked up from `root` towards `/`."""
    for folder in (root, *root.parents):
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class ArchivedText:
    """An archived source text, split into paragraphs (its non-empty lines)."""

    path: Path
    paragraphs: tuple[str, ...]

    @property
    def normalised(self) -> str:
        return " ".join(normalise(p) for p in self.paragraphs)

    def paragraph_of(self, offset: int) -> int:
        """1-based paragraph holding `offset` of the normalised text."""
        position = 0
        for number, para in enumerate(self.paragraphs, start=1):
            position += len(normalise(para)) + 1
            if offset < position:
                return number
        return len(self.paragraphs)


@lru_cache(maxsize=32)
def _read(path: Path, _mtime: int) -> ArchivedText:
    text = path.read_text("utf-8", errors="replace")
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    return ArchivedText(path, paragraphs)


def read_archive(path: Path) -> ArchivedText:
    return _read(path, path.stat().st_mtime_ns)


def find_quote(quote: str, archived: ArchivedText) -> int | None:
    """Offset in the normalised text where the quote's first part starts, or None.

    An ellipsis stands for omitted text, a bracketed insertion for a few words,
    `[sic]` for nothing, and the first letter may change case (see `quoting`).
    """
    from .quoting import quote_spans

    spans = quote_spans(quote, archived)
    return spans[0][0] if spans else None


def closest_passage(quote: str, archived: ArchivedText) -> tuple[str, int]:
    """The passage of the source most like `quote`, and its paragraph number."""
    target = normalise(ELLIPSIS.sub(" ", quote))
    haystack = archived.normalised
    width = len(target)
    starts = [0] + [m.end() for m in re.finditer(r" ", haystack)]
    best, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for start in starts:
        matcher.set_seq1(haystack[start:start + width])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = start, ratio
    end = best + width
    while end < len(haystack) and haystack[end] != " ":
        end += 1  # finish the last word
    return haystack[best:end].rstrip(",;:"), archived.paragraph_of(best)
