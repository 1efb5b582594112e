"""`briefing new ID --from DRAFT.docx`: write the skeleton of a brief converted from a
Word draft, and beside it (when anything could not be placed) `draft-notes.md`, which
keeps every paragraph the brief has no place for, with its paragraph number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.core.confine import ConfinementError, read_bounded
from briefing.core.limits import MAX_SOURCE_FILE_BYTES
from briefing.core.terminal import display_path
from briefing.load.brief import write_brief_files
from briefing.model import ID_PATTERN
from briefing.roundtrip.yamlpatch import dump_yaml

from .draft import read_draft, sort_draft
from .extracted import IngestError
from .skeleton import Skeleton, skeleton

NOTES_FILE = "draft-notes.md"
HEADER = """\
# yaml-language-server: $schema={schema}
# Converted from the Word draft {draft} by `briefing new --from`. Every text that
# starts with TODO is for you to supply or judge (a placeholder value stands beside
# it); `briefing validate {folder}` lists each one.{notes}
"""


@dataclass(frozen=True)
class Converted:
    brief_file: Path
    notes_file: Path | None
    skeleton: Skeleton


def new_from_draft(ident: str, parent: Path, draft: Path, schema: str,
                   today: dt.date | None = None) -> Converted:
    """Write <parent>/<ident>/brief.yaml from the Word draft at `draft`."""
    if not re.match(ID_PATTERN, ident):
        raise IngestError(f"'{ident}' is not a valid brief id: use lower-case letters, "
                          "digits, '-', '_' or '.'")
    folder = parent / ident
    if folder.exists():
        raise IngestError(f"{display_path(folder)} already exists; not overwriting it")
    if draft.suffix.lower() != ".docx":
        raise IngestError(f"{display_path(draft)}: a draft must be a Word file (.docx); "
                          "save it as one first")
    try:
        data = read_bounded(draft, MAX_SOURCE_FILE_BYTES, display_path(draft),
                            "MAX_SOURCE_FILE_BYTES")
    except FileNotFoundError:
        raise IngestError(f"{display_path(draft)}: no such file") from None
    except ConfinementError as exc:
        raise IngestError(str(exc)) from None
    parsed = read_draft(data, display_path(draft))
    made = skeleton(parsed, sort_draft(parsed), ident, today or dt.date.today())
    brief_file = folder / "brief.yaml"
    notes_file = folder / NOTES_FILE if made.unplaced or made.checks else None
    pointer = (f"\n# What it could not place, and what to check, is in {NOTES_FILE}."
               if notes_file else "")
    files = {brief_file: (HEADER.format(schema=schema, draft=draft.name, folder=folder,
                                        notes=pointer) + "\n" + dump_yaml(made.brief))
             .encode("utf-8")}
    if notes_file:
        files[notes_file] = notes_text(made, draft.name).encode("utf-8")
    write_brief_files(folder, files)
    return Converted(brief_file, notes_file, made)


def notes_text(made: Skeleton, draft: str) -> str:
    """The sidecar: each paragraph not placed, then each placement to check."""
    lines = [f"# Notes on converting {draft}", ""]
    if made.unplaced:
        lines += ["## Not placed in the brief", "",
                  "Paragraphs count the draft's non-empty paragraphs from the top (the "
                  "title is 1). The brief has no place for these: move what belongs into "
                  "a field (a discussion paragraph is usually evidence of a judgment).", ""]
        lines += [f"- paragraph {number} ({where}): {text}"
                  for number, where, text in made.unplaced]
        lines.append("")
    if made.checks:
        lines += ["## To check", ""] + [f"- {check}" for check in made.checks] + [""]
    return "\n".join(lines)
