"""Text fit for a terminal or a CI log: what could act on the terminal is made visible.

Content and file names reach messages (a quote, a closest passage, a folder
name). An ANSI escape in them could recolour, rewrite or hide lines; a
bidirectional override could show a message in another order than it was
written; a surrogate (a file name that is not UTF-8) cannot be printed at all.
`visible` writes each such character as an escape, e.g. `\\x1b`, `\\u202e`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, line and paragraph
# separators, and lone surrogates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    "\ud800-\udfff]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control, bidi-control and surrogate character escaped."""
    return UNSAFE.sub(_escape, text)


def display_path(path: Path) -> str:
    """A path as a user typed it: relative to the working directory when inside it."""
    try:  # a symlink shows as itself, not as what it points to
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return visible(shown)
