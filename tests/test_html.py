"""The web edition (`--format html`): what a reader and a screen reader get, read back
from the HTML itself; the same text in the same order as the DOCX (and so the PDF);
content never becomes markup; the same bytes every time; and, in a real browser,
axe-core's WCAG 2.1 A and AA rules with no violation."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from browser import axe_violations
from lxml import html
from readback import docx_blocks, html_blocks, squash

from briefing.build.pipeline import build
from briefing.cli.main import main
from briefing.compose import tree as t
from briefing.load.layout import load_layout
from briefing.render.html.renderer import render_html
from briefing.render.scale import scale_alt

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
FIXTURES = Path(__file__).parent / "fixtures"
BRIEFS = {"nk-russia": NK, "every-node": FIXTURES / "every-node",
          "marked-uk": FIXTURES / "marked-uk", "marked-us": FIXTURES / "marked-us",
          "editions": FIXTURES / "editions" / "edition-2.yaml"}
LAYOUT = ROOT / "layouts" / "policy-brief" / "layout.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The DOCX and HTML of every brief, built once for the module."""
    out = {}
    for name, path in BRIEFS.items():
        result = build(path, tmp_path_factory.mktemp(name), ("docx", "html"))
        assert not result.invalid, result.findings
        out[name] = result.outputs
    return out


def page(path: Path):
    return html.parse(str(path)).getroot()


def test_landmarks_title_and_language(built):
    root = page(built["nk-russia"]["html"])
    assert root.get("lang") == "en"
    assert [len(root.findall(f".//{tag}")) for tag in ("header", "main", "footer")] == [1, 1, 1]
    nav = root.find(".//nav")
    assert nav.get("aria-labelledby") == "contents-title"
    assert [a.text_content() for a in nav.iter("a")][:2] == ["Key judgments", "Discussion"]
    assert [h.text_content() for h in root.iter("h1")] == ["The North Korea–Russia Alliance"]
    assert root.findtext(".//title") == "The North Korea–Russia Alliance"
    assert "<script" not in built["nk-russia"]["html"].read_text("utf-8")


