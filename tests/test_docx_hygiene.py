"""A DOCX Word opens cleanly: each hygiene item asserted in the XML, and the embedded
fonts present, valid after de-obfuscation, and used by LibreOffice on a machine that
has none of them installed."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefing.compose import tree as t
from briefing.compose.composer import compose
from briefing.load.brief import load_brief
from briefing.load.layout import load_layout
from briefing.render.docx.fonts import obfuscate
from briefing.render.docx.package import zip_package
from briefing.render.docx.renderer import render_docx

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
LAYOUT = ROOT / "layouts" / "policy-brief" / "layout.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
GUID = re.compile(r"\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}")
STORIES = ("word/document.xml", "word/styles.xml", "word/numbering.xml",
           "word/header1.xml", "word/footer1.xml", "word/footnotes.xml")


@pytest.fixture(scope="module")
def layout():
    return load_layout(LAYOUT)


@pytest.fixture(scope="module")
def document(layout) -> t.Document:
    return compose(load_brief(NK), layout)


@pytest.fixture(scope="module")
def data(document, layout) -> bytes:
    return render_docx(document, layout)


@pytest.fixture(scope="module")
def scripts(layout) -> bytes:
    """A small document in British English with Hangul and (Ukrainian) Cyrillic."""
    blocks = (t.Heading(1, (t.Text("Top"),), "top"),
              t.Paragraph((t.Text("Plain text, 조선 and Гай-Нижник, П. (2026)."),)))
    meta = t.Metadata("Scripts", language="en-GB", script_languages=(("Cyrl", "uk"),))
    return render_docx(t.Document(meta, t.Marking("TLP:CLEAR"), blocks), layout)


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(_zip(data).read(name))


def _rels(data: bytes, name: str) -> dict[str, tuple[str, str]]:
    folder, _, base = name.rpartition("/")
    root = _xml(data, f"{folder}/_rels/{base}.rels")
    return {r.get("Id"): (r.get("Type"), r.get("Target")) for r in root}


def test_no_stale_styles_with_effects(data):
    package = _zip(data)
    assert not [n for n in package.namelist() if "stylesWithEffects" in n]
    assert b"stylesWithEffects" not in package.read("[Content_Types].xml")
    assert b"stylesWithEffects" not in package.read("word/_rels/document.xml.rels")


def test_compatibility_mode_15_and_a_zoom_percentage(data):
    settings = _xml(data, "word/settings.xml")
    modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting")
             if s.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]
    zoom = settings.find(f"{W}zoom")
    assert zoom.get(f"{W}percent") == "100"
    assert settings.find(f"{W}proofState") is None  # the template's "spelling: clean"


def test_no_update_prompt_and_the_contents_already_list_every_heading(data):
    assert _xml(data, "word/settings.xml").find(f"{W}updateFields") is None
    body = _xml(data, "word/document.xml")
    assert not [c for c in body.iter(f"{W}fldChar") if c.get(f"{W}dirty")]

    def style(p):
        found = p.find(f"{W}pPr/{W}pStyle")
        return found.get(f"{W}val") if found is not None else ""

    def text(p):
        return "".join(x.text or "" for x in p.iter(f"{W}t"))

    paragraphs = list(body.iter(f"{W}p"))
    headings = [(style(p)[-1], text(p)) for p in paragraphs
                if re.fullmatch(r"Heading[123]", style(p))]
    contents = [(style(p)[-1], text(p)) for p in paragraphs if re.fullmatch(r"TOC[123]",
                                                                          style(p))]
    assert len(headings) >= 8
    assert contents == headings


def test_app_properties_name_briefing_and_count_this_document(data, document):
    app = _xml(data, "docProps/app.xml")
    assert app.findtext(f"{EP}Application") == "briefing"
    assert [e.text for e in app.iter(f"{VT}lpstr")][-1] == document.meta.title
    body = _xml(data, "word/document.xml")
    texts = ["".join(x.text or "" for x in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    texts = [x for x in texts if x.strip()]
    assert int(app.findtext(f"{EP}Paragraphs")) == len(texts) > 100
    assert int(app.findtext(f"{EP}Words")) == sum(len(x.split()) for x in texts)
    assert int(app.findtext(f"{EP}CharactersWithSpaces")) == sum(map(len, texts))
    assert int(app.findtext(f"{EP}Characters")) == len(re.sub(r"\s", "", "".join(texts)))


def test_theme_and_settings_carry_no_foreign_locale(data):
    package = _zip(data)
    for name in package.namelist():
        if name.endswith(".xml"):
            assert b"ja-JP" not in package.read(name), name
    theme = _xml(data, "word/theme/theme1.xml")
    major = theme.find(f".//{A}majorFont")
    minor = theme.find(f".//{A}minorFont")
    assert major.find(f"{A}latin").get("typeface") == "Noto Sans"
    assert minor.find(f"{A}latin").get("typeface") == "Noto Serif"
    for fonts in (major, minor):  # per-script defaults only for the script the layout has
        assert [(f.get("script"), f.get("typeface")) for f in fonts.findall(f"{A}font")] \
            == [("Hang", "NanumGothic")]
    lang = _xml(data, "word/settings.xml").find(f"{W}themeFontLang")
    assert (lang.get(f"{W}val"), lang.get(f"{W}eastAsia")) == ("en-US", "ko-KR")


def test_every_language_tag_has_a_region(data):
    for name in STORIES:
        for lang in _xml(data, name).iter(f"{W}lang"):
            for value in lang.attrib.values():
                assert re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}", value), (name, value)
    default = _xml(data, "word/styles.xml").find(f"{W}docDefaults//{W}lang")
    assert default.get(f"{W}val") == "en-US"


def _run_langs(data: bytes) -> dict[str, tuple[str, str]]:
    body = _xml(data, "word/document.xml")
    out = {}
    for run in body.iter(f"{W}r"):
        lang = run.find(f"{W}rPr/{W}lang")
        text = "".join(x.text or "" for x in run.iter(f"{W}t"))
        if text and lang is not None:
            out[text] = (lang.get(f"{W}val"), lang.get(f"{W}eastAsia"))
    return out


def test_runs_in_other_scripts_are_tagged_with_their_language(scripts, data):
    langs = _run_langs(scripts)
    assert langs["Гай-Нижник"] == ("uk-UA", "ko-KR")
    assert langs["П."] == ("uk-UA", "ko-KR")
    hangul = next(v for k, v in langs.items() if "조선" in k)
    assert hangul == ("en-GB", "ko-KR")  # Hangul is East Asian text: w:eastAsia
    # The NK brief: the Ukrainian author's name (sources.yaml: language: uk).
    assert _run_langs(data)["Гай-Нижник"][0] == "uk-UA"


def _fonts_named(data: bytes) -> set[str]:
    names = set()
    for name in STORIES:
        for fonts in _xml(data, name).iter(f"{W}rFonts"):
            names |= {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")
                      if fonts.get(f"{W}{a}")}
    return names


def _embedded(data: bytes) -> dict[str, dict[str, TTFont]]:
    """Each font-table entry's embedded faces, de-obfuscated and parsed."""
    package = _zip(data)
    rels = _rels(data, "word/fontTable.xml")
    out: dict[str, dict[str, TTFont]] = {}
    for font in _xml(data, "word/fontTable.xml").iter(f"{W}font"):
        faces = out.setdefault(font.get(f"{W}name"), {})
        for embed in font:
            if not embed.tag.startswith(f"{W}embed"):
                continue
            key = embed.get(f"{W}fontKey")
            assert GUID.fullmatch(key)
            assert embed.get(f"{W}subsetted") == "1"
            kind, target = rels[embed.get(f"{R}id")]
            assert kind == FONT_REL and target.endswith(".odttf")
            blob = package.read(f"word/{target}")
            assert blob[:4] != b"\x00\x01\x00\x00"  # obfuscated, not a bare TrueType file
            faces[embed.tag[len(W) + 5:]] = TTFont(io.BytesIO(obfuscate(blob, key)))
    return out


