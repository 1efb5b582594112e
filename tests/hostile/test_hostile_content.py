"""Hostile corpus — content is text: never a format string, a field, or a bad link."""

from __future__ import annotations

import html
import io
import zipfile

import docx
import pytest
from corpus import readable_text
from pypdf import PdfReader

from briefing.core import limits


def _header_texts(path) -> tuple[str, str]:
    """The PDF's second-page text and the DOCX's header XML text."""
    pdf = PdfReader(path.with_suffix(".pdf")).pages[1].extract_text()
    with zipfile.ZipFile(path.with_suffix(".docx")) as package:
        headers = [package.read(n).decode() for n in package.namelist()
                   if n.startswith("word/header")]
    return pdf, "".join(headers)


@pytest.mark.parametrize("title", ["The {X} Problem", "{page} of {pages}", "{0} {title!r}",
                                   "{{ 7*7 }} and {% raw %}", "Braces } { alone"])
def test_braces_in_the_title_print_as_written(project, title):
    project.edit("title: Demo", f"title: \"{title}\"")
    result = project.run("build", "content/demo", "--force")
    assert result.code == 0, result.err
    pdf, header_xml = _header_texts(project.out / "demo.pdf")
    assert title in pdf  # the running header on page 2
    assert title.replace("&", "&amp;").replace("<", "&lt;") in header_xml
    fields = header_xml.count("PAGE")
    project.edit(f"title: \"{title}\"", "title: Plain")
    project.run("build", "content/demo", "--force")
    assert _header_texts(project.out / "demo.pdf")[1].count("PAGE") == fields


def _layout_pattern(project, key: str, value: str) -> str:
    folder = project.house_layout()
    layout_yaml = folder / "layout.yaml"
    lines = [line for line in layout_yaml.read_text("utf-8").splitlines()
             if not line.startswith(f"{key}:")]
    layout_yaml.write_text("\n".join([*lines, f"{key}: \"{value}\""]) + "\n", "utf-8")
    return f"layouts/house/layout.yaml:{len(lines) + 1}:{len(key) + 3}"


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("header", "{title} · {nosuch}", "unknown placeholder '{nosuch}'; the known ones are "
     "{title}, {edition}, {date}, {page}, {pages} (write '{{' and '}}' for literal braces)"),
    ("footer", "Page {0}", "unknown placeholder '{0}'; the known ones are {title}, {edition}, "
     "{date}, {page}, {pages} (write '{{' and '}}' for literal braces)"),
    ("header", "{title!r}", "unknown placeholder '{title!r}'; the known ones are {title}, "
     "{edition}, {date}, {page}, {pages} (write '{{' and '}}' for literal braces)"),
    ("footer", "Page {page", "a lone '{' at column 6; write '{{' for a literal brace"),
])
def test_unknown_placeholder_is_a_located_layout_error(project, key, value, problem):
    place = _layout_pattern(project, key, value)
    result = project.run("build", "content/demo")
    assert result.code == 1
    assert result.lines[0] == f"{place}: error: {key}: {problem} [BR812]"
    assert result.lines[-1] == "content/demo: failed: layout 'house' is invalid"
    project.assert_contained(result)


def test_literal_braces_and_every_placeholder_in_a_footer(project):
    _layout_pattern(project, "footer", "{{draft}} {title} ed. {edition}, {date}: {page}/{pages}")
    result = project.run("build", "content/demo", "--force", "--format", "pdf")
    assert result.code == 0, result.err
    text = PdfReader(project.out / "demo.pdf").pages[0].extract_text()
    assert "{draft} Demo ed. 1, " in text


def _source_field(project, field: str, value: str):
    project.edit("    reliability: F\n", f"    reliability: F\n    {field}: '{value}'\n")
    return project.pos(f"'{value}'")


@pytest.mark.parametrize("doi", ["10.5281/<script>alert(1)</script>", "10.5281/zenodo 1",
                                 "10.5281/a\"b", "https://doi.org/10.5281/zenodo.1"])
