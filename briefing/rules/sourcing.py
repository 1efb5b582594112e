"""BR4xx sourcing: ratings, independence and corroboration (Admiralty code, ICD 203)."""

from __future__ import annotations

from . import Rule, edit

ADMIRALTY = "Admiralty code (NATO AJP-2.1): source reliability A-F, information credibility 1-6"
ICD1 = "ICD 203 (2015), standard 1: properly describes quality and credibility of sources"
CONFIDENCE = "confidence: moderate"
MINISTRY_B = "reliability: B\n    archive: ministry.txt"
WIRE_B = "reliability: B\n    archive: wire.txt"
UNCITED = ("  - id: wire\n", "  - id: spare\n    type: web-page\n    title: An unused page\n"
           "    reliability: F\n  - id: wire\n")

RULES = (
    Rule("BR401", "high-confidence-single-source", "sourcing", "warning",
         "A judgment held with high confidence rests on one source (sources that share a "
         "`via` count as one).", ICD1 + "; TRADECRAFT §3: high confidence needs multiple "
         "sources",
         bad=edit(CONFIDENCE, "confidence: high"), good=edit(CONFIDENCE, CONFIDENCE),
         legacy=("coverage", r"rests on a single source")),
    Rule("BR402", "high-confidence-weak-sources", "sourcing", "warning",
         "A judgment held with high confidence rests only on sources rated D-F.",
         ICD1 + "; " + ADMIRALTY,
         bad=((MINISTRY_B, MINISTRY_B.replace("B", "D", 1)), (WIRE_B, WIRE_B.replace("B", "E", 1))),
         good=edit(MINISTRY_B, MINISTRY_B.replace("B", "D", 1)),
         legacy=("coverage", r"rests only on sources rated D-F")),
    Rule("BR403", "source-never-cited", "sourcing", "warning",
         "A source in the list is used by no evidence and no citation.", ICD1,
         bad=(UNCITED,), good=edit(UNCITED[0], UNCITED[0]),
         legacy=("coverage", r"is never cited")),
)
