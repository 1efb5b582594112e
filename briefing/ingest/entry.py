"""A source entry with only what the file states; what the editor must judge is a
placeholder (a text starting TODO, which the review's BR626 flags)."""

from __future__ import annotations

import re
import unicodedata

from .extracted import Extracted, looks_english
from .names import name_entry, split_names

RELIABILITY_TODO = "TODO: judge this source's reliability (A-F; F, cannot be judged, " \
    "stands until you do)."
DEFAULT_TYPES = {"HTML": "web-page"}  # any other kind of file: "report"


def slug(text: str, limit: int = 40) -> str:
    """A source id from `text`: lower-case ASCII words joined by '-', at most
    `limit` characters ('' when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:limit] if words else "")


def source_entry(extracted: Extracted, ident: str, kind: str | None, archive: str) -> dict:
    """The entry for `extracted` with id `ident` and type `kind` (None: a guess from
    the kind of file, which the note says), archived at `archive`."""
    entry: dict[str, object] = {"id": ident,
                                "type": kind or DEFAULT_TYPES.get(extracted.kind, "report")}
    first = extracted.paragraphs[0][:120] if extracted.paragraphs else ""
    entry["title"] = extracted.title or (
        "TODO: give the title as the source gives it" +
        (f" (its first paragraph reads: {first})" if first else ""))
    authors = [name_entry(n) for text in extracted.authors for n in split_names(text)]
    if authors:
        entry["authors"] = authors
    if extracted.site:
        entry["container"] = extracted.site
    if extracted.publisher:
        entry["publisher"] = extracted.publisher
    entry["date"] = extracted.date or "unknown"
    if extracted.url:
        entry["url"] = extracted.url
    if extracted.doi:
        entry["doi"] = extracted.doi
    language = extracted.language or ("en" if looks_english(extracted.paragraphs) else "und")
    entry["language"] = language
    entry["reliability"] = "F"
    entry["archive"] = archive
    notes = [RELIABILITY_TODO]
    if kind is None:
        notes.append(f"Its type, {entry['type']}, is a guess from the kind of file: "
                     "correct it if need be.")
    if language == "und":
        notes.append("The file does not say its language: give it.")
    notes += [r[0].upper() + r[1:] + "." for r in extracted.remarks]
    entry["note"] = " ".join(notes)
    return entry
