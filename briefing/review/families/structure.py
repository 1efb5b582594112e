"""BR6xx structure: ids, references, and the parts ICD 203 asks every brief to have."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding, did_you_mean
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model.inline import cited_items, split_locator
from briefing.model.vocab import LIKELIHOOD_BANDS
from briefing.review.prose import place_of, prose_fields
from briefing.review.rule import Rule, edit
from briefing.review.text import plain
from briefing.review.words import content_words

SUPPORTS = "supports: [kj-commission, alt-stalls]"
ICD6 = "ICD 203 (2015), standard 6: clear and logical argumentation"
EVIDENCE = """    evidence:
      - id: ev-meeting-planned
        kind: reporting
        text: Officials plan the first meeting of the commission for June 2025.
        source: ministry
        locator: para. 4
        quote: the first meeting is planned for June 2025
        credibility: 2
"""

RIGHT_IF = ("    would_be_right_if: Either government disputes groundwater use before the "
            "first meeting.\n")
SUPPORTS_BOTH = "    supports: [kj-commission, alt-stalls]\n"
KINDS = ("kind: reporting\n        text: The two governments",
         "kind: reporting\n        text: A wire")
VIA = "    container: Example Wire\n"
ALT_LIKELY = ("    text: The commission stalls because the treaty leaves groundwater out.\n",
              "    text: The commission will likely stall because the treaty leaves "
              "groundwater out.\n    likelihood: likely\n")

RULES = (
    Rule("BR601", "judgment-without-evidence", "structure", "error",
         "A key judgment lists no evidence.", ICD6,
         bad=edit(EVIDENCE, ""), good=edit(EVIDENCE, EVIDENCE)),
    Rule("BR602", "duplicate-id", "structure", "error",
         "Two items share an id.", "house style: every id is unique in a brief",
         bad=edit("id: ev-wire", "id: ev-signing"), good=edit("id: ev-wire", "id: ev-wire")),
    Rule("BR603", "dangling-reference", "structure", "error",
         "An id that should name a source, judgment or alternative names none.", ICD6,
         bad=edit(SUPPORTS, SUPPORTS.replace("alt-stalls", "alt-stall")),
         good=edit(SUPPORTS, SUPPORTS)),
    Rule("BR604", "unknown-citation", "structure", "error",
         "A citation [@key] names no source.", "house style: every citation resolves "
         "(TRADECRAFT §7)",
         bad=edit("[@ministry]", "[@ministri]"), good=edit("[@ministry]", "[@ministry]")),
    Rule("BR605", "unlabelled-locator", "structure", "warning",
         "A locator has no label a citation style can express (p., para., sec. ...).",
         "house style: locators are kept in citations (TRADECRAFT §7)",
         bad=edit("locator: para. 4", "locator: fourth paragraph"),
         good=edit("locator: para. 4", "locator: para. 4")),
    Rule("BR606", "alternative-without-test", "structure", "warning",
         "An alternative view has neither `would_be_right_if` nor an indicator that bears on "
         "it.", "ICD 203 (2015), standard 4: incorporates analysis of alternatives",
         bad=((RIGHT_IF, ""), (SUPPORTS_BOTH, "    supports: [kj-commission]\n")),
         good=edit(SUPPORTS_BOTH, "    supports: [kj-commission]\n")),
    Rule("BR607", "indicator-moves-nothing", "structure", "warning",
         "An indicator supports only statements of fact held with high confidence, which no "
         "signpost can move.", "ICD 203 (2015), standards 4 and 8; TRADECRAFT §1 (indicators)",
         bad=edit(SUPPORTS_BOTH, "    supports: [kj-treaty]\n"),
         good=edit(SUPPORTS_BOTH, "    supports: [kj-treaty, kj-commission]\n")),
    Rule("BR608", "judgment-only-assumptions", "structure", "warning",
         "Every item of evidence of a key judgment is an assumption.",
         "ICD 203 (2015), standard 3: distinguishes reporting from assumptions and judgments",
         bad=tuple((k, k.replace("reporting", "assumption")) for k in KINDS),
         good=edit(KINDS[0], KINDS[0].replace("reporting", "assumption"))),
    Rule("BR611", "source-via-cycle", "structure", "error",
         "A source is known through itself, directly or by a chain of `via`.",
         "house style: `via` names the source through which another is known (TRADECRAFT §7)",
         bad=edit(VIA, VIA + "    via: wire\n"), good=edit(VIA, VIA + "    via: ministry\n")),
    Rule("BR622", "condition-restates-view", "structure", "warning",
         "An alternative view's `would_be_right_if` restates the view itself (or says only "
         "'if it is right') instead of naming what would be seen if it were right.",
         "ICD 203 (2015), standard 4: incorporates analysis of alternatives",
         bad=edit(RIGHT_IF, "    would_be_right_if: The commission stalls because the treaty "
                  "leaves groundwater out.\n"),
         good=edit(RIGHT_IF, RIGHT_IF)),
    Rule("BR624", "alternative-cannot-coexist", "structure", "warning",
         "An alternative view and the key judgment it competes with (an indicator bears on "
         "both) are both declared more likely than not: their odds cannot add up.",
         "ICD 203 (2015), standards 2 and 4",
         bad=edit(ALT_LIKELY[0], ALT_LIKELY[1]),
         good=edit(ALT_LIKELY[0], ALT_LIKELY[0])),
    Rule("BR625", "indicator-unrelated", "structure", "warning",
         "An indicator shares no key term with a judgment or alternative it bears on: it "
         "probably signposts something else.", "ICD 203 (2015), standards 4 and 8",
         bad=edit("text: The commission's first meeting is announced or held.",
                  "text: Rainfall in the dry season is recorded."),
         good=edit("text: The commission's first meeting is announced or held.",
                   "text: The commission's first meeting is announced or held.")),
)
SELF_EVIDENT = re.compile(  # the whole condition says no more than "if it is right"
    r"^\s*(?:(?:we would know|we will know|only|it is right)\s+)?(?:if|when)?\s*(?:it|this|this "
    r"view|the view|the alternative|that)\s+(?:is|were|was|proves|turns out(?: to be)?)\s+"
    r"(?:right|correct|true|the case)(?:\s+(?:over time|in time|eventually|later))?\.?\s*$",
    re.IGNORECASE)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _parts(loaded)
    yield from _ids(loaded)
    yield from _references(loaded)
    yield from _via_cycles(loaded)
    yield from _alternatives(loaded)


def _parts(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR601, BR606-BR608: the evidence, tests and signposts the judgments need."""
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        if not kj.evidence:
            yield Finding(loaded.place("key_judgments", i), "error",
                          f"key judgment '{kj.id}' has no evidence; every judgment needs "
                          "at least one item of evidence (ICD 203 standard 6)", rule="BR601")
    judgments = {kj.id: kj for kj in brief.key_judgments}
    watched = {target for ind in brief.indicators for target in ind.supports}
    for i, alt in enumerate(brief.alternative_views):
        if not alt.would_be_right_if and alt.id not in watched:
            yield Finding(loaded.place("alternative_views", i, "id"), "warning",
                          f"alternative view '{alt.id}' has neither 'would_be_right_if' nor an "
                          "indicator; say what would make it right, or tie an indicator to it",
                          rule="BR606")
    for i, ind in enumerate(brief.indicators):
        fixed = [judgments[t] for t in ind.supports if t in judgments]
        if len(fixed) == len(ind.supports) and all(
                kj.likelihood is None and kj.confidence == "high" for kj in fixed):
            yield Finding(loaded.place("indicators", i, "supports"), "warning",
                          f"indicator '{ind.id}' supports only {', '.join(ind.supports)}: "
                          "statements of fact held with high confidence, which it cannot move; "
                          "tie it to a forecast, an alternative view or a judgment held with "
                          "less than high confidence", rule="BR607")
    for i, kj in enumerate(brief.key_judgments):
        if kj.evidence and all(ev.kind == "assumption" for ev in kj.evidence):
            yield Finding(loaded.place("key_judgments", i, "evidence"), "warning",
                          f"key judgment '{kj.id}' rests only on assumptions; add the "
                          "reporting it rests on, or make it an assumption of another "
                          "judgment", rule="BR608")


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


