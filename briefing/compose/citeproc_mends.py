"""Where citeproc-py departs from the CSL specification, mended inside it while it runs.

Most of citeproc-py's slips are mended on its output (`cite_fixes`); these two
cannot be, because the information is gone by then: which given names a style
wants spelled out, and which variables a `<substitute>` already printed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

from citeproc.model import CitationStylesElement, Key, Name, Substitute

_NS = "{http://purl.org/net/xbiblio/csl}"
_INITIALIZE = Name.initialize
_REPRESS = Substitute.add_to_repressed_list
_SORT_KEYS = Key.sort_keys
_LEADING = re.compile(r"^[\W_]+")
_TAG = re.compile(r"<[^>]*>")


@contextmanager
def mended_citeproc() -> Iterator[None]:
    """citeproc-py with `initialize="false"`, substitution suppression and sort keys
    compared on their letters, for a run."""
    Name.initialize = initialize
    Substitute.add_to_repressed_list = repress_substituted
    Key.sort_keys = sort_keys
    try:
        yield
    finally:
        Name.initialize = _INITIALIZE
        Substitute.add_to_repressed_list = _REPRESS
        Key.sort_keys = _SORT_KEYS
        _CALLED.clear()


def initialize(name: Name, given: str, mark: str, context) -> str:
    """citeproc-py ignores `initialize="false"`, so Chicago's "Raphael Degraeve" came
    out as "R. Degraeve": with it, a given name stays whole and only a bare initial
    ("James T") gets the mark (CSL 1.0.2, name options)."""
    if name.get("initialize", "true").lower() != "false":
        return _INITIALIZE(name, given, mark, context)
    parts = []
    for part in given.split():
        bare = part.rstrip(".")
        parts.append(bare + mark.rstrip() if len(bare) == 1 and bare.isalpha() else part)
    return " ".join(parts)


def sort_keys(key: Key, items: list, context) -> list:
    """A text sort key is the text a macro prints, without the output format's markup
    (citeproc-py compared "<i>Title" with "Name"), compared from its first letter or
    digit as collations (citeproc-js's, ICU's) ignore punctuation: APA's
    "[Description of a report]" sorts under "D"; the order is still the style's own."""
    return [_LEADING.sub("", html.unescape(_TAG.sub("", str(value))))
            if isinstance(value, str) else value
            for value in _SORT_KEYS(key, items, context)]


def repress_substituted(substitute: Substitute, child: CitationStylesElement,
                        context) -> None:
    """CSL: a variable printed in place of a missing author is suppressed in the rest of
    the citation. citeproc-py does so only for a bare `<text variable>`; styles that
    substitute a macro (Chicago, OSCOLA) printed an authorless work's title twice."""
    repressed = context.get_layout().repressed
    for tag, variable in called_variables(child):
        names = repressed.setdefault(tag, [])
        if variable not in names:
            names.append(variable)


# (tag, variable) pairs an element prints, by element, for the run under way: a style's
# macros call each other many times over, and walking them afresh for every
# substitution took seconds per brief.
_CALLED: dict[CitationStylesElement, tuple[tuple[str, str], ...]] = {}


def called_variables(element: CitationStylesElement) -> tuple[tuple[str, str], ...]:
    """(tag, variable) of every `text` and `names` the element prints, macros followed,
    each once, in document order."""
    return _walk(element, frozenset())[0]


def _walk(element: CitationStylesElement,
          seen: frozenset) -> tuple[tuple[tuple[str, str], ...], bool]:
    """`called_variables`, and whether a (malformed, recursive) macro cut the walk short;
    complete walks are remembered for the run."""
    if element in _CALLED:
        return _CALLED[element], False
    found: dict[tuple[str, str], None] = {}
    cut = False
    if element.tag in (_NS + "text", _NS + "names") and element.get("variable"):
        for variable in element.get("variable").split():
            found[element.tag, variable] = None
    macro = element.get("macro") if element.tag == _NS + "text" else None
    parts = [(child, seen) for child in element.iterchildren()
             if isinstance(child, CitationStylesElement)]
    if macro and macro in seen:
        cut = True
    elif macro:
        parts.insert(0, (element.get_macro(macro), seen | {macro}))
    for part, within in parts:
        pairs, part_cut = _walk(part, within)
        found.update(dict.fromkeys(pairs))
        cut = cut or part_cut
    result = tuple(found)
    if not cut:
        _CALLED[element] = result
    return result, cut


def add_year_suffixes(bib, keys: list[str]) -> None:
    """CSL `disambiguate-add-year-suffix`, which citeproc-py leaves out: works whose
    citations read alike ("Reuters, 2023" twice) get "a", "b" … after the year, in the
    order of the reference list, in citations and entries alike (CSL 1.0.2,
    disambiguation, step 4). The names and given-name steps are not done."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

    style = bib.style
    citation = style.root.citation
    if citation is None or \
            citation.get("disambiguate-add-year-suffix", "false").lower() != "true":
        return
    probe = CitationStylesBibliography(style, bib.source, formatter.html)
    alone = [Citation([CitationItem(key)]) for key in keys]  # each cited once: "first"
    for citation in alone:
        probe.register(citation)
    texts: dict[str, list[str]] = {}
    for citation in alone:
        texts.setdefault(str(probe.cite(citation, lambda item: None)), []).append(
            citation.cites[0].key)
    alike = [group for group in texts.values() if len(group) > 1]
    if not alike:
        return
    if style.has_bibliography():
        probe.sort()
    order = [item.key for item in probe.items] if style.has_bibliography() else probe.keys
    for group in alike:
        for index, key in enumerate(sorted(group, key=order.index)):
            bib.source[key]["year_suffix"] = _letters(index)


def _letters(index: int) -> str:
    """a … z, aa, ab … (CSL's year-suffix sequence)."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
