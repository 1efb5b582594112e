"""The redline: edition N and the later edition composed in one layout, merged into
one tree with revision marks, and drawn by the DOCX renderer as tracked changes."""

from __future__ import annotations

from dataclasses import replace

from briefing.build.pipeline import BuildError, resolve_layout
from briefing.compose.composer import ComposeError, compose
from briefing.compose.redtree import merge
from briefing.compose.tree import Document
from briefing.core.findings import ContentError
from briefing.load.brief import LoadedBrief
from briefing.load.layout import LoadedLayout
from briefing.render.redline import render_redline

from .select import Pair


def _composed(loaded: LoadedBrief, layout: LoadedLayout) -> Document:
    try:
        return compose(loaded, layout)
    except ContentError as exc:
        raise BuildError("the layout's template failed", exc.findings) from None
    except ComposeError as exc:
        raise BuildError(str(exc)) from None


def redline(pair: Pair, layout_name: str | None = None) -> bytes:
    """DOCX bytes of `pair.new` with the text changes since `pair.old` tracked."""
    layout = resolve_layout(pair.new, layout_name)
    old, new = _composed(pair.old, layout), _composed(pair.new, layout)
    renames = {c.previous_id: c.subject for c in pair.diff.changes
               if c.kind == "judgment renamed"}
    merged = replace(new, blocks=merge(old.blocks, new.blocks, renames))
    return render_redline(merged, layout, pair.new.brief.date, old)
