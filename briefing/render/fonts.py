"""TrueType fonts for the PDF: registration with ReportLab and per-character fallback.

A font file is parsed and registered the first time a run needs it, so a brief
that never uses, say, Hangul or bold italic never pays for those files.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from briefing.core import cache as disk
from briefing.core.digests import file_digest
from briefing.load.layout import LoadedLayout

WEIGHTS = ("regular", "bold", "italic", "bold_italic")
# The characters `str.isspace` accepts (tests/test_pdf.py checks the list).
WHITE_SPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
                        "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
SUMMARY = "font-summary"


@cache
def _register(path: Path) -> str:
    """Register one TTF file with ReportLab once per process; its font name."""
    from reportlab.pdfbase import pdfmetrics

    from briefing.render.pdf.parsed_fonts import parsed_font

    name = path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(parsed_font(name, path))
    return name


@dataclass(frozen=True)
class FontSummary:
    """What choosing a font needs to know of a font file: its family name as the file
    gives it ("Noto Serif") and the code points it has glyphs for (as ReportLab reads
    its character map)."""

    family_name: str
    coverage: frozenset[int]


@cache
def summary_of(path: Path) -> FontSummary:
    """The font file's summary, from the disk cache when there.

    Kept as the family name's line and the code points as a sorted array, so that
    checking which characters a layout can draw, and the DOCX renderer's choice of
    fonts, neither import ReportLab nor parse a font file."""
    entry = disk.code_key(SUMMARY, sys.byteorder, file_digest(path))
    stored = disk.get(SUMMARY, entry)
    if stored is not None:
        head, _, points = stored.partition(b"\n")
        codes = array("I")
        if codes.itemsize == 4 and len(points) % 4 == 0:
            codes.frombytes(points)
            return FontSummary(head.decode("utf-8", "replace"), frozenset(codes))
    from briefing.render.pdf.parsed_fonts import parsed_font

    face = parsed_font(path.stem, path).face  # parsed, not registered: freed after this
    family = face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    summary = FontSummary(family.replace("\n", " "), frozenset(face.charToGlyph))
    codes = array("I", sorted(summary.coverage))
    if codes.itemsize == 4:
        disk.put(SUMMARY, entry, summary.family_name.encode() + b"\n" + codes.tobytes())
    return summary


@dataclass(frozen=True)
class Family:
    """One family's files per weight; fonts are registered on first use."""

    name: str
    files: dict[str, Path]

    def font(self, bold: bool = False, italic: bool = False) -> str:
        """The registered font name for a weight, falling back to the closest one."""
        wanted = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
                  (True, True): "bold_italic"}[(bold, italic)]
        path = (self.files.get(wanted) or self.files.get("bold" if bold else "regular")
                or self.files["regular"])
        return _register(path)

    @property
    def coverage(self) -> frozenset[int]:
        return summary_of(self.files["regular"]).coverage

    @cached_property
    def drawable(self) -> frozenset[str]:
        """The characters this family draws, and white space (which needs no glyph)."""
        return frozenset(map(chr, self.coverage)) | WHITE_SPACE

    @property
    def family_name(self) -> str:
        """The family name its regular file gives ("Noto Serif")."""
        return summary_of(self.files["regular"]).family_name


@dataclass(frozen=True)
class FontSet:
    """All families of a layout, with the fallback order for missing glyphs."""

    families: dict[str, Family]
    fallback: tuple[str, ...]

    def runs(self, text: str, family: str) -> list[tuple[str, str]]:
        """Split `text` into (family, text) runs, each drawable by its family."""
        if self.families[family].drawable.issuperset(text):
            return [(family, text)] if text else []
        covered = self.families[family].coverage
        chain = [family, *(f for f in self.fallback if f != family)]
        runs: list[tuple[str, str]] = []
        for char in text:
            chosen = family
            if ord(char) not in covered and not char.isspace():
                chosen = next((f for f in chain if ord(char) in self.families[f].coverage),
                              family)
            if runs and runs[-1][0] == chosen:
                runs[-1] = (chosen, runs[-1][1] + char)
            else:
                runs.append((chosen, char))
        return runs


    def undrawable(self, text: str) -> list[str]:
        """Characters of `text` that no family of the layout can draw, in order."""
        first = next(iter(self.families.values()))
        unusual = set(text) - first.drawable
        missing = {c for c in unusual
                   if not any(ord(c) in f.coverage for f in self.families.values())}
        return [c for c in dict.fromkeys(text) if c in missing]


def load_fonts(layout: LoadedLayout) -> FontSet:
    """The layout's font families (files are registered lazily, on first use)."""
    families = {
        family: Family(family, {weight: layout.font_path(file)
                                for weight, file in files.files().items()})
        for family, files in layout.layout.fonts.items()
    }
    return FontSet(families, tuple(layout.layout.fallback_fonts))
