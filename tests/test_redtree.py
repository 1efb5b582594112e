"""The redline as data: accepting every mark of a merged tree gives the new tree's
text, rejecting every mark the old one's, for inlines (any mix of words, emphasis,
links and footnotes) and for the two editions of the editions fixture."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.compose import tree as t
from briefing.compose.redtree import WRAPPERS, merge, merge_inlines, side
from briefing.compose.tree import BlockRevision, Deleted, Inserted, RevisedJudgment


def canonical(children, frames=()) -> list:
    """Each character (or whole footnote, break) with the wrappers around it."""
    out: list = []
    for node in children:
        if isinstance(node, t.Text):
            out += [(frames, c) for c in node.text]
        elif isinstance(node, WRAPPERS):
            values = tuple(getattr(node, f.name) for f in fields(node) if f.name != "children")
            out += canonical(node.children, (*frames, (type(node), values)))
        elif isinstance(node, Inserted | Deleted):
            raise AssertionError(f"a revision mark left in one side: {node}")
        else:
            out.append((frames, node))
    return out


def marks_nested(children, inside=False) -> bool:
    """Whether a revision mark sits inside another (the renderer needs them flat)."""
    for node in children:
        if isinstance(node, Inserted | Deleted):
            if inside or marks_nested(node.children, True):
                return True
        elif hasattr(node, "children") and isinstance(node.children, tuple):
            if marks_nested(node.children, inside):
                return True
    return False


words = st.sampled_from(["the ", "widget ", "rose ", "fell ", "sharply ", "in ", "May. "])
inline = st.deferred(lambda: st.one_of(
    words.map(t.Text),
    st.tuples(st.lists(words.map(t.Text), min_size=1, max_size=3)).map(
        lambda c: t.Emph(tuple(c[0]))),
    st.lists(words.map(t.Text), min_size=1, max_size=3).map(lambda c: t.Strong(tuple(c))),
    st.lists(words.map(t.Text), min_size=1, max_size=2).map(
        lambda c: t.Link("https://example.org", tuple(c))),
    words.map(lambda w: t.Footnote((t.Text(w),))),
    st.just(t.LineBreak()),
))
runs = st.lists(inline, max_size=8).map(tuple)


@settings(max_examples=300, deadline=None)
@given(runs, runs)
def test_accepting_gives_the_new_inlines_and_rejecting_the_old(old, new):
    merged = merge_inlines(old, new)
    assert canonical(side(merged, "new")) == canonical(new)
    assert canonical(side(merged, "old")) == canonical(old)
    assert not marks_nested(merged)


def test_only_the_changed_words_are_marked():
    merged = merge_inlines((t.Text("Prices will likely stay flat."),),
                           (t.Text("Prices will very likely rise."),))
    assert merged == (t.Text("Prices will "), Inserted((t.Text("very "),)),
                      t.Text("likely "), Deleted((t.Text("stay flat."),)),
                      Inserted((t.Text("rise."),)))


def _resolve(blocks, keep: str) -> list:
    """The blocks one edition has, with their marks resolved (what Word shows after
    accepting or rejecting every change)."""
    out = []
    for block in blocks:
        if isinstance(block, BlockRevision):
            if (block.kind == "ins") != (keep == "new"):
                continue
            block = block.block
        if isinstance(block, RevisedJudgment):
            block = block.judgment
        out.append(_text(block, keep))
    return [text for text in out if text]


def _text(block, keep: str):
    if isinstance(block, t.Box):
        return tuple(_resolve(block.children, keep))
    if isinstance(block, t.ListBlock):
        return tuple(tuple(canonical(side(item, keep))) for item in block.items
                     if side(item, keep))
    if isinstance(block, t.Table):
        return tuple(tuple(tuple(canonical(side(c.children, keep))) for c in row)
                     for row in block.rows
                     if any(side(c.children, keep) for c in row))
    if isinstance(block, t.KeyJudgment):
        return (tuple(canonical(side(block.children, keep))),
                tuple(canonical(side(block.basis, keep))))
    if isinstance(block, t.Heading | t.Paragraph):
        return tuple(canonical(side(block.children, keep)))
    return type(block).__name__


def test_the_merged_editions_resolve_to_each_edition(tmp_path, monkeypatch):
    from test_editions import _make

    from briefing.build.pipeline import resolve_layout
    from briefing.compose.composer import compose
    from briefing.editions.select import pick

    editions = _make(tmp_path / "editions")
    pair = pick(editions.folder, None, "working")
    layout = resolve_layout(pair.new, None)
    old, new = compose(pair.old, layout), compose(pair.new, layout)
    merged = merge(old.blocks, new.blocks, {"kj-output": "kj-production"})
    assert _resolve(merged, "new") == _resolve(new.blocks, "new")
    assert _resolve(merged, "old") == _resolve(old.blocks, "old")
    renamed = next(b for b in merged if isinstance(b, t.KeyJudgment | RevisedJudgment)
                   and "produced more widgets" in repr(b))
    assert isinstance(renamed, RevisedJudgment) or renamed.anchor == "kj-production"
    assert "Inserted" not in repr(renamed.judgment.children if isinstance(
        renamed, RevisedJudgment) else renamed.children)
