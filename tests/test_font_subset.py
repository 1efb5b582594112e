"""Fonts embedded in a DOCX are cut in a child process, so that a build never carries
fontTools' subsetter (16 MiB it would never give back); the subsets are the same bytes
as those cut in the build's own process."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from briefing.render import font_subset

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "briefing" / "data" / "fonts"
NK = ROOT / "content" / "nk-russia"
TEXT = frozenset("Pyongyang’s “alliance” with Moscow — 2024: Кремль, 평양")


def test_the_child_cuts_the_same_bytes_as_this_process():
    paths = [FONTS / "NotoSerif-Regular.ttf", FONTS / "NotoSans-BoldItalic.ttf",
             FONTS / "NanumGothicBold.ttf"]
    elsewhere = font_subset.cut_elsewhere(paths, TEXT)
    assert elsewhere is not None
    here = [font_subset.cut(path, TEXT) for path in paths]
    assert elsewhere == here
    assert all(len(data) < path.stat().st_size / 4 for data, path in zip(here, paths, strict=True))


def test_a_child_that_cannot_cut_reports_it(tmp_path, monkeypatch):
    not_a_font = tmp_path / "x.ttf"
    not_a_font.write_bytes(b"not a font")
    assert font_subset.cut_elsewhere([FONTS / "NotoSerif-Regular.ttf", not_a_font],
                                     TEXT) is None
    monkeypatch.setattr(font_subset.sys, "executable", str(tmp_path / "no-python"))
    assert font_subset.cut_elsewhere([FONTS / "NotoSerif-Regular.ttf"], TEXT) is None


def test_a_cold_build_embeds_fonts_without_loading_the_subsetter(tmp_path):
    script = ("import sys\nfrom pathlib import Path\nfrom briefing.build.pipeline import build\n"
              f"result = build(Path({str(NK)!r}), Path({str(tmp_path / 'out')!r}), "
              "formats=('docx',), force=True)\n"
              "assert result.outputs, result.findings\n"
              "print('fontTools.subset' in sys.modules, 'fontTools.ttLib' in sys.modules)")
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("BRIEFING_CACHE", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # font facts read OS/2 here
    with zipfile.ZipFile(tmp_path / "out" / "nk-russia.docx") as docx:
        fonts = [name for name in docx.namelist() if name.startswith("word/fonts/")]
    assert fonts and (tmp_path / "cache" / "font-subset").is_dir()
