"""BR626 placeholders: text an editor must still replace or judge.

A placeholder is a value the tools wrote for the editor to replace: one of the
texts `briefing new` writes, or any text that starts with `TODO` (what
`briefing source add` and `briefing new --from` write where only the editor can
judge, for example a source's reliability). A brief that still holds one builds,
but says something nobody wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.review.prose import strings
from briefing.review.rule import Rule, edit

#: The texts `briefing new` writes for the editor to replace, word for word.
SCAFFOLD_TEXTS = frozenset({
    "Placeholder subtitle",
    "Your Name",
    "Who will read it",
    "State the bottom line first, in one to three sentences [@example-source].",
    "The development in question is likely to continue over the next year.",
    "A single placeholder source; replace it with real reporting.",
    "What the source reports, in your words.",
    "A competing explanation of the same facts.",
    "What we would expect to see if it were right.",
    "What this means for the reader's decisions.",
    "A signpost to watch.",
    "Title of the source as it gives it",
    "Placeholder; give only what the source itself states.",
})
#: The source id the scaffold writes, wherever it is used or cited.
SCAFFOLD_SOURCE = "example-source"
TODO = re.compile(r"^\s*TODO\b")
BASIS = "basis: The ministry's release and a wire report agree on the date and the terms."
_CITES_SCAFFOLD = re.compile(r"\[@?[^\]]*\b" + re.escape(SCAFFOLD_SOURCE) + r"\b")

RULES = (
    Rule("BR626", "placeholder-left", "structure", "warning",
         "A value is still a placeholder: a text `briefing new` wrote, or a text that "
         "starts with `TODO`.",
         "house style: a brief states only what its authors and sources say",
         bad=edit(BASIS, "basis: \"TODO: say what the judgment rests on.\""),
         good=edit(BASIS, BASIS)),
)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR626: every placeholder left, at its own place."""
    for path, text in strings(loaded.located.data):
        what = _placeholder(text)
        if what:
            yield Finding(loaded.place(*path), "warning",
                          f"'{_field(path)}' is still a placeholder ({what}); "
                          "replace it with what the brief's authors or sources say",
                          rule="BR626")


def _placeholder(text: str) -> str:
    """Why `text` is a placeholder, or '' if it is not one."""
    if TODO.match(text):
        return "it starts with TODO"
    if " ".join(text.split()) in SCAFFOLD_TEXTS:
        return "the text `briefing new` wrote"
    if text == SCAFFOLD_SOURCE or _CITES_SCAFFOLD.search(text):
        return f"the scaffold's source '{SCAFFOLD_SOURCE}'"
    return ""


def _field(path: DataPath) -> str:
    """A path as an editor reads it: key_judgments[0].basis."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out
