"""Every quote is found verbatim in its source's archived copy (TRADECRAFT §8)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.archive import (
    ArchivedText,
    ArchiveError,
    closest_passage,
    find_quote,
    locate_archive,
    read_archive,
)
from briefing.load.brief import LoadedBrief, display_path

_PARA = re.compile(r"^paras?\.\s*(\d+)")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
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
                              f"up to the project folder {display_path(loaded.project)})",
                              rule="quotes")
                continue
            archives[src.id] = read_archive(path)
        except ArchiveError as exc:
            yield Finding(place, "error", f"{exc} (source '{src.id}')", rule="quotes")
    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.quote is None:
                continue
            path = ("key_judgments", i, "evidence", j, "quote")
            src = brief.source(ev.source)
            if src is None:
                continue  # reported by the references rule
            archived = archives.get(src.id)
            if archived is None:
                if not src.archive:
                    yield Finding(loaded.place(*path), "warning",
                                  f"quote in evidence '{ev.id}' cannot be verified: source "
                                  f"'{src.id}' has no archived copy", rule="quotes")
                continue
            found = find_quote(ev.quote, archived)
            if found is None:
                passage, para = closest_passage(ev.quote, archived)
                yield Finding(loaded.place(*path), "error",
                              f"quote in evidence '{ev.id}' is not in the archived copy of "
                              f"'{src.id}' ({src.archive}); closest passage (para. {para}): "
                              f"\"{passage}\"", rule="quotes")
                continue
            stated = _PARA.match(ev.locator or "")
            actual = archived.paragraph_of(found)
            if stated and int(stated.group(1)) != actual:
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "locator"),
                              "warning", f"locator says para. {stated.group(1)} but the quote "
                              f"of evidence '{ev.id}' is in para. {actual} of {src.archive}",
                              rule="quotes")
