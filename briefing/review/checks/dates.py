"""Dates are coherent: cut-off not after the brief's date, no source after the cut-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model import partial_date_parts


def earliest_day(value: str) -> dt.date | None:
    """The first day a partial date can mean; None when unknown."""
    parts = partial_date_parts(value)
    if not parts:
        return None
    year, month, day = (*parts, 1, 1)[:3]
    return dt.date(year, month, day)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    if brief.cutoff > brief.date:
        yield Finding(loaded.place("cutoff"), "error",
                      f"information cut-off {brief.cutoff} is after the brief's date "
                      f"{brief.date}", rule="dates")
    for i, src in enumerate(brief.sources):
        earliest = earliest_day(src.date)
        if earliest and earliest > brief.cutoff:
            yield Finding(loaded.place("sources", i, "date"), "error",
                          f"source '{src.id}' is dated {src.date}, after the information "
                          f"cut-off {brief.cutoff}", rule="dates")
        if src.accessed and earliest and src.accessed < earliest:
            yield Finding(loaded.place("sources", i, "accessed"), "error",
                          f"source '{src.id}' was accessed on {src.accessed}, before its "
                          f"date {src.date}", rule="dates")
