"""Text helpers the rule families share: citations stripped, sentences, BLUF fields,
estimative terms and forecasts found by pattern (no language model)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import DataPath
from briefing.model.vocab import ESTIMATIVE_FORMS, LIKELIHOOD_BANDS
from briefing.review.prose import prose_fields

CITATION = re.compile(r"\[[^\]]*@[^\]]*\]|(?<![\w.])@[A-Za-z0-9][\w.:-]*")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
TERMS = re.compile(
    r"\b(" + "|".join(re.escape(f) for f in sorted(ESTIMATIVE_FORMS, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
FORECAST = re.compile(
    r"(?<!\bthe )(?<!\bpolitical )(?<!\bits )(?<!\btheir )\b(will|won['’]t|shall|"
    r"(?:is|are) (?:set|expected|poised|going|bound|due|projected|forecast) to)\b",
    re.IGNORECASE)
CONFIDENCE_WORDS = re.compile(
    r"\b(?:(high|moderate|medium|low)(?:-|\s+)confidence|(highly) confident|"
    r"(?:we are|i am|remain) (confident))\b", re.IGNORECASE)
_LEVEL = {"high": "high", "highly": "high", "confident": "high", "moderate": "moderate",
          "medium": "moderate", "low": "low"}


_CLAUSE = re.compile(r"[;:,]|\b(?:and|but|so|while|whereas|although)\b")


def clause(sentence: str, start: int) -> str:
    """The clause of `sentence` around the character at `start`."""
    bounds = [m.start() for m in _CLAUSE.finditer(sentence)]
    begin = max([b for b in bounds if b <= start], default=0)
    end = min([b for b in bounds if b > start], default=len(sentence))
    return sentence[begin:end]


def plain(text: str) -> str:
    """Text without citations (whose keys hold words and years of their own)."""
    return CITATION.sub(" ", text)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(plain(text).strip()) if s.strip()]


def terms(text: str) -> list[tuple[str, str]]:
    """(surface form, band) of each ICD 203 term in `text`."""
    return [(m.group(0), ESTIMATIVE_FORMS[m.group(0).lower()][0])
            for m in TERMS.finditer(text)]


def forecasts(text: str) -> list[str]:
    """The forecast markers (will, is set to, is expected to …) in `text`."""
    return [m.group(0) for m in FORECAST.finditer(text)]


def bare_forecasts(sentence: str) -> list[str]:
    """Forecast markers whose clause states no likelihood."""
    return [m.group(0) for m in FORECAST.finditer(sentence)
            if not terms(clause(sentence, m.start()))]


def confidence_levels(text: str) -> list[tuple[str, str]]:
    """(phrase, level) of each statement of confidence in `text`."""
    found = []
    for match in CONFIDENCE_WORDS.finditer(text):
        word = next(g for g in match.groups() if g)
        found.append((match.group(0), _LEVEL[word.lower()]))
    return found


def strength(band: str) -> float:
    """How far a likelihood band stands from even odds (0 to 50)."""
    _, _, low, high = LIKELIHOOD_BANDS[band]
    return abs((low + high) / 2 - 50)


def bluf_fields(loaded: LoadedBrief) -> Iterator[tuple[DataPath, str]]:
    """(path, text) of each BLUF paragraph."""
    return ((path, text) for path, text in prose_fields(loaded) if path[0] == "bluf")


def outlook_fields(loaded: LoadedBrief) -> Iterator[tuple[DataPath, str]]:
    return ((path, text) for path, text in prose_fields(loaded) if path[0] == "outlook")
