"""Hostile corpus — paths and symlinks: a brief reads nothing outside its project."""

from __future__ import annotations

import os

import pytest
from corpus import OUTSIDE, QUOTE, TOML_RULE, run_process

OUTSIDE_RULE = OUTSIDE + " (source 'example-source')"


def _invalid_archive(project, archive: str, problem: str, *, symlink: str | None = None,
                     target: str | None = None, code: str = "BR507"):
    """Name `archive` as the source's archived copy; validate and build both say
    `problem` at the archive's place and exit 2; nothing leaks, nothing changes."""
    if symlink:
        os.symlink(target, project.root / symlink)
    place = project.cite_archive(archive)
    for command in ("validate", "build"):
        result = project.run(command, "content/demo")
        assert result.code == 2, result.err
        assert result.lines[0] == f"{place}: error: {problem} [{code}]"
        project.assert_contained(result)


def test_absolute_archive_outside_the_project(project):
    target = str(project.outside / "canary.txt")
    _invalid_archive(project, target, f"archived copy '{target}' " +
                     OUTSIDE_RULE.format(root=project.root))


def test_relative_archive_climbing_out_of_the_project(project):
    _invalid_archive(project, "../../../outside/canary.txt",
                     "archived copy '../../../outside/canary.txt' " +
                     OUTSIDE_RULE.format(root=project.root))


def test_archive_is_not_searched_above_the_project(project):
    (project.root.parent / "seeds").mkdir()
    (project.root.parent / "seeds" / "up.txt").write_text(f"{QUOTE}\n", "utf-8")
    _invalid_archive(project, "seeds/up.txt",
                     "archived copy 'seeds/up.txt' of source 'example-source' not found "
                     "(looked from content/demo up to the project folder .: " + TOML_RULE
                     + "); correct the path or add the archived copy", code="BR502")


def test_etc_passwd_relative_is_not_found_upwards(project):
    _invalid_archive(project, "etc/passwd",
                     "archived copy 'etc/passwd' of source 'example-source' not found "
                     "(looked from content/demo up to the project folder .: " + TOML_RULE
                     + "); correct the path or add the archived copy", code="BR502")


def test_etc_passwd_absolute(project):
    _invalid_archive(project, "/etc/passwd", "archived copy '/etc/passwd' " +
                     OUTSIDE_RULE.format(root=project.root))


def test_proc_self_environ(project):
    os.environ["BRIEFING_HOSTILE_CANARY"] = "CANARY-5f1c2b7e-outside-the-project"
    try:
        _invalid_archive(project, "/proc/self/environ", "archived copy '/proc/self/environ' "
                         + OUTSIDE_RULE.format(root=project.root))
    finally:
        del os.environ["BRIEFING_HOSTILE_CANARY"]


def test_symlink_in_seeds_pointing_outside(project):
    _invalid_archive(project, "seeds/link.txt", "archived copy 'seeds/link.txt' " +
                     OUTSIDE_RULE.format(root=project.root),
                     symlink="seeds/link.txt", target=str(project.outside / "canary.txt"))


def test_symlink_in_the_brief_folder_pointing_outside(project):
    _invalid_archive(project, "copy.txt", "archived copy 'copy.txt' " +
                     OUTSIDE_RULE.format(root=project.root),
                     symlink="content/demo/copy.txt",
                     target=str(project.outside / "canary.txt"))


def test_relative_symlink_climbing_out(project):
    _invalid_archive(project, "seeds/rel.txt", "archived copy 'seeds/rel.txt' " +
                     OUTSIDE_RULE.format(root=project.root),
                     symlink="seeds/rel.txt", target="../../outside/canary.txt")


def test_symlink_to_a_device(project):
    _invalid_archive(project, "seeds/zero.txt", "archived copy 'seeds/zero.txt' " +
                     OUTSIDE_RULE.format(root=project.root),
                     symlink="seeds/zero.txt", target="/dev/zero")


def test_symlink_loop(project):
    os.symlink("loop-b.txt", project.root / "seeds" / "loop-a.txt")
    _invalid_archive(project, "seeds/loop-a.txt",
                     "archived copy 'seeds/loop-a.txt' is a symbolic link loop "
                     "(source 'example-source')",
                     symlink="seeds/loop-b.txt", target="loop-a.txt")


def test_archive_that_is_a_folder(project):
    _invalid_archive(project, "seeds", "archived copy 'seeds' is a folder, not a regular "
                     "file (source 'example-source')")


def test_archive_that_is_a_fifo_does_not_hang(project):
    os.mkfifo(project.root / "seeds" / "pipe.txt")
    place = project.cite_archive("seeds/pipe.txt")
    result = run_process(project.root, "validate", "content/demo")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        f"{place}: error: archived copy 'seeds/pipe.txt' is a named pipe (FIFO), not a "
        "regular file (source 'example-source') [BR507]")
    project.assert_contained(result)


def test_binary_archive_is_refused(project):
    (project.root / "seeds" / "binary.txt").write_bytes(b"\x7fELF\x00\x01" + QUOTE.encode())
    _invalid_archive(project, "seeds/binary.txt",
                     "archived copy 'binary.txt' looks binary (it contains a NUL byte); an "
                     "archived copy is a plain text file (source 'example-source')")


def test_archive_over_the_size_limit(project, monkeypatch):
    from briefing.load import archive

    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 20)
    archive._read.cache_clear()
    size = (project.root / "seeds" / "source.txt").stat().st_size
    _invalid_archive(project, "seeds/source.txt",
                     f"archived copy 'source.txt' is {size:,} "
                     "bytes; the limit is 20 bytes (MAX_ARCHIVE_BYTES) (source "
                     "'example-source')")


