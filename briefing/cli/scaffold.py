"""`briefing new`: a minimal brief that passes validation, for an editor to fill in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from briefing.core.confine import PROJECT_FILE, project_file, project_root
from briefing.model import ID_PATTERN

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
audience: Policy staff
layout: policy-brief
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


def new_brief(ident: str, parent: Path, schema: str) -> Path:
    """Write content/<ident>/brief.yaml and return its path."""
    if not re.fullmatch(ID_PATTERN.strip("^$"), ident):
        raise ScaffoldError(f"'{ident}' is not a valid brief id: use lower-case letters, "
                            "digits, '-', '_' or '.'")
    folder = parent / ident
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; not overwriting it")
    folder.mkdir(parents=True)
    target = folder / "brief.yaml"
    title = ident.replace("-", " ").replace("_", " ").capitalize()
    target.write_text(TEMPLATE.format(id=ident, title=title, today=dt.date.today(),
                                      folder=folder, schema=schema), "utf-8")
    mark_project(folder, parent)
    return target


def mark_project(folder: Path, parent: Path) -> Path | None:
    """Write a `briefing.toml` for the new brief in `folder` unless one is already at or
    above it: in the folder that holds `content/` (the project the brief has anyway),
    else in `parent`, the folder the brief was made in. The file written, or None."""
    if project_file(folder) is not None:
        return None
    root = project_root(folder)
    top = root if root != folder.resolve() else parent
    marker = top / PROJECT_FILE
    marker.write_text(PROJECT_TEXT, "utf-8")
    return marker
