"""A pause at a named point of a write, for tests that kill a process there.

With BRIEFING_TEST_PAUSE_AT=<point> and BRIEFING_TEST_PAUSE_DIR=<folder> in its
environment, a process reaching `pause_at(<point>)` writes a marker file
`<folder>/<point>` holding its pid, says so down the FIFO `<folder>/paused` (the test
reads it: no polling, no sleeps), then blocks reading the FIFO `<folder>/hold`, which
no one writes: it stays there until the test kills it. Without the variables (always,
outside tests) `pause_at` does nothing.
"""

from __future__ import annotations

import os

PAUSE_AT = "BRIEFING_TEST_PAUSE_AT"
PAUSE_DIR = "BRIEFING_TEST_PAUSE_DIR"


def pause_at(point: str) -> None:
    """Block here for good if a test asked to (see the module's docstring)."""
    if os.environ.get(PAUSE_AT) != point:
        return
    folder = os.environ[PAUSE_DIR]
    with open(os.path.join(folder, point), "w", encoding="utf-8") as marker:
        marker.write(f"{os.getpid()}\n")
    with open(os.path.join(folder, "paused"), "w", encoding="utf-8") as said:
        said.write(f"{point} {os.getpid()}\n")
    with open(os.path.join(folder, "hold"), encoding="utf-8") as hold:
        hold.read()  # no writer ever comes: the test kills this process here
    raise SystemExit(f"briefing: the test hold on '{point}' was released")
