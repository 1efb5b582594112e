"""Unique ids, and every reference (source, judgment, citation) resolves."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.core.findings import Finding, did_you_mean
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model.inline import cited_items, split_locator

from .prose import place_of, prose_fields


def identified(loaded: LoadedBrief) -> Iterator[tuple[str, str, DataPath]]:
    """(id, kind, path) of everything in the brief that carries an id."""
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        yield kj.id, "key judgment", ("key_judgments", i, "id")
        for j, ev in enumerate(kj.evidence):
            yield ev.id, "evidence", ("key_judgments", i, "evidence", j, "id")
    for i, alt in enumerate(brief.alternative_views):
        yield alt.id, "alternative view", ("alternative_views", i, "id")
    for i, ind in enumerate(brief.indicators):
        yield ind.id, "indicator", ("indicators", i, "id")
    for i, src in enumerate(brief.sources):
        yield src.id, "source", ("sources", i, "id")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    seen: dict[str, DataPath] = {}
    for ident, kind, path in identified(loaded):
        if ident in seen:
            first = loaded.place(*seen[ident])
            yield Finding(loaded.place(*path), "error",
                          f"duplicate id '{ident}' ({kind}); first used at {first}",
                          rule="unique-ids")
        else:
            seen[ident] = path

    source_ids = [s.id for s in brief.sources]
    targets = [kj.id for kj in brief.key_judgments] + [a.id for a in brief.alternative_views]
    judgment_ids = [kj.id for kj in brief.key_judgments]

    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.source not in source_ids:
                yield _dangling(loaded, ("key_judgments", i, "evidence", j, "source"),
                                ev.source, "source", source_ids)
    for i, src in enumerate(brief.sources):
        if src.via and src.via not in source_ids:
            yield _dangling(loaded, ("sources", i, "via"), src.via, "source", source_ids)
    yield from _via_cycles(loaded)
    for i, ind in enumerate(brief.indicators):
        for k, target in enumerate(ind.supports):
            if target not in targets:
                yield _dangling(loaded, ("indicators", i, "supports", k), target,
                                "key judgment or alternative view", targets)
    for i, change in enumerate(brief.what_changed):
        if change.judgment not in judgment_ids and change.change != "dropped":
            yield _dangling(loaded, ("what_changed", i, "judgment"), change.judgment,
                            "key judgment", judgment_ids)
    for path, text in prose_fields(loaded):
        for item in cited_items(text):
            if item.key not in source_ids:
                place = place_of(loaded, path, "@" + item.key)
                yield Finding(place, "error", f"citation '@{item.key}' names no source"
                              f"{did_you_mean(item.key, source_ids)}", rule="references")
            if item.locator and not split_locator(item.locator)[0]:
                yield _unlabelled(place_of(loaded, path, "@" + item.key), item.locator)
    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.locator and not split_locator(ev.locator)[0]:
                yield _unlabelled(loaded.place("key_judgments", i, "evidence", j, "locator"),
                                  ev.locator)


def _unlabelled(place, locator: str) -> Finding:
    return Finding(place, "warning", f"locator '{locator}' has no label a citation style can "
                   "express (p., para., sec., ch., fig., line, n.); it is left out of the "
                   "citation", rule="references")


def _dangling(loaded: LoadedBrief, path: DataPath, name: str, kind: str,
              choices: list[str]) -> Finding:
    return Finding(loaded.place(*path), "error",
                   f"'{name}' names no {kind}{did_you_mean(name, choices)}",
                   rule="references")


def _via_cycles(loaded: LoadedBrief) -> Iterator[Finding]:
    """A source known through itself, directly or by a chain of `via`, is an error
    (reported once per cycle, at the `via` of its first source)."""
    via = {s.id: s.via for s in loaded.brief.sources if s.via}
    index = {s.id: i for i, s in enumerate(loaded.brief.sources)}
    reported: set[str] = set()
    for start in via:
        chain, current = [start], via[start]
        while current in via and current not in chain:
            chain.append(current)
            current = via[current]
        if current == start and not reported.intersection(chain):
            reported.update(chain)
            path = " → ".join([*chain, start])
            yield Finding(loaded.place("sources", index[start], "via"), "error",
                          f"source '{start}' is known through itself ({path}); 'via' "
                          "names the source through which this one is known", rule="references")
