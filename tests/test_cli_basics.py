"""The `briefing` command line: validate output formats, exit codes, new, schema, --version."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import jsonschema
import pytest
import yaml

import briefing.build.validate
from briefing.cli.main import main
from briefing.model.schema import SHIPPED

TYPO = ("unknown field 'confidnce' in key judgment 'kj-1'; did you mean 'confidence'?")


def test_console_path_python_dash_m(brief, tmp_path):
    brief.edit("    confidence: low", "    confidnce: low")
    done = subprocess.run([sys.executable, "-m", "briefing", "validate", "demo"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stderr.splitlines() == [f"{brief.pos('confidnce:')}: error: {TYPO} [BR802]",
                                        "demo: invalid (1 error(s), 0 warning(s))"]
    assert done.stdout == ""
    assert done.returncode == 2


def test_the_process_ends_with_its_output_whole_and_its_exit_code(tmp_path):
    """`python -m briefing` leaves without tearing the interpreter down (os._exit after
    flushing): standard output still arrives whole, even through a pipe, with the code."""
    done = subprocess.run([sys.executable, "-m", "briefing", "schema"], cwd=tmp_path,
                          capture_output=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, SHIPPED.read_bytes())
    missing = subprocess.run([sys.executable, "-m", "briefing", "validate", "nowhere"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.splitlines()[-1] == "nowhere: invalid (1 error(s), 0 warning(s))"


LOOKING = """
import importlib.metadata, sys
scan = importlib.metadata.distributions
def distributions(*args, **kwargs):  # what pydantic's plugin search calls
    print("looked for plugins", file=sys.stderr)
    return scan(*args, **kwargs)
