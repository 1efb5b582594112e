"""Each citation slip a copy-editor marks, tested in several styles on sources of every
type with an unknown date and no author (and, for names, with one).

The citation layer formats them through pandoc's citeproc, which follows the CSL
specification (tests/csl-suite), so every style a user names gets the same care and
no style is second-guessed after the fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from briefing.compose.citation_styles import style_path
from briefing.compose.cite import Citer
from briefing.compose.tree import plain_text
from briefing.model import Name, Source
from briefing.model.inline import CiteItem
from briefing.model.vocab import SOURCE_TYPES

PERIODICALS = {"news-article", "magazine-article", "journal-article", "opinion-piece"}
# A plain title, a title that ends in "?" and quotes a phrase, one that ends in ".".
TITLES = ("The zebra {kind} account", "Why does “zebra” {kind} matter?",
          "Aid for zebra {kind} sent to Kyiv.")


@dataclass
class Formatted:
    """What one style made of every source: first and later citations, entries."""

    first: dict[str, str]
    later: dict[str, str]
    entries: dict[str, str]
    together: str = ""  # one citation of every source (a note citing several)


def authorless_undated() -> list[Source]:
    """A source of every type, none with an author or a date; the three title shapes
    take turns, so each shape meets four types."""
    return [Source(id=f"s-{kind}", type=kind, title=TITLES[i % 3].format(kind=kind),
                   container="The Outlet" if kind in PERIODICALS else None, reliability="C")
            for i, kind in enumerate(SOURCE_TYPES)]


def formatted(style: str, sources: list[Source]) -> Formatted:
    citer = Citer(sources, style_path(style))
    first = {s.id: citer.register((CiteItem(s.id, "para. 3"),)) for s in sources}
    later = {s.id: citer.register((CiteItem(s.id, "para. 4"),)) for s in sources}
    together = citer.register(tuple(CiteItem(s.id) for s in sources))
    return Formatted(
        {key: plain_text(citer.format(h)) for key, h in first.items()},
        {key: plain_text(citer.format(h)) for key, h in later.items()},
        {key: plain_text(entry) for key, entry in citer.references()},
        plain_text(citer.format(together)))


@cache
def authorless(style: str) -> Formatted:
    """`formatted` for every source type, authorless and undated, once per run."""
    return formatted(style, authorless_undated())


def every_text(result: Formatted) -> list[tuple[str, str]]:
    return [(f"{kind} {key}", text) for kind, texts in
            (("first", result.first), ("later", result.later), ("entry", result.entries))
            for key, text in texts.items()]


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes-bibliography",
                                   "chicago-shortened-notes-bibliography", "oscola"])
def test_an_authorless_work_appears_by_title_once(style):
    """Chicago's note and OSCOLA's repeated the title the author position took."""
    result = authorless(style)
    for where, text in every_text(result):
        assert len(re.findall("zebra", text, re.IGNORECASE)) <= 1, f"{where}: {text}"
    for where, text in result.entries.items():  # in the list, by its title
        assert len(re.findall("zebra", text, re.IGNORECASE)) == 1, f"{where}: {text}"


# Punctuation CSL processors merge (the CSL test suite's punctuation_FullMonty*
# fixtures): a full stop after "?", "!" or a full stop is absorbed. A comma after them
# stays ("question?, comma", "period., comma"), as the styles' delimiters print it.
DOUBLED = {
    "a full stop after ? or !": r"[?!][”’]*\.",
    "a comma before other punctuation": r",[”’]*\s*[,.;:]",
    "a full stop after a title's own full stop": r"Kyiv\.[”’]*\.",
    "two full stops": r"\.\.",
    "an empty pair of brackets": r"\(\s*\)",
    "a trailing comma": r",\s*$",
}


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes-bibliography",
                                   "oscola", "modern-language-association", "mhra-notes"])
def test_no_doubled_punctuation(style):
    result = authorless(style)
    for where, text in [*every_text(result), ("one citation of all", result.together)]:
        for slip, pattern in DOUBLED.items():
            assert not re.search(pattern, text), f"{slip} in {where}: {text}"


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_an_unknown_date_gives_n_d_for_every_source_type(style):
    """Author-date styles print their "n.d." once for every undated source type."""
    result = authorless(style)
    for where, text in [*result.first.items(), *result.entries.items()]:
        assert text.count("n.d.") == 1, f"{where}: {text}"


@pytest.mark.parametrize("style", ["chicago-notes-bibliography", "oscola"])
def test_an_unknown_date_prints_what_the_style_says(style):
    """A note style prints "n.d." where its own date macros do (Chicago: a book; OSCOLA
    never), never twice, and never because briefing wrote a fake date into the item."""
    result = authorless(style)
    for where, text in [*result.first.items(), *result.entries.items()]:
        assert text.count("n.d.") <= 1, f"{where}: {text}"
    if style == "oscola":
        assert not any("n.d." in text for text in result.entries.values())


@pytest.mark.parametrize(("style", "first_note", "entry"), [
    ("chicago-notes-bibliography", "Raphael Degraeve,", "Degraeve, Raphael."),
    ("chicago-author-date", "(Degraeve, n.d.", "Degraeve, Raphael."),  # CMOS: comma before n.d.
    ("modern-language-association", "(Degraeve", "Degraeve, Raphael."),
    ("oscola", "Raphael Degraeve,", "Degraeve R,"),
    ("apa", "(Degraeve, n.d.", "Degraeve, R."),
])
def test_given_names_are_printed_as_the_style_says(style, first_note, entry):
    """Styles that spell given names out (`initialize="false"`) got initials."""
    source = Source(id="d", type="web-page", title="A post", reliability="C",
                    authors=[Name(family="Degraeve", given="Raphael")])
    result = formatted(style, [source])
    assert result.first["d"].startswith(first_note), result.first["d"]
    assert result.entries["d"].startswith(entry), result.entries["d"]


@pytest.mark.parametrize(("style", "note"), [
    ("chicago-notes-bibliography", "C. Yilek,"), ("oscola", "C Yilek,"),
    ("mhra-notes", "C. Yilek,")])
def test_a_given_initial_takes_the_styles_initial_mark(style, note):
    """A name stored as an initial ("C.") is printed with the style's mark (OSCOLA: none)."""
    source = Source(id="y", type="web-page", title="A post", reliability="C",
                    authors=[Name(family="Yilek", given="C.")])
    assert formatted(style, [source]).first["y"].startswith(note)


