"""The web edition: one self-contained, semantic HTML5 file from the document tree.

One method per node kind, like the other renderers. Landmarks (`header`, `nav` for the
contents, `main`, `footer`), headings in order (the title is the one `h1`), key
judgments as an ordered list, tables with header cells that say their scope, notes as
DPUB-ARIA endnotes with links both ways, the likelihood and confidence bars as an SVG
image whose text alternative is the tagged PDF's. Every string of the brief is escaped:
content never becomes markup. No script, no request for anything: the styles are
inline, and so are the layout's fonts, cut down to the characters the page shows, as
WOFF2 (html/fonts.py). Each content field's text is a span naming its key
(`data-field`), as the DOCX bookmarks it. The same tree gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape

from briefing import __version__
from briefing.compose import tree as t
from briefing.load.layout import LoadedLayout
from briefing.render.registry import dispatch
from briefing.render.scale import scale_alt, scale_svg

from .styles import class_of, stylesheet

# A run of words in one script (joined by hyphens or spaces) is one span of its language.
HANGUL = re.compile(r"[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]+"
                    r"(?:[-\u2010 ][\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]+)*")
CYRILLIC = re.compile(r"[\u0400-\u052F]+(?:[-\u2010 ][\u0400-\u052F]+)*")
SAFE_URL = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
TITLE_STYLE = "Title"


def attr(value: str) -> str:
    """`value` escaped for a double-quoted attribute."""
    return escape(value, quote=True)


class HtmlRenderer:
    """Turns a document tree into one HTML page."""

    def __init__(self, layout: LoadedLayout):
        self.layout = layout
        self.blocks = dispatch(self, t.BLOCK_TYPES)
        self.inlines = dispatch(self, t.INLINE_TYPES)
        self.notes: list[str] = []
        self.styles: set[str] = set()
        self.scripts: dict[str, str] = {}
        self.language = "en"
        self.shift = 0  # headings go one level down when the title is the h1

    def css_class(self, style: str) -> str:
        self.styles.add(style)
        return class_of(style)

    # -- inlines ------------------------------------------------------------------

    def inline(self, children: tuple[t.Inline, ...]) -> str:
        return "".join(self.inlines[type(node)](node) for node in children)

    def text(self, node: t.Text) -> str:
        """Text; a stretch in Cyrillic or Hangul carries its language."""
        text, out, at = node.text, [], 0
        for match in sorted([*CYRILLIC.finditer(text), *HANGUL.finditer(text)],
                            key=lambda m: m.start()):
            lang = "ko" if HANGUL.match(match.group()) else self.scripts.get("Cyrl", "")
            if not lang or lang == self.language:
                continue
            out.append(escape(text[at:match.start()], quote=False))
            out.append(f'<span lang="{attr(lang)}">{escape(match.group(), quote=False)}</span>')
            at = match.end()
        out.append(escape(text[at:], quote=False))
        return "".join(out)

    def emph(self, node: t.Emph) -> str:
        return f"<em>{self.inline(node.children)}</em>"

    def strong(self, node: t.Strong) -> str:
        return f"<strong>{self.inline(node.children)}</strong>"

    def code(self, node: t.Code) -> str:
        return f"<code>{escape(node.text, quote=False)}</code>"

    def link(self, node: t.Link) -> str:
        if not SAFE_URL.match(node.url):
            return self.inline(node.children)
        return f'<a href="{attr(node.url)}">{self.inline(node.children)}</a>'

    def citation(self, node: t.Citation) -> str:
        if not node.target:
            return self.inline(node.children)
        return f'<a href="#{attr(node.target)}">{self.inline(node.children)}</a>'

    def footnote(self, node: t.Footnote) -> str:
        number = len(self.notes) + 1
        self.notes.append(self.inline(node.children))
        return (f'<a id="note-ref-{number}" href="#note-{number}" role="doc-noteref" '
                f'class="note-ref">{number}</a>')

    def line_break(self, node: t.LineBreak) -> str:
        return "<br>"

    def content_field(self, node: t.Field) -> str:
        """A content field: its key in `data-field` (what the live preview places a
        finding by), invisible to a reader."""
        return f'<span data-field="{attr(node.key)}">{self.inline(node.children)}</span>'

    # -- blocks -------------------------------------------------------------------

    def heading(self, node: t.Heading) -> str:
        level = min(node.level + self.shift, 6)
        anchor = f' id="{attr(node.anchor)}"' if node.anchor else ""
        return (f'<h{level}{anchor} class="{self.css_class(node.style_name)}">'
                f"{self.inline(node.children)}</h{level}>")

    def paragraph(self, node: t.Paragraph) -> str:
        anchor = f' id="{attr(node.anchor)}"' if node.anchor else ""
        lang = f' lang="{attr(node.lang)}"' if node.lang else ""
        tag = "h1" if node.style == TITLE_STYLE and self.shift else "p"
        return (f'<{tag}{anchor}{lang} class="{self.css_class(node.style)}">'
                f"{self.inline(node.children)}</{tag}>")

    def list(self, node: t.ListBlock) -> str:
        tag = "ol" if node.ordered else "ul"
        items = "".join(f"<li>{self.inline(item)}</li>" for item in node.items)
        return f'<{tag} class="{self.css_class(node.style)}">{items}</{tag}>'

    def table(self, node: t.Table) -> str:
        head, body = node.rows[:node.header_rows], node.rows[node.header_rows:]
        caption = f"<caption>{escape(node.caption, quote=False)}</caption>" if node.caption else ""
        rows = [self._row(row, "th", ' scope="col"') for row in head]
        thead = f"<thead>{''.join(rows)}</thead>" if rows else ""
        tbody = "".join(self._row(row, "td", "") for row in body)
        return (f'<div class="table-wrap"><table class="{self.css_class(node.style)}">'
                f"{caption}{thead}<tbody>{tbody}</tbody></table></div>")

    def _row(self, row: tuple[t.Cell, ...], tag: str, scope: str) -> str:
        cells = "".join(f'<{tag}{scope} class="{self.css_class(cell.style)}">'
                        f"{self.inline(cell.children)}</{tag}>" for cell in row)
        return f"<tr>{cells}</tr>"

    def box(self, node: t.Box) -> str:
        inner = "".join(self.blocks[type(child)](child) for child in node.children)
        return f'<div class="box {class_of(node.style)}">{inner}</div>'

    def key_judgment(self, node: t.KeyJudgment) -> str:
        anchor = f' id="{attr(node.anchor)}"' if node.anchor else ""
        labels = self.layout.layout.labels
        basis = (f'<p class="{self.css_class("Basis")}"><strong>'
                 f"{escape(labels.basis.strip(), quote=False)}</strong> "
                 f"{self.inline(node.basis)}</p>" if node.basis else "")
        bars = scale_svg(node, self.layout.layout.colours).replace(
            "<svg ", f'<svg role="img" aria-label="{attr(scale_alt(node))}" ', 1)
        return (f'<li{anchor} value="{node.number}">'
                f'<p class="{self.css_class(node.style)}">{self.inline(node.children)}</p>'
                f'<p class="{self.css_class("Judgment Meta")}">{bars} '
                f"{escape(t.judgment_meta(node), quote=False)}</p>{basis}</li>")

    def page_break(self, node: t.PageBreak) -> str:
        return '<div class="page-break"></div>'

    # -- document -----------------------------------------------------------------

    def body(self, blocks: tuple[t.Block, ...], contents: str) -> str:
        """The blocks in order, the contents list before the first section; a run of
        key judgments becomes one ordered list."""
        out: list[str] = []
        judgments: list[str] = []
        for block in blocks:
            if contents and isinstance(block, t.Heading) and block.level == 1:
                out.append(contents)
                contents = ""
            html = self.blocks[type(block)](block)
            if isinstance(block, t.KeyJudgment):
                judgments.append(html)
                continue
            if judgments:
                out.append(f'<ol class="judgments">{"".join(judgments)}</ol>')
                judgments = []
            out.append(html)
        if judgments:
            out.append(f'<ol class="judgments">{"".join(judgments)}</ol>')
        return "\n".join([contents, *out] if contents else out)

    def contents(self, blocks: tuple[t.Block, ...]) -> str:
        """The contents list: every top-level heading that has an anchor."""
        items = "".join(f'<li><a href="#{attr(b.anchor)}">{self.inline(b.children)}</a></li>'
                        for b in blocks if isinstance(b, t.Heading) and b.level == 1
                        and b.anchor)
        if not items:
            return ""
        label = escape(self.layout.layout.labels.contents, quote=False)
        return (f'<nav aria-labelledby="contents-title" class="contents">'
                f'<h2 id="contents-title">{label}</h2><ol>{items}</ol></nav>')

    def endnotes(self) -> str:
        if not self.notes:
            return ""
        label = escape(self.layout.layout.labels.notes, quote=False)
        items = "".join(
            f'<li id="note-{n}">{body} <a href="#note-ref-{n}" role="doc-backlink" '
            f'aria-label="Back to note {n}">↩</a></li>'
            for n, body in enumerate(self.notes, 1))
        return (f'<section role="doc-endnotes" aria-labelledby="notes-title" class="notes">'
                f'<h2 id="notes-title">{label}</h2><ol>{items}</ol></section>')

    def render(self, document: t.Document) -> bytes:
        meta, marking = document.meta, document.marking
        self.scripts = dict(meta.script_languages)
        self.language = meta.language.split("-")[0].lower()
        self.shift = int(any(isinstance(b, t.Paragraph) and b.style == TITLE_STYLE
                             for b in document.blocks))
        main = self.body(document.blocks, self.contents(document.blocks))
        notes = self.endnotes()
        banner = (f'<p class="marking" style="color:{marking.foreground};'
                  f'background:{marking.background}">{escape(marking.label, quote=False)}</p>')
        editions = ""
        if meta.identifier:  # the other formats, beside this file in out/ and in serve
            name = attr(meta.identifier)
            editions = (f'<p class="editions">Also as <a href="{name}.pdf" type="application/'
                        f'pdf">PDF</a> · <a href="{name}.docx">Word (DOCX)</a></p>')
        head = ['<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{escape(meta.title, quote=False)}</title>",
                f'<meta name="generator" content="briefing {__version__}">']
        if meta.authors:
            head.append(f'<meta name="author" content="{attr(", ".join(meta.authors))}">')
        if meta.subject:
            head.append(f'<meta name="description" content="{attr(meta.subject)}">')
        if meta.keywords:
            head.append(f'<meta name="keywords" content="{attr(", ".join(meta.keywords))}">')
        if meta.date:
            head.append(f'<meta name="dcterms.date" content="{attr(meta.date)}">')
        shown = frozenset("".join([meta.title, marking.label, main, notes, editions]))
        head.append(f"<style>{stylesheet(self.layout, sorted(self.styles), marking, shown)}"
                    "</style>")
        return "\n".join([
            "<!DOCTYPE html>",
            f'<html lang="{attr(meta.language)}">',
            f"<head>{''.join(head)}</head>",
            "<body>",
            f'<header class="page-header">{banner}{editions}</header>',
            f"<main>\n{main}\n{notes}</main>",
            f'<footer class="page-footer">{banner}</footer>',
            "</body>",
            "</html>",
            "",
        ]).encode("utf-8")


def render_html(document: t.Document, layout: LoadedLayout) -> bytes:
    """The web edition of `document` in `layout`, as the bytes of one HTML file."""
    return HtmlRenderer(layout).render(document)
