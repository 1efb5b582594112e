"""`briefing source add`: a source's file archived as the text the review counts
paragraphs in, and its entry appended to the brief without touching another byte.

Inputs are made here: an HTML page around seed 004's paragraphs, an image-only PDF
drawn with ReportLab, a DOCX by pandoc and a PDF by LibreOffice from seed texts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml

from briefing.cli.main import main
from briefing.cli.scaffold import new_brief
from briefing.core.limits import MAX_ARCHIVE_BYTES
from briefing.load.archive import read_archive
from briefing.roundtrip.yamlpatch import append_item

ROOT = Path(__file__).resolve().parents[1]
NEXT = ("next: quote from it with `quote:` and `locator: para. N`; `briefing validate` "
        "checks the quote")


def seed(number: str) -> list[str]:
    """The paragraphs of seed NNN as the review counts them (its non-empty lines)."""
    path = next((ROOT / "seeds").glob(f"{number}_*.txt"))
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with seeds/ and a scaffolded brief content/demo; cwd is the project."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    new_brief("demo", tmp_path / "content", "schema.json")
    return tmp_path


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes()
            for p in sorted(project.rglob("*")) if p.is_file()}


def entry_of(project: Path, ident: str) -> dict:
    data = yaml.safe_load((project / "content/demo/brief.yaml").read_text("utf-8"))
    return next(s for s in data["sources"] if s["id"] == ident)


HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Russia and North Korea | Example Observer</title>
<link rel="canonical" href="https://observer.example.org/2024/06/20/russia-north-korea">
<meta property="og:title" content="Russia and North Korea: a partnership of convenience">
<meta property="og:site_name" content="Example Observer">
<meta property="og:url" content="https://observer.example.org/2024/06/20/russia-north-korea">
<meta property="article:published_time" content="2024-06-20T09:30:00+00:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news desk</a></li>
<li><a href="/subscribe">Subscribe to our newsletter today</a></li></ul></nav>
<main><article><h1>Russia and North Korea: a partnership of convenience</h1>
{paragraphs}
</article></main>
<footer><p>Copyright Example Observer Media Holdings. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> · <a href="/cookies">Cookie settings</a></p></footer>
</body></html>"""


def test_an_html_page_keeps_only_its_article_and_its_metadata(project, capsys):
    paragraphs = seed("004")
    page = project / "page.html"
    page.write_text(HTML.format(paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in
                                                     paragraphs)), "utf-8")
    assert main(["source", "add", "content/demo", "page.html", "--id", "observer"]) == 0
    out = capsys.readouterr().out
    entry = entry_of(project, "observer")
    assert entry["title"] == "Russia and North Korea: a partnership of convenience"
    assert entry["container"] == "Example Observer"
    assert entry["date"] == "2024-06-20"
    assert entry["url"] == "https://observer.example.org/2024/06/20/russia-north-korea"
    assert entry["language"] == "en-GB" and entry["type"] == "web-page"
    assert entry["reliability"] == "F" and entry["note"].startswith("TODO: judge")
    archived = read_archive(project / entry["archive"]).paragraphs
    assert archived == ("Russia and North Korea: a partnership of convenience",
                        *paragraphs)
    text = (project / entry["archive"]).read_text("utf-8")
    for boilerplate in ("World news desk", "Subscribe", "Copyright", "Privacy", "Cookie"):
        assert boilerplate not in text
    assert out.splitlines()[-1] == NEXT
    assert "  - id: observer" in out and "    url: https://observer.example.org" in out


def test_the_archive_header_says_how_paragraphs_count_and_is_not_one(project):
    (project / "notes.md").write_text("# Field notes\n\nFirst *paragraph*,\nwrapped.\n\n"
                                      "- a list item\n\nLast one.\n", "utf-8")
    assert main(["source", "add", "content/demo", "notes.md"]) == 0
    entry = entry_of(project, "field-notes")
    path = project / entry["archive"]
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("# briefing archive: the text of Markdown file notes.md")
    assert "'para. N' is the N-th non-empty line below this one" in first
    assert read_archive(path).paragraphs == ("Field notes", "First paragraph, wrapped.",
                                            "a list item", "Last one.")
    assert entry["title"] == "Field notes" and entry["archive"].startswith("seeds/000_")


def test_the_entry_is_appended_and_every_other_byte_is_kept(project):
    brief = project / "content/demo/brief.yaml"
    before = brief.read_bytes()
    (project / "a.txt").write_text("One.\n\nTwo, which is longer.\n", "utf-8")
    assert main(["source", "add", "content/demo", "a.txt", "--id", "a-note"]) == 0
    after = brief.read_bytes()
    assert after.startswith(before)
    assert after[len(before):].decode().startswith("  - id: a-note\n    type: report\n")


