"""Citations and the reference list: APA 7 entry by entry, other styles, citeproc fixes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.build.pipeline import build
from briefing.build.validate import validate
from briefing.compose import tree as t
from briefing.compose.composer import compose
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout
from briefing.model.vocab import SOURCE_TYPES

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
SUPPORTED_STYLES = ("apa", "chicago-author-date", "ieee", "modern-language-association",
                    "chicago-notes-bibliography")

# The NK brief's reference list as APA 7 sets it, worked out from the rules for each
# kind of source (APA 7 ch. 9-10): sentence-case titles; italics (between *…*) for
# stand-alone works and periodical names, not for articles; the site name left out
# when it is the author; no author: the title or [description] moves to the author
# position; n.d. for no date; DOIs as https://doi.org/ links; alphabetised letter by
# letter on the first significant word (brackets ignored), Cyrillic after Latin.
# Two entries are as APA's CSL style sets them through a processor that follows the
# CSL specification: a quotation inside a title takes the locale's first-level marks
# (“holds hands”; the Guardian's headline has ‘…’), and an authorless opinion piece
# whose outlet is unknown is a stand-alone work (italic) with its genre after the date.
EXPECTED_APA = [
    "Associated Press. (2023, March 31). Russia seeking weapons from North Korea to "
    "bolster Ukraine war, says US. *The Guardian*.",
    "Cha, V. (2022, November 7). *North Korea sends ammunitions to Russia*. Center for "
    "Strategic and International Studies.",
    "Degraeve, R. (n.d.). *North Korea strengthens strategic alliance with Russia amidst "
    "Ukrainian conflict* (M. Puggia & M. Reyes Castro, Eds.).",
    "Garamone, J. (2023, March 3). *U.S. sends Ukraine $400 million in military "
    "equipment*. U.S. Department of Defense.",
    "McCurry, J. (2023, June 12). Kim Jong-un “holds hands” with Vladimir Putin as "
    "Russia-North Korea ties deepen. *The Guardian*.",
    "Ministry of Foreign Affairs. (2023, June 15). *Greetings to Russian President*. "
    "KCNA Watch.",
    "[News report on North Korea as Russia’s most crucial wartime ally]. (n.d.).",
    "[News report on North Korea’s support for Russia’s war in Ukraine]. (n.d.).",
    "*North Korea’s deepening ties with Russia mark a dangerous shift in global alliances*. "
    "(n.d.). [Opinion].",
    "Reuters. (2023, June 12). *North Korea’s Kim vows to “hold hands” with Putin for "
    "strategic cooperation*.",
    "Shin, M. (2023, January 30). Why is North Korea supporting Russia on Ukraine? "
    "*The Diplomat*.",
    "Yilek, C. (2023, May 21). *Robert Gates criticizes White House for being “slow” to "
    "approve weapons to Ukraine*. CBS News.",
    "Гай-Нижник, П. (2026). *Alliance of villains: The military-political union of the "
    "Russian Federation and North Korea against Ukraine as a conspiracy against the West "
    "and a threat to world security*. Zenodo. https://doi.org/10.5281/zenodo.20391772",
]


def _marked(children: tuple[t.Inline, ...]) -> str:
    """Plain text with italics between asterisks, as EXPECTED_APA writes them."""
    out = []
    for node in children:
        if isinstance(node, t.Emph):
            out.append(f"*{_marked(node.children)}*")
        elif isinstance(node, t.Text | t.Code):
            out.append(node.text)
        elif isinstance(node, t.Link | t.Strong | t.Citation):
            out.append(_marked(node.children))
    return "".join(out)


def _tree(style: str | None = None, tmp_path: Path | None = None) -> t.Document:
    loaded = load_brief(NK)
    layout_dir = ROOT / "layouts" / "policy-brief"
    if style:
        layout_dir = _layout_with_style(style, tmp_path)
    return compose(loaded, load_layout(layout_dir / "layout.yaml"))


def _layout_with_style(style: str, tmp_path: Path) -> Path:
    folder = tmp_path / f"policy-brief-{style}"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    path = folder / "layout.yaml"
    path.write_text(path.read_text("utf-8").replace("citation_style: apa",
                                                    f"citation_style: {style}"), "utf-8")
    return folder


def _entries(document: t.Document) -> list[t.Paragraph]:
    return [b for b in document.blocks
            if isinstance(b, t.Paragraph) and b.style == "Source Entry"]


def test_apa_reference_list_is_correct_entry_by_entry():
    entries = [_marked(e.children) for e in _entries(_tree())]
    assert entries == EXPECTED_APA


def test_reference_entries_link_targets_and_hanging_indent():
    document = _tree()
    anchors = [e.anchor for e in _entries(document)]
    brief = load_brief(NK).brief
    assert sorted(anchors) == sorted(f"ref-{s.id}" for s in brief.sources)
    layout = load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml")
    style = layout.style("Source Entry")
    assert style["indent_left"] > 0 and style["first_line_indent"] == -style["indent_left"]


@pytest.fixture(scope="module", params=["typst", "reportlab"])
def apa_pdf(tmp_path_factory, request) -> Path:
    return build(NK, tmp_path_factory.mktemp("apa"), ("pdf",),
                 pdf_engine=request.param).outputs["pdf"]


def _pdf_text(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))


def test_pdf_shows_every_apa_entry(apa_pdf):
    """Every entry, character for character (white space aside: a line may break a URL
    after `https://`, which text extraction reads as a space)."""
    text = re.sub(r"\s", "", _pdf_text(apa_pdf))
    for entry in EXPECTED_APA:
        assert re.sub(r"\s", "", entry.replace("*", "")) in text, entry


def test_pdf_sets_apa_italics_in_an_italic_font(apa_pdf):
    italic: list[str] = []

    def visit(text, cm, tm, font, size):
        if font and "Italic" in str(font.get("/BaseFont", "")):
            italic.append(text)

    for page in PdfReader(apa_pdf).pages:
        page.extract_text(visitor_text=visit)
    joined = re.sub(r"\s+", " ", "".join(italic))
    for phrase in ("The Guardian", "North Korea sends ammunitions to Russia", "The Diplomat"):
        assert phrase in joined


def test_in_text_citations_in_apa(apa_pdf):
    text = _pdf_text(apa_pdf)
    assert "(Гай-Нижник, 2026, para. 5)" in text
    assert "(North Korea’s Deepening Ties with Russia Mark a Dangerous Shift in Global " \
           "Alliances, n.d., para. 4)" in text
    assert "[News report on North Korea as Russia’s most crucial wartime ally], n.d." in text


@pytest.mark.parametrize("style", SUPPORTED_STYLES)
def test_no_doubled_or_stray_punctuation(style, tmp_path):
    document = _tree(style, tmp_path)
    texts = [t.plain_text(e.children) for e in _entries(document)]
    texts += [t.plain_text(n.children) for n in _footnotes(document)]
    assert len(_entries(document)) == 13
    for text in texts:
        for bad in (r"\.\.", r"[?!]\.", r",,", r" [,.;:]", r",\.", r"\(\)", r"  ",
                    r"[?!][”’]?[.,]", r"”[.,]", r"\bEdition\b"):
            assert not re.search(bad, text), f"{style}: {bad!r} in {text!r}"


def _footnotes(document: t.Document) -> list[t.Footnote]:
    found: list[t.Footnote] = []

    def walk(children):
        for node in children:
            if isinstance(node, t.Footnote):
                found.append(node)
            if hasattr(node, "children") and isinstance(node.children, tuple):
                walk(node.children)

    for block in document.blocks:
        if isinstance(block, t.Box):
            for inner in block.children:
                walk(inner.children)
        elif isinstance(block, t.Table):
            for row in block.rows:
                for cell in row:
                    walk(cell.children)
        elif hasattr(block, "children"):
            walk(block.children)
    return found


def _docx_text(docx: Path) -> str:
    from readback import docx_blocks

    return re.sub(r"\s+", " ", " ".join(docx_blocks(docx)))


def test_chicago_author_date_build(tmp_path):
    layout = _layout_with_style("chicago-author-date", tmp_path)
    outputs = build(NK, tmp_path / "out", ("pdf", "docx"), str(layout)).outputs
    for text in (_pdf_text(outputs["pdf"]), _docx_text(outputs["docx"])):
        assert "Garamone, J. 2023. “U.S. Sends Ukraine $400 Million in Military " \
               "Equipment.” U.S. Department of Defense, March 3." in text
        assert "(Гай-Нижник 2026, para. 5)" in text


def test_ieee_build(tmp_path):
    layout = _layout_with_style("ieee", tmp_path)
    outputs = build(NK, tmp_path / "out", ("pdf", "docx"), str(layout)).outputs
    for text in (_pdf_text(outputs["pdf"]), _docx_text(outputs["docx"])):
        assert re.search(r"\[\d+\] J\. Garamone, “U\.S\. sends Ukraine \$400 million in "
                         r"military equipment,” U\.S\. Department of Defense\.", text)
        assert re.search(r"\[\d+, Para\. 5\]", text)


def test_note_style_puts_citations_in_footnotes(tmp_path):
    document = _tree("chicago-notes-bibliography", tmp_path)
    notes = [t.plain_text(n.children) for n in _footnotes(document)]
    assert any(n.startswith("Павло Гай-Нижник, “Alliance of Villains") for n in notes)
    citations: list[t.Citation] = []
    for block in document.blocks:
        if isinstance(block, t.KeyJudgment | t.Paragraph):
            citations += [c for c in block.children if isinstance(c, t.Citation)]
    assert citations == []


# -- the mapping from the content model to CSL --------------------------------------


def test_a_site_named_like_its_only_author_is_not_repeated():
    from briefing.compose.csl import csl_item
    from briefing.model import Source

    reuters = Source(id="r", type="web-page", title="T", reliability="B", container="Reuters",
                     authors=[{"literal": "Reuters"}])
    guardian = reuters.model_copy(update={"container": "The Guardian"})
    assert "container-title" not in csl_item(reuters)
    assert csl_item(guardian)["container-title"] == "The Guardian"


def test_an_untitled_work_is_described_as_the_style_can_print_it():
    """APA's CSL prints an untitled work's description in brackets from `genre`; other
    styles get the description, brackets and all, as the title."""
    from briefing.compose.citation_styles import style_path
    from briefing.compose.csl import csl_item, describes_in_genre
    from briefing.model import Source

    source = Source(id="u", type="news-article", description="[News report on X]",
                    reliability="D")
    assert csl_item(source, descriptions_as_genre=True) == {
        "id": "u", "type": "article-newspaper", "genre": "News report on X", "language": "en"}
    assert csl_item(source)["title"] == "[News report on X]"
    assert describes_in_genre(style_path("apa").read_text("utf-8"))
    assert not describes_in_genre(style_path("chicago-author-date").read_text("utf-8"))


# -- checks -------------------------------------------------------------------------


def test_locator_without_a_label_is_a_warning(tmp_path):
    (tmp_path / "briefing.toml").write_text("", "utf-8")  # the project: layouts, seeds, nk
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    folder = tmp_path / "nk"
    shutil.copytree(NK, folder)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    path = folder / "judgments.yaml"
    text = path.read_text("utf-8")
    assert text.count("locator: para. 7\n") >= 1
    path.write_text(text.replace("locator: para. 7\n", "locator: somewhere 7\n", 1), "utf-8")
    findings = [f for f in validate(folder).findings if f.severity == "warning"]
    assert [f.message for f in findings] == [
        "locator 'somewhere 7' has no label a citation style can express (p., para., sec., "
        "ch., fig., line, n.); it is left out of the citation; write it as e.g. 'para. 3' or "
        "'p. 4'"]


def test_docx_reference_list_matches_apa_with_italic_runs(tmp_path):
    from docx import Document

    docx = build(NK, tmp_path, ("docx",)).outputs["docx"]
    entries = []
    for paragraph in Document(str(docx)).paragraphs:
        if paragraph.style.name != "Source Entry":
            continue
        marked, italic = [], False
        for run in paragraph.iter_inner_content():
            runs = run.runs if hasattr(run, "runs") else [run]
            for r in runs:
                if bool(r.italic) != italic:
                    marked.append("*")
                    italic = not italic
                marked.append(r.text)
        if italic:
            marked.append("*")
        entries.append("".join(marked))
    assert entries == EXPECTED_APA


@pytest.mark.parametrize("source_type", sorted(SOURCE_TYPES))
def test_every_source_type_becomes_csl_and_formats(source_type):
    from briefing.compose.citation_styles import style_path
    from briefing.compose.cite import Citer
    from briefing.compose.csl import csl_item
    from briefing.model import Source
    from briefing.model.inline import CiteItem
    from briefing.model.vocab import SOURCE_TYPES

    source = Source(id="s", type=source_type, title="A title", reliability="F",
                    authors=[{"family": "Гай-Нижник", "given": "Павло"},
                             {"literal": "Ministry of Foreign Affairs"}])
    item = csl_item(source)
    assert item["type"] == SOURCE_TYPES[source_type]
    assert item["author"] == [{"family": "Гай-Нижник", "given": "Павло"},
                              {"literal": "Ministry of Foreign Affairs"}]
    assert "issued" not in item  # unknown date: the style prints n.d.
    citer = Citer([source], style_path("apa"))
    handle = citer.register((CiteItem("s"),))
    assert t.plain_text(citer.format(handle)) == \
        "(Гай-Нижник & Ministry of Foreign Affairs, n.d.)"
    [(key, entry)] = citer.references()
    assert t.plain_text(entry).startswith("Гай-Нижник, П., & Ministry of Foreign Affairs. (n.d.).")


def test_partial_dates_reach_csl():
    from briefing.compose.csl import csl_item
    from briefing.model import Source

    for date, parts in (("2023", [2023]), ("2023-06", [2023, 6]), ("2023-06-12", [2023, 6, 12])):
        source = Source(id="s", type="report", title="T", reliability="A", date=date)
        assert csl_item(source)["issued"] == {"date-parts": [parts]}
