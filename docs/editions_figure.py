"""Make docs/what-changed.png and docs/redline.png from the editions test fixture.

Releases tests/fixtures/editions/edition-1.yaml and edition-2.yaml in a temporary
folder, builds the working copy, renders its pages with pdftoppm and stitches the
'What changed' section (it runs over a page break) into one picture; then writes the
redline against edition 2 and renders the top of its first page as LibreOffice shows
it. Run from the repository root: `python docs/editions_figure.py`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from briefing.cli import main

DPI = 110
FIXTURE = Path("tests/fixtures/editions")
TARGET = Path("docs/what-changed.png")
REDLINE = Path("docs/redline.png")


def lines(pdf: Path) -> dict[int, list[tuple[float, float, str]]]:
    """(top, bottom, text) of each word, by page, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages: dict[int, list[tuple[float, float, str]]] = {}
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        pages[number] = [(float(a), float(b), w) for a, b, w in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page)]
    return pages


def crop(folder: Path, page: int, top: float, bottom: float) -> Image.Image:
    image = Image.open(folder / f"page-{page}.png")
    scale = DPI / 72
    return image.crop((0, int(top * scale), image.width, int(bottom * scale)))


def main_figure() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        folder = root / "widgets"
        folder.mkdir()
        for name in ("edition-1.yaml", "edition-2.yaml"):
            shutil.copy(FIXTURE / name, folder / "brief.yaml")
            assert main(["release", str(folder), "--out-dir", str(root / "out")]) == 0
        shutil.copy(FIXTURE / "working.yaml", folder / "brief.yaml")
        assert main(["build", str(folder), "--out-dir", str(root / "out")]) == 0
        pdf = root / "out" / "widgets.pdf"
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(root / "page")],
                       check=True)
        words = lines(pdf)
        start = min(top for top, _, w in words[1] if w == "What") - 10
        end_first = max(bottom for top, bottom, w in words[1] if w == "→") + 4
        first_item = min(top for top, _, w in words[2] if w == "Judgment") - 3
        end = max(bottom for _, bottom, w in words[2] if w == "bold.") + 10
        parts = [crop(root, 1, start, end_first), crop(root, 2, first_item, end)]
        figure = Image.new("RGB", (parts[0].width, sum(p.height for p in parts)), "white")
        figure.paste(parts[0], (0, 0))
        figure.paste(parts[1], (0, parts[0].height))
        left, right = int(50 * DPI / 72), int((595 - 50) * DPI / 72)
        figure.crop((left, 0, right, figure.height)).save(TARGET, optimize=True)
        redline_figure(root, folder)


def redline_figure(root: Path, folder: Path) -> None:
    """The first page of the redline, down to the first key judgments, as LibreOffice
    draws its tracked changes."""
    docx = root / "redline.docx"
    assert main(["diff", str(folder), "--docx", str(docx)]) == 0
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(root),
                    str(docx)], check=True, capture_output=True, env={
                        "HOME": str(root), "PATH": "/usr/bin:/bin"})
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                    str(root / "redline.pdf"), str(root / "red")], check=True)
    image = Image.open(next(root.glob("red-*1.png")))
    scale = DPI / 72
    image.crop((int(40 * scale), int(10 * scale), int(555 * scale),
                int(560 * scale))).save(REDLINE, optimize=True)


if __name__ == "__main__":
    main_figure()
