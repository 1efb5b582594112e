"""What Word hygiene and embedded fonts cost the DOCX renderer: time and size.

For the NK brief and synthetic briefs (bench/generate.py), renders the DOCX in
this process (the document tree composed once beforehand) and prints medians:

* baseline: the renderer with its hygiene and font embedding switched off (the
  DOCX as it was before them), measured in the same run;
* full, cold: everything, with the subset cache emptied before each run (a fresh
  `briefing build`);
* full, warm: everything, the subsets cached (what `watch` and `serve` pay after
  an edit that adds no new character).

Usage: python bench/docx_hygiene.py [--repeat N] [--sizes K ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate_brief  # noqa: E402

from briefing.compose.composer import compose  # noqa: E402
from briefing.load.brief import load_brief  # noqa: E402
from briefing.load.layout import load_layout  # noqa: E402
from briefing.render import subsets  # noqa: E402
from briefing.render.docx.renderer import DocxRenderer  # noqa: E402


class _Baseline(DocxRenderer):
    """The renderer without hygiene and embedded fonts."""

    def word_hygiene(self, document) -> None:
        return None

    def embed_fonts(self) -> None:
        return None


def _median(run: Callable[[], bytes], repeat: int, before: Callable[[], None]) -> tuple:
    times, size = [], 0
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        size = len(run())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def _nothing() -> None:
    return None


def _measure(name: str, document, layout, repeat: int) -> tuple:
    """(name, baseline s, full cold s, full warm s, baseline bytes, full bytes)."""
    base, base_size = _median(lambda: _Baseline(layout).render(document), repeat, _nothing)
    full, size = _median(lambda: DocxRenderer(layout).render(document), repeat,
                         subsets.forget_subsets)
    warm, _ = _median(lambda: DocxRenderer(layout).render(document), repeat, _nothing)
    return name, base, full, warm, base_size, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 25, 250])
    args = parser.parse_args()
    layout = load_layout(ROOT / "layouts" / "policy-brief" / "layout.yaml")
    briefs = [("NK–Russia", ROOT / "content" / "nk-russia")]
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.sizes:
            briefs.append((f"k={k}", generate_brief(k, Path(tmp) / f"k{k}")))
        rows = [_measure(name, compose(load_brief(path), layout), layout, args.repeat)
                for name, path in briefs]
    print(f"DOCX render in one process, median of {args.repeat} runs (seconds; sizes kB)\n")
    print("| brief | baseline s | full, cold s | ÷ baseline | full, warm s | ÷ baseline "
          "| baseline kB | full kB |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for name, base, full, warm, base_size, size in rows:
        print(f"| {name} | {base:.3f} | {full:.3f} | {full / base:.2f}× | {warm:.3f} | "
              f"{warm / base:.2f}× | {base_size / 1000:.0f} | {size / 1000:.0f} |")


if __name__ == "__main__":
    main()
