"""One node registry: every node kind is declared once, and every renderer has a
handler for every kind (docutils' rule: a new node kind fails here until each
writer handles it)."""

from __future__ import annotations

import typing

import pytest

from briefing.compose import tree as t
from briefing.render.registry import RENDERERS, missing_handlers, renderer_class


def test_the_registry_is_the_one_list_of_node_kinds():
    assert set(t.NODES) == (set(t.BLOCK_TYPES) | set(t.INLINE_TYPES)
                            | set(t.REVISION_BLOCK_TYPES) | set(t.REVISION_INLINE_TYPES))
    assert set(t.REVISION_BLOCK_TYPES) | set(t.REVISION_INLINE_TYPES) == t.REVISION_KINDS
    assert {t.HANDLERS[kind] for kind in t.REVISION_KINDS} == {
        "inserted", "deleted", "block_revision", "revised_judgment"}
    assert set(t.HANDLERS) == set(t.NODES)
    assert len(set(t.HANDLERS.values())) == len(t.HANDLERS)  # one name per kind
    # the type aliases the annotations use name the same kinds
    assert set(typing.get_args(t.Inline)) == set(t.INLINE_TYPES)
    assert set(typing.get_args(t.Block)) == set(t.BLOCK_TYPES)
    assert t.HANDLERS[t.Field] == "content_field"


@pytest.mark.parametrize("spec", RENDERERS)
def test_every_renderer_handles_every_node_kind(spec):
    renderer = renderer_class(spec)
    assert missing_handlers(renderer) == [], spec


def test_a_renderer_without_a_handler_is_caught():
    """The check above can fail: take one handler away from each renderer in turn (a
    revision kind's handler only from a renderer that draws revisions: the redline)."""
    for spec in RENDERERS:
        renderer = renderer_class(spec)
        for kind, name in t.HANDLERS.items():
            crippled = type("Crippled", (renderer,), {name: None})
            needed = kind not in t.REVISION_KINDS or getattr(renderer, "draws_revisions", False)
            assert missing_handlers(crippled) == ([name] if needed else []), (spec, kind)


def test_only_the_redline_draws_revisions():
    drawing = [spec for spec in RENDERERS
               if getattr(renderer_class(spec), "draws_revisions", False)]
    assert drawing == ["briefing.render.redline:RedlineRenderer"]


def test_a_new_node_kind_needs_a_handler_in_every_renderer():
    @t.node("sidebar_for_test", "block")
    class Sidebar:
        text: str

    try:
        for spec in RENDERERS:
            assert missing_handlers(renderer_class(spec)) == ["sidebar_for_test"], spec
    finally:
        del t.NODES[Sidebar]
