"""Benchmark editions: the cost of the diff and the redline against an ordinary build.

For each size k, a synthetic brief (bench/generate.py) is released as edition 1,
then edition 2 rewords every fifth judgment, drops the last, adds one and raises
the confidence of every seventh. Measured, medians of fresh processes:
`briefing build --format docx` of edition 2 (the baseline, in the same run),
`briefing diff --format json` and `briefing diff --docx`; and in one warm process
the stages: comparing the content models, composing both editions, merging their
trees, and rendering the redline against rendering the ordinary DOCX.

Run:  python bench/editions.py [--sizes 25 250] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from generate import LAYOUT, brief_data  # noqa: E402
from measure import Sample, log, run_cold  # noqa: E402

from briefing.build.pipeline import resolve_layout  # noqa: E402
from briefing.cli.main import main  # noqa: E402
from briefing.compose.composer import compose  # noqa: E402
from briefing.compose.redtree import merge  # noqa: E402
from briefing.editions.select import pick  # noqa: E402
from briefing.model.changes import compare  # noqa: E402
from briefing.render.docx.renderer import render_docx  # noqa: E402
from briefing.render.redline import render_redline  # noqa: E402


def second_edition(data: dict) -> dict:
    """Edition 2: reworded, dropped, added and re-rated judgments."""
    judgments = [dict(kj) for kj in data["key_judgments"][:-1]]
    for n, kj in enumerate(judgments, start=1):
        if n % 5 == 0:
            kj["text"] = kj["text"].replace(" in ", " across ", 1)
        if n % 7 == 0:
            kj["confidence"] = "high" if kj["confidence"] != "high" else "moderate"
    added = dict(data["key_judgments"][0], id="kj-new")
    added["evidence"] = [dict(ev, id=f"{ev['id']}-new") for ev in added["evidence"]]
    return {**data, "edition": 2, "key_judgments": [*judgments, added]}


def prepare(k: int, root: Path) -> Path:
    folder = root / f"k{k}"
    folder.mkdir()
    data = brief_data(k)
    for edition in (data, second_edition(data)):
        (folder / "brief.yaml").write_text(yaml.safe_dump(edition, sort_keys=False,
                                                          allow_unicode=True), "utf-8")
        if edition["edition"] == 1:
            code = main(["release", str(folder), "--out-dir", str(root / "out"),
                         "--layout", str(LAYOUT)])
            assert code == 0, "release failed"
    return folder


def cold(command: list[str], runs: int) -> Sample:
    sample = Sample()
    for _ in range(runs):
        sample.values.append(run_cold([sys.executable, "-m", "briefing", *command])[0])
    return sample


def warm(run, runs: int) -> float:
    sample = Sample()
    for _ in range(runs):
        start = time.perf_counter()
        run()
        sample.values.append(time.perf_counter() - start)
    return sample.median


def measure(k: int, root: Path, runs: int) -> list[tuple]:
    folder = prepare(k, root)
    out = root / "out"
    log(f"k={k}: cold processes")
    build = cold(["build", str(folder), "--format", "docx", "--force", "--out-dir", str(out),
                  "--layout", str(LAYOUT)], runs)
    diff = cold(["diff", str(folder), "--format", "json"], runs)
    redline = cold(["diff", str(folder), "--docx", str(root / "red.docx"), "--layout",
                    str(LAYOUT)], runs)
    log(f"k={k}: stages in one process")
    pair = pick(folder, None, "working")
    layout = resolve_layout(pair.new, str(LAYOUT))
    old, new = compose(pair.old, layout), compose(pair.new, layout)
    merged = merge(old.blocks, new.blocks, {})
    stages = {
        "compare": warm(lambda: compare(pair.old.brief, pair.new.brief), runs),
        "compose both": warm(lambda: (compose(pair.old, layout), compose(pair.new, layout)),
                             runs),
        "merge trees": warm(lambda: merge(old.blocks, new.blocks, {}), runs),
        "docx": warm(lambda: render_docx(new, layout), runs),
        "redline docx": warm(lambda: render_redline(new.__class__(
            new.meta, new.marking, merged), layout, pair.new.brief.date, old), runs),
    }
    changes = len(pair.diff.changes)
    base = build.median
    rows = [(k, changes, "briefing build --format docx (baseline)", base, build.n, 1.0),
            (k, changes, "briefing diff --format json", diff.median, diff.n,
             diff.median / base),
            (k, changes, "briefing diff --docx (redline)", redline.median, redline.n,
             redline.median / base)]
    rows += [(k, changes, f"in-process: {name}", seconds, runs,
              seconds / stages["docx"]) for name, seconds in stages.items()]
    return rows


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 250])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        for k in args.sizes:
            rows += measure(k, Path(temp), args.runs)
    print("| k | changes | what | median s | runs | ratio |")
    print("| --: | --: | --- | --: | --: | --: |")
    for k, changes, what, seconds, runs, ratio in rows:
        basis = "÷ docx render" if what.startswith("in-process") else "÷ build"
        print(f"| {k} | {changes} | {what} | {seconds:.3f} | {runs} | {ratio:.2f}× "
              f"{basis} |")


if __name__ == "__main__":
    main_bench()
