"""A warm process that runs `briefing` commands in forked children, for the kill tests.

Started once (python forkserver.py [CWD BRIEF OUT_DIR]), it imports briefing and its
renderers (and builds BRIEF once, in CWD, into OUT_DIR, to warm up), then reads
one JSON request a line from stdin and answers one JSON line on stdout:

- {"run": [argv…], "cwd": …, "env": {…}} forks a child that runs `briefing ARGV…` in
  `cwd` with `env` added to its environment (its output goes to /dev/null) and answers
  {"pid": N} at once; the test may kill it whenever it likes;
- {"wait": N} reaps child N and answers {"status": code}: its exit code, or minus the
  signal that ended it (-9 for SIGKILL).

A forked child starts with everything already imported, so a build takes a fraction
of a cold one, and the test can afford hundreds of them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from briefing.build import pipeline  # noqa: E402,F401 - imported before any fork
from briefing.cli.main import main  # noqa: E402
from briefing.render.registry import FORMATS, renderer_module  # noqa: E402

for _fmt in FORMATS:  # the renderers too, as a warm `watch` has them
    renderer_module(_fmt)


def _child(request: dict) -> None:
    """In the forked child: run the command, then leave without any clean-up."""
    code = 98
    try:
        os.setpgid(0, 0)  # its own process group: a kill of the group takes its helper
        os.chdir(request["cwd"])
        os.environ.update(request.get("env", {}))
        sink = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # nothing it or a helper it forks writes reaches the test
            os.dup2(sink, fd)
        sys.stdout = sys.stderr = open(sink, "w", closefd=False)  # noqa: SIM115
        code = main(request["run"])
    except SystemExit as stop:
        code = int(stop.code or 0) if isinstance(stop.code, int | None) else 1
    except BaseException:  # noqa: BLE001 - reported as its exit code
        code = 99
    finally:
        os._exit(code)


def _status(raw: int) -> int:
    return -os.WTERMSIG(raw) if os.WIFSIGNALED(raw) else os.WEXITSTATUS(raw)


def warm(cwd: str, brief: str, out_dir: str) -> None:
    """One build here, before any fork: what it leaves in memory (fonts read, styles
    made, templates compiled) every child starts with. Its PDF is ReportLab's: Typst
    keeps native threads once it has run, and a process with threads is not forked
    (each child runs Typst afresh)."""
    from briefing.build import helper
    from briefing.core.pool import only_thread

    here, forks = os.getcwd(), helper.can_fork_helper
    # No helper process for this build: its pool's threads end with it, but Python's
    # join does not wait for the thread to leave the kernel, so on a loaded machine
    # one could still be there when the assertion below looks. The children fork
    # their helpers as usual.
    helper.can_fork_helper = lambda: False
    os.chdir(cwd)
    try:
        main(["build", brief, "--force", "--format", "all", "--pdf-engine", "reportlab",
              "--out-dir", out_dir])
    finally:
        os.chdir(here)
        helper.can_fork_helper = forks
    assert only_thread(), "a thread would not survive the forks"


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "wait" in request:
            _, raw = os.waitpid(int(request["wait"]), 0)
            answer = {"status": _status(raw)}
        else:
            pid = os.fork()
            if pid == 0:
                _child(request)
            answer = {"pid": pid}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if len(sys.argv) == 4:  # forkserver.py CWD BRIEF OUT_DIR: warm up on that brief
        sys.stdout, real = sys.stderr, sys.stdout
        warm(*sys.argv[1:])
        sys.stdout = real
    serve()
