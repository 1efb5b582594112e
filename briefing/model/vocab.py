"""Controlled vocabularies from the tradecraft standards (ICD 203, Admiralty code, TLP 2.0)."""

from __future__ import annotations

# ICD 203 (2015) likelihood bands: (term, alternative term, low %, high %).
LIKELIHOOD_BANDS: dict[str, tuple[str, str, int, int]] = {
    "almost no chance": ("almost no chance", "remote", 1, 5),
    "very unlikely": ("very unlikely", "highly improbable", 5, 20),
    "unlikely": ("unlikely", "improbable", 20, 45),
    "roughly even chance": ("roughly even chance", "roughly even odds", 45, 55),
    "likely": ("likely", "probable", 55, 80),
    "very likely": ("very likely", "highly probable", 80, 95),
    "almost certain": ("almost certain", "nearly certain", 95, 99),
}
LIKELIHOODS = tuple(LIKELIHOOD_BANDS)

# Every surface form a reader would recognise, mapped to its band and column
# (0 = ICD 203 term, 1 = alternative term).
ESTIMATIVE_FORMS: dict[str, tuple[str, int]] = {
    "almost no chance": ("almost no chance", 0),
    "remote": ("almost no chance", 1),
    "remotely": ("almost no chance", 1),
    "very unlikely": ("very unlikely", 0),
    "highly improbable": ("very unlikely", 1),
    "highly improbably": ("very unlikely", 1),
    "unlikely": ("unlikely", 0),
    "improbable": ("unlikely", 1),
    "improbably": ("unlikely", 1),
    "roughly even chance": ("roughly even chance", 0),
    "roughly even odds": ("roughly even chance", 1),
    "likely": ("likely", 0),
    "probable": ("likely", 1),
    "probably": ("likely", 1),
    "very likely": ("very likely", 0),
    "highly probable": ("very likely", 1),
    "highly probably": ("very likely", 1),
    "almost certain": ("almost certain", 0),
    "almost certainly": ("almost certain", 0),
    "nearly certain": ("almost certain", 1),
    "nearly certainly": ("almost certain", 1),
}

VAGUE_WORDS = ("may", "could", "possibly", "perhaps", "might")

CONFIDENCE_LEVELS = ("high", "moderate", "low")

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

TLP_LABELS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

# Labels that TLP 2.0 (FIRST, August 2022) renamed: old label -> (new label, why).
RENAMED_LABELS = {
    "TLP:WHITE": ("TLP:CLEAR", "TLP 2.0 (FIRST, 2022) renamed TLP:WHITE to TLP:CLEAR; "
                  "the meaning is unchanged (disclosure is not limited)"),
}

# FIRST TLP 2.0 colours: label text on black.
TLP_COLOURS = {
    "TLP:CLEAR": "#FFFFFF",
    "TLP:GREEN": "#33FF00",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:RED": "#FF2B2B",
}

# Classification schemes are data: ordered lowest to highest, with portion marks.
CLASSIFICATION_SCHEMES: dict[str, list[tuple[str, str]]] = {
    "us": [("UNCLASSIFIED", "U"), ("CONFIDENTIAL", "C"), ("SECRET", "S"), ("TOP SECRET", "TS")],
    "uk": [("OFFICIAL", "O"), ("OFFICIAL-SENSITIVE", "OS"), ("SECRET", "S"),
           ("TOP SECRET", "TS")],
}

# Caveats and dissemination controls a scheme knows: banner form → (portion form,
# category). Categories print in this order; within one, controls keep the order
# given here (US: the CAPCO register's order, SCI controls before dissemination
# controls; UK: descriptors before national caveats). `REL TO …` and `… EYES ONLY`
# carry a list of countries and are matched by pattern (see briefing/marks.py).
SCHEME_CONTROLS: dict[str, dict[str, tuple[str, str]]] = {
    "us": {
        "HCS": ("HCS", "sci"), "SI": ("SI", "sci"), "TK": ("TK", "sci"),
        "RSEN": ("RS", "dissem"), "FOUO": ("FOUO", "dissem"), "ORCON": ("OC", "dissem"),
        "IMCON": ("IMC", "dissem"), "NOFORN": ("NF", "dissem"), "PROPIN": ("PR", "dissem"),
        "REL TO": ("REL TO", "dissem"), "RELIDO": ("RELIDO", "dissem"),
        "DISPLAY ONLY": ("DISPLAY ONLY", "dissem"),
    },
    "uk": {
        "COMMERCIAL": ("COMMERCIAL", "descriptor"), "LOCSEN": ("LOCSEN", "descriptor"),
        "PERSONAL": ("PERSONAL", "descriptor"), "EYES ONLY": ("EYES ONLY", "caveat"),
    },
}

# Source types of the content model and the CSL type each becomes.
SOURCE_TYPES: dict[str, str] = {
    "news-article": "article-newspaper",
    "magazine-article": "article-magazine",
    "opinion-piece": "article-newspaper",
    "report": "report",
    "journal-article": "article-journal",
    "preprint": "article",
    "government-statement": "webpage",
    "press-release": "webpage",
    "web-page": "webpage",
    "blog-post": "post-weblog",
    "book": "book",
    "speech": "speech",
}

# Locator labels a citation may use, as CSL names them, with their short forms.
LOCATOR_LABELS: dict[str, str] = {
    "p.": "page", "pp.": "page", "page": "page",
    "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph",
    "sec.": "section", "section": "section",
    "ch.": "chapter", "chapter": "chapter",
    "line": "line", "l.": "line",
    "fig.": "figure", "figure": "figure",
    "n.": "note", "note": "note",
}

# The region a language is most often written in (CLDR's likely subtags), for tools
# such as Word that want a language tag with a region ("en" → "en-US").
LIKELY_REGIONS: dict[str, str] = {
    "ar": "SA", "be": "BY", "bg": "BG", "cs": "CZ", "da": "DK", "de": "DE", "el": "GR",
    "en": "US", "es": "ES", "et": "EE", "fa": "IR", "fi": "FI", "fr": "FR", "he": "IL",
    "hi": "IN", "hr": "HR", "hu": "HU", "id": "ID", "it": "IT", "ja": "JP", "kk": "KZ",
    "ko": "KR", "lt": "LT", "lv": "LV", "mk": "MK", "ms": "MY", "nb": "NO", "nl": "NL",
    "pl": "PL", "pt": "BR", "ro": "RO", "ru": "RU", "sk": "SK", "sl": "SI", "sr": "RS",
    "sv": "SE", "th": "TH", "tr": "TR", "uk": "UA", "vi": "VN", "zh": "CN",
}
# Languages written in Cyrillic.
CYRILLIC_LANGUAGES = frozenset({"be", "bg", "kk", "ky", "mk", "mn", "ru", "sr", "tg", "uk"})


def with_region(tag: str) -> str:
    """A BCP 47 tag with a region: 'en' → 'en-US', 'uk' → 'uk-UA'; 'en-GB' as it is."""
    language, _, rest = tag.partition("-")
    if rest or language.lower() not in LIKELY_REGIONS:
        return tag
    return f"{language.lower()}-{LIKELY_REGIONS[language.lower()]}"
