"""TrueType fonts for the PDF: registration with ReportLab and per-character fallback."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..layout import LoadedLayout

WEIGHTS = ("regular", "bold", "italic", "bold_italic")


@cache
def _register(path: Path) -> tuple[str, frozenset[int]]:
    """Register one TTF file once per process; its font name and the code points it has."""
    name = path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    font = pdfmetrics.getFont(name)
    return name, frozenset(font.face.charToGlyph)


@dataclass(frozen=True)
class Family:
    """A registered family: font names per weight and the characters it covers."""

    name: str
    fonts: dict[str, str]
    coverage: frozenset[int]

    def font(self, bold: bool = False, italic: bool = False) -> str:
        key = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
               (True, True): "bold_italic"}[(bold, italic)]
        return self.fonts.get(key) or self.fonts.get("bold" if bold else "regular") or \
            self.fonts["regular"]


@dataclass(frozen=True)
class FontSet:
    """All families of a layout, with the fallback order for missing glyphs."""

    families: dict[str, Family]
    fallback: tuple[str, ...]

    def runs(self, text: str, family: str) -> list[tuple[str, str]]:
        """Split `text` into (family, text) runs, each drawable by its family."""
        chain = [family, *(f for f in self.fallback if f != family)]
        runs: list[tuple[str, str]] = []
        for char in text:
            chosen = family
            if ord(char) not in self.families[family].coverage and not char.isspace():
                chosen = next((f for f in chain if ord(char) in self.families[f].coverage),
                              family)
            if runs and runs[-1][0] == chosen:
                runs[-1] = (chosen, runs[-1][1] + char)
            else:
                runs.append((chosen, char))
        return runs


def load_fonts(layout: LoadedLayout) -> FontSet:
    """Register every family of the layout with ReportLab (bold/italic mapped)."""
    families: dict[str, Family] = {}
    for family, files in layout.layout.fonts.items():
        names: dict[str, str] = {}
        coverage: frozenset[int] = frozenset()
        for weight in WEIGHTS:
            file = getattr(files, weight)
            if file:
                name, covered = _register(layout.font_path(file))
                names[weight] = name
                if weight == "regular":
                    coverage = covered
        families[family] = Family(family, names, coverage)
        regular = names["regular"]
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(regular, bold, italic, families[family].font(bool(bold), bool(italic)))
    return FontSet(families, tuple(layout.layout.fallback_fonts))
