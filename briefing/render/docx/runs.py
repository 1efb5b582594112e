"""Runs: where a paragraph's inline runs go and how they look, and the w:r itself.

`Runs` is the context the renderer's inline handlers pass down (the paragraph, the
element runs are appended to, bold and italic wanted and the paragraph style's own).
`append_run` builds a run with lxml in one go, as python-docx would make it through
five calls (a long brief has tens of thousands of runs); `set_fonts`, `set_lang`
and `shade_run` set a run's (or a style's) fonts, language and shading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from lxml import etree

from .elements import XML_SPACE, element, put, shading

SOFT_HYPHEN = "\u00ad"  # written as Word's optional hyphen, as the PDF treats it


@dataclass(frozen=True)
class Runs:
    """Where inline runs go (a paragraph, or a hyperlink inside it) and how they look."""

    paragraph: Paragraph
    target: BaseOxmlElement
    bold: bool
    italic: bool
    base: tuple[bool, bool]
    link: bool = False


def set_fonts(rpr: BaseOxmlElement, latin: str, east_asia: str | None) -> None:
    """w:rFonts with explicit faces (theme fonts removed, which would win)."""
    fonts = element("w:rFonts", w_ascii=latin, w_hAnsi=latin, w_cs=latin)
    if east_asia:
        fonts.set(qn("w:eastAsia"), east_asia)
    put(rpr, fonts)


def set_lang(rpr: BaseOxmlElement, lang: str, east_asia: str | None) -> None:
    """w:lang, the language spell-checkers and hyphenation use."""
    tag = element("w:lang", w_val=lang)
    if east_asia:
        tag.set(qn("w:eastAsia"), east_asia)
    put(rpr, tag)


def shade_run(rpr: BaseOxmlElement, fill: str) -> None:
    put(rpr, shading(fill))


W_P, W_R, W_RPR, W_RSTYLE, W_B, W_I, W_LANG, W_T, W_TAB, W_BR, W_VAL, W_EAST_ASIA = (
    qn(f"w:{name}") for name in ("p", "r", "rPr", "rStyle", "b", "i", "lang", "t", "tab",
                                 "br", "val", "eastAsia"))
RUN_BREAKS = re.compile(r"(\t|[\r\n])")


def append_run(parent: BaseOxmlElement, text: str, style_id: str | None, bold: bool | None,
               italic: bool | None, lang: str, east_asia: str | None) -> BaseOxmlElement:
    """A run at the end of `parent` (a w:p or w:hyperlink), built in one go as python-docx
    would make it through `add_run(text)`, the run's style, `bold` and `italic` setters
    (None: not set) and `set_lang`: a tab becomes w:tab, a line break w:br, and a
    w:t whose text starts or ends in white space keeps it (xml:space)."""
    run = etree.SubElement(parent, W_R)
    properties = etree.SubElement(run, W_RPR)
    if style_id is not None:
        etree.SubElement(properties, W_RSTYLE).set(W_VAL, style_id)
    for tag, value in ((W_B, bold), (W_I, italic)):
        if value is not None:
            switch = etree.SubElement(properties, tag)
            if not value:
                switch.set(W_VAL, "0")
    language = etree.SubElement(properties, W_LANG)
    language.set(W_VAL, lang)
    if east_asia:
        language.set(W_EAST_ASIA, east_asia)
    for piece in RUN_BREAKS.split(text) if text else ():
        if piece == "\t":
            etree.SubElement(run, W_TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(run, W_BR)
        elif piece:
            node = etree.SubElement(run, W_T)
            node.text = piece
            if len(piece.strip()) < len(piece):
                node.set(XML_SPACE, "preserve")
    return run


def soft_hyphens(run: BaseOxmlElement) -> None:
    """Turn each U+00AD in a run's text into Word's optional hyphen (w:softHyphen),
    invisible unless a line breaks there, as in the PDF."""
    for text in list(run.iter(qn("w:t"))):
        pieces = (text.text or "").split("\u00ad")
        if len(pieces) == 1:
            continue
        text.text = pieces[0]
        anchor = text
        for piece in pieces[1:]:
            hyphen = element("w:softHyphen")
            anchor.addnext(hyphen)
            anchor = hyphen
            if piece:
                more = element("w:t")
                more.set(XML_SPACE, "preserve")
                more.text = piece
                anchor.addnext(more)
                anchor = more
