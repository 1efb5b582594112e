"""Which extractor reads a file: by its suffix, checked against its first bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from briefing.core.confine import ConfinementError, read_bounded
from briefing.core.limits import MAX_ARCHIVE_BYTES, MAX_SOURCE_FILE_BYTES
from briefing.core.terminal import display_path

from . import docx, html, pdf, plain
from .extracted import Extracted, IngestError

Extractor = Callable[[bytes, str], Extracted]
#: suffix → (extractor, whether the file is itself text, so that the archive's
#: limit holds for the file as it is)
FORMATS: dict[str, tuple[Extractor, bool]] = {
    ".pdf": (pdf.extract, False),
    ".html": (html.extract, False),
    ".htm": (html.extract, False),
    ".xhtml": (html.extract, False),
    ".docx": (docx.extract, False),
    ".md": (plain.markdown, True),
    ".markdown": (plain.markdown, True),
    ".txt": (plain.text, True),
}
_MAGIC = {pdf.extract: (b"%PDF-",), docx.extract: (b"PK\x03\x04",)}


def read_source_file(path: Path) -> tuple[bytes, Extractor]:
    """The bytes of the file at `path` and the extractor for it; IngestError for a
    kind of file no extractor reads, a file too large, or one that cannot be read."""
    shown = display_path(path)
    known = ", ".join(sorted(FORMATS))
    if path.suffix.lower() not in FORMATS:
        raise IngestError(f"{shown}: cannot tell what kind of file this is from its "
                          f"name; known kinds: {known}")
    extractor, is_text = FORMATS[path.suffix.lower()]
    limit, name = ((MAX_ARCHIVE_BYTES, "MAX_ARCHIVE_BYTES") if is_text
                   else (MAX_SOURCE_FILE_BYTES, "MAX_SOURCE_FILE_BYTES"))
    try:
        data = read_bounded(path, limit, shown, name)
    except FileNotFoundError:
        raise IngestError(f"{shown}: no such file") from None
    except ConfinementError as exc:
        raise IngestError(str(exc)) from None
    magic = _MAGIC.get(extractor)
    if magic and not data.startswith(magic):
        raise IngestError(f"{shown} is named {path.suffix.lower()} but is not one "
                          "(its first bytes say otherwise)")
    return data, extractor
