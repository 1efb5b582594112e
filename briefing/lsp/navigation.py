"""Go to definition (a citation, `source:`/`via:` value or `supports:` id → the source,
judgment or alternative it names) and find references (a source → every citation of
it and every `source:`/`via:` that names it)."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.core.findings import Place

from .documents import TextOf, file_of, lines_of
from .scopes import citations, enclosing_keys, token_at
from .spans import Position, Span, scalar_index
from .state import BriefState, Entry

Location = tuple[Path, Span]
_NAMED_BY = re.compile(r"^\s*(?:-\s+)?(?:source|via)\s*:\s*[\"']?(?P<id>[^\s\"'#]+)")


def target(lines: list[str], position: Position, state: BriefState) -> tuple[str, Entry] | None:
    """What the id under `position` names: ('source' or 'judgment', its entry)."""
    token = token_at(lines, position)
    if token is None or token.kind not in ("citation", "value"):
        return None
    keys = enclosing_keys(lines, position[0]) if token.kind == "value" else ("@",)
    index = state.index
    if keys[-1] in ("@", "source", "via") or keys[-2:] == ("sources", "id"):
        entry = index.sources.get(token.text)
        return ("source", entry) if entry else None
    if keys[-1] == "supports" or keys[-2:] in (("key_judgments", "id"),
                                               ("alternative_views", "id")):
        entry = index.judgments.get(token.text) or index.alternatives.get(token.text)
        return ("judgment", entry) if entry else None
    return None


def definition(lines: list[str], position: Position, state: BriefState,
               text_of: TextOf) -> Location | None:
    found = target(lines, position, state)
    return place_location(found[1].place, state, text_of) if found else None


def references(lines: list[str], position: Position, state: BriefState, text_of: TextOf,
               declaration: bool) -> list[Location]:
    """Every citation of the source under `position`, every `source:` and `via:` naming
    it, and (with `declaration`) its own id."""
    found = target(lines, position, state)
    if found is None or found[0] != "source":
        return []
    ident = found[1].ident
    places: list[Location] = []
    for file in state.files:
        file_lines = lines_of(text_of(file))
        places += [(file, span) for key, span in citations(file_lines) if key == ident]
        for number, text in enumerate(file_lines):
            named = _NAMED_BY.match(text)
            if named and named["id"] == ident:
                places.append((file, Span((number, named.start("id")),
                                          (number, named.end("id")))))
    if declaration:
        own = place_location(found[1].place, state, text_of)
        if own:
            places.append(own)
    return sorted(places, key=lambda p: (str(p[0]), p[1].start))


def place_location(place: Place, state: BriefState, text_of: TextOf) -> Location | None:
    """The file and span of the value at `place`."""
    file = file_of(place.path, state.files)
    if file is None:
        return None
    text = text_of(file)
    start = (place.line - 1, place.col - 1)
    scalar = next((s for s in scalar_index(text).scalars if s.span.start == start), None)
    return (file, scalar.span if scalar else Span(start, start))
