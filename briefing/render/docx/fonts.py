"""Fonts embedded in a DOCX as Word embeds them (ECMA-376 Part 1, §17.8.1).

Each face is subset to the characters the document uses (fontTools, in a child
process when it must be cut afresh: see font_subset), then
obfuscated: the first 32 bytes are XORed with the 16 bytes of a GUID, the font
key, read from its last hex pair to its first. The key is derived from the font's
bytes, so the same inputs give the same DOCX. Word and LibreOffice undo the
obfuscation on open; the fonts' licences (SIL OFL) permit embedding.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import fontTools

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.digests import file_digest
from briefing.core.recent import Recent

from .font_subset import ALWAYS, cut, cut_elsewhere

# Word's w:embed… for each face of a layout's font family.
FACE_ELEMENTS = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
                 "bold_italic": "embedBoldItalic"}
# OS/2 code page bits Word records as a font's charset (w:charset), in order.
CHARSETS = ((19, "81"), (17, "80"), (18, "86"), (20, "88"), (0, "00"), (2, "CC"))
MEMORY_SUBSETS = 64  # subsets a process keeps in memory (e.g. `watch`)
_SUBSETS = Recent(MEMORY_SUBSETS)  # by disk cache key


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


def _cache_key(kind: str, path: Path, *parts: str) -> str:
    """The disk cache key of a result drawn from the font at `path` (its bytes, this
    code, fontTools' version)."""
    return digests.code_key(kind, fontTools.version, file_digest(path), *parts)


def subset_fonts(paths: list[Path], characters: frozenset[str]) -> list[bytes]:
    """Each TrueType font at `paths` cut down to `characters` (font_subset.cut):
    from this process's memory or the disk cache when there, the others cut
    together and kept in both."""
    names = [_cache_key("font-subset", path, "".join(sorted(characters | ALWAYS)))
             for path in paths]
    found = {name: _SUBSETS.get(name) or disk.get("font-subset", name) for name in names}
    missing = {name: path for name, path in zip(names, paths, strict=True)
               if found[name] is None}
    if missing:
        for name, data in zip(missing, _subset(list(missing.values()), characters),
                              strict=True):
            disk.put("font-subset", name, data)
            found[name] = data
    for name, data in found.items():
        _SUBSETS.put(name, data)
    return [found[name] for name in names]  # type: ignore[misc]


def forget_subsets() -> None:
    """Drop the subsets this process remembers (the disk cache keeps them)."""
    _SUBSETS.clear()


def _subset(paths: list[Path], characters: frozenset[str]) -> list[bytes]:
    """Cut each font: in one child process unless fontTools' subsetter is already
    loaded here (it would cost this process 16 MiB), else, or if the child fails, here."""
    if "fontTools.subset" not in sys.modules:
        done = cut_elsewhere(paths, characters)
        if done is not None:
            return done
    return [cut(path, characters) for path in paths]


def embedded_face(face: str, data: bytes) -> EmbeddedFace:
    """The obfuscated subset `data` of one face, ready for word/fonts/fontN.odttf."""
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

    with path.open("rb") as stream:  # lazy: only the tables read below are loaded
        os2 = TTFont(stream, lazy=True)["OS/2"]
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