def test_headings_never_skip_a_level(built):
    for name, outputs in built.items():
        levels = [int(h.tag[1]) for h in page(outputs["html"]).iter(
            "h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1, name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)


def test_key_judgments_are_an_ordered_list_with_their_bars_described(built):
    root = page(built["nk-russia"]["html"])
    (judgments,) = root.findall(".//ol[@class='judgments']")
    items = judgments.findall("li")
    assert [li.get("value") for li in items] == [str(n) for n in range(1, 8)]
    assert items[5].get("id") == "kj-durable-alliance"
    assert items[5].find("p").text_content() == ("North Korea and Russia will likely keep "
                                                 "their military alliance in force through "
                                                 "the end of 2027.")
    bars = items[5].find(".//svg")
    assert bars.get("role") == "img"
    judgment = t.KeyJudgment(6, "kj", (), "moderate", "likely", (55, 80))
    assert bars.get("aria-label") == scale_alt(judgment)
    assert "Likely (55–80 %) · Moderate confidence" in items[5].text_content()


def test_emphasis_inside_an_emphasised_style_turns_it_off(built):
    """As in the PDF and the DOCX: `**more**` in a key judgment (a bold style) is set in
    the regular weight, `*…*` in an italic style upright."""
    text = built["every-node"]["html"].read_text("utf-8")
    root = page(built["every-node"]["html"])
    judgment = root.find(".//ol[@class='judgments']/li/p")
    assert judgment.find(".//strong").text == "more"
    style = judgment.get("class")
    assert f".{style} strong{{font-weight:400}}" in text
    assert ".s-basis em{font-style:normal}" in text


def test_notes_are_endnotes_linked_both_ways(built):
    root = page(built["nk-russia"]["html"])
    refs = root.findall(".//a[@role='doc-noteref']")
    notes = root.find(".//section[@role='doc-endnotes']")
    items = notes.findall("ol/li")
    assert len(refs) == len(items) > 20
    for number, (ref, note) in enumerate(zip(refs, items, strict=True), start=1):
        assert ref.text == str(number)
        assert ref.get("href") == f"#{note.get('id')}"
        assert note.find("a[@role='doc-backlink']").get("href") == f"#{ref.get('id')}"
    assert "Source reliability C (fairly reliable)" in items[0].text_content()


def test_tables_say_the_scope_of_their_header_cells(built):
    root = page(built["nk-russia"]["html"])
    tables = root.findall(".//table")
    assert tables
    for table in tables:
        headers = table.findall("thead/tr/th")
        assert headers and all(th.get("scope") == "col" for th in headers)
    assert [th.text_content() for th in tables[-1].findall("thead/tr/th")][:2] == [
        "Source", "Type, date"]


def test_text_in_another_script_carries_its_language(built):
    root = page(built["nk-russia"]["html"])
    assert "Гай-Нижник" in [span.text for span in root.iter("span") if span.get("lang") == "uk"]


def test_the_marking_banner_tops_and_tails_the_page_and_every_printed_page(built):
    text = built["marked-uk"]["html"].read_text("utf-8")
    root = page(built["marked-uk"]["html"])
    top = root.find(".//header/p[@class='marking']").text_content()
    assert top == root.find(".//footer/p[@class='marking']").text_content()
    assert f'@top-center{{content:"{top}"' in text and f'@bottom-center{{content:"{top}"' in text


def test_the_layouts_fonts_are_inside_cut_down_to_the_page(built):
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    text = built["nk-russia"]["html"].read_text("utf-8")
    faces = re.findall(r'@font-face\{font-family:"([^"]+)";font-weight:(\d+);font-style:(\w+);'
                       r'font-display:swap;src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)',
                       text)
    assert {(name, weight, style) for name, weight, style, _ in faces} >= {
        ("Noto Serif", "400", "normal"), ("Noto Serif", "700", "italic"),
        ("Noto Sans", "700", "normal"), ("NanumGothic", "400", "normal")}
    serif = next(data for name, weight, style, data in faces
                 if (name, weight, style) == ("Noto Serif", "400", "normal"))
    font = TTFont(io.BytesIO(base64.b64decode(serif)))
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    assert {ord(c) for c in "Гай-Нижник –’“”"} <= set(cmap)  # what the page shows
    assert ord("Ж") not in cmap and ord("ß") not in cmap  # and not what it does not
    assert len(cmap) < 300


def test_a_font_whose_licence_forbids_embedding_is_left_out(tmp_path):
    from fontTools.ttLib import TTFont

    from briefing.render.html.fonts import embeddable

    shipped = ROOT / "briefing" / "data" / "fonts" / "NotoSans-Regular.ttf"
    assert embeddable(shipped)
    font = TTFont(str(shipped))
    font["OS/2"].fsType = 0x0002
    restricted = tmp_path / "Restricted.ttf"
    font.save(str(restricted))
    assert not embeddable(restricted)


@pytest.mark.parametrize("name", sorted(BRIEFS))
def test_the_same_text_in_the_same_order_as_the_docx(built, name):
    docx = squash(docx_blocks(built[name]["docx"]))
    web = squash(html_blocks(built[name]["html"]))
    if web != docx:
        at = next((i for i, (a, b) in enumerate(zip(web, docx, strict=False)) if a != b),
                  min(len(web), len(docx)))
        pytest.fail(f"parts at character {at}:\n  html: …{web[at - 60:at + 60]}…"
                    f"\n  docx: …{docx[at - 60:at + 60]}…")


def test_content_never_becomes_markup():
    hostile = '<script>alert("x")</script> & <b>bold</b> {{ 7*7 }}'
    document = t.Document(
        t.Metadata(hostile, authors=('"><img src=x>',)), t.Marking("TLP:CLEAR"),
        (t.Paragraph((t.Text(hostile),)),
         t.Paragraph((t.Link("javascript:alert(1)", (t.Text("a link"),)),
                      t.Link('https://example.org/"onmouseover="x', (t.Text("b"),))))))
    data = render_html(document, load_layout(LAYOUT)).decode()
    root = html.fromstring(data)
    assert root.find(".//script") is None and root.find(".//img") is None
    assert root.find(".//b") is None
    assert hostile in [p.text_content() for p in root.iter("p")]
    assert root.findtext(".//title") == hostile
    hrefs = [a.get("href") for a in root.iter("a")]
    assert hrefs == ['https://example.org/"onmouseover="x']  # the unsafe one is plain text
    assert "a link" in root.text_content()


def test_each_content_field_names_its_key_and_nothing_a_reader_sees(built, tmp_path):
    """The web edition marks each content field as the DOCX bookmarks it (what the live
    preview places findings by); built alone or beside the DOCX, the same bytes."""
    root = page(built["nk-russia"]["html"])
    judgment, basis = root.xpath("//li[@id='kj-durable-alliance']/p/span[@data-field]")
    assert judgment.get("data-field") == "judgment:kj-durable-alliance.text"
    assert basis.get("data-field") == "judgment:kj-durable-alliance.basis"
    assert judgment.text_content() == ("North Korea and Russia will likely keep their "
                                       "military alliance in force through the end of 2027.")
    evidence = root.xpath("//*[@data-field='evidence:ev-kim-pledge-june-2023.text']")
    assert [e.getparent().get("class") for e in evidence] == ["s-evidence"]
    assert {e.tag for e in root.xpath("//*[@data-field]")} == {"span"}
    alone = build(NK, tmp_path, ("html",), force=True).outputs["html"].read_bytes()
    assert alone == built["nk-russia"]["html"].read_bytes()


def test_the_same_bytes_in_any_folder(tmp_path):
    copies = []
    for name in ("one", "two"):
        project = tmp_path / name
        for folder in ("layouts", "seeds"):
            shutil.copytree(ROOT / folder, project / folder)
        shutil.copytree(NK, project / "content" / "nk-russia")
        result = build(project / "content" / "nk-russia", project / "out", ("html",))
        copies.append(hashlib.sha256(result.outputs["html"].read_bytes()).hexdigest())
    assert copies[0] == copies[1]


def test_format_option_default_all_and_up_to_date(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(NK), "--out-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        "nk-russia.docx", "nk-russia.pdf"]
    assert main(["build", str(NK), "--out-dir", str(out), "--format", "html"]) == 0
    assert (out / "nk-russia.html").read_bytes().startswith(b"<!DOCTYPE html>")
    capsys.readouterr()
    assert main(["build", str(NK), "--out-dir", str(out), "--format", "all"]) == 0
    assert "up to date" in capsys.readouterr().out


# -- in a real browser (slow): axe-core's WCAG 2.1 A and AA rules ------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BRIEFS))
def test_axe_finds_no_wcag_21_aa_violation(browser, built, name):
    assert axe_violations(browser, built[name]["html"]) == []


@pytest.mark.slow
def test_the_page_reads_from_320_pixels_without_sideways_scrolling(browser, built):
    """A phone's width: no sideways scrolling of the page (a wide table scrolls in its
    own region, which a keyboard can reach), and still no violation."""
    browser.set_window_size(320, 900)
    try:
        browser.get(built["nk-russia"]["html"].as_uri())
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        assert axe_violations(browser, built["nk-russia"]["html"]) == []
    finally:
        browser.set_window_size(1280, 900)
