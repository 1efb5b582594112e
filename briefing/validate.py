"""Load and check a brief: the one entry point every command uses before rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .findings import ContentError, Finding, has_errors
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


def validate(path: Path, texts: dict[Path, str] | None = None) -> Validation:
    """Load `path` (with `texts` standing in for some of its files) and run every check
    and review rule; never raises for bad content."""
    try:
        loaded = load_brief(path, texts)
    except ContentError as exc:
        return Validation(path, exc.findings, None)
    result = review(loaded)
    return Validation(path, result.findings, loaded, result.suppressed)
