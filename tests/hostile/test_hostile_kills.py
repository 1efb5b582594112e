"""Hostile corpus — real kills: SIGKILL a build, an import or a release anywhere, and
nothing is torn, nothing is lost.

Each command runs in a child of a warm fork server (forkserver.py) and is killed,
with its whole process group (its helper too), either

- at a random moment of its run (a delay drawn from the time an uninterrupted run
  takes: the kill lands anywhere, reading, rendering, writing or renaming), or
- at a named point of its write (BRIEFING_TEST_PAUSE_AT, core/testhook.py): it writes
  a marker and says so down a FIFO, then blocks; the test reads the FIFO and kills it
  there. No sleep synchronises anything: the test waits on the FIFO or on the process
  ending (pidfds), never on time.

After each kill:

- the lock is free;
- the files are the previous good set or the new one; or (killed between two renames)
  a journal is there whose completion makes them the new set: `core.commit` writes a
  group that way, and the next command that takes the lock completes it;
- the next run of the command succeeds, leaves the set whole, and leaves no temporary
  file and no journal.

The number of random kills of builds is BRIEFING_KILLS (200 by default); imports and
releases get a quarter of it each. The timings the module measures are printed (run
pytest with -s to see them).
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from corpus import REPO
from processes import descendants

from briefing.cli.scaffold import new_brief

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("BRIEFING_KILLS", "200"))
SAFETY = 300.0  # seconds: a child that never pauses nor ends fails the test, not hangs it
HERE = Path(__file__).resolve().parent


class ForkServer:
    """The warm process whose children run the commands (see forkserver.py)."""

    def __init__(self, cwd: Path, brief: str, warm_out: Path, log: Path):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.log = log  # what the server writes on stderr: why it ended, if it does
        with log.open("wb") as errors:
            self.process = subprocess.Popen(
                [sys.executable, str(HERE / "forkserver.py"), str(cwd), brief,
                 str(warm_out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=errors, text=True, env=env)

    def _ask(self, request: dict) -> dict:
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except BrokenPipeError:
            line = ""
        assert line, f"the fork server ended; its last words:\n{self.log.read_text()[-3000:]}"
        return json.loads(line)

    def start(self, cwd: Path, argv: list[str], env: dict | None = None) -> int:
        return self._ask({"run": argv, "cwd": str(cwd), "env": env or {}})["pid"]

    def reap(self, pid: int) -> int:
        return self._ask({"wait": pid})["status"]

    def run(self, cwd: Path, argv: list[str]) -> int:
        return self.reap(self.start(cwd, argv))

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except BrokenPipeError:  # it had ended: the test that found so says why
            pass
        self.process.wait(timeout=SAFETY)


def _gone(pids: set[int]) -> None:
    """Wait (on pidfds, no polling) until every process of `pids` has ended."""
    fds = []
    for pid in pids:
        try:
            fds.append(os.pidfd_open(pid))
        except ProcessLookupError:
            continue
    try:
        while fds:
            ready, _, _ = select.select(fds, [], [], SAFETY)
            assert ready, f"processes {pids} did not end"
            for fd in ready:
                fds.remove(fd)
                os.close(fd)
    finally:
        for fd in fds:
            os.close(fd)


def _kill_group(server: ForkServer, pid: int) -> int:
    """SIGKILL the child and everything it started (its helper), wait until all have
    ended, and return the child's exit status."""
    group = {pid, *descendants(pid)}
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    status = server.reap(pid)
    _gone(group)
    return status


def kill_at_random(server: ForkServer, cwd: Path, argv: list[str], delay: float) -> int:
    """Run the command and SIGKILL it `delay` seconds in (if it has not ended by then);
    its exit status (-9 when killed)."""
    pid = server.start(cwd, argv)
    handle = os.pidfd_open(pid)
    try:
        ended, _, _ = select.select([handle], [], [], delay)  # the kill point, not a wait
    finally:                                                # for anything
        os.close(handle)
    if ended:
        status = server.reap(pid)
        _gone(set(descendants(pid)))
        return status
    return _kill_group(server, pid)