importlib.metadata.distributions = distributions
sys.argv = ["briefing", "validate", sys.argv[1]]
from briefing.cli.main import run
run()
"""


@pytest.mark.parametrize("setting,looks", [(None, False), ("", True)])
def test_the_command_line_does_not_search_for_pydantic_plugins(brief, tmp_path, monkeypatch,
                                                               setting, looks):
    """Unless the user sets PYDANTIC_DISABLE_PLUGINS (even to nothing)."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    if setting is not None:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", setting)
    done = subprocess.run([sys.executable, "-c", LOOKING, "demo"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert ("looked for plugins" in done.stderr) is looks


def test_valid_brief_exits_0_and_says_so(brief, cli):
    code, out, err = cli("validate", "demo")
    assert (code, out, err) == (0, "", "demo: valid (0 error(s), 0 warning(s))\n")


def test_json_format(brief, cli):
    brief.edit("    confidence: low", "    confidnce: low")
    line, col = (int(n) for n in brief.pos("confidnce:").split(":")[1:])
    code, out, err = cli("validate", "--format", "json", "demo")
    assert err == ""
    assert json.loads(out) == [{
        "path": "demo", "valid": False,
        "findings": [{"path": "demo/brief.yaml", "line": line, "col": col,
                      "severity": "error", "message": TYPO, "rule": "BR802"}],
        "suppressed": [],
    }]
    assert code == 2


def test_json_format_of_a_valid_brief(brief, cli):
    code, out, err = cli("validate", "--format", "json", "demo")
    assert json.loads(out) == [{"path": "demo", "valid": True, "findings": [],
                                "suppressed": []}]
    assert code == 0


def test_strict_turns_a_warning_into_exit_2(brief, cli):
    brief.edit("    confidence: low", "    confidence: high")
    warning = (f"{brief.pos('high')}: warning: key judgment 'kj-1' is held with high "
               "confidence but rests on a single source ('example-source'); corroborate it from "
               "an independent source or lower the confidence [BR401]")
    code, out, err = cli("validate", "demo")
    assert err.splitlines() == [warning, "demo: valid (0 error(s), 1 warning(s))"]
    assert code == 0
    code, out, err = cli("validate", "--strict", "demo")
    assert err.splitlines() == [warning, "demo: valid (0 error(s), 1 warning(s))"]
    assert code == 2


def test_strict_keeps_a_clean_brief_at_exit_0(brief, cli):
    code, out, err = cli("validate", "--strict", "demo")
    assert code == 0


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"briefing {version('briefing')}\n"


def test_new_then_validate_warns_only_of_its_placeholders(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("new", "china-taiwan")
    assert out == ("wrote brief.schema.json, the content model's JSON Schema, for editors' "
                   "completion\ncreated content/china-taiwan/brief.yaml; check it with: "
                   "briefing validate content/china-taiwan\n"
                   "created briefing.toml: the project is .; a brief may name files only "
                   "inside it\n")
    assert (tmp_path / "briefing.toml").is_file()
    code, out, err = cli("new", "second")
    assert out == ("created content/second/brief.yaml; check it with: "
                   "briefing validate content/second\n")
    assert (code, err) == (0, "")
    text = (tmp_path / "content" / "china-taiwan" / "brief.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../brief.schema.json\n")
    code, out, err = cli("validate", "content/china-taiwan")
    *warnings, summary = err.splitlines()
    assert summary == "content/china-taiwan: valid (0 error(s), 15 warning(s))"
    assert all(w.endswith("[BR626]") for w in warnings) and len(warnings) == 15
    assert code == 0


def test_new_with_dir(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("new", "demo", "--dir", "briefs")
    assert code == 0
    assert (tmp_path / "briefs" / "demo" / "brief.yaml").is_file()
    assert cli("validate", "briefs/demo")[0] == 0


def test_new_refuses_an_existing_folder(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    assert cli("new", "demo")[0] == 0
    target = tmp_path / "content" / "demo" / "brief.yaml"
    target.write_text("id: edited\n", "utf-8")
    code, out, err = cli("new", "demo")
    assert err == "briefing: error: content/demo already exists; not overwriting it\n"
    assert out == ""
    assert code == 1
    assert target.read_text("utf-8") == "id: edited\n"


@pytest.mark.parametrize("ident", ["Bad Id", "_demo", "../evil", "demo/x", "", "demo\n"])
def test_new_refuses_a_bad_id(tmp_path, monkeypatch, cli, ident):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("new", ident)
    assert err == (f"briefing: error: '{ident}' is not a valid brief id: use lower-case "
                   "letters, digits, '-', '_' or '.'\n")
    assert out == ""
    assert code == 1
    assert not (tmp_path / "content").exists()


def _json_data(path: Path) -> object:
    """The brief's YAML as JSON would carry it (YAML dates become ISO strings)."""
    data = yaml.safe_load(path.read_text("utf-8"))
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()
                                 if isinstance(v, dt.date) else repr(v)))


def test_schema_is_a_json_schema_that_the_scaffold_satisfies(brief, cli):
    code, out, err = cli("schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in validator.iter_errors(_json_data(brief.file()))]
    assert errors == []


def test_schema_rejects_what_validate_rejects(brief, cli):
    brief.edit("    confidence: low", "    confidnce: low")
    schema = json.loads(cli("schema")[1])
    data = _json_data(brief.file())
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert any("'confidnce'" in m for m in messages), messages


def test_schema_to_a_file_matches_stdout_and_the_shipped_copy(tmp_path, cli):
    printed = cli("schema")[1]
    code, out, err = cli("schema", "-o", str(tmp_path / "s.json"))
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "s.json").read_text("utf-8") == printed
    assert json.loads(SHIPPED.read_text("utf-8")) == json.loads(printed)


def test_internal_error_is_one_line_without_traceback(brief, cli, monkeypatch):
    def explode(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(briefing.build.validate, "validate", explode)
    code, out, err = cli("validate", "demo")
    assert err == "briefing: internal error: RuntimeError: boom\n"
    assert "Traceback" not in out + err
    assert code == 1


def test_the_nk_brief_satisfies_the_schema(cli):
    from briefing.load.brief import load_located

    root = Path(__file__).resolve().parents[1]
    schema = json.loads(cli("schema")[1])
    located, files = load_located(root / "content" / "nk-russia")
    assert len(files) == 3
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in jsonschema.Draft202012Validator(schema).iter_errors(located.data)]
    assert errors == []


def test_validate_a_folder_of_briefs_checks_each(tmp_path, capsys, monkeypatch):
    from scaffolds import scaffolded as new_brief

    from briefing.cli.main import main

    monkeypatch.chdir(tmp_path)
    new_brief("one", tmp_path / "content", "schema.json")
    bad = new_brief("two", tmp_path / "content", "schema.json")
    bad.write_text(bad.read_text("utf-8").replace("confidence: low", "confidnce: low"))
    assert main(["validate", "content"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "content/one: valid (0 error(s), 0 warning(s))" in err
    assert "content/two: invalid (1 error(s), 0 warning(s))" in err


def test_every_command_has_a_handler():
    """main.COMMANDS names the handler of each of the parser's commands, and only those."""
    import argparse

    from briefing.cli.main import COMMANDS, _handler
    from briefing.cli.parser import make_parser

    commands = next(a for a in make_parser()._actions
                    if isinstance(a, argparse._SubParsersAction))
    assert set(COMMANDS) == set(commands.choices)
    assert all(callable(_handler(command)) for command in COMMANDS)
