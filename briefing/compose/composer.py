"""Compose: run the layout's jinja2 template over a brief and parse its block markup.

The template (sandboxed, autoescaped, strict about undefined names) emits a
small XML vocabulary; prose fields pass through the `md` filter, which stores
their parsed inline Markdown and leaves a placeholder. Content therefore never
reaches the markup parser as markup: `<b>` or `{{ 7*7 }}` in a brief is text.

Markup: <h level anchor>, <p style anchor>, <list ordered style><item>,
<table widths header style><row><cell style>, <box style title>,
<kj number anchor likelihood confidence><text/><basis/></kj>, <pagebreak/>,
<references/>, <notes/>; inline: <b>, <i>, <a href>, <md n/>, <cite key locator/>,
<fn>.
"""

from __future__ import annotations

import re
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jinja2 import StrictUndefined
from markupsafe import Markup, escape

from briefing.compose.fields import FieldStr, field_infos, marked_brief
from briefing.core.findings import ContentError, Finding, Place, did_you_mean
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief, first_place
from briefing.load.layout import BOX_STYLES, STYLE_NAMES, LoadedLayout
from briefing.load.layout_ranges import text_area_pt
from briefing.load.snapshots import what_changed
from briefing.model import Marking, marks, placeholders
from briefing.model.inline import CiteItem, parse_inline
from briefing.model.scripts import script_languages
from briefing.model.vocab import CREDIBILITY, LIKELIHOOD_BANDS, RELIABILITY, TLP_COLOURS

from . import template_budget, template_trace
from . import tree as t
from .citation_styles import check_style
from .cite import Citer, anchor
from .markup import MarkupError, element_offset, numbers, one_of, parse, whole
from .notes import place_notes
from .template_budget import TemplateStopped
from .templates import BoundedSandbox, ConfinedLoader, compiled_templates, main_template_problem

_SPACE = re.compile(r"\s+")
BLOCK_TAGS = ("h", "p", "list", "table", "box", "kj", "pagebreak", "references", "group",
              "document")
INLINE_TAGS = ("b", "i", "a", "fn", "br", "cite", "md")
#: The narrowest a table's column may be, in points (a few characters and the padding).
MIN_COLUMN_PT = 24.0
# Field markers: noncharacters that never occur in text, so they survive the template
# (in text and in attributes alike) and are turned into Field nodes by the builder.
FIELD_START, FIELD_MID, FIELD_END = "\ufdd0", "\ufdd1", "\ufdd2"
_FIELD_MARK = re.compile(f"({FIELD_START}\\d+{FIELD_MID}|{FIELD_END})")


class ComposeError(Exception):
    """The layout's template failed or emitted markup the composer cannot read (compose
    reports both as located findings, a ContentError; this is kept for callers that
    still name it)."""


@dataclass
class _Prose:
    """Prose seen while the template runs, by placeholder number, and the keys of the
    content fields it came from (marked only when `fields` is on)."""

    texts: list[str]
    keys: list[str]
    fields: bool = False

    def md(self, value: object) -> Markup:
        self.texts.append(str(value))
        return self.mark(value, Markup(f'<md n="{len(self.texts) - 1}"/>'))

    def finalize(self, value: object) -> object:
        """Every `{{ … }}` output: a content field is wrapped in field markers."""
        return self.mark(value, escape(value)) if isinstance(value, FieldStr) else value

    def mark(self, value: object, markup: Markup) -> Markup:
        if not (self.fields and isinstance(value, FieldStr)):
            return markup
        self.keys.append(value.key)
        return Markup(f"{FIELD_START}{len(self.keys) - 1}{FIELD_MID}") + markup + FIELD_END


