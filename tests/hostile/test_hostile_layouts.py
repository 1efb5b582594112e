"""Hostile corpus — layouts, templates, fonts and CSL files stay inside the project."""

from __future__ import annotations

import os
import shutil

from corpus import CANARY, OUTSIDE, run_process


def _build(project, *extra: str):
    result = project.run("build", "content/demo", "--out-dir", "out", *extra)
    project.assert_contained(result)
    return result


def _layout_line(layout_yaml, key: str) -> str:
    """'layouts/house/layout.yaml:L:C' of `key:`'s value."""
    lines = layout_yaml.read_text("utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))
    return f"layouts/house/layout.yaml:{number}:{len(key) + 3}"


def _set(layout_yaml, key: str, value: str) -> str:
    """Set a top-level key of layout.yaml; return the place of its value."""
    lines = [line for line in layout_yaml.read_text("utf-8").splitlines()
             if not line.startswith(f"{key}:")]
    layout_yaml.write_text("\n".join([*lines, f'{key}: "{value}"']) + "\n", "utf-8")
    return _layout_line(layout_yaml, key)


# --- layouts a brief names ---------------------------------------------------------------


def test_brief_names_a_layout_outside_by_relative_path(project):
    project.edit("layout: policy-brief", "layout: ../../../outside/evil")
    place = project.pos("../../../outside/evil")
    result = _build(project)
    assert result.code == 1
    assert result.lines[0] == (f"{place}: error: layout '../../../outside/evil/layout.yaml' "
                               + OUTSIDE.format(root=project.root) + " [BR811]")
    assert result.lines[-1] == ("content/demo: failed: layout '../../../outside/evil' is "
                                "invalid")


def test_brief_names_a_layout_outside_by_absolute_path(project):
    evil = str(project.outside / "evil")
    project.edit("layout: policy-brief", f"layout: {evil}")
    result = _build(project)
    assert result.code == 1
    assert result.lines[0] == (f"{project.pos(evil)}: error: layout '{evil}/layout.yaml' "
                               + OUTSIDE.format(root=project.root) + " [BR811]")


def test_layout_folder_symlinked_from_outside(project):
    (project.root / "layouts").mkdir()
    os.symlink(project.outside / "evil", project.root / "layouts" / "evil")
    project.edit("layout: policy-brief", "layout: evil")
    result = _build(project)
    assert result.code == 1
    assert result.lines[0] == (f"{project.pos('evil')}: error: layout 'evil' "
                               + OUTSIDE.format(root=project.root) + " [BR811]")


def test_layout_yaml_that_is_a_fifo_does_not_hang(project):
    folder = project.root / "layouts" / "pipe"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "layout.yaml")
    project.edit("layout: policy-brief", "layout: pipe")
    result = run_process(project.root, "build", "content/demo", "--out-dir", "out")
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"{project.pos('pipe')}: error: layout 'pipe' is a "
                                          "named pipe (FIFO), not a regular file [BR811]")
    project.assert_contained(result)


def test_command_line_layout_outside_the_project_is_the_users_choice(project):
    """`--layout` is the person running briefing choosing: it may live anywhere (the
    canary is its own template's text, so it appears; nothing else is read)."""
    result = project.run("build", "content/demo", "--out-dir", "out", "--force",
                         "--format", "pdf", "--layout", str(project.outside / "evil"))
    assert result.code == 0, result.err
    from corpus import readable_text

    assert CANARY in readable_text(project.out / "demo.pdf")


# --- templates and includes --------------------------------------------------------------


def _include(project, name: str) -> None:
    template = project.root / "layouts" / "house" / "brief.xml.j2"
    template.write_text(template.read_text("utf-8").replace(
        "<document>\n", f'<document>\n{{% include "{name}" %}}\n', 1), "utf-8")


