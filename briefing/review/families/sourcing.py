"""BR4xx sourcing: ratings, independence and corroboration (Admiralty code, ICD 203)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model import Brief
from briefing.model.inline import cited_keys
from briefing.model.vocab import CREDIBILITY, RELIABILITY
from briefing.review.prose import prose_fields
from briefing.review.rule import Rule, edit

ADMIRALTY = "Admiralty code (NATO AJP-2.1): source reliability A-F, information credibility 1-6"
ICD1 = "ICD 203 (2015), standard 1: properly describes quality and credibility of sources"
CONFIDENCE = "confidence: moderate"
MINISTRY_B = "reliability: B\n    archive: ministry.txt"
WIRE_B = "reliability: B\n    archive: wire.txt"
UNCITED = ("  - id: wire\n", "  - id: spare\n    type: web-page\n    title: An unused page\n"
           "    reliability: F\n  - id: wire\n")

WIRE_VIA = ("    container: Example Wire\n", "    container: Example Wire\n    via: ministry\n")
ANONYMOUS = ("    authors:\n      - family: Example\n        given: Ann\n", "")
CONTAINER = "    container: Example Wire\n"
ACCESS = "    accessed: 2025-06-01\n    reliability: B\n    archive: wire.txt"
ASSUMPTION = "kind: reporting\n        text: A wire report"

WEAK = {"D", "E", "F"}
MINISTRY_TITLE = "    title: Northland and Southland sign water treaty\n"

RULES = (
    Rule("BR401", "high-confidence-single-source", "sourcing", "warning",
         "A judgment held with high confidence rests on one source (sources that share a "
         "`via` count as one).", ICD1 + "; TRADECRAFT §3: high confidence needs multiple "
         "sources",
         bad=edit(CONFIDENCE, "confidence: high"), good=edit(CONFIDENCE, CONFIDENCE)),
    Rule("BR402", "high-confidence-weak-sources", "sourcing", "warning",
         "A judgment held with high confidence rests only on sources rated D-F.",
         ICD1 + "; " + ADMIRALTY,
         bad=((MINISTRY_B, MINISTRY_B.replace("B", "D", 1)), (WIRE_B, WIRE_B.replace("B", "E", 1))),
         good=edit(MINISTRY_B, MINISTRY_B.replace("B", "D", 1))),
    Rule("BR403", "source-never-cited", "sourcing", "warning",
         "A source in the list is used by no evidence and no citation.", ICD1,
         bad=(UNCITED,), good=edit(UNCITED[0], UNCITED[0])),
    Rule("BR404", "credibility-1-uncorroborated", "sourcing", "warning",
         "Evidence rated credibility 1 (confirmed by other sources) has no second, "
         "independent source in its judgment (sources that share a `via` count as one).",
         ADMIRALTY, bad=(WIRE_VIA,), good=edit(WIRE_VIA[0], WIRE_VIA[0])),
    Rule("BR405", "rated-source-without-author", "sourcing", "warning",
         "A source rated A or B names no author, publisher or outlet to rate.", ADMIRALTY,
         bad=(ANONYMOUS, (CONTAINER, "")), good=(ANONYMOUS,)),
    Rule("BR406", "accessed-after-cutoff", "sourcing", "error",
         "A source was accessed after the information cut-off.",
         "house style: the information cut-off (TRADECRAFT §1)",
         bad=edit(ACCESS, ACCESS.replace("2025-06-01", "2025-07-01")),
         good=edit(ACCESS, ACCESS)),
    Rule("BR407", "high-confidence-on-assumption", "sourcing", "warning",
         "A judgment held with high confidence rests in part on an assumption.",
         "ICD 203 (2015), standard 3: distinguishes reporting from assumptions and "
         "judgments; TRADECRAFT §3",
         bad=edit(ASSUMPTION, "kind: assumption\n        text: A wire report"),
         good=edit(ASSUMPTION, ASSUMPTION)),
    Rule("BR452", "sentence-case-title-drifts", "sourcing", "warning",
         "A source's `sentence_case_title` differs from its `title` other than by case: a "
         "word, an apostrophe or a quotation mark was changed in one and not in the other.",
         "house style: `sentence_case_title` is the title itself in sentence case, for the "
         "citation styles that ask for it (CSL); the two must name the same work",
         bad=edit(MINISTRY_TITLE, MINISTRY_TITLE + "    sentence_case_title: Northland and "
                  "Southland sign water pact\n"),
         good=edit(MINISTRY_TITLE, MINISTRY_TITLE + "    sentence_case_title: Northland and "
                   "Southland sign water treaty\n")),
)


def origin(brief: Brief, source_id: str) -> str:
    """The source through which `source_id` is known (following `via`), or itself."""
    seen = [source_id]
    while True:
        src = brief.source(seen[-1])
        if src is None or not src.via or src.via in seen:
            return seen[-1]
        seen.append(src.via)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        ids = {ev.source for ev in kj.evidence if brief.source(ev.source)}
        origins = {origin(brief, s) for s in ids}
        name = f"key judgment '{kj.id}'"
        if kj.confidence == "high":
            yield from _high_confidence(loaded, i, ids, origins)
        for j, ev in enumerate(kj.evidence):
            if ev.credibility == 1 and len(origins - {origin(brief, ev.source)}) == 0:
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "credibility"),
                              "warning", f"evidence '{ev.id}' is rated credibility 1 "
                              f"({CREDIBILITY[1]}), but {name} has no other independent "
                              "source for it (sources that share a `via` count as one); rate "
                              "it 2 or add corroborating evidence", rule="BR404")
            if kj.confidence == "high" and ev.kind == "assumption":
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "kind"),
                              "warning", f"{name} is held with high confidence but rests in "
                              f"part on assumption '{ev.id}'; lower the confidence or replace "
                              "the assumption with reporting", rule="BR407")
    used = {ev.source for _, ev in brief.evidence()}
    used |= {key for _, text in prose_fields(loaded) for key in cited_keys(text)}
    for i, src in enumerate(brief.sources):
        if src.id not in used:
            yield Finding(loaded.place("sources", i, "id"), "warning",
                          f"source '{src.id}' is never cited; cite it or remove it",
                          rule="BR403")
        if src.reliability in "AB" and not (src.authors or src.publisher or src.container):
            yield Finding(loaded.place("sources", i, "reliability"), "warning",
                          f"source '{src.id}' is rated {src.reliability} "
                          f"({RELIABILITY[src.reliability]}) but names no author, publisher "
                          "or outlet; name who stands behind it or rate it F (reliability "
                          "cannot be judged)", rule="BR405")
        if src.title and src.sentence_case_title and (
                src.title.casefold() != src.sentence_case_title.casefold()):
            yield Finding(loaded.place("sources", i, "sentence_case_title"), "warning",
                          f"source '{src.id}': the sentence_case_title differs from the title "
                          f"other than by case ({title_drift(src.title, src.sentence_case_title)}"
                          "); make it the title in sentence case", rule="BR452")
        if src.accessed and src.accessed > brief.cutoff:
            yield Finding(loaded.place("sources", i, "accessed"), "error",
                          f"source '{src.id}' was accessed on {src.accessed}, after the "
                          f"information cut-off {brief.cutoff}; move the cut-off or give the "
                          "date it was accessed for this brief", rule="BR406")


def title_drift(title: str, sentence_case: str) -> str:
    """Where a sentence-case title first differs from its title other than by case."""
    ours, theirs = title.split(), sentence_case.split()
    matcher = difflib.SequenceMatcher(None, [w.casefold() for w in ours],
                                      [w.casefold() for w in theirs], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            return (f"the title has '{' '.join(ours[a0:a1])}' where it has "
                    f"'{' '.join(theirs[b0:b1])}'")
    return "they differ in spacing"


def _high_confidence(loaded: LoadedBrief, i: int, ids: set[str],
                     origins: set[str]) -> Iterator[Finding]:
    """BR401 and BR402: what a judgment held with high confidence rests on."""
    brief = loaded.brief
    name = f"key judgment '{brief.key_judgments[i].id}'"
    place = loaded.place("key_judgments", i, "confidence")
    if len(ids) == 1:
        yield Finding(place, "warning", f"{name} is held with high confidence but rests on a "
                      f"single source ('{next(iter(ids))}'); corroborate it from an "
                      "independent source or lower the confidence", rule="BR401")
    elif len(origins) == 1:
        yield Finding(place, "warning", f"{name} is held with high confidence but rests on a "
                      f"single source ('{next(iter(origins))}'; "
                      f"{', '.join(sorted(ids - origins))} known only through it); corroborate "
                      "it from an independent source or lower the confidence", rule="BR401")
    if len(ids) > 1 and all(brief.source(s).reliability in WEAK for s in ids):
        yield Finding(place, "warning", f"{name} is held with high confidence but rests only "
                      "on sources rated D-F; corroborate it from a better-rated source or "
                      "lower the confidence", rule="BR402")
