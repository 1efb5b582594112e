"""The numbers and colours of a layout, checked against what makes sense on its page.

A margin wider than the page, an indent wider than the text, a leading that stacks
lines on each other or a text colour that vanishes into its background would reach
a renderer, which fails with its own words (python-docx: "value must be in range
…"; ReportLab: "Flowable … too large") or draws a page no one can read. Each is
found here instead, when the layout is loaded (`validate` and `build` alike), as an
error at the value in layout.yaml that names the value and the range it must lie in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from briefing.core.findings import Finding, Place

from .yamlpos import Located

#: Width and height of each page size, in millimetres.
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
PT_PER_MM = 72 / 25.4
#: The least a margin may be, and the least text a page keeps between its margins.
MIN_MARGIN_MM = 5.0
MIN_TEXT_WIDTH_MM = 80.0
MIN_TEXT_HEIGHT_MM = 100.0
#: Font sizes, in points: smaller is not legible, larger does not fit a heading.
FONT_SIZES_PT = (4.0, 96.0)
#: Leading as a multiple of the font size: tighter stacks lines on one another.
LEADING_FACTORS = (0.8, 4.0)
#: Where the marking banner sits: this far from the page's edge, inside the margin.
BANNER_OFFSET_MM = 5.0
MIN_BANNER_MM = 2.0
#: WCAG 2.1's least contrast for large text (1.4.3): lighter text cannot be read.
MIN_CONTRAST = 3.0
WHITE = "#FFFFFF"


def range_findings(layout, located: Located,
                   resolve: Callable[[object, str], dict]) -> Iterator[Finding]:
    """An error for each value of `layout` (a load.layout.Layout) outside its range;
    `resolve(layout, name)` gives a style's values with what it inherits."""
    checker = _Checker(layout, located, resolve)
    page = list(checker.page())
    yield from page
    if page:  # the text area is not known: the rest would only echo it
        return
    yield from checker.styles()
    yield from checker.boxes()
    yield from checker.marking()


