"""Emphasis the returned DOCX did not show, kept through an analyst's edit.

A field's Markdown may hold `**…**` or `*…*` that its DOCX drew no differently from
the text around it (a DOCX built before strong was drawn in the regular weight in a
bold style, say). The analyst cannot have removed what they could not see: when the
words of such a span and the text on either side of it come back unchanged, the span
keeps its markup; when the edit touched those words, whether the markup still applies
cannot be told, and the import says so at the field instead of guessing.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from briefing.model.inline import parse_inline
from briefing.render.docx.wordml import NOTE_MARK, Atom, plain

MARKS = {"strong": ("**", 0), "emph": ("*", 1)}  # markup, index in (bold, italic)


@dataclass(frozen=True)
class Span:
    """A stretch of a field's plain text that its Markdown marks up."""

    start: int
    end: int
    mark: str  # "strong" or "emph"
    text: str

    @property
    def markup(self) -> str:
        return f"{MARKS[self.mark][0]}{self.text}{MARKS[self.mark][0]}"


def markup_spans(markdown: str) -> tuple[str, list[Span]]:
    """The plain text of inline Markdown (a citation as written) and its strong and
    emphasis spans."""
    text = ""
    opened: dict[str, list[int]] = {"strong": [], "em": []}
    spans: list[Span] = []
    for token in parse_inline(markdown):
        kind, _, edge = token.type.rpartition("_")
        if kind in opened and edge == "open":
            opened[kind].append(len(text))
        elif kind in opened and edge == "close" and opened[kind]:
            start = opened[kind].pop()
            if len(text) > start:
                spans.append(Span(start, len(text), "strong" if kind == "strong" else "emph",
                                  text[start:]))
        elif token.type in ("text", "code_inline"):
            text += token.content
        elif token.type == "citation":
            text += token.meta.get("source", "")
        elif token.type in ("softbreak", "hardbreak"):
            text += " "
    return text, spans


def shown_looks(shown: str) -> tuple[str, list[tuple[bool, bool]]]:
    """The text a field showed at build time (its manifest's canonical form), with the
    (bold, italic) emphasis of each character."""
    text, looks = "", []
    for item in json.loads(shown or "[]"):
        if item[0] == "t":
            text += item[5]
            looks += [(item[1], item[2])] * len(item[5])
        else:
            text += NOTE_MARK if item[0] == "n" else "\n"
            looks.append((False, False))
    return text, looks


def _mapping(old: str, new: str) -> dict[int, int]:
    """Each position of `old` that an unchanged stretch of `new` holds, mapped."""
    out: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for offset in range(size):
            out[a + offset] = b + offset
    return out


def _unseen(span: Span, plain_text: str, shown: str) -> bool:
    """The build drew none of the span's words with the span's emphasis."""
    text, looks = shown_looks(shown)
    index = MARKS[span.mark][1]
    mapped = _mapping(plain_text, text)
    seen = [looks[mapped[i]][index] for i in range(span.start, span.end)
            if i in mapped and not plain_text[i].isspace()]
    return bool(seen) and not any(seen)


def _untouched(span: Span, old: str, new: str) -> tuple[int, int] | None:
    """Where the span's words stand in `new` when they and a character on either side
    of them came back unchanged, else None."""
    mapped = _mapping(old, new)
    low, high = max(span.start - 1, 0), min(span.end + 1, len(old))
    if any(i not in mapped for i in range(low, high)):
        return None
    if any(mapped[i + 1] != mapped[i] + 1 for i in range(low, high - 1)):
        return None
    return mapped[span.start], mapped[span.end - 1] + 1


def _emphasise(atoms: list[Atom], start: int, end: int, mark: str) -> list[Atom]:
    """`atoms` with the characters from `start` to `end` of their text given `mark`."""
    out: list[Atom] = []
    position = 0
    for atom in atoms:
        width = len(plain(atom))
        low, high = max(start - position, 0), min(end - position, width)
        position += width
        if atom.kind != "text" or low >= high:
            out.append(atom)
            continue
        for piece, inside in ((atom.text[:low], False), (atom.text[low:high], True),
                              (atom.text[high:], False)):
            if not piece:
                continue
            bold = atom.bold or (inside and mark == "strong")
            italic = atom.italic or (inside and mark == "emph")
            out.append(Atom("text", piece, bold, italic, atom.url, atom.anchor))
    return out


def keep_unseen(markdown: str, shown: str, atoms: list[Atom]) -> tuple[list[Atom], list[Span]]:
    """`atoms` with the emphasis the build did not show put back where its words came
    back unchanged, and the spans whose words an edit touched (ambiguous)."""
    old, spans = markup_spans(markdown)
    new = "".join(plain(a) for a in atoms)
    ambiguous: list[Span] = []
    for span in spans:
        if not _unseen(span, old, shown):
            continue
        place = _untouched(span, old, new)
        if place is None:
            ambiguous.append(span)
        else:
            atoms = _emphasise(atoms, *place, span.mark)
    return atoms, ambiguous
