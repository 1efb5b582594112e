"""BR7xx markings and characters (TLP 2.0, classification schemes; TRADECRAFT §5)."""

from __future__ import annotations

from . import Rule, edit

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
         legacy=("marking", r"is not a level of the scheme")),
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
)
