"""Walk the text of a brief: every prose (inline Markdown) field, or every string, with
its data path; and where a word stands in one."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefing.core.findings import Place
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath


def prose_fields(loaded: LoadedBrief) -> Iterator[tuple[DataPath, str]]:
    """(path, text) for each field that holds inline Markdown."""
    brief = loaded.brief
    for i, text in enumerate(brief.bluf):
        yield _paragraph_path(loaded, "bluf", i), text
    for i, text in enumerate(brief.outlook):
        yield _paragraph_path(loaded, "outlook", i), text
    for i, kj in enumerate(brief.key_judgments):
        yield ("key_judgments", i, "text"), kj.text
        yield ("key_judgments", i, "basis"), kj.basis
        for j, ev in enumerate(kj.evidence):
            yield ("key_judgments", i, "evidence", j, "text"), ev.text
    for i, alt in enumerate(brief.alternative_views):
        yield ("alternative_views", i, "text"), alt.text
        if alt.would_be_right_if:
            yield ("alternative_views", i, "would_be_right_if"), alt.would_be_right_if
    for i, ind in enumerate(brief.indicators):
        yield ("indicators", i, "text"), ind.text
    for i, change in enumerate(brief.what_changed):
        yield ("what_changed", i, "text"), change.text


def _paragraph_path(loaded: LoadedBrief, key: str, index: int) -> DataPath:
    """The path of a BLUF or outlook paragraph's text: the field itself, an item of
    its list, or the `text` of a paragraph given as a mapping (with a classification)."""
    raw = loaded.located.data.get(key)
    path: DataPath = (key, index) if isinstance(raw, list) else (key,)
    item = raw[index] if isinstance(raw, list) else raw
    return (*path, "text") if isinstance(item, dict) else path


def place_of(loaded: LoadedBrief, path: DataPath, needle: str) -> Place:
    """Where `needle` first appears at or after the start of the value at `path`.

    Falls back to the value's own place when the text was folded or escaped.
    """
    start = loaded.place(*path)
    lines = _file_lines(start.path, loaded)
    end = loaded.located.next_after(start)  # prose fields are scalars: nothing nests
    for number in range(start.line - 1, min(len(lines), end.line)):
        line = lines[number]
        begin = start.col - 1 if number == start.line - 1 else 0
        col = line.find(needle, begin)
        if col >= 0 and (number + 1, col + 1) < (end.line, end.col):
            return Place(start.path, number + 1, col + 1)
    return start


def _file_lines(display: str, loaded: LoadedBrief) -> list[str]:
    """The lines of the brief's file shown as `display`: the text that stood in for it
    when it was loaded (unsaved edits), else the file on disk."""
    for file in loaded.files:
        if display_path(file) == display:
            if file in loaded.texts:
                return loaded.texts[file].splitlines()
            stat = file.stat()
            return _read_lines(file, stat.st_mtime_ns, stat.st_size)
    return []


@lru_cache(maxsize=64)
def _read_lines(file: Path, _mtime: int, _size: int) -> list[str]:
    return file.read_text("utf-8-sig").splitlines()


def strings(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """(path, text) of every string in the brief's data, prose or not."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*path, index))
