"""Regeneration: incremental and reproducible builds, safety, many briefs, watch."""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from processes import descendants, running
from pypdf import PdfReader
from scaffolds import scaffolded as new_brief

from briefing.build.pipeline import build
from briefing.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(NK, tmp_path / "content" / "nk-russia")
    return tmp_path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_second_build_is_up_to_date_and_force_rebuilds(project, capsys):
    brief = project / "content" / "nk-russia"
    out = project / "out"
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 0
    first = (out / "nk-russia.pdf").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 0
    assert capsys.readouterr().out.strip().endswith("nk-russia: up to date")
    assert (out / "nk-russia.pdf").stat().st_mtime_ns == first
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf",
                 "--force"]) == 0
    assert "built in" in capsys.readouterr().out


def test_an_edit_to_the_layout_or_a_seed_triggers_a_rebuild(project):
    brief = project / "content" / "nk-russia"
    out = project / "out"
    build(brief, out, ("pdf",))
    assert build(brief, out, ("pdf",)).up_to_date
    seed = project / "seeds" / "002_51c24e47a63acc76.txt"
    seed.write_text(seed.read_text("utf-8") + "\n", "utf-8")
    assert build(brief, out, ("pdf",)).outputs
    layout = project / "layouts" / "policy-brief" / "layout.yaml"
    layout.write_text(layout.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert build(brief, out, ("pdf",)).outputs


def test_a_damaged_output_is_rebuilt(project):
    brief = project / "content" / "nk-russia"
    out = project / "out"
    build(brief, out, ("pdf",))
    (out / "nk-russia.pdf").write_bytes(b"broken")
    result = build(brief, out, ("pdf",))
    assert result.outputs and PdfReader(out / "nk-russia.pdf").pages


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["typst", "reportlab"])
def test_builds_are_byte_identical_across_folders_time_zones_and_time(project, tmp_path,
                                                                       engine):
    other = tmp_path / "elsewhere"
    shutil.copytree(project, other)
    command = ["build", "content/nk-russia", "--pdf-engine", engine]
    first = _run(command, project, TZ="UTC")
    second = _run(command, other, TZ="Pacific/Kiritimati")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for name in ("nk-russia.pdf", "nk-russia.docx"):
        assert _sha(project / "out" / name) == _sha(other / "out" / name), name
    # A year and a day later by the clock (no sleep: the clock itself is moved).
    later = tmp_path / "later"
    shutil.copytree(project, later, ignore=shutil.ignore_patterns("out"))
    real_time, shift = time.time, 366 * 86400 + 3723
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(time, "time", lambda: real_time() + shift)
        clock.setattr(time, "time_ns", lambda: int((real_time() + shift) * 1e9))
        assert build(later / "content" / "nk-russia", later / "out",
                     pdf_engine=engine).outputs
    for name in ("nk-russia.pdf", "nk-russia.docx"):
        assert _sha(project / "out" / name) == _sha(later / "out" / name), name


def test_a_second_build_of_the_same_brief_waits_for_the_first(project, monkeypatch):
    """Event-driven, no sleep: the second build signals when it asks for the lock; while
    the first holds it, the second cannot have finished. Planted bug: brief_lock without
    its flock - the second build never asks, and the wait below fails."""
    import fcntl

    from briefing.build import pipeline as build_module
    from briefing.build.pipeline import brief_lock

    out = project / "out"
    asking, finished = threading.Event(), threading.Event()
    main = threading.main_thread()

    class Flock:  # fcntl as build.py sees it: flock calls of the worker are signalled
        def __getattr__(self, name):
            return getattr(fcntl, name)

        @staticmethod
        def flock(handle, operation):
            if threading.current_thread() is not main and operation != fcntl.LOCK_UN:
                asking.set()
            return fcntl.flock(handle, operation)

    monkeypatch.setattr(build_module, "fcntl", Flock())

    def second_build() -> None:
        build(project / "content" / "nk-russia", out, ("pdf",))
        finished.set()

    with brief_lock(out, "nk-russia"):
        worker = threading.Thread(target=second_build)
        worker.start()
        assert asking.wait(timeout=120), "the second build never asked for the lock"
        assert not finished.is_set()  # blocked on the lock the first build holds
    worker.join(timeout=120)
    assert finished.is_set() and (out / "nk-russia.pdf").is_file()