def test_bad_doi_is_refused_not_altered(project, doi):
    place = _source_field(project, "doi", doi)
    result = project.run("build", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (
        f"{place}: error: {doi!r} is not a DOI for 'doi' (10.NNNN/…, without "
        "https://doi.org/; letters, digits and - . _ ; ( ) / : only, or an older form "
        "Crossref lists, such as a SICI: 10.1175/1520-0477(1998)079<0061:APGTWA>2.0.CO;2) "
        "[BR804]")
    project.assert_contained(result)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://example.org/a b",
                                 "https://example.org/<script>", "https://exa\"mple.org/",
                                 "file:///etc/passwd", "https://example.org/{x}"])
def test_bad_url_is_refused_not_altered(project, url):
    place = _source_field(project, "url", url)
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (
        f"{place}: error: {url!r} is not a web address for 'url' (http:// or https://, with "
        "no spaces, quotes, angle brackets or braces; percent-encode them) [BR804]")
    project.assert_contained(result)


def test_a_valid_doi_with_parentheses_is_printed_as_given(project):
    doi = "10.1002/(SICI)1097-4571(199806)49:8"
    _source_field(project, "doi", doi)
    result = project.run("build", "content/demo", "--force", "--format", "docx")
    assert result.code == 0, result.err
    document = docx.Document(str(project.out / "demo.docx"))
    assert any(doi in p.text for p in document.paragraphs)
    with zipfile.ZipFile(project.out / "demo.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert f"https://doi.org/{doi}" in rels


def _pdf_links(path) -> tuple[str, list[str]]:
    """A PDF's text (lines joined) and the URIs of its links."""
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    uris = [annotation.get_object()["/A"].get("/URI") for page in reader.pages
            for annotation in page.get("/Annots") or [] if "/A" in annotation.get_object()]
    return text, [uri for uri in uris if uri]


@pytest.mark.parametrize(("doi", "path"), [
    ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
     "10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0"),
    ("10.1002/(SICI)1096-9071(199711)53:3<226::AID-JMV7>3.0.CO;2-#",
     "10.1002/(SICI)1096-9071(199711)53:3%3C226::AID-JMV7%3E3.0.CO;2-%23"),
    ("10.1175/1520-0477(1998)079<0061:APGTWA>2.0.CO;2",
     "10.1175/1520-0477(1998)079%3C0061:APGTWA%3E2.0.CO;2"),
    ("10.1207/S15327965PLI1104&1_01", "10.1207/S15327965PLI1104&1_01"),
])
def test_a_sici_doi_is_accepted_printed_as_given_and_linked_escaped(project, doi, path):
    """Crossref's older DOI forms (SICIs hold < > # ; and &) validate, print as
    written in every format and link to https://doi.org/ with < > # percent-encoded."""
    place = _source_field(project, "doi", doi)
    result = project.run("validate", "content/demo")
    assert result.code == 0, result.err
    assert not any(line.startswith(place) for line in result.lines)
    result = project.run("build", "content/demo", "--force", "--format", "all")
    assert result.code == 0, result.err
    href = f"https://doi.org/{path}"
    text, uris = _pdf_links(project.out / "demo.pdf")
    assert f"https://doi.org/{doi}" in text and href in uris
    document = docx.Document(str(project.out / "demo.docx"))
    assert any(f"https://doi.org/{doi}" in p.text for p in document.paragraphs)
    with zipfile.ZipFile(project.out / "demo.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert f'Target="{html.escape(href)}"' in rels
    page = (project.out / "demo.html").read_text("utf-8")
    assert f'href="{html.escape(href)}">https://doi.org/{html.escape(doi, quote=False)}</a>' \
        in page
    result = project.run("build", "content/demo", "--force", "--format", "pdf",
                         "--pdf-engine", "typst", "--out-dir", "typst")
    assert result.code == 0, result.err
    text, uris = _pdf_links(project.root / "typst" / "demo.pdf")
    assert f"https://doi.org/{doi}" in text and href in uris
    project.assert_clean(result)


def test_a_title_over_word_s_limit_is_shortened_in_the_property_only(project):
    title = "A " + "very " * 70 + "long title"
    project.edit("title: Demo", f"title: {title}")
    result = project.run("build", "content/demo", "--force")
    assert result.code == 0, result.err
    document = docx.Document(str(project.out / "demo.docx"))
    assert len(title) > limits.MAX_PROPERTY_CHARS
    core = document.core_properties.title
    assert len(core) == limits.MAX_PROPERTY_CHARS and core.endswith("…")
    assert title.startswith(core[:-1])
    assert any(p.text == title for p in document.paragraphs)
    assert PdfReader(project.out / "demo.pdf").metadata.title == title


def test_via_cycle_is_refused(project):
    project.edit("    reliability: F\n", "    reliability: F\n    via: second\n")
    project.file().write_text(project.text() + "  - id: second\n    type: web-page\n"
                              "    title: Second\n    date: unknown\n    reliability: F\n"
                              "    via: example-source\n", "utf-8")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert (f"{project.pos('via: second')[:-2]}:10: error: source 'example-source' is known "
            "through itself (example-source → second → example-source); 'via' names the "
            "source through which this one is known [BR611]") in result.lines
    project.assert_contained(result)


@pytest.mark.parametrize(("char", "what", "name"), [
    ("\u202e", "the bidirectional override", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u202a", "the bidirectional override", "LEFT-TO-RIGHT EMBEDDING"),
    ("\u009b", "the control character", ""),
])
def test_bidi_overrides_and_c1_controls_are_refused(project, char, what, name):
    escaped = f"\\u{ord(char):04x}"
    project.edit("title: Demo", f"title: \"Demo {escaped}evil\"")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    described = f"U+{ord(char):04X} {name}".rstrip()
    assert result.lines[0].startswith(
        f"{project.pos(chr(34) + 'Demo')}: error: text holds {what} {described}, which can "
        "show text in another order or act on a terminal; remove it")


def test_bidi_isolate_is_a_warning(project):
    project.edit("title: Demo", "title: \"Demo \\u2067x\\u2069\"")
    result = project.run("validate", "content/demo")
    assert result.code == 0
    assert result.lines[0].endswith("warning: text holds the bidirectional isolate U+2067 "
                                     "RIGHT-TO-LEFT ISOLATE; check that the text reads in "
                                     "the order it is stored [BR712]")


def test_template_markup_in_content_is_text(project):
    text = "{{ brief.__class__ }} {% include 'x' %} <b>&amp;</b>"
    project.edit("subtitle: Placeholder subtitle", f"subtitle: \"{text}\"")
    result = project.run("build", "content/demo", "--force", "--format", "docx")
    assert result.code == 0, result.err
    document = docx.Document(io.BytesIO((project.out / "demo.docx").read_bytes()))
    assert any(p.text == text for p in document.paragraphs)
    assert "Brief" not in readable_text(project.out / "demo.docx").split(text)[0][-50:]


@pytest.mark.parametrize(("old", "blank"), [
    ("    text: The development in question is likely to continue over the next year.",
     '    text: "   "'),
    ("    text: The development in question is likely to continue over the next year.",
     '    text: "\\t\\u00a0\\u200b"'),
    ("    basis: A single placeholder source; replace it with real reporting.",
     '    basis: "  "'),
    ("        text: What the source reports, in your words.", '        text: " "'),
    ("title: Demo", 'title: "\\u3000"'),
    ("  - What this means for the reader's decisions.", '  - "  "'),
    ("    title: Title of the source as it gives it", '    title: "   "'),
    ("    reliability: F\n", '    reliability: F\n    publisher: "  "\n'),
])
def test_blank_text_is_refused_where_it_stands(project, old, blank):
    """Text that shows nothing (spaces, a tab, a no-break or zero-width space) is not
    text: validate and build refuse it at its place, and write nothing."""
    project.edit(old, blank)
    line = blank.strip("\n").splitlines()[-1]
    place = project.pos(line.strip(" -").split(": ", 1)[-1])
    field = line.strip(" -").split(":")[0] if ":" in line else "item"
    label = f"'{field}'" if field != "item" else "item"
    for command in ("validate", "build"):
        result = project.run(command, "content/demo")
        assert result.code == 2, result.err
        assert result.lines[0] == (f"{place}: error: {label} is blank (it holds no visible "
                                   "character); write the text [BR804]")
        project.assert_contained(result)


def test_empty_judgment_text_is_refused(project):
    project.edit("    text: The development in question is likely to continue over the next "
                 "year.", '    text: ""')
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (f"{project.pos(chr(34) * 2)}: error: 'text' is empty; write "
                               "the text [BR804]")
    project.assert_contained(result)
