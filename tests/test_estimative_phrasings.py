"""The estimative rules match ideas, not one string: every hedge, double negative and
fused confidence is caught in inflected and negated forms and in at least five
phrasings, and the look-alikes a good editor writes are not."""

from __future__ import annotations

import pytest

from briefing.review.families.estimative import CONFIDENT, DOUBLE_NEGATIVE, HEDGES, TIMEFRAME
from briefing.review.words import content_words, lemma, verb_forms

PHRASINGS = {
    "cannot exclude": ["It cannot be ruled out that", "we cannot rule out a rupture",
                       "one can't exclude a rupture", "a rupture could not be excluded",
                       "it cannot yet be discounted", "we could not entirely dismiss it",
                       "it can not be precluded"],
    "appearance": ["the alliance appears to hold", "it appeared that", "it seems that",
                   "Moscow seemed to agree", "the ties are seemingly firm",
                   "apparently, the pact holds", "it would seem", "appearing to weaken"],
    "possibility": ["it is possible that", "there is a real possibility",
                    "there was a slight chance", "conceivably", "it remains plausible",
                    "it's possible the pact"],
}
DOUBLE = ["not unlikely", "not improbable", "hardly unlikely", "by no means impossible",
          "isn't unlikely", "not entirely implausible", "not without a chance",
          "no small chance", "far from inconceivable"]
FUSED = ["we are fairly sure", "I am quite certain", "we remain confident",
         "with considerable confidence", "we hold some confidence", "confidently",
         "we are not sure"]
PLAIN = ["North Korea will likely supply shells", "The treaty appeared in June 2024",
         "the minister said the meeting is planned", "It is unlikely to hold",
         "We assess that the pact holds", "The pact would fade if the war ended"]


@pytest.mark.parametrize("idea", list(PHRASINGS))
def test_each_hedge_idea_is_caught_in_five_phrasings_or_more(idea):
    assert len(PHRASINGS[idea]) >= 5
    for phrase in PHRASINGS[idea]:
        assert HEDGES.search(phrase), phrase


def test_double_negatives_and_fused_confidence_in_many_phrasings():
    assert len(DOUBLE) >= 5 and len(FUSED) >= 5
    for phrase in DOUBLE:
        assert DOUBLE_NEGATIVE.search(phrase), phrase
    for phrase in FUSED:
        assert CONFIDENT.search(phrase), phrase


def test_plain_statements_are_not_hedges():
    for phrase in PLAIN:
        assert not HEDGES.search(phrase), phrase
        assert not DOUBLE_NEGATIVE.search(phrase), phrase
        assert not CONFIDENT.search(phrase), phrase


def test_time_frames_in_their_forms():
    for phrase in ("by 2027", "before the end of the year", "within six months",
                   "over the next two years", "through 2026", "in the coming months"):
        assert TIMEFRAME.search(phrase), phrase
    assert not TIMEFRAME.search("The alliance will likely hold.")


def test_lemmas_join_inflections():
    for forms in (("appear", "appears", "appeared", "appearing"),
                  ("rule", "rules", "ruled", "ruling"), ("supply", "supplies", "supplied"),
                  ("missile", "missiles"), ("plan", "planned", "planning")):
        assert len({lemma(f) for f in forms}) == 1, forms
    assert verb_forms("seem") == ("seem", "seems", "seemed", "seeming")
    assert content_words("The shells were supplied") == content_words("supplying shell")
