"""Run every review rule on a loaded brief: codes, selection, suppressions.

The older checks (`briefing/check/`) and the rule families (`briefing/rules/`)
all yield findings; the engine gives each its code, drops a finding that a more
specific one at the same place supersedes, keeps the rules the brief and layout
select, and moves findings that an item suppresses (with a reason) aside.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefing.core.findings import Finding, Place, sort_findings
from briefing.load.brief import LoadedBrief

from .checks import run_checks
from .registry import Rule, all_rules, code_of, families
from .settings import Settings, read_settings, suppressions


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
    """Every finding of every check and family, coded, superseded ones dropped."""
    found = list(run_checks(loaded))
    for module in families():
        check = getattr(module, "check", None)
        if check is not None:
            found.extend(check(loaded))
    legacy = [rule for rule in rules.values() if rule.legacy]
    coded = [f if f.coded else _coded(f, code_of(f, legacy), rules) for f in found]
    beaten = {(f.place, old) for f in coded if f.rule in rules
              for old in rules[f.rule].supersedes}
    return [f for f in coded if (f.place, f.rule) not in beaten]


def _coded(finding: Finding, code: str, rules: dict[str, Rule]) -> Finding:
    if not code:
        return finding
    fix = rules[code].fix
    message = finding.message
    if fix and fix not in message and "did you mean" not in message:
        message = f"{message}; {fix}"
    return replace(finding, rule=code, message=message)


def review(loaded: LoadedBrief) -> Review:
    """The findings `validate` reports, and those suppressed with a reason."""
    rules = all_rules()
    settings, problems = read_settings(loaded, rules)
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    entries = [e for e in suppressions(loaded) if e.valid(rules)]
    used: set[int] = set()
    for finding in raw_findings(loaded, rules):
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
