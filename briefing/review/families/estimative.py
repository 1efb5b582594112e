"""BR1xx estimative language (ICD 203 standard 2; TRADECRAFT §2-3)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model.vocab import ESTIMATIVE_FORMS, LIKELIHOOD_BANDS, VAGUE_WORDS
from briefing.review.prose import place_of
from briefing.review.rule import Rule, edit
from briefing.review.text import (
    TERMS,
    bare_forecasts,
    bluf_fields,
    confidence_levels,
    forecasts,
    plain,
    sentences,
    terms,
)
from briefing.review.words import any_form

ICD = "ICD 203 (2015), standard 2: expresses and explains uncertainty"
FACT = "text: In March 2025, Northland and Southland signed a treaty"
FORECAST = "text: The treaty's joint commission will likely meet before the end of 2025."
ALT = "    text: The commission stalls because the treaty leaves groundwater out.\n"
ALT_UNLIKELY = ("    text: The commission is unlikely to meet because the treaty leaves "
                "groundwater out.\n    likelihood: unlikely\n")

BLUF = "its\n  joint commission will likely meet"
BASIS = "basis: Officials give a month for the first meeting, but nothing yet shows preparations."
_CANNOT = r"(?:can ?not|can['’]t|could not|couldn['’]t|may not|should not)"
_EXCLUDE = any_form("rule", "exclude", "discount", "dismiss", "preclude")
HEDGES = re.compile(
    r"\b(it is possible that|it is possible|it['’]?s possible|"
    + _CANNOT + r"(?: yet| entirely| fully)?(?: be)?(?: entirely| fully| completely| yet)? "
    + _EXCLUDE + r"(?: out)?|"
    r"there (?:is|was|remains|exists) (?:a |some )?(?:real |distinct |good |slight |some )?"
    r"(?:chance|possibility)|not (?:impossible|inconceivable)|it is conceivable|conceivably|"
    r"it (?:is|remains|seems|appears) plausible|plausibly|"
    r"potentially|arguably|apparently|seemingly|ostensibly|"
    r"it (?:would )?" + any_form("seem", "appear") + r"|"
    + any_form("seem", "appear") + r" (?:to|that|as if|as though)|"
    r"in all likelihood|may well|to some extent|some observers)\b", re.IGNORECASE)
DOUBLE_NEGATIVE = re.compile(
    r"((?:\bnot|n['’]t|\bhardly|\bscarcely|\bby no means|\bfar from|\bnever)\s+(?:entirely\s+|"
    r"altogether\s+|wholly\s+|totally\s+|completely\s+|at all\s+)?(?:unlikely|improbable|"
    r"implausible|impossible|inconceivable|unthinkable|unrealistic|out of the question)|"
    r"\bnot without (?:a |some )?(?:chance|possibility|likelihood|prospect)|"
    r"\bno (?:small|negligible|slight|remote) (?:chance|possibility|likelihood))\b",
    re.IGNORECASE)
CONFIDENT = re.compile(
    r"\b((?:we|i) (?:are|am|remain|feel)(?: not)? (?:fairly |quite |reasonably |very |"
    r"highly |entirely |absolutely |pretty |somewhat )?(?:sure|certain|confident|"
    r"convinced)|(?:with|have|hold|place|put) (?:some|considerable|great|little|limited|"
    r"fair|reasonable|much|full|no|strong|weak) (?:degree of )?confidence|confidently|"
    r"(?:we|i) (?:strongly |firmly )?(?:doubt|trust))\b", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|"
           "november|december")
TIMEFRAME = re.compile(  # a preposition counts only before a time: 'through 2027', not
    # 'through the corridor'
    r"\b((?:by|before|within|through|throughout|until|till|after|during|in|from|over)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:(?:19|20)\d\d|end|start|beginning|middle|mid-\w+|close|"
    r"year|years|month|months|week|weeks|days|decade|spring|summer|autumn|winter|quarter|"
    r"half|term|season|election|summit|ceasefire|" + _MONTHS + r")\b|"
    r"over the (?:next|coming)|in the (?:next|coming|near|medium|long)|this (?:year|month|"
    r"decade|spring|summer|autumn|winter)|next (?:year|month|decade)|end of|"
    r"for the (?:next|rest)|(?:19|20)\d\d)\b", re.IGNORECASE)
_TWO_CLAIMS = re.compile(r";\s+(?!and\b|or\b)[a-z]+\s+\w+")
_VAGUE = re.compile(r"\b(" + "|".join(VAGUE_WORDS) + r")\b", re.IGNORECASE)
_CONFIDENCE = re.compile(r"\b(high|moderate|low)\s+confidence\b", re.IGNORECASE)

RULES = (
    Rule("BR101", "forecast-without-likelihood", "estimative", "error",
         "A forecast (will, is set to, is expected to …) in a key judgment or the BLUF "
         "states no likelihood.", ICD + "; TRADECRAFT §2: forecasts must carry a likelihood",
         bad=edit(BLUF, "its\n  joint commission will meet"),
         good=edit(BLUF, BLUF)),
    Rule("BR102", "estimative-term-in-fact", "estimative", "error",
         "A judgment without a likelihood (a statement of fact) uses an estimative term; "
         "declare the likelihood or state the fact.", ICD,
         bad=edit(FACT, "text: In March 2025, Northland and Southland probably signed a treaty"),
         good=edit(FACT, FACT)),
    Rule("BR103", "term-contradicts-likelihood", "estimative", "error",
         "The estimative term in the text is not the term of the declared likelihood band.",
         ICD + "; the term must be the one of its band",
         bad=edit(FORECAST, FORECAST.replace("will likely", "will very likely")),
         good=((FORECAST, FORECAST.replace("will likely", "will very likely")),
               ("likelihood: likely", "likelihood: very likely"))),
    Rule("BR104", "likelihood-not-stated", "estimative", "warning",
         "A judgment declares a likelihood but its text uses no estimative term.", ICD,
         bad=edit(FORECAST, FORECAST.replace("will likely meet", "will meet")),
         good=edit(FORECAST, FORECAST)),
    Rule("BR105", "mixed-columns", "estimative", "warning",
         "Terms from both ICD 203 columns (likely / probable) in one product.",
         ICD + "; use terms from one column throughout a product",
         bad=((FORECAST, FORECAST.replace("will likely", "will probably")),
              (ALT, ALT_UNLIKELY)),
         good=edit(ALT, ALT_UNLIKELY)),
    Rule("BR106", "vague-word", "estimative", "warning",
         "A key judgment uses may, could, possibly, perhaps or might, which hide the "
         "likelihood.", ICD,
         bad=edit("share river water in dry years", "share river water that could ease "
                  "disputes in dry years"),
         good=edit("share river water in dry years", "share river water in dry years")),
    Rule("BR107", "likelihood-with-confidence", "estimative", "warning",
         "A likelihood term and a confidence level in one sentence; confidence has its own "
         "field.", ICD + "; do not combine likelihood and confidence in one sentence",
         bad=edit(FORECAST, "text: We judge with moderate confidence that the treaty's joint "
                  "commission will likely meet before the end of 2025."),
         good=edit(FORECAST, FORECAST)),
    Rule("BR108", "hedge-phrase", "estimative", "warning",
         "A hedge or weasel phrase (it is possible that, cannot be ruled out …) in a key "
         "judgment or the BLUF hides the likelihood.", ICD,
         bad=edit(FORECAST, "text: It cannot be ruled out that the treaty's joint commission "
                  "will likely meet before the end of 2025."),
         good=edit(FORECAST, FORECAST)),
    Rule("BR109", "basis-contradicts-likelihood", "estimative", "warning",
         "The basis or an item of evidence uses a likelihood term of another band than the "
         "judgment declares.", ICD,
         bad=edit(BASIS, "basis: Officials give a month, so a first meeting is almost certain."),
         good=edit(BASIS, BASIS)),
    Rule("BR110", "confidence-contradicts", "estimative", "error",
         "The text or basis states a confidence level other than the one declared.",
         ICD + "; TRADECRAFT §3: confidence is declared in its own field",
         bad=edit(BASIS, "basis: We have high confidence in the officials' plan."),
         good=edit(BASIS, "basis: We have moderate confidence in the officials' plan.")),
    Rule("BR111", "double-negative", "estimative", "warning",
         "A double negative (not unlikely, hardly improbable, not without a chance …) in a "
         "key judgment, alternative view or the BLUF, which readers decode to different "
         "odds.", ICD + "; state the likelihood with its ICD 203 term",
         bad=edit(FORECAST, "text: The treaty's joint commission is not unlikely to meet "
                  "before the end of 2025; it will likely meet."),
         good=edit(FORECAST, FORECAST), supersedes=("BR108",)),
    Rule("BR112", "judgment-makes-two-claims", "estimative", "warning",
         "A key judgment makes two claims (two sentences, or two clauses joined by a "
         "semicolon); each claim needs its own likelihood, confidence and evidence.",
         "ICD 203 (2015), standard 6: clear and logical argumentation; TRADECRAFT §1: "
         "each judgment one declarative sentence",
         bad=edit(FORECAST, FORECAST + " Its engineers will likely settle disputes."),
         good=edit(FORECAST, FORECAST)),
    Rule("BR113", "forecast-without-time-frame", "estimative", "warning",
         "A key judgment that forecasts (it declares a likelihood) gives no time frame "
         "(a year, a date, 'by', 'within', 'over the next …').",
         "ICD 203 (2015), standard 8: accurate judgments, dated so that they can be scored",
         bad=edit(FORECAST, "text: The treaty's joint commission will likely meet."),
         good=edit(FORECAST, FORECAST)),
)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _declared(loaded)
    yield from _style(loaded)


def _band(term: str) -> str:
    _, _, low, high = LIKELIHOOD_BANDS[term]
    return f"{low:02d}-{high:02d} %"


def _declared(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR102-BR105: each judgment's and alternative's terms against its likelihood."""
    brief = loaded.brief
    items = [(("key_judgments", i), "key judgment", kj.id, kj.text, kj.likelihood, True)
             for i, kj in enumerate(brief.key_judgments)]
    items += [(("alternative_views", i), "alternative view", alt.id, alt.text,
               alt.likelihood, alt.likelihood is not None)
              for i, alt in enumerate(brief.alternative_views)]
    columns: dict[int, tuple[str, tuple, str]] = {}
    for path, kind, ident, text, likelihood, strict in items:
        text_path = (*path, "text")
        found = [(m.group(0), *ESTIMATIVE_FORMS[m.group(0).lower()])
                 for m in TERMS.finditer(text)]
        for form, band, column in found:
            columns.setdefault(column, (form, text_path, f"{kind} '{ident}'"))
            if likelihood is None and strict:
                yield Finding(place_of(loaded, text_path, form), "error",
                              f"{kind} '{ident}' says '{form}' but declares no likelihood; "
                              f"add 'likelihood: {band}' or state it as a fact", rule="BR102")
            elif likelihood is not None and band != likelihood:
                yield Finding(place_of(loaded, text_path, form), "error",
                              f"{kind} '{ident}' says '{form}' ({band}, {_band(band)}) but "
                              f"declares likelihood '{likelihood}' ({_band(likelihood)}); use "
                              "the term of the declared band, or change the likelihood",
                              rule="BR103")
        if likelihood is not None and not found:
            yield Finding(loaded.place(*text_path), "warning",
                          f"{kind} '{ident}' declares likelihood '{likelihood}' but its text "
                          f"uses no estimative term; say '{likelihood}'", rule="BR104")
    for path, text in bluf_fields(loaded):
        for match in TERMS.finditer(plain(text)):
            _, column = ESTIMATIVE_FORMS[match.group(0).lower()]
            columns.setdefault(column, (match.group(0), path, "the BLUF"))
    if len(columns) > 1:
        (form, path, item), (main, main_path, main_item) = columns[1], columns[0]
        yield Finding(place_of(loaded, path, form), "warning",
                      f"{item} says '{form}', an alternative ICD 203 term, while {main_item} "
                      f"says '{main}' from the main column ({place_of(loaded, main_path, main)})"
                      f"; use terms from one column throughout, e.g. "
                      f"'{ESTIMATIVE_FORMS[form.lower()][0]}'", rule="BR105")


