"""Findings: what a check or the loader reports, located in a file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from .terminal import visible

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Place:
    """A position in a source file; line and column count from 1."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Finding:
    """One problem, located at a place, with a severity and a message."""

    place: Place
    severity: Severity
    message: str
    rule: str = ""

    def __str__(self) -> str:
        """`path:line:col: severity: message [code]`, safe to print: content in the
        message (a quote, a passage, a file name) cannot act on the terminal."""
        text = f"{self.place}: {self.severity}: {self.message}"
        return visible(f"{text} [{self.rule}]" if self.coded else text)

    @property
    def coded(self) -> bool:
        """Whether `rule` is a review rule's code (BR101), not a check's name."""
        return len(self.rule) == 5 and self.rule.startswith("BR") and self.rule[2:].isdigit()

    def sort_key(self) -> tuple:
        return (self.place, self.severity != "error", self.message)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(data.pop("place"))
        return data


class ContentError(Exception):
    """Content cannot be loaded; carries every finding gathered so far."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = sorted(findings, key=Finding.sort_key)


NEAR = 0.8  # similarity (difflib ratio) of a name a typo could have meant


_LOOKALIKE = {"O0", "0O", "I1", "1I", "L1", "1L", "S5", "5S", "B8", "8B", "Z2", "2Z"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest of `choices`, or "" if none is near enough
    to be a typo of it (so 'TLP:WHITE' is not offered 'TLP:RED')."""
    import difflib  # only a mistake needs it

    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=max(1, len(choices)), cutoff=NEAR)
    if not close:
        return ""

    def nearness(choice: str) -> tuple:  # ties of the ratio go to fewer changed places,
        # then to a character mistaken for one it looks like (O for 0, l for 1)
        ratio = difflib.SequenceMatcher(None, word, choice).ratio()
        pairs = [(a, b) for a, b in zip(word.upper(), choice.upper(), strict=False) if a != b]
        unlike = sum((a + b) not in _LOOKALIKE for a, b in pairs)
        return (-round(ratio, 9), len(pairs) + abs(len(word) - len(choice)), unlike, choice)

    return f"; did you mean '{min(close, key=nearness)}'?"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(set(findings), key=Finding.sort_key)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def findings_json(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)
