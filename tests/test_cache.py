"""The disk cache (parsed fonts, font subsets, citation runs, compiled templates) saves
time and nothing else:
outputs are the same bytes with an empty, a warm, a corrupt or no cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from jinja2 import Environment
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from briefing.build.pipeline import build
from briefing.compose import cite
from briefing.core import cache, digests
from briefing.core.recent import Recent
from briefing.render import fonts, subsets
from briefing.render.docx import fonts as docx_fonts
from briefing.render.docx import styles as docx_styles
from briefing.render.docx.renderer import DocxRenderer
from briefing.review import quantities

ROOT = Path(__file__).resolve().parent.parent
NK = ROOT / "content" / "nk-russia"
KINDS = {"citations", "docx-styles", "file-digest", "font-subset", "font-facts",
         "font-summary", "mentions", "pdf-font", "source-reader", "template"}


def _build_cold(out: Path, cache_dir: Path, *options: str) -> dict[str, bytes]:
    """`briefing build` of the NK brief in a fresh process; the outputs' bytes."""
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache_dir),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("BRIEFING_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "briefing", "build", str(NK), "--out-dir",
                           str(out), "--force", *options], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return {fmt: (out / f"nk-russia.{fmt}").read_bytes() for fmt in ("pdf", "docx")}


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*") if p.is_file())


def test_outputs_are_the_same_bytes_with_an_empty_warm_corrupt_deleted_or_no_cache(
        tmp_path, monkeypatch):
    store = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(store))
    first = _build_cold(tmp_path / "empty", store)
    entries = _entries(store)
    # and the checked brief, when its inputs had settled (build.memo)
    assert KINDS <= {p.parent.parent.name for p in entries} <= KINDS | {"checked-brief"}
    assert _build_cold(tmp_path / "warm", store) == first

    for n, entry in enumerate(entries):  # every entry damaged: a byte changed, or cut short
        data = entry.read_bytes()
        entry.write_bytes(data[:len(data) // 2] if n % 2 else
                          data[:-1] + bytes([data[-1] ^ 0xFF]))
    assert _build_cold(tmp_path / "corrupt", store) == first
    assert all(cache.get(p.parent.parent.name, p.name) is not None for p in entries), \
        "a corrupt entry is written afresh"

    for entry in entries:
        entry.unlink()
    assert _build_cold(tmp_path / "deleted", store) == first

    unused = tmp_path / "unused"
    assert _build_cold(tmp_path / "no-cache", unused, "--no-cache") == first
    assert not unused.exists()


@pytest.fixture
def forgetful(monkeypatch):
    """Clear what this process remembers, so that a build reads the disk cache."""
    def forget() -> None:
        cite._CACHE.clear()
        subsets.forget_subsets()
        docx_fonts.font_facts.cache_clear()
        docx_styles._MADE.clear()
        quantities._mentions.cache_clear()
        fonts._register.cache_clear()
        fonts.summary_of.cache_clear()
        shipped = {p.stem for p in (ROOT / "briefing" / "data" / "fonts").glob("*.ttf")}
        for name in shipped & set(pdfmetrics._fonts):
            face = pdfmetrics._fonts.pop(name).face.name
            pdfmetrics._dynFaceNames.pop(face, None)
    return forget


def test_a_warm_cache_spares_pandoc_fonttools_font_parsing_templates_styles_and_numbers(
        tmp_path, monkeypatch, forgetful):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    forgetful()
    first = build(NK, tmp_path / "a", force=True).outputs
    forgetful()

    def refuse(*args, **kwargs):
        raise AssertionError("computed although the cache holds it")

    monkeypatch.setattr(cite, "run_pandoc", refuse)  # the citation run
    monkeypatch.setattr(subsets, "_subset", refuse)
    monkeypatch.setattr(docx_fonts, "_font_facts", refuse)
    monkeypatch.setattr(TTFontFile, "extractInfo", refuse)  # ReportLab's parse of a font
    monkeypatch.setattr(Environment, "compile", refuse)  # jinja2's compile of a template
    monkeypatch.setattr(DocxRenderer, "_define_styles", refuse)  # python-docx's styles
    found = quantities._found

    def short_only(text: str):  # the numbers in an archived source are remembered
        return refuse() if len(text) >= quantities.REMEMBERED_CHARS else found(text)

    monkeypatch.setattr(quantities, "_found", short_only)
    second = build(NK, tmp_path / "b", force=True).outputs
    for fmt in ("pdf", "docx"):
        assert second[fmt].read_bytes() == first[fmt].read_bytes()
    forgetful()


def test_an_entry_is_read_back_only_when_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    name = cache.key("part", b"\x00", "x")
    assert cache.get("demo", name) is None
    cache.put("demo", name, b"payload")
    assert cache.get("demo", name) == b"payload"
    path = tmp_path / "demo" / name[:2] / name
    path.write_bytes(path.read_bytes()[:-1] + b"P")
    assert cache.get("demo", name) is None
    path.write_bytes(b"not an entry")
    assert cache.get("demo", name) is None
    assert not list(path.parent.glob("*.tmp")), "no temporary file is left behind"


def test_keys_keep_their_parts_apart():
    assert cache.key("ab", "c") != cache.key("a", "bc")


def test_no_cache_and_an_unusable_cache_folder_are_not_errors(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocked))
    cache.put("demo", cache.key("x"), b"payload")  # cannot be written: ignored
    assert cache.get("demo", cache.key("x")) is None
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    with cache.disabled():
        assert cache.folder() is None
        cache.put("demo", cache.key("x"), b"payload")
    assert os.environ.get("BRIEFING_CACHE") is None
    assert not (tmp_path / "cache").exists()


