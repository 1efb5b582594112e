"""Renderers: one module per output format, each a dispatch over node types."""

from __future__ import annotations

from collections.abc import Callable

from .. import tree as t


def dispatch(renderer: object, kinds: tuple[type, ...]) -> dict[type, Callable]:
    """Node type → the renderer's method for it, named as `tree.HANDLERS` says."""
    return {kind: getattr(renderer, t.HANDLERS[kind]) for kind in kinds}
