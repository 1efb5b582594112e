"""Round trip: a built DOCX knows its fields; `briefing import` brings Word edits back."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content" / "nk-russia", tmp_path / "content" / "nk-russia")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _build(cli, *extra: str) -> Path:
    code, _, err = cli("build", "content/nk-russia", "--force", *extra)
    assert code == 0, err
    return Path("out/nk-russia.docx")


def _digests(project: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "content" / "nk-russia").glob("*.yaml"))}


def _paragraph(document, start: str):
    """The one body paragraph (table cells included) whose text starts with `start`."""
    found = [p for p in _all_paragraphs(document) if p.text.startswith(start)]
    assert len(found) >= 1, f"no paragraph starts with {start!r}"
    return found[0]


def _all_paragraphs(document):
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def _replace_in_runs(paragraph, old: str, new: str) -> None:
    for run in paragraph.runs:
        if old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} not in one run of {paragraph.text[:60]!r}")


def _libreoffice_resave(path: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out.mkdir(exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "docx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    return out / path.name


# ---- the DOCX knows where its fields came from -------------------------------------


def test_every_field_has_a_hidden_bookmark_and_the_manifest_records_it(project, cli):
    docx = _build(cli, "--format", "docx")
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode()
        items = [n for n in package.namelist() if n.startswith("customXml/item")]
        manifest = next(package.read(n).decode() for n in items
                        if b"urn:briefing:manifest:1" in package.read(n))
    assert body.count('w:name="_Brf') == manifest.count("<occurrence ")
    assert 'key="judgment:kj-durable-alliance.text"' in manifest
    assert 'file="judgments.yaml"' in manifest
    assert "<markdown>North Korea and Russia will likely" in manifest or "kj-durable" in manifest


def test_the_docx_with_fields_stays_reproducible(project, cli):
    first = _build(cli, "--format", "docx").read_bytes()
    second = _build(cli, "--format", "docx").read_bytes()
    assert first == second


def test_importing_the_untouched_docx_changes_nothing(project, cli):
    before = _digests(project)
    docx = _build(cli, "--format", "docx")
    code, out, err = cli("import", "content/nk-russia", str(docx), "--write")
    assert code == 0, err
    assert "no changes to import" in err
    assert out == ""
    assert _digests(project) == before


@pytest.mark.slow
def test_importing_a_libreoffice_resave_changes_nothing(project, cli, tmp_path):
    before = _digests(project)
    resaved = _libreoffice_resave(_build(cli, "--format", "docx"), tmp_path / "lo")
    code, _, err = cli("import", "content/nk-russia", str(resaved), "--write")
    assert code == 0, err
    assert "no changes to import" in err
    assert _digests(project) == before
