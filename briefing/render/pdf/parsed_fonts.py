"""ReportLab's parse of a TrueType font, kept in the disk cache (`briefing.core.cache`).

Parsing a font's tables (character map, widths, metrics) is most of what
registering it costs, and its result depends only on the file's bytes and
ReportLab's version. The cache keeps the parsed face's attributes (not the
font's bytes, which are read afresh); a font rebuilt from them is the font
ReportLab would have parsed, so the PDF is the same byte for byte.
"""

from __future__ import annotations

import io
import pickle
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from briefing.core import cache as disk
from briefing.core.digests import file_digest

KIND = "pdf-font"
# Attributes not kept: the font's bytes (read from the file) and a scaling function.
_NOT_KEPT = ("_ttf_data", "_pdfScale")
_ALLOWED = {("builtins", name) for name in ("dict", "list", "tuple", "set", "frozenset",
                                            "bytes", "str", "int", "float", "bool")}


def parsed_font(name: str, path: Path) -> TTFont:
    """`TTFont(name, path)`, its parse taken from the disk cache when there."""
    entry = disk.code_key(KIND, reportlab.Version, file_digest(path))
    stored = disk.get(KIND, entry)
    if stored is not None:
        try:
            return _font(name, path, _FaceUnpickler(io.BytesIO(stored)).load())
        except Exception:  # noqa: BLE001 - an unreadable entry is parsed afresh
            pass
    font = TTFont(name, str(path))
    kept = {k: v for k, v in vars(font.face).items() if k not in _NOT_KEPT}
    disk.put(KIND, entry, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    return font


def _font(name: str, path: Path, kept: dict) -> TTFont:
    """A TTFont as `TTFont.__init__` makes it, with the face's parsed attributes."""
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(kept)
    face._ttf_data = path.read_bytes()
    units = face.unitsPerEm
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        factor = 1000 / units
        face._pdfScale = lambda x: x * factor
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


class _FaceUnpickler(pickle.Unpickler):
    """Plain data and ReportLab's name strings only: an entry can build nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if (module, name) == (TTFNameBytes.__module__, "TTFNameBytes"):
            return TTFNameBytes
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a font entry")
