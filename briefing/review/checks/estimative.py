"""Estimative language agrees with the declared likelihood (ICD 203, TRADECRAFT §2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model.vocab import ESTIMATIVE_FORMS, LIKELIHOOD_BANDS, VAGUE_WORDS

from .prose import place_of

_FORMS = re.compile(
    r"\b(" + "|".join(re.escape(f) for f in sorted(ESTIMATIVE_FORMS, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
_VAGUE = re.compile(r"\b(" + "|".join(VAGUE_WORDS) + r")\b", re.IGNORECASE)
_CONFIDENCE = re.compile(r"\b(high|moderate|low)\s+confidence\b", re.IGNORECASE)


def estimative_terms(text: str) -> list[tuple[str, str, int]]:
    """(surface form, band, column) of each estimative term in `text`."""
    return [(m.group(0), *ESTIMATIVE_FORMS[m.group(0).lower()]) for m in _FORMS.finditer(text)]


def _band(term: str) -> str:
    _, _, low, high = LIKELIHOOD_BANDS[term]
    return f"{low:02d}-{high:02d} %"


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    items = [(("key_judgments", i), "key judgment", kj.id, kj.text, kj.likelihood, True)
             for i, kj in enumerate(brief.key_judgments)]
    items += [(("alternative_views", i), "alternative view", alt.id, alt.text,
               alt.likelihood, alt.likelihood is not None)
              for i, alt in enumerate(brief.alternative_views)]
    columns: dict[int, tuple[str, tuple, str]] = {}
    for path, kind, ident, text, likelihood, strict in items:
        text_path = (*path, "text")
        terms = estimative_terms(text)
        for form, band, column in terms:
            columns.setdefault(column, (form, text_path, f"{kind} '{ident}'"))
            if likelihood is None and strict:
                yield Finding(place_of(loaded, text_path, form), "error",
                              f"{kind} '{ident}' says '{form}' but declares no likelihood; "
                              f"add 'likelihood: {band}' or state it as a fact",
                              rule="estimative")
            elif likelihood is not None and band != likelihood:
                yield Finding(place_of(loaded, text_path, form), "error",
                              f"{kind} '{ident}' says '{form}' ({band}, {_band(band)}) but "
                              f"declares likelihood '{likelihood}' ({_band(likelihood)})",
                              rule="estimative")
        if likelihood is not None and not terms:
            yield Finding(loaded.place(*text_path), "warning",
                          f"{kind} '{ident}' declares likelihood '{likelihood}' but its text "
                          f"uses no estimative term; say '{likelihood}'", rule="estimative")
        if kind == "key judgment":
            yield from _style(loaded, text_path, ident, text, bool(terms))
    if len(columns) > 1:
        (form, path, item), (main, main_path, main_item) = columns[1], columns[0]
        yield Finding(place_of(loaded, path, form), "warning",
                      f"{item} says '{form}', an alternative ICD 203 term, while {main_item} "
                      f"says '{main}' from the main column ({place_of(loaded, main_path, main)})"
                      f"; use terms from one column throughout, e.g. "
                      f"'{ESTIMATIVE_FORMS[form.lower()][0]}'", rule="estimative")


def _style(loaded: LoadedBrief, path: tuple, ident: str, text: str,
           has_term: bool) -> Iterator[Finding]:
    for match in _VAGUE.finditer(text):
        yield Finding(place_of(loaded, path, match.group(0)), "warning",
                      f"key judgment '{ident}' uses the vague word '{match.group(0)}', which "
                      "hides the likelihood; use an ICD 203 term", rule="estimative")
    confidence = _CONFIDENCE.search(text)
    if confidence and has_term:
        yield Finding(place_of(loaded, path, confidence.group(0)), "warning",
                      f"key judgment '{ident}' combines a likelihood term and a confidence "
                      "level in one sentence; give confidence in its own field",
                      rule="estimative")
