"""The redline: edition N and the later edition composed in one layout, merged into
one tree with revision marks, and drawn by the DOCX renderer as tracked changes."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace

from briefing.build.inputs import content_digest, input_digests, portable_digest
from briefing.build.pipeline import BuildError, resolve_layout
from briefing.compose import tree as t
from briefing.compose.citation_styles import StyleError
from briefing.compose.composer import ComposeError, compose
from briefing.compose.configcheck import style_finding
from briefing.compose.redtree import merge
from briefing.compose.tree import Document
from briefing.core.findings import ContentError
from briefing.load.brief import LoadedBrief
from briefing.load.layout import LoadedLayout
from briefing.render.redline import render_redline

from .select import Pair


def _composed(loaded: LoadedBrief, layout: LoadedLayout) -> Document:
    """The tree of an edition with its content fields marked, as a DOCX build has it."""
    try:
        return compose(loaded, layout, fields=True)
    except ContentError as exc:
        raise BuildError("the layout's template failed", exc.findings) from None
    except StyleError as exc:
        raise BuildError("the layout's citation style cannot be used",
                         [style_finding(exc, layout)]) from None
    except ComposeError as exc:
        raise BuildError(str(exc)) from None


def _renamed(node, keys: dict[str, str]):
    """`node` with the keys of the content fields of renamed judgments made the later
    edition's, so that a renamed judgment's unchanged words are not marked."""
    if isinstance(node, tuple):
        out = tuple(_renamed(child, keys) for child in node)
        return node if all(a is b for a, b in zip(out, node, strict=True)) else out
    if isinstance(node, type) or not is_dataclass(node):
        return node
    changes = {}
    for item in fields(node):
        value = getattr(node, item.name)
        if isinstance(value, tuple) or (is_dataclass(value) and not isinstance(value, type)):
            new = _renamed(value, keys)
            if new is not value:
                changes[item.name] = new
    if isinstance(node, t.Field) and node.key in keys:
        changes["key"] = keys[node.key]
    return replace(node, **changes) if changes else node


def redline(pair: Pair, layout_name: str | None = None) -> bytes:
    """DOCX bytes of `pair.new` with the text changes since `pair.old` tracked."""
    layout = resolve_layout(pair.new, layout_name)
    old, new = _composed(pair.old, layout), _composed(pair.new, layout)
    renames = {c.previous_id: c.subject for c in pair.diff.changes
               if c.kind == "judgment renamed"}
    keys = {f"judgment:{before}.{attr}": f"judgment:{after}.{attr}"
            for before, after in renames.items() for attr in ("text", "basis")}
    merged = replace(new, blocks=merge(_renamed(old.blocks, keys), new.blocks, renames))
    if merged.provenance is not None:  # the digests a build of the later edition records
        files = input_digests(pair.new, layout)
        merged = replace(merged, provenance=replace(
            merged.provenance, digest=portable_digest(files, "docx"),
            content_digest=content_digest(pair.new)))
    return render_redline(merged, layout, pair.new.brief.date, old)
