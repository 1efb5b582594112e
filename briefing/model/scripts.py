"""Which language a brief's text in another script is in, as its sources say.

A Cyrillic author's name in an English source is tagged with the name's own
`language` (`uk` for Гай-Нижник), or else with the language of a source written
in Cyrillic; Word then spell-checks and hyphenates it as that language.
"""

from __future__ import annotations

import re

from . import Brief
from .vocab import CYRILLIC_LANGUAGES

CYRILLIC = re.compile(r"[\u0400-\u052F]")


def cyrillic_language(brief: Brief) -> str:
    """The language of the brief's Cyrillic text ('' when no source says)."""
    for source in brief.sources:
        for name in (*source.authors, *source.editors):
            written = " ".join(filter(None, (name.family, name.given, name.literal)))
            if name.language and CYRILLIC.search(written):
                return name.language
    for source in brief.sources:
        if source.language.split("-")[0] in CYRILLIC_LANGUAGES:
            return source.language
    return ""


def script_languages(brief: Brief) -> tuple[tuple[str, str], ...]:
    """(script, language) pairs for text outside the brief's own script."""
    cyrillic = cyrillic_language(brief)
    return (("Cyrl", cyrillic),) if cyrillic else ()
