"""No text holds a character that XML forbids: Word refuses a DOCX that has one.

Raw control characters are already refused by the YAML reader; this catches the
ones written as escapes in double-quoted strings ("\\x07", "\\u0000").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _strings(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


# C1 controls (U+009B is a terminal's CSI) and bidirectional embeddings/overrides,
# which show text in another order than it is stored ("Trojan Source").
UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e]")
ISOLATES = re.compile("[\u2066-\u2069]")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    for path, text in _strings(loaded.located.data):
        match = FORBIDDEN.search(text)
        if match:
            yield Finding(loaded.place(*path), "error",
                          f"text holds the control character U+{ord(match.group(0)):04X}, "
                          "which Word and XML do not allow; remove it", rule="characters")
            continue
        match = UNSAFE.search(text)
        if match:
            char = match.group(0)
            what = ("the bidirectional override" if char >= "\u202a" else
                    "the control character")
            yield Finding(loaded.place(*path), "error",
                          f"text holds {what} U+{ord(char):04X} "
                          f"{unicodedata.name(char, '')}".rstrip() +
                          ", which can show text in another order or act on a terminal; "
                          "remove it", rule="characters")
            continue
        match = ISOLATES.search(text)
        if match:
            char = match.group(0)
            yield Finding(loaded.place(*path), "warning",
                          f"text holds the bidirectional isolate U+{ord(char):04X} "
                          f"{unicodedata.name(char, '')}; check that the text reads in "
                          "the order it is stored", rule="characters")
