"""Hostile corpus — where a project starts: `briefing.toml`, else the nearest `content/`.

A brief may name files only inside its project. The project is the folder holding a
`briefing.toml` (at or above the brief); without one, the nearest folder holding
`content/`, from the brief upwards. A brief's own `layouts/` or `seeds/` folder does
not make it a project of its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus import POLICY, QUOTE, TOML_RULE

CONTENT_RULE = ("the nearest folder holding content/; a briefing.toml in a folder makes "
                "that folder the project")


def _own_layout(project) -> None:
    """The brief keeps its own layouts/ folder and uses the layout in it."""
    shutil.copytree(POLICY, project.brief / "layouts" / "own")
    project.edit("layout: policy-brief", "layout: own")


def test_a_brief_with_its_own_layouts_finds_the_projects_seeds(project):
    (project.root / "briefing.toml").unlink()  # the content/ rule alone
    _own_layout(project)
    project.cite_archive("seeds/source.txt")
    result = project.run("validate", "content/demo")
    assert result.code == 0, result.err
    assert not [line for line in result.lines if ": error: " in line]
    assert result.lines[-1].startswith("content/demo: valid (0 error(s)")
    result = project.run("build", "content/demo")
    assert result.code == 0, result.err
    assert "wrote out/demo.pdf" in result.out
    project.assert_clean(result)


def test_a_brief_with_its_own_layouts_under_briefing_toml(project):
    _own_layout(project)
    project.cite_archive("seeds/source.txt")
    result = project.run("validate", "content/demo")
    assert result.code == 0, result.err
    project.assert_contained(result)


def test_briefing_toml_in_the_brief_folder_makes_it_the_project(project):
    (project.root / "briefing.toml").unlink()
    (project.brief / "briefing.toml").write_text("", "utf-8")
    place = project.cite_archive("seeds/source.txt")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (
        f"{place}: error: archived copy 'seeds/source.txt' of source 'example-source' not "
        f"found (looked from content/demo up to the project folder content/demo: "
        f"{TOML_RULE}); correct the path or add the archived copy [BR502]")
    project.assert_contained(result)


def _shared_seeds(project) -> str:
    """An archived copy in <tmp>/shared, beside the project; its place in the brief."""
    shared = project.root.parent / "shared"
    shared.mkdir()
    (shared / "source.txt").write_text(f"In short, {QUOTE}.\n", "utf-8")
    return project.cite_archive("../../../shared/source.txt")


def _outside(place: str, root: Path, rule: str) -> str:
    """The error for the shared archive, outside the project at `root` (made so by `rule`)."""
    return (f"{place}: error: archived copy '../../../shared/source.txt' is outside the "
            f"project ({root}: {rule}); a brief or layout may only name files inside its "
            "project or the briefing package (source 'example-source') [BR507]")


def test_without_briefing_toml_the_folder_holding_content_is_the_project(project):
    (project.root / "briefing.toml").unlink()
    place = _shared_seeds(project)
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == _outside(place, project.root, CONTENT_RULE)
    project.assert_contained(result)


def test_briefing_toml_above_moves_the_project_up(project):
    (project.root / "briefing.toml").unlink()
    place = _shared_seeds(project)
    (project.root.parent / "briefing.toml").write_text("", "utf-8")
    result = project.run("validate", "content/demo")
    assert result.code == 0, result.err
    project.assert_contained(result)
    (project.root.parent / "briefing.toml").unlink()
    (project.root / "briefing.toml").write_text("", "utf-8")
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == _outside(place, project.root, TOML_RULE)


def test_a_brief_outside_any_project_is_its_own_project(tmp_path, project):
    """No briefing.toml and no content/ above: the brief's own folder is the project."""
    loose = tmp_path / "loose"
    shutil.copytree(project.brief, loose / "demo")
    (loose / "seeds").mkdir()
    (loose / "seeds" / "source.txt").write_text(f"In short, {QUOTE}.\n", "utf-8")
    text = (loose / "demo" / "brief.yaml").read_text("utf-8")
    (loose / "demo" / "brief.yaml").write_text(text.replace(
        "    reliability: F\n", "    reliability: F\n    archive: ../seeds/source.txt\n"),
        "utf-8")
    result = project.run("validate", str(loose / "demo"))
    assert result.code == 2
    assert result.lines[0].endswith(
        f"error: archived copy '../seeds/source.txt' is outside the project "
        f"({loose / 'demo'}: no briefing.toml or content/ folder above it; a briefing.toml "
        "in a folder makes that folder the project); a brief or layout may only name files "
        "inside its project or the briefing package (source 'example-source') [BR507]")