@pytest.mark.parametrize(("style", "title", "quoted"), [
    ("chicago-notes-bibliography", "Why “hold hands” matters", "“Why ‘Hold Hands’ Matters,”"),
    ("apa", "Why “hold hands” matters", "(“Why ‘Hold Hands’ Matters,” n.d."),
    ("modern-language-association", "Why “hold hands” matters", "(“Why ‘Hold Hands’ Matters,”"),
    ("oscola", "Why ‘hold hands’ matters", "‘Why “Hold Hands” Matters’"),
])
def test_a_quotation_inside_a_quotation_takes_the_inner_marks(style, title, quoted):
    source = Source(id="q", type="news-article", title=title, container="The Outlet",
                    reliability="C")
    assert quoted in formatted(style, [source]).first["q"]


@pytest.mark.parametrize(("style", "inside"), [
    ("chicago-notes-bibliography", True), ("apa", True), ("oscola", False),
    ("mhra-notes", False)])
def test_punctuation_follows_the_locales_quotation_rule(style, inside):
    """en-US moves commas and full stops inside closing quotation marks; en-GB does not."""
    texts = [text for _, text in every_text(authorless(style))]
    quoted = [text for text in texts if re.search(r"[”’]", text)]
    assert quoted
    for text in quoted:
        if inside:
            assert not re.search(r"\w[”’][.,]", text), text
        else:
            assert not re.search(r"\w[.,][”’]", text.replace("Kyiv.", "Kyiv")), text
    if inside:
        assert any(re.search(r"\w,”", text) for text in quoted)


# -- the style's own say: sort order, no-date term, untitled works ---------------------

DATE_SORTED = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="{locale}">
  <info><title>Sorted by date</title><id>test-date-sorted</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="year">
    <choose>
      <if variable="issued"><date variable="issued"><date-part name="year"/></date></if>
      <else><text term="no date" form="short"/></else>
    </choose>
  </macro>
  <citation><layout prefix="(" suffix=")"><text macro="year"/></layout></citation>
  <bibliography>
    <sort><key variable="issued"/></sort>
    <layout suffix="."><group delimiter=", "><text variable="title"/>
      <text macro="year"/></group></layout>
  </bibliography>
