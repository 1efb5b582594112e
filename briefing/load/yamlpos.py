"""Safe YAML loading that keeps the file, line and column of every node.

PyYAML's composer gives us nodes with marks; we build plain Python data from
them ourselves so that duplicate keys, unknown tags and alias bombs become
located errors instead of silent surprises or an out-of-memory.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.core.confine import ConfinementError, read_bounded
from briefing.core.findings import ContentError, Finding, Place
from briefing.core.limits import MAX_YAML_BYTES
from briefing.core.recent import Recent

MAX_FILE_BYTES = MAX_YAML_BYTES
MAX_NODES = 100_000
MAX_DEPTH = 64

DataPath = tuple[str | int, ...]

# libyaml when present (about ten times faster); it keeps marks just the same.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass
class Located:
    """Plain data from YAML plus where each value and key stands."""

    data: Any
    values: dict[DataPath, Place] = field(default_factory=dict)
    keys: dict[DataPath, Place] = field(default_factory=dict)
    _sorted: dict[str, list[tuple[int, int]]] | None = field(default=None, repr=False)

    def next_after(self, place: Place) -> Place:
        """The first key or value that starts after `place` in the same file."""
        if self._sorted is None:
            by_file: dict[str, set[tuple[int, int]]] = {}
            for p in [*self.values.values(), *self.keys.values()]:
                by_file.setdefault(p.path, set()).add((p.line, p.col))
            self._sorted = {path: sorted(found) for path, found in by_file.items()}
        positions = self._sorted.get(place.path, [])
        index = bisect.bisect_right(positions, (place.line, place.col))
        if index == len(positions):
            return Place(place.path, 10**9, 1)
        return Place(place.path, *positions[index])

    def place(self, path: DataPath, *, key: bool = False) -> Place | None:
        """Where `path` stands: its key for `key=True`, else its value.

        Falls back to the nearest ancestor that is known.
        """
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), None)


def _place(path: str, mark: yaml.Mark) -> Place:
    return Place(path, mark.line + 1, mark.column + 1)


def _error(place: Place, message: str) -> ContentError:
    return ContentError([Finding(place, "error", message, rule="BR801")])


def read_text(path: Path, display: str) -> str:
    """Read a YAML file as UTF-8 text, refusing binary, oversize or empty files."""
    start = Place(display)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES, "file", "")
    except FileNotFoundError:
        raise _error(start, "no such file or folder") from None
    except ConfinementError as exc:
        raise _error(start, str(exc)) from None
    if b"\x00" in raw:
        return _refuse_binary(raw, display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        col = len(line_start.decode("utf-8", errors="replace")) + 1
        raise _error(
            Place(display, line, col),
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise _error(start, "file is empty; expected a mapping of brief fields")
    return text


def _refuse_binary(raw: bytes, display: str) -> str:
    offset = raw.index(b"\x00")
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    raise _error(Place(display, line, col), "file looks binary (it contains a NUL byte); "
                 "expected YAML text")


# The last texts parsed: (display name, text) → what they gave. A warm rebuild after an
# edit parses the edited file again, not the brief's others or its layout. Only texts
# up to PARSED_CHARS are kept, PARSED_KEPT of them (their parse is ten times larger).
PARSED_KEPT, PARSED_CHARS = 16, 256 * 1024
_PARSED = Recent(PARSED_KEPT)


def load_yaml(path: Path, display: str | None = None, text: str | None = None) -> Located:
    """Load one YAML file (or `text` standing for it) into plain data with positions;
    raise ContentError. A text parsed before in this process is not parsed again: its
    result is copied (callers may change what they get)."""
    display = display or str(path)
    text = read_text(path, display) if text is None else text
    kept = _PARSED.get((display, text))
    if kept is None:
        kept = _parse(text, display)
        if len(text) <= PARSED_CHARS:
            _PARSED.put((display, text), kept)
    return Located(_copied(kept.data), dict(kept.values), dict(kept.keys))


def _copied(data: Any) -> Any:
    """Plain YAML data with fresh lists and mappings (its scalars are immutable)."""
    if isinstance(data, dict):
        return {key: _copied(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copied(value) for value in data]
    return data


def _parse(text: str, display: str) -> Located:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _error(_place(display, mark), _yaml_message(exc)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _error(_place(display, mark), _yaml_message(exc)) from None
    except yaml.reader.ReaderError as exc:  # a control character in the stream
        raise _error(_offset_place(display, text, exc.position),
                     f"control character U+{exc.character:04X} is not allowed in YAML text; "
                     "remove it") from None
    except yaml.YAMLError as exc:
        raise _error(Place(display), f"invalid YAML: {exc}") from None
    if node is None:
        raise _error(Place(display), "file is empty; expected a mapping of brief fields")
    return _Builder(display).build(node)


def _offset_place(display: str, text: str, offset: int) -> Place:
    """The line and column of a character offset into `text`."""
    before = text[:offset]
    return Place(display, before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = "; ".join(parts) or "invalid YAML"
    if "tab" in text:
        return "invalid YAML: a tab character cannot indent YAML; use spaces"
    if "expected a single document" in text:
        return "file holds more than one YAML document ('---'); a brief file holds one"
    return f"invalid YAML: {text}"


class _Builder:
    """Turns a composed node graph into plain data, checking as it goes."""

    def __init__(self, display: str):
        self.display = display
        self.count = 0
        self.located = Located(None)
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node) -> Located:
        self.located.data = self._value(node, (), 0)
        return self.located

    def _value(self, node: yaml.Node, path: DataPath, depth: int) -> Any:
        self.count += 1
        place = _place(self.display, node.start_mark)
        if self.count > MAX_NODES:
            raise _error(place, f"document expands to more than {MAX_NODES:,} values "
                         "(too many aliases, an alias bomb?); refusing to expand it")
        if depth > MAX_DEPTH:
            raise _error(place, f"document nests deeper than {MAX_DEPTH} levels "
                         "(a recursive alias?)")
        self.located.values.setdefault(path, place)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _error(place, f"unsupported YAML tag {node.tag!r}")
            return [self._value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise _error(place, f"unsupported YAML tag {node.tag!r}; only plain "
                         "strings, numbers, booleans, lists and mappings are allowed")
        return self.constructor.construct_object(node, deep=False)

    def _mapping(self, node: yaml.MappingNode, path: DataPath, depth: int) -> dict:
        place = _place(self.display, node.start_mark)
        if node.tag != _MAP:
            raise _error(place, f"unsupported YAML tag {node.tag!r}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_place = _place(self.display, key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _error(key_place, "merge keys ('<<') are not supported; "
                             "write the fields out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _error(key_place, "a mapping key must be a plain string")
            key = key_node.value
            if key in result:
                first = self.located.keys[(*path, key)]
                raise _error(key_place, f"duplicate key '{key}' (first defined at line "
                             f"{first.line}, column {first.col}); YAML would silently "
                             "keep only the last one")
            self.located.keys[(*path, key)] = key_place
            result[key] = self._value(value_node, (*path, key), depth + 1)
        return result
