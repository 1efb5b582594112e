"""BR7xx markings and characters (TLP 2.0, classification schemes; TRADECRAFT §5)."""

from __future__ import annotations

from briefing.review.registry import Rule, edit

SCHEMES = "classification schemes (TRADECRAFT §5): the banner is at least every portion"
TLP = "marking: TLP:CLEAR"
KJ = "    confidence: high\n"

RULES = (
    Rule("BR701", "portion-under-tlp", "markings", "error",
         "A portion carries a classification, but the brief is marked with TLP.",
         "TLP 2.0 (FIRST, 2022) has no portion marks; " + SCHEMES,
         bad=edit(KJ, KJ + "    classification: SECRET\n"),
         good=((KJ, KJ + "    classification: SECRET\n"), (TLP, "marking: SECRET")),
         legacy=("marking", r"has a portion classification, but the brief is")),
    Rule("BR702", "unknown-scheme", "markings", "error",
         "The marking names a classification scheme that is not known.", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, scheme: nato}"),
         good=edit(TLP, "marking: {classification: SECRET, scheme: uk}"),
         legacy=("marking", r"unknown classification scheme")),
    Rule("BR703", "unknown-level", "markings", "error",
         "A classification is not a level of the brief's scheme.", SCHEMES,
         bad=edit(TLP, "marking: RESTRICTED"), good=edit(TLP, "marking: CONFIDENTIAL"),
         legacy=("marking", r"is not a level of the scheme"),
         fix="use one of its levels"),
    Rule("BR704", "portion-above-banner", "markings", "error",
         "A portion is marked higher than the banner.", SCHEMES,
         bad=((TLP, "marking: CONFIDENTIAL"), (KJ, KJ + "    classification: SECRET\n")),
         good=((TLP, "marking: SECRET"), (KJ, KJ + "    classification: SECRET\n")),
         legacy=("marking", r"higher than the banner")),
    Rule("BR705", "control-character", "markings", "error",
         "Text holds a control character that Word and XML refuse.",
         "Office Open XML (ECMA-376): XML 1.0 characters only",
         bad=edit("title: Example brief", 'title: "Example\\a brief"'),
         good=edit("title: Example brief", "title: Example brief"),
         legacy=("characters", r"control character")),
    Rule("BR706", "controls-under-tlp", "markings", "error",
         "Dissemination controls are given, but the brief is marked with TLP.",
         "TLP 2.0 (FIRST, 2022) has no caveats; " + SCHEMES,
         bad=edit(TLP, "marking: {tlp: TLP:CLEAR, controls: [NOFORN]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN]}"),
         legacy=("marking", r"controls are given, but the brief is marked")),
    Rule("BR707", "unknown-control", "markings", "error",
         "A dissemination control is not one the scheme knows.", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, controls: [NOFRN]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN]}"),
         legacy=("marking", r"is not a control of the")),
    Rule("BR708", "controls-conflict", "markings", "error",
         "Two controls exclude each other (e.g. NOFORN and REL TO).", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, controls: [NOFORN, REL TO USA]}"),
         good=edit(TLP, "marking: {classification: SECRET, controls: [REL TO USA]}"),
         legacy=("marking", r"exclude each other"),
         fix="keep one of them"),
    Rule("BR709", "portion-unmarked", "markings", "error",
         "With `portion_marks: true`, a portion has no classification (or has controls "
         "without one).", SCHEMES,
         bad=edit(TLP, "marking: {classification: SECRET, portion_marks: true}"),
         good=edit(TLP, "marking: {classification: SECRET}"),
         legacy=("marking", r"has no classification; with|has controls but no classification")),
    Rule("BR710", "banner-lacks-control", "markings", "error",
         "A portion carries a control the banner lacks.", SCHEMES,
         bad=((TLP, "marking: SECRET"),
              (KJ, KJ + "    classification: SECRET\n    controls: [NOFORN]\n")),
         good=((TLP, "marking: {classification: SECRET, controls: [NOFORN]}"),
               (KJ, KJ + "    classification: SECRET\n    controls: [NOFORN]\n")),
         legacy=("marking", r"which the banner .* the banner needs it")),
)