def _template_error(result, template_place: str, message: str) -> None:
    assert result.code == 1
    assert f"{template_place}: error: template error: {message} [BR813]" in result.lines
    assert result.lines[-1] == "content/demo: failed: the layout's template failed"


def test_template_symlinked_from_outside(project):
    folder = project.house_layout()
    (folder / "brief.xml.j2").unlink()
    os.symlink(project.outside / "canary.j2", folder / "brief.xml.j2")
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:1:1",
                    f"template 'brief.xml.j2' is outside the layout's folder "
                    f"({folder}); a brief or layout may only name files inside its own folder")


def test_include_of_a_symlink_pointing_outside(project):
    folder = project.house_layout()
    os.symlink(project.outside / "canary.j2", folder / "leak.j2")
    _include(project, "leak.j2")
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:4:1",
                    f"template 'leak.j2' is outside the layout's folder ({folder}); a brief "
                    "or layout may only name files inside its own folder")


def test_include_of_a_symlink_to_another_project_file(project):
    """Even inside the project, a template include stays in the layout's own folder."""
    folder = project.house_layout()
    os.symlink(project.brief / "brief.yaml", folder / "brief.j2")
    _include(project, "brief.j2")
    result = _build(project)
    assert result.code == 1
    assert any("template 'brief.j2' is outside the layout's folder" in line
               for line in result.lines)


def test_include_climbing_out_with_dots(project):
    project.house_layout()
    _include(project, "../../../outside/canary.j2")
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:4:1", "../../../outside/canary.j2")


def test_include_of_an_absolute_path(project):
    project.house_layout()
    _include(project, str(project.outside / "canary.j2"))
    result = _build(project)
    assert result.code == 1
    assert any(line.endswith(f"template error: {project.outside / 'canary.j2'} [BR813]")
               for line in result.lines)


def test_include_of_a_fifo_does_not_hang(project):
    folder = project.house_layout()
    os.mkfifo(folder / "pipe.j2")
    _include(project, "pipe.j2")
    result = run_process(project.root, "build", "content/demo", "--out-dir", "out")
    _template_error(result, "layouts/house/brief.xml.j2:4:1",
                    "template 'pipe.j2' is a named pipe (FIFO), not a regular file")
    project.assert_contained(result)


def test_include_of_a_folder(project):
    folder = project.house_layout()
    (folder / "parts.j2").mkdir()
    _include(project, "parts.j2")
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:4:1",
                    "template 'parts.j2' is a folder, not a regular file")


def test_template_over_the_size_limit(project, monkeypatch):
    from briefing.compose import templates

    folder = project.house_layout()
    monkeypatch.setattr(templates, "MAX_TEMPLATE_BYTES", 100)
    size = (folder / "brief.xml.j2").stat().st_size
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:1:1",
                    f"template 'brief.xml.j2' is {size:,} bytes; the limit is 100 bytes "
                    "(MAX_TEMPLATE_BYTES)")


def test_template_that_is_not_utf8(project):
    folder = project.house_layout()
    (folder / "bad.j2").write_bytes(b"<p>\xff\xfe</p>")
    _include(project, "bad.j2")
    result = _build(project)
    _template_error(result, "layouts/house/brief.xml.j2:4:1",
                    "template 'bad.j2' is not UTF-8 text")


# --- fonts -------------------------------------------------------------------------------


def _font(project, value: str) -> tuple:
    folder = project.house_layout()
    layout_yaml = folder / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    old = "    regular: NotoSans-Regular.ttf"
    assert text.count(old) == 1
    layout_yaml.write_text(text.replace(old, f'    regular: "{value}"'), "utf-8")
    lines = layout_yaml.read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if value in line)
    return folder, f"layouts/house/layout.yaml:{number}:14"


def test_font_outside_the_project(project):
    shutil.copy(project.outside / "canary.txt", project.outside / "canary.ttf")
    target = str(project.outside / "canary.ttf")
    _, place = _font(project, target)
    result = _build(project)
    assert result.code == 1
    assert result.lines[0] == (f"{place}: error: font file '{target}' "
                               + OUTSIDE.format(root=project.root) + " [BR812]")


