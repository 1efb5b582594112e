"""The rule registry: every review rule with its code, severity, doc and examples.

A rule is a declared unit (`Rule`): a stable code (``BR101``), a kebab-case name,
a family, a default severity, a one-line summary, the standard it enforces, and a
bad and a good example. `briefing validate` runs every rule, `briefing rules`
lists them, and the SARIF writer describes them to code-review tools.

Codes by family: BR0xx review settings, BR1xx estimative language, BR2xx BLUF
against key judgments, BR3xx numbers and dates, BR4xx sourcing, BR5xx quotations,
BR6xx structure, BR7xx markings.

How to give your finding a code (two ways; the second needs no edit to a check):

1. New check: yield ``Finding(place, severity, message, rule="BR612")`` and
   declare ``Rule("BR612", ...)`` in the family module under `briefing/rules/`
   (its `RULES` tuple); add the module to `FAMILIES` below if it is new.
2. Existing check in `briefing/check/`: keep ``rule="marking"`` and declare a
   rule with ``legacy=("marking", r"regex matching the message")``; the engine
   gives the code to every finding of that check whose message matches (and
   appends the rule's `fix`, what to do, to a message that does not say it).

Each rule needs `bad` and `good` examples: edits (old text, new text) applied to
the example brief in `briefing/rules/example/`; a test checks that the bad one
raises the code and the good one does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from briefing.core.findings import Finding, Severity
from briefing.load.brief import LoadedBrief

Edit = tuple[str, str]
Check = Callable[[LoadedBrief], Iterator[Finding]]
CODE = re.compile(r"^BR\d{3}$")

FAMILY_TITLES = {
    "review": "review settings",
    "estimative": "estimative language",
    "bluf": "BLUF against key judgments",
    "numbers": "numbers and dates",
    "sourcing": "sourcing",
    "quotations": "quotations",
    "structure": "structure",
    "markings": "markings and messages",
}


@dataclass(frozen=True)
class Rule:
    """One review rule, as `briefing rules CODE` explains it."""

    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    standard: str
    bad: tuple[Edit, ...]
    good: tuple[Edit, ...]
    legacy: tuple[str, str] | None = None
    supersedes: tuple[str, ...] = field(default=())
    fix: str = ""  # what to do, appended to a legacy finding's message that lacks it

    def matches(self, finding: Finding) -> bool:
        """Whether this rule names a finding an older check reported by name."""
        return (self.legacy is not None and finding.rule == self.legacy[0]
                and re.search(self.legacy[1], finding.message) is not None)


def edit(old: str, new: str) -> tuple[Edit, ...]:
    """One example edit of the example brief."""
    return ((old, new),)


def families() -> list:
    """The family modules, each with `RULES` and a `check(loaded)`."""
    from .families import (
        bluf,
        estimative,
        markings,
        numbers,
        quotations,
        review,
        sourcing,
        structure,
    )

    return [review, estimative, bluf, numbers, sourcing, quotations, structure, markings]


def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    rules: dict[str, Rule] = {}
    for module in families():
        for rule in module.RULES:
            if not CODE.match(rule.code) or rule.code in rules:
                raise ValueError(f"rule code {rule.code!r} is malformed or declared twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def code_of(finding: Finding, rules: Iterable[Rule]) -> str:
    """The code of a finding: its own, or the first legacy rule it matches; else ''."""
    if CODE.match(finding.rule):
        return finding.rule
    return next((rule.code for rule in rules if rule.matches(finding)), "")
