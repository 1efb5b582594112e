"""Cold runs of briefing's code at another commit against the code here, alternately.

For each command (validate the NK brief; build it as PDF, as DOCX, as both; build
the k=1 synthetic brief as both) runs `python -m briefing …` as a fresh process with
the other commit's package first on PYTHONPATH, then with this tree's, and so on,
`--runs` times each; prints a Markdown table of the medians and their ratio. The other
commit is checked out into a temporary git worktree and removed afterwards. Bytecode
is kept under a folder of the benchmark's own (PYTHONPYCACHEPREFIX), as an installed
package has it; briefing's disk cache is shared, so both sides run with it warm (one
untimed run each first).

Usage: python bench/compare.py REV [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import LAYOUT, generate_brief
from measure import ROOT, log, other_commit

NK = ROOT / "content" / "nk-russia"


def commands(k1: Path, out: Path) -> dict[str, list[str]]:
    """Each row's arguments to `python -m briefing`."""
    build = ["build", "--out-dir", str(out), "--force"]
    return {
        "`validate` NK": ["validate", str(NK)],
        "`build` NK, PDF only": [*build, str(NK), "--format", "pdf"],
        "`build` NK, DOCX only": [*build, str(NK), "--format", "docx"],
        "`build` NK, both formats": [*build, str(NK)],
        "`build` k=1, both formats": [*build, str(k1), "--layout", str(ROOT / LAYOUT)],
    }


def timed(arguments: list[str], package: Path, env: dict[str, str], cwd: Path) -> float:
    """Wall seconds of one fresh `python -m briefing` with `package` first on the path
    (run in `cwd`, outside both trees: `-m` puts the working folder first)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", *arguments], cwd=cwd,
                          env={**env, "PYTHONPATH": str(package)}, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"briefing {' '.join(arguments)} failed with {package}:\n"
                         f"{done.stderr.decode(errors='replace')}")
    return seconds


def _check_imports_from(package: Path, env: dict[str, str], cwd: Path) -> None:
    """Stop unless `python -m briefing` with `package` on PYTHONPATH runs that copy."""
    done = subprocess.run([sys.executable, "-c", "import briefing; print(briefing.__file__)"],
                          cwd=cwd, env={**env, "PYTHONPATH": str(package)},
                          capture_output=True, text=True, check=True)
    if not Path(done.stdout.strip()).resolve().is_relative_to(package.resolve()):
        raise SystemExit(f"PYTHONPATH={package} imports {done.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with (e.g. 9ecfbbf)")
    parser.add_argument("--runs", type=int, default=9, help="cold runs of each side")
    args = parser.parse_args()
    with other_commit(args.rev, "briefing-compare-") as (folder, other):
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        k1 = generate_brief(1, folder / "k1").parent
        rows = commands(k1, folder / "out")
        sides = {"before": other, "after": ROOT}
        for package in sides.values():
            _check_imports_from(package, env, folder)
        times: dict[tuple[str, str], list[float]] = {}
        for name, arguments in rows.items():
            log(f"{name}: {args.runs} cold runs each, alternately")
            for package in sides.values():  # untimed: bytecode and cache warm
                timed(arguments, package, env, folder)
            for _ in range(args.runs):
                for side, package in sides.items():
                    times.setdefault((name, side), []).append(
                        timed(arguments, package, env, folder))
    print(f"| command | {args.rev} | this tree | ratio |")
    print("|---|--:|--:|--:|")
    for name in rows:
        before = statistics.median(times[(name, "before")])
        after = statistics.median(times[(name, "after")])
        print(f"| {name} | {before:.3f} s | {after:.3f} s | {after / before:.2f}× |")
    print(f"\nmedians of {args.runs} alternating cold runs each; load average at the end: "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
