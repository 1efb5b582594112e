"""The README is the front door: at most 200 lines, the two set-up commands as CI runs
them, and a commands table that names every command. (The reference is the site under
docs/: tests/test_docs.py keeps its pages in step with the code.)"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.cli.main import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_the_two_setup_commands_are_in_the_readme():
    assert "pip install -e . && briefing build content/nk-russia" in README
    run = (ROOT / ".ci" / "run").read_text("utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest -q"
    assert test_command in README and test_command in run


def test_the_readme_is_a_front_door_of_at_most_200_lines():
    assert len(README.splitlines()) <= 200


def test_the_readme_commands_table_names_every_command():
    section = README[README.index("## Commands"):]
    rows = re.findall(r"^\| `briefing (\w+)", section[:section.index("\n## ")], re.M)
    assert sorted(rows) == sorted(COMMANDS)


def test_the_readme_links_only_to_files_that_exist():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)", README):
        assert (ROOT / target).exists(), target
