"""Run a rule's examples the way its rule is found: by `validate` of the example brief,
or with a second brief ("batch")."""

from __future__ import annotations

from pathlib import Path

from briefing.build.validate import validate
from briefing.core.findings import Finding
from briefing.review.examples import example_brief
from briefing.review.rule import Rule


def example_findings(rule: Rule, folder: Path, edits) -> list[Finding]:
    """Every finding of the example brief with `edits` (put in `folder`), as `rule` is
    found."""
    example_brief(folder, edits)
    if rule.found_by == "batch":
        from briefing.build.batch import declared_ids, duplicate_ids

        first = example_brief(folder.with_name(folder.name + "-first"), ())
        return list(duplicate_ids(declared_ids([first, folder])).values())
    result = validate(folder)
    if result.loaded is None:  # only a rule of the loader's may keep the brief from loading
        assert {f.rule for f in result.findings} == {rule.code}, \
            [str(f) for f in result.findings]
    return result.findings

