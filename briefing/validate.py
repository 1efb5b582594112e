"""Load and check a brief: the one entry point every command uses before rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .configcheck import configuration_findings
from .findings import ContentError, Finding, has_errors, sort_findings
from .load import LoadedBrief, load_brief
from .rules.engine import Suppressed, review


@dataclass(frozen=True)
class Validation:
    """A brief's findings, and the loaded brief when it could be loaded at all."""

    path: Path
    findings: list[Finding]
    loaded: LoadedBrief | None
    suppressed: list[Suppressed] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.loaded is not None and not has_errors(self.findings)


def validate(path: Path, texts: dict[Path, str] | None = None,
             layout: str | None = None, configuration: bool = True) -> Validation:
    """Load `path` (with `texts` standing in for some of its files) and run every check
    and review rule; with `configuration`, check what it builds with too (its layout,
    or `layout`: templates, citation style, one template run). Never raises for bad
    content."""
    try:
        loaded = load_brief(path, texts)
    except ContentError as exc:
        return Validation(path, exc.findings, None)
    result = review(loaded)
    findings = result.findings
    if configuration:  # a template runs only over a valid brief
        findings = sort_findings([*findings, *configuration_findings(
            loaded, layout, render=not has_errors(findings))])
    return Validation(path, findings, loaded, result.suppressed)
