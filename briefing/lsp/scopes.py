"""What the cursor stands on, read from the lines around it rather than a parse, so
that it still answers in half-typed YAML: the keys that enclose a line, the value
being typed after a key, a citation `@id`, a rule code, an estimative term."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.model.inline import KEY
from briefing.model.vocab import ESTIMATIVE_FORMS, VAGUE_WORDS

from .spans import Position, Span

_KEY_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[A-Za-z_][\w-]*)\s*:(?=\s|$)")
_ITEM = re.compile(r"^(?P<lead>\s*-\s*)")
_CITATION = re.compile(rf"(?<![\w@])@(?P<key>{KEY})")
_TYPED_CITATION = re.compile(r"(?<![\w@])@(?P<typed>[\w.:-]*)$")
_CODE = re.compile(r"\bBR\d{3}\b", re.IGNORECASE)
_TERMS = re.compile(r"\b(" + "|".join(sorted(map(re.escape, [*ESTIMATIVE_FORMS, *VAGUE_WORDS]),
                                            key=len, reverse=True)) + r")\b", re.IGNORECASE)
_VALUE_SEPARATORS = re.compile(r"[\[\]{},\s]")
_VALUE_ITEM = re.compile(r"[^\s\[\]{},\"']+")  # an id in `key: id` or `key: [a, b]`


@dataclass(frozen=True)
class Slot:
    """A value being typed: the keys around it (outermost first, the value's own key
    last; '@' for a citation) and the characters typed so far, from `start`."""

    keys: tuple[str, ...]
    typed: str
    start: Position


@dataclass(frozen=True)
class Token:
    """A word of interest under the cursor: its kind, text and span."""

    kind: str  # "citation", "code", "term", "value"
    text: str
    span: Span


def _content(line: str) -> str:
    return line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""


def _indent_of(line: str) -> int:
    """The column a line's key (or bare content) starts at, past any list dashes."""
    match = _KEY_LINE.match(line) or _ITEM.match(line)
    return len(match["lead"]) if match else len(line) - len(line.lstrip())


def enclosing_keys(lines: list[str], line: int) -> tuple[str, ...]:
    """The keys that enclose `line`, outermost first, its own key (if it has one) last."""
    own = _KEY_LINE.match(lines[line]) if line < len(lines) else None
    keys = [own["key"]] if own else []
    text = lines[line] if line < len(lines) else ""
    item = _ITEM.match(text)
    if own:
        column = len(own["lead"])
    elif item:  # a bare list item: its parent may sit at the dash's own column
        column = len(text) - len(text.lstrip()) + 1
    else:
        column = len(text) - len(text.lstrip()) if text.strip() else 10**6
    for number in range(line - 1, -1, -1):
        above = lines[number]
        if not _content(above).strip():
            continue
        match = _KEY_LINE.match(above)
        indent = _indent_of(above)
        if match and indent < column:
            keys.insert(0, match["key"])
            column = indent
            if column == 0:
                break
    return tuple(keys)


def slot_at(lines: list[str], position: Position) -> Slot | None:
    """The value being typed at `position`: after `@`, after `key:`, in a flow list
    (`[a, b`) or as a list item or bare key below a key. None elsewhere."""
    line, character = position
    if line >= len(lines):
        return None
    before = lines[line][:character]
    citation = _TYPED_CITATION.search(before)
    if citation:
        return Slot(("@",), citation["typed"], (line, citation.start("typed")))
    keyed = _KEY_LINE.match(before)
    if keyed:
        after = before[keyed.end():]
        typed = _VALUE_SEPARATORS.split(after)[-1].lstrip("\"'")
        keys = enclosing_keys(lines, line)
        return Slot(keys, typed, (line, character - len(typed)))
    bare = re.match(r"^\s*(?:-\s*)?(?P<typed>[\w.:-]*)$", before)
    if bare:
        keys = enclosing_keys([*lines[:line], before], line)
        return Slot(keys, bare["typed"], (line, character - len(bare["typed"])))
    return None


def token_at(lines: list[str], position: Position) -> Token | None:
    """The citation, rule code, estimative term, or value after a key, under `position`."""
    line, character = position
    if line >= len(lines):
        return None
    text = lines[line]
    for kind, pattern, group in (("citation", _CITATION, "key"), ("code", _CODE, 0),
                                 ("term", _TERMS, 0)):
        for match in pattern.finditer(text):
            if match[0] == "May":  # the month, not the vague word
                continue
            if match.start() <= character <= match.end():
                found = match[group].rstrip(".:") if kind == "citation" else match[group]
                start = match.start()
                return Token(kind, found, Span((line, start),
                                               (line, start + len(match[0]))))
    keyed = _KEY_LINE.match(text) or _ITEM.match(text)
    if keyed is None or character < keyed.end():
        return None
    content = _content(text)
    for match in _VALUE_ITEM.finditer(content, keyed.end()):
        if match.start() <= character <= match.end():
            return Token("value", match[0], Span((line, match.start()), (line, match.end())))
    return None


def citations(lines: list[str]) -> list[tuple[str, Span]]:
    """Every citation `@id` in the text (comment lines left out), with its span."""
    found = []
    for number, text in enumerate(lines):
        if text.lstrip().startswith("#"):
            continue
        for match in _CITATION.finditer(text):
            key = match["key"].rstrip(".:")
            found.append((key, Span((number, match.start()),
                                    (number, match.start() + 1 + len(key)))))
    return found