</style>
"""


def _style_file(tmp_path, locale: str = "en-US"):
    path = tmp_path / "date-sorted.csl"
    path.write_text(DATE_SORTED.format(locale=locale), "utf-8")
    return path


def test_a_style_that_sorts_by_date_keeps_its_own_order(tmp_path):
    """The list was re-sorted alphabetically (APA's order) for every non-numeric style."""
    sources = [Source(id=key, type="book", title=title, date=date, reliability="C")
               for key, title, date in (("a", "Alpha", "2023"), ("z", "Zulu", "2020"),
                                        ("m", "Mike", "2021-05"))]
    citer = Citer(sources, _style_file(tmp_path))
    citer.register(tuple(CiteItem(s.id) for s in sources))
    assert [key for key, _ in citer.references()] == ["z", "m", "a"]


def test_a_german_style_prints_o_j_for_an_undated_work(tmp_path):
    """"n.d." is the locale's term, printed by the style's own date macros, never a fake
    date: German styles print "o. J." (or what their own locale says)."""
    undated = [Source(id="u", type="book", title="Ein Buch", reliability="C",
                      authors=[Name(family="Müller", given="Hans")])]
    for style in (_style_file(tmp_path, "de-DE"), style_path("der-moderne-staat")):
        citer = Citer(undated, style)
        text = plain_text(citer.format(citer.register((CiteItem("u"),))))
        assert "o.\u00a0J." in text and "n.d." not in text, (style.name, text)


def test_a_style_that_prints_no_date_gets_none(tmp_path):
    """`<if variable="issued">` is false for an undated work: DIN 1505-2 prints nothing
    there (it printed "n.d." when briefing wrote a literal date into every item)."""
    undated = [Source(id="u", type="book", title="Ein Buch", reliability="C",
                      authors=[Name(family="Müller", given="Hans")])]
    citer = Citer(undated, style_path("din-1505-2"))
    texts = [plain_text(citer.format(citer.register((CiteItem("u"),)))),
             *(plain_text(entry) for _, entry in citer.references())]
    assert not any("n.d." in text or "o.\u00a0J." in text for text in texts), texts


def test_german_quotation_marks_stay_paired():
    """In a German style a second title in the same note closed with a single low
    quotation mark (seen in NK under din-1505-2: „… [Opinion]‚, o. J.)."""
    sources = [Source(id=key, type="news-article", title=title, container="Die Zeitung",
                      reliability="C")
               for key, title in (("a", "Erster Titel"), ("b", "Kim ‘holds hands’ with Putin"),
                                  ("c", "Why is “zebra” here"))]
    result = formatted("din-1505-2", sources)
    texts = [result.together, *result.entries.values()]
    assert "‚" not in result.together.replace("‚holds hands‘", "").replace("‚zebra‘", "")
    for text in texts:
        assert text.count("„") == text.count("“"), text
        assert text.count("‚") == text.count("‘"), text


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes-bibliography",
                                   "din-1505-2", "ieee"])
def test_untitled_sources_format(style):
    """An untitled web page and a statement known by its description print the
    description (APA: plain, in brackets); an item with no title at all does not crash."""
    sources = [Source(id="w", type="web-page", description="[Web page on the summit]",
                      url="https://example.org/x", reliability="C"),
               Source(id="s", type="government-statement",
                      description="[Statement on the summit]", reliability="C",
                      authors=[Name(literal="Ministry of Foreign Affairs")])]
    result = formatted(style, sources)
    for key, words in (("w", "Web page on the summit"), ("s", "Statement on the summit")):
        assert words.lower() in (result.first[key] + result.entries.get(key, "")).lower()
    if style == "apa":
        assert result.entries["w"].startswith("[Web page on the summit]. (n.d.).")
    bare = Citer.from_items([{"id": "x", "type": "webpage", "URL": "https://e.org"}],
                            style_path(style))
    handle = bare.register((CiteItem("x"),))
    assert bare.citation_html(handle) is not None and bare.reference_html() is not None


@pytest.mark.parametrize(("style", "first", "second"), [
    ("apa", "(Reuters, 2023a", "(Reuters, 2023b"),
    ("chicago-author-date", "(Reuters 2023a", "(Reuters 2023b")])
def test_works_cited_alike_get_year_suffixes(style, first, second):
    """Two Reuters reports of one year were cited alike, "(Reuters, 2023)" twice: the
    style's `disambiguate-add-year-suffix` gives them "a" and "b" in list order."""
    sources = [Source(id=key, type="news-article", title=title, date="2023-06-12",
                      container="Reuters", reliability="B", authors=[Name(literal="Reuters")])
               for key, title in (("r2", "Zinc prices climb"), ("r1", "Aid reaches Kyiv"))]
    result = formatted(style, sources)
    assert result.first["r1"].startswith(first), result.first
    assert result.first["r2"].startswith(second), result.first
    assert "2023a" in result.entries["r1"] and "2023b" in result.entries["r2"], result.entries
    assert list(result.entries) == ["r1", "r2"]


def test_a_prefix_is_printed_as_written():
    """`[see @x]`: the prefix was parsed and dropped; it is the writer's text, so no
    mend touches it (en-US would move the full stop into ‘so’) and markup in it is
    text, as raw HTML is off."""
    source = Source(id="x", type="report", title="A report", date="2022", reliability="B",
                    authors=[Name(family="Cha", given="Victor")])
    citer = Citer([source], style_path("apa"))
    see = citer.register((CiteItem("x", "p. 4", "see"),))
    odd = citer.register((CiteItem("x", "", "<b>&</b> ‘so’."),))
    assert plain_text(citer.format(see)) == "(see Cha, 2022, p. 4)"
    assert citer.citation_html(odd).startswith("(&lt;b&gt;&amp;&lt;/b&gt; ‘so’. Cha")
