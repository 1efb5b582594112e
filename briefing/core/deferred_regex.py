"""Regular expressions of other packages, compiled on first use instead of at import.

A module that runs `re.compile(source, flags)` at import gets the pattern from
`re`'s cache when the cache already holds one under that source and those flags.
`defer` puts a `DeferredPattern` there, so the module's import skips the compile
and the pattern is compiled the first time it is used, to the same pattern.
Only an optimisation: when `re` keeps its cache differently (another Python), or
the module's source differs (another version), the module compiles as before.
`briefing` defers the `THIRD_PARTY` patterns when it is imported, before any of
those modules is.
"""

from __future__ import annotations

import re


class DeferredPattern:
    """Stands for `re.compile(source, flags)` and compiles it on first use."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int):
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        """The real pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            _forget(self)  # else re.compile would hand back this stand-in
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"DeferredPattern({self._source!r}, {self._flags!r})"


def _key(source: str, flags: int) -> tuple:
    return (str, source, flags)


def _forget(pattern: DeferredPattern) -> None:
    cache = getattr(re, "_cache", None)
    key = _key(pattern._source, pattern._flags)
    if isinstance(cache, dict) and cache.get(key) is pattern:
        del cache[key]


def defer(source: str, flags: int = 0) -> DeferredPattern | None:
    """Let the next `re.compile(source, flags)` return a pattern compiled on first
    use; None when this Python's `re` keeps no cache this can use."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return None
    flags = int(flags)
    pattern = DeferredPattern(source, flags)
    cache.setdefault(_key(source, flags), pattern)
    return pattern


# ReportLab's paragraph module compiles this URL pattern (its `uri_pat`, matched only
# to split a long URL across lines) when it is imported: 19 ms of every PDF build,
# case-folding most of Unicode.
REPORTLAB_URL = (
    '(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?'
    '(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}'
    '|\\[[0-9a-f:\\.]+\\]'
    '|([a-z\xa1-\uffff0-9](?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?'
    '(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*'
    '\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))'
    '(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z')
# PyYAML's reader compiles this (its `NON_PRINTABLE`) when `yaml` is imported: 3 ms of
# every command, for the pure-Python reader, which briefing's C loader does not use.
PYYAML_NON_PRINTABLE = '[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]'
THIRD_PARTY = ((REPORTLAB_URL, re.IGNORECASE), (PYYAML_NON_PRINTABLE, 0))


def defer_third_party() -> None:
    """Defer the patterns of `THIRD_PARTY` (before their modules are imported)."""
    for source, flags in THIRD_PARTY:
        defer(source, flags)