def test_font_table_lists_every_font_used_and_embeds_the_layouts(data):
    embedded = _embedded(data)
    assert _fonts_named(data) <= set(embedded)
    for family in ("Noto Serif", "Noto Sans"):
        faces = embedded[family]
        assert set(faces) == {"Regular", "Bold", "Italic", "BoldItalic"}
        for face in faces.values():
            assert face["name"].getDebugName(1) == family
    assert embedded["NanumGothic"] == {}  # named for East Asian text; the brief has none
    settings = _xml(data, "word/settings.xml")
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    assert settings.find(f"{W}saveSubsetFonts") is not None


def test_embedded_subsets_draw_every_character_of_the_text(data):
    serif = _embedded(data)["Noto Serif"]["Regular"]
    cmap = serif.getBestCmap()
    body = _xml(data, "word/document.xml")
    shown = {c for x in body.iter(f"{W}t") for c in (x.text or "") if not c.isspace()}
    full = TTFont(ROOT / "briefing" / "data" / "fonts" / "NotoSerif-Regular.ttf")
    drawable = {c for c in shown if ord(c) in full.getBestCmap()}
    assert drawable and all(ord(c) in cmap for c in drawable)
    assert len(cmap) < len(full.getBestCmap()) / 5  # a subset, not the whole font