def kill_at_point(server: ForkServer, cwd: Path, argv: list[str], point: str,
                  folder: Path) -> int | None:
    """Run the command with a pause at `point` and SIGKILL it there; None if it ended
    without reaching the point (e.g. it had nothing to write)."""
    for name in ("paused", "hold"):
        path = folder / name
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    (folder / point).unlink(missing_ok=True)
    paused = os.open(folder / "paused", os.O_RDONLY | os.O_NONBLOCK)
    pid = server.start(cwd, argv, {"BRIEFING_TEST_PAUSE_AT": point,
                                   "BRIEFING_TEST_PAUSE_DIR": str(folder)})
    handle = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([paused, handle], [], [], SAFETY)
        assert ready, f"{argv} neither reached '{point}' nor ended"
        if paused in ready and os.read(paused, 100).startswith(point.encode()):
            assert (folder / point).read_text().strip() == str(pid)
            assert _kill_group(server, pid) == -signal.SIGKILL
            return -signal.SIGKILL
        server.reap(pid)
        return None
    finally:
        os.close(handle)
        os.close(paused)


def _lock_is_free(path: Path) -> None:
    """No process holds the lock on `path` (a lock file, or a folder locked itself)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError if held
    finally:
        os.close(handle)


def _completed(journal: Path, targets: list[Path]) -> list[bytes] | None:
    """The bytes of `targets` once the interrupted commit `journal` records is done
    (what core.commit.finish would make them), or None if there is no journal."""
    if not journal.exists():
        return None
    renames = {(journal.parent / target).resolve(): journal.parent / temp
               for temp, target in json.loads(journal.read_text("utf-8"))["renames"]}
    out = []
    for target in targets:
        source = renames.get(target.resolve())
        out.append((source if source is not None and source.exists() else target)
                   .read_bytes())
    return out


def _temps(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir()
                  if p.name.endswith((".tmp", ".commit")))


def _report(what: str, count: int, seconds: float) -> None:
    """Say what the kills of one command cost, and where they landed (pytest -s)."""
    print(f"\nkills: {count} {what} in {seconds:.1f} s", file=sys.stderr)


@pytest.fixture(scope="module")
def killing(tmp_path_factory) -> Iterator[tuple[ForkServer, Path]]:
    """A project (content/demo, split in two YAML files) and a fork server warmed on
    it."""
    root = tmp_path_factory.mktemp("kills")
    new_brief("demo", root / "content", "schema.json")
    brief = root / "content" / "demo" / "brief.yaml"
    text = brief.read_text("utf-8")
    start, end = text.index("key_judgments:"), text.index("alternative_views:")
    brief.write_text(text[:start] + text[end:], "utf-8")
    (root / "content" / "demo" / "judgments.yaml").write_text(text[start:end], "utf-8")
    server = ForkServer(root, "content/demo", root / "warm", root / "forkserver.log")
    yield server, root
    server.close()


def _horizon(server: ForkServer, root: Path, argv: list[str], reset) -> float:
    """How long an uninterrupted run of `argv` takes here (the median of three): the
    range the random kill points are drawn from."""
    runs = []
    for _ in range(3):
        reset()
        start = time.perf_counter()
        assert server.run(root, argv) == 0
        runs.append(time.perf_counter() - start)
    return sorted(runs)[1]


# --- builds -------------------------------------------------------------------------------


class Outputs:
    """A brief's outputs as a set: the PDF, the DOCX and the record of their inputs."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "out"
        self.state = self.out / ".briefing"
        self.files = [self.out / "demo.pdf", self.out / "demo.docx",
                      self.state / "demo.json"]
        self.journal = self.state / "demo.commit"

    def read(self) -> list[bytes]:
        return [path.read_bytes() for path in self.files]

    def write(self, data: list[bytes]) -> None:
        for path, content in zip(self.files, data, strict=True):
            path.write_bytes(content)

    def check_after_kill(self, old: list[bytes], new: list[bytes]) -> str:
        """Lock free; the set old, new, or an interrupted commit that completes to new.
        Which one it was."""
        _lock_is_free(self.state / "demo.lock")
        now = self.read()
        completed = _completed(self.journal, self.files)
        if completed is not None:
            assert completed == new, "a journal that would not make the new set"
            return "journal"
        assert now in (old, new), "a torn or half-written output"
        return "old" if now == old else "new"

    def check_clean(self, expected: list[bytes]) -> None:
        _lock_is_free(self.state / "demo.lock")
        assert self.read() == expected
        assert _temps(self.out, self.state) == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _random_kills(server: ForkServer, root: Path, argv: list[str], reset, check, after,
                  count: int, seed: int) -> dict[str, int]:
    """Kill `argv` at random moments until `count` runs were killed (a run that ends
    first is checked too, and not counted); `reset` before each run, `check` what it
    left (it says which state), `after` the next run. The states seen, counted."""
    horizon = _horizon(server, root, argv, reset)
    rng = random.Random(int(os.environ.get("BRIEFING_KILL_SEED", "2028")) + seed)
    seen: dict[str, int] = {}
    killed = runs = 0
    while killed < count:
        runs += 1
        assert runs <= 10 * count, f"only {killed} of {runs} runs were killed"
        reset()
        status = kill_at_random(server, root, argv, rng.uniform(0, horizon))
        assert status in (0, -signal.SIGKILL), status
        killed += status == -signal.SIGKILL
        landed = check()
        seen[landed] = seen.get(landed, 0) + 1
        after()
    return seen


