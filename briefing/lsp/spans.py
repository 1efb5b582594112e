"""Where things stand in a YAML text, as spans of 0-based (line, character) positions:
every scalar (key or value) with its data path and its end, and the span a finding
covers: the word or phrase its place points at, else the value or token there."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from briefing.core.findings import Finding
from briefing.load.yamlpos import DataPath

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_QUOTED = re.compile(r"'([^'\n]{1,200})'")
_WORD = re.compile(r"[\w’'-]+|\S+")

Position = tuple[int, int]  # (line, character), both from 0; characters are code points


@dataclass(frozen=True)
class Span:
    start: Position
    end: Position

    def holds(self, position: Position) -> bool:
        return self.start <= position <= self.end


@dataclass(frozen=True)
class Scalar:
    """One scalar of the document: a key or a value, where it stands and its text."""

    path: DataPath
    value: str
    span: Span
    is_key: bool


class ScalarIndex:
    """Every scalar of one YAML text, found by position or by path. A text that does not
    parse (half-typed) has an empty index."""

    def __init__(self, text: str):
        self.text = text
        self.scalars: list[Scalar] = []
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            return
        if root is not None:
            self._walk(root, (), set())

    def _walk(self, node: yaml.Node, path: DataPath, seen: set[int]) -> None:
        if id(node) in seen:  # an alias: its nodes are indexed where they stand
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    self.scalars.append(self._scalar(key, (*path, key.value), True))
                    self._walk(value, (*path, key.value), seen)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i), seen)
        elif isinstance(node, yaml.ScalarNode):
            self.scalars.append(self._scalar(node, path, False))

    def _scalar(self, node: yaml.ScalarNode, path: DataPath, is_key: bool) -> Scalar:
        start, end = node.start_mark, node.end_mark
        raw = self.text[start.index:end.index]
        trimmed = len(raw) - len(raw.rstrip())  # a block scalar ends after its line breaks
        end_index = end.index - trimmed
        line = self.text.count("\n", 0, end_index)
        character = end_index - (self.text.rfind("\n", 0, end_index) + 1)
        return Scalar(path, node.value, Span((start.line, start.column), (line, character)),
                      is_key)

    def at(self, position: Position) -> Scalar | None:
        """The scalar whose span holds `position` (the key, where a key and its value
        meet), or None."""
        return next((s for s in self.scalars if s.span.holds(position)), None)

    def value(self, path: DataPath) -> Scalar | None:
        """The value scalar at `path`, or None."""
        return next((s for s in self.scalars if s.path == path and not s.is_key), None)

    def key(self, path: DataPath) -> Scalar | None:
        """The key scalar that ends `path`, or None."""
        return next((s for s in self.scalars if s.path == path and s.is_key), None)


@lru_cache(maxsize=16)
def scalar_index(text: str) -> ScalarIndex:
    return ScalarIndex(text)


def finding_span(finding: Finding, text: str) -> Span:
    """The span `finding` covers in `text`, the text of its file: a phrase the message
    quotes that stands at its place (the vague word, the hedge), else the scalar that
    starts there, else the word there."""
    lines = text.splitlines()
    line = min(max(finding.place.line - 1, 0), max(len(lines) - 1, 0))
    text = lines[line] if lines else ""
    character = min(max(finding.place.col - 1, 0), len(text))
    here = (line, character)
    for phrase in _QUOTED.findall(finding.message):
        end = _phrase_end(lines, here, phrase)
        if end is not None:
            return Span(here, end)
    scalar = next((s for s in scalar_index(text).scalars if s.span.start == here), None)
    if scalar is not None and scalar.span.end > here:
        return scalar.span
    word = _WORD.match(text, character)
    if word:
        return Span(here, (line, word.end()))
    return Span(here, (line, len(text)))


def _phrase_end(lines: list[str], start: Position, phrase: str) -> Position | None:
    """Where `phrase` ends if it stands at `start` (its spaces may be line breaks and
    indentation of a folded scalar), or None."""
    words = phrase.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
    line, character = start
    rest = "\n".join([lines[line][character:], *lines[line + 1:line + 1 + len(words)]])
    match = pattern.match(rest)
    if match is None:
        return None
    before_end = rest[:match.end()]
    breaks = before_end.count("\n")
    if breaks == 0:
        return (line, character + match.end())
    return (line + breaks, len(before_end) - before_end.rfind("\n") - 1)