def _style(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR101, BR106-BR110: forecasts, hedges, vague words and confidence in the words."""
    for i, kj in enumerate(loaded.brief.key_judgments):
        name = f"key judgment '{kj.id}'"
        text_path = ("key_judgments", i, "text")
        markers = forecasts(plain(kj.text))
        if kj.likelihood is None and markers:
            yield Finding(place_of(loaded, text_path, markers[0]), "error",
                          f"{name} forecasts ('{markers[0]}') but declares no likelihood; add "
                          "'likelihood:' and say it with its ICD 203 term, or state a fact",
                          rule="BR101")
        yield from _hedges(loaded, text_path, name, kj.text)
        yield from _vague(loaded, text_path, name, kj.text)
        yield from _two_claims(loaded, text_path, name, kj.text)
        yield from _double_negatives(loaded, text_path, name, kj.text)
        if kj.likelihood and not TIMEFRAME.search(plain(kj.text)):
            yield Finding(loaded.place(*text_path), "warning",
                          f"{name} forecasts (likelihood '{kj.likelihood}') but gives no time "
                          "frame; say by when (a year, a date, 'within …'), so the judgment "
                          "can be scored", rule="BR113")
        yield from _combined(loaded, text_path, name, kj.text, "give confidence in its own field",
                             whole=True)
        fields = [(("key_judgments", i, "basis"), "its basis", kj.basis)]
        fields += [(("key_judgments", i, "evidence", j, "text"), f"evidence '{ev.id}'",
                    ev.text) for j, ev in enumerate(kj.evidence)]
        if kj.likelihood:
            for path, where, text in fields:
                for form, band in terms(plain(text)):
                    if band != kj.likelihood:
                        yield Finding(place_of(loaded, path, form), "warning",
                                      f"{where} says '{form}' ({band}), but {name} declares "
                                      f"likelihood '{kj.likelihood}'; make them agree or "
                                      "say whose estimate it is", rule="BR109")
        for path, where, text in [(text_path, "its text", kj.text), fields[0]]:
            for phrase, level in confidence_levels(plain(text)):
                if level != kj.confidence:
                    yield Finding(place_of(loaded, path, phrase), "error",
                                  f"{name}: {where} says '{phrase}' but the judgment declares "
                                  f"confidence '{kj.confidence}'; make them agree",
                                  rule="BR110")
        yield from _combined(loaded, fields[0][0], f"the basis of {name}", kj.basis)
    for path, text in bluf_fields(loaded):
        for sentence in sentences(text):
            markers = bare_forecasts(sentence)
            if markers:
                yield Finding(place_of(loaded, path, markers[0]), "error",
                              f"the BLUF forecasts ('{markers[0]}') without a likelihood; say "
                              "how likely with the ICD 203 term of the key judgment it "
                              "summarises", rule="BR101")
        yield from _hedges(loaded, path, "the BLUF", text)
        yield from _vague(loaded, path, "the BLUF", text)
        yield from _double_negatives(loaded, path, "the BLUF", text)
        yield from _combined(loaded, path, "the BLUF", text)
    for i, alt in enumerate(loaded.brief.alternative_views):
        yield from _double_negatives(loaded, ("alternative_views", i, "text"),
                                     f"alternative view '{alt.id}'", alt.text)


def _two_claims(loaded: LoadedBrief, path: DataPath, name: str,
                text: str) -> Iterator[Finding]:
    """BR112: two sentences, or two clauses joined by a semicolon."""
    said = sentences(text)
    if len(said) > 1:
        yield Finding(place_of(loaded, path, said[1][:30]), "warning",
                      f"{name} makes {len(said)} statements ('{said[1][:40]}…' is a second "
                      "claim); give each claim its own key judgment, with its likelihood, "
                      "confidence and evidence", rule="BR112")
    elif (match := _TWO_CLAIMS.search(plain(text))) is not None:
        yield Finding(place_of(loaded, path, match.group(0)), "warning",
                      f"{name} probably makes two claims (a semicolon joins two clauses); "
                      "give each claim its own key judgment", rule="BR112")


def _double_negatives(loaded: LoadedBrief, path: DataPath, name: str,
                      text: str) -> Iterator[Finding]:
    for match in DOUBLE_NEGATIVE.finditer(plain(text)):
        yield Finding(place_of(loaded, path, match.group(0)), "warning",
                      f"{name} says '{match.group(0)}', a double negative that readers decode "
                      "to different odds; state the likelihood with its ICD 203 term",
                      rule="BR111")


def _hedges(loaded: LoadedBrief, path: DataPath, name: str, text: str) -> Iterator[Finding]:
    for match in HEDGES.finditer(plain(text)):
        yield Finding(place_of(loaded, path, match.group(0)), "warning",
                      f"{name} hedges with '{match.group(0)}', which hides the likelihood; "
                      "give an ICD 203 likelihood term (and declare it) or state the fact",
                      rule="BR108")


def _vague(loaded: LoadedBrief, path: DataPath, name: str, text: str) -> Iterator[Finding]:
    """BR106, in a key judgment's text or the BLUF (citations included: `plain` text
    finds no word the text itself lacks)."""
    for match in _VAGUE.finditer(text):
        yield Finding(place_of(loaded, path, match.group(0)), "warning",
                      f"{name} uses the vague word '{match.group(0)}', which hides the "
                      "likelihood; use an ICD 203 term", rule="BR106")


def _combined(loaded: LoadedBrief, path: DataPath, name: str, text: str,
              advice: str = "give them in separate sentences",
              whole: bool = False) -> Iterator[Finding]:
    """BR107: a sentence states both a likelihood and a confidence level. A key
    judgment's text (`whole`) is also read as one sentence, and reported once."""
    phrases = [stated[0] for sentence in sentences(text)
               if (stated := [p for p, _ in confidence_levels(sentence)]
                   + [m.group(0) for m in CONFIDENT.finditer(sentence)]) and terms(sentence)]
    if whole:
        match = _CONFIDENCE.search(text) or CONFIDENT.search(text)
        phrases = [match.group(0)] if match and terms(text) else phrases[:1]
    for phrase in phrases:
        yield Finding(place_of(loaded, path, phrase), "warning",
                      f"{name} combines a likelihood term and a confidence level in one "
                      f"sentence; {advice}", rule="BR107")
