"""Which line of which template wrote a given part of a template's output.

jinja2 compiles a template to a Python generator and keeps, for each template, the
map from the generated code's lines to the template's own. A paused generator's
frame says which statement wrote the piece it last yielded; walking from
`Template.generate` inward (through blocks, `extends` and includes) reaches the
innermost template. Rendering again and stopping at an offset of the output gives
the line that wrote it: how an error found in the output (a block the composer does
not know, markup that is not well-formed) is put at the template's line. Only an
error pays for it; a template's run never does.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator, Iterator
from contextlib import closing


def writing_line(stream) -> tuple[str, int] | None:
    """(template file, line) of the statement that wrote the last piece `stream` (a
    paused `Template.generate` generator) yielded; None when it has ended."""
    found = None
    generator = stream
    while generator is not None and generator.gi_frame is not None:
        frame = generator.gi_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            found = (template.filename or template.name,
                     template.get_corresponding_lineno(frame.f_lineno))
        inner = generator.gi_yieldfrom
        if inner is None:  # an include runs as `for event in gen: yield event`
            candidate = frame.f_locals.get("gen")
            inner = candidate if inspect.isgenerator(candidate) else None
        generator = inner
    return found


def line_at(written: Iterator[tuple[int, str, Generator]],
            offset: int) -> tuple[str, int] | None:
    """(template file, line) that wrote character `offset` of a template's output, as
    `written` (template_budget.pieces: a run of it again, identical, since a template is
    a pure function of its variables) writes it."""
    with closing(written):
        for end, chunk, stream in written:
            if end > offset:
                where = writing_line(stream)
                if where is None:
                    return None
                following = next(written, None)  # the next piece starts at or after it
                after = writing_line(following[2]) if following is not None else None
                last = after[1] if after is not None and after[0] == where[0] else None
                return where[0], _line_within(where, chunk, offset - (end - len(chunk)), last)
    return None


def _line_within(where: tuple[str, int], chunk: str, at: int, last: int | None) -> int:
    """The line of the template text a piece of output holding several lines came from.
    jinja2 numbers a piece by the line it starts on; the piece's text is the template's
    less some whitespace (comments and `-` trim it), so character `at` stands at or
    after that line plus the line breaks before it, and before the next piece's line
    (`last`): found there by the text around it."""
    file, first = where
    least = first + chunk[:at].count("\n")
    start = chunk.rfind("\n", 0, at) + 1
    end = chunk.find("\n", at)
    line = chunk[start:end if end >= 0 else len(chunk)]
    column = at - start
    needles = [n for n in (line.strip(), line[:column].strip()[-40:], line[column:].strip()[:40])
               if n]
    try:
        with open(file, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return least
    span = range(least, min(last or len(lines), len(lines)) + 1)
    for needle in needles:
        for number in span:
            if needle in lines[number - 1]:
                return number
    return least
