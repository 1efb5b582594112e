"""Pick the two editions `briefing diff` compares: released ones or the working copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.build.validate import validate
from briefing.core.findings import ContentError
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.load.snapshots import Release, as_loaded, read_releases
from briefing.model.changes import EditionDiff, diff_editions
from briefing.model.editions import edition_number

WORKING = "working"


class SelectError(Exception):
    """The editions asked for do not exist or cannot be compared."""


@dataclass(frozen=True)
class Pair:
    """The old and new editions, loaded, and the changes between them."""

    old: LoadedBrief
    new: LoadedBrief
    diff: EditionDiff


def pick(path: Path, since: int | None, to: str) -> Pair:
    """Edition `since` (default: the latest release before `to`) and edition `to`
    (a released number, or 'working' for the brief as it stands); raise ContentError
    for an invalid brief, SelectError for a missing edition."""
    validation = validate(path)
    if not validation.ok:
        raise ContentError(validation.findings)
    current = validation.loaded
    releases, damaged = read_releases(current.root, current.brief.id)
    if damaged:
        raise ContentError(damaged)
    by_number = {r.number: r for r in releases}
    if to == WORKING:
        new, new_number, working = current, edition_number(current.brief.edition), True
    else:
        number = _number(to, "--to")
        if number not in by_number:
            raise SelectError(_missing(number, releases, current))
        new, new_number, working = as_loaded(by_number[number], current.root), number, False
    if since is None:
        earlier = [r for r in releases if new_number is None or r.number < new_number]
        if not earlier and working:
            earlier = [r for r in releases if r.number == new_number]
        if not earlier:
            where = "the working copy" if working else f"edition {new_number}"
            raise SelectError(f"no released edition before {where} of '{current.brief.id}' "
                              "to compare with; release one with `briefing release`, or "
                              "name one with --from")
        old = earlier[-1]
    else:
        if since not in by_number:
            raise SelectError(_missing(since, releases, current))
        old = by_number[since]
    diff = diff_editions(old.brief, old.number, old.date, new.brief, working)
    return Pair(as_loaded(old, current.root), new, diff)


def _number(text: str, option: str) -> int:
    number = edition_number(text)
    if number is None:
        raise SelectError(f"{option} takes an edition number or '{WORKING}', not '{text}'")
    return number


def _missing(number: int, releases: list[Release], current: LoadedBrief) -> str:
    known = ", ".join(str(r.number) for r in releases) or "none"
    return (f"edition {number} of '{current.brief.id}' was never released (released "
            f"editions: {known}; snapshots live in "
            f"{display_path(current.root / 'editions')})")

