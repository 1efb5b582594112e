"""`briefing new`: a minimal brief that passes validation, for an editor to fill in."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from briefing.core.confine import PROJECT_FILE, project_file, project_root
from briefing.core.findings import did_you_mean
from briefing.load.layout import layout_names
from briefing.model import ID_PATTERN
from briefing.model.schema import SHIPPED, schema_text

DEFAULT_LAYOUT = "policy-brief"
SCHEMA_NAME = "brief.schema.json"  # the project's copy of the schema, beside content/

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new brief. Replace every placeholder; `briefing validate {folder}` checks it.
id: {id}
title: {title}
subtitle: Placeholder subtitle
edition: 1
date: {today}
cutoff: {today}
authors: [Your Name]
audience: Who will read it
layout: {layout}
marking: TLP:CLEAR

bluf: >-
  State the bottom line first, in one to three sentences [@example-source].

key_judgments:
  - id: kj-1
    text: The development in question is likely to continue over the next year.
    likelihood: likely
    confidence: low
    basis: A single placeholder source; replace it with real reporting.
    evidence:
      - id: ev-1
        kind: reporting
        text: What the source reports, in your words.
        source: example-source
        credibility: 6

alternative_views:
  - id: alt-1
    text: A competing explanation of the same facts.
    would_be_right_if: What we would expect to see if it were right.

outlook:
  - What this means for the reader's decisions.

indicators:
  - id: ind-1
    text: A signpost to watch.
    supports: [kj-1]

sources:
  - id: example-source
    type: web-page
    title: Title of the source as it gives it
    date: unknown
    reliability: F
    note: Placeholder; give only what the source itself states.
"""


PROJECT_TEXT = """\
# This folder is a briefing project: a brief inside it may name files (archived
# sources, layouts, fonts, citation styles) only inside this folder. Nothing in this
# file is read yet; empty is fine. Move it to make another folder the project.
"""


class ScaffoldError(Exception):
    """The brief cannot be created (bad id, or it exists already)."""


def new_brief(ident: str, parent: Path, schema: str, layout: str | None = None) -> Path:
    """Write <parent>/<ident>/brief.yaml in `layout` (default policy-brief), its
    `$schema` line naming `schema`, and return its path."""
    if not re.fullmatch(ID_PATTERN.strip("^$"), ident):
        raise ScaffoldError(f"'{ident}' is not a valid brief id: use lower-case letters, "
                            "digits, '-', '_' or '.'")
    folder = parent / ident
    if layout is not None:
        known = layout_names(folder)
        if layout not in known:
            raise ScaffoldError(f"no layout named '{layout}'{did_you_mean(layout, known)} "
                                f"(known layouts: {', '.join(known) or 'none'})")
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; not overwriting it")
    folder.mkdir(parents=True)
    target = folder / "brief.yaml"
    title = ident.replace("-", " ").replace("_", " ").capitalize()
    target.write_text(TEMPLATE.format(id=ident, title=title, today=dt.date.today(),
                                      folder=folder, schema=schema,
                                      layout=layout or DEFAULT_LAYOUT), "utf-8")
    mark_project(parent)
    return target


def project_of(parent: Path) -> Path:
    """The project a brief made in `parent` belongs to: that of `parent`, or of its
    nearest folder that exists (it may not exist yet)."""
    existing = next(p for p in (parent, *Path(os.path.abspath(parent)).parents) if p.is_dir())
    return project_root(existing)


def mark_project(parent: Path) -> Path | None:
    """Write a `briefing.toml` in the project of a brief made in `parent` (`project_of`,
    where its schema goes too) unless one is at or above it already. The file written,
    or None."""
    if project_file(parent) is not None:
        return None
    marker = project_of(parent) / PROJECT_FILE
    if marker.exists():
        return None
    marker.write_text(PROJECT_TEXT, "utf-8")
    return marker


def schema_home(parent: Path) -> Path:
    """The schema file that briefs made in `parent` point at: the project's
    brief.schema.json, or briefing's own copy when the project is briefing's source
    (its content/ points there)."""
    project = project_of(parent)
    home = project / SCHEMA_NAME
    if not home.is_file() and SHIPPED.is_relative_to(project):
        return SHIPPED
    return home


def schema_reference(home: Path, folder: Path) -> str:
    """The `$schema` path of a brief in `folder`: `home` relative to it, as
    yaml-language-server reads it (from the brief's folder, on any machine)."""
    return Path(os.path.relpath(home, folder.resolve())).as_posix()


def write_schema(home: Path) -> bool:
    """Write the content model's schema to `home` unless a file is there (a project's
    own copy is kept); whether it was written."""
    if home.is_file():
        return False
    home.write_text(schema_text(), "utf-8")
    return True
