"""Numbers, quantities, percentages and dates in prose, normalised for comparison.

"2 million", "2,000,000" and "two million" are one quantity; "June 2024",
"2024-06" and "12 June 2024" are dates of one month; a year alone is a year.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.core import cache as disk
from briefing.core import digests

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

_MONTH = (r"(?=[" + "".join(sorted({m[0] for m in MONTHS})) + r"])("
          + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?")
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_WORD = (r"(?=[" + "".join(sorted({w[0] for w in WORDS})) + r"])("
         + "|".join(w for w in WORDS if w != "a") + r"|a)")
_SCALE = r"(" + "|".join(SCALES) + r")"
PATTERNS = (
    ("day", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? (\d{{4}})\b", re.I)),
    ("day-us", re.compile(rf"\b{_MONTH} (\d{{1,2}}),? (\d{{4}})\b", re.I)),
    ("month", re.compile(rf"\b{_MONTH},? (\d{{4}})\b", re.I)),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")),
    ("percent", re.compile(rf"{_NUMBER}\s?(?:%|per ?cent\b)", re.I)),
    ("word-percent", re.compile(rf"\b{_WORD}\s(?:%|per ?cent\b)", re.I)),
    ("scaled", re.compile(rf"{_NUMBER}\s?{_SCALE}\b", re.I)),
    ("word-scaled", re.compile(rf"\b{_WORD}[\s-]{_SCALE}\b", re.I)),
    ("year", re.compile(r"(?<![\d.,])(1[89]\d{2}|20\d{2})(?:s\b)?(?![\d.,]\d)")),
    ("number", re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,]\w)")),
)


@dataclass(frozen=True)
class Mention:
    """One number or date as written (`text`) and its normal form (`value`)."""

    text: str
    kind: str  # "date", "year", "number" or "percent"
    value: tuple

    def earliest(self) -> dt.date | None:
        """The first day a date or year can mean; None for a number."""
        if self.kind not in ("date", "year"):
            return None
        year, month, day = (*self.value, 1, 1)[:3]
        return dt.date(year, month, day)

    def supported_by(self, others: list[Mention]) -> bool:
        if self.kind == "year":
            return any(o.kind in ("date", "year") and o.value[0] == self.value[0]
                       for o in others)
        if self.kind == "date":
            return any(o.kind == "date" and o.value[:len(self.value)] == self.value
                       for o in others)
        return any(o.kind == self.kind and o.value == self.value for o in others)


def _number(text: str) -> float:
    return float(WORDS[text.lower()]) if text.lower() in WORDS else float(text.replace(",", ""))


def _mention(kind: str, match: re.Match) -> Mention | None:
    g = match.groups()
    text = match.group(0)
    try:
        if kind in ("day", "day-us"):
            day, month = (g[0], g[1]) if kind == "day" else (g[1], g[0])
            value = (int(g[2]), MONTHS[month.lower()], int(day))
            dt.date(*value)  # 31 February is no date
            return Mention(text, "date", value)
        if kind == "month":
            return Mention(text, "date", (int(g[1]), MONTHS[g[0].lower()]))
        if kind == "iso":
            parts = tuple(int(p) for p in g if p)
            dt.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
            return Mention(text, "date", parts)
        if kind in ("percent", "word-percent"):
            return Mention(text, "percent", (_number(g[0]),))
        if kind in ("scaled", "word-scaled"):
            return Mention(text, "number", (_number(g[0]) * SCALES[g[1].lower()],))
        if kind == "year":
            return Mention(text, "year", (int(g[0]),))
        return Mention(text, "number", (_number(g[0]),))
    except (ValueError, KeyError):
        return None


def mentions(text: str) -> list[Mention]:
    """Every number and date in `text`, each once, in the order found by kind."""
    return list(_mentions(text))


# A text this long (an archived source, mostly) keeps its mentions in the disk cache.
REMEMBERED_CHARS = 2000
KIND = "mentions"


@lru_cache(maxsize=4096)
def _mentions(text: str) -> tuple[Mention, ...]:
    """`mentions`, remembered: rules read the same archived source once per evidence,
    and a long text's mentions are kept in the disk cache for the next run."""
    if len(text) < REMEMBERED_CHARS:
        return _found(text)
    entry = digests.code_key(KIND, text)
    stored = disk.get(KIND, entry)
    if stored is not None:
        try:
            return tuple(Mention(said, kind, tuple(value))
                         for said, kind, value in json.loads(stored))
        except (ValueError, TypeError):  # not what this code writes: find them afresh
            pass
    found = _found(text)
    disk.put(KIND, entry, json.dumps([[m.text, m.kind, list(m.value)] for m in found],
                                     ensure_ascii=False).encode())
    return found


def _found(text: str) -> tuple[Mention, ...]:
    """Every number and date in `text` (see `mentions`)."""
    found = []
    for kind, pattern in PATTERNS:
        matches = list(pattern.finditer(text))
        for match in matches:
            mention = _mention(kind, match)
            if mention is not None:
                found.append(mention)
        if matches:  # blank what was read, so later kinds do not read it again
            text = _blanked(text, matches)
    return tuple(found)


def _blanked(text: str, matches: list[re.Match]) -> str:
    """`text` with each match replaced by as many spaces."""
    pieces, last = [], 0
    for match in matches:
        start, end = match.span()
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
