"""`briefing source add`: archive a source's file as text and append its entry to the
brief's sources, both written together or not at all."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from briefing.core.confine import project_root
from briefing.core.terminal import display_path
from briefing.load.brief import load_located, write_brief_files
from briefing.model import ID_PATTERN, Source
from briefing.roundtrip.yamlpatch import PatchError, append_item

from .archive import archive_folder, archive_text, file_name
from .entry import slug, source_entry
from .extracted import IngestError
from .formats import read_source_file

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Added:
    entry: dict
    archive: Path
    sources_file: Path
    paragraphs: int


def add_source(brief: Path, file: Path, ident: str | None = None,
               kind: str | None = None) -> Added:
    """Archive `file` for the brief at `brief` and append its source entry; raises
    IngestError (nothing written) or ContentError (the brief cannot be read)."""
    located, files = load_located(brief)
    used = set(_ids(located.data))
    if ident is not None:
        _check_id(ident, used)
    data, extractor = read_source_file(file)
    extracted = extractor(data, display_path(file))
    digest = hashlib.sha256(data).hexdigest()
    if ident is None:
        ident = _free(slug(extracted.title or file.stem) or "source", used)
    root = (brief if brief.is_dir() else brief.parent).resolve()
    sources = [s for s in located.data.get("sources") or [] if isinstance(s, dict)]
    folder, prefix = archive_folder([s["archive"] for s in sources
                                     if isinstance(s.get("archive"), str)],
                                    root, project_root(root))
    name = file_name(folder, digest)
    text = archive_text(extracted, file.name, digest)
    entry = source_entry(extracted, ident, kind, f"{prefix}/{name}" if prefix not in
                         ("", ".") else name)
    try:
        Source.model_validate(entry)
    except ValidationError as exc:  # a value the extractor should not have let through
        raise IngestError(f"the entry made from {display_path(file)} is not valid: "
                          f"{exc.errors()[0]['msg']}") from None
    target = _sources_file(files)
    try:
        patched = append_item(target.read_bytes().decode("utf-8"), "sources", entry)
    except (PatchError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IngestError(f"{display_path(target)}: cannot add the entry in place: "
                          f"{exc}") from None
    write_brief_files(target.parent, {folder / name: text, target: patched.encode("utf-8")})
    return Added(entry, folder / name, target, len(extracted.paragraphs))


def _check_id(ident: str, used: set[str]) -> None:
    if not re.match(ID_PATTERN, ident):
        raise IngestError(f"'{ident}' is not a valid id: use lower-case letters, digits, "
                          "'-', '_' or '.'")
    if ident in used:
        raise IngestError(f"the id '{ident}' is already in use in this brief; give "
                          "another with --id")


def _free(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3` … whichever is not in use."""
    ident, number = base, 1
    while ident in used:
        number += 1
        ident = f"{base}-{number}"
    return ident


def _ids(data: object) -> list[str]:
    """Every `id` value anywhere in the brief's data."""
    if isinstance(data, dict):
        own = [data["id"]] if isinstance(data.get("id"), str) else []
        return own + [i for value in data.values() for i in _ids(value)]
    if isinstance(data, list):
        return [i for value in data for i in _ids(value)]
    return []


def _sources_file(files: list[Path]) -> Path:
    """The file of the brief that holds `sources:` (else the first file)."""
    for file in files:
        data = yaml.load(file.read_text("utf-8"), Loader=_LOADER)
        if isinstance(data, dict) and "sources" in data:
            return file
    return files[0]
