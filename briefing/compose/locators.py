"""A citation's locator written so that pandoc's citeproc reads it back exactly.

Pandoc has no locator field in a citation: it parses the locator out of the
citation's suffix, matching the words before the number against the terms of the
style's locale (`Text.Pandoc.Citeproc.Locator`: "p." and "page" are a page in
English, "S." and "Seite" in German). So a locator is written in pandoc's
delimited form, `{TERM VALUE}`, with a TERM the locale maps back to the label;
the terms come from the CSL locales pandoc embeds (`briefing/data/
csl-locator-terms.json`, made by `python -m briefing.compose.locators LOCALES`
from the `locales/` folder of jgm/citeproc at the version pandoc ships) and from
the style's own `<locale>` elements, merged as citeproc merges them.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "csl-locator-terms.json"
# The labels pandoc can read from a suffix, in its order (the first wins a tie).
LOCATOR_TERMS = ("book", "chapter", "column", "figure", "folio", "issue", "line", "note",
                 "opus", "page", "number-of-pages", "paragraph", "part", "section",
                 "sub-verbo", "verse", "volume")
_NS = "{http://purl.org/net/xbiblio/csl}"


@lru_cache(maxsize=1)
def _locales() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def locale_language(lang: str) -> str:
    """The embedded locale citeproc uses for `lang`: itself, its primary dialect
    ("de" → "de-DE"), else en-US."""
    data = _locales()
    if lang in data["terms"]:
        return lang
    primary = data["primary-dialects"].get(lang.split("-")[0])
    return primary if primary in data["terms"] else "en-US"


def style_terms(style_text: str, lang: str) -> list[dict[str, list[str]]]:
    """The locator terms of the style's own `<locale>` elements that apply to `lang`,
    in citeproc's order of precedence: exact language, primary dialect, bare
    language, no language."""
    from lxml import etree

    root = etree.fromstring(style_text.encode("utf-8"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    base = lang.split("-")[0]
    primary = _locales()["primary-dialects"].get(base)
    ranked: list[tuple[int, dict[str, list[str]]]] = []
    for locale in root.iter(f"{_NS}locale"):
        code = locale.get("{http://www.w3.org/XML/1998/namespace}lang")
        rank = (0 if code == lang else 1 if code and code == primary and primary != lang
                else 2 if code == base else 3 if not code else None)
        if rank is not None:
            ranked.append((rank, _terms_of(locale)))
    return [terms for _, terms in sorted(ranked, key=lambda pair: pair[0])]


def _terms_of(element) -> dict[str, list[str]]:
    """Every value (long, short, symbol; singular and plural) of each locator term."""
    terms: dict[str, list[str]] = {}
    for term in element.iter(f"{_NS}term"):
        name = term.get("name")
        if name not in LOCATOR_TERMS:
            continue
        parts = [child.text or "" for child in term if child.tag in (f"{_NS}single",
                                                                     f"{_NS}multiple")]
        terms.setdefault(name, []).extend(parts or [term.text or ""])
    return terms


def locator_map(lang: str, overrides: list[dict[str, list[str]]]) -> dict[str, str]:
    """Term value (case-folded) → locator label, as pandoc's `toLocatorMap` builds it."""
    merged: dict[str, list[str]] = {}
    for terms in [*overrides, _locales()["terms"][locale_language(lang)]]:
        for name, values in terms.items():
            merged.setdefault(name, []).extend(values)
    found: dict[str, str] = {}
    for name in reversed(LOCATOR_TERMS):
        for value in merged.get(name, []):
            found[value.strip().casefold()] = name
    return found


def label_term(label: str, lang: str, overrides: list[dict[str, list[str]]]) -> str | None:
    """A term pandoc reads as `label` in this locale (its long singular form where that
    is unambiguous), or None where the locale has none."""
    names = locator_map(lang, overrides)
    candidates = [v for terms in [*overrides, _locales()["terms"][locale_language(lang)]]
                  for v in terms.get(label, [])]
    return next((v.strip() for v in candidates
                 if v.strip() and names.get(v.strip().casefold()) == label), None)


def generate(folder: Path) -> dict:
    """The data file's content from a folder of CSL locale files (jgm/citeproc's)."""
    from lxml import etree

    terms = {}
    for path in sorted(folder.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        terms[path.stem] = _terms_of(root)
    dialects = json.loads((folder / "locales.json").read_text("utf-8"))["primary-dialects"]
    return {"source": "locales/ of https://github.com/jgm/citeproc (citeproc 0.13, as "
                      "pandoc 3.9 embeds it), from the CSL locales, CC BY-SA 3.0",
            "primary-dialects": dialects, "terms": terms}


def main(argv: list[str]) -> int:
    data = generate(Path(argv[0]))
    DATA.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                    "utf-8")
    print(f"{DATA}: {len(data['terms'])} locales")
    return 0


def escape_locator(value: str) -> str:
    """A locator value as pandoc's delimited form holds it (its braces balanced)."""
    return re.sub(r"[{}]", "", value)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
