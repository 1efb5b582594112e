"""What a build depends on, as one digest: incremental builds compare it.

The digest covers the brief's files, the layout folder (styles, templates,
reference.docx), the fonts, the archived sources, the output format and the
package itself (version and code), so any change that could change an output
changes the digest.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__
from .archive import find_archive
from .editions.snapshot import snapshot_files
from .layout import LoadedLayout
from .load import LoadedBrief

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=512)
def _file_digest(path: Path, _size: int, _mtime: int) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def file_digest(path: Path) -> bytes:
    """sha256 of a file's bytes, cached while its size and mtime stay the same."""
    stat = path.stat()
    return _file_digest(path.resolve(), stat.st_size, stat.st_mtime_ns)


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".typ")
                  and "__pycache__" not in p.parts)


def input_files(loaded: LoadedBrief, layout: LoadedLayout) -> list[Path]:
    """Every file whose bytes can change the outputs of this brief in this layout."""
    files = list(loaded.files)
    files += sorted(p for p in layout.folder.rglob("*") if p.is_file())
    if layout.layout.reference_docx:
        reference = layout.reference_path()
        if reference.is_file() and layout.folder.resolve() not in reference.parents:
            files.append(reference)
    for family in layout.layout.fonts.values():
        files += [layout.font_path(f) for f in family.model_dump().values() if f]
    files += snapshot_files(loaded.root)  # the 'What changed' section compares with them
    for source in loaded.brief.sources:
        if source.archive:
            archive = find_archive(loaded.root, source.archive, loaded.project)
            if archive:
                files.append(archive)
    return files


def input_digest(loaded: LoadedBrief, layout: LoadedLayout, fmt: str,
                 layout_name: str | None = None) -> str:
    """One hex digest of everything the `fmt` output of this brief depends on."""
    digest = hashlib.sha256(f"briefing {__version__}\0{fmt}\0{layout_name}\0".encode())
    for path in [*_package_files(), *input_files(loaded, layout)]:
        digest.update(str(path).encode() + b"\0")
        digest.update(file_digest(path))
    return digest.hexdigest()


def portable_digest(loaded: LoadedBrief, layout: LoadedLayout, fmt: str) -> str:
    """Like `input_digest`, but of the files' bytes only (not where they are): the same
    in any folder, so an output that records it stays reproducible across folders."""
    digest = hashlib.sha256(f"briefing {__version__}\0{fmt}\0".encode())
    for path in [*_package_files(), *input_files(loaded, layout)]:
        digest.update(file_digest(path))
    return digest.hexdigest()


def content_digest(loaded: LoadedBrief) -> str:
    """The digest of the brief's own files, as the DOCX manifest records it."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in loaded.files)).hexdigest()