def test_archive_name_too_long(project):
    name = "seeds/" + "x" * 5000 + ".txt"
    place = project.cite_archive(name)
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0].startswith(f"{place}: error: archived copy 'seeds/xxx")
    assert result.lines[0].endswith("cannot be opened (File name too long) "
                                    "(source 'example-source') [BR507]")
    project.assert_contained(result)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_validate_a_device_does_not_read_it(project, device):
    result = run_process(project.root, "validate", device)
    assert result.code == 2
    assert result.err.splitlines()[0] == (f"{device}:1:1: error: file is a device, not a "
                                          "regular file [BR801]")
    project.assert_contained(result)


def test_validate_a_fifo_does_not_hang(project):
    os.mkfifo(project.root / "brief.yaml")
    result = run_process(project.root, "validate", "brief.yaml")
    assert result.code == 2
    assert result.err.splitlines()[0] == ("brief.yaml:1:1: error: file is a named pipe "
                                          "(FIFO), not a regular file [BR801]")
    project.assert_contained(result)


def test_build_a_device_does_not_read_it(project):
    result = run_process(project.root, "build", "/dev/zero", "--out-dir", "out")
    assert result.code == 2
    assert "/dev/zero:1:1: error: file is a device, not a regular file" in result.err
    project.assert_contained(result)


def test_brief_file_symlinked_in_from_outside_is_not_echoed(project):
    """A brief folder may hold a symlink to a file elsewhere: a YAML error in it must
    not print its contents."""
    os.symlink(project.outside / "canary.txt", project.brief / "extra.yaml")
    for command in ("validate", "build"):
        result = project.run(command, "content/demo")
        assert result.code == 2
        assert result.lines[0] == ("content/demo/extra.yaml:1:1: error: file is a symbolic "
                                   f"link to outside the project (.: {TOML_RULE}); a "
                                   "brief's files must lie inside its project [BR801]")
        project.assert_contained(result)


# --- a brief's own files that are not there ------------------------------------------------


def _broken_brief_file(project, message: str) -> None:
    """validate and build name the broken file and exit 2 (never "missing required
    field" for the fields it would have held)."""
    for command in ("validate", "build"):
        result = project.run(command, "content/demo")
        assert result.code == 2, result.err
        assert result.lines[0] == message
        assert not any("missing required field" in line for line in result.lines)
        project.assert_contained(result)


def _move_judgments_out(project) -> None:
    """brief.yaml keeps all but its key judgments, which move to judgments.yaml."""
    text = project.text()
    start, end = text.index("key_judgments:"), text.index("alternative_views:")
    project.file().write_text(text[:start] + text[end:], "utf-8")
    project.file("judgments.yaml").write_text(text[start:end], "utf-8")


def test_a_dangling_symlink_of_the_brief_is_named(project):
    _move_judgments_out(project)
    os.rename(project.file("judgments.yaml"), project.brief / "kept.txt")
    os.symlink("judgments-2025.yaml", project.file("judgments.yaml"))
    _broken_brief_file(project, "content/demo/judgments.yaml:1:1: error: file is a symbolic "
                       "link to 'judgments-2025.yaml', which does not exist; restore the "
                       "file or remove the link [BR801]")


def test_a_symlink_loop_of_the_brief_is_named(project):
    _move_judgments_out(project)
    project.file("judgments.yaml").unlink()
    os.symlink("judgments.yaml", project.file("judgments.yaml"))
    _broken_brief_file(project, "content/demo/judgments.yaml:1:1: error: file is a symbolic "
                       "link loop (it leads back to itself) [BR801]")


def test_a_yaml_name_that_is_a_fifo_is_named_not_skipped(project):
    os.mkfifo(project.file("judgments.yaml"))
    result = run_process(project.root, "validate", "content/demo")
    assert result.code == 2
    assert result.err.splitlines()[0] == ("content/demo/judgments.yaml:1:1: error: file is a "
                                          "named pipe (FIFO), not a regular file [BR801]")
    project.assert_contained(result)


def test_a_brief_file_given_as_a_dangling_symlink(project):
    os.symlink("nowhere.yaml", project.root / "brief.yaml")
    result = project.run("validate", "brief.yaml")
    assert result.code == 2
    assert result.lines[0] == ("brief.yaml:1:1: error: file is a symbolic link to "
                               "'nowhere.yaml', which does not exist; restore the file or "
                               "remove the link [BR801]")


# --- names that are not UTF-8 --------------------------------------------------------------


@pytest.mark.parametrize(("folder", "file"), [(b"d\xffmo", b"brief.yaml"),
                                              (b"demo-\xe9t\xe9", b"br\xfcef.yaml")])
def test_a_brief_folder_whose_name_is_not_utf8_builds(project, folder, file):
    """A name in another encoding (Latin-1 here) is used as it is, and shown escaped."""
    content = os.fsencode(project.root / "content")
    os.rename(os.path.join(content, b"demo"), os.path.join(content, folder))
    os.rename(os.path.join(content, folder, b"brief.yaml"), os.path.join(content, folder, file))
    name = os.fsdecode(b"content/" + folder)
    shown = name.encode("utf-8", "surrogateescape").decode("latin-1")
    shown = "".join(c if ord(c) < 128 else f"\\x{ord(c):02x}" for c in shown)
    result = project.run("validate", name)
    assert (result.code, result.lines) == (0, [f"{shown}: valid (0 error(s), 0 warning(s))"])
    result = project.run("build", name, "--force", "--format", "all")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:3] == ["wrote out/demo.pdf", "wrote out/demo.docx", "wrote out/demo.html"]
    assert lines[3].startswith(f"{shown}: built in ")
    project.assert_clean(result)
    for command in ("tree", "release"):
        result = project.run(command, name)
        assert result.code == 0, result.err
        project.assert_clean(result)
