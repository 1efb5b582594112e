"""BR610-BR621 (the structure family): editions are coherent. This edition comes after
the released ones, and the editor's `what_changed` notes agree with the changes computed
from the last release (ICD 203 standard 7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from briefing.core.findings import Finding, did_you_mean
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.load.snapshots import Release, normalised, previous_release, read_releases
from briefing.model.editions import edition_number
from briefing.review.rule import Rule, edit, release, write

if TYPE_CHECKING:
    from briefing.model.changes import Change

STD7 = "ICD 203 (2015), standard 7: explains change to or consistency of judgments"
EDITION = "edition: 1\n"
TWO = ("edition: 1\n", "edition: 2\n")
KJ = "  - id: kj-treaty\n"
MOVED = (("text: The treaty's joint commission will likely meet",
          "text: The treaty's joint commission will very likely meet"),
         ("likelihood: likely", "likelihood: very likely"),
         ("commission will likely meet", "commission will very likely meet"))


def note(judgment: str, change: str) -> tuple[str, str]:
    """An example edit: edition 2, with an editor's note on `judgment`."""
    return EDITION, (f"edition: 2\nwhat_changed:\n  - judgment: {judgment}\n"
                     f"    change: {change}\n    text: The editor's note.\n")


RULES = (
    Rule("BR610", "edition-without-predecessor", "structure", "warning",
         "An edition after the first has no released predecessor (`briefing release`), so "
         "neither its computed 'what changed' section nor the checks of its `what_changed` "
         "notes can run.", STD7,
         bad=edit(EDITION, "edition: 2\n"), good=edit(EDITION, EDITION)),
    Rule("BR612", "edition-not-a-number", "structure", "warning",
         "Editions have been released, and this edition is not a whole number.", STD7,
         bad=(release(), (EDITION, "edition: second\n")), good=(release(), TWO)),
    Rule("BR613", "edition-before-release", "structure", "error",
         "The edition is earlier than the last released edition.", STD7,
         bad=(TWO, release(), ("edition: 2\n", EDITION)), good=(TWO, release())),
    Rule("BR614", "released-edition-changed", "structure", "warning",
         "The content changed since this edition was released; the next edition needs the "
         "next number.", STD7 + "; a released edition is frozen",
         bad=(release(), ("title: Example brief", "title: Example brief, revised")),
         good=(release(), ("title: Example brief", "title: Example brief, revised"), TWO)),
    Rule("BR615", "date-before-release", "structure", "error",
         "The brief's date is earlier than the date of the last released edition.", STD7,
         bad=(release(), TWO, ("date: 2025-07-01", "date: 2025-06-30")),
         good=(release(), TWO, ("date: 2025-07-01", "date: 2025-07-02"))),
    Rule("BR616", "previous-id-unknown", "structure", "warning",
         "A `previous_id` names no judgment of the last released edition.", STD7,
         bad=(release(), TWO, (KJ, "  - id: kj-signed\n    previous_id: kj-traety\n")),
         good=(release(), TWO, (KJ, "  - id: kj-signed\n    previous_id: kj-treaty\n"))),
    Rule("BR617", "previous-id-still-used", "structure", "warning",
         "A `previous_id` is still the id of a judgment of this edition, so it names no "
         "rename.", STD7,
         bad=(release(), TWO, (KJ, "  - id: kj-signed\n    previous_id: kj-commission\n")),
         good=(release(), TWO, (KJ, "  - id: kj-signed\n    previous_id: kj-treaty\n"))),
    Rule("BR618", "note-on-unchanged-judgment", "structure", "warning",
         "An editor's `what_changed` note is on a judgment that did not change since the "
         "last release.", STD7,
         bad=(release(), note("kj-treaty", "revised")),
         good=(release(), note("kj-commission", "likelihood"), *MOVED)),
    Rule("BR619", "note-claims-other-change", "structure", "warning",
         "An editor's note claims a change (added, dropped, likelihood, confidence) that the "
         "judgment did not make.", STD7,
         bad=(release(), note("kj-commission", "confidence"), *MOVED),
         good=(release(), note("kj-commission", "likelihood"), *MOVED)),
    Rule("BR620", "likelihood-change-unexplained", "structure", "warning",
         "A judgment's likelihood moved since the last release and no `what_changed` note "
         "says why.", STD7,
         bad=(release(), TWO, *MOVED),
         good=(release(), note("kj-commission", "likelihood"), *MOVED)),
    Rule("BR621", "snapshot-unreadable", "structure", "error",
         "A released snapshot (editions/N.yaml) cannot be read, was edited after its "
         "release, is of another brief or is misnamed.", STD7 + "; a released edition is "
         "frozen", bad=(release(), write("editions/2.yaml", "brief: {}\n")),
         good=(release(),)),
)

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
                          "needs a number", rule="BR612")
        elif number < last.number:
            yield Finding(place, "error", f"edition {number} is earlier than the last released "
                          f"edition, {last.label}; the next edition is {last.number + 1}",
                          rule="BR613")
        elif number == last.number and normalised(brief) != normalised(last.brief):
            yield Finding(place, "warning", f"edition {number} was released "
                          f"({display_path(last.path)}) and the content has changed since; "
                          f"set edition to {number + 1} before releasing these changes",
                          rule="BR614")
        if brief.date < last.date:
            yield Finding(loaded.place("date"), "error", f"date {brief.date} is earlier than "
                          f"the date of the last released edition, {last.label}",
                          rule="BR615")
    if number is not None and number > 1 and not any(r.number < number for r in releases):
        yield Finding(place, "warning", f"edition {number} has no released predecessor (no "
                      "earlier edition was recorded with `briefing release`), so its outputs "
                      "cannot say what changed; release the previous edition with `briefing "
                      "release`, or number this one 1", rule="BR610")


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
                          f"'{kj.id}' reads as a new judgment", rule="BR616")
        elif kj.previous_id in current:
            yield Finding(place, "warning", f"previous_id '{kj.previous_id}' is still the id "
                          f"of a judgment in this edition, so '{kj.id}' is not its rename",
                          rule="BR617")


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
                          f"which did not change since {base.label}", rule="BR618")
        elif note.change in CLAIMS and not any(c.kind in CLAIMS[note.change] for c in found):
            did = "; ".join(c.summary for c in found)
            yield Finding(loaded.place("what_changed", i, "change"), "warning",
                          f"editor's note says judgment '{note.judgment}' "
                          f"{CLAIM_WORDS[note.change]}, but since {base.label}: {did}",
                          rule="BR619")
    index = {kj.id: i for i, kj in enumerate(loaded.brief.key_judgments)}
    for change in changes:
        if change.kind == "likelihood" and change.judgment not in noted:
            place = loaded.place("key_judgments", index[change.judgment], "likelihood")
            yield Finding(place, "warning", f"{change.summary.replace('Judgment ', 'judgment ')}"
                          f" since {base.label}, and no what_changed note says why",
                          rule="BR620")
