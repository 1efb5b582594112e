"""Renderers: one module per output format, each a visitor over the node registry.

A renderer implements one method per node kind, named as `tree.NODES` declares
it; `dispatch` builds its node type → method table. `RENDERERS` lists every
renderer (and the text dump), so a test can check each handles every kind.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from briefing.compose import tree as t

# Every visitor of the document tree, as "module:class" (imported on demand).
RENDERERS = (
    "briefing.render.pdf.renderer:PdfRenderer",
    "briefing.render.docx.renderer:DocxRenderer",
    "briefing.render.redline:RedlineRenderer",
    "briefing.render.typst.renderer:TypstRenderer",
    "briefing.render.text:TreeText",
)


def dispatch(renderer: object, kinds: tuple[type, ...]) -> dict[type, Callable]:
    """Node type → the renderer's method for it, named as `tree.HANDLERS` says."""
    return {kind: getattr(renderer, t.HANDLERS[kind]) for kind in kinds}


def missing_handlers(renderer: type) -> list[str]:
    """The handler names of node kinds that `renderer` (a class) does not implement."""
    return [name for name, _ in t.NODES.values() if not callable(getattr(renderer, name, None))]


def renderer_class(spec: str) -> type:
    """The class a `RENDERERS` entry names."""
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)