def test_append_item_inserts_lines_after_the_last_entry_only():
    text = ("# head\nsources:\n  - id: a   # the first\n    title: >-\n      Folded\n"
            "      title\n\n# what follows\nreview:\n  ignore: [BR403]\n")
    out = append_item(text, "sources", {"id": "b", "title": "B: two"})
    assert out == text.replace("      title\n", "      title\n  - id: b\n    title: 'B: two'\n")
    with pytest.raises(ValueError, match="not a block list"):
        append_item("sources: [{id: a}]\n", "sources", {"id": "b"})


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: (p / "big.txt").write_bytes(b"x" * (MAX_ARCHIVE_BYTES + 1)),
     f"big.txt is {MAX_ARCHIVE_BYTES + 1:,} bytes; the limit is {MAX_ARCHIVE_BYTES:,} "
     "bytes (MAX_ARCHIVE_BYTES); nothing was written"),
    (lambda p: (p / "scan.pdf").write_bytes(_image_only_pdf()),
     "scan.pdf has no text layer (a scanned PDF holds only pictures of its pages); run "
     "OCR on it first, e.g. `ocrmypdf scan.pdf ocr.pdf`, and add the OCR'd file; nothing "
     "was written"),
    (lambda p: (p / "fake.pdf").write_text("plain words", "utf-8"),
     "fake.pdf is named .pdf but is not one (its first bytes say otherwise); nothing was "
     "written"),
])
def test_a_refused_file_writes_nothing(project, capsys, make, message):
    make(project)
    name = message.split(" ")[0]
    before = snapshot(project)
    assert main(["source", "add", "content/demo", name]) == 1
    assert capsys.readouterr().err == f"briefing: error: {message}\n"
    assert snapshot(project) == before


def test_an_id_in_use_is_refused_and_nothing_written(project, capsys):
    (project / "a.txt").write_text("Words.\n", "utf-8")
    before = snapshot(project)
    assert main(["source", "add", "content/demo", "a.txt", "--id", "kj-1"]) == 1
    assert capsys.readouterr().err == ("briefing: error: the id 'kj-1' is already in use in "
                                       "this brief; give another with --id; nothing was "
                                       "written\n")
    assert snapshot(project) == before


def _image_only_pdf() -> bytes:
    """A one-page PDF whose page is a picture of text, as a scanner makes."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(picture).text((20, 80), "A scanned page of a report", fill="black")
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawImage(ImageReader(picture), 50, 500, width=500, height=166)
    page.showPage()
    page.save()
    return out.getvalue()


def _soffice(source: Path, fmt: str) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    run = subprocess.run([soffice, "--headless", "--convert-to", fmt, "--outdir",
                          str(source.parent), str(source)], capture_output=True, text=True,
                         timeout=180, env={"HOME": str(source.parent), "PATH": "/usr/bin:/bin"})
    made = source.with_suffix("." + fmt)
    assert made.is_file(), run.stdout + run.stderr
    return made


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles><style:default-style style:family="paragraph">
  <style:text-properties fo:language="en" fo:country="GB"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.3cm" fo:text-align="justify"/>
  <style:text-properties fo:font-size="12pt" fo:language="en" fo:country="GB"/>
 </style:style></office:styles>
 <office:automatic-styles><style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm"
   fo:margin-right="2.5cm"/><style:header-style/><style:footer-style/>
 </style:page-layout></office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p>World Affairs Review — Opinion</text:p></style:header>
  <style:footer><text:p><text:page-number text:select-page="current">1</text:page-number>
  </text:p></style:footer>
 </style:master-page></office:master-styles>
 <office:body><office:text>
{paragraphs}
 </office:text></office:body>
</office:document>"""


def _evidence(locator: str, quote: str) -> str:
    return (f"        source: opinion\n        locator: {locator}\n"
            f"        quote: \"{quote}\"\n")


@pytest.mark.slow
def test_a_pdf_made_by_libreoffice_keeps_its_paragraphs_and_para_5_validates(project, capsys):
    paragraphs = seed("002")
    document = project / "opinion.fodt"
    document.write_text(FODT.format(paragraphs="\n".join(
        f'<text:p text:style-name="Standard">{escape(p)}</text:p>' for p in paragraphs)),
        "utf-8")
    pdf = _soffice(document, "pdf")
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) >= 2 and all("World Affairs Review" in page for page in pages)
    assert main(["source", "add", "content/demo", pdf.name, "--id", "opinion", "--type",
                 "opinion-piece"]) == 0
    capsys.readouterr()
    entry = entry_of(project, "opinion")
    assert read_archive(project / entry["archive"]).paragraphs == tuple(paragraphs)
    assert entry["type"] == "opinion-piece" and entry["language"] == "en-GB"
    brief = project / "content/demo/brief.yaml"
    text = brief.read_text("utf-8")
    quote = "North Korea's Role in Russia’s War Effort"
    assert quote in paragraphs[4]
    brief.write_text(text.replace("        source: example-source\n", _evidence("para. 5",
                                                                              quote)), "utf-8")
    code = main(["validate", "content/demo"])
    err = capsys.readouterr().err
    assert code == 0 and not re.search(r"\[BR5\d\d\]", err), err
    brief.write_text(text.replace("        source: example-source\n", _evidence("para. 4",
                                                                              quote)), "utf-8")
    main(["validate", "content/demo"])
    assert "locator says para. 4 but the quote of evidence 'ev-1' is in para. 5" in \
        capsys.readouterr().err


@pytest.mark.slow
def test_a_docx_keeps_its_paragraphs(project, capsys):
    import pypandoc

    paragraphs = seed("001")
    pypandoc.convert_text("\n\n".join(p.replace("*", "\\*") for p in paragraphs), "docx",
                          format="markdown-smart", outputfile=str(project / "report.docx"),
                          extra_args=["--metadata=title:Allies in arms",
                                      "--metadata=author:Jane Doe"])
    assert main(["source", "add", "content/demo", "report.docx"]) == 0
    capsys.readouterr()
    entry = entry_of(project, "allies-in-arms")
    assert entry["title"] == "Allies in arms"
    assert entry["authors"] == [{"family": "Doe", "given": "Jane"}]
    archived = read_archive(project / entry["archive"]).paragraphs
    assert archived == ("Allies in arms", "Jane Doe", *paragraphs)  # title, author first
