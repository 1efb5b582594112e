"""Pandoc's JSON inlines, as pandoc's citeproc renders citations, into the document
tree's inlines, or into the HTML that CSL processors print (the form the CSL test
suite's results are written in).

Emphasis and strong emphasis toggle, as CSL's flip-flop wants: an emphasised word
inside an emphasised title is set upright. The tree keeps emphasis, strong
emphasis, links and notes; small capitals, superscripts, subscripts and
underlining keep their text. A display block's parts (a numbered list's label and
its text) are joined by the space pandoc puts between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import groupby

from . import tree as t

_QUOTES = {"DoubleQuote": ("“", "”"), "SingleQuote": ("‘", "’")}


# -- the document tree -----------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """A piece of text (or a note, a line break) and the looks it is set in."""

    node: t.Inline
    emph: bool = False
    strong: bool = False
    link: str = ""


def to_tree(inlines: list) -> tuple[t.Inline, ...]:
    """Tree inlines for pandoc inlines."""
    return _build(list(_runs(inlines, False, False, "")))


def _runs(inlines: list, emph: bool, strong: bool, link: str):
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            yield _Run(t.Text(content), emph, strong, link)
        elif kind in ("Space", "SoftBreak"):
            yield _Run(t.Text(" "), emph, strong, link)
        elif kind == "LineBreak":
            yield _Run(t.LineBreak(), emph, strong, link)
        elif kind in ("Code", "Math"):
            yield _Run(t.Text(content[1]), emph, strong, link)
        elif kind == "Emph":
            yield from _runs(content, not emph, strong, link)
        elif kind == "Strong":
            yield from _runs(content, emph, not strong, link)
        elif kind in ("SmallCaps", "Superscript", "Subscript", "Underline", "Strikeout"):
            yield from _runs(content, emph, strong, link)
        elif kind == "Span":
            yield from _runs(content[1], emph, strong, link)
        elif kind == "Quoted":
            opening, closing = _QUOTES[content[0]["t"]]
            yield _Run(t.Text(opening), emph, strong, link)
            yield from _runs(content[1], emph, strong, link)
            yield _Run(t.Text(closing), emph, strong, link)
        elif kind == "Link":
            yield from _runs(content[1], emph, strong, link or linked(content[2][0]))
        elif kind == "Cite":
            yield from _runs(content[1], emph, strong, link)
        elif kind == "Note":
            yield _Run(t.Footnote(to_tree(_note_inlines(content))))


#: A DOI's resolvers, as a style links them.
_RESOLVERS = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
#: What a DOI may hold unencoded in a URL's path (the DOI Handbook, 2.5.2.4: "%", '"',
#: "#", "?", spaces and the characters RFC 3986 does not allow are percent-encoded).
_DOI_SAFE = "/:;()&=+$,@!*'~-._"


def linked(target: str) -> str:
    """A link's address as a reader's software needs it: a DOI's address (which pandoc
    gives as the DOI is written, a SICI's < > # included) percent-encoded."""
    from urllib.parse import quote

    for resolver in _RESOLVERS:
        if target.startswith(resolver):
            return resolver + quote(target[len(resolver):], safe=_DOI_SAFE)
    return target


def _note_inlines(blocks: list) -> list:
    """A note's paragraphs as one run of inlines."""
    out: list = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            if out:
                out.append({"t": "Space"})
            out.extend(block["c"])
    return out


def _build(runs: list[_Run]) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for link, group in groupby(runs, key=lambda r: r.link):
        inner = _emphasised(list(group))
        out.extend([t.Link(link, inner)] if link else inner)
    return _merged(out)


def _emphasised(runs: list[_Run]) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for emph, group in groupby(runs, key=lambda r: r.emph):
        inner = _strong(list(group))
        out.extend([t.Emph(inner)] if emph else inner)
    return tuple(out)


def _strong(runs: list[_Run]) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for strong, group in groupby(runs, key=lambda r: r.strong):
        inner = _merged([r.node for r in group])
        out.extend([t.Strong(inner)] if strong else inner)
    return tuple(out)


def _merged(nodes: list[t.Inline]) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for node in nodes:
        if isinstance(node, t.Text) and out and isinstance(out[-1], t.Text):
            out[-1] = t.Text(out[-1].text + node.text)
        elif not (isinstance(node, t.Text) and not node.text):
            out.append(node)
    return tuple(out)


# -- CSL processors' HTML ----------------------------------------------------------------

