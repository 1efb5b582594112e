"""BR626: every placeholder `briefing new` writes, and every TODO, is flagged."""

from __future__ import annotations

from pathlib import Path

from briefing.review.families.placeholders import SCAFFOLD_SOURCE, SCAFFOLD_TEXTS

MESSAGE = "is still a placeholder ({why}); replace it with what the brief's authors or " \
          "sources say [BR626]"


def _new(cli, tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    assert cli("new", "x")[0] == 0
    return tmp_path / "content/x/brief.yaml"


def _warned(cli) -> list[str]:
    code, out, err = cli("validate", "content/x")
    assert code == 0, err
    return [line for line in (out + err).splitlines() if line.endswith("[BR626]")]


def test_a_new_brief_warns_about_every_placeholder(cli, tmp_path, monkeypatch):
    lines = _new(cli, tmp_path, monkeypatch).read_text("utf-8").splitlines()
    # a folded text (`key: >-`) is placed at its indicator, on the line before its words
    holding = {n - lines[n - 2].endswith(">-") for n, line in enumerate(lines, start=1)
               if any(text in line for text in (*SCAFFOLD_TEXTS, SCAFFOLD_SOURCE))}
    warned = _warned(cli)
    assert {int(line.split(":")[1]) for line in warned} == holding
    assert len(warned) == 15
    assert "content/x/brief.yaml:9:11: warning: 'authors[0]' " + MESSAGE.format(
        why="the text `briefing new` wrote") in warned
    assert any("'sources[0].id' " + MESSAGE.format(
        why=f"the scaffold's source '{SCAFFOLD_SOURCE}'") in line for line in warned)


def test_a_todo_is_flagged_where_it_stands(cli, tmp_path, monkeypatch):
    brief = _new(cli, tmp_path, monkeypatch)
    text = brief.read_text("utf-8").replace(
        "note: Placeholder; give only what the source itself states.",
        "note: \"TODO: judge this source's reliability (A-F)\"")
    brief.write_text(text, "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "TODO" in row)
    assert f"content/x/brief.yaml:{line}:11: warning: 'sources[0].note' " + MESSAGE.format(
        why="it starts with TODO") in _warned(cli)


def test_text_that_only_mentions_todo_is_not_a_placeholder(cli, tmp_path, monkeypatch):
    brief = _new(cli, tmp_path, monkeypatch)
    text = brief.read_text("utf-8").replace(
        "subtitle: Placeholder subtitle", "subtitle: What a TODO list leaves out")
    brief.write_text(text, "utf-8")
    assert not any("'subtitle'" in line for line in _warned(cli))
