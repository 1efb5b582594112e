"""`briefing new`: the `$schema` line is a path relative to the brief that reaches the
content model's schema from the brief's folder, on any machine; `--layout` picks one of
the layouts the brief can reach and refuses any other by name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefing.cli import scaffold
from briefing.model.schema import SHIPPED, brief_schema

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


def _schema_line(brief: Path) -> str:
    found = MODELINE.match(brief.read_text("utf-8"))
    assert found, brief.read_text("utf-8")[:200]
    return found.group(1)


@pytest.mark.parametrize("where,expected", [((), "../../brief.schema.json"),
                                            (("--dir", "content/team"),
                                             "../../../brief.schema.json")])
def test_the_schema_path_is_relative_and_resolves_from_the_briefs_folder(
        cli, tmp_path, monkeypatch, where, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    assert cli("new", "x", *where)[0] == 0
    brief = next((tmp_path / "content").rglob("brief.yaml"))
    reference = _schema_line(brief)
    assert reference == expected
    assert not Path(reference).is_absolute() and ":" not in reference
    resolved = (brief.parent / reference).resolve()
    assert resolved == tmp_path / "brief.schema.json"
    assert json.loads(resolved.read_text("utf-8")) == brief_schema() \
        == json.loads(SHIPPED.read_text("utf-8"))


def test_a_second_brief_points_at_the_same_schema_and_a_project_s_own_copy_is_kept(
        cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    own = tmp_path / "brief.schema.json"
    own.write_text('{"title": "the project keeps its own"}\n', "utf-8")
    code, out, err = cli("new", "x")
    assert (code, err) == (0, "")
    assert out == ("created content/x/brief.yaml; check it with: briefing validate "
                   "content/x\n"  # no word of a schema: none was written
                   "created briefing.toml: the project is .; a brief may name files "
                   "only inside it\n")
    assert own.read_text("utf-8") == '{"title": "the project keeps its own"}\n'
    assert _schema_line(tmp_path / "content/x/brief.yaml") == "../../brief.schema.json"


def test_briefing_s_own_source_tree_points_at_the_package_copy(cli, tmp_path, monkeypatch):
    """Where the project holds briefing's package (a checkout of briefing itself), its
    briefs point at briefing/data/brief.schema.json, as content/nk-russia does."""
    package = tmp_path / "briefing" / "data" / "brief.schema.json"
    package.parent.mkdir(parents=True)
    package.write_text("{}", "utf-8")
    monkeypatch.setattr(scaffold, "SHIPPED", package)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    assert cli("new", "x") == (0, "created content/x/brief.yaml; check it with: briefing "
                               "validate content/x\n"
                               "created briefing.toml: the project is .; a brief may name files "
                               "only inside it\n", "")
    assert _schema_line(tmp_path / "content/x/brief.yaml") == \
        "../../briefing/data/brief.schema.json"
    assert not (tmp_path / "brief.schema.json").exists()


def test_layout_picks_a_layout_the_brief_can_reach(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("new", "x", "--layout", "one-pager")[0] == 0
    text = (tmp_path / "content/x/brief.yaml").read_text("utf-8")
    assert "\nlayout: one-pager\n" in text
    code, out, err = cli("tree", "content/x")
    assert code == 0, err
    assert "Discussion" not in out and "Key judgments" in out  # the one-pager's sections


@pytest.mark.parametrize("name,hint", [("nope", ""), ("one-pagr", "; did you mean 'one-pager'?")])
def test_an_unknown_layout_is_refused_with_the_known_ones_and_nothing_is_written(
        cli, tmp_path, monkeypatch, name, hint):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("new", "x", "--layout", name)
    assert err == (f"briefing: error: no layout named '{name}'{hint} (known layouts: "
                   "one-pager, policy-brief)\n")
    assert (code, out) == (1, "")
    assert list(tmp_path.iterdir()) == []


def test_layout_does_not_go_with_from(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("new", "x", "--from", "draft.docx", "--layout", "one-pager")
    assert err == ("briefing: error: --layout picks the layout of a new scaffold; a brief "
                   "made --from a draft names policy-brief (change its `layout:` afterwards)\n")
    assert (code, out) == (1, "")
    assert list(tmp_path.iterdir()) == []
