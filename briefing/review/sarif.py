"""SARIF 2.1.0 (OASIS) output of `validate --format sarif`, for code-review tools.

One run: the tool's rules (every registry rule), then one result per finding,
located by file, line and column; a finding an item suppressed carries an
in-source suppression with its reason.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from urllib.parse import quote

from briefing import __version__
from briefing.core.findings import Finding, Place

from .registry import FAMILY_TITLES
from .rule import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_log(validations: list, rules: dict[str, Rule]) -> dict:
    """The SARIF log of `validate` results (a list of `Validation`)."""
    index = {code: i for i, code in enumerate(rules)}
    results = []
    for validation in validations:
        results += [_result(f, index) for f in validation.findings]
        for item in validation.suppressed:
            result = _result(item.finding, index)
            result["suppressions"] = [{"kind": "inSource", "justification": item.reason,
                                       "location": _location(item.place)}]
            results.append(result)
    driver = {"name": "briefing", "version": __version__,
              "rules": [_descriptor(rule) for rule in rules.values()]}
    run = {"tool": {"driver": driver},
           "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().resolve().as_uri() + "/"}},
           "results": results}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: Rule) -> dict:
    return {"id": rule.code, "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": f"{rule.summary} Standard: {rule.standard}."},
            "help": {"text": f"briefing rules {rule.code}"},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": {"tags": [FAMILY_TITLES[rule.family]]}}


def _result(finding: Finding, index: dict[str, int]) -> dict:
    result: dict = {"level": LEVELS.get(finding.severity, "warning"),
                    "message": {"text": finding.message},
                    "locations": [_location(finding.place)]}
    if finding.rule in index:
        result["ruleId"] = finding.rule
        result["ruleIndex"] = index[finding.rule]
    elif finding.rule:
        result["ruleId"] = finding.rule  # a check without a code yet (load, model, …)
    return result


def _location(place: Place) -> dict:
    path = PurePath(place.path)
    artifact = ({"uri": Path(path).as_uri()} if path.is_absolute()
                else {"uri": quote(path.as_posix()), "uriBaseId": "SRCROOT"})
    return {"physicalLocation": {"artifactLocation": artifact,
                                 "region": {"startLine": max(1, place.line),
                                            "startColumn": max(1, place.col)}}}
