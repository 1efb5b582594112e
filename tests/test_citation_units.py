"""Unit tests of the citation layer and the coverage checks, written to kill the mutants
that survived mutmut (see the closing note of issue 13): each asserts one behaviour a
reader sees, on the smallest input that shows it."""

from __future__ import annotations

import pytest

from briefing.build.validate import validate
from briefing.compose import locators
from briefing.compose import tree as t
from briefing.compose.notes import mark_follows_punctuation, place_notes

NOTE = t.Footnote((t.Text("Cha, 4."),))


# -- note marks (notes.py) ---------------------------------------------------------------


@pytest.mark.parametrize(("before", "after", "expected_before", "expected_after"), [
    ("the invasion ", "; he said", "the invasion;", " he said"),
    ("the invasion ", ". Next", "the invasion.", " Next"),
    ("as ‘imperialism’ ", ".", "as ‘imperialism’.", ""),
    ("cited for it, ", ", is dated", "cited for it,", " is dated"),  # no doubled comma
    ("a word", " and more", "a word", " and more"),  # no punctuation: nothing moves
])
def test_fix_note_mark_joins_its_word_and_follows_punctuation(before, after, expected_before,
                                                              expected_after):
    out = place_notes((t.Text(before), NOTE, t.Text(after)), "en")
    texts = [n.text for n in out if isinstance(n, t.Text)]
    assert out[[i for i, n in enumerate(out) if n is NOTE][0] - 1] == t.Text(expected_before)
    assert texts[-1:] == ([expected_after] if expected_after else [expected_before])


def test_fix_note_mark_at_the_start_takes_the_punctuation_before_it():
    out = place_notes((NOTE, t.Text(", then")), "en-GB")
    assert out == (t.Text(","), NOTE, t.Text(" then"))


def test_fix_note_mark_in_french_precedes_the_punctuation():
    out = place_notes((t.Text("l’invasion "), NOTE, t.Text(". Puis")), "fr-FR")
    assert out == (t.Text("l’invasion"), NOTE, t.Text(". Puis"))
    assert not mark_follows_punctuation("fr") and not mark_follows_punctuation("FR-ca")
    assert mark_follows_punctuation("en-US") and mark_follows_punctuation("de")


def test_fix_citation_in_a_note_gives_its_full_stop_to_the_next_sentence():
    cite = t.Citation((t.Text("Cha, para. 7."),), ("cha",), "ref-cha")
    assert place_notes((cite, t.Text(". Source C")), "en") == (cite, t.Text(" Source C"))
    bare = t.Citation((t.Text("(Cha 2022)"),), ("cha",), "ref-cha")
    assert place_notes((bare, t.Text(". Next")), "en") == (bare, t.Text(". Next"))


# -- locators as pandoc reads them (locators.py) ------------------------------------------


@pytest.mark.parametrize(("label", "lang", "term"), [
    ("page", "en-US", "page"), ("paragraph", "en-GB", "paragraph"),
    ("page", "de-DE", "Seite"), ("paragraph", "de", "Absatz"),  # "de": its primary dialect
    ("section", "fr-FR", "section"), ("chapter", "ru-RU", "глава"),
    ("sub-verbo", "en-US", "sub verbo"), ("page", "xx-XX", "page"),  # unknown: en-US
])
def test_a_locator_label_is_written_as_a_term_of_the_styles_locale(label, lang, term):
    assert locators.label_term(label, lang, []) == term
    assert locators.locator_map(lang, [])[term.casefold()] == label


def test_a_styles_own_locale_terms_come_first_and_a_term_two_labels_share_is_not_used():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl"><locale xml:lang="en">'
             '<terms><term name="paragraph"><single>graf</single><multiple>grafs</multiple>'
             '</term><term name="line"><single>page</single></term></terms></locale>'
             '<locale xml:lang="fr"><terms><term name="page">pp</term></terms></locale>'
             "</style>")
    overrides = locators.style_terms(style, "en-US")
    assert overrides == [{"paragraph": ["graf", "grafs"], "line": ["page"]}]
    assert locators.label_term("paragraph", "en-US", overrides) == "graf"
    # "page" is now a line's term as well; pandoc reads it as a line (its order),
    # so a page is written with another of its terms
    assert locators.locator_map("en-US", overrides)["page"] == "line"
    assert locators.label_term("page", "en-US", overrides) == "pages"


# -- the coverage checks (evidence and sources: BR401-BR403, BR601) --------------------------

COVERAGE = {"BR401", "BR402", "BR403", "BR601"}


def _coverage(brief) -> list:
    return [f for f in validate(brief.folder).findings if f.rule in COVERAGE]


def _findings(brief) -> list[str]:
    return [f"{f.place.line}:{f.severity}:{f.message}" for f in _coverage(brief)]


SECOND_SOURCE = """  - id: second-source
    type: web-page
    title: Another source
    date: unknown
    reliability: {rating}
"""
SECOND_EVIDENCE = """      - id: ev-2
        kind: reporting
        text: What the second source reports.
        source: second-source
        credibility: 3
"""


def _two_sources(brief, rating: str) -> None:
    brief.edit("        credibility: 6\n", "        credibility: 6\n" + SECOND_EVIDENCE)
    brief.write(brief.text() + SECOND_SOURCE.format(rating=rating))
    brief.edit("confidence: low", "confidence: high")


def test_fix_high_confidence_on_weak_sources_only_is_a_warning(brief):
    _two_sources(brief, "E")
    line = int(brief.pos("confidence: high").split(":")[1])
    assert _findings(brief) == [f"{line}:warning:key judgment 'kj-1' is held with high "
                                "confidence but rests only on sources rated D-F; corroborate "
                                "it from a better-rated source or lower the confidence"]


def test_fix_one_source_rated_a_to_c_clears_the_weak_sources_warning(brief):
    _two_sources(brief, "C")
    assert _findings(brief) == []


def test_fix_high_confidence_on_one_source_is_a_warning(brief):
    brief.edit("confidence: low", "confidence: high")
    line = int(brief.pos("confidence: high").split(":")[1])
    assert _findings(brief) == [f"{line}:warning:key judgment 'kj-1' is held with high "
                                "confidence but rests on a single source ('example-source'); "
                                "corroborate it from an independent source or lower the "
                                "confidence"]


def test_fix_low_confidence_on_weak_sources_is_no_warning(brief):
    _two_sources(brief, "E")
    brief.edit("confidence: high", "confidence: moderate")
    assert _findings(brief) == []


def test_fix_a_judgment_without_evidence_is_an_error_at_the_judgment(brief):
    text = brief.text()
    start = text.index("    evidence:\n")
    end = text.index("\nalternative_views:")
    brief.write(text[:start] + "    evidence: []\n" + text[end:])
    line = int(brief.pos("- id: kj-1").split(":")[1])
    assert _findings(brief) == [
        f"{line}:error:key judgment 'kj-1' has no evidence; every judgment needs at least "
        "one item of evidence (ICD 203 standard 6)"]  # the BLUF still cites the source
    finding = _coverage(brief)[0]
    assert (finding.place.col, finding.rule) == (5, "BR601")


def test_fix_a_source_never_cited_is_a_warning_at_its_id(brief):
    brief.write(brief.text() + SECOND_SOURCE.format(rating="B"))
    where = brief.pos("second-source")
    (finding,) = _coverage(brief)
    assert (str(finding.place), finding.severity, finding.message) == (
        where, "warning", "source 'second-source' is never cited; cite it or remove it")