def _ids(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR602: every id is unique."""
    seen: dict[str, DataPath] = {}
    for ident, kind, path in identified(loaded):
        if ident in seen:
            first = loaded.place(*seen[ident])
            yield Finding(loaded.place(*path), "error", f"duplicate id '{ident}' ({kind}); "
                          f"first used at {first}; give each item its own id", rule="BR602")
        else:
            seen[ident] = path


def _or_fix(hint: str, fix: str) -> str:
    """A "did you mean" hint when there is one, else what to do."""
    return hint or f"; {fix}"


def _references(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR603-BR605: every reference, citation and locator resolves."""
    brief = loaded.brief
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
                hint = _or_fix(did_you_mean(item.key, source_ids),
                               "cite the id of a source in the list, or add the source")
                yield Finding(place_of(loaded, path, "@" + item.key), "error",
                              f"citation '@{item.key}' names no source{hint}", rule="BR604")
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
                   "citation; write it as e.g. 'para. 3' or 'p. 4'", rule="BR605")


def _dangling(loaded: LoadedBrief, path: DataPath, name: str, kind: str,
              choices: list[str]) -> Finding:
    hint = _or_fix(did_you_mean(name, choices), "use the id of an item the brief defines")
    return Finding(loaded.place(*path), "error", f"'{name}' names no {kind}{hint}",
                   rule="BR603")


