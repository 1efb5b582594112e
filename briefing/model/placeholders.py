"""Header and footer patterns: `{title}`, `{page}` … filled in without `str.format`.

A layout's header and footer name placeholders in braces; `{{` and `}}` are
literal braces. Content filled into a pattern is escaped first, so a title such
as "The {X} Problem" or "{page}" prints as written: content never reaches
`str.format`, and never becomes a page-number field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Every placeholder a header or footer may name.
NAMES = ("title", "edition", "date", "page", "pages")
#: The ones each renderer draws as page-number fields.
PAGE_FIELDS = ("page", "pages")

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Field:
    """A `{page}` or `{pages}` place in a filled pattern."""

    name: str


def problems(pattern: str) -> list[str]:
    """What is wrong with a layout's header or footer pattern (empty if nothing)."""
    found = []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            found.append(f"a lone '{token}' at column {match.start() + 1}; write '{token * 2}' "
                         "for a literal brace")
        elif match.group(1) not in NAMES:
            known = ", ".join(f"{{{n}}}" for n in NAMES)
            found.append(f"unknown placeholder '{token}'; the known ones are {known} "
                         "(write '{{' and '}}' for literal braces)")
    return found


def escape(text: str) -> str:
    """Content as pattern text: its braces doubled, so they print as written."""
    return text.replace("{", "{{").replace("}", "}}")


def fill(pattern: str, values: dict[str, str]) -> str:
    """The pattern with the names in `values` filled in (escaped, so the result is
    still a pattern); other placeholders are kept. Raises ValueError on a problem."""
    bad = problems(pattern)
    if bad:
        raise ValueError(bad[0])

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return escape(values[name]) if name in values else match.group(0)

    return _TOKEN.sub(one, pattern)


def pieces(pattern: str) -> list[str | Field]:
    """The pattern as literal text and fields, in order (adjacent text joined).

    Placeholders that are not page fields should have been filled in; one left
    over is kept as its literal text."""
    out: list[str | Field] = []
    position = 0
    for match in _TOKEN.finditer(pattern):
        _text(out, pattern[position:match.start()])
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            _text(out, token[0])
        elif name in PAGE_FIELDS:
            out.append(Field(name))
        else:
            _text(out, token)
        position = match.end()
    _text(out, pattern[position:])
    return out


def _text(out: list[str | Field], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


def render(pattern: str, page: int | None = None, pages: str = "") -> str:
    """Plain text of a filled pattern: `{page}` as `page`, `{pages}` as `pages`."""
    return "".join(piece if isinstance(piece, str) else
                   (str(page) if piece.name == "page" else pages) for piece in pieces(pattern))