def _environment(layout: LoadedLayout, prose: _Prose) -> BoundedSandbox:
    env = BoundedSandbox(
        finalize=prose.finalize,
        loader=ConfinedLoader(layout.folder),
        bytecode_cache=compiled_templates(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["percent"] = lambda band: "{:d}–{:d} %".format(*LIKELIHOOD_BANDS[band][2:])
    env.globals.update(reliability_words=RELIABILITY, credibility_words=CREDIBILITY,
                       likelihood_bands=LIKELIHOOD_BANDS)
    return env


def render_markup(loaded: LoadedBrief, layout: LoadedLayout,
                  fields: bool = False) -> tuple[str, _Prose]:
    """The template's output and the prose its placeholders stand for; with `fields`,
    the output marks where each content field of the brief stands. The template runs
    within its budget (`template_budget`); any failure is a ContentError at the
    template's line (or at layout.yaml's `template:` for a name that may not be used)."""
    problem = main_template_problem(layout)
    if problem is not None:
        raise ContentError([problem])
    prose = _Prose([], [], fields)
    template, variables = _prepared(loaded, layout, prose)
    try:
        return template_budget.run(template, variables), prose
    except Exception as exc:  # noqa: BLE001 - the template is its author's code: any
        raise ContentError([_template_failure(exc, layout)]) from None  # error is theirs


def _prepared(loaded: LoadedBrief, layout: LoadedLayout, prose: _Prose):
    """(a function giving the loaded template, the variables it renders with)."""
    env = _environment(layout, prose)
    env.filters["md"] = prose.md
    env.filters["portion"] = partial(_portion, loaded.brief.marking)
    brief = marked_brief(loaded.brief) if prose.fields else loaded.brief
    variables = {"brief": brief, "layout": layout.layout, "changes": what_changed(loaded)}
    return partial(env.get_template, layout.layout.template), variables


def _template_failure(exc: Exception, layout: LoadedLayout) -> Finding:
    """The located finding of an error the template raised or its budget stopped."""
    if isinstance(exc, TemplateStopped):
        message = str(exc)
    elif isinstance(exc, MemoryError):
        message = template_budget.memory_message()
    elif isinstance(exc, RecursionError):
        message = ("template error: maximum recursion depth exceeded (a macro or include "
                   "that calls itself without end)")
    else:
        message = f"template error: {str(exc) or type(exc).__name__}"
    where = getattr(exc, "where", None)
    place = (Place(display_path(Path(where[0])), where[1], 1) if where
             else _template_place(exc, layout))
    return Finding(place, "error", message, rule="BR813")


def output_place(loaded: LoadedBrief, layout: LoadedLayout, fields: bool,
                 offset: int) -> Place:
    """The line of the layout's templates that wrote character `offset` of the output
    (the template run again; its first line if it cannot say)."""
    template, variables = _prepared(loaded, layout, _Prose([], [], fields))
    try:
        where = template_trace.line_at(template_budget.pieces(template, variables), offset)
    except Exception:  # noqa: BLE001 - it ran once; a second run that fails cannot say
        where = None
    if where is None:
        return Place(display_path(layout.folder / layout.layout.template), 1, 1)
    return Place(display_path(Path(where[0])), where[1], 1)


def _styles_used(blocks) -> Iterator[str]:
    """Every paragraph, heading, list, cell, box and judgment style the tree names."""
    for block in blocks:
        if isinstance(block, t.Heading):
            yield block.style_name
        elif isinstance(block, t.Paragraph | t.ListBlock | t.KeyJudgment):
            yield block.style
        elif isinstance(block, t.Table):
            yield from (cell.style for row in block.rows for cell in row)
        elif isinstance(block, t.Box):
            yield block.style
            yield from _styles_used(block.children)


def _portion(marking: Marking, item: object) -> str:
    """"(S//NF) " before an item the brief portion-marks, "" otherwise."""
    level = getattr(item, "classification", None)
    if not (marking.portion_marks and level):
        return ""
    return f"{marks.portion(marking.scheme, level, tuple(getattr(item, 'controls', ())))} "


def _template_place(exc: BaseException, layout: LoadedLayout) -> Place:
    """Where in the layout's templates an error arose: a syntax error says so itself;
    for an error while rendering, jinja2 puts the template's line in the traceback (the
    innermost frame of a template in the layout's folder)."""
    name = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if name is None or line is None:
        folder = layout.folder.resolve()
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.endswith(".j2") and _inside(f.filename, folder)]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    path = Path(name) if name else layout.folder / layout.layout.template
    if not path.is_absolute():
        path = layout.folder / path
    return Place(display_path(path), line or 1, 1)


def _inside(filename: str, folder: Path) -> bool:
    try:
        return Path(filename).resolve().is_relative_to(folder)
    except (OSError, RuntimeError):
        return False


def _style_place(layout: LoadedLayout, style: str) -> Place:
    """The first line of the layout's templates that names `style` (at the name)."""
    quoted = first_place(sorted(layout.folder.glob("*.j2")), f'"{style}"')
    if quoted is None:
        return Place(display_path(layout.folder / layout.layout.template))
    return Place(quoted.path, quoted.line, quoted.col + 1)


def parse_markup(markup: str, layout: LoadedLayout) -> ET.Element:
    """The template's output as XML; MarkupError if it is not well-formed."""
    return parse(markup)


def _refuse_unknown_styles(styles: Iterable[str], layout: LoadedLayout) -> None:
    """ContentError with a located error for each of `styles` (as the template's output
    names them) that no layout can define."""
    findings = [Finding(_style_place(layout, style), "error",
                        f"the template uses unknown style '{style}'"
                        f"{did_you_mean(style, STYLE_NAMES)}", rule="BR813")
                for style in dict.fromkeys(styles)
                if style not in STYLE_NAMES and style not in BOX_STYLES]
    if findings:
        raise ContentError(findings)


def template_environment(layout: LoadedLayout) -> BoundedSandbox:
    """The sandboxed jinja2 environment the layout's templates run in."""
    return _environment(layout, _Prose([], []))


def compose(loaded: LoadedBrief, layout: LoadedLayout, fields: bool = False) -> t.Document:
    """The document tree of a validated brief in a layout; with `fields`, the prose of
    each content field is wrapped in a Field node and the tree carries its provenance.
    A failure of the template or of its markup is a ContentError at the template's
    line."""
    markup, prose = render_markup(loaded, layout, fields)
    root = _parsed(loaded, layout, markup, fields)
    # the styles the markup names, before any citation is formatted; then the tree's
    _refuse_unknown_styles((el.get("style") for el in root.iter() if el.get("style")), layout)
    brief = loaded.brief
    citer = Citer(list(brief.sources), check_style(layout.layout.citation_style,
                                                   layout.folder))
    blocks = _blocks(loaded, layout, markup, prose, citer, root)
    _refuse_unknown_styles(_styles_used(blocks), layout)
    marking = brief.marking
    colour = TLP_COLOURS.get(marking.tlp or "", "#FFFFFF")
    meta = t.Metadata(
        title=brief.title, subtitle=brief.subtitle or "", authors=tuple(brief.authors),
        subject=brief.subtitle or brief.title, keywords=tuple(brief.keywords),
        language=brief.language, date=brief.date.isoformat(), edition=brief.edition,
        header=placeholders.fill(layout.layout.header, _pattern_values(brief)),
        script_languages=script_languages(brief), identifier=brief.id,
    )
    banner = t.Marking(marking.label, foreground=colour if marking.tlp else "#FFFFFF",
                       background="#000000" if marking.tlp else "#1F3B5C")
    provenance = None
    if fields:
        infos = field_infos(brief, loaded.located)
        provenance = t.Provenance(brief.id, tuple(infos[key] for key in
                                                  dict.fromkeys(prose.keys)))
    return t.Document(meta, banner, blocks, provenance)


def _parsed(loaded: LoadedBrief, layout: LoadedLayout, markup: str,
            fields: bool) -> ET.Element:
    try:
        return parse(markup)
    except MarkupError as exc:
        raise ContentError([_markup_finding(exc, loaded, layout, fields)]) from None


def _blocks(loaded: LoadedBrief, layout: LoadedLayout, markup: str, prose: _Prose,
            citer: Citer, root: ET.Element | None = None
            ) -> tuple[t.Block, ...]:
    """The blocks of the template's output (`root`, its parsed XML, if at hand)."""
    brief = loaded.brief
    root = _parsed(loaded, layout, markup, prose.fields) if root is None else root
    builder = _Builder(prose.texts, citer, {s.id: s.language for s in brief.sources},
                       brief.language, prose.keys, text_area_pt(layout.layout)[0])
    builder.source_marks = {s.id: _portion(brief.marking, s) for s in brief.sources}
    try:
        _clean_attributes(root)
        builder.register_citations(root)
        return tuple(builder.blocks(root))
    except MarkupError as exc:
        exc.offset = element_offset(markup, root, exc.element) if exc.element is not None \
            else exc.offset
        raise ContentError([_markup_finding(exc, loaded, layout, prose.fields)]) from None


def _markup_finding(exc: MarkupError, loaded: LoadedBrief, layout: LoadedLayout,
                    fields: bool) -> Finding:
    place = (output_place(loaded, layout, fields, exc.offset) if exc.offset is not None
             else Place(display_path(layout.folder / layout.layout.template), 1, 1))
    return Finding(place, "error", exc.message, rule="BR813")


def _clean_attributes(root: ET.Element) -> None:
    """Field markers mean nothing in an attribute (a box title, say): drop them."""
    for element in root.iter():
        for name, value in element.attrib.items():
            if FIELD_END in value:
                element.set(name, _FIELD_MARK.sub("", value))


def _pattern_values(brief) -> dict[str, str]:
    """What a header or footer's {title}, {edition} and {date} stand for."""
    return {"title": brief.title, "edition": str(brief.edition),
            "date": brief.date.isoformat()}


class _Builder:
    """Walks the template's XML and builds blocks and inlines."""

    def __init__(self, texts: list[str], citer: Citer,
                 languages: dict[str, str], language: str, field_keys: list[str],
                 text_width: float):
        self.texts = texts
        self.text_width = text_width  # points between the margins
        self.field_keys = field_keys
        self.citer = citer
        self.languages = languages
        self.language = language
        self.citations: dict[int, object] = {}
        self.source_marks: dict[str, str] = {}  # portion mark before a reference entry
        self.parsed = [parse_inline(text) for text in texts]  # the prose's inline Markdown
        self.note_depth = 0  # > 0 while building the text of a note

    # -- citations are registered in reading order before any is formatted --

    def register_citations(self, root: ET.Element) -> None:
        """Register every citation in reading order with the note it stands in: a
        template's <fn> is a note, and so is each citation of a note style in
        running text (numbered 1…N in reading order, as the renderers number them)."""
        self._notes = 0
        self._register(root, 0)

    def _register(self, element: ET.Element, note: int) -> None:
        if element.tag == "fn" and not note:
            self._notes += 1
            note = self._notes
        if element.tag == "md":
            for token in self.parsed[self._prose_number(element)]:
                if token.type == "citation":
                    self.citations[id(token.meta)] = self.citer.register(
                        token.meta["items"], token.meta["narrative"], self._note(note))
        elif element.tag == "cite":
            self.citations[id(element)] = self.citer.register(
                self._cite_items(element), note=self._note(note))
        for child in element:
            self._register(child, note)

    def _note(self, note: int) -> int:
        """The note the next citation stands in: `note`, or (a note style, in running
        text) a note of its own; 0 in running text."""
        if note or not self.citer.is_note_style:
            return note
        self._notes += 1
        return self._notes

    @staticmethod
    def _cite_items(element: ET.Element) -> tuple[CiteItem, ...]:
        keys = [k for k in element.get("key", "").split(";") if k]
        return tuple(CiteItem(k, element.get("locator", "")) for k in keys)

    # -- blocks --

    def blocks(self, parent: ET.Element):
        for element in parent:
            yield from self.block(element)

    def block(self, el: ET.Element):
        tag = el.tag
        if tag == "h":
            yield t.Heading(whole(el, "level", 1, 1, 3), self.inlines(el),
                            el.get("anchor", ""), el.get("style", ""))
        elif tag == "p":
            yield t.Paragraph(self.inlines(el), el.get("style", "Body"), el.get("anchor", ""))
        elif tag == "list":
            items = tuple(self.inlines(item) for item in el if item.tag == "item")
            yield t.ListBlock(items, el.get("ordered") == "true", el.get("style", "List"))
        elif tag == "table":
            yield self._table(el)
        elif tag == "box":
            yield t.Box(tuple(self.blocks(el)), el.get("style", "Box"), el.get("title", ""))
        elif tag == "kj":
            yield self._judgment(el)
        elif tag == "pagebreak":
            yield t.PageBreak()
        elif tag == "references":
            for key, entry in self.citer.references():
                lang = self.languages.get(key, "")
                if self.source_marks.get(key):
                    entry = _merge([t.Text(self.source_marks[key]), *entry])
                yield t.Paragraph(entry, el.get("style", "Source Entry"), anchor(key),
                                  lang if lang != self.language else "")
        elif tag in ("group", "document"):
            yield from self.blocks(el)
        else:
            raise MarkupError(f"the template wrote an unknown block <{tag}>; the blocks are "
                              f"{', '.join(f'<{b}>' for b in BLOCK_TAGS)}", el)

    def _table(self, el: ET.Element) -> t.Table:
        """A table whose rows have one number of cells, each column wide enough to hold
        text (its `widths` are shares of the text's width)."""
        rows = tuple(tuple(t.Cell(self.inlines(c), c.get("style", "Table Text"))
                           for c in row if c.tag == "cell") for row in el if row.tag == "row")
        if not rows or not rows[0]:
            raise MarkupError("the template wrote a <table> with no <row> of <cell>s", el)
        columns = len(rows[0])
        for number, row in enumerate(rows, 1):
            if len(row) != columns:
                raise MarkupError(f"row {number} of a <table> has {len(row)} <cell>s; its "
                                  f"first row has {columns}", el)
        widths = numbers(el, "widths")
        if widths and len(widths) != columns:
            raise MarkupError(f"widths=\"{el.get('widths')}\" of <table> gives "
                              f"{len(widths)} widths for {columns} columns", el)
        for number, share in enumerate(widths, 1):
            points = self.text_width * share / sum(widths)
            if points < MIN_COLUMN_PT:
                raise MarkupError(
                    f"column {number} of a <table> is {points:.1f} pt wide (widths=\""
                    f"{el.get('widths')}\" of the text's {self.text_width:.1f} pt); each "
                    f"column must be at least {MIN_COLUMN_PT:g} pt wide", el)
        return t.Table(rows, widths, whole(el, "header", 1, 0, len(rows)),
                       el.get("style", "Brief Table"), el.get("caption", ""))

    def _judgment(self, el: ET.Element) -> t.KeyJudgment:
        text = el.find("text")
        basis = el.find("basis")
        likelihood = one_of(el, "likelihood", LIKELIHOOD_BANDS)
        band = LIKELIHOOD_BANDS[likelihood][2:] if likelihood else None
        return t.KeyJudgment(
            number=whole(el, "number", 0), anchor=el.get("anchor", ""),
            children=self.inlines(text) if text is not None else (),
            confidence=el.get("confidence", ""), likelihood=likelihood,
            likelihood_range=band, basis=self.inlines(basis) if basis is not None else (),
            style=el.get("style", "Key Judgment"))

    # -- inlines --

    def inlines(self, el: ET.Element) -> tuple[t.Inline, ...]:
        out: list[t.Inline] = []
        _text(out, _squash(el.text))
        for child in el:
            out.extend(self.inline(child))
            _text(out, _squash(child.tail))
        return _strip(place_notes(self._nest_fields(_merge(out)), self.language))

    def _nest_fields(self, nodes: tuple[t.Inline, ...]) -> tuple[t.Inline, ...]:
        """Turn field markers in the text into Field nodes around what they enclose."""
        if not any(isinstance(n, t.Text) and FIELD_END in n.text for n in nodes):
            return nodes
        stack: list[tuple[str, list[t.Inline]]] = [("", [])]
        for node in nodes:
            if not isinstance(node, t.Text):
                stack[-1][1].append(node)
                continue
            for piece in _FIELD_MARK.split(node.text):
                if piece == FIELD_END:
                    if len(stack) > 1:
                        key, children = stack.pop()
                        stack[-1][1].append(t.Field(key, _merge(children)))
                elif piece.startswith(FIELD_START):
                    stack.append((self.field_keys[int(piece[1:-1])], []))
                elif piece:
                    _text(stack[-1][1], piece)
        while len(stack) > 1:  # unbalanced markers cannot come from the filters; be safe
            key, children = stack.pop()
            stack[-1][1].extend(children)
        return _merge(stack[0][1])

    def inline(self, el: ET.Element) -> list[t.Inline]:
        tag = el.tag
        if tag == "md":
            return self.markdown(self._prose_number(el))
        if tag == "b":
            return [t.Strong(self.inlines(el))]
        if tag == "i":
            return [t.Emph(self.inlines(el))]
        if tag == "a":
            return [t.Link(el.get("href", ""), self.inlines(el))]
        if tag == "fn":
            if self.note_depth:  # a note in a note reads as part of its text
                return list(self.inlines(el))
            self.note_depth += 1
            try:
                return [t.Footnote(self.inlines(el))]
            finally:
                self.note_depth -= 1
        if tag == "br":
            return [t.LineBreak()]
        if tag == "cite":
            return self._citation(self.citations[id(el)], self._cite_items(el), False)
        raise MarkupError(f"the template wrote an unknown inline <{tag}>; the inlines are "
                          f"{', '.join(f'<{i}>' for i in INLINE_TAGS)}", el)

    def _prose_number(self, el: ET.Element) -> int:
        """The prose an <md n> stands for (the `md` filter writes them; a template that
        writes one itself must name prose the filter kept)."""
        if not self.texts:
            raise MarkupError("the template wrote an <md> but passed no prose through the "
                              "md filter", el)
        return whole(el, "n", None, 0, len(self.texts) - 1)

    def markdown(self, n: int) -> list[t.Inline]:
        stack: list[list[t.Inline]] = [[]]
        links: list[str] = []
        for token in self.parsed[n]:
            kind = token.type
            if kind == "text":
                _text(stack[-1], token.content)
            elif kind in ("softbreak",):
                _text(stack[-1], " ")
            elif kind == "hardbreak":
                stack[-1].append(t.LineBreak())
            elif kind == "code_inline":
                stack[-1].append(t.Code(token.content))
            elif kind in ("em_open", "strong_open", "link_open"):
                if kind == "link_open":
                    links.append(str(token.attrGet("href") or ""))
                stack.append([])
            elif kind in ("em_close", "strong_close", "link_close"):
                children = tuple(stack.pop())
                node = (t.Emph(children) if kind == "em_close" else
                        t.Strong(children) if kind == "strong_close" else
                        t.Link(links.pop(), children))
                stack[-1].append(node)
            elif kind == "citation":
                citation = self.citations[id(token.meta)]
                for node in self._citation(citation, token.meta["items"],
                                           token.meta["narrative"]):
                    if isinstance(node, t.Text):
                        _text(stack[-1], node.text)
                    else:
                        stack[-1].append(node)
        return place_notes(_merge(stack[0]), self.language)

    def _citation(self, citation, items: tuple[CiteItem, ...],
                  narrative: bool) -> list[t.Inline]:
        formatted = self.citer.format(citation)
        keys = tuple(i.key for i in items)
        if self.citer.is_note_style and not self.note_depth:
            if narrative:  # "as @cha says" → "as Cha¹ says"
                return [t.Text(self.citer.names(keys)), t.Footnote(formatted)]
            return [t.Footnote(formatted)]
        listed = [key for key in keys if self.citer.listed(key)]  # a style may leave
        return [t.Citation(formatted, keys, anchor(listed[0]) if listed else "")]  # one out


def _squash(text: str | None) -> str | None:
    """Template whitespace (newlines, indentation) reads as one space."""
    return _SPACE.sub(" ", text) if text else text


def _strip(nodes: tuple[t.Inline, ...]) -> tuple[t.Inline, ...]:
    """Drop space at the start and end of a paragraph."""
    out = list(nodes)
    if out and isinstance(out[0], t.Text):
        out[0] = t.Text(out[0].text.lstrip())
    if out and isinstance(out[-1], t.Text):
        out[-1] = t.Text(out[-1].text.rstrip())
    return tuple(n for n in out if not (isinstance(n, t.Text) and not n.text))


def _text(out: list[t.Inline], text: str | None) -> None:
    if not text:
        return
    if out and isinstance(out[-1], t.Text):
        out[-1] = t.Text(out[-1].text + text)
    else:
        out.append(t.Text(text))


def _merge(nodes: list[t.Inline]) -> tuple[t.Inline, ...]:
    out: list[t.Inline] = []
    for node in nodes:
        if isinstance(node, t.Text):
            _text(out, node.text)
        else:
            out.append(node)
    return tuple(out)


__all__ = ["compose", "render_markup", "ComposeError"]
