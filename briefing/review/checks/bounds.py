"""Every field within the limits: no text over MAX_PROSE_CHARS, no inline markup
nested deeper than MAX_INLINE_DEPTH (a renderer would recurse that deep)."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.core import limits
from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model.inline import inline_depth

from .characters import _strings
from .prose import prose_fields


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    too_long = set()
    for path, text in _strings(loaded.located.data):
        if len(text) > limits.MAX_PROSE_CHARS:
            too_long.add(path)
            yield Finding(loaded.place(*path), "error",
                          f"text is {len(text):,} characters; the limit is "
                          f"{limits.MAX_PROSE_CHARS:,} (MAX_PROSE_CHARS); split it into "
                          "shorter paragraphs or items", rule="limits")
    for path, text in prose_fields(loaded):
        if path in too_long:
            continue
        deepest = inline_depth(text)
        if deepest > limits.MAX_INLINE_DEPTH:
            yield Finding(loaded.place(*path), "error",
                          f"inline markup (emphasis, strong, links) nests {deepest} levels "
                          f"deep; the limit is {limits.MAX_INLINE_DEPTH} (MAX_INLINE_DEPTH)",
                          rule="limits")
