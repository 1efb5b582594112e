"""A brief checked and composed before is remembered (build.memo): a build of the same
inputs renders the remembered document, the same bytes, without loading the brief;
any change a build could see makes it load, review and compose again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing.build import memo
from briefing.build import validate as validate_module
from briefing.build.pipeline import build
from briefing.core import cache

ROOT = Path(__file__).resolve().parent.parent
EDIT_FILE, EDIT_FROM, EDIT_TO = "judgments.yaml", "publicly backed", "openly backed"


@dataclass
class Project:
    folder: Path
    loads: list[Path] = field(default_factory=list)  # the briefs loaded, in order

    def __truediv__(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Project:
    """A copy of the NK project, its files taken as settled, and a count of the briefs
    this process loads from now on."""
    folder = tmp_path / "project"
    for name in ("content", "layouts", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    monkeypatch.setattr(memo, "SETTLED_SECONDS", 0)
    made = Project(folder)
    real = validate_module.load_for_review

    def counted(path, *args, **kwargs):
        made.loads.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validate_module, "load_for_review", counted)
    return made


def _brief(project: Project) -> Path:
    return project / "content" / "nk-russia"


def _built(project: Project, out: Path, formats=("html",)) -> dict[str, bytes]:
    result = build(_brief(project), out, formats, force=True)
    assert result.outputs, result.findings
    return {fmt: path.read_bytes() for fmt, path in result.outputs.items()}


def test_a_second_build_of_the_same_inputs_renders_the_remembered_brief(project, tmp_path):
    first = _built(project, tmp_path / "a")
    again = build(_brief(project), tmp_path / "b", ("html",), force=True)
    assert len(project.loads) == 1, "the second build loaded the brief again"
    assert {"html": again.outputs["html"].read_bytes()} == first
    fresh = build(_brief(project), tmp_path / "c", ("html",), force=True)
    assert [f.message for f in again.findings] == [f.message for f in fresh.findings]


def test_an_edit_of_the_brief_is_seen(project, tmp_path):
    assert EDIT_TO not in _built(project, tmp_path / "a")["html"].decode()
    judgments = _brief(project) / EDIT_FILE
    judgments.write_text(judgments.read_text("utf-8").replace(EDIT_FROM, EDIT_TO), "utf-8")
    assert EDIT_TO in _built(project, tmp_path / "b")["html"].decode()
    assert len(project.loads) == 2


@pytest.mark.parametrize("change", ["new seed", "archive touched", "layout file",
                                    "new layouts folder", "briefing.toml above"])
def test_a_change_anywhere_a_build_looks_makes_it_load_again(project, tmp_path, change):
    _built(project, tmp_path / "a")
    if change == "new seed":
        (project / "seeds" / "another.txt").write_text("A new archived text.\n")
    elif change == "archive touched":
        archive = next((project / "seeds").iterdir())
        os.utime(archive, ns=(archive.stat().st_atime_ns, archive.stat().st_mtime_ns + 10**9))
    elif change == "layout file":
        (project / "layouts" / "policy-brief" / "notes.txt").write_text("a note\n")
    elif change == "new layouts folder":
        (_brief(project) / "layouts").mkdir()
    else:
        (tmp_path / "briefing.toml").write_text("")
    _built(project, tmp_path / "b")
    assert len(project.loads) == 2, f"after a {change}, the remembered brief was used"


def test_other_formats_or_another_engine_are_other_entries(project, tmp_path):
    _built(project, tmp_path / "a", ("html",))
    pdf = build(_brief(project), tmp_path / "b", ("pdf",), force=True, pdf_engine="reportlab")
    assert len(project.loads) == 2 and pdf.outputs
    build(_brief(project), tmp_path / "c", ("pdf",), force=True, pdf_engine="reportlab")
    assert len(project.loads) == 2


def test_nothing_is_remembered_from_files_saved_a_moment_ago(project, tmp_path, monkeypatch):
    monkeypatch.setattr(memo, "SETTLED_SECONDS", 3600)
    _built(project, tmp_path / "a")
    _built(project, tmp_path / "b")
    assert len(project.loads) == 2


def test_an_invalid_brief_is_never_remembered(project, tmp_path):
    brief = _brief(project) / "brief.yaml"
    brief.write_text(brief.read_text("utf-8").replace("id: nk-russia", "id: Not An Id", 1),
                     "utf-8")
    for out in ("a", "b"):
        assert build(_brief(project), tmp_path / out, ("html",), force=True).invalid
    assert len(project.loads) == 2


def test_no_cache_remembers_nothing(project, tmp_path):
    with cache.disabled():
        _built(project, tmp_path / "a")
        _built(project, tmp_path / "b")
    assert len(project.loads) == 2


def test_a_fresh_process_renders_the_remembered_brief_to_the_same_bytes(tmp_path):
    """`briefing build --format html` after `briefing build`, each a new process, of
    the repository's brief (settled long ago): the second renders the entry the first
    made, without importing the parser of the brief's markup."""
    store = tmp_path / "cache"
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(store),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    outputs, imports = [], []
    for out in ("a", "b"):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefing", "build",
                               str(ROOT / "content" / "nk-russia"), "--format", "html",
                               "--out-dir", str(tmp_path / out), "--force"], env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / out / "nk-russia.html").read_bytes())
        imports.append(done.stderr)
    assert outputs[0] == outputs[1]
    assert "markdown_it" in imports[0]
    if any((store / memo.KIND).rglob("*")):  # the first build's inputs had settled
        assert "markdown_it" not in imports[1], "the second build loaded the brief"


def test_a_layout_named_relative_to_another_folder_is_another_entry(project, tmp_path,
                                                                       monkeypatch):
    other = tmp_path / "elsewhere"
    shutil.copytree(project / "layouts", other / "layouts")
    for folder in (project.folder, other, project.folder):
        monkeypatch.chdir(folder)
        assert build(_brief(project), tmp_path / "out", ("html",), "layouts/one-pager",
                     force=True).outputs
    assert len(project.loads) == 2, "the layout named from another folder was not loaded"
