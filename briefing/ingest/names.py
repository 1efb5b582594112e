"""A name as a file gives it, as the content model's `Name`: an organisation whole
(`literal`), a person split into family and given names."""

from __future__ import annotations

import re

_ORGANISATION = re.compile(
    r"\b(?:ministry|department|office|agency|institute|institution|university|college|"
    r"school|centre|center|council|committee|commission|foundation|association|society|"
    r"group|bank|fund|corporation|company|inc|ltd|llc|gmbh|plc|press|news|times|post|"
    r"journal|review|service|services|government|parliament|congress|senate|embassy|"
    r"organi[sz]ation|programme|program|project|network|forum|union|board|bureau|"
    r"authority|court|staff|team|desk|editors?|reuters|agence|tass|kcna|bbc|cnn)\b", re.I)
_ACRONYM = re.compile(r"^[A-Z0-9&.\-]{2,}$")


def split_names(text: str) -> list[str]:
    """The names in an author field: separated by ';', ' and ', ' & ' or, between
    full names, ','."""
    parts = [p.strip() for p in re.split(r";|\s+(?:and|&)\s+", text) if p.strip()]
    out = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 2 or (len(pieces) == 2 and all(" " in p for p in pieces)):
            out.extend(pieces)  # "Jane Doe, John Roe"
        else:
            out.append(part)  # "Doe, Jane" is one person
    return out


def name_entry(name: str) -> dict[str, str]:
    """{'literal': …} for an organisation, {'family': …, 'given': …} for a person."""
    name = " ".join(name.split()).strip(" ,;")
    if "," in name:
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
        if family and given and not _ORGANISATION.search(name):
            return {"family": family, "given": given}
    words = name.split()
    if (_ORGANISATION.search(name) or len(words) == 1 and _ACRONYM.match(name)
            or len(words) > 4 or len(words) < 2 or any(c.isdigit() for c in name)):
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}
