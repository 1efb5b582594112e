"""Editing a brief the way editors save it, for the tests that watch files change."""

from __future__ import annotations

import os
from pathlib import Path


def save_edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file by `new` as editors save: a whole new file
    renamed over the old one."""
    text = path.read_text("utf-8")
    assert old in text, old
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text.replace(old, new, 1), "utf-8")
    os.replace(temp, path)
