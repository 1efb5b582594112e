"""Fixtures of the hostile corpus (helpers and checks are in corpus.py)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from corpus import CANARY, POLICY, QUOTE, Project
from scaffolds import scaffolded as new_brief

from briefing.build.pipeline import build


@pytest.fixture(scope="session")
def good_outputs(tmp_path_factory) -> dict[str, bytes]:
    """The scaffolded brief's PDF and DOCX, built once per session."""
    root = tmp_path_factory.mktemp("good")
    new_brief("demo", root / "content", "schema.json")
    result = build(root / "content" / "demo", root / "out")
    return {f"demo.{fmt}": path.read_bytes() for fmt, path in result.outputs.items()}


@pytest.fixture(scope="session")
def canary_docx(tmp_path_factory) -> bytes:
    document = docx.Document()
    document.add_paragraph(CANARY)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def project(tmp_path: Path, good_outputs, canary_docx) -> Project:
    """<tmp>/proj (content/demo, seeds/, out/ with good outputs) and <tmp>/outside."""
    root = tmp_path / "proj"
    new_brief("demo", root / "content", "schema.json")
    (root / "seeds").mkdir()
    (root / "seeds" / "source.txt").write_text(f"Intro.\nIn short, {QUOTE}.\n", "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "canary.txt").write_text(f"{CANARY}\n{QUOTE}\nSECRET=1\n", "utf-8")
    (outside / "canary.csl").write_text(f"<style>{CANARY}</style>", "utf-8")
    (outside / "canary.docx").write_bytes(canary_docx)
    (outside / "canary.j2").write_text(f"<p>{CANARY}</p>", "utf-8")
    evil = outside / "evil"
    shutil.copytree(POLICY, evil)
    template = evil / "brief.xml.j2"
    template.write_text(template.read_text("utf-8").replace(
        "<document>", f"<document><p>{CANARY}</p>", 1), "utf-8")
    (root / "out").mkdir()
    for name, data in good_outputs.items():
        (root / "out" / name).write_bytes(data)
    return Project(root, outside, dict(good_outputs))
