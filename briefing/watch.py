"""`briefing watch`: rebuild a brief's outputs whenever its inputs change.

Runs in one process, so fonts, citation results and the package stay loaded
between rebuilds. Invalid content prints its findings and keeps the last good
outputs; a brief that disappears is reported and waited for.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .batch import Outcome, build_one
from .load import YAML_SUFFIXES, display_path

DEBOUNCE_MS = 250


def watched_paths(brief: Path) -> list[Path]:
    """Folders whose changes can change the outputs: the brief's, layouts, seeds."""
    folder = (brief if brief.is_dir() else brief.parent).resolve()
    paths = {folder.parent}
    for parent in (folder, *folder.parents):
        for name in ("layouts", "seeds"):
            if (parent / name).is_dir():
                paths.add(parent / name)
        if (parent / "layouts").is_dir():
            break
    return sorted(paths)


def _relevant(change_path: str, brief: Path) -> bool:
    path = Path(change_path)
    if any(part.startswith(".") for part in path.parts[-2:]) or path.name.endswith("~"):
        return False  # editor swap files, our own state
    folder = (brief if brief.is_dir() else brief.parent).resolve()
    inside_brief = folder in path.parents or path == folder or path == brief.resolve()
    if inside_brief:
        return path.suffix in YAML_SUFFIXES or not path.suffix
    return "layouts" in path.parts or "seeds" in path.parts


def _line(outcome: Outcome, stream: TextIO) -> None:
    stamp = time.strftime("%H:%M:%S")
    name = display_path(outcome.path)
    if outcome.status == "built":
        outputs = ", ".join(outcome.outputs.values())
        print(f"[{stamp}] {name}: rebuilt {outputs} in {outcome.seconds:.2f} s",
              file=stream, flush=True)
    elif outcome.status == "up to date":
        print(f"[{stamp}] {name}: up to date", file=stream, flush=True)
    else:
        for finding in outcome.findings:
            print(finding, file=stream)
        print(f"[{stamp}] {name}: {outcome.status}: {outcome.message}; "
              "kept the last good outputs", file=stream, flush=True)


def watch(brief: Path, out_dir: Path, formats: tuple[str, ...], layout: str | None,
          stop: threading.Event | None = None, stream: TextIO | None = None) -> int:
    """Build now, then after every relevant change until `stop` is set or Ctrl-C."""
    stream = stream or sys.stdout
    stop = stop or threading.Event()
    print(f"watching {display_path(brief)} (Ctrl-C to stop)", file=stream, flush=True)
    with _helper(formats) as helper:
        if brief.exists():
            _line(build_one(brief, out_dir, formats, layout, False, helper), stream)
        else:
            print(f"{display_path(brief)}: does not exist; waiting for it", file=stream,
                  flush=True)
        _watch(brief, out_dir, formats, layout, stop, stream, helper)
    print("stopped watching", file=stream, flush=True)
    return 0


@contextmanager
def _helper(formats: tuple[str, ...]) -> Iterator[ProcessPoolExecutor | None]:
    """A process that renders the second format while this one renders the first."""
    if len(formats) < 2 or (os.cpu_count() or 1) < 2:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _watch(brief: Path, out_dir: Path, formats: tuple[str, ...], layout: str | None,
           stop: threading.Event, stream: TextIO, helper: ProcessPoolExecutor | None) -> None:
    """Rebuild on every relevant change until `stop` is set or Ctrl-C."""
    from watchfiles import watch as watch_changes

    try:
        for changes in watch_changes(*watched_paths(brief), debounce=DEBOUNCE_MS, step=50,
                                     stop_event=stop, rust_timeout=500, yield_on_timeout=False,
                                     raise_interrupt=False):
            if not any(_relevant(path, brief) for _, path in changes):
                continue
            if not brief.exists():
                print(f"{display_path(brief)}: no longer exists; waiting for it to come back",
                      file=stream, flush=True)
                continue
            _line(build_one(brief, out_dir, formats, layout, False, helper), stream)
    except KeyboardInterrupt:
        pass
