"""An edition's number and the date it is labelled with, as every output prints them."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date) -> str:
    """'23 November 2026', as the policy-brief layout prints dates."""
    return f"{day.day} {day:%B %Y}"


def edition_number(edition: str) -> int | None:
    """The whole number an edition is ('2' → 2), or None for a label such as 'draft'."""
    text = edition.strip()
    return int(text) if text.isdigit() else None
