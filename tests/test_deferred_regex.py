"""Third-party patterns compiled on first use (briefing.core.deferred_regex)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from briefing.core.deferred_regex import DeferredPattern, defer

SOURCE = r"(?P<word>[a-zé]+)-(\d+)"


def test_a_deferred_pattern_compiles_on_first_use_to_the_same_pattern():
    stand_in = defer(SOURCE, re.IGNORECASE)
    assert isinstance(stand_in, DeferredPattern)
    got = re.compile(SOURCE, re.IGNORECASE)  # what a module's import-time compile gets
    assert got is stand_in
    assert got._compiled is None  # nothing compiled yet
    assert got.match("ÉTÉ-42").group("word", 2) == ("ÉTÉ", "42")
    assert got.findall("a-1 b-2") == re.findall(SOURCE, "a-1 b-2", re.IGNORECASE)
    assert got.pattern == SOURCE and got.flags & re.IGNORECASE
    # once compiled, the stand-in has left re's cache: later compiles get a real pattern
    assert isinstance(re.compile(SOURCE, re.IGNORECASE), re.Pattern)


def test_a_pattern_already_compiled_is_left_alone():
    real = re.compile(SOURCE + "x")
    defer(SOURCE + "x")
    assert re.compile(SOURCE + "x") is real


SPLIT = """
import json, sys
if sys.argv[1] == "deferred":
    import briefing  # defers ReportLab's URL pattern
import reportlab.platypus.paragraph as p
uris = ["https://example.org/a/b/c", "http://[::1]:8080/x", "ftp://user@192.168.0.1/f/",
        "https://пример.рф/путь/к", "not a url", "HTTPS://EXAMPLE.COM/A"]
print(json.dumps({"kind": type(p.uri_pat).__name__,
                  "splits": [p._uri_split_pairs(u) for u in uris]}))
"""


def _split(mode: str) -> dict:
    run = subprocess.run([sys.executable, "-c", SPLIT, mode], capture_output=True,
                         text=True, check=True)
    return json.loads(run.stdout)


def test_reportlab_url_pattern_is_deferred_and_splits_urls_as_before():
    """deferred_regex keeps the exact source of ReportLab's `uri_pat`: if a ReportLab
    release changes it, the deferral silently stops working; this test says so."""
    deferred, compiled = _split("deferred"), _split("plain")
    assert deferred["kind"] == "DeferredPattern"
    assert compiled["kind"] == "Pattern"
    assert deferred["splits"] == compiled["splits"]
    assert compiled["splits"][0][0] == ["https://example.org/a/b/", "c"]


READ = """
import json, sys
if sys.argv[1] == "deferred":
    import briefing  # defers PyYAML's pattern of characters it refuses
import yaml
from yaml.reader import Reader
said = []
texts = ["plain: text", "bell: \\x07", "nul: \\x00", "fine: \\u00e9\\U0001f600", "bom: \\ufffe"]
for text in texts:
    try:
        said.append(yaml.load(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        said.append(str(exc))
print(json.dumps({"kind": type(Reader.NON_PRINTABLE).__name__, "said": said}))
"""


def test_pyyaml_pattern_is_deferred_and_refuses_the_same_characters():
    def read(mode: str) -> dict:
        run = subprocess.run([sys.executable, "-c", READ, mode], capture_output=True,
                             text=True, check=True)
        return json.loads(run.stdout)

    deferred, compiled = read("deferred"), read("plain")
    assert (deferred["kind"], compiled["kind"]) == ("DeferredPattern", "Pattern")
    assert deferred["said"] == compiled["said"]
    assert "unacceptable character #x0007" in compiled["said"][1]
