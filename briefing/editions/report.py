"""`briefing diff` output: the changes as terminal text (coloured on a TTY) or JSON."""

from __future__ import annotations

import json

from briefing.model.changes import Change, EditionDiff
from briefing.model.editions import long_date

SIGNS = {"judgment added": "+", "evidence added": "+", "source added": "+",
         "judgment dropped": "-", "evidence removed": "-", "source removed": "-"}
RED, GREEN, YELLOW, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
STRUCK = "\x1b[9;31m"


def diff_json(diff: EditionDiff) -> str:
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"


def diff_text(diff: EditionDiff, brief_id: str, colour: bool = False) -> str:
    """The changes as lines of text; `colour` adds ANSI colours for a terminal."""
    paint = _painter(colour)
    to = (f"the working copy of '{brief_id}' (edition {diff.edition}, " if diff.working else
          f"edition {diff.edition} of '{brief_id}' (")
    lines = [paint(BOLD, f"{diff.title} to {to}{long_date(diff.date)})")]
    if diff.notes:
        lines += ["", paint(BOLD, "Editor's notes")]
        lines += [f"  {n.judgment} ({n.change}): {n.text}" for n in diff.notes]
    lines += ["", paint(BOLD, "Changes")]
    if not diff.changes:
        lines.append(f"  No change to the content since edition {diff.since}.")
    for change in diff.changes:
        sign = SIGNS.get(change.kind, "~")
        tone = GREEN if sign == "+" else RED if sign == "-" else YELLOW
        lines.append(paint(tone, f"{sign} {change.summary}"))
        if change.words:
            lines.append("    " + _words(change, colour))
    return "\n".join(lines) + "\n"


def _words(change: Change, colour: bool) -> str:
    """A rewording inline: git's word-diff marks, or colours on a terminal."""
    out = []
    for op, text in change.words:
        if op == "=":
            out.append(text)
        elif colour:
            out.append(f"{STRUCK}{text}{RESET}" if op == "-" else f"{GREEN}{BOLD}{text}{RESET}")
        else:
            out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return " ".join(out)


def _painter(colour: bool):
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    return paint
