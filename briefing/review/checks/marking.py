"""Markings (TRADECRAFT §5): a valid banner at least as high as every portion and
carrying every control a portion uses; with `portion_marks`, every portion marked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefing.core.findings import Finding, did_you_mean
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model import Marking, marks
from briefing.model.vocab import CLASSIFICATION_SCHEMES


@dataclass(frozen=True)
class Portion:
    """One portion of a brief: what a message calls it, where it is, its marking."""

    name: str
    path: DataPath
    classification: str | None
    controls: tuple[str, ...]


def scheme_levels(marking: Marking) -> list[str] | None:
    """Levels of the marking's scheme, lowest first; None for an unknown scheme name."""
    if isinstance(marking.scheme, list):
        return marking.scheme
    levels = CLASSIFICATION_SCHEMES.get(marking.scheme)
    return [name for name, _ in levels] if levels else None


def portion_mark(marking: Marking, level: str, controls: tuple[str, ...] = ()) -> str:
    """The portion mark of a level and its controls, e.g. '(S//NF)'."""
    return marks.portion(marking.scheme, level, controls)


def _paragraph_paths(loaded: LoadedBrief, field: str, count: int) -> list[DataPath]:
    """Data paths of a BLUF or outlook paragraph: one string, or items of a list."""
    raw = loaded.located.data.get(field) if isinstance(loaded.located.data, dict) else None
    if not isinstance(raw, list):
        return [(field,)] * count
    return [(field, i) for i in range(count)]


def portions(loaded: LoadedBrief) -> Iterator[Portion]:
    """Every portion of the brief in reading order, named as a message names it."""
    brief = loaded.brief

    def make(name: str, path: DataPath, item: object) -> Portion:
        return Portion(name, path, getattr(item, "classification", None),
                       tuple(getattr(item, "controls", ())))

    for number, (path, para) in enumerate(zip(
            _paragraph_paths(loaded, "bluf", len(brief.bluf)), brief.bluf, strict=True), 1):
        yield make(f"BLUF paragraph {number}", path, para)
    for i, kj in enumerate(brief.key_judgments):
        yield make(f"key judgment '{kj.id}'", ("key_judgments", i), kj)
        for j, ev in enumerate(kj.evidence):
            yield make(f"evidence '{ev.id}'", ("key_judgments", i, "evidence", j), ev)
    for i, alt in enumerate(brief.alternative_views):
        yield make(f"alternative view '{alt.id}'", ("alternative_views", i), alt)
    for number, (path, para) in enumerate(zip(
            _paragraph_paths(loaded, "outlook", len(brief.outlook)), brief.outlook,
            strict=True), 1):
        yield make(f"outlook paragraph {number}", path, para)
    for i, ind in enumerate(brief.indicators):
        yield make(f"indicator '{ind.id}'", ("indicators", i), ind)
    for i, source in enumerate(brief.sources):
        yield make(f"source '{source.id}'", ("sources", i), source)


def _at(portion: Portion, field: str) -> DataPath:
    """The path of a portion's field (a plain paragraph falls back to itself)."""
    return (*portion.path, field)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    marking = loaded.brief.marking
    found = list(portions(loaded))

    def error(path: DataPath, message: str) -> Finding:
        return Finding(loaded.place(*path), "error", message, rule="marking")

    if marking.tlp:
        if marking.controls:
            yield error(("marking", "controls"), f"controls are given, but the brief is "
                        f"marked {marking.tlp}; TLP 2.0 has no caveats (use "
                        "TLP:AMBER+STRICT to keep it within the organisation)")
        for portion in found:
            if portion.classification or portion.controls:
                yield error(_at(portion, "classification" if portion.classification
                                else "controls"),
                            f"{portion.name} has a portion classification, but the brief is "
                            f"marked {marking.tlp}; portions need a classification scheme")
        return
    levels = scheme_levels(marking)
    if levels is None:
        yield error(("marking", "scheme"),
                    f"unknown classification scheme '{marking.scheme}'; use "
                    f"{', '.join(CLASSIFICATION_SCHEMES)} or list the levels, lowest first")
        return
    if marking.classification not in levels:
        yield error(("marking", "classification"),
                    f"'{marking.classification}' is not a level of the scheme "
                    f"({', '.join(levels)}){did_you_mean(marking.classification, levels)}")
        return
    yield from _controls_known(loaded, marking, ("marking",), "the banner", marking.controls)
    for portion in found:
        yield from _portion_findings(loaded, marking, levels, portion)


def _controls_known(loaded: LoadedBrief, marking: Marking, path: DataPath, name: str,
                    controls: list[str] | tuple[str, ...]) -> Iterator[Finding]:
    """Each control is one the scheme knows; no two exclude each other."""
    for k, control in enumerate(controls):
        if marks.parse_control(marking.scheme, control) is None:
            known = marks.control_names(marking.scheme)
            hint = did_you_mean(control.upper(), known)
            if k and "REL TO" in controls[k - 1].upper() and len(control) == 3:
                hint = f"; quote a release list as one item: \"{controls[k - 1]}, {control}\""
            yield Finding(loaded.place(*path, "controls", k), "error",
                          f"{name}: '{control}' is not a control of the {marking.scheme} "
                          f"scheme ({', '.join(known)}){hint}", rule="marking")
    clash = marks.conflicts(marking.scheme, controls)
    if clash:
        yield Finding(loaded.place(*path, "controls"), "error", f"{name}: {clash}",
                      rule="marking")


def _portion_findings(loaded: LoadedBrief, marking: Marking, levels: list[str],
                      portion: Portion) -> Iterator[Finding]:
    def error(field: str, message: str) -> Finding:
        return Finding(loaded.place(*_at(portion, field)), "error", message, rule="marking")

    level = portion.classification
    if level is None:
        if portion.controls:
            yield error("controls", f"{portion.name} has controls but no classification")
        elif marking.portion_marks:
            yield error("classification", f"{portion.name} has no classification; with "
                        "portion_marks: true every portion needs one")
        return
    if level not in levels:
        yield error("classification", f"{portion.name}: '{level}' is not a level of the "
                    f"scheme ({', '.join(levels)}){did_you_mean(level, levels)}")
        return
    if levels.index(level) > levels.index(marking.classification):
        yield error("classification",
                    f"{portion.name} is marked {level}, higher than the banner "
                    f"{marking.classification}; raise the banner to {level}")
    yield from _controls_known(loaded, marking, portion.path, portion.name,
                               portion.controls)
    for k, control in enumerate(portion.controls):
        known = marks.parse_control(marking.scheme, control)
        if known and not marks.covers(marking.scheme, marking.controls, control):
            wanted = marks.banner(marking.scheme, marking.classification, marks.with_control(
                marking.scheme, marking.controls, control))
            gap = ("releases more widely" if any(
                (marks.parse_control(marking.scheme, c) or known).kind == known.kind
                for c in marking.controls) and known.countries else "lacks")
            yield Finding(loaded.place(*_at(portion, "controls"), k), "error",
                          f"{portion.name} carries {known.name}, which the banner "
                          f"{marking.label} {gap}; the banner needs it: {wanted}",
                          rule="marking")


__all__ = ["check", "portion_mark", "portions", "scheme_levels"]
