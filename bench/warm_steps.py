"""Where the warm one-edit rebuild of the NK brief spends its time, step by step.

What `briefing watch` does after a save, as bench/run.py's one-edit rebuild measures it
(a copy of NK, a helper process kept between builds, `keep_ready`), with each step of
the build timed: the steps in this process, and the DOCX the helper renders (sent to
it, rendered, returned). Prints a Markdown table of medians.

Usage: python bench/warm_steps.py [--edits N]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from run import EDIT_FILE, copy_nk, toggle_edit

import briefing.build.inputs as inputs
import briefing.build.pipeline as pipeline
import briefing.build.validate as validate
from briefing.core.commit import GroupWrite
from briefing.render.pdf import memo as pdf_memo

STEPS = {  # step: (module, function) timed where the build calls it
    "load": (validate, "load_for_review"),
    "layout": (pipeline, "resolve_layout"),
    "input digests": (inputs, "input_digests"),
    "write: a file (the PDF while the helper renders)": (GroupWrite, "add"),
    "write: commit (journal, renames)": (GroupWrite, "commit"),
}
FRESH = ("compose", "review", "glyphs")  # methods of the build's _Fresh source


def _timed(times: dict[str, list[float]], step: str, function: Callable) -> Callable:
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            times.setdefault(step, []).append(time.perf_counter() - start)
    return timed


def _render_timed(fmt, sent):
    """In the helper: the render and when it began (the document unpickled) and ended."""
    document, layout = pickle.loads(sent)
    start = time.perf_counter()
    data = pipeline.render_format(fmt, document, layout)
    return data, start, time.perf_counter()


class _Helper(ProcessPoolExecutor):
    """The helper process, telling how long the DOCX took to reach it, render and
    come back."""

    def __init__(self, times: dict[str, list[float]]):
        super().__init__(max_workers=1)
        self.times = times

    def submit(self, fn, /, *args, **kwargs):
        if fn is not pipeline.render_sent:
            return super().submit(fn, *args, **kwargs)
        sent, outer = time.perf_counter(), Future()
        inner = super().submit(_render_timed, *args, **kwargs)

        def done(future: Future) -> None:
            try:
                data, start, end = future.result()
            except BaseException as exc:  # noqa: BLE001 - handed on to the build
                outer.set_exception(exc)
                return
            self.times.setdefault("helper: DOCX sent", []).append(start - sent)
            self.times.setdefault("helper: DOCX render", []).append(end - start)
            outer.set_result(data)

        inner.add_done_callback(done)
        return outer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=9, help="rebuilds timed (default 9)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {}
    for step, (module, name) in STEPS.items():
        setattr(module, name, _timed(times, step, getattr(module, name)))
    for name in FRESH:
        setattr(pipeline._Fresh, name, _timed(times, name, getattr(pipeline._Fresh, name)))
    # the PDF rendered here (the helper's DOCX is timed by _Helper)
    pipeline.render_format = _timed(times, "PDF (this process)", pipeline.render_format)
    with tempfile.TemporaryDirectory() as folder:
        copy = copy_nk(Path(folder))
        out = Path(folder) / "out"
        with pdf_memo.kept(), _Helper(times) as helper:
            pipeline.build(copy, out, helper=helper, keep_ready=True)  # untimed: warms up
            times.clear()
            for _ in range(args.edits):
                toggle_edit(copy / EDIT_FILE)
                start = time.perf_counter()
                built = pipeline.build(copy, out, helper=helper, keep_ready=True)
                times.setdefault("whole rebuild", []).append(time.perf_counter() - start)
                assert sorted(built.outputs) == ["docx", "pdf"], built.findings
    print(f"NK one-edit rebuild, {args.edits} edits, medians (ms)\n")
    print("| step | median ms |\n|---|---:|")
    for step, values in times.items():
        print(f"| {step} | {statistics.median(values) * 1000:.1f} |")


if __name__ == "__main__":
    main()