def test_read_only_output_folder_is_a_clear_error(project, capsys):
    brief = project / "content" / "nk-russia"
    out = project / "out"
    assert main(["build", str(brief), "--out-dir", str(out), "--format", "pdf"]) == 0
    before = _sha(out / "nk-russia.pdf")
    state = out / ".briefing"
    locked = _make_read_only([out, state])
    try:
        code = main(["build", str(brief), "--out-dir", str(out), "--format", "pdf",
                     "--force"])
    finally:
        _make_writable(locked)
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"nk-russia: failed: cannot write .*: (Permission denied|Operation not "
                     r"permitted)", err), err
    assert "Traceback" not in err
    assert _sha(out / "nk-russia.pdf") == before


def _make_read_only(folders: list[Path]) -> list[Path]:
    """Read-only for anyone: chmod, and for root (whom chmod does not stop) chattr +i."""
    for folder in folders:
        folder.chmod(0o555)
    if os.geteuid() != 0:
        return []
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", *map(str, folders)], capture_output=True).returncode:
        _make_writable([])
        for folder in folders:
            folder.chmod(0o755)
        pytest.skip("running as root without chattr: no folder can be made read-only")
    return folders


def _make_writable(folders: list[Path]) -> None:
    if folders:
        subprocess.run(["chattr", "-i", *map(str, folders)], check=True)
    for folder in folders:
        folder.chmod(0o755)


def test_many_briefs_in_parallel_with_summary_and_worst_exit(project, capsys):
    content = project / "content"
    new_brief("second", content, "schema.json")
    new_brief("broken", content, "schema.json")
    broken = content / "broken" / "brief.yaml"
    broken.write_text(broken.read_text("utf-8").replace("confidence: low", "confidnce: low"))
    code = main(["build", str(content), "--out-dir", str(project / "out"), "--format", "pdf",
                 "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 2
    assert (project / "out" / "nk-russia.pdf").is_file()
    assert (project / "out" / "second.pdf").is_file()
    assert not (project / "out" / "broken.pdf").exists()
    table = out[out.index("brief "):]
    assert "broken" in table and "invalid" in table and "second" in table and "built" in table


@pytest.mark.slow
def test_killed_builds_never_leave_a_broken_file(project):
    from docx import Document

    out = project / "out"
    assert _run(["build", "content/nk-russia"], project).returncode == 0
    rng = random.Random(7)
    for _ in range(8):
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "build", "content/nk-russia", "--force"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 3.0))
        process.kill()
        process.wait()
        reader = PdfReader(out / "nk-russia.pdf")
        assert len(reader.pages) >= 2
        assert "Page 1 of" in reader.pages[0].extract_text()
        styles = {p.style.name for p in Document(str(out / "nk-russia.docx")).paragraphs}
        assert "Key Judgment" in styles
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_watch_rebuilds_after_an_edit_and_survives_bad_content(project):
    from briefing.watch import watch

    brief = project / "content" / "nk-russia"
    out = project / "out"
    stop = threading.Event()
    stream = io.StringIO()
    lines = _Lines(stream)
    thread = threading.Thread(target=watch, args=(brief, out, ("pdf",), None, stop, stream))
    thread.start()
    try:
        _wait_for(lambda: any("rebuilt" in line for line in lines))
        before = _sha(out / "nk-russia.pdf")
        judgments = brief / "judgments.yaml"
        text = judgments.read_text("utf-8")
        judgments.write_text(text.replace("confidence: high", "confidnce: high", 1), "utf-8")
        _wait_for(lambda: any("kept the last good outputs" in line for line in lines))
        assert _sha(out / "nk-russia.pdf") == before
        brief_yaml = brief / "brief.yaml"
        judgments.write_text(text, "utf-8")
        brief_yaml.write_text(brief_yaml.read_text("utf-8").replace(
            "title: The North Korea–Russia Alliance", "title: The North Korea–Russia Axis"))
        _wait_for(lambda: sum("rebuilt" in line for line in lines) >= 2)
        assert "The North Korea–Russia Axis" in PdfReader(out / "nk-russia.pdf").metadata.title
        shutil.rmtree(brief)
        _wait_for(lambda: any("no longer exists" in line for line in lines))
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert lines[-1] == "stopped watching"


