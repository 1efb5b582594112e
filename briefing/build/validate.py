"""Load and check a brief: the one entry point every command uses before rendering."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from briefing.compose.configcheck import configuration_findings, resolve
from briefing.core.findings import ContentError, Finding, has_errors, sort_findings
from briefing.load.brief import LoadedBrief, load_brief
from briefing.review.engine import Suppressed, review


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


class Pending:
    """A loaded brief whose checks and review rules have not run yet: a build composes
    it and hands the document to its helper process first, then reviews it while the
    helper renders. `validation` runs them, once."""

    def __init__(self, path: Path, loaded: LoadedBrief):
        self.path = path
        self.loaded = loaded

    @cached_property
    def validation(self) -> Validation:
        result = review(self.loaded)
        return Validation(self.path, result.findings, self.loaded, result.suppressed)


def load_for_review(path: Path, texts: dict[Path, str] | None = None) -> Validation | Pending:
    """The first step of `validate`: load `path` (with `texts` standing in for some of
    its files). A brief that cannot be loaded gives its (failed) Validation at once."""
    try:
        return Pending(path, load_brief(path, texts))
    except ContentError as exc:
        return Validation(path, exc.findings, None)


def validate(path: Path, texts: dict[Path, str] | None = None,
             layout: str | None = None, configuration: bool = True) -> Validation:
    """Load `path` (with `texts` standing in for some of its files) and run every check
    and review rule; with `configuration`, check what it builds with too (its layout,
    or `layout`: templates, citation style, one template run). Never raises for bad
    content."""
    pending = load_for_review(path, texts)
    if isinstance(pending, Validation):
        return pending
    validation = pending.validation
    if configuration:  # the template runs only over a valid brief, with a valid layout
        findings = sort_findings([*validation.findings,
                                  *configuration_findings(pending.loaded, layout)])
        if not has_errors(findings):
            findings = sort_findings([*findings, *_composed(pending.loaded, layout)])
        validation = replace(validation, findings=findings)
    return validation


def _composed(loaded: LoadedBrief, override: str | None) -> list[Finding]:
    """What composing the brief as the build will shows: an error of the template or of
    its markup, an unknown style, a citation style the engine cannot format in (at its
    place), and BR815 over the composed brief (citations included)."""
    from briefing.compose.citation_styles import StyleError
    from briefing.compose.composer import compose
    from briefing.compose.configcheck import style_finding

    from .glyphs import glyph_findings

    layout, _ = resolve(loaded, override)
    if layout is None:
        return []
    try:
        document = compose(loaded, layout)
    except StyleError as exc:
        return [style_finding(exc, layout)]
    except ContentError as exc:
        return exc.findings
    return glyph_findings(loaded, layout, document)
