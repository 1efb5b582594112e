"""BR2xx the BLUF against the key judgments (ICD 203 standard 6; TRADECRAFT §1).

The BLUF summarises the judgments: each estimate it states is one a judgment
makes with the same band, it claims no more certainty than any judgment, and the
sources it cites are ones the judgments rest on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model import KeyJudgment
from briefing.model.inline import cited_keys
from briefing.review.prose import place_of
from briefing.review.rule import Rule, edit
from briefing.review.text import bluf_fields, clause, sentences, strength, terms

ICD6 = "ICD 203 (2015), standard 6: clear and logical argumentation; the BLUF states the " \
       "judgments, no more"
BLUF = "its\n  joint commission will likely meet"
CITED = "in March 2025 [@ministry]"
_WORD = re.compile(r"[^\W\d_]{4,}|\d{4}")
STOP = {"that", "this", "with", "from", "into", "than", "then", "they", "their", "there",
        "will", "would", "have", "been", "which", "while", "through", "over", "under",
        "about", "after", "before", "since", "until", "also", "more", "most", "some",
        "such", "only", "even", "other", "both", "each", "very", "almost", "likely",
        "unlikely", "certain", "chance", "probably", "probable", "nearly", "highly",
        "remote", "roughly"}

RULES = (
    Rule("BR201", "bluf-band-mismatch", "bluf", "error",
         "An estimate in the BLUF has another band than the key judgment it restates, or "
         "restates no judgment with a likelihood.", ICD6,
         bad=edit(BLUF, "its\n  joint commission is unlikely to meet"),
         good=edit(BLUF, BLUF)),
    Rule("BR202", "bluf-stronger-than-judgments", "bluf", "error",
         "The BLUF states a likelihood further from even odds than any key judgment does.",
         ICD6, bad=edit(BLUF, "its\n  joint commission will almost certainly meet"),
         good=edit(BLUF, BLUF), supersedes=("BR201",)),
    Rule("BR203", "bluf-citation-unbacked", "bluf", "warning",
         "The BLUF cites a source that no key judgment's evidence rests on.", ICD6,
         bad=((CITED, "in March 2025 [@spare]"),
              ("  - id: wire\n", "  - id: spare\n    type: web-page\n    title: A page\n"
               "    reliability: F\n  - id: wire\n")),
         good=edit(CITED, CITED)),
)


def _words(text: str) -> set[str]:
    return {w.lower()[:5] for w in _WORD.findall(text) if w.lower() not in STOP}


def _restated(clause: str, judgments: list[KeyJudgment], band: str) -> KeyJudgment | None:
    """The judgment with a likelihood that shares most words with the clause."""
    words = _words(clause)
    scored = [(len(words & _words(kj.text)), kj.likelihood == band, kj) for kj in judgments]
    best = max(scored, key=lambda s: s[:2], default=None)
    return best[2] if best and best[0] > 0 else None


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    judgments = [kj for kj in brief.key_judgments if kj.likelihood]
    strongest = max((strength(kj.likelihood) for kj in judgments), default=0.0)
    backing = {ev.source for _, ev in brief.evidence()}
    for kj in brief.key_judgments:
        backing |= set(cited_keys(kj.text))
        for ev in kj.evidence:
            backing |= set(cited_keys(ev.text))
    broken = any(not kj.evidence for kj in brief.key_judgments) or any(
        brief.source(ev.source) is None for _, ev in brief.evidence())  # reported elsewhere
    for path, text in bluf_fields(loaded):
        for sentence in sentences(text):
            for form, band in terms(sentence):
                place = place_of(loaded, path, form)
                if strength(band) > strongest:
                    best = max(judgments, key=lambda kj: strength(kj.likelihood), default=None)
                    than = f"'{best.likelihood}' ('{best.id}')" if best else "none"
                    yield Finding(place, "error", f"the BLUF says '{form}' ({band}), stronger "
                                  f"than any key judgment (the strongest: {than}); the BLUF may "
                                  "not claim more than the judgments", rule="BR202")
                kj = _restated(clause(sentence, sentence.find(form)), judgments, band)
                if kj is None:
                    yield Finding(place, "error", f"the BLUF says '{form}' ({band}) but restates "
                                  "no key judgment with a likelihood; add the judgment or drop "
                                  "the estimate", rule="BR201")
                elif kj.likelihood != band:
                    yield Finding(place, "error", f"the BLUF says '{form}' ({band}) but the key "
                                  f"judgment it restates, '{kj.id}', declares '{kj.likelihood}'; "
                                  "use the judgment's term", rule="BR201")
        for key in dict.fromkeys(cited_keys(text)):
            if key not in backing and brief.source(key) is not None and not broken:
                yield Finding(place_of(loaded, path, "@" + key), "warning",
                              f"the BLUF cites '@{key}', which backs no key judgment; cite the "
                              "sources of the judgments it summarises", rule="BR203")
