"""The citation engine: pandoc's citeproc, run once per brief, offline, with each
citation's parts (locator, prefix, mode, note) given as pandoc reads them."""

from __future__ import annotations

import pytest

from briefing.compose import cite, pandoc_citeproc
from briefing.compose.citation_styles import StyleError, style_path
from briefing.compose.tree import plain_text
from briefing.model import Name, Source
from briefing.model.inline import CiteItem

CHA = Source(id="cha", type="report", title="North Korea sends ammunitions to Russia",
             date="2022-11-07", reliability="B", authors=[Name(family="Cha", given="Victor")])


def _texts(style, items: list[tuple[CiteItem, ...]], sources=(CHA,)) -> list[str]:
    citer = cite.Citer(list(sources), style if not isinstance(style, str) else
                       style_path(style))
    handles = [citer.register(item) for item in items]
    return [plain_text(citer.format(h)) for h in handles]


@pytest.mark.parametrize(("style", "locator", "expected"), [
    ("apa", "para. 7", "(Cha, 2022, para. 7)"),
    ("apa", "p. 4", "(Cha, 2022, p. 4)"),
    ("apa", "ch. 3", "(Cha, 2022, Chapter 3)"),
    ("apa", "fig. 2", "(Cha, 2022, Figure 2)"),
    ("din-1505-2", "para. 7", "(Cha, 2022, Abs. 7)"),
    ("din-1505-2", "p. 4", "(Cha, 2022, S. 4)"),
])
def test_a_locator_reaches_the_style_with_its_label(style, locator, expected):
    """The label travels as a term of the style's locale ("Seite" in German), so pandoc
    reads it back as the label it is, and the style prints its own form of it."""
    assert _texts(style, [(CiteItem("cha", locator),)]) == [expected]


def test_prefix_and_suppressed_author_take_the_styles_form():
    assert _texts("apa", [(CiteItem("cha", "p. 4", "see"),),
                          (CiteItem("cha", "", "", True),)]) == ["(see Cha, 2022, p. 4)",
                                                                 "(2022)"]


def test_a_narrative_citation_names_the_author_in_the_style_s_form():
    citer = cite.Citer([CHA], style_path("chicago-author-date"))
    handle = citer.register((CiteItem("cha", "p. 4"),), narrative=True)
    assert plain_text(citer.format(handle)) == "Cha (2022, 4)"


def test_one_pandoc_run_formats_a_whole_brief(monkeypatch):
    runs = []
    real = pandoc_citeproc.run_pandoc

    def counted(*args):
        runs.append(args)
        return real(*args)

    monkeypatch.setattr(cite, "run_pandoc", counted)
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    cite._CACHE.clear()
    texts = _texts("oscola", [(CiteItem("cha", "p. 4"),)] * 3)
    assert len(runs) == 1
    assert texts == ["Victor Cha, ‘North Korea Sends Ammunitions to Russia’ (2022) 4.",
                     "ibid.", "ibid."]  # the same page: ibid, not ibid-with-locator


def test_a_dependent_style_is_refused_before_anything_is_fetched(tmp_path):
    dependent = tmp_path / "dependent.csl"
    dependent.write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" '
        'version="1.0"><info><link href="http://www.zotero.org/styles/nowhere" '
        'rel="independent-parent"/></info></style>\n', "utf-8")
    with pytest.raises(StyleError) as raised:
        cite.Citer([CHA], dependent)
    assert str(raised.value) == ("citation style 'dependent.csl' is a dependent style: name "
                                 "its independent parent instead (nothing is fetched)")


def test_without_pandoc_the_message_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(pandoc_citeproc, "find_spec", lambda name: None)
    monkeypatch.setattr("shutil.which", lambda name: None)
    cite._CACHE.clear()
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    citer = cite.Citer([CHA], style_path("apa"))
    handle = citer.register((CiteItem("cha"),))
    with pytest.raises(StyleError) as raised:
        citer.format(handle)
    assert str(raised.value) == ("pandoc is needed to format citations: install "
                                 "pypandoc-binary (pip install pypandoc-binary) or put "
                                 "pandoc 3 on PATH")


def test_a_style_pandoc_cannot_read_is_a_style_error(tmp_path, monkeypatch):
    broken = tmp_path / "broken.csl"
    broken.write_text('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl"'
                      ' version="1.0" class="in-text"><citation/></style>\n', "utf-8")
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    citer = cite.Citer([CHA], broken)
    handle = citer.register((CiteItem("cha"),))
    with pytest.raises(StyleError) as raised:
        citer.format(handle)
    assert str(raised.value).startswith("pandoc could not format the citations in style "
                                        "'broken.csl': ")
