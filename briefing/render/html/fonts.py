"""The layout's fonts inside the web edition: each face cut down to the characters the
page shows, as WOFF2, in an `@font-face` rule with a `data:` URL, so the page draws as
the PDF does with nothing fetched. A face whose licence forbids embedding (OS/2
`fsType` with the restricted-licence bit) is left out; the page then names it, and a
reader's browser falls back to the generic family."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from briefing.core import cache as disk
from briefing.load.layout import LoadedLayout
from briefing.render.fonts import summary_of
from briefing.render.subsets import font_cache_key, subset_fonts

# A face's weight and style in CSS, by the layout's name for it.
FACES = {"regular": (400, "normal"), "bold": (700, "normal"), "italic": (400, "italic"),
         "bold_italic": (700, "italic")}
RESTRICTED = 0x0002  # OS/2 fsType: restricted-licence embedding
EMBEDDABLE = "font-embeddable"


@cache
def embeddable(path: Path) -> bool:
    """Whether the font's licence bits allow embedding it in a document (kept in the
    disk cache: reading them takes fontTools' font reader, 9 ms to import)."""
    key = font_cache_key(EMBEDDABLE, path)
    stored = disk.get(EMBEDDABLE, key)
    if stored in (b"yes", b"no"):
        return stored == b"yes"
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    allowed = not fs_type & RESTRICTED
    disk.put(EMBEDDABLE, key, b"yes" if allowed else b"no")
    return allowed


def font_faces(layout: LoadedLayout, characters: frozenset[str], quote) -> str:
    """`@font-face` rules for every face of the layout's families, subset to
    `characters`; `quote` makes a family name a CSS string."""
    faces = []
    for family in layout.layout.fonts.values():
        name = summary_of(layout.font_path(family.regular)).family_name
        for face, file in family.files().items():
            path = layout.font_path(file)
            if face in FACES and embeddable(path):
                faces.append((name, face, path))
    data = subset_fonts([path for *_, path in faces], characters, "woff2")
    rules = []
    for (name, face, _), woff2 in zip(faces, data, strict=True):
        weight, style = FACES[face]
        rules.append(f'@font-face{{font-family:"{quote(name)}";font-weight:{weight};'
                     f"font-style:{style};font-display:swap;src:url(data:font/woff2;base64,"
                     f'{base64.b64encode(woff2).decode()}) format("woff2")}}')
    return "\n".join(rules)
