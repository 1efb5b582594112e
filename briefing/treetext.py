"""The document tree as readable text: what `briefing tree` prints and golden tests diff."""

from __future__ import annotations

from . import tree as t


def inline_text(children: tuple[t.Inline, ...]) -> str:
    """Inlines with light markers: *emph*, **strong**, [text](url), {cite}, ^[note]."""
    out: list[str] = []
    for node in children:
        if isinstance(node, t.Text):
            out.append(node.text)
        elif isinstance(node, t.Code):
            out.append(f"`{node.text}`")
        elif isinstance(node, t.Emph):
            out.append(f"*{inline_text(node.children)}*")
        elif isinstance(node, t.Strong):
            out.append(f"**{inline_text(node.children)}**")
        elif isinstance(node, t.Link):
            out.append(f"[{inline_text(node.children)}]({node.url})")
        elif isinstance(node, t.Citation):
            out.append(f"{{{inline_text(node.children)} → #{node.target}}}")
        elif isinstance(node, t.Field):
            out.append(inline_text(node.children))
        elif isinstance(node, t.Footnote):
            out.append(f"^[{inline_text(node.children)}]")
        elif isinstance(node, t.LineBreak):
            out.append("\\n")
    return "".join(out)


def _block(node: t.Block, depth: int) -> list[str]:
    pad = "  " * depth
    anchor = f" #{node.anchor}" if getattr(node, "anchor", "") else ""
    if isinstance(node, t.Heading):
        return [f"{pad}Heading {node.level}{anchor}: {inline_text(node.children)}"]
    if isinstance(node, t.Paragraph):
        lang = f" lang={node.lang}" if node.lang else ""
        return [f"{pad}Paragraph [{node.style}]{anchor}{lang}: {inline_text(node.children)}"]
    if isinstance(node, t.ListBlock):
        kind = "ordered" if node.ordered else "bulleted"
        return [f"{pad}List {kind} [{node.style}]"] + [
            f"{pad}  - {inline_text(item)}" for item in node.items]
    if isinstance(node, t.Table):
        lines = [f"{pad}Table [{node.style}] widths={list(node.widths)}"]
        for row in node.rows:
            lines.append(f"{pad}  | " + " | ".join(inline_text(c.children) for c in row))
        return lines
    if isinstance(node, t.Box):
        lines = [f"{pad}Box [{node.style}]"]
        for child in node.children:
            lines.extend(_block(child, depth + 1))
        return lines
    if isinstance(node, t.KeyJudgment):
        lines = [f"{pad}KeyJudgment {node.number}{anchor} ({t.judgment_meta(node)})",
                 f"{pad}  text: {inline_text(node.children)}"]
        if node.basis:
            lines.append(f"{pad}  basis: {inline_text(node.basis)}")
        return lines
    if isinstance(node, t.PageBreak):
        return [f"{pad}PageBreak"]
    raise TypeError(f"no text form for {type(node).__name__}")


def dump(document: t.Document) -> str:
    """The whole tree, one node per line, indented by nesting."""
    meta = document.meta
    lines = [f"Document: {meta.title}", f"  marking: {document.marking.label}",
             f"  language: {meta.language}; date: {meta.date}; edition: {meta.edition}"]
    for block in document.blocks:
        lines.extend(_block(block, 1))
    return "\n".join(lines) + "\n"
