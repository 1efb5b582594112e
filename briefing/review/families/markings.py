"""BR7xx markings (TLP 2.0, classification schemes; TRADECRAFT §5): a valid banner at
least as high as every portion and carrying every control a portion uses; with
`portion_marks`, every portion marked. (Characters, also BR7xx, are characters.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefing.core.findings import Finding, did_you_mean
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model import Marking, marks
from briefing.model.vocab import CLASSIFICATION_SCHEMES
from briefing.review.rule import Rule, edit

SCHEMES = "classification schemes (TRADECRAFT §5): the banner is at least every portion"
TLP = "marking: TLP:CLEAR"
KJ = "    confidence: high\n"

RULES = (
    Rule("BR701", "portion-under-tlp", "markings", "error",
         "A portion carries a classification, but the brief is marked with TLP.",
         "TLP 2.0 (FIRST, 2022) has no portion marks; " + SCHEMES,
         bad=edit(KJ, KJ + "    classification: SECRET\n"),
         good=((KJ, KJ + "    classification: SECRET\n"), (TLP, "marking: SECRET"))),
    Rule("BR702", "unknown-scheme", "markings", "error",
         "The marking names a classification scheme that is not known.", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, scheme: nato}"),
         good=edit(TLP, "marking: {classification: SECRET, scheme: uk}")),
    Rule("BR703", "unknown-level", "markings", "error",
         "A classification is not a level of the brief's scheme.", SCHEMES,
         bad=edit(TLP, "marking: RESTRICTED"), good=edit(TLP, "marking: CONFIDENTIAL")),
    Rule("BR704", "portion-above-banner", "markings", "error",
         "A portion is marked higher than the banner.", SCHEMES,
         bad=((TLP, "marking: CONFIDENTIAL"), (KJ, KJ + "    classification: SECRET\n")),
         good=((TLP, "marking: SECRET"), (KJ, KJ + "    classification: SECRET\n"))),
    Rule("BR706", "controls-under-tlp", "markings", "error",
         "Dissemination controls are given, but the brief is marked with TLP.",
         "TLP 2.0 (FIRST, 2022) has no caveats; " + SCHEMES,
         bad=edit(TLP, "marking: {tlp: TLP:CLEAR, controls: [NOFORN]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN]}")),
    Rule("BR707", "unknown-control", "markings", "error",
         "A dissemination control is not one the scheme knows.", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, controls: [NOFRN]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN]}")),
    Rule("BR708", "controls-conflict", "markings", "error",
         "Two controls exclude each other (e.g. NOFORN and REL TO).", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN, REL TO USA]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [REL TO USA]}")),
    Rule("BR709", "portion-unmarked", "markings", "error",
         "With `portion_marks: true`, a portion has no classification (or has controls "
         "without one).", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, portion_marks: true}"),
         good=edit(TLP, "marking: {classification: SECRET}")),
    Rule("BR710", "banner-lacks-control", "markings", "error",
         "A portion carries a control the banner lacks.", SCHEMES,
         bad=((TLP, "marking: SECRET"),
              (KJ, KJ + "    classification: SECRET\n    controls: [NOFORN]\n")),
         good=((TLP, "marking: {classification: SECRET, controls: [NOFORN]}"),
               (KJ, KJ + "    classification: SECRET\n    controls: [NOFORN]\n"))),
)


@dataclass(frozen=True)
class Portion:
    """One portion of a brief: what a message calls it, where it is, its marking."""

    name: str
    path: DataPath
    classification: str | None
    controls: tuple[str, ...]


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

    def error(path: DataPath, message: str, code: str) -> Finding:
        return Finding(loaded.place(*path), "error", message, rule=code)

    if marking.tlp:
        if marking.controls:
            yield error(("marking", "controls"), f"controls are given, but the brief is "
                        f"marked {marking.tlp}; TLP 2.0 has no caveats (use "
                        "TLP:AMBER+STRICT to keep it within the organisation)", "BR706")
        for portion in found:
            if portion.classification or portion.controls:
                yield error(_at(portion, "classification" if portion.classification
                                else "controls"),
                            f"{portion.name} has a portion classification, but the brief is "
                            f"marked {marking.tlp}; portions need a classification scheme", "BR701")
        return
    levels = marks.scheme_levels(marking.scheme)
    if levels is None:
        yield error(("marking", "scheme"),
                    f"unknown classification scheme '{marking.scheme}'; use "
                    f"{', '.join(CLASSIFICATION_SCHEMES)} or list the levels, lowest first",
                    "BR702")
        return
    if marking.classification not in levels:
        yield error(("marking", "classification"),
                    f"'{marking.classification}' is not a level of the scheme "
                    f"({', '.join(levels)}){_hint(marking.classification, levels)}", "BR703")
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
                          f"scheme ({', '.join(known)}){hint}", rule="BR707")
    clash = marks.conflicts(marking.scheme, controls)
    if clash:
        yield Finding(loaded.place(*path, "controls"), "error",
                      f"{name}: {clash}; keep one of them", rule="BR708")


def _portion_findings(loaded: LoadedBrief, marking: Marking, levels: list[str],
                      portion: Portion) -> Iterator[Finding]:
    def error(field: str, message: str, code: str) -> Finding:
        return Finding(loaded.place(*_at(portion, field)), "error", message, rule=code)

    level = portion.classification
    if level is None:
        if portion.controls:
            yield error("controls", f"{portion.name} has controls but no classification",
                        "BR709")
        elif marking.portion_marks:
            yield error("classification", f"{portion.name} has no classification; with "
                        "portion_marks: true every portion needs one", "BR709")
        return
    if level not in levels:
        yield error("classification", f"{portion.name}: '{level}' is not a level of the "
                    f"scheme ({', '.join(levels)}){_hint(level, levels)}", "BR703")
        return
    if levels.index(level) > levels.index(marking.classification):
        yield error("classification",
                    f"{portion.name} is marked {level}, higher than the banner "
                    f"{marking.classification}; raise the banner to {level}", "BR704")
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
                          rule="BR710")



def _hint(level: str, levels: list[str]) -> str:
    """"did you mean" a near level, else what to do."""
    return did_you_mean(level, levels) or "; use one of its levels"

