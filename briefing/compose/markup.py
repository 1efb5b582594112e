"""The block markup a layout's template writes: parsed, read, and placed in the output.

The composer reads every attribute through the readers here (`whole`, `numbers`,
`one_of`), so a value it cannot use (`<h level="x">`, `<table widths="1,-2">`) is a
`MarkupError` naming the element and the value, never a ValueError from deep inside.
A MarkupError knows where in the output it stands (`offset`); the composer turns that
into the line of the template that wrote it (`template_trace`).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from xml.parsers import expat


class MarkupError(Exception):
    """Markup the composer cannot use: the message, and the element (or output offset)
    it concerns."""

    def __init__(self, message: str, element: ET.Element | None = None,
                 offset: int | None = None):
        super().__init__(message)
        self.message = message
        self.element = element
        self.offset = offset


#: What a template author can do about expat's complaints.
HINTS = {
    "invalid token": " (a '<' or '&' that begins no tag or entity: write &lt; or &amp;)",
    "undefined entity": " (XML knows only &lt; &gt; &amp; &quot; &apos; and &#…;)",
    "junk after document element": " (the output holds more than one element at the top)",
    "no element found": " (the output is empty or ends inside an element)",
}


def parse(markup: str) -> ET.Element:
    """The template's output as XML; MarkupError (at the offset) if not well-formed."""
    try:
        return ET.fromstring(markup)
    except ET.ParseError as exc:
        line, column = exc.position
        offset = _offset(markup, line, column)
        reason = str(exc).split(":")[0]
        unclosed = _unclosed(markup) if reason == "mismatched tag" else None
        if unclosed is not None:
            tag, start, found = unclosed
            raise MarkupError(f"the template's output is not well-formed XML: <{tag}> is not "
                              f"closed before </{found}>", offset=start) from None
        reason = reason.removeprefix("not well-formed").strip(" ()")
        hint = HINTS.get(reason, "")
        raise MarkupError(f"the template's output is not well-formed XML: {reason}{hint}",
                          offset=offset) from None


def _unclosed(markup: str) -> tuple[str, int, str] | None:
    """(tag, offset, the end tag met instead) of the element that a mismatched end tag
    leaves open: the one a template forgot to close."""
    data = markup.encode("utf-8")
    parser = expat.ParserCreate()
    opened: list[tuple[str, int]] = []

    def start(name, attributes):
        opened.append((name, parser.CurrentByteIndex))

    def end(name):
        if opened:
            opened.pop()

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        if not opened:
            return None
        tag, byte = opened[-1]
        index = parser.ErrorByteIndex  # just after the "</" of the end tag met
        met = data[index:index + 200].decode("utf-8", "replace").split(">", 1)[0].strip()
        return tag, len(data[:byte].decode("utf-8", "replace")), met
    return None


def _offset(text: str, line: int, column: int) -> int:
    """The character offset of (1-based `line`, 0-based `column`) in `text`."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + column, len(text))


def element_offset(markup: str, root: ET.Element, element: ET.Element) -> int | None:
    """Where `element` (of `root`, parsed from `markup`) starts in `markup`: the same
    markup is read again, counting start tags to the element's (document order)."""
    index = next((i for i, el in enumerate(root.iter()) if el is element), None)
    if index is None:
        return None
    data = markup.encode("utf-8")
    parser = expat.ParserCreate()
    found: list[int] = []
    seen = [0]

    def start(name, attributes):
        if seen[0] == index and not found:
            found.append(parser.CurrentByteIndex)
        seen[0] += 1

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        pass
    return len(data[:found[0]].decode("utf-8", "replace")) if found else None


def _shown(element: ET.Element) -> str:
    return f"<{element.tag}>"


def whole(element: ET.Element, name: str, default: int | None, low: int = 0,
          high: int | None = None) -> int:
    """The attribute `name` as a whole number from `low` to `high` (`default` if absent;
    a default of None makes it required)."""
    text = element.get(name)
    if text is None and default is not None:
        return default
    text = text or ""
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise MarkupError(f"{name}=\"{text}\" of {_shown(element)} must be a whole number "
                          f"{bound}", element)
    return value


def numbers(element: ET.Element, name: str) -> tuple[float, ...]:
    """The attribute `name` as comma-separated positive numbers (none if absent)."""
    text = element.get(name, "")
    values = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            raise MarkupError(f"{name}=\"{text}\" of {_shown(element)} must be positive "
                              f"numbers separated by commas; '{part}' is not one", element)
        values.append(value)
    return tuple(values)


def one_of(element: ET.Element, name: str, allowed) -> str | None:
    """The attribute `name`, which must be one of `allowed` (None if absent or empty)."""
    text = element.get(name) or None
    if text is not None and text not in allowed:
        raise MarkupError(f"{name}=\"{text}\" of {_shown(element)} must be one of "
                          f"{', '.join(map(repr, allowed))}", element)
    return text
