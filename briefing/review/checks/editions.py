"""Editions are coherent: this edition comes after the released ones, and the editor's
`what_changed` notes agree with the changes computed from the last release."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from briefing.core.findings import Finding, did_you_mean
from briefing.load.brief import LoadedBrief, display_path
from briefing.load.snapshots import Release, normalised, previous_release, read_releases
from briefing.model.editions import edition_number

if TYPE_CHECKING:
    from briefing.model.changes import Change

# What a note's `change` claims, and the computed kinds that bear it out.
CLAIMS = {
    "added": ("judgment added",),
    "dropped": ("judgment dropped",),
    "likelihood": ("likelihood",),
    "confidence": ("confidence",),
}
CLAIM_WORDS = {"added": "was added", "dropped": "was dropped",
               "likelihood": "changed in likelihood", "confidence": "changed in confidence"}


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    releases, findings = read_releases(loaded.root, loaded.brief.id)
    yield from findings
    yield from _order(loaded, releases)
    base = previous_release(releases, loaded.brief.edition)
    if base is not None:
        from briefing.model.changes import compare  # only when one was released

        yield from _renames(loaded, base)
        yield from _notes(loaded, base, compare(base.brief, loaded.brief))


def _order(loaded: LoadedBrief, releases: list[Release]) -> Iterator[Finding]:
    """The edition and date against the releases; an unreleased predecessor."""
    brief = loaded.brief
    number = edition_number(brief.edition)
    place = loaded.place("edition")
    if releases:
        last = releases[-1]
        if number is None:
            yield Finding(place, "warning", f"edition '{brief.edition}' is not a whole number; "
                          f"the last released edition is {last.number}, and `briefing release` "
                          "needs a number", rule="editions")
        elif number < last.number:
            yield Finding(place, "error", f"edition {number} is earlier than the last released "
                          f"edition, {last.label}; the next edition is {last.number + 1}",
                          rule="editions")
        elif number == last.number and normalised(brief) != normalised(last.brief):
            yield Finding(place, "warning", f"edition {number} was released "
                          f"({display_path(last.path)}) and the content has changed since; "
                          f"set edition to {number + 1} before releasing these changes",
                          rule="editions")
        if brief.date < last.date:
            yield Finding(loaded.place("date"), "error", f"date {brief.date} is earlier than "
                          f"the date of the last released edition, {last.label}",
                          rule="editions")
    if number is not None and number > 1 and not any(r.number < number for r in releases):
        yield Finding(place, "warning", f"edition {number} has no released predecessor (no "
                      "earlier edition was recorded with `briefing release`), so its outputs "
                      "cannot say what changed", rule="editions")


def _renames(loaded: LoadedBrief, base: Release) -> Iterator[Finding]:
    """A `previous_id` that cannot be a rename from the last release is a warning (one
    left over from an earlier rename, on a judgment the release has, is harmless)."""
    released = [kj.id for kj in base.brief.key_judgments]
    current = {kj.id for kj in loaded.brief.key_judgments}
    for i, kj in enumerate(loaded.brief.key_judgments):
        if not kj.previous_id or kj.id in released:
            continue
        place = loaded.place("key_judgments", i, "previous_id")
        if kj.previous_id not in released:
            yield Finding(place, "warning", f"previous_id '{kj.previous_id}' names no "
                          f"judgment of {base.label}{did_you_mean(kj.previous_id, released)}; "
                          f"'{kj.id}' reads as a new judgment", rule="editions")
        elif kj.previous_id in current:
            yield Finding(place, "warning", f"previous_id '{kj.previous_id}' is still the id "
                          f"of a judgment in this edition, so '{kj.id}' is not its rename",
                          rule="editions")


def _notes(loaded: LoadedBrief, base: Release, changes: list[Change]) -> Iterator[Finding]:
    """A note on an unchanged judgment, a note claiming the wrong change, and a moved
    likelihood that no note explains, are warnings."""
    renamed = {c.previous_id: c.judgment for c in changes if c.kind == "judgment renamed"}
    by_judgment: dict[str, list[Change]] = {}
    for change in changes:
        if change.judgment:
            by_judgment.setdefault(change.judgment, []).append(change)
    noted = set()
    for i, note in enumerate(loaded.brief.what_changed):
        name = renamed.get(note.judgment, note.judgment)
        noted.add(name)
        found = by_judgment.get(name, [])
        place = loaded.place("what_changed", i, "judgment")
        if not found:
            yield Finding(place, "warning", f"editor's note on judgment '{note.judgment}', "
                          f"which did not change since {base.label}", rule="editions")
        elif note.change in CLAIMS and not any(c.kind in CLAIMS[note.change] for c in found):
            did = "; ".join(c.summary for c in found)
            yield Finding(loaded.place("what_changed", i, "change"), "warning",
                          f"editor's note says judgment '{note.judgment}' "
                          f"{CLAIM_WORDS[note.change]}, but since {base.label}: {did}",
                          rule="editions")
    index = {kj.id: i for i, kj in enumerate(loaded.brief.key_judgments)}
    for change in changes:
        if change.kind == "likelihood" and change.judgment not in noted:
            place = loaded.place("key_judgments", index[change.judgment], "likelihood")
            yield Finding(place, "warning", f"{change.summary.replace('Judgment ', 'judgment ')}"
                          f" since {base.label}, and no what_changed note says why",
                          rule="editions")
