"""BR815: characters that no font of the layout can draw, found before any render.

ReportLab would print a box for such a character, Word would fall back to a font the
reader may not have, and PDF/UA-1 forbids it outright (the Typst engine refuses the
build). So it is an error at `validate`, at the character's first place in the
brief's files, naming the fonts that were searched.
"""

from __future__ import annotations

import unicodedata

from briefing.compose.tree import Document
from briefing.core.findings import Finding, Place
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief, first_place
from briefing.load.layout import LoadedLayout


def glyph_findings(loaded: LoadedBrief, layout: LoadedLayout,
                   document: Document) -> list[Finding]:
    """An error for each character of `document` that no font of `layout` draws."""
    from briefing.render.fonts import load_fonts
    from briefing.render.text import dump

    fonts = load_fonts(layout)
    families = ", ".join(layout.layout.fonts)
    findings = []
    for char in fonts.undrawable(dump(document)):
        place = first_place(list(loaded.files), char) or Place(display_path(loaded.files[0]))
        findings.append(Finding(place, "error", f"character U+{ord(char):04X} "
                                f"{unicodedata.name(char, 'with no name')} has no glyph in any "
                                f"font of layout '{layout.layout.name}' ({families}); replace "
                                "it, or give the layout a font that draws it", rule="BR815"))
    return findings
