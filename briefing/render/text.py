"""The document tree as readable text: what `briefing tree` prints and golden tests diff."""

from __future__ import annotations

from briefing.compose import tree as t

from .registry import dispatch


class TreeText:
    """A visitor that writes each node as one line (inlines with light markers)."""

    def __init__(self) -> None:
        self.blocks = dispatch(self, t.BLOCK_TYPES)
        self.inlines = dispatch(self, t.INLINE_TYPES)

    # -- inlines: *emph*, **strong**, [text](url), {cite}, ^[note] ---------------

    def inline(self, children: tuple[t.Inline, ...]) -> str:
        return "".join(self.inlines[type(node)](node) for node in children)

    def text(self, node: t.Text) -> str:
        return node.text

    def code(self, node: t.Code) -> str:
        return f"`{node.text}`"

    def emph(self, node: t.Emph) -> str:
        return f"*{self.inline(node.children)}*"

    def strong(self, node: t.Strong) -> str:
        return f"**{self.inline(node.children)}**"

    def link(self, node: t.Link) -> str:
        return f"[{self.inline(node.children)}]({node.url})"

    def citation(self, node: t.Citation) -> str:
        return f"{{{self.inline(node.children)} → #{node.target}}}"

    def content_field(self, node: t.Field) -> str:
        return self.inline(node.children)

    def footnote(self, node: t.Footnote) -> str:
        return f"^[{self.inline(node.children)}]"

    def line_break(self, node: t.LineBreak) -> str:
        return "\\n"

    # -- blocks: lines, indented by `depth` ----------------------------------------

    def block(self, node: t.Block, depth: int) -> list[str]:
        return self.blocks[type(node)](node, "  " * depth, depth)

    @staticmethod
    def _anchor(node: t.Block) -> str:
        return f" #{node.anchor}" if getattr(node, "anchor", "") else ""

    def heading(self, node: t.Heading, pad: str, depth: int) -> list[str]:
        return [f"{pad}Heading {node.level}{self._anchor(node)}: {self.inline(node.children)}"]

    def paragraph(self, node: t.Paragraph, pad: str, depth: int) -> list[str]:
        lang = f" lang={node.lang}" if node.lang else ""
        return [f"{pad}Paragraph [{node.style}]{self._anchor(node)}{lang}: "
                f"{self.inline(node.children)}"]

    def list(self, node: t.ListBlock, pad: str, depth: int) -> list[str]:
        kind = "ordered" if node.ordered else "bulleted"
        return [f"{pad}List {kind} [{node.style}]"] + [
            f"{pad}  - {self.inline(item)}" for item in node.items]

    def table(self, node: t.Table, pad: str, depth: int) -> list[str]:
        lines = [f"{pad}Table [{node.style}] widths={list(node.widths)}"]
        for row in node.rows:
            lines.append(f"{pad}  | " + " | ".join(self.inline(c.children) for c in row))
        return lines

    def box(self, node: t.Box, pad: str, depth: int) -> list[str]:
        lines = [f"{pad}Box [{node.style}]"]
        for child in node.children:
            lines.extend(self.block(child, depth + 1))
        return lines

    def key_judgment(self, node: t.KeyJudgment, pad: str, depth: int) -> list[str]:
        lines = [f"{pad}KeyJudgment {node.number}{self._anchor(node)} "
                 f"({t.judgment_meta(node)})", f"{pad}  text: {self.inline(node.children)}"]
        if node.basis:
            lines.append(f"{pad}  basis: {self.inline(node.basis)}")
        return lines

    def page_break(self, node: t.PageBreak, pad: str, depth: int) -> list[str]:
        return [f"{pad}PageBreak"]


def dump(document: t.Document) -> str:
    """The whole tree, one node per line, indented by nesting."""
    meta = document.meta
    lines = [f"Document: {meta.title}", f"  marking: {document.marking.label}",
             f"  language: {meta.language}; date: {meta.date}; edition: {meta.edition}"]
    writer = TreeText()
    for block in document.blocks:
        lines.extend(writer.block(block, 1))
    return "\n".join(lines) + "\n"
