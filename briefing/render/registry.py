"""The renderers: the one list of output formats, what renders each, and every visitor of
the document tree.

A renderer implements one method per node kind, named as `tree.NODES` declares it;
`dispatch` builds its node type → method table. `RENDERERS` lists every visitor (the
text dump and the redline too), so a test can check each handles every kind it must:
every kind, and the revision kinds too for one that `draws_revisions`. `FORMATS` and
`ENTRY_POINTS` say which function turns a tree into each format's bytes; the command
line reads `FORMATS` before it imports anything heavy, so this module imports nothing
of the pipeline at its top.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType

# The formats a build can write, in the order `--format all` renders them; a build
# without --format writes DEFAULT_FORMATS. With each, the media type a server sends it
# as, and whether a browser shows it or saves it.
FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
DISPOSITIONS = {"pdf": "inline", "docx": "attachment", "html": "inline"}

# (format, PDF engine) → "module:function" turning a document tree and a layout into
# bytes; the module is imported when the format is first rendered.
ENTRY_POINTS = {
    ("pdf", "reportlab"): "briefing.render.pdf.renderer:render_pdf",
    ("pdf", "typst"): "briefing.render.typst.renderer:render_typst",
    ("docx", None): "briefing.render.docx.renderer:render_docx",
    ("html", None): "briefing.render.html.renderer:render_html",
}

# Every visitor of the document tree, as "module:class" (imported on demand).
RENDERERS = (
    "briefing.render.pdf.renderer:PdfRenderer",
    "briefing.render.docx.renderer:DocxRenderer",
    "briefing.render.redline:RedlineRenderer",
    "briefing.render.typst.renderer:TypstRenderer",
    "briefing.render.html.renderer:HtmlRenderer",
    "briefing.render.text:TreeText",
)


def formats_named(option: str | None) -> tuple[str, ...]:
    """The formats `--format OPTION` asks for: one, `all`, or (none) the default ones."""
    if option is None:
        return DEFAULT_FORMATS
    return FORMATS if option == "all" else (option,)


def _named(spec: str):
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)


def entry_point(fmt: str, engine: str = "reportlab") -> Callable:
    """The function that renders `fmt` (a PDF with `engine`): (document, layout) → bytes."""
    return _named(ENTRY_POINTS[(fmt, engine if fmt == "pdf" else None)])


def renderer_module(fmt: str, engine: str = "reportlab") -> ModuleType:
    """The module of `fmt`'s renderer, where its optional hooks live: `prepare` (a
    helper does it ahead of a first render) and `ready_next` (ahead of the next one)."""
    spec = ENTRY_POINTS[(fmt, engine if fmt == "pdf" else None)]
    return import_module(spec.partition(":")[0])


def dispatch(renderer: object, kinds: tuple[type, ...]) -> dict[type, Callable]:
    """Node type → the renderer's method for it, named as `tree.HANDLERS` says."""
    from briefing.compose import tree as t

    return {kind: getattr(renderer, t.HANDLERS[kind]) for kind in kinds}


def missing_handlers(renderer: type) -> list[str]:
    """The handler names of node kinds that `renderer` (a class) must implement and
    does not: every kind, and the revision kinds if it `draws_revisions`."""
    from briefing.compose import tree as t

    revisions = getattr(renderer, "draws_revisions", False)
    return [name for kind, (name, _) in t.NODES.items()
            if (revisions or kind not in t.REVISION_KINDS)
            and not callable(getattr(renderer, name, None))]


def renderer_class(spec: str) -> type:
    """The class a `RENDERERS` entry names."""
    return _named(spec)