def text_area_pt(layout) -> tuple[float, float]:
    """Width and height of the text between the margins, in points."""
    width, height = PAGE_SIZES_MM[layout.page.size]
    page = layout.page
    return ((width - page.margin_left - page.margin_right) * PT_PER_MM,
            (height - page.margin_top - page.margin_bottom) * PT_PER_MM)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1's contrast ratio of two #RRGGBB colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _n(value: float) -> str:
    """A number as a reader writes it: 24, 0.01, 136.1, 18,000."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


class _Checker:
    def __init__(self, layout, located: Located, resolve: Callable[[object, str], dict]):
        self.layout = layout
        self.located = located
        self.resolve = resolve

    def _error(self, path: tuple, message: str) -> Finding:
        """An error at `path`'s value (or its nearest written ancestor)."""
        place = self.located.place(path) or Place("layout.yaml")
        return Finding(place, "error", message, rule="BR812")

    def _outside(self, path: tuple, what: str, value: float, low: float, high: float,
                 unit: str, why: str = "") -> Iterator[Finding]:
        if low - 1e-9 <= value <= high + 1e-9:
            return
        reason = f" ({why})" if why else ""
        allowed = (f"it must be {_n(low)} to {_n(high)} {unit}{reason}" if low <= high else
                   f"no value fits{reason}")
        yield self._error(path, f"{what} is {_n(value)} {unit}; {allowed}")

    # -- the page --

    def page(self) -> Iterator[Finding]:
        page = self.layout.page
        width, height = PAGE_SIZES_MM[page.size]
        for first, second, extent, least, side in (
                ("margin_left", "margin_right", width, MIN_TEXT_WIDTH_MM, "wide"),
                ("margin_top", "margin_bottom", height, MIN_TEXT_HEIGHT_MM, "high")):
            pair = sorted(((first, second), (second, first)),  # the larger one first:
                          key=lambda names: -getattr(page, names[0]))  # it is the culprit
            for name, other in pair:
                value, beside = getattr(page, name), getattr(page, other)
                high = extent - max(beside, MIN_MARGIN_MM) - least
                why = (f"on a{'n' if page.size == 'A4' else ''} {page.size} page, "
                       f"{_n(extent)} mm {side}, with {other} {_n(beside)} mm: the text keeps "
                       f"at least {_n(least)} mm")
                found = list(self._outside(("page", name), f"'{name}' of the page", value,
                                           MIN_MARGIN_MM, high, "mm", why))
                yield from found
                if found and value > high:  # one of the pair says it
                    break

    # -- named styles --

    def styles(self) -> Iterator[Finding]:
        width, height = text_area_pt(self.layout)
        for name, style in self.layout.styles.items():
            values = self.resolve(self.layout, name)
            path = ("styles", name)
            yield from self._size(path, name, style, values)
            yield from self._spacing(path, name, style, height)
            yield from self._indents(path, name, style, values, width)
            yield from self._colour(path, name, style, values)

    def _written(self, path: tuple, style, key: str) -> tuple:
        """The place of `key` if the style writes it, else of the style itself."""
        return (*path, key) if getattr(style, key) is not None else path

    def _size(self, path, name, style, values) -> Iterator[Finding]:
        if style.size is not None:
            yield from self._outside((*path, "size"), f"'size' of style '{name}'", style.size,
                                     *FONT_SIZES_PT, "pt")
        if style.leading is None and (style.size is None or not self._leading_fits(
                self._leading_source(name))):
            return  # the style it inherits both from (or a wrong leading from) says it
        size, leading = values.get("size"), values.get("leading")
        if size is None or leading is None or not FONT_SIZES_PT[0] <= size:
            return
        low, high = (factor * size for factor in LEADING_FACTORS)
        source = self._leading_source(name)
        inherited = (f"; it inherits this leading from '{source}': set 'leading' for it"
                     if source != name else "")
        yield from self._outside(
            self._written(path, style, "leading"), f"'leading' of style '{name}'", leading,
            low, high, "pt", f"{_n(LEADING_FACTORS[0])} to {_n(LEADING_FACTORS[1])} times its "
            f"size of {_n(size)} pt{inherited}")

    def _leading_source(self, name: str) -> str:
        """The style whose `leading` style `name` has (itself, or the one it inherits from)."""
        seen = set()
        while name not in seen:
            seen.add(name)
            style = self.layout.styles.get(name)
            if style is None or style.leading is not None:
                return name
            name = style.based_on or ("Body" if name != "Body" else name)
        return name

    def _leading_fits(self, name: str) -> bool:
        """Whether style `name`'s own leading lies in the range its size allows."""
        values = self.resolve(self.layout, name)
        size, leading = values.get("size"), values.get("leading")
        if size is None or leading is None:
            return True
        return LEADING_FACTORS[0] * size <= leading <= LEADING_FACTORS[1] * size

    def _spacing(self, path, name, style, height) -> Iterator[Finding]:
        for key in ("space_before", "space_after"):
            value = getattr(style, key)
            if value is not None:
                yield from self._outside((*path, key), f"'{key}' of style '{name}'", value, 0,
                                         height / 4, "pt", "at most a quarter of the text's "
                                         f"height, {_n(height)} pt")

    def _indents(self, path, name, style, values, width) -> Iterator[Finding]:
        """Indents leave the lines at least half of the text's width, and the first line
        starts at or right of the margin."""
        left, right = values.get("indent_left", 0), values.get("indent_right", 0)
        first = values.get("first_line_indent", 0)
        keep = width / 2
        for key, value, beside, other in (("indent_left", left, right, "indent_right"),
                                          ("indent_right", right, left, "indent_left")):
            if getattr(style, key) is not None:
                yield from self._outside(
                    (*path, key), f"'{key}' of style '{name}'", value, 0, width - keep - beside,
                    "pt", f"with {other} {_n(beside)} pt, the lines keep at least half of the "
                    f"text's width, {_n(width)} pt")
        if style.first_line_indent is not None and 0 <= left <= width - keep - right:
            yield from self._outside(
                (*path, "first_line_indent"), f"'first_line_indent' of style '{name}'", first,
                -left, width - keep - left - right, "pt", f"with indent_left {_n(left)} pt, the "
                "first line starts at the margin or right of it and keeps half of the text's "
                "width")

    def _colour(self, path, name, style, values) -> Iterator[Finding]:
        """The text's contrast with what it stands on, said by the style that sets the
        colour or the background (a style inheriting both leaves it to its parent)."""
        colour = values.get("colour")
        if colour is None or name == "Marking":  # the banner takes the marking's colours
            return
        if style.colour is None and style.background is None and name != "Table Header":
            return
        background = values.get("background") or (
            self.layout.colours.table_header if name == "Table Header" else WHITE)
        ratio = contrast(colour, background)
        if ratio < MIN_CONTRAST:
            where = ("its background" if values.get("background") else
                     "the table header's colour" if name == "Table Header" else "the page")
            yield self._error((*path, "colour"), f"'colour' of style '{name}' is {colour}, "
                              f"whose contrast with {where} ({background}) is {ratio:.1f}:1; "
                              f"it must be at least {_n(MIN_CONTRAST)}:1 (WCAG 2.1's least "
                              "for large text) or the text cannot be read")

    # -- boxes and the banner --

    def boxes(self) -> Iterator[Finding]:
        width, _ = text_area_pt(self.layout)
        for name, box in self.layout.boxes.items():
            path = ("boxes", name)
            yield from self._outside((*path, "border_width"), f"'border_width' of box style "
                                     f"'{name}'", box.border_width, 0, 12, "pt")
            yield from self._outside((*path, "padding"), f"'padding' of box style '{name}'",
                                     box.padding, 0, width / 8, "pt", "at most an eighth of "
                                     f"the text's width, {_n(width)} pt")

    def marking(self) -> Iterator[Finding]:
        page, marking = self.layout.page, self.layout.marking
        room = min(page.margin_top, page.margin_bottom) - BANNER_OFFSET_MM
        yield from self._outside(("marking", "height"), "'height' of the marking banner",
                                 marking.height, MIN_BANNER_MM, room, "mm",
                                 f"it sits {_n(BANNER_OFFSET_MM)} mm from the page's edge, "
                                 "within the top and bottom margins")
        band = marking.height * PT_PER_MM
        if MIN_BANNER_MM <= marking.height <= room:
            yield from self._outside(("marking", "size"), "'size' of the marking banner",
                                     marking.size, FONT_SIZES_PT[0], band, "pt",
                                     f"the label fits the banner's height, {_n(band)} pt")
