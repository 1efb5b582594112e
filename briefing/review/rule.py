"""What a review rule is: its code, name, family, severity, the standard it enforces,
and a bad and a good example (edits of the example brief in `briefing/review/example/`,
or steps that release it or write a file beside it). The registry collects the rules
each family declares."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from briefing.core.findings import Finding, Severity
from briefing.load.brief import LoadedBrief

Edit = tuple[str, str]
Check = Callable[[LoadedBrief], Iterator[Finding]]
CODE = re.compile(r"^BR\d{3}$")

RELEASE = "<release>"  # an example step: release the example brief as it stands
FILE = "<file>"  # an example step: write a file beside the example brief


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
    supersedes: tuple[str, ...] = field(default=())  # codes it replaces at its place
    found_by: str = "validate"  # or "batch" (several briefs)


def edit(old: str, new: str) -> tuple[Edit, ...]:
    """One example edit of the example brief."""
    return ((old, new),)


def release() -> Edit:
    """An example step: release the example brief as it stands (`briefing release`)."""
    return (RELEASE, "")


def write(name: str, text: str) -> Edit:
    """An example step: write `text` to the file `name` in the example brief's folder."""
    return (FILE + name, text)
