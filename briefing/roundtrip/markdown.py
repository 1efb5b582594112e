"""Turn a field's atoms back into the content's inline Markdown.

Bold and italic become `**…**` and `*…*`, external links `[text](url)`, and each
citation (a link to a reference entry, or a note for note styles) the Markdown it
was written as — with its locator re-read when the analyst changed only that.
Characters Markdown would take for markup are escaped; `[@id]` typed in Word for a
known source stays a citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefing.model.inline import parse_bracketed
from briefing.render.docx.wordml import Atom

_SPECIAL = re.compile(r"([\\`*<])")
_UNDERSCORE = re.compile(r"(?:(?<=\W)|^)_|_(?=\W|$)")
_BRACKET = re.compile(r"\[[^\[\]]*\]")


class CitationError(ValueError):
    """A citation was changed in a way that cannot be mapped back to its Markdown."""


@dataclass
class CitationSlot:
    """A citation of the original field: its Markdown and the text it showed."""

    markdown: str
    shown: str
    used: bool = False


def reread_citation(slot: CitationSlot, shown: str) -> str:
    """The Markdown for a citation now showing `shown` (only its locator may change)."""
    if shown == slot.shown:
        return slot.markdown
    items = parse_bracketed(slot.markdown[1:-1]) if slot.markdown.startswith("[") else None
    if not items or len(items) != 1:
        raise CitationError(f"citation {slot.markdown} now reads {shown!r}; only a single "
                            "citation's locator can be changed in Word")
    item = items[0]
    old, new = slot.shown, shown
    if item.locator and old.count(item.locator) == 1:
        head, tail = old.split(item.locator)
        if new.startswith(head) and new.endswith(tail) and len(new) > len(head) + len(tail):
            return _with_locator(slot.markdown, new[len(head):len(new) - len(tail)].strip())
    common = 0
    while common < min(len(old), len(new)) and old[common] == new[common]:
        common += 1
    tail = 0
    while tail < min(len(old), len(new)) - common and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    if not item.locator and common + tail == len(old):
        locator = new[common:len(new) - tail].strip().lstrip(",").strip()
        if locator:
            return _with_locator(slot.markdown, locator)
    raise CitationError(f"citation {slot.markdown} now reads {shown!r}; only its locator "
                        "can be changed in Word")


def _with_locator(markdown: str, locator: str) -> str:
    body = markdown[1:-1]
    head = body.split(",", 1)[0].strip()
    return f"[{head}, {locator}]"


def escape_text(text: str, known: set[str]) -> str:
    """Text as Markdown that reads back as exactly this text; a `[@id]` of a known
    source is kept as the citation the analyst typed."""
    out = []
    last = 0
    for match in _BRACKET.finditer(text):
        items = parse_bracketed(match.group()[1:-1]) if "@" in match.group() else None
        if items and all(item.key in known for item in items):
            out.append(_escape_plain(text[last:match.start()]))
            out.append(match.group())
            last = match.end()
    out.append(_escape_plain(text[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(lambda m: "\\" + m.group(), text)
    text = text.replace("[", "\\[").replace("]", "\\]")
    return re.sub(r"(?<![\w\\])@", r"\\@", text)


def to_markdown(atoms: list[Atom], citation: Callable[[Atom | None, str, str], str],
                known: set[str], drop_link: tuple[str, str] | None = None) -> str:
    """The inline Markdown of a field's atoms. `citation(atom, target, shown)` gives the
    Markdown of each citation; `drop_link` is a link the template put around the field."""
    pieces: list[tuple[str, bool, bool]] = []  # (markdown, bold, italic)
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if atom.kind == "note":
            pieces.append((citation(atom, "note", ""), False, False))
            index += 1
            continue
        if atom.kind == "break":
            pieces.append((" ", False, False))
            index += 1
            continue
        link = (atom.url, atom.anchor)
        if link == drop_link or link == ("", ""):
            pieces.append((escape_text(atom.text, known), atom.bold, atom.italic))
            index += 1
            continue
        group = []
        while index < len(atoms) and atoms[index].kind == "text" and (
                atoms[index].url, atoms[index].anchor) == link:
            group.append(atoms[index])
            index += 1
        shown = "".join(a.text for a in group)
        if atom.anchor:
            pieces.append((citation(group[0], atom.anchor, shown), False, False))
        else:
            inner = _emphasised([(escape_text(a.text, known), a.bold, a.italic) for a in group])
            pieces.append((f"[{inner}]({atom.url})", False, False))
    return _emphasised(pieces).strip()


def _emphasised(pieces: list[tuple[str, bool, bool]]) -> str:
    """Join pieces, opening and closing `**` and `*` where the look changes; spaces
    stay outside the markers, as Markdown requires."""
    out: list[str] = []
    merged: list[list] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    for text, bold, italic in merged:
        marker = ("**" if bold else "") + ("*" if italic else "")
        if not marker or not text.strip():
            out.append(text)
            continue
        lead = text[:len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        out.append(f"{lead}{marker}{text.strip()}{marker[::-1]}{trail}")
    return "".join(out)
