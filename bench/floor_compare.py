"""The import floor of `briefing validate` at another commit against this tree.

For each side, reads which modules `python -m briefing validate` of the NK brief
imports (`-X importtime`, untimed), writes the two scripts of bench/floor.py (the
libraries' imports alone, and with briefing's own modules), then times fresh Pythons
running them, and the whole cold `validate`, alternately side by side (`--runs` each);
prints a Markdown table of the medians and their ratio. The other commit is checked
out into a temporary git worktree and removed afterwards.

Usage: python bench/floor_compare.py REV [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from floor import _IMPORT_LINE, _SCRIPT
from measure import ROOT, other_commit

NK = ROOT / "content" / "nk-russia"
VALIDATE = ["-m", "briefing", "validate", str(NK)]


def modules_of(package: Path, env: dict[str, str], cwd: Path) -> list[str]:
    """The modules `validate` imports with `package` first on the path, in order."""
    done = subprocess.run([sys.executable, "-X", "importtime", *VALIDATE], cwd=cwd,
                          env={**env, "PYTHONPATH": str(package)}, capture_output=True,
                          text=True, check=True)
    return [m.group(1) for line in done.stderr.splitlines()
            if (m := _IMPORT_LINE.match(line)) and not m.group(1).startswith("__editable__")]


def scripts_for(package: Path, env: dict[str, str], folder: Path, name: str) -> dict:
    """Row → arguments to Python for one side: the libraries' floor, with briefing's own
    modules, and the cold `validate` itself."""
    modules = modules_of(package, env, folder)
    libraries = [m for m in modules if m.split(".")[0] != "briefing"]
    rows = {}
    for row, chosen in (("libraries' imports", libraries), ("+ briefing's imports", modules)):
        path = folder / f"{name}-{len(rows)}.py"
        path.write_text(_SCRIPT.format(command="validate", modules=chosen), "utf-8")
        rows[row] = [str(path)]
    rows["cold `validate` NK"] = VALIDATE
    rows["briefing modules imported"] = len(modules) - len(libraries)
    return rows


def timed(arguments: list[str], package: Path, env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *arguments], cwd=cwd, check=True, capture_output=True,
                   env={**env, "PYTHONPATH": str(package)})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with (e.g. 1438986)")
    parser.add_argument("--runs", type=int, default=15, help="cold runs of each row and side")
    args = parser.parse_args()
    with other_commit(args.rev, "briefing-floor-") as (folder, other):
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # cold runs have bytecode, as installed
        sides = {"before": other, "after": ROOT}
        rows = {side: scripts_for(package, env, folder, side)
                for side, package in sides.items()}
        names = [name for name in rows["after"] if name != "briefing modules imported"]
        times: dict[tuple[str, str], list[float]] = {}
        for name in names:
            for side, package in sides.items():  # untimed: bytecode warm
                timed(rows[side][name], package, env, folder)
            for _ in range(args.runs):
                for side, package in sides.items():
                    times.setdefault((name, side), []).append(
                        timed(rows[side][name], package, env, folder))
    print(f"| `validate` NK | {args.rev} | this tree | ratio |")
    print("|---|--:|--:|--:|")
    for name in names:
        before = statistics.median(times[(name, "before")])
        after = statistics.median(times[(name, "after")])
        print(f"| {name} | {before:.3f} s | {after:.3f} s | {after / before:.2f}× |")
    count = "briefing modules imported"
    print(f"| {count} | {rows['before'][count]} | {rows['after'][count]} | |")
    print(f"\nmedians of {args.runs} alternating cold runs each; load average at the end: "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
