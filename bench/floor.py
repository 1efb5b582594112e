"""The start-up floor of a cold run, for bench/run.py: what a fresh Python spends
importing the libraries (and standard-library modules) a command imports, with none
of briefing's own code.

For `briefing build --format pdf` of each brief and `briefing validate` of the NK
brief, the modules the command imports are read once, untimed, from `python -X
importtime`; the cold runs then time a script that imports exactly those modules, and
`python -c pass`, in the same rounds as everything else. A target below the floor plus
the work briefing does even in a warm process cannot be met by making briefing's own
code faster: the table says so per row.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from measure import ROOT, run_cold

PYTHON = "python -c pass"
FLOOR_PDF = "import floor of `build --format pdf`"
FLOOR_VALIDATE = "import floor of `validate`"
OWN = " with briefing's modules"  # the same imports and briefing's own: a floor's twin
_IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$")
_SCRIPT = '''"""Import these modules of the ones `{command}` imports."""
import importlib

for name in {modules!r}:
    try:
        importlib.import_module(name)
    except Exception:  # a module that only imports inside its package's own code
        pass
'''


def imported_modules(command: list[str]) -> list[str]:
    """The modules a run of `command` imports, in the order it did."""
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return [m.group(1) for line in done.stderr.splitlines() if (m := _IMPORT_LINE.match(line))
            and not m.group(1).startswith("__editable__")]


def floor_scripts(command: list[str], folder: Path, name: str) -> tuple[Path, Path]:
    """Two scripts in `folder`: one importing the modules `command` imports but
    briefing's own, one importing those and briefing's own."""
    modules = imported_modules(command)
    shown = " ".join(Path(part).name if "/" in part else part for part in command[1:])
    libraries = [m for m in modules if m.split(".")[0] != "briefing"]
    paths = (folder / f"{name}.py", folder / f"{name}_own.py")
    for path, chosen in zip(paths, (libraries, modules), strict=True):
        path.write_text(_SCRIPT.format(command=shown, modules=chosen), "utf-8")
    return paths


def floor_tasks(brief, folder: Path, nk: bool) -> list[Callable[[], None]]:
    """Cold runs of `python -c pass` and of the import floors of the brief's PDF build
    (and, for the NK brief, of `validate`)."""
    folder.mkdir(parents=True, exist_ok=True)
    pdf = [sys.executable, "-m", "briefing", "build", str(brief.path), "--out-dir",
           str(folder / "out"), "--format", "pdf", "--force", *brief.layout_option]
    commands = {FLOOR_PDF: pdf}
    if nk:
        commands[FLOOR_VALIDATE] = [sys.executable, "-m", "briefing", "validate",
                                    str(brief.path)]
    tasks = [partial(_cold, brief, PYTHON, [sys.executable, "-c", "pass"])]
    for n, (tool, command) in enumerate(commands.items()):
        libraries, own = floor_scripts(command, folder, f"floor{n}")
        tasks += [partial(_cold, brief, tool, [sys.executable, str(libraries)]),
                  partial(_cold, brief, tool + OWN, [sys.executable, str(own)])]
    return tasks


def _cold(brief, tool: str, command: list[str]) -> None:
    brief.timing(tool).add(*run_cold(command))


def floor_rows(brief, rows: list[tuple[str, str, float, float, str, float]]) -> list[list[str]]:
    """Table rows for `rows` of (command, floor tool, target s, measured s, work stages
    label, warm work s)."""
    out = []
    for command, floor_tool, target, measured, label, work in rows:
        floor, own = brief.seconds(floor_tool), brief.seconds(floor_tool + OWN)
        verdict = ("–" if math.isnan(target - own) or math.isnan(work) else
                   "out of reach" if target - floor < work else
                   "out of reach with briefing's imports as they are" if target - own < work
                   else "room left")
        out.append([brief.name, command, _s(target), _s(measured), _s(brief.seconds(PYTHON)),
                    _s(floor), _s(own), _s(target - floor), _s(target - own),
                    f"{_s(work)} ({label})", verdict])
    return out


def _s(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds:.3f}"


FLOOR_HEADER = ["brief", "cold command", "target s", "measured s", "python -c pass s",
                "import floor s", "+ briefing's imports s", "target − floor s",
                "target − both s", "warm work s", "verdict"]
FLOOR_NOTE = (
    "'import floor': a fresh Python importing exactly the modules the command imports "
    "(libraries and standard library, none of briefing's own), cold, median; '+ briefing's "
    "imports' adds briefing's own modules to it (importing, not running them). 'target − "
    "floor' is all that is left for briefing's own imports and work; 'warm work' is what "
    "briefing's work takes in a process that has run it before (in-process stages: "
    "validate, compose with the citation cache warm, the PDF render), so a row whose "
    "target − floor is below it is out of reach however fast briefing's own imports and "
    "first-run costs become. The both-formats rows use the PDF build's floor: the main "
    "process imports all of it, the DOCX renderer's imports come on top in the helper.")
