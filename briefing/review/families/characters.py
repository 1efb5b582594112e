"""BR705, BR711, BR712 (the markings family): no text holds a character that XML
forbids (Word refuses a DOCX that has one), acts on a terminal, or shows text in
another order than it is stored.

Raw control characters are already refused by the YAML reader; this catches the
ones written as escapes in double-quoted strings ("\\x07", "\\u0000").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.review.prose import strings
from briefing.review.rule import Rule, edit

OOXML = "Office Open XML (ECMA-376): XML 1.0 characters only"
TROJAN = "house style: text reads in the order it is stored (CVE-2021-42574, \"Trojan Source\")"
TITLE = "title: Example brief"

RULES = (
    Rule("BR705", "control-character", "markings", "error",
         "Text holds a control character that Word and XML refuse.", OOXML,
         bad=edit(TITLE, 'title: "Example\\a brief"'), good=edit(TITLE, TITLE)),
    Rule("BR711", "bidirectional-override", "markings", "error",
         "Text holds a bidirectional embedding or override (U+202A-U+202E), which shows "
         "text in another order than it is stored.", TROJAN,
         bad=edit(TITLE, 'title: "Example\\u202e brief"'),
         good=edit(TITLE, 'title: "Example\\u200f brief"')),
    Rule("BR712", "bidirectional-isolate", "markings", "warning",
         "Text holds a bidirectional isolate (U+2066-U+2069); check that it reads in the "
         "order it is stored.", TROJAN,
         bad=edit(TITLE, 'title: "Example\\u2066 brief"'), good=edit(TITLE, TITLE)),
)

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# C1 controls (U+009B is a terminal's CSI) and bidirectional embeddings/overrides,
# which show text in another order than it is stored ("Trojan Source").
UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e]")
ISOLATES = re.compile("[\u2066-\u2069]")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    for path, text in strings(loaded.located.data):
        match = FORBIDDEN.search(text)
        if match:
            yield Finding(loaded.place(*path), "error",
                          f"text holds the control character U+{ord(match.group(0)):04X}, "
                          "which Word and XML do not allow; remove it", rule="BR705")
            continue
        match = UNSAFE.search(text)
        if match:
            char = match.group(0)
            override = char >= "\u202a"
            what = "the bidirectional override" if override else "the control character"
            yield Finding(loaded.place(*path), "error",
                          f"text holds {what} U+{ord(char):04X} "
                          f"{unicodedata.name(char, '')}".rstrip() +
                          ", which can show text in another order or act on a terminal; "
                          "remove it", rule="BR711" if override else "BR705")
            continue
        match = ISOLATES.search(text)
        if match:
            char = match.group(0)
            yield Finding(loaded.place(*path), "warning",
                          f"text holds the bidirectional isolate U+{ord(char):04X} "
                          f"{unicodedata.name(char, '')}; check that the text reads in "
                          "the order it is stored", rule="BR712")
