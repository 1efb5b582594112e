"""The README's commands and example messages say what the tool really does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from briefing.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def _examples() -> list[str]:
    block = README[README.index("Example messages"):]
    block = block[block.index("```text") + len("```text"):]
    return [line for line in block[:block.index("```")].splitlines() if line.strip()]


def test_example_messages_are_what_validate_prints(tmp_path, capsys, monkeypatch):
    for name in ("seeds", "layouts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content" / "nk-russia", tmp_path / "content" / "nk-russia")
    judgments = tmp_path / "content" / "nk-russia" / "judgments.yaml"
    lines = judgments.read_text("utf-8").splitlines(keepends=True)
    monkeypatch.chdir(tmp_path)

    typo = next(i for i, line in enumerate(lines) if line.strip() == "confidence: high")
    lines[typo] = lines[typo].replace("confidence:", "confidnce:")
    judgments.write_text("".join(lines), "utf-8")
    assert main(["validate", "content/nk-russia"]) == 2
    first = capsys.readouterr().err

    lines[typo] = lines[typo].replace("confidnce:", "confidence:")
    text = "".join(lines).replace("step up strategic cooperation with the Russian Federation\n",
                                  "step up tactical cooperation with the Russian Federation\n")
    text = re.sub(r"(    likelihood: )likely\n", r"\1very likely\n", text, count=1)
    judgments.write_text(text, "utf-8")
    assert main(["validate", "content/nk-russia"]) == 2
    printed = first + capsys.readouterr().err
    examples = _examples()
    assert len(examples) == 3
    for example in examples:
        assert example in printed.splitlines(), example


def test_the_two_setup_commands_are_in_the_readme():
    assert "pip install -e . && briefing build content/nk-russia" in README
    run = (ROOT / ".ci" / "run").read_text("utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest -q"
    assert test_command in README and test_command in run


def test_security_model_limits_are_the_code_s():
    """Every limit in the README's "Security model" table has the value limits.py has."""
    from briefing.core import limits

    section = README[README.index("## Security model"):]
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", section, re.M)
    assert len(rows) == 15
    units = {"MiB": limits.MIB, "s": 1}
    for name, shown in rows:
        number, _, unit = shown.strip().partition(" ")
        value = float(number.replace(",", "")) * units.get(unit, 1)
        assert value == getattr(limits, name), name
