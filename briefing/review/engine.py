"""Run every review rule on a loaded brief: selection, suppressions.

The rule families (`briefing/review/families/`) yield findings that carry their
codes; the engine drops a finding that a more specific one at the same place
supersedes, keeps the rules the brief and layout select (and those of the input
itself, always), and moves findings that an item suppresses (with a reason) aside.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.findings import Finding, Place, sort_findings
from briefing.load.brief import LoadedBrief

from .registry import all_rules, families
from .rule import Rule
from .settings import Settings, read_settings, suppressions

ALWAYS = "input"  # its findings (text over the limits) say the brief cannot be rendered:
# no `review:` selection drops them and no `suppress:` moves them aside


@dataclass(frozen=True)
class Suppressed:
    """A finding an item suppressed, with the reason given and where it was given."""

    finding: Finding
    reason: str
    place: Place

    def to_dict(self) -> dict:
        return {**self.finding.to_dict(), "reason": self.reason,
                "suppressed_at": str(self.place)}


@dataclass(frozen=True)
class Review:
    findings: list[Finding]
    suppressed: list[Suppressed]


def raw_findings(loaded: LoadedBrief, rules: dict[str, Rule]) -> list[Finding]:
    """Every finding of every family, superseded ones dropped."""
    found: list[Finding] = []
    for module in families():
        check = getattr(module, "check", None)
        if check is not None:
            found.extend(check(loaded))
    beaten = {(f.place, old) for f in found if f.rule in rules
              for old in rules[f.rule].supersedes}
    return [f for f in found if (f.place, f.rule) not in beaten]


def review(loaded: LoadedBrief) -> Review:
    """The findings `validate` reports, and those suppressed with a reason."""
    rules = all_rules()
    settings, problems = read_settings(loaded, rules)
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    entries = [e for e in suppressions(loaded) if e.valid(rules)]
    used: set[int] = set()
    for finding in raw_findings(loaded, rules):
        if rules[finding.rule].family == ALWAYS:
            kept.append(finding)
            continue
        if not settings.wants(finding.rule):
            continue
        entry = next((e for e in entries if e.covers(finding)), None)
        if entry is None:
            kept.append(finding)
        else:
            used.add(id(entry))
            suppressed.append(Suppressed(finding, entry.reason, entry.place))
    unused = [e.unused_finding() for e in entries
              if id(e) not in used and settings.wants(e.code)]
    return Review(sort_findings(kept + problems + unused),
                  sorted(suppressed, key=lambda s: s.finding.sort_key()))


__all__ = ["Review", "Settings", "Suppressed", "review"]
