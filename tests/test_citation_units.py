"""Unit tests of the citation layer and the coverage checks, written to kill the mutants
that survived mutmut (see the closing note of issue 13): each asserts one behaviour a
reader sees, on the smallest input that shows it."""

from __future__ import annotations

import pytest

from briefing.build.validate import validate
from briefing.compose import cite_fixes as fx
from briefing.compose import tree as t
from briefing.compose.cite import style_path
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


# -- one function, one artefact (cite_fixes.py) ---------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Kim, J.-. woo. (2023)", "Kim, J.-W. (2023)"),
    ("Lee, S.-.h. (2020)", "Lee, S.-H. (2020)"),
    ("Ji-woo Kim, 2023", "Ji-woo Kim, 2023"),
])
def test_fix_hyphenated_initials(text, expected):
    assert fx.hyphenated_initials(text) == expected


@pytest.mark.parametrize(("text", "title", "expected"), [
    ("“Why Is It?,” <i>X</i>", "Why is it?", "“Why Is It?” <i>X</i>"),
    ("<i>Why Is It?</i>, n.d.", "Why is it?", "<i>Why Is It?</i> n.d."),
    ("“Sent to Kyiv.”, para. 3", "Sent to Kyiv.", "“Sent to Kyiv.” para. 3"),
    ("“A Plain Title,” n.d.", "A plain title", "“A Plain Title,” n.d."),
])
def test_fix_title_end_punctuation(text, title, expected):
    assert fx.title_end_punctuation(text, title) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("A,, B", "A, B"),
    ("n.d.,; “T”", "n.d.; “T”"),
    ("“Title,”. Next", "“Title.” Next"),
    ("“Title.”. Next", "“Title.” Next"),
    ("“T,”, n.d.", "“T,” n.d."),
    ("Why?</i>. Next", "Why?</i> Next"),
    ("Done.. Next", "Done. Next"),
    # what the style itself writes stays (CSL test suite: bugreports_AccidentalAllCaps,
    # bugreports_SingleQuoteXml, bugreports_UnisaHarvardInitialization, name_AuthorCount)
    ("A, , B", "A, , B"),
    ("Ends here, ", "Ends here, "),
    ("A ; B", "A ; B"),
    ("Count=()", "Count=()"),
    (" (2006): 1–7.", " (2006): 1–7."),
])
def test_fix_tidy_punctuation(text, expected):
    assert fx.tidy_punctuation(text) == expected


@pytest.mark.parametrize(("text", "quotes", "expected"), [
    ("“Why “hold hands” matters”", ("“", "”", "‘", "’"), "“Why ‘hold hands’ matters”"),
    ("‘Why ‘hold hands’ matters’", ("‘", "’", "“", "”"), "‘Why “hold hands” matters’"),
    ("“Korea’s ‘hold’ and “deep” ways”", ("“", "”", "‘", "’"),
     "“Korea’s ‘hold’ and ‘deep’ ways”"),
    ("“a “b ‘c’ b” a”", ("“", "”", "‘", "’"), "“a ‘b “c” b’ a”"),
    ("top “level” stays", ("‘", "’", "“", "”"), "top “level” stays"),
])
def test_fix_nest_quotes(text, quotes, expected):
    assert fx.nest_quotes(text, quotes) == expected


def test_fix_punctuation_inside_quotes_follows_the_given_marks():
    assert fx.punctuation_inside_quotes("“A”, ‘b’. “C?”.") == "“A,” ‘b.’ “C?”"
    assert fx.punctuation_inside_quotes("«A», x", ("«", "»", "‹", "›")) == "«A,» x"


@pytest.mark.parametrize(("style", "locale", "inside", "quotes", "note"), [
    ("apa", "en-US", True, ("“", "”", "‘", "’"), False),
    ("oscola", "en-GB", False, ("‘", "’", "“", "”"), True),
    ("chicago-notes-bibliography", "en-US", True, ("“", "”", "‘", "’"), True),
])
def test_fix_style_info_reads_the_locale(style, locale, inside, quotes, note):
    info = fx.StyleInfo.read(style_path(style))
    assert (info.locale, info.punctuation_in_quote, info.quotes, info.note, info.no_date) \
        == (locale, inside, quotes, note, "n.d.")
    assert info.uses_position == (note or style != "apa")


def test_fix_style_info_knows_apa_and_numeric_styles():
    apa, ieee = fx.StyleInfo.read(style_path("apa")), fx.StyleInfo.read(style_path("ieee"))
    assert apa.is_apa and apa.title_case and not apa.numeric
    assert ieee.numeric and not ieee.is_apa


def test_fix_locale_terms_prefer_the_styles_own(tmp_path):
    style = ('<style><locale xml:lang="en"><terms><term name="no date" form="short">'
             "s.d.</term></terms><style-options punctuation-in-quote=\"false\"/></locale>"
             "</style>")
    terms = fx.LocaleTerms.read("en-US", style)
    assert terms.term("no date", "?", form="short") == "s.d."
    assert terms.term("open-quote", "?") == "“"  # from the locale file
    assert terms.option("punctuation-in-quote", "?") == "false"
    assert terms.term("no such term", "fallback") == "fallback"
    german = fx.LocaleTerms.read("de-DE", "<style/>")
    assert german.term("no date", "?", form="short") == "o.\u00a0J."


def test_fix_prepare_item_leaves_an_undated_item_undated():
    item = fx.prepare_item({"id": "a", "type": "webpage", "title": "T"})
    assert "issued" not in item  # the style prints its own "no date" term, or none
    dated = fx.prepare_item({"id": "a", "type": "webpage", "title": "T",
                             "issued": {"date-parts": [[2020]]}})
    assert dated["issued"] == {"date-parts": [[2020]]}
    genre = fx.prepare_item({"id": "a", "type": "article-newspaper", "title": "T",
                             "genre": "Opinion"})
    assert genre["title"] == "T [Opinion]" and "genre" not in genre
    site = fx.prepare_item({"id": "a", "type": "webpage", "title": "T",
                            "author": [{"literal": "Reuters"}], "container-title": "Reuters"})
    assert "container-title" not in site


@pytest.mark.parametrize(("title", "expected"), [
    ("why the war in the east goes on", "Why the War in the East Goes on"),
    ("a note: the end of an era", "A Note: The End of an Era"),
    ("“hold hands” with putin", "“Hold Hands” With Putin"),
])
def test_fix_apa_title_case(title, expected):
    assert fx.apa_title_case(title) == expected


def test_sort_keys_compare_letters_not_markup_or_leading_punctuation(monkeypatch):
    """citeproc-py compared "<i>Title" and "[Description]" before any name."""
    from briefing.compose import citeproc_mends

    monkeypatch.setattr(citeproc_mends, "_SORT_KEYS", lambda key, items, context: [
        "<i>[News report]</i>", "The Guardian", None, "“Quoted”"])
    assert citeproc_mends.sort_keys(None, [], None) == [
        "News report]", "The Guardian", None, "Quoted”"]


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
