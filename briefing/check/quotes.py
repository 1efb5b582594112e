"""Every quote is found verbatim in its source's archived copy (TRADECRAFT §8)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..archive import closest_passage, find_archive, find_quote, read_archive
from ..findings import Finding
from ..load import LoadedBrief

_PARA = re.compile(r"^paras?\.\s*(\d+)")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    for i, src in enumerate(brief.sources):
        if src.archive and find_archive(loaded.root, src.archive) is None:
            yield Finding(loaded.place("sources", i, "archive"), "error",
                          f"archived copy '{src.archive}' of source '{src.id}' not found "
                          f"(looked from {loaded.root} upwards)", rule="quotes")
    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.quote is None:
                continue
            path = ("key_judgments", i, "evidence", j, "quote")
            src = brief.source(ev.source)
            if src is None:
                continue  # reported by the references rule
            archive = find_archive(loaded.root, src.archive) if src.archive else None
            if archive is None:
                if not src.archive:
                    yield Finding(loaded.place(*path), "warning",
                                  f"quote in evidence '{ev.id}' cannot be verified: source "
                                  f"'{src.id}' has no archived copy", rule="quotes")
                continue
            archived = read_archive(archive)
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
