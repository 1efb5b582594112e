"""Read a DOCX as a reader sees it: paragraphs of formatted atoms, in reading order.

Tracked changes are decided first (accepted or rejected), then every paragraph of
the body (table cells included) becomes a list of atoms — text with its emphasis,
links, citation links, footnote marks — and zero-width markers where bookmarks and
comment ranges start and end. Word's habits are read through: runs split by rsid,
`w:proofErr`, smart tags, content controls, custom XML wrappers, field codes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from briefing.core.recent import Recent

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_PART_BYTES = 64 * 1024 * 1024  # a returned document larger than this is refused
NOTE_MARK = "\ufdd3"  # how a footnote mark counts in a paragraph's text

_FALSE = {"0", "false", "off", "none"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


W_PPR, W_PSTYLE, W_RPR, W_RSTYLE, W_B, W_I, W_VAL, W_ID, W_ANCHOR, W_FLD_CHAR_TYPE = (
    w(tag) for tag in ("pPr", "pStyle", "rPr", "rStyle", "b", "i", "val", "id", "anchor",
                       "fldCharType"))
RUN_TEXT = {"tab": " ", "noBreakHyphen": "-", "softHyphen": "\u00ad"}  # what they show


def local_name(node: etree._Element) -> str:
    """An element's tag without its namespace ("p" for w:p); "" for a comment or a
    processing instruction (what `etree.QName(node).localname` gives, faster)."""
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# The elements that hold paragraphs (and bookmarks between them).
BLOCKS = frozenset(("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "txbxContent",
                    "body", "footnote"))


class WordReadError(ValueError):
    """The file is not a DOCX that can be read."""


@dataclass(frozen=True, slots=True)
class Atom:
    """A piece of a paragraph: text (kind "text", with its look and link), a footnote
    mark ("note", `ref` is its id), a line break ("break"), or a marker ("start"/"end"
    of a bookmark or comment range: `text` says which, `ref` is its id, `name` the
    bookmark's name)."""

    kind: str
    text: str = ""
    bold: bool = False
    italic: bool = False
    url: str = ""
    anchor: str = ""
    ref: str = ""
    name: str = ""

    @property
    def width(self) -> int:
        return len(self.text) if self.kind == "text" else 1 if self.kind in ("note",
                                                                               "break") else 0


@dataclass
class Para:
    """A paragraph: its number in reading order (from 1), style id and atoms."""

    number: int
    style: str
    atoms: list[Atom] = field(default_factory=list)
    in_field_result: bool = False

    @property
    def text(self) -> str:
        return "".join(plain(a) for a in self.atoms)


def plain(atom: Atom) -> str:
    """The characters an atom stands for in a paragraph's text."""
    if atom.kind == "text":
        return atom.text
    if atom.kind == "note":
        return NOTE_MARK
    if atom.kind == "break":
        return "\n"
    return ""


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str


@dataclass
class WordDocument:
    """What import needs of a DOCX: paragraphs, footnotes, comments, custom XML parts."""

    paragraphs: list[Para]
    footnotes: dict[str, list[Atom]]
    comments: dict[str, Comment]
    custom_xml: list[bytes]


def read_docx(data: bytes, accept_changes: bool = True,
              accepted_author: str | None = None) -> WordDocument:
    """Read a DOCX's body, footnotes, comments and custom XML parts. Tracked changes
    are accepted or rejected as `accept_changes` says, except that those by
    `accepted_author` (a redline's own) are always accepted."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
    except zipfile.BadZipFile:
        raise WordReadError("not a DOCX file (not a zip package)") from None
    if "word/document.xml" not in names:
        raise WordReadError("not a DOCX file (no word/document.xml)")

    def part(name: str) -> etree._Element | None:
        if name not in names:
            return None
        info = package.getinfo(name)
        if info.file_size > MAX_PART_BYTES:
            raise WordReadError(f"part {name} inflates to {info.file_size:,} bytes; the "
                                f"limit is {MAX_PART_BYTES:,}")
        try:
            return parse_part(package.read(name))
        except etree.XMLSyntaxError as exc:
            raise WordReadError(f"part {name} is not well-formed XML ({exc})") from None

    document = read_parts(part, accept_changes, accepted_author)
    document.custom_xml = [
        package.read(n) for n in sorted(names)
        if n.startswith("customXml/item") and not n.startswith("customXml/itemProps")
        and n.endswith(".xml") and package.getinfo(n).file_size <= MAX_PART_BYTES]
    return document


def parse_part(data: bytes) -> etree._Element:
    """The XML of a part, parsed as a DOCX is read (no entities, DTD or network)."""
    return etree.fromstring(data, _PARSER)


def read_parts(part: Callable[[str], etree._Element | None],
               accept_changes: bool = True, accepted_author: str | None = None,
               remembered: bool = False) -> WordDocument:
    """Read the body, footnotes and comments of a package whose parts `part` gives by
    name ("word/document.xml"; None for a part it lacks). Tracked changes are decided
    in the trees `part` returns. Custom XML parts are left to the caller.

    `remembered`: a block of the body that this process read before, in the same
    styles and links, is not read again (see `Readings`); a renderer reading what it
    wrote asks for it, as its next document differs from its last in a block or two."""
    links = _hyperlink_targets(part("word/_rels/document.xml.rels"))
    styles = _Styles(part("word/styles.xml"))
    document = part("word/document.xml")
    decide_changes(document, accept_changes, accepted_author)
    body = document.find(w("body"))
    reader = _Reader(styles, links)
    if remembered:
        reader.readings = _READINGS.of(styles, links)
    paragraphs = reader.paragraphs(body if body is not None else document)
    footnotes: dict[str, list[Atom]] = {}
    notes = part("word/footnotes.xml")
    if notes is not None:
        decide_changes(notes, accept_changes, accepted_author)
        note_reader = _Reader(styles, _hyperlink_targets(part("word/_rels/footnotes.xml.rels")))
        for note in notes.iter(w("footnote")):
            atoms = [a for p in note_reader.paragraphs(note) for a in p.atoms]
            footnotes[note.get(w("id"), "")] = atoms
    comments = _comments(part("word/comments.xml"))
    return WordDocument(paragraphs, footnotes, comments, [])


class Readings:
    """The blocks of bodies this process has read, by their XML and the reader's state,
    for each of the last few contexts (the styles and hyperlink targets a block was read
    in: a renderer's next document has its last one's). A context keeps at most
    KEPT_BLOCKS readings; more, and it starts afresh."""

    CONTEXTS, KEPT_BLOCKS = 4, 4096

    def __init__(self):
        self.contexts = Recent(self.CONTEXTS)

    def of(self, styles: _Styles, links: dict[str, str]) -> dict:
        """The readings made in the context of `styles` and `links`."""
        context = (styles.fingerprint(), tuple(sorted(links.items())))
        found = self.contexts.get(context)
        if found is None or len(found) > self.KEPT_BLOCKS:
            found = {}
            self.contexts.put(context, found)
        return found


_READINGS = Readings()


def decide_changes(root: etree._Element, accept: bool,
                   accepted_author: str | None = None) -> None:
    """Accept (or reject) every tracked change in place; those by `accepted_author`
    are accepted either way."""

    def accepted(node: etree._Element) -> bool:
        return accept or (accepted_author is not None
                          and node.get(w("author")) == accepted_author)

    for tag in ("del", "moveFrom"):
        for node in list(root.iter(w(tag))):
            if not _is_run_level(node):
                continue
            if accepted(node):
                node.getparent().remove(node)
            else:
                for text in list(node.iter(w("delText"))):
                    text.tag = w("t")
                _unwrap(node)
    for tag in ("ins", "moveTo"):
        for node in list(root.iter(w(tag))):
            if not _is_run_level(node):
                continue
            if accepted(node):
                _unwrap(node)
            else:
                node.getparent().remove(node)
    if not accept:
        for text in list(root.iter(w("delText"))):
            text.tag = w("t")
    for change in list(root.iter(w("rPrChange"))):
        rpr = change.getparent()
        old = change.find(w("rPr"))
        if accepted(change) or old is None:
            rpr.remove(change)
        else:
            rpr.getparent().replace(rpr, old)
            old.tag = w("rPr")
    for change in list(root.iter(w("pPrChange"))):
        change.getparent().remove(change)


def _is_run_level(node: etree._Element) -> bool:
    """w:ins/w:del wrapping content (not the marks inside w:rPr/w:trPr that say a
    paragraph mark or a row was inserted or deleted)."""
    parent = node.getparent()
    return parent is not None and local_name(parent) not in ("rPr", "trPr", "tcPr", "pPr")


def _unwrap(node: etree._Element) -> None:
    parent = node.getparent()
    index = parent.index(node)
    for offset, child in enumerate(list(node)):
        parent.insert(index + offset, child)
    parent.remove(node)


def _hyperlink_targets(rels: etree._Element | None) -> dict[str, str]:
    if rels is None:
        return {}
    return {rel.get("Id", ""): rel.get("Target", "")
            for rel in rels.iter(f"{{{PKG_REL}}}Relationship")
            if rel.get("TargetMode") == "External"}


def _on(prop: etree._Element | None) -> bool | None:
    """A w:b / w:i toggle's value, or None when absent."""
    if prop is None:
        return None
    return prop.get(w("val"), "true").lower() not in _FALSE


class _Styles:
    """Bold and italic of each paragraph and character style, through `w:basedOn`."""

    def __init__(self, root: etree._Element | None):
        self.raw: dict[str, etree._Element] = {}
        self.default = (False, False)
        self._cache: dict[str, tuple[bool | None, bool | None]] = {}
        if root is None:
            return
        for style in root.iter(w("style")):
            self.raw[style.get(w("styleId"), "")] = style
        defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        if defaults is not None:
            self.default = (bool(_on(defaults.find(w("b")))), bool(_on(defaults.find(w("i")))))

    def look(self, style_id: str, depth: int = 0) -> tuple[bool | None, bool | None]:
        """(bold, italic) a style sets, None where it sets nothing."""
        if style_id in self._cache:
            return self._cache[style_id]
        style = self.raw.get(style_id)
        if style is None or depth > 20:
            return (None, None)
        rpr = style.find(w("rPr"))
        bold = _on(rpr.find(w("b"))) if rpr is not None else None
        italic = _on(rpr.find(w("i"))) if rpr is not None else None
        based = style.find(w("basedOn"))
        if based is not None and (bold is None or italic is None):
            parent = self.look(based.get(w("val"), ""), depth + 1)
            bold = parent[0] if bold is None else bold
            italic = parent[1] if italic is None else italic
        self._cache[style_id] = (bold, italic)
        return bold, italic

    def fingerprint(self) -> tuple:
        """All a reading takes from the styles: the defaults and each style's look."""
        return self.default, tuple((style_id, self.look(style_id)) for style_id in self.raw)

    def paragraph_look(self, style_id: str) -> tuple[bool, bool]:
        bold, italic = self.look(style_id or "Normal")
        return (self.default[0] if bold is None else bold,
                self.default[1] if italic is None else italic)


@dataclass
class _Context:
    para: Para
    base: tuple[bool, bool]
    url: str = ""
    anchor: str = ""


class _Reader:
    """Walks WordprocessingML into paragraphs of atoms."""

    def __init__(self, styles: _Styles, links: dict[str, str]):
        self.styles = styles
        self.links = links
        self.out: list[Para] = []
        self.field_depth = 0  # inside a complex field's result (a TOC, say)
        self.in_instruction = False
        self.readings: dict | None = None  # blocks read before (see `Readings`)

    def paragraphs(self, root: etree._Element) -> list[Para]:
        self.out = []
        for child in root:
            name = local_name(child)
            if self.readings is not None and name in BLOCKS:
                self._remembered(child, name)
            else:
                self._block(child, name)
        return self.out

    def _blocks(self, parent: etree._Element) -> None:
        for child in parent:
            self._block(child, local_name(child))

    def _block(self, child: etree._Element, name: str) -> None:
        if name == "p":
            self._paragraph(child)
        elif name in BLOCKS:
            self._blocks(child)
        elif name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                      "commentRangeEnd") and self.out:
            self.out[-1].atoms.append(_marker(child, name))

    def _remembered(self, child: etree._Element, name: str) -> None:
        """A block of the body, read as before if this process read its very XML in
        the same state (inside a field's result or instruction, or not)."""
        key = (etree.tostring(child), self.field_depth, self.in_instruction)
        found = self.readings.get(key)
        if found is None:
            start = len(self.out)
            self._block(child, name)
            found = ([(p.style, p.in_field_result, tuple(p.atoms)) for p in self.out[start:]],
                     self.field_depth, self.in_instruction)
            self.readings[key] = found
        else:
            for style, in_field_result, atoms in found[0]:
                self.out.append(Para(len(self.out) + 1, style, list(atoms), in_field_result))
            self.field_depth, self.in_instruction = found[1], found[2]

    def _paragraph(self, p: etree._Element) -> None:
        ppr = p.find(W_PPR)
        style = ""
        if ppr is not None and ppr.find(W_PSTYLE) is not None:
            style = ppr.find(W_PSTYLE).get(W_VAL, "")
        para = Para(len(self.out) + 1, style, in_field_result=self.field_depth > 0)
        self.out.append(para)
        self._inline(p, _Context(para, self.styles.paragraph_look(style)))

    def _inline(self, parent: etree._Element, ctx: _Context) -> None:
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            name = local_name(child)
            if name == "r":
                self._run(child, ctx)
            elif name == "hyperlink":
                rel = child.get(f"{{{R}}}id", "")
                self._inline(child, _Context(ctx.para, ctx.base, self.links.get(rel, ""),
                                             child.get(W_ANCHOR, "")))
            elif name in ("smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir",
                          "bdo"):
                self._inline(child, ctx)
            elif name in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                          "commentRangeEnd"):
                ctx.para.atoms.append(_marker(child, name))

    def _run(self, run: etree._Element, ctx: _Context) -> None:
        rpr = run.find(W_RPR)
        bold, italic = ctx.base
        if rpr is not None:
            char_style = rpr.find(W_RSTYLE)
            if char_style is not None:
                # b and i are toggles: a character style's turns the paragraph's off
                look = self.styles.look(char_style.get(W_VAL, ""))
                bold = bold != look[0] if look[0] is not None else bold
                italic = italic != look[1] if look[1] is not None else italic
            direct_bold, direct_italic = _on(rpr.find(W_B)), _on(rpr.find(W_I))
            bold = direct_bold if direct_bold is not None else bold
            italic = direct_italic if direct_italic is not None else italic
        # Emphasis is what differs from the paragraph's own look: bold in a regular
        # style, regular in a bold one (a key judgment, a heading); italic or upright.
        strong = bold != ctx.base[0]
        emph = italic != ctx.base[1]
        for child in run:
            name = local_name(child)
            if name == "rPr":
                continue
            if name == "fldChar":
                kind = child.get(W_FLD_CHAR_TYPE)
                if kind == "begin":
                    self.in_instruction = True
                elif kind == "separate":
                    self.in_instruction = False
                    self.field_depth += 1
                elif kind == "end":
                    self.in_instruction = False
                    self.field_depth = max(0, self.field_depth - 1)
                continue
            if self.in_instruction:
                continue
            if name in ("t", "delText"):
                self._text(ctx, child.text or "", strong, emph)
            elif name in RUN_TEXT:
                self._text(ctx, RUN_TEXT[name], strong, emph)
            elif name in ("br", "cr"):
                ctx.para.atoms.append(Atom("break"))
            elif name == "footnoteReference":
                ctx.para.atoms.append(Atom("note", ref=child.get(W_ID, "")))

    @staticmethod
    def _text(ctx: _Context, text: str, bold: bool, italic: bool) -> None:
        if not text:
            return
        atoms = ctx.para.atoms
        last = atoms[-1] if atoms else None
        if (last is not None and last.kind == "text" and (last.bold, last.italic, last.url,
                                                          last.anchor) ==
                (bold, italic, ctx.url, ctx.anchor)):
            atoms[-1] = Atom("text", last.text + text, bold, italic, ctx.url, ctx.anchor)
        else:
            atoms.append(Atom("text", text, bold, italic, ctx.url, ctx.anchor))


def _marker(node: etree._Element, name: str) -> Atom:
    kind = "start" if name.endswith("Start") else "end"
    group = "bookmark" if name.startswith("bookmark") else "comment"
    return Atom(kind, text=group, ref=node.get(w("id"), ""), name=node.get(w("name"), ""))


def _comments(root: etree._Element | None) -> dict[str, Comment]:
    if root is None:
        return {}
    out = {}
    for comment in root.iter(w("comment")):
        text = "\n".join("".join(t.text or "" for t in p.iter(w("t")))
                         for p in comment.iter(w("p"))).strip()
        out[comment.get(w("id"), "")] = Comment(comment.get(w("id"), ""),
                                                comment.get(w("author"), ""),
                                                comment.get(w("date"), ""), text)
    return out

