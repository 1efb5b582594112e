"""Where a quotation stands in an archived text, by standard quoting practice.

Accepted, without giving up exactness elsewhere: an ellipsis (`…`, `...`, `[…]`)
for omitted words; a bracketed insertion (`[North Korea’s]`, `[T]he`) standing
for at most a few words of the source; `[sic]`; and a changed case of the first
letter of the quotation or of a part after an ellipsis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .archive import ArchivedText, normalise

SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
GAP = re.compile(r"(\s*(?:…|\.\s?\.\s?\.|\[…\]|\[\.\.\.\])\s*)|(\[[^\]]*\])")
INSERTION_SPAN = 60  # characters of the source a bracketed insertion may stand for


@dataclass(frozen=True)
class Part:
    text: str
    after_ellipsis: bool  # else after an insertion (or the first part)
    case_free: bool  # its first letter may differ in case


def parts(quote: str) -> list[Part]:
    """The verbatim pieces of a quotation, and what separates each from the last."""
    pieces: list[Part] = []
    position, ellipsis = 0, False
    quote = SIC.sub("", quote)
    for match in GAP.finditer(quote):
        text = normalise(quote[position:match.start()])
        if text:
            pieces.append(Part(text, ellipsis, not pieces or ellipsis))
            ellipsis = False
        ellipsis = ellipsis or match.group(1) is not None
        position = match.end()
    text = normalise(quote[position:])
    if text:
        pieces.append(Part(text, ellipsis, not pieces or ellipsis))
    return pieces


def _find(haystack: str, part: Part, start: int) -> int:
    found = haystack.find(part.text, start)
    if part.case_free and part.text[:1].isalpha():
        other = part.text[0].swapcase() + part.text[1:]
        alt = haystack.find(other, start)
        if alt >= 0 and (found < 0 or alt < found):
            return alt
    return found


def find_quote(quote: str, archived: ArchivedText) -> int | None:
    """Offset in the normalised text where the quote's first part starts, or None.

    An ellipsis stands for omitted text, a bracketed insertion for a few words,
    `[sic]` for nothing, and the first letter may change case (see `parts`).
    """
    spans = quote_spans(quote, archived)
    return spans[0][0] if spans else None


def quote_spans(quote: str, archived: ArchivedText) -> list[tuple[int, int]] | None:
    """(start, end) in the normalised text of each part of the quotation, or None.

    Prefers a match that stays within one paragraph when there are several.
    """
    haystack = archived.normalised
    pieces = parts(quote)
    if not pieces:
        return None
    fallback = None
    first = _find(haystack, pieces[0], 0)
    while first >= 0:
        spans = _rest(haystack, pieces, first)
        if spans is not None:
            if len({archived.paragraph_of(s) for s, _ in spans}) == 1:
                return spans
            fallback = fallback or spans
        first = _find(haystack, pieces[0], first + 1)
    return fallback


def _rest(haystack: str, pieces: list[Part], first: int) -> list[tuple[int, int]] | None:
    spans = [(first, first + len(pieces[0].text))]
    for part in pieces[1:]:
        end = spans[-1][1]
        found = _find(haystack, part, end)
        if found < 0 or (not part.after_ellipsis and found - end > INSERTION_SPAN):
            return None
        spans.append((found, found + len(part.text)))
    return spans


def paragraphs_joined(spans: list[tuple[int, int]], archived: ArchivedText) -> list[int]:
    """The paragraph numbers a quotation's parts come from, in order, once each."""
    numbers: list[int] = []
    for start, end in spans:
        for number in (archived.paragraph_of(start), archived.paragraph_of(max(start, end - 1))):
            if number not in numbers:
                numbers.append(number)
    return numbers