def test_hangul_text_embeds_the_east_asian_font(scripts):
    faces = _embedded(scripts)["NanumGothic"]
    assert set(faces) == {"Regular", "Bold"}
    assert all(ord(c) in faces["Regular"].getBestCmap() for c in "조선")


def test_a_reference_docx_without_font_table_or_app_properties_gains_them(tmp_path):
    """A house template from a tool that writes neither part still gives a DOCX with a
    font table (fonts embedded) and app.xml; its own theme is left as it is."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    folder = tmp_path / "house"
    shutil.copytree(LAYOUT.parent, folder)
    (folder / "layout.yaml").write_text((folder / "layout.yaml").read_text("utf-8")
                                        + "reference_docx: reference.docx\n", "utf-8")
    reference = docx.Document()
    for rels, kind in ((reference.part.rels, RT.FONT_TABLE),
                       (reference.part.package.rels, RT.EXTENDED_PROPERTIES)):
        for rel_id in [i for i, rel in rels.items() if rel.reltype == kind]:
            del rels[rel_id]
    reference.save(str(folder / "reference.docx"))
    assert {"word/fontTable.xml", "docProps/app.xml"}.isdisjoint(
        zipfile.ZipFile(folder / "reference.docx").namelist())
    document = t.Document(t.Metadata("House"), t.Marking("TLP:CLEAR"),
                          (t.Paragraph((t.Text("Text in the house style."),)),))
    data = render_docx(document, load_layout(folder / "layout.yaml"))
    assert _xml(data, "docProps/app.xml").findtext(f"{EP}Words") == "5"
    assert set(_embedded(data)["Noto Serif"]) == {"Regular", "Bold", "Italic", "BoldItalic"}
    theme = _xml(data, "word/theme/theme1.xml")
    assert theme.find(f".//{A}minorFont/{A}latin").get("typeface") == "Cambria"


def test_the_docx_stays_small_and_reproducible(data, document, layout):
    assert len(data) < 400_000
    assert render_docx(document, layout) == data


def test_the_package_is_the_zip_zipfile_writes(data):
    """The package's own zip writer (which deflates an unchanged part once per process)
    writes the bytes zipfile writes for the same entries, a second time too."""
    package = _zip(data)
    assert package.testzip() is None
    entries = [(info.filename, package.read(info)) for info in package.infolist()]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as target:
        for name, part in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 0
            info.external_attr = 0o644 << 16
            target.writestr(info, part, compresslevel=6)
    assert data == expected.getvalue()
    files = dict(entries)
    assert zip_package(files) == zip_package(files) == data


@pytest.mark.slow
def test_libreoffice_uses_the_embedded_fonts_when_none_is_installed(data, scripts, tmp_path):
    """LibreOffice on a fontconfig that knows one unrelated font (its own OpenSymbol,
    or DejaVu Sans: it needs one to start) draws the brief in the embedded Noto faces."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    fallback = next((Path(p) for p in ("/usr/share/fonts/truetype/libreoffice/opens___.ttf",
                                       "/usr/lib/libreoffice/share/fonts/truetype/opens___.ttf",
                                       "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
                     if Path(p).is_file()), None)
    if fallback is None:
        pytest.skip("no unrelated font to start LibreOffice with")
    from pypdf import PdfReader

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(fallback, fonts)
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{fonts}</dir>"
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", "utf-8")
    (tmp_path / "brief.docx").write_bytes(data)
    (tmp_path / "scripts.docx").write_bytes(scripts)
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "FONTCONFIG_FILE": str(config)}
    run = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                          str(tmp_path), str(tmp_path / "brief.docx"),
                          str(tmp_path / "scripts.docx")], capture_output=True, text=True,
                         timeout=180, env=env)

    def fonts(name: str) -> set[str]:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file(), run.stdout + run.stderr
        return {str(font.get_object()["/BaseFont"]).split("+")[-1]
                for page in PdfReader(pdf).pages
                for font in (page["/Resources"].get("/Font") or {}).values()}

    used = fonts("brief")
    assert {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Regular",
            "NotoSans-Bold"} <= used, used
    assert not {"OpenSymbol", "DejaVuSans"} & used
    assert "NanumGothic" in fonts("scripts")  # the Hangul, from the embedded subset
