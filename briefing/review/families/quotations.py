"""BR5xx quotations: verbatim, from the archived copy of the source credited."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.archive import (
    ArchivedText,
    ArchiveError,
    closest_passage,
    find_archive,
    locate_archive,
    read_archive,
)
from briefing.load.brief import LoadedBrief, display_path
from briefing.load.quoting import find_quote, paragraphs_joined, quote_spans
from briefing.review.rule import Rule, edit

HOUSE = "house style: a quotation is verbatim from its archived copy (TRADECRAFT §8)"
QUOTE = "quote: the governments of Northland and Southland signed a treaty"
WIRE_ARCHIVE = "    archive: wire.txt\n"
WIRE_QUOTE = "quote: Northland and Southland signed a treaty on sharing the river"

RULES = (
    Rule("BR501", "quote-not-found", "quotations", "error",
         "A quotation is not in the archived copy of its source; the message shows the "
         "closest passage.", HOUSE,
         bad=edit(QUOTE, QUOTE.replace("signed", "agreed")), good=edit(QUOTE, QUOTE)),
    Rule("BR502", "archive-missing", "quotations", "error",
         "A source names an archived copy that is not on disk.", HOUSE,
         bad=edit(WIRE_ARCHIVE, "    archive: wires.txt\n"),
         good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR503", "quote-unverifiable", "quotations", "warning",
         "A quotation's source has no archived copy, so it cannot be checked.", HOUSE,
         bad=edit(WIRE_ARCHIVE, ""), good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR504", "locator-mismatch", "quotations", "warning",
         "The locator gives another paragraph than the one holding the quotation.", HOUSE,
         bad=edit("locator: para. 2\n        " + QUOTE, "locator: para. 3\n        " + QUOTE),
         good=edit("locator: para. 2\n        " + QUOTE, "locator: para. 2\n        " + QUOTE)),
    Rule("BR507", "archive-refused", "quotations", "error",
         "An archived copy is outside the project, binary, too large or unreadable.",
         HOUSE + "; a brief reads only files inside its project",
         bad=edit(WIRE_ARCHIVE, "    archive: /etc/hostname\n"),
         good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR505", "quote-joins-paragraphs", "quotations", "error",
         "A quotation with an ellipsis joins words from different paragraphs of the source.",
         HOUSE + "; an ellipsis stands for words omitted within one passage",
         bad=edit(QUOTE, QUOTE + " … a joint commission of 12 engineers"),
         good=edit(QUOTE, QUOTE + " … to share the river's water")),
    Rule("BR506", "quote-in-other-source", "quotations", "error",
         "A quotation is not in its own source's archived copy but is in another's: the "
         "evidence credits the wrong source.", HOUSE,
         bad=edit(WIRE_QUOTE, QUOTE), good=edit(WIRE_QUOTE, WIRE_QUOTE),
         supersedes=("BR501",)),
)


def _archives(loaded: LoadedBrief) -> dict[str, tuple[str, ArchivedText]]:
    """Source id -> (archive name, archived text), for every archive on disk."""
    found = {}
    for src in loaded.brief.sources:
        path = find_archive(loaded.root, src.archive) if src.archive else None
        if path is not None:
            found[src.id] = (src.archive, read_archive(path))
    return found


_PARA = re.compile(r"^paras?\.\s*(\d+)")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _verbatim(loaded)
    yield from _one_passage(loaded)


def _verbatim(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR501-BR504, BR507: each quotation is in its source's archived copy, which can be
    read, at the paragraph its locator gives."""
    brief = loaded.brief
    archives: dict[str, ArchivedText | None] = {}
    for i, src in enumerate(brief.sources):
        if not src.archive:
            continue
        place = loaded.place("sources", i, "archive")
        try:
            path = locate_archive(loaded.root, src.archive, loaded.project)
            if path is None:
                yield Finding(place, "error", f"archived copy '{src.archive}' of source "
                              f"'{src.id}' not found (looked from {display_path(loaded.root)} "
                              f"up to the project folder {display_path(loaded.project)}); "
                              "correct the path or add the archived copy", rule="BR502")
                continue
            archives[src.id] = read_archive(path)
        except ArchiveError as exc:
            yield Finding(place, "error", f"{exc} (source '{src.id}')", rule="BR507")
    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            src = brief.source(ev.source)
            if ev.quote is None or src is None:  # a dangling source is BR603
                continue
            path = ("key_judgments", i, "evidence", j, "quote")
            archived = archives.get(src.id)
            if archived is None:
                if not src.archive:
                    yield Finding(loaded.place(*path), "warning",
                                  f"quote in evidence '{ev.id}' cannot be verified: source "
                                  f"'{src.id}' has no archived copy; add an archived copy of "
                                  "the source ('archive:')", rule="BR503")
                continue
            found = find_quote(ev.quote, archived)
            if found is None:
                passage, para = closest_passage(ev.quote, archived)
                yield Finding(loaded.place(*path), "error",
                              f"quote in evidence '{ev.id}' is not in the archived copy of "
                              f"'{src.id}' ({src.archive}); closest passage (para. {para}): "
                              f"\"{passage}\"; quote the archived text verbatim", rule="BR501")
                continue
            stated = _PARA.match(ev.locator or "")
            actual = archived.paragraph_of(found)
            if stated and int(stated.group(1)) != actual:
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "locator"),
                              "warning", f"locator says para. {stated.group(1)} but the quote "
                              f"of evidence '{ev.id}' is in para. {actual} of {src.archive}; "
                              "correct the locator", rule="BR504")


def _one_passage(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR505, BR506: an ellipsis stays in one paragraph; the quotation is of the source
    credited."""
    archives = _archives(loaded)
    for i, kj in enumerate(loaded.brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.quote is None or ev.source not in archives:
                continue
            place = loaded.place("key_judgments", i, "evidence", j, "quote")
            name, archived = archives[ev.source]
            spans = quote_spans(ev.quote, archived)
            if spans is None:
                yield from _elsewhere(place, ev.id, ev.source, ev.quote, archives)
                continue
            joined = paragraphs_joined(spans, archived)
            if len(joined) > 1:
                paras = ", ".join(map(str, joined[:-1])) + f" and {joined[-1]}"
                yield Finding(place, "error", f"quote in evidence '{ev.id}' joins paragraphs "
                              f"{paras} of {name} with an ellipsis; a quotation with '…' must "
                              "come from one paragraph: quote each passage as its own "
                              "evidence", rule="BR505")


def _elsewhere(place, ev_id: str, source: str, quote: str,
               archives: dict[str, tuple[str, ArchivedText]]) -> Iterator[Finding]:
    for other, (name, archived) in archives.items():
        found = find_quote(quote, archived) if other != source else None
        if found is not None:
            yield Finding(place, "error", f"quote in evidence '{ev_id}' is not in the archived "
                          f"copy of '{source}' but is in that of '{other}' ({name}, para. "
                          f"{archived.paragraph_of(found)}); credit source '{other}' or "
                          "correct the quotation", rule="BR506")
            return
