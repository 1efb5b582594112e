"""Fonts embedded in a DOCX as Word embeds them (ECMA-376 Part 1, §17.8.1).

Each face is subset to the characters the document uses (fontTools), then
obfuscated: the first 32 bytes are XORed with the 16 bytes of a GUID, the font
key, read from its last hex pair to its first. The key is derived from the font's
bytes, so the same inputs give the same DOCX. Word and LibreOffice undo the
obfuscation on open; the fonts' licences (SIL OFL) permit embedding.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path

import fontTools

from .. import cache as disk
from ..inputs import file_digest

# The characters a document may need that its text does not show: page numbers,
# note numbers and the contents list Word may rebuild, list labels.
ALWAYS = frozenset("0123456789 .,:;()[]-–—•…%/'’“”\"")
# OpenType layout tables (kerning, ligatures) and VTT hinting sources, left out: the
# PDF (ReportLab) applies no OpenType layout either, so both outputs set text alike,
# and parsing them takes most of a subset's time.
LAYOUT_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG",
                 "TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
# Word's w:embed… for each face of a layout's font family.
FACE_ELEMENTS = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
                 "bold_italic": "embedBoldItalic"}
# OS/2 code page bits Word records as a font's charset (w:charset), in order.
CHARSETS = ((19, "81"), (17, "80"), (18, "86"), (20, "88"), (0, "00"), (2, "CC"))


@dataclass(frozen=True)
class FontFacts:
    """What the font table says of a family: PANOSE, charset, kind, Unicode signature."""

    panose: str
    charset: str
    family: str
    usb: tuple[str, str, str, str]
    csb: tuple[str, str]


@dataclass(frozen=True)
class EmbeddedFace:
    """One obfuscated face: its w:embed… element name, font key and part bytes."""

    element: str
    key: str
    data: bytes


def font_key(data: bytes) -> str:
    """A GUID in Word's form ('{XXXXXXXX-…}'), derived from the font's bytes."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def _key_bytes(key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    return bytes(int(digits[i:i + 2], 16) for i in range(30, -1, -2))


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key (§17.8.1); applying it twice restores."""
    mask = _key_bytes(key)
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@cache
def _font_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _cache_key(kind: str, path: Path, *parts: str) -> str:
    """The disk cache key of a result drawn from the font at `path` (its bytes, this
    code, fontTools' version)."""
    return disk.key(kind, disk.code_digest(), fontTools.version, file_digest(path), *parts)


@lru_cache(maxsize=64)
def subset_font(path: Path, characters: frozenset[str]) -> bytes:
    """The TrueType font at `path` cut down to `characters` (those it has), with its
    names and hinting kept and its timestamp unchanged; kept in the disk cache."""
    name = _cache_key("font-subset", path, "".join(sorted(characters | ALWAYS)))
    data = disk.get("font-subset", name)
    if data is None:
        data = _subset(path, characters)
        disk.put("font-subset", name, data)
    return data


def _subset(path: Path, characters: frozenset[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.glyph_names = False
    font = TTFont(io.BytesIO(_font_bytes(path)), recalcTimestamp=False)
    for tag in LAYOUT_TABLES:  # before the subsetter reads them
        if tag in font:
            del font[tag]
    cmap = font.getBestCmap() or {}
    wanted = sorted({ord(c) for c in characters | ALWAYS} & set(cmap))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embedded_face(face: str, path: Path, characters: frozenset[str]) -> EmbeddedFace:
    """The obfuscated subset of one face, ready for word/fonts/fontN.odttf."""
    data = subset_font(path, characters)
    key = font_key(data)
    return EmbeddedFace(FACE_ELEMENTS[face], key, obfuscate(data, key))


@cache
def font_facts(path: Path) -> FontFacts:
    """PANOSE, charset, family kind and Unicode/code-page signature from OS/2 (kept in
    the disk cache)."""
    name = _cache_key("font-facts", path)
    data = disk.get("font-facts", name)
    if data is not None:
        try:
            fields = json.loads(data)
            return FontFacts(**{k: tuple(v) if isinstance(v, list) else v
                                for k, v in fields.items()})
        except (ValueError, TypeError):
            pass
    facts = _font_facts(path)
    disk.put("font-facts", name, json.dumps(asdict(facts)).encode())
    return facts


def _font_facts(path: Path) -> FontFacts:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes(path)), lazy=True)
    os2 = font["OS/2"]
    panose = os2.panose
    digits = "".join(f"{getattr(panose, name):02X}" for name in (
        "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
        "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight"))
    codepages = os2.ulCodePageRange1
    charset = next((value for bit, value in CHARSETS if codepages & (1 << bit)), "00")
    serif = panose.bFamilyType == 2 and panose.bSerifStyle not in (11, 12, 13)
    family = "roman" if serif else "swiss"
    usb = tuple(f"{getattr(os2, f'ulUnicodeRange{i}'):08X}" for i in (1, 2, 3, 4))
    csb = (f"{os2.ulCodePageRange1:08X}", f"{os2.ulCodePageRange2:08X}")
    return FontFacts(digits, charset, family, usb, csb)  # type: ignore[arg-type]
