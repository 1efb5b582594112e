"""Field marks: the hidden bookmark a render puts around each content field, and what
each encloses in a DOCX read back (by the manifest as rendered, by import as returned).

A field bookmark is named `_Brf<n>` (hidden, as Word hides names starting with `_`).
Each occurrence keeps the atoms it encloses and, when it is the only field of a
single paragraph, the text of that paragraph before and after it — so that a
bookmark Word moved to the start of the paragraph, or words an analyst typed just
past its end, still come back to the right field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .wordml import Atom, Para, WordDocument, plain

FIELD_PREFIX = "_Brf"
FIELD_BOOKMARK = re.compile(rf"^{FIELD_PREFIX}\d+$")
CONTENT = ("text", "note", "break")


def field_bookmark(number: int) -> str:
    """The name of the field bookmark numbered `number` (from 0) in a render."""
    return f"{FIELD_PREFIX}{number}"


@dataclass
class Occurrence:
    """One place a field stands in the DOCX."""

    name: str
    atoms: list[Atom] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    before: str = ""
    after: str = ""
    single: bool = False  # the only field of one paragraph

    @property
    def text(self) -> str:
        return "".join(plain(a) for a in self.atoms)


def occurrences(paragraphs: list[Para]) -> dict[str, Occurrence]:
    """Every field bookmark's occurrence, by bookmark name."""
    found: dict[str, Occurrence] = {}
    open_by_id: dict[str, Occurrence] = {}
    open_comments: set[str] = set()
    for para in paragraphs:
        starts = [a for a in para.atoms if a.kind == "start" and a.text == "bookmark"
                  and FIELD_BOOKMARK.match(a.name)]
        for occurrence in open_by_id.values():  # a field an analyst split into paragraphs
            occurrence.atoms.append(Atom("text", " "))
            occurrence.paragraphs.append(para.number)
        for atom in para.atoms:
            if atom.text == "comment":
                (open_comments.add if atom.kind == "start" else open_comments.discard)(atom.ref)
                if atom.kind == "start":
                    for occurrence in open_by_id.values():
                        occurrence.comments.append(atom.ref)
                continue
            if atom.kind == "start" and atom in starts:
                occurrence = Occurrence(atom.name, paragraphs=[para.number])
                found.setdefault(atom.name, occurrence)
                open_by_id[atom.ref] = occurrence
            elif atom.kind == "end" and atom.text == "bookmark":
                open_by_id.pop(atom.ref, None)
            elif atom.kind in CONTENT:
                for occurrence in open_by_id.values():
                    occurrence.atoms.append(atom)
        if len(starts) == 1:
            _frame(found[starts[0].name], para)
    return found


def _frame(occurrence: Occurrence, para: Para) -> None:
    """Record the paragraph text around a field that is alone in its paragraph."""
    parts: dict[str, list[str]] = {"before": [], "inside": [], "after": []}
    where, start_id = "before", None
    for atom in para.atoms:
        if atom.kind == "start" and atom.text == "bookmark" and atom.name == occurrence.name:
            where, start_id = "inside", atom.ref
        elif where == "inside" and atom.kind == "end" and atom.ref == start_id \
                and atom.text == "bookmark":
            where = "after"
        else:
            parts[where].append(plain(atom))
    if where == "after":
        occurrence.before, occurrence.after = "".join(parts["before"]), "".join(parts["after"])
        occurrence.single = True


def framed_atoms(para: Para, before: str, after: str) -> list[Atom] | None:
    """The atoms of `para` between the text `before` and the text `after`, or None
    when the paragraph no longer starts and ends with them."""
    text = para.text
    if not (text.startswith(before) and text.endswith(after)
            and len(text) >= len(before) + len(after)):
        return None
    low, high = len(before), len(text) - len(after)
    out: list[Atom] = []
    position = 0
    for atom in para.atoms:
        width = atom.width
        if atom.kind not in CONTENT:
            continue
        start, end = position, position + width
        position = end
        if end <= low or start >= high:
            continue
        if atom.kind == "text":
            piece = atom.text[max(low - start, 0): min(high, end) - start]
            out.append(Atom("text", piece, atom.bold, atom.italic, atom.url, atom.anchor))
        else:
            out.append(atom)
    return out


def canonical(atoms: list[Atom], notes: dict[str, list[Atom]]) -> str:
    """A stable text form of what a reader sees in these atoms (looks, links and the
    text of footnotes included), to tell an edited field from an untouched one."""
    merged: list[list] = []
    for atom in atoms:
        if atom.kind == "text":
            key = ["t", atom.bold, atom.italic, atom.url, atom.anchor]
            if merged and merged[-1][:5] == key:
                merged[-1][5] += atom.text
            else:
                merged.append([*key, atom.text])
        elif atom.kind == "note":
            body = [a for a in notes.get(atom.ref, []) if a.kind in CONTENT]
            merged.append(["n", canonical(body, {}).strip()])
        elif atom.kind == "break":
            merged.append(["b"])
    if merged and merged[0][0] == "t":
        merged[0][5] = merged[0][5].lstrip()
    if merged and merged[-1][0] == "t":
        merged[-1][5] = merged[-1][5].rstrip()
    return json.dumps([m for m in merged if not (m[0] == "t" and not m[5])],
                      ensure_ascii=False, separators=(",", ":"))


def paragraph_keys(document: WordDocument, touched: set[int]) -> list[tuple[str, Para]]:
    """Each paragraph as alignment sees it: a field paragraph by its first field,
    a generated one by its text; empty paragraphs and field results (a TOC) left out."""
    out: list[tuple[str, Para]] = []
    firsts: dict[int, str] = {}
    for para in document.paragraphs:
        for atom in para.atoms:
            if atom.kind == "start" and FIELD_BOOKMARK.match(atom.name):
                firsts.setdefault(para.number, atom.name)
    for para in document.paragraphs:
        if para.in_field_result:
            continue
        if para.number in touched:
            out.append((f"f:{firsts.get(para.number, '')}", para))
        elif para.text.strip():
            out.append((f"g:{para.text.strip()}", para))
    return out
