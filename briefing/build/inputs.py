"""What a brief's outputs depend on: the one answer that build, watch and serve use.

`input_files` lists every file whose bytes can change the outputs (the brief's files,
the layout folder: styles, templates, reference.docx; the fonts, the archived sources,
released editions), and `input_digest` makes one digest of them with the output format
and the package itself (version and code): incremental builds compare it. For a brief
that cannot be loaded, `watched_folders`, `can_change_outputs` and `coarse_inputs` say
what could make it build: its folder's YAML, and all of layouts/ and seeds/.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.core.confine import project_root
from briefing.core.digests import file_digest, package_digests
from briefing.load import YAML_SUFFIXES

if TYPE_CHECKING:
    from briefing.load.brief import LoadedBrief
    from briefing.load.layout import LoadedLayout


def input_files(loaded: LoadedBrief, layout: LoadedLayout) -> list[Path]:
    """Every file whose bytes can change the outputs of this brief in this layout."""
    from briefing.load.snapshots import snapshot_files

    files = list(loaded.files)
    files += sorted(p for p in layout.folder.rglob("*") if p.is_file())
    if layout.layout.reference_docx:
        reference = layout.reference_path()
        if reference.is_file() and layout.folder.resolve() not in reference.parents:
            files.append(reference)
    for family in layout.layout.fonts.values():
        files += [layout.font_path(f) for f in family.files().values()]
    files += snapshot_files(loaded.root)  # the 'What changed' section compares with them
    for source in loaded.brief.sources:
        if source.archive:
            archive = loaded.archive(source.archive)
            if archive:
                files.append(archive)
    return files


def input_digests(loaded: LoadedBrief, layout: LoadedLayout) -> list[tuple[Path, bytes]]:
    """Each file the outputs depend on (briefing's code first) with its digest: what
    `input_digest` and `portable_digest` hash (a build works it out once)."""
    return [*package_digests(), *((path, file_digest(path))
                                  for path in input_files(loaded, layout))]


def input_digest(digests: list[tuple[Path, bytes]], fmt: str,
                 layout_name: str | None = None) -> str:
    """One hex digest of everything the `fmt` output depends on (`input_digests`)."""
    digest = hashlib.sha256(f"briefing {__version__}\0{fmt}\0{layout_name}\0".encode(
        "utf-8", "surrogateescape"))
    for path, data in digests:
        digest.update(os.fsencode(path) + b"\0")
        digest.update(data)
    return digest.hexdigest()


def portable_digest(digests: list[tuple[Path, bytes]], fmt: str) -> str:
    """Like `input_digest`, but of the files' bytes only (not where they are): the same
    in any folder, so an output that records it stays reproducible across folders."""
    digest = hashlib.sha256(f"briefing {__version__}\0{fmt}\0".encode())
    for _, data in digests:
        digest.update(data)
    return digest.hexdigest()


def content_digest(loaded: LoadedBrief) -> str:
    """The digest of the brief's own files, as the DOCX manifest records it."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in loaded.files)).hexdigest()


def watched_folders(brief: Path) -> list[Path]:
    """Folders whose changes can change the outputs: the brief's, and the layouts and
    seeds folders from it up to its project folder."""
    folder = (brief if brief.is_dir() else brief.parent).resolve()
    project = project_root(folder)
    paths = {folder.parent}
    for parent in (folder, *folder.parents):
        for name in ("layouts", "seeds"):
            if (parent / name).is_dir():
                paths.add(parent / name)
        if parent == project or not parent.is_relative_to(project):
            break
    return sorted(paths)


def can_change_outputs(path: Path, brief: Path) -> bool:
    """Whether a change to `path` (in a watched folder) can change `brief`'s outputs."""
    if any(part.startswith(".") for part in path.parts[-2:]) or path.name.endswith("~"):
        return False  # editor swap files, our own state
    folder = (brief if brief.is_dir() else brief.parent).resolve()
    inside_brief = folder in path.parents or path == folder or path == brief.resolve()
    if inside_brief:
        return path.suffix in YAML_SUFFIXES or not path.suffix
    return "layouts" in path.parts or "seeds" in path.parts


def coarse_inputs(path: Path) -> list[Path]:
    """For a brief that did not build: every file that could make it build (as watch does):
    the YAML files of its folder, and all of layouts/ and seeds/."""
    folder = (path if path.is_dir() else path.parent).resolve()
    files = {folder, *(p for p in folder.rglob("*") if p.is_dir() or p.suffix in YAML_SUFFIXES)}
    for shared in watched_folders(path):
        if shared.name in ("layouts", "seeds"):
            files |= {shared, *shared.rglob("*")}
    return sorted(files)