def _via_cycles(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR611: a source known through itself, directly or by a chain of `via` (reported
    once per cycle, at the `via` of its first source)."""
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
                          "names the source through which this one is known", rule="BR611")


def _lowest(likelihood: str | None) -> int:
    return LIKELIHOOD_BANDS[likelihood][2] if likelihood else 0


def _alternatives(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR622, BR624, BR625: alternatives that can be tested, odds that add up, indicators
    that bear on what they support."""
    brief = loaded.brief
    items = {kj.id: kj for kj in brief.key_judgments}
    items.update({alt.id: alt for alt in brief.alternative_views})
    for i, alt in enumerate(brief.alternative_views):
        if not alt.would_be_right_if:
            continue
        condition = content_words(plain(alt.would_be_right_if))
        view = content_words(plain(alt.text))
        place = loaded.place("alternative_views", i, "would_be_right_if")
        if SELF_EVIDENT.search(alt.would_be_right_if) or (
                len(condition) >= 2 and len(condition & view) >= 0.75 * len(condition)):
            yield Finding(place, "warning", f"alternative view '{alt.id}': "
                          "'would_be_right_if' restates the view itself; name what would be "
                          "seen (an event, a figure, a statement) if it were right",
                          rule="BR622")
    reported: set[tuple[str, str]] = set()
    for i, ind in enumerate(brief.indicators):
        alts = [t for t in ind.supports if t in items and t not in
                {kj.id for kj in brief.key_judgments}]
        kjs = [t for t in ind.supports if t in items and t not in alts]
        for a in alts:
            for k in kjs:
                alt, kj = items[a], items[k]
                if (a, k) not in reported and _lowest(alt.likelihood) + _lowest(
                        kj.likelihood) > 100:
                    reported.add((a, k))
                    index = brief.alternative_views.index(alt)
                    yield Finding(loaded.place("alternative_views", index, "likelihood"),
                                  "warning", f"alternative view '{a}' is declared "
                                  f"'{alt.likelihood}' and key judgment '{k}', which indicator "
                                  f"'{ind.id}' shows it competes with, '{kj.likelihood}': both "
                                  "cannot be more likely than not; lower one of them",
                                  rule="BR624")
        signpost = content_words(plain(ind.text))
        for target in ind.supports:
            item = items.get(target)
            if item is None or len(signpost) < 3:  # too terse to judge
                continue
            words = content_words(plain(item.text))
            for more in [getattr(item, "basis", "")] + [
                    ev.text for ev in getattr(item, "evidence", [])]:
                words |= content_words(plain(more or ""))
            if getattr(item, "would_be_right_if", None):
                words |= content_words(plain(item.would_be_right_if))
            if words and not signpost & words:
                yield Finding(loaded.place("indicators", i, "supports"), "warning",
                              f"indicator '{ind.id}' shares no key term with '{target}', "
                              "which it bears on: it probably signposts something else; tie "
                              "it to what it tests or reword it", rule="BR625")
