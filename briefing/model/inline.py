"""Inline Markdown (emphasis, links, code, pandoc citations) parsed by markdown-it-py.

Raw HTML, entities and every block rule are off: `<b>`, `&amp;` and `%s` in
content stay literal text. Citations become `citation` tokens whose meta
holds the cited items; compose turns them into citation nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .vocab import LOCATOR_LABELS

KEY = r"[A-Za-z0-9][A-Za-z0-9_-]*(?:[.:][A-Za-z0-9_-]+)*"
_ITEM = re.compile(rf"^\s*(?P<prefix>[^@]*?)\s*(?P<suppress>-)?@(?P<key>{KEY})\s*"
                   r"(?:,\s*(?P<locator>.*?))?\s*$", re.DOTALL)
_BARE = re.compile(rf"@(?P<key>{KEY})")
_LOCATOR = re.compile(r"^(?P<label>[A-Za-z]+\.?)\s*(?P<value>.+)$")


@dataclass(frozen=True)
class CiteItem:
    key: str
    locator: str = ""
    prefix: str = ""
    suppress_author: bool = False


def parse_bracketed(body: str) -> tuple[CiteItem, ...] | None:
    """Items of `[@a, p. 4; see @b]`'s inside, or None if it is not a citation."""
    items = []
    for part in body.split(";"):
        match = _ITEM.match(part)
        if not match:
            return None
        items.append(CiteItem(match["key"], (match["locator"] or "").strip(),
                              match["prefix"].strip(), bool(match["suppress"])))
    return tuple(items)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] == "[":
        end = src.find("]", pos)
        if end < 0 or "@" not in src[pos:end]:
            return False
        items = parse_bracketed(src[pos + 1:end])
        if items is None:
            return False
        if not silent:
            token = state.push("citation", "", 0)
            token.meta = {"items": items, "narrative": False, "source": src[pos:end + 1]}
        state.pos = end + 1
        return True
    if src[pos] == "@" and (pos == 0 or not (src[pos - 1].isalnum() or src[pos - 1] in "_@")):
        match = _BARE.match(src, pos)
        if not match:
            return False
        key = match["key"].rstrip(".:")
        if not silent:
            token = state.push("citation", "", 0)
            token.meta = {"items": (CiteItem(key),), "narrative": True,
                          "source": src[pos:pos + 1 + len(key)]}
        state.pos = pos + 1 + len(key)
        return True
    return False


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "backticks", "escape", "newline", "autolink"])
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


@lru_cache(maxsize=4096)  # a rebuild's fields are its last build's but the edited one
def parse_inline(text: str) -> tuple[Token, ...]:
    """The inline token stream of one prose field, parsed once per process: callers
    share the tokens, so they read them and never change them."""
    tokens = _parser().parseInline(text)
    return tuple(tokens[0].children or ()) if tokens else ()


@lru_cache(maxsize=4096)
def _read(text: str) -> tuple[tuple[CiteItem, ...], int]:
    """What checks read of a prose field, parsing it once: its cited items in order, and
    how deep its inline markup nests."""
    items: list[CiteItem] = []
    depth = deepest = 0
    for token in parse_inline(text):
        if token.type == "citation":
            items += token.meta["items"]
        depth += token.nesting
        deepest = max(deepest, depth)
    return tuple(items), deepest


def cited_items(text: str) -> list[CiteItem]:
    """Every cited item in `text`, in order."""
    return list(_read(text)[0])


def cited_keys(text: str) -> list[str]:
    """Every source key that `text` cites, in order."""
    return [item.key for item in _read(text)[0]]


def inline_depth(text: str) -> int:
    """How deep the inline markup (emphasis, strong, links) of `text` nests."""
    return _read(text)[1]


def split_locator(text: str) -> tuple[str, str]:
    """('page', '4') from 'p. 4'; ('', '') for no locator."""
    match = _LOCATOR.match(text.strip())
    if not match or match["label"].lower() not in LOCATOR_LABELS:
        return ("", "")
    return LOCATOR_LABELS[match["label"].lower()], match["value"].strip()
