"""Markdown and plain-text files as paragraphs.

Markdown is read with markdown-it-py: each block (a paragraph, a heading, a list
item, a quotation's paragraph) is one paragraph, its markup dropped; the first
level-1 heading is the title. A plain-text file's paragraphs are its blocks of lines
between blank lines, or, when it has no blank line, its lines.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .extracted import Extracted, paragraphs_of

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def markdown(data: bytes, name: str) -> Extracted:
    text = data.decode("utf-8-sig", errors="replace")
    tokens = MarkdownIt("commonmark").parse(text)
    paragraphs, title = [], None
    for index, token in enumerate(tokens):
        if token.type == "inline":
            words = "".join(_plain(child) for child in token.children or [])
            paragraphs.append(words)
            opening = tokens[index - 1]
            if title is None and opening.type == "heading_open" and opening.tag == "h1":
                title = words.strip() or None
        elif token.type in ("fence", "code_block"):
            paragraphs.extend(token.content.splitlines())
    return Extracted("Markdown", paragraphs_of(paragraphs), title=title)


def _plain(token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type == "image":
        return "".join(_plain(child) for child in token.children or [])
    return ""


def text(data: bytes, name: str) -> Extracted:
    content = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").strip()
    if _BLANK_LINE.search(content):
        blocks = [" ".join(block.split("\n")) for block in _BLANK_LINE.split(content)]
    else:
        blocks = content.split("\n")
    return Extracted("text", paragraphs_of(blocks))
