"""A Word file's text: its paragraphs (tables and text boxes too) read with the DOCX
package reader the round trip uses, tracked changes accepted; its footnotes follow the
body, each as a paragraph `[N] text`. Title, author and language come from the file's
core properties, read with python-docx."""

from __future__ import annotations

import io
import zipfile

from briefing.render.docx.wordml import NOTE_MARK, WordReadError, plain, read_docx

from .extracted import Extracted, IngestError, clean, language_tag, paragraphs_of


def extract(data: bytes, name: str) -> Extracted:
    """The text and core properties of the DOCX `data` (from the file `name`)."""
    try:
        document = read_docx(data)
    except WordReadError as exc:
        raise IngestError(f"{name}: {exc}") from None
    body = paragraphs_of([p.text.replace(NOTE_MARK, "") for p in document.paragraphs])
    notes = []
    for para in document.paragraphs:
        for atom in para.atoms:
            text = clean("".join(plain(a) for a in document.footnotes.get(atom.ref, [])))
            if atom.kind == "note" and text:
                notes.append(f"[{len(notes) + 1}] {text}")
    title, author, language = _core_properties(data)
    return Extracted("DOCX", body + notes, title=title, authors=[author] if author else [],
                     language=language_tag(language))


def _core_properties(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Title, author and language of the file's core properties (None where empty)."""
    import docx

    try:
        properties = docx.Document(io.BytesIO(data)).core_properties
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise IngestError(f"cannot read the file's properties ({exc})") from None
    return tuple((getattr(properties, k) or "").strip() or None  # type: ignore[return-value]
                 for k in ("title", "author", "language"))
