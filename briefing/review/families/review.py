"""BR0xx: the review settings themselves (`review:` and `suppress:` entries)."""

from __future__ import annotations

from briefing.review.rule import Rule, edit

KJ = "  - id: kj-treaty\n"
STD = "house style: a rule is silenced only by name and with a reason"

RULES = (
    Rule("BR001", "unknown-rule-code", "review", "error",
         "`review: {select, ignore}` or `suppress:` names a code no rule has.", STD,
         bad=edit(KJ, KJ + "    suppress: {BR999: the figure is the source's own}\n"),
         good=edit(KJ, KJ + "    suppress: {BR401: the ministry and the wire agree}\n")),
    Rule("BR002", "suppression-without-reason", "review", "error",
         "A `suppress:` entry must say, in a few words, why a reviewer should accept it.",
         STD, bad=edit("confidence: moderate", "confidence: high\n    suppress: {BR401: ok}"),
         good=edit("confidence: moderate", "confidence: high\n    suppress: {BR401: the "
                   "ministry is the only party that can confirm its own plans}")),
    Rule("BR003", "unused-suppression", "review", "warning",
         "A `suppress:` entry that silences nothing is stale: remove it.", STD,
         bad=edit(KJ, KJ + "    suppress: {BR401: the ministry and the wire agree}\n"),
         good=edit("confidence: moderate", "confidence: high\n    suppress: {BR401: the "
                   "ministry is the only party that can confirm its own plans}")),
)