class _Lines:
    """The lines written to a stream so far, read afresh on each access."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def __iter__(self):
        return iter(self.stream.getvalue().splitlines())

    def __getitem__(self, index: int) -> str:
        return self.stream.getvalue().splitlines()[index]


def _wait_for(condition, timeout: float = 30.0, what=lambda: "") -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds, saying `what()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for watch\n{what()}")


class _Watch:
    """`briefing watch …` as a subprocess, its output lines collected as they come."""

    def __init__(self, project: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "watch", "content/nk-russia", *args],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self.reader = threading.Thread(
            target=lambda: self.lines.extend(iter(self.process.stdout.readline, "")))
        self.reader.start()

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def wait_for(self, text: str, times: int = 1) -> None:
        _wait_for(lambda: self.count(text) >= times or self.process.poll() is not None,
                  timeout=120, what=lambda: f"{text!r} × {times}:\n" + "".join(self.lines))
        assert self.count(text) >= times, "".join(self.lines)

    def children(self) -> set[int]:
        return descendants(self.process.pid)

    def stop(self, signum: int) -> int:
        """Send `signum`; the exit code (killing the process, and failing, if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("watch did not stop:\n" + "".join(self.lines)) from None
        finally:
            self.reader.join(timeout=30)
        return code


@pytest.mark.slow
def test_watch_as_a_subprocess_rebuilds_after_an_edit_and_stops_on_ctrl_c(project):
    import signal

    watch = _Watch(project, "--format", "pdf")
    try:
        watch.wait_for("rebuilt")  # "watching" came first: the watcher was live before it
        brief = project / "content" / "nk-russia" / "brief.yaml"
        brief.write_text(brief.read_text("utf-8").replace(
            "title: The North Korea–Russia Alliance", "title: The Pyongyang–Moscow Axis"))
        watch.wait_for("rebuilt", times=2)
        assert PdfReader(project / "out" / "nk-russia.pdf").metadata.title == \
            "The Pyongyang–Moscow Axis"
    finally:
        code = watch.stop(signal.SIGINT)
    lines = watch.lines
    assert lines[0].startswith("watching content/nk-russia")
    assert code == 0, "".join(lines)
    assert lines[-1].strip() == "stopped watching"
    assert "Traceback" not in "".join(lines)


@pytest.mark.slow
def test_watch_stops_on_sigterm_mid_build_leaving_no_process_and_the_last_good_outputs(
        project):
    import signal

    from docx import Document

    watch = _Watch(project)  # PDF and DOCX: the DOCX renders in a helper process
    try:
        watch.wait_for("rebuilt")
        helpers = watch.children()
        assert helpers, "the helper process that renders the second format"
        brief = project / "content" / "nk-russia" / "brief.yaml"
        brief.write_text(brief.read_text("utf-8").replace(
            "title: The North Korea–Russia Alliance", "title: The Pyongyang–Moscow Axis"))
        watch.wait_for("changed")
    finally:
        code = watch.stop(signal.SIGTERM)
    assert code == 0, "".join(watch.lines)
    assert watch.lines[-1].strip() == "stopped watching"
    assert "Traceback" not in "".join(watch.lines)
    _wait_for(lambda: not any(running(pid) for pid in helpers))
    out = project / "out"
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    pdf, docx = out / "nk-russia.pdf", out / "nk-russia.docx"
    assert PdfReader(pdf).metadata.title in ("The North Korea–Russia Alliance",
                                              "The Pyongyang–Moscow Axis")
    assert "Key Judgment" in {p.style.name for p in Document(str(docx)).paragraphs}
