"""Redline DOCX: the DOCX renderer drawing a merged tree as Word tracked changes.

Everything the ordinary renderer does (styles, numbering, notes, header and
footer) is reused; this module only adds handlers for the revision marks of
briefing.compose.redtree and puts the runs they make inside `w:ins` /
`w:del` (author "briefing", dated by the new edition's date). The running
header, the marking banner and the contents list show the old and the new
edition's text as changes too.
"""

from __future__ import annotations

from datetime import date

from docx.opc.part import XmlPart
from docx.text.run import Run

from briefing.compose import tree as t
from briefing.compose.redtree import contents, merge_inlines
from briefing.compose.tree import BlockRevision, Deleted, Inserted, RevisedJudgment
from briefing.load.layout import LoadedLayout
from briefing.render.docx.renderer import DocxRenderer
from briefing.render.docx.runs import Runs
from briefing.render.registry import dispatch

from .docx import revisions as x

AUTHOR = "briefing"
FIRST_REVISION = 1_000_000  # clear of bookmark and comment ids


class _Entry(str):
    """A contents entry's text, knowing whether it was inserted or deleted."""

    change = ""


class RedlineRenderer(DocxRenderer):
    """Renders a merged tree; runs made inside a revision are tracked changes."""

    draws_revisions = True

    def __init__(self, layout: LoadedLayout, day: date, old: t.Document):
        super().__init__(layout)
        self.date = f"{day.isoformat()}T00:00:00Z"
        self.old_meta, self.old_marking = old.meta, old.marking
        self.revision: str | None = None
        self.revision_number = FIRST_REVISION
        self.meta_lines: dict[str, tuple] = {}
        self.blocks.update(dispatch(self, t.REVISION_BLOCK_TYPES))
        self.inlines.update(dispatch(self, t.REVISION_INLINE_TYPES))

    # -- revision marks --------------------------------------------------------

    def run(self, ctx: Runs, text: str = "") -> Run:
        run = super().run(ctx, text)
        kind = getattr(text, "change", "") or self.revision
        if kind and x.track_run(run._r, kind, self.revision_number, AUTHOR, self.date):
            self.revision_number += 1
        return run

    def tracked(self, kind: str | None, render, *args) -> None:
        """Call `render(*args)` with every run it makes tracked as `kind`."""
        outer, self.revision = self.revision, kind
        try:
            render(*args)
        finally:
            self.revision = outer

    def inserted(self, node: Inserted, ctx: Runs) -> None:
        self.tracked("ins", self.children, node.children, ctx)

    def deleted(self, node: Deleted, ctx: Runs) -> None:
        self.tracked("del", self.children, node.children, ctx)

    def block_revision(self, node: BlockRevision) -> None:
        self.tracked(node.kind, self.blocks[type(node.block)], node.block)

    def revised_judgment(self, node: RevisedJudgment) -> None:
        """A judgment whose likelihood/confidence line is shown old → new, tracked."""
        merged = merge_inlines((t.Text(node.meta.old),), (t.Text(node.meta.new),))
        self.meta_lines[node.meta.new] = merged
        try:
            self.key_judgment(node.judgment)
        finally:
            self.meta_lines.pop(node.meta.new, None)

    def text(self, node: t.Text, ctx: Runs) -> None:
        merged = self.meta_lines.pop(node.text, None)
        if merged is not None:
            self.children(merged, ctx)
        else:
            super().text(node, ctx)

    # -- what the redline draws differently -------------------------------------

    def collect_headings(self, blocks: tuple) -> list:
        """The contents of both editions, each entry marked inserted, deleted or kept."""
        super().collect_headings(blocks)  # bookmarks the headings as usual
        entries = []
        for change, level, text, anchor in contents(blocks):
            entry = _Entry(text)
            entry.change = change
            entries.append((level, entry, anchor))
        return entries

    def pattern(self, paragraph, text: str, meta: t.Metadata, style: str) -> None:
        """The running header, old text deleted and new inserted when they differ."""
        if style != "Header" or self.old_meta.header == meta.header:
            super().pattern(paragraph, text, meta, style)
            return
        self.tracked("del", super().pattern, paragraph, self.old_meta.header,
                     self.old_meta, style)
        self.tracked("ins", super().pattern, paragraph, text, meta, style)

    def banner(self, paragraph, marking: t.Marking) -> None:
        """The marking banner, the old label deleted and the new inserted if it changed."""
        if marking.label == self.old_marking.label or self.revision:
            super().banner(paragraph, marking)
            return
        self.tracked("del", super().banner, paragraph, self.old_marking)
        self.tracked("ins", super().banner, paragraph, marking)

    def manifest(self, shown, provenance: t.Provenance) -> bytes:
        """The field manifest, marked as a redline's (import accepts its changes)."""
        from .docx.manifest import build_manifest

        anchors = {name: anchor for anchor, name in self.word_names.items()}
        return build_manifest(shown, provenance, self.field_marks, anchors, redline=True)

    def package_properties(self, document: t.Document) -> None:
        """Complete the tracked changes of every part (the last step before saving)."""
        number = self.revision_number
        for part in self.doc.part.package.iter_parts():
            if isinstance(part, XmlPart):
                number = x.finish_revisions(part.element, number, AUTHOR, self.date)
        super().package_properties(document)


def render_redline(merged: t.Document, layout: LoadedLayout, day: date,
                   old: t.Document) -> bytes:
    """The DOCX of a merged tree (briefing.compose.redtree) with tracked changes; `old`
    gives the earlier edition's header and marking."""
    return RedlineRenderer(layout, day, old).render(merged)
