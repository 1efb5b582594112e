"""Two document trees merged into one with revision marks: the redline, as data.

Blocks are aligned by their anchors (judgment ids, with renames mapped) or, for
blocks without one, by kind, style and text; blocks of one kind paired in a
changed stretch are merged word by word. Footnotes, citations, line breaks and
code are compared whole. Accepting every mark gives the new tree's text,
rejecting every mark the old one's.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import fields, replace

from . import tree as t
from .tree import BlockRevision, Deleted, Inserted, Meta, RevisedJudgment

_WORDS = re.compile(r"\S+\s*|\s+")
SIMILAR = 0.5  # blocks less alike than this are shown deleted and inserted whole


def merge(old: tuple[t.Block, ...], new: tuple[t.Block, ...],
          renames: dict[str, str]) -> tuple:
    """The blocks of `new` with the changes from `old` marked."""
    a = [_signature(b, renames) for b in old]
    b = [_signature(b, {}) for b in new]
    out: list = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [_merge_pair(x, y, renames) for x, y in zip(old[i1:i2], new[j1:j2],
                                                               strict=True)]
        else:
            out += _merge_stretch(old[i1:i2], new[j1:j2], renames)
    return tuple(out)


def _anchor(block: t.Block, renames: dict[str, str]) -> str:
    anchor = getattr(block, "anchor", "") or ""
    for before, after in renames.items():
        if anchor == before or anchor.endswith(f"-{before}"):
            return anchor[: len(anchor) - len(before)] + after
    return anchor


def _signature(block: t.Block, renames: dict[str, str]) -> tuple:
    """What must agree for two blocks to be the same block in two editions."""
    anchor = _anchor(block, renames)
    kind = type(block).__name__
    if isinstance(block, t.KeyJudgment):
        return (kind, anchor)
    if isinstance(block, t.Heading | t.Paragraph):
        style = block.style_name if isinstance(block, t.Heading) else block.style
        return (kind, style, anchor) if anchor else (kind, style, _text(block))
    if isinstance(block, t.ListBlock):
        return (kind, block.style, block.ordered, tuple(t.plain_text(i) for i in block.items))
    if isinstance(block, t.Table):
        return (kind, block.style, block.caption, max(map(len, block.rows), default=0))
    if isinstance(block, t.Box):
        return (kind, block.style, block.title)
    return (kind,)


def _text(block: t.Block) -> str:
    return t.plain_text(getattr(block, "children", ()))


def _alike(x: t.Block, y: t.Block) -> bool:
    """Whether two blocks of a changed stretch are one block reworded."""
    if type(x) is not type(y) or getattr(x, "style", None) != getattr(y, "style", None):
        return False
    if isinstance(x, t.Table | t.Box):
        return True
    ratio = difflib.SequenceMatcher(None, _words(x), _words(y), autojunk=False).ratio()
    return ratio >= SIMILAR


def _words(block: t.Block) -> list[str]:
    if isinstance(block, t.ListBlock):
        return " ".join(t.plain_text(item) for item in block.items).split()
    return _text(block).split()


def _sections(blocks) -> list[int]:
    """For each block of a stretch, the index of the heading it stands under within the
    stretch (-1: under the heading before the stretch)."""
    out, current = [], -1
    for i, block in enumerate(blocks):
        if isinstance(block, t.Heading):
            current = i
        out.append(current)
    return out


def _merge_stretch(old, new, renames) -> list:
    """A changed stretch: pairs of alike blocks merged, the rest deleted or inserted,
    in reading order (deleted blocks before the inserted ones they precede). Blocks
    pair only under paired headings, so the paragraphs of a dropped section are not
    merged into those of an added one."""
    out: list = []
    old_sections, new_sections = _sections(old), _sections(new)
    paired = {(-1, -1)}
    j = 0
    for i, x in enumerate(old):
        heading = isinstance(x, t.Heading)
        match = next((k for k in range(j, len(new)) if _alike(x, new[k]) and (
            heading or (old_sections[i], new_sections[k]) in paired)), None)
        if match is None:
            if heading:  # a dropped section: what the section before it gained comes first
                while j < len(new) and not isinstance(new[j], t.Heading):
                    out.append(BlockRevision("ins", new[j]))
                    j += 1
            out.append(BlockRevision("del", _without_anchor(x)))
            continue
        if heading:
            paired.add((i, match))
        out += [BlockRevision("ins", y) for y in new[j:match]]
        out.append(_merge_pair(x, new[match], renames))
        j = match + 1
    out += [BlockRevision("ins", y) for y in new[j:]]
    return out


def _without_anchor(block: t.Block) -> t.Block:
    """A deleted block keeps no bookmark (its name may live on in the new edition)."""
    if isinstance(block, t.Box):
        return replace(block, children=tuple(_without_anchor(b) for b in block.children))
    names = {f.name for f in fields(block)} if hasattr(block, "__dataclass_fields__") else set()
    return replace(block, anchor="") if "anchor" in names else block


def _merge_pair(x: t.Block, y: t.Block, renames: dict[str, str]):
    """One block in both editions, its changes marked."""
    if x == y or isinstance(y, t.PageBreak):
        return y
    if isinstance(y, t.KeyJudgment):
        merged = replace(y, children=merge_inlines(x.children, y.children),
                         basis=merge_inlines(x.basis, y.basis))
        meta = Meta(t.judgment_meta(x), t.judgment_meta(y))
        return merged if meta.old == meta.new else RevisedJudgment(merged, meta)
    if isinstance(y, t.Heading | t.Paragraph):
        return replace(y, children=merge_inlines(x.children, y.children))
    if isinstance(y, t.ListBlock):
        return replace(y, items=_merge_items(x.items, y.items))
    if isinstance(y, t.Table):
        return replace(y, rows=_merge_rows(x.rows, y.rows))
    if isinstance(y, t.Box):
        return replace(y, children=merge(x.children, y.children, renames))
    return y


def _merge_items(old, new) -> tuple:
    """List items aligned by their text; a reworded item is merged word by word."""
    a = [t.plain_text(i) for i in old]
    b = [t.plain_text(i) for i in new]
    out: list = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += new[j1:j2]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        out += [merge_inlines(old[i1 + k], new[j1 + k]) for k in range(pairs)]
        out += [(Deleted(item),) for item in old[i1 + pairs:i2]]
        out += [(Inserted(item),) for item in new[j1 + pairs:j2]]
    return tuple(out)


def _merge_rows(old, new) -> tuple:
    """Table rows aligned by their text; a changed row of as many cells is merged cell by
    cell, other rows are deleted or inserted whole."""
    def key(row):
        return tuple(t.plain_text(c.children) for c in row)

    out: list = []
    matcher = difflib.SequenceMatcher(None, [key(r) for r in old], [key(r) for r in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += new[j1:j2]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            x, y = old[i1 + k], new[j1 + k]
            if len(x) != len(y):
                out += [_whole_row(x, Deleted), _whole_row(y, Inserted)]
            else:
                out.append(tuple(replace(b, children=merge_inlines(a.children, b.children))
                                 for a, b in zip(x, y, strict=True)))
        out += [_whole_row(row, Deleted) for row in old[i1 + pairs:i2]]
        out += [_whole_row(row, Inserted) for row in new[j1 + pairs:j2]]
    return tuple(out)


def _whole_row(row, mark) -> tuple:
    return tuple(replace(cell, children=(mark(cell.children),)) for cell in row)


# -- inline, word by word ------------------------------------------------------


# Inline nodes that wrap words (compared word by word inside); any other inline node
# (footnote, citation, break, code) is compared whole.
WRAPPERS = tuple(k for k in (t.Emph, t.Strong, t.Link, getattr(t, "Field", None)) if k)


def _frame(node) -> tuple:
    """What a wrapper is, for equality: its kind and its one attribute, if any."""
    values = [getattr(node, f.name) for f in fields(node) if f.name != "children"]
    return (type(node), *values)


def _wrap(frame: tuple, children: tuple):
    kind, *values = frame
    names = [f.name for f in fields(kind) if f.name != "children"]
    return kind(children=children, **dict(zip(names, values, strict=True)))


def _tokens(children, frames: tuple = ()) -> list[tuple[tuple, object]]:
    """(frames, leaf) for each word of text and each whole footnote, citation, break."""
    out: list[tuple[tuple, object]] = []
    for node in children:
        if isinstance(node, t.Text):
            out += [(frames, t.Text(word)) for word in _WORDS.findall(node.text)]
        elif isinstance(node, WRAPPERS):
            out += _tokens(node.children, (*frames, _frame(node)))
        else:
            out.append((frames, node))
    return out


def merge_inlines(old, new) -> tuple:
    """`new`'s inlines with the words removed from `old` and added in `new` marked."""
    if old == new:
        return new
    a, b = _tokens(old), _tokens(new)
    marked: list[tuple[str, tuple, object]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            marked += [("", frames, leaf) for frames, leaf in b[j1:j2]]
        else:
            marked += [("del", frames, leaf) for frames, leaf in a[i1:i2]]
            marked += [("ins", frames, leaf) for frames, leaf in b[j1:j2]]
    return _rebuild(marked)


def _rebuild(marked: list[tuple[str, tuple, object]]) -> tuple:
    return _nest(marked, 0)


def _nest(items: list[tuple[str, tuple, object]], depth: int) -> tuple:
    """Wrappers outside, revision marks inside them, around runs of merged text."""
    out: list = []
    for frame, group in _runs(items, lambda i: i[1][depth] if len(i[1]) > depth else None):
        if frame is not None:
            out.append(_wrap(frame, _nest(group, depth + 1)))
            continue
        for kind, same in _runs(group, lambda i: i[0]):
            leaves = _leaves([leaf for _, _, leaf in same])
            out += ([Inserted(leaves)] if kind == "ins" else [Deleted(leaves)] if kind == "del"
                    else list(leaves))
    return tuple(out)


def _leaves(leaves: list) -> tuple:
    out: list = []
    for leaf in leaves:
        if isinstance(leaf, t.Text) and out and isinstance(out[-1], t.Text):
            out[-1] = t.Text(out[-1].text + leaf.text)
        else:
            out.append(leaf)
    return tuple(out)


def _runs(items, key):
    """Consecutive items with the same key, as (key, items)."""
    groups: list = []
    for item in items:
        k = key(item)
        if groups and groups[-1][0] == k:
            groups[-1][1].append(item)
        else:
            groups.append((k, [item]))
    return groups


# -- one side of the merged tree, and its contents list ---------------------------


def side(children: tuple, keep: str) -> tuple:
    """The inlines as one edition reads them: keep 'new' (accept every change) or
    'old' (reject every change)."""
    out: list = []
    for node in children:
        if isinstance(node, Inserted | Deleted):
            if isinstance(node, Inserted) == (keep == "new"):
                out += side(node.children, keep)
        elif isinstance(node, WRAPPERS):
            out.append(replace(node, children=side(node.children, keep)))
        else:
            out.append(node)
    return tuple(out)


def headings(blocks: tuple, keep: str) -> list[tuple[int, str, str]]:
    """(level, text, anchor) of the headings of level 1–3 that one edition has."""
    found: list[tuple[int, str, str]] = []
    for block in blocks:
        if isinstance(block, BlockRevision):
            if (block.kind == "ins") != (keep == "new"):
                continue
            block = block.block
        if isinstance(block, t.Box):
            found += headings(block.children, keep)
        elif isinstance(block, t.Heading) and block.level <= 3:
            found.append((block.level, t.plain_text(side(block.children, keep)),
                          block.anchor))
    return found


def contents(blocks: tuple) -> list[tuple[str, int, str, str]]:
    """The contents list of the merged tree: (change, level, text, anchor) with change
    '' (in both editions), 'ins' or 'del'."""
    old, new = headings(blocks, "old"), headings(blocks, "new")
    out: list[tuple[str, int, str, str]] = []
    matcher = difflib.SequenceMatcher(None, [h[:2] for h in old], [h[:2] for h in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [("", *entry) for entry in new[j1:j2]]
        else:
            out += [("del", *entry) for entry in old[i1:i2]]
            out += [("ins", *entry) for entry in new[j1:j2]]
    return out
