"""Whole-brief checks: each rule module reads a loaded brief and yields findings."""

from __future__ import annotations

from briefing.core.findings import Finding, sort_findings
from briefing.load.brief import LoadedBrief

from . import bounds, characters, coverage, dates, editions, estimative, marking, quotes, references

RULES = (characters, bounds, references, coverage, quotes, estimative, dates, marking,
         editions)


def run_checks(loaded: LoadedBrief) -> list[Finding]:
    """Every finding of every rule, sorted by place; never stops at the first."""
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule.check(loaded))
    return sort_findings(findings)
