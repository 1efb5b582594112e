"""The configuration a brief builds with, checked before anything renders.

`validate` resolves what `build` will use: the layout the brief names (or
`--layout`), that layout's templates and its citation style; `validate` then runs the
template over the brief by composing it. Each problem is a located finding (`path:line:col`,
with "did you mean" where a near name exists), never a failure half-way through
a build or an "internal error".
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError

from briefing.core.findings import ContentError, Finding, Place, did_you_mean
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.load.layout import (
    LoadedLayout,
    NoSuchLayout,
    find_layout,
    layout_dirs,
    load_layout,
)


def configuration_findings(loaded: LoadedBrief, override: str | None = None
                           ) -> list[Finding]:
    """Every problem with the brief's layout, templates and citation style (what one
    run of the template shows is found by composing the brief: `validate`)."""
    layout, findings = resolve(loaded, override)
    if layout is None:
        return findings
    return template_findings(layout) + style_findings(layout)


def resolve(loaded: LoadedBrief, override: str | None) -> tuple[LoadedLayout | None,
                                                                  list[Finding]]:
    """The loaded layout, or the findings that say why there is none."""
    name = override or loaded.brief.layout
    place = Place(display_path(loaded.files[0])) if override else loaded.place("layout")
    given = "--layout names " if override else ""
    try:
        path = find_layout(name, loaded.root, trusted=override is not None)
    except NoSuchLayout:
        known = layout_names(loaded.root)
        return None, [Finding(place, "error", f"{given}unknown layout '{name}'"
                              f"{did_you_mean(name, known)} (known: {', '.join(known)})",
                              rule="BR811")]
    except ContentError as exc:  # outside the project, a FIFO…
        return None, [Finding(place, f.severity, f"{given}{f.message}", f.rule)
                      if f.place.path == name else f for f in exc.findings]
    if not path.is_file():
        return None, [Finding(place, "error", f"layout file '{path}' not found",
                              rule="BR811")]
    try:
        return load_layout(path), []
    except ContentError as exc:
        return None, exc.findings


def layout_names(start: Path) -> list[str]:
    """The names of the layouts `start` can use, nearest folder first."""
    names: dict[str, None] = {}
    for folder in layout_dirs(start):
        for candidate in sorted(folder.iterdir()):
            if (candidate / "layout.yaml").is_file():
                names.setdefault(candidate.name)
    return list(names)


def template_findings(layout: LoadedLayout) -> list[Finding]:
    """A missing main template, and the syntax errors of every template."""
    from .composer import template_environment
    from .templates import main_template_problem

    problem = main_template_problem(layout)
    if problem is not None:
        return [problem]
    env = template_environment(layout)
    findings = []
    for path in sorted(layout.folder.glob("*.j2")):
        try:
            source = path.read_text("utf-8")
            if not _compiled_before(env, path, source):
                env.parse(source, path.name, str(path))
        except TemplateSyntaxError as exc:
            findings.append(Finding(Place(display_path(path), exc.lineno or 1, 1), "error",
                                    f"template error: {exc.message}", rule="BR813"))
        except UnicodeDecodeError:
            findings.append(Finding(Place(display_path(path)), "error",
                                    "template is not UTF-8 text", rule="BR813"))
    return findings


def _compiled_before(env: Environment, path: Path, source: str) -> bool:
    """True when this very source compiled before (its code is in the disk cache,
    `templates.CompiledTemplates`): it has no syntax error to find."""
    cache = env.bytecode_cache
    if cache is None:
        return False
    return cache.get_bucket(env, path.name, os.path.normpath(path), source).code is not None


def style_findings(layout: LoadedLayout) -> list[Finding]:
    """An unknown citation style name, a missing .csl file or one that is not CSL."""
    from .citation_styles import StyleProblem, check_style

    try:
        check_style(layout.layout.citation_style, layout.folder)
    except StyleProblem as problem:
        return [style_finding(problem, layout)]
    return []


def style_finding(problem: Exception, layout: LoadedLayout) -> Finding:
    """The finding of a citation style that cannot be used: at its place in the .csl
    file when it has one, else at layout.yaml's `citation_style`."""
    place = getattr(problem, "place", None) or layout.located.place(("citation_style",)) \
        or Place(display_path(layout.folder / "layout.yaml"))
    return Finding(place, "error", getattr(problem, "message", None) or str(problem),
                   rule="BR814")
