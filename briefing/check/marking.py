"""The marking is valid and at least as high as every portion (TRADECRAFT §5)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..load import LoadedBrief
from ..model import Marking
from ..vocab import CLASSIFICATION_SCHEMES


def scheme_levels(marking: Marking) -> list[str] | None:
    """Levels of the marking's scheme, lowest first; None for an unknown scheme name."""
    if isinstance(marking.scheme, list):
        return marking.scheme
    levels = CLASSIFICATION_SCHEMES.get(marking.scheme)
    return [name for name, _ in levels] if levels else None


def portion_mark(marking: Marking, level: str) -> str:
    """The short portion mark of a level, e.g. '(S)'; the level itself if none is known."""
    if isinstance(marking.scheme, str):
        for name, short in CLASSIFICATION_SCHEMES.get(marking.scheme, []):
            if name == level:
                return f"({short})"
    return f"({level})"


def _portions(loaded: LoadedBrief) -> Iterator[tuple[tuple, str]]:
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        if kj.classification:
            yield ("key_judgments", i, "classification"), kj.classification
        for j, ev in enumerate(kj.evidence):
            if ev.classification:
                yield ("key_judgments", i, "evidence", j, "classification"), ev.classification
    for i, alt in enumerate(brief.alternative_views):
        if alt.classification:
            yield ("alternative_views", i, "classification"), alt.classification


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    marking = loaded.brief.marking
    portions = list(_portions(loaded))
    if marking.tlp:
        for path, _ in portions:
            yield Finding(loaded.place(*path), "error", "portion classification given, but "
                          f"the brief is marked {marking.tlp}; portions need a classification "
                          "scheme", rule="marking")
        return
    levels = scheme_levels(marking)
    if levels is None:
        yield Finding(loaded.place("marking", "scheme"), "error",
                      f"unknown classification scheme '{marking.scheme}'; use "
                      f"{', '.join(CLASSIFICATION_SCHEMES)} or list the levels, lowest first",
                      rule="marking")
        return
    if marking.classification not in levels:
        yield Finding(loaded.place("marking", "classification"), "error",
                      f"'{marking.classification}' is not a level of the scheme "
                      f"({', '.join(levels)})", rule="marking")
        return
    banner = levels.index(marking.classification)
    for path, level in portions:
        if level not in levels:
            yield Finding(loaded.place(*path), "error", f"'{level}' is not a level of the "
                          f"scheme ({', '.join(levels)})", rule="marking")
        elif levels.index(level) > banner:
            yield Finding(loaded.place(*path), "error",
                          f"portion marked {level} is higher than the banner "
                          f"{marking.classification}; raise the banner", rule="marking")
