"""Hostile corpus — many briefs, locks, jobs, interrupted writes and file-system faults."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys

import pytest
from corpus import REPO, run_process

from briefing.build import batch


def _second_brief(project, name: str = "copy") -> None:
    shutil.copytree(project.brief, project.root / "content" / name)


def test_duplicate_brief_ids_in_one_build_name_both_folders(project):
    _second_brief(project)
    result = project.run("build", "content", "--out-dir", "out", "--force")
    assert result.code == 1
    place = "content/{}/brief.yaml:3:5"
    message = ("error: brief id 'demo' is also the id of content/{}; briefs with one id "
               "would write over each other's outputs: give each its own id [BR807]")
    assert f"{place.format('copy')}: {message.format('demo')}" in result.lines
    assert f"{place.format('demo')}: {message.format('copy')}" in result.lines
    assert "content/demo: failed: duplicate brief id; nothing was written" in result.lines
    project.assert_contained(result)


def test_duplicate_brief_ids_in_validate(project):
    _second_brief(project)
    result = project.run("validate", "content")
    assert result.code == 2
    assert ("content/copy/brief.yaml:3:5: error: brief id 'demo' is also the id of "
            "content/demo; briefs with one id would write over each other's outputs: give "
            "each its own id [BR807]") in result.lines
    project.assert_contained(result)


def test_other_briefs_of_the_run_still_build(project):
    _second_brief(project)
    _second_brief(project, "other")
    other = project.root / "content" / "other" / "brief.yaml"
    other.write_text(other.read_text("utf-8").replace("id: demo", "id: other"), "utf-8")
    result = project.run("build", "content", "--out-dir", "out")
    assert result.code == 1
    assert (project.out / "other.pdf").is_file()
    project.assert_contained(result)


def _hold_lock(project):
    state = project.out / ".briefing"
    state.mkdir(exist_ok=True)
    handle = (state / "demo.lock").open("a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def test_held_lock_with_no_wait_fails_at_once_with_a_message(project):
    handle = _hold_lock(project)
    try:
        result = project.run("build", "content/demo", "--force", "--wait", "0")
    finally:
        handle.close()
    assert result.code == 1
    assert result.lines[0] == ("briefing: waiting for another build of 'demo' to finish (it "
                               "holds out/.briefing/demo.lock); giving up after 0 s (--wait "
                               "SECONDS)")
    assert result.lines[-1] == ("content/demo: failed: another build of 'demo' still holds "
                                "out/.briefing/demo.lock after 0 s; try again when it has "
                                "finished, or wait longer with --wait SECONDS")
    project.assert_contained(result)


def test_held_lock_is_waited_for_then_the_build_proceeds(project):
    """The child says it is waiting; only then is the lock released (no sleeps)."""
    handle = _hold_lock(project)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "briefing", "build", "content/demo",
                              "--force", "--format", "pdf", "--wait", "600"],
                             cwd=project.root, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        first = child.stderr.readline()
        assert first.startswith("briefing: waiting for another build of 'demo'")
    finally:
        handle.close()
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert "wrote out/demo.pdf" in out


@pytest.mark.parametrize(("option", "message"), [
    (["--jobs", "0"], "argument -j/--jobs: must be at least 1, not 0"),
    (["--jobs", "-3"], "argument -j/--jobs: must be at least 1, not -3"),
    (["--jobs", "many"], "argument -j/--jobs: 'many' is not a whole number"),
    (["--wait", "-1"], "argument --wait: must be 0 or more seconds, not -1"),
])
def test_bad_jobs_or_wait_is_a_usage_error(project, option, message):
    result = project.run("build", "content/demo", *option)
    assert result.code == 1
    assert result.lines[-1] == f"briefing build: error: {message}"
    project.assert_contained(result)


def test_jobs_are_capped_at_the_number_of_briefs(project, monkeypatch):
    _second_brief(project)
    other = project.root / "content" / "copy" / "brief.yaml"
    other.write_text(other.read_text("utf-8").replace("id: demo", "id: copy"), "utf-8")
    pools = []

    import concurrent.futures

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, max_workers, **options):
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    result = project.run("build", "content", "--jobs", "48", "--format", "pdf")
    assert result.code == 0, result.err
    assert pools == [2]


def test_stale_temporary_files_are_removed_by_the_next_build(project):
    stale = [project.out / ".demo.pdf.abcd1234.tmp", project.out / ".demo.docx.zz_99xyz.tmp"]
    state = project.out / ".briefing"
    state.mkdir()
    stale.append(state / ".demo.json.k3j4h5g6.tmp")
    others = [project.out / ".other.pdf.abcd1234.tmp", project.out / "notes.tmp"]
    for path in [*stale, *others]:
        path.write_bytes(b"half-written")
    result = project.run("build", "content/demo", "--force")
    assert result.code == 0, result.err
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in others)


def test_a_failed_write_of_one_output_replaces_neither(project, monkeypatch):
    """Both outputs are written, then both renamed: a full disk while writing the DOCX
    leaves the old PDF too, and no temporary file behind."""
    real_fdopen = os.fdopen

    def failing(handle, *args, **kwargs):
        stream = real_fdopen(handle, *args, **kwargs)
        if ".demo.docx." in os.readlink(f"/proc/self/fd/{handle}"):
            stream.close()
            raise OSError(errno.ENOSPC, "No space left on device",
                          str(project.out / "demo.docx"))
        return stream

    monkeypatch.setattr(os, "fdopen", failing)
    result = project.run("build", "content/demo", "--force")
    assert result.code == 1
    assert result.lines[-1] == ("content/demo: failed: cannot write "
                                f"{project.out / 'demo.docx'}: No space left on device")
    assert not list(project.out.glob(".*.tmp"))
    project.assert_contained(result)


def test_schema_into_a_missing_folder(project):
    result = project.run("schema", "-o", "missing/schema.json")
    assert result.code == 1
    assert result.lines == ["briefing: error: cannot write missing/schema.json: No such file "
                            "or directory; create the folder first"]


def test_full_disk_on_standard_output(project):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "briefing", "schema"], cwd=project.root,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == ("briefing: error: cannot read or write the output: No space left "
                           "on device\n")


def test_unreadable_brief_folder(project, monkeypatch):
    from pathlib import Path

    real = Path.iterdir

    def refuse(self):
        if self.name == "demo":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    monkeypatch.setattr(batch, "discover", lambda path: [path])
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == ("content/demo:1:1: error: cannot read the folder (Permission "
                               "denied) [BR801]")


def test_too_long_path(project):
    long = "content/" + "x" * 300
    result = run_process(project.root, "validate", long)
    assert result.code == 1
    assert result.lines == [f"briefing: error: cannot read or write {long}: File name too long"]
    project.assert_contained(result)