def test_font_symlinked_from_outside(project):
    shutil.copy(project.outside / "canary.txt", project.outside / "canary.ttf")
    folder = project.house_layout()
    os.symlink(project.outside / "canary.ttf", folder / "Linked.ttf")
    layout_yaml = folder / "layout.yaml"
    layout_yaml.write_text(layout_yaml.read_text("utf-8").replace(
        "    regular: NotoSans-Regular.ttf", "    regular: Linked.ttf"), "utf-8")
    result = _build(project)
    assert result.code == 1
    assert any(line.endswith("error: font file 'Linked.ttf' "
                             + OUTSIDE.format(root=project.root) + " [BR812]")
               for line in result.lines)


def test_font_that_is_not_a_truetype_file(project):
    folder, place = _font(project, "Broken.ttf")
    (folder / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
    result = _build(project)
    assert result.code == 1
    assert result.lines[0].startswith(f"{place}: error: font file 'Broken.ttf' cannot be "
                                      "read as a TrueType font (")


def test_font_that_is_a_fifo(project):
    folder, place = _font(project, "Pipe.ttf")
    os.mkfifo(folder / "Pipe.ttf")
    result = run_process(project.root, "build", "content/demo", "--out-dir", "out")
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"{place}: error: font file 'Pipe.ttf' is a named "
                                          "pipe (FIFO), not a regular file [BR812]")
    project.assert_contained(result)


# --- CSL files ---------------------------------------------------------------------------


def _style(project, value: str):
    folder = project.house_layout()
    place = _set(folder / "layout.yaml", "citation_style", value)
    result = _build(project)
    assert result.code == 1
    assert result.lines[-1] == ("content/demo: failed: the layout's citation style cannot "
                                "be used")
    return folder, place, result


def test_csl_file_outside_the_project(project):
    target = str(project.outside / "canary.csl")
    _, place, result = _style(project, target)
    assert result.lines[0] == (f"{place}: error: citation style file '{target}' "
                               + OUTSIDE.format(root=project.root) + " [BR814]")


def test_csl_file_climbing_out(project):
    _, place, result = _style(project, "../../../outside/canary.csl")
    assert result.lines[0] == (f"{place}: error: citation style file "
                               "'../../../outside/canary.csl' "
                               + OUTSIDE.format(root=project.root) + " [BR814]")


def test_csl_style_name_with_a_path(project):
    _, place, result = _style(project, "../../../../outside/canary")
    assert result.lines[0] == (f"{place}: error: citation style '../../../../outside/canary' "
                               "is neither a style name nor a .csl file [BR814]")


def test_csl_file_declaring_an_external_entity(project):
    folder = project.root / "layouts"
    folder.mkdir()
    (folder / "xxe.csl").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY leak SYSTEM '
        f'"file://{project.outside / "canary.txt"}">]>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>'
        '<title>&leak;</title></info></style>\n', "utf-8")
    _, place, result = _style(project, "../xxe.csl")
    assert result.lines[0] == (f"{place}: error: citation style file '../xxe.csl' declares "
                               "a DTD or entities (<!DOCTYPE …>), which are not allowed [BR814]")


def test_csl_file_over_the_size_limit(project, monkeypatch):
    from briefing.compose import citation_styles

    monkeypatch.setattr(citation_styles, "MAX_CSL_BYTES", 10)
    (project.root / "layouts").mkdir()
    (project.root / "layouts" / "big.csl").write_text("<style>" + "x" * 20 + "</style>")
    _, place, result = _style(project, "../big.csl")
    assert result.lines[0] == (f"{place}: error: citation style file '../big.csl' is 35 "
                               "bytes; the limit is 10 bytes (MAX_CSL_BYTES) [BR814]")
