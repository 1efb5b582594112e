"""The findings of `briefing validate`, from the editor's unsaved text, as LSP
diagnostics: the same codes, severities and messages, each at the range of the word
or value its place points at, grouped by the file that holds it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lsprotocol import types

from briefing.build.validate import Validation, validate
from briefing.core.findings import ContentError, Finding
from briefing.load.brief import brief_files, load_located
from briefing.load.yamlpos import Located
from briefing.review.ruledocs import rule_doc_url

from .documents import TextOf, file_of, lines_of
from .spans import finding_span

CHECKOUT = Path(__file__).resolve().parents[2]
SEVERITIES = {"error": types.DiagnosticSeverity.Error,
              "warning": types.DiagnosticSeverity.Warning,
              "info": types.DiagnosticSeverity.Information}


@dataclass(frozen=True)
class Checked:
    """One check of a brief: `validate`'s result, and the brief's files and located data
    (also when the model refused it, so that its ids stay known)."""

    validation: Validation
    files: tuple[Path, ...]
    located: Located | None


def check(brief: Path, texts: Mapping[Path, str]) -> Checked:
    """Run `validate` on `brief`, the editor's `texts` standing in for its files."""
    validation = validate(brief, dict(texts))
    if validation.loaded is not None:
        return Checked(validation, validation.loaded.files, validation.loaded.located)
    try:
        located, files = load_located(brief, dict(texts))
        return Checked(validation, tuple(files), located)
    except ContentError:
        try:
            return Checked(validation, tuple(brief_files(brief)), None)
        except ContentError:
            return Checked(validation, (), None)


@lru_cache(maxsize=256)
def doc_href(code: str) -> str | None:
    """The address of a rule's documentation, as a URI (a relative one is the
    checkout's file)."""
    try:
        url = rule_doc_url(code)
    except KeyError:
        return None
    if urlsplit(url).scheme:
        return url
    page, _, anchor = url.partition("#")
    return (CHECKOUT / page).as_uri() + (f"#{anchor}" if anchor else "")


def diagnostic(finding: Finding, to_client: types.Range) -> types.Diagnostic:
    """`finding` as a diagnostic; `to_client` is its range in the client's units."""
    href = doc_href(finding.rule) if finding.coded else None
    return types.Diagnostic(
        range=to_client, message=finding.message, severity=SEVERITIES[finding.severity],
        code=finding.rule or None, source="briefing",
        code_description=types.CodeDescription(href=href) if href else None)


def by_file(findings: list[Finding], files: tuple[Path, ...], fallback: Path,
            text_of: TextOf, codec) -> dict[Path, list[types.Diagnostic]]:
    """Each finding as a diagnostic of the file its place names (`fallback` for a place
    that is no file); `codec` converts code points to the client's units."""
    grouped: dict[Path, list[types.Diagnostic]] = {}
    for finding in findings:
        file = file_of(finding.place.path, files)
        if file is None:
            start = types.Position(0, 0)
            grouped.setdefault(fallback, []).append(
                diagnostic(finding, types.Range(start, start)))
            continue
        text = text_of(file)
        span = finding_span(finding, text)
        grouped.setdefault(file, []).append(diagnostic(finding, codec.range_to_client_units(
            lines_of(text), types.Range(types.Position(*span.start),
                                        types.Position(*span.end)))))
    return grouped