def test_a_large_files_digest_is_remembered_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    big = tmp_path / "font.ttf"
    big.write_bytes(b"a" * digests.REMEMBERED_SIZE)
    settled = time.time() - 60
    os.utime(big, (settled, settled))
    assert digests.file_digest(big) == hashlib.sha256(big.read_bytes()).digest()
    assert len(_entries(tmp_path / "cache")) == 1
    digests._file_digest.cache_clear()
    assert digests.file_digest(big) == hashlib.sha256(big.read_bytes()).digest()

    big.write_bytes(b"b" * digests.REMEMBERED_SIZE)  # same size, same modification time
    os.utime(big, (settled, settled))
    digests._file_digest.cache_clear()
    assert digests.file_digest(big) == hashlib.sha256(big.read_bytes()).digest()

    fresh = tmp_path / "fresh.ttf"  # changed a moment ago: it may change again unseen
    fresh.write_bytes(b"c" * digests.REMEMBERED_SIZE)
    assert digests.file_digest(fresh) == hashlib.sha256(fresh.read_bytes()).digest()
    assert len(_entries(tmp_path / "cache")) == 2


def test_a_docx_render_takes_the_styles_an_earlier_render_made(monkeypatch):
    """In one process (as `watch` renders), without the disk cache: the second render
    adopts the first's styles part instead of defining the styles again, and its DOCX
    is the same bytes."""
    from briefing.build.pipeline import render_format, resolve_layout
    from briefing.build.validate import validate
    from briefing.compose.composer import compose

    monkeypatch.setenv("BRIEFING_CACHE", "off")
    docx_styles._MADE.clear()
    loaded = validate(NK, configuration=False).loaded
    layout = resolve_layout(loaded, None)
    document = compose(loaded, layout, fields=True)
    first = render_format("docx", document, layout)
    assert len(docx_styles._MADE) == 1

    def refuse(*args, **kwargs):
        raise AssertionError("styles defined again")

    monkeypatch.setattr(DocxRenderer, "_define_styles", refuse)
    assert render_format("docx", document, layout) == first


def test_a_process_keeps_the_styles_of_a_few_layouts_only(monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    monkeypatch.setattr(docx_styles, "_MADE", Recent(docx_styles.KEPT))
    root = docx.Document().styles.element
    for n in range(docx_styles.KEPT + 1):
        docx_styles.keep(f"key-{n}", root, {})
    assert list(docx_styles._MADE) == [f"key-{n}" for n in range(1, docx_styles.KEPT + 1)]
    assert docx_styles.made_before("key-1") is not None  # used again: now the newest
    assert list(docx_styles._MADE)[-1] == "key-1"
    assert docx_styles.made_before("key-0") is None