_TOGGLES = {"Emph": ("<i>", "</i>", '<span style="font-style:normal;">', "</span>"),
            "Strong": ("<b>", "</b>", '<span style="font-weight:normal;">', "</span>"),
            "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>",
                          '<span style="font-variant:normal;">', "</span>")}
_WRAPS = {"Superscript": ("<sup>", "</sup>"), "Subscript": ("<sub>", "</sub>"),
          "Underline": ('<span style="text-decoration:underline;">', "</span>")}
_DISPLAY_BREAKS = {"csl-block": ("\n", "\n"), "csl-left-margin": ("\n", ""),
                   "csl-right-inline": ("", "\n"), "csl-indent": ("", "\n")}
_DISPLAYS = tuple(_DISPLAY_BREAKS)
# Superscript letters and digits, printed as <sup> of their base (citeproc's table).
_SUPERSCRIPTS = dict(zip(
    "ª²³¹ºʰʱʲʳʴʵʶʷʸˠˡˢˣˤᴬᴭᴮᴰᴱᴲᴳᴴᴵᴶᴷᴸᴹᴺᴼᴽᴾᴿᵀᵁᵂᵃᵄᵅᵆᵇᵈᵉᵊᵋᵌᵍᵏᵐᵑᵒᵓᵔᵕᵖᵗᵘᵙᵚᵛᵜᵝᵞᵟᵠᵡ⁰ⁱ⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ"
    "㆒㆓㆔㆕㆖㆗㆘㆙㆚㆛㆜㆝㆞㆟ˀˁۥۦ",
    "a231ohɦjrɹɻʁwyɣlsxʕAÆBDEƎGHIJKLMNOȢPRTUWaɐɑᴂbdeəɛɜgkmŋoɔᴖᴗptuᴝɯvᴥβγδφχ0i456789+−=()n"
    "一二三四上中下甲乙丙丁天地人ʔʕوي", strict=True)) | {"℠": "SM", "™": "TM"}


def to_csl_html(inlines: list) -> str:
    """The HTML citeproc-js prints for the same text (the CSL test suite's form)."""
    return _html(inlines, frozenset())


def _html(inlines: list, active: frozenset) -> str:
    out = []
    for index, node in enumerate(inlines):
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append("".join(f"<sup>{_SUPERSCRIPTS[c]}</sup>" if c in _SUPERSCRIPTS
                               else escape(c, quote=False) for c in content))
        elif kind == "Space":
            out.append(" ")
        elif kind == "SoftBreak":  # a line break the style wrote ("&#x0A;")
            out.append("\n")
        elif kind in _TOGGLES:
            on, off, normal, end = _TOGGLES[kind]
            if kind in active:
                out.append(normal + _html(content, active - {kind}) + end)
            else:
                out.append(on + _html(content, active | {kind}) + off)
        elif kind in _WRAPS:
            out.append(_WRAPS[kind][0] + _html(content, active) + _WRAPS[kind][1])
        elif kind == "Span":
            out.append(_span_html(content, inlines[index + 1:], active))
        elif kind == "Quoted":
            opening, closing = _QUOTES[content[0]["t"]]
            out.append(opening + _html(content[1], active) + closing)
        elif kind in ("Link", "Cite"):
            out.append(_html(content[1], active))
        elif kind == "Note":
            out.append(_html(_note_inlines(content), active))
        elif kind in ("Code", "Math"):
            out.append(escape(content[1], quote=False))
    return "".join(out)


def _span_html(content: list, following: list, active: frozenset) -> str:
    (_, classes, _), children = content
    display = next((c for c in classes if c in _DISPLAYS), None)
    if display is None:
        if "nodecoration" in classes:  # the looks around it turned off
            undone = "".join(style for kind, style in (
                ("SmallCaps", "font-variant:normal;"), ("Strong", "font-weight:normal;"),
                ("Emph", "font-style:normal;")) if kind in active)
            return f'<span style="{undone}">' + _html(children, frozenset()) + "</span>"
        return _html(children, active)
    if display == "csl-left-margin" and children and children[-1]["t"] == "Space" and \
            following and _starts_with_space(following[0]):
        children = children[:-1]  # the space pandoc adds before the text's own
    before, after = _DISPLAY_BREAKS[display]  # where citeproc-js breaks the line
    return f'{before}<div class="{display}">{_html(children, active)}</div>{after}'


def _starts_with_space(node: dict) -> bool:
    if node["t"] == "Space":
        return True
    if node["t"] == "Span":
        children = node["c"][1]
        return bool(children) and _starts_with_space(children[0])
    return False
