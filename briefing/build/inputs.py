"""What a build depends on, as one digest: incremental builds compare it.

The digest covers the brief's files, the layout folder (styles, templates,
reference.docx), the fonts, the archived sources, the output format and the
package itself (version and code), so any change that could change an output
changes the digest.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache as once
from functools import lru_cache
from pathlib import Path

from briefing import __version__
from briefing.core import cache
from briefing.core.digests import file_digest
from briefing.load.archive import find_archive
from briefing.load.snapshots import snapshot_files
from briefing.load.layout import LoadedLayout
from briefing.load.brief import LoadedBrief

PACKAGE = Path(__file__).parents[1]


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".typ")
                  and "__pycache__" not in p.parts)


@once
def package_digests() -> tuple[tuple[Path, bytes], ...]:
    """Each file of briefing's own code with its digest, read once a process: the
    code this process runs (a build digests it three times, watch at every change)."""
    return tuple((path, file_digest(path)) for path in _package_files())


def input_files(loaded: LoadedBrief, layout: LoadedLayout) -> list[Path]:
    """Every file whose bytes can change the outputs of this brief in this layout."""
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
            archive = find_archive(loaded.root, source.archive, loaded.project)
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
    digest = hashlib.sha256(f"briefing {__version__}\0{fmt}\0{layout_name}\0".encode())
    for path, data in digests:
        digest.update(str(path).encode() + b"\0")
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
