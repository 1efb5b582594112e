"""BR6xx structure: ids, references, and the parts ICD 203 asks every brief to have."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.review.registry import Rule, edit

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
EDITION = "edition: 1\n"

RULES = (
    Rule("BR601", "judgment-without-evidence", "structure", "error",
         "A key judgment lists no evidence.", ICD6,
         bad=edit(EVIDENCE, ""), good=edit(EVIDENCE, EVIDENCE),
         legacy=("coverage", r"has no evidence")),
    Rule("BR602", "duplicate-id", "structure", "error",
         "Two items share an id.", "house style: every id is unique in a brief",
         bad=edit("id: ev-wire", "id: ev-signing"), good=edit("id: ev-wire", "id: ev-wire"),
         legacy=("unique-ids", r"duplicate id"),
         fix="give each item its own id"),
    Rule("BR603", "dangling-reference", "structure", "error",
         "An id that should name a source, judgment or alternative names none.", ICD6,
         bad=edit(SUPPORTS, SUPPORTS.replace("alt-stalls", "alt-stall")),
         good=edit(SUPPORTS, SUPPORTS),
         legacy=("references", r"^'.*' names no "),
         fix="use the id of an item the brief defines"),
    Rule("BR604", "unknown-citation", "structure", "error",
         "A citation [@key] names no source.", "house style: every citation resolves "
         "(TRADECRAFT §7)",
         bad=edit("[@ministry]", "[@ministri]"), good=edit("[@ministry]", "[@ministry]"),
         legacy=("references", r"citation '@.*' names no source"),
         fix="cite the id of a source in the list, or add the source"),
    Rule("BR605", "unlabelled-locator", "structure", "warning",
         "A locator has no label a citation style can express (p., para., sec. ...).",
         "house style: locators are kept in citations (TRADECRAFT §7)",
         bad=edit("locator: para. 4", "locator: fourth paragraph"),
         good=edit("locator: para. 4", "locator: para. 4"),
         legacy=("references", r"has no label a citation style"),
         fix="write it as e.g. 'para. 3' or 'p. 4'"),
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
    Rule("BR610", "edition-without-predecessor", "structure", "warning",
         "An edition after the first has no released predecessor (`briefing release`), so "
         "neither its computed 'what changed' section nor the checks of its `what_changed` "
         "notes can run.",
         "ICD 203 (2015), standard 7: explains change to or consistency of judgments",
         bad=edit(EDITION, "edition: 2\n"), good=edit(EDITION, EDITION),
         legacy=("editions", r"has no released predecessor"),
         fix="release the previous edition with `briefing release`, or number this one 1"),
)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
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
