"""What ReportLab works out for a paragraph, kept between the renders of one process.

`watch` and `serve` render a brief again after every edit, and an edit changes few
paragraphs, yet parsing each paragraph's markup and breaking it into lines are half
of a PDF render. A process that renders again and again calls `keep()`. From then on,
a paragraph whose markup and style were seen before gets copies of the fragments
that parsing gave, and at a width seen before, the lines that breaking gave. Both
depend on the markup, every attribute of the style, the width and the fonts
registered under the style's font names (which ReportLab keeps for the process),
and nothing else; so the PDF is the same bytes (tests/test_pdf.py renders with and
without). A one-off build does not keep anything: it would only pay for the copies.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from briefing.core.recent import Recent

LIMIT = 4096  # paragraphs (and paragraph widths) remembered, the least recent dropped
_keeping = False
_parsed = Recent(LIMIT)  # (markup, bullet, style) → (cleaned markup, fragments)
_broken = Recent(LIMIT)  # (that, width) → the lines


def keep(on: bool = True) -> None:
    """Remember paragraphs between renders from now on (or, with False, stop and forget)."""
    global _keeping
    _keeping = on
    if not on:
        _parsed.clear()
        _broken.clear()


def keeping() -> bool:
    return _keeping


@contextmanager
def kept() -> Iterator[None]:
    """Keep paragraphs for the body (a `watch`), then as before."""
    was = _keeping
    keep()
    try:
        yield
    finally:
        keep(was)


def style_key(style: object) -> tuple:
    """Every attribute of a ReportLab paragraph style, as text: what parsing and
    breaking lines read of it."""
    return tuple(sorted((name, repr(value)) for name, value in vars(style).items()))


def parsed(key: tuple) -> tuple[str, list] | None:
    """The cleaned markup and copies of the fragments a paragraph's parse gave."""
    found = _parsed.get(key)
    if found is None:
        return None
    text, fragments = found
    return text, [copy.copy(fragment) for fragment in fragments]


def remember_parse(key: tuple, text: str, fragments: list) -> None:
    """Keep copies of a parse's fragments (the paragraph's own may change later)."""
    if _keeping:
        _parsed.put(key, (text, [copy.copy(fragment) for fragment in fragments]))


def broken(key: tuple) -> object | None:
    """The lines a paragraph was broken into at a width, or None."""
    return _broken.get(key)


def remember_lines(key: tuple, lines: object) -> None:
    if _keeping:
        _broken.put(key, lines)