def _paused_kills(server: ForkServer, root: Path, argv: list[str], points: tuple[str, ...],
                  reset, check, after) -> dict[str, str]:
    """Kill `argv` at each of `points` (core.testhook): what each left, by point."""
    seen = {}
    for point in points:
        reset()
        assert kill_at_point(server, root, argv, point, root) == -signal.SIGKILL, point
        seen[point] = check()
        after()
    return seen


def test_builds_killed_anywhere_leave_a_whole_set(killing):
    """Kills of a build at each step of its commit, and BRIEFING_KILLS kills at random
    moments: the outputs are always the old set or the new one."""
    server, root = killing
    outputs = Outputs(root)
    brief = root / "content" / "demo" / "brief.yaml"
    build = ["build", "content/demo"]
    old_text = brief.read_text("utf-8")
    new_text = old_text.replace("title: Demo\n", "title: Demo, second edition\n")
    assert server.run(root, build) == 0
    old = outputs.read()
    brief.write_text(new_text, "utf-8")
    assert server.run(root, build) == 0
    new = outputs.read()
    assert all(a != b for a, b in zip(old, new, strict=True))

    def killed_state() -> None:
        """The old outputs in place and the brief edited: a build of it writes new."""
        outputs.write(old)
        brief.write_text(new_text, "utf-8")

    def next_build_of_old() -> None:
        """The next build (of the old text: cheap when the old set stands) finishes or
        clears what the kill left, and ends with the old set whole and nothing else."""
        brief.write_text(old_text, "utf-8")
        assert server.run(root, build) == 0
        outputs.check_clean(old)

    def check() -> str:
        return outputs.check_after_kill(old, new)

    points = _paused_kills(server, root, build, ("journal", "journal-rename", "rename-1",
                                                 "rename-2", "rename-3"), killed_state,
                           check, next_build_of_old)
    assert points == {"journal": "old", "journal-rename": "old", "rename-1": "journal",
                      "rename-2": "journal", "rename-3": "journal"}
    start = time.perf_counter()
    seen = _random_kills(server, root, build, killed_state, check, next_build_of_old,
                         KILLS, 0)
    _report(f"builds, landing {seen}", KILLS, time.perf_counter() - start)


# --- imports ------------------------------------------------------------------------------


def _returned_docx(root: Path) -> Path:
    """The built DOCX with one word of the outlook (brief.yaml) and one of the key
    judgment (judgments.yaml) changed, as an analyst returns it."""
    document = docx.Document(str(root / "out" / "demo.docx"))
    changes = {"the reader's decisions": "the reader's choices",
               "likely to continue": "likely to persist"}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            for old, new in list(changes.items()):
                if old in run.text:
                    run.text = run.text.replace(old, new)
                    del changes[old]
    assert not changes, f"not found in the DOCX: {changes}"
    returned = root / "returned.docx"
    document.save(str(returned))
    return returned


def test_imports_killed_anywhere_leave_the_brief_whole(killing):
    """Random kills of `briefing import --write` rewriting two YAML files, and kills at
    each rename: the brief is its old files or its new ones, never a mix."""
    server, root = killing
    folder = root / "content" / "demo"
    files = [folder / "brief.yaml", folder / "judgments.yaml"]
    assert server.run(root, ["build", "content/demo", "--force"]) == 0
    old = [path.read_bytes() for path in files]
    returned = _returned_docx(root)
    command = ["import", "content/demo", str(returned), "--write"]
    assert server.run(root, command) == 0
    new = [path.read_bytes() for path in files]
    assert all(a != b for a, b in zip(old, new, strict=True))

    def reset() -> None:
        for path, content in zip(files, old, strict=True):
            path.write_bytes(content)

    def check_after_kill() -> str:
        _lock_is_free(folder)
        completed = _completed(folder / ".briefing-import.commit", files)
        if completed is not None:
            assert completed == new
            return "journal"
        now = [path.read_bytes() for path in files]
        assert now in (old, new), "a brief with some files old and some new"
        return "old" if now == old else "new"

    def next_import() -> None:
        assert server.run(root, command) == 0  # finishes the commit, or writes anew
        assert [path.read_bytes() for path in files] == new
        assert _temps(folder) == []

    points = _paused_kills(server, root, command, ("journal", "journal-rename", "rename-1",
                                                   "rename-2"),
                           reset, check_after_kill, next_import)
    assert points == {"journal": "old", "journal-rename": "old", "rename-1": "journal",
                      "rename-2": "journal"}
    start = time.perf_counter()
    seen = _random_kills(server, root, command, reset, check_after_kill, next_import,
                         max(KILLS // 4, 1), 1)
    _report(f"imports, landing {seen}", max(KILLS // 4, 1), time.perf_counter() - start)
    reset()


# --- releases -----------------------------------------------------------------------------


def test_releases_killed_anywhere_leave_a_whole_snapshot(killing):
    """Random kills of `briefing release`, and kills at each rename of its outputs and
    at its snapshot: the snapshot is there whole or not at all, the outputs are a
    whole set, and the next release succeeds with nothing left over."""
    server, root = killing
    outputs = Outputs(root)
    editions = root / "content" / "demo" / "editions"
    snapshot = editions / "1.yaml"
    build = ["build", "content/demo", "--force"]
    release = ["release", "content/demo"]
    assert server.run(root, build) == 0
    old = outputs.read()
    brief = root / "content" / "demo" / "brief.yaml"
    _edit(brief, "subtitle: Placeholder subtitle", "subtitle: The released subtitle")
    assert server.run(root, release) == 0
    new, released = outputs.read(), snapshot.read_bytes()
    assert old[:2] != new[:2]

    def reset() -> None:
        snapshot.unlink(missing_ok=True)
        outputs.write(old)

    def check_after_kill() -> str:
        landed = outputs.check_after_kill(old, new)
        assert not snapshot.exists() or snapshot.read_bytes() == released
        return f"{landed}, snapshot {'written' if snapshot.exists() else 'not written'}"

    def next_release() -> None:
        assert server.run(root, release) == 0
        assert snapshot.read_bytes() == released
        outputs.check_clean(new)
        assert _temps(editions) == []

    points = _paused_kills(server, root, release, ("rename-1", "rename-2", "snapshot"),
                           reset, check_after_kill, next_release)
    assert points == {"rename-1": "journal, snapshot not written",
                      "rename-2": "journal, snapshot not written",
                      "snapshot": "new, snapshot not written"}
    start = time.perf_counter()
    seen = _random_kills(server, root, release, reset, check_after_kill, next_release,
                         max(KILLS // 4, 1), 2)
    _report(f"releases, landing {seen}", max(KILLS // 4, 1), time.perf_counter() - start)
    shutil.rmtree(editions)
