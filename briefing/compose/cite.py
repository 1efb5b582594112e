"""Citations and the reference list of a brief in any CSL style, as document-tree inlines.

The formatting is pandoc's citeproc's (`pandoc_citeproc`), run once per brief on
every citation in reading order, so that note styles get their positions (ibid,
subsequent) right; its result is kept in this process and in the disk cache, keyed
by everything it depends on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.recent import Recent
from briefing.model import Source
from briefing.model.inline import CiteItem, split_locator

from . import locators
from .citation_styles import StyleError
from .csl import csl_item, describes_in_genre
from .pandoc_citeproc import (
    CiteRequest,
    Cluster,
    EngineError,
    Formatted,
    document,
    engine_identity,
    pandoc_binary,
    parse_output,
    run_pandoc,
    style_facts,
)
from .pandoc_inlines import to_csl_html, to_tree
from .tree import Inline

# Recent results by (style, input document, items): a rebuild after an edit that
# leaves the citations alone (the usual case in `watch`) skips pandoc entirely.
_CACHE = Recent(16)


@lru_cache(maxsize=32)
def _describes_in_genre(path: Path, _mtime: int) -> bool:
    return describes_in_genre(path.read_text("utf-8", errors="replace"))


def _asked(cluster: Cluster) -> list:
    """A citation as the cache's key spells it."""
    return [[[r.key, r.label, r.locator, r.prefix, r.suffix, r.mode] for r in cluster.items],
            cluster.note, cluster.in_note]


class _Run:
    """A pandoc run's result and its tree inlines, each made when first asked for and
    kept with the run (a rebuild that finds the run in this process converts nothing)."""

    def __init__(self, formatted: Formatted) -> None:
        self.formatted = formatted
        self.listed = frozenset(key for key, _ in formatted.entries)
        self._trees: dict[int, tuple[Inline, ...]] = {}
        self._references: list[tuple[str, tuple[Inline, ...]]] | None = None

    def citation_tree(self, index: int) -> tuple[Inline, ...]:
        if index not in self._trees:
            self._trees[index] = to_tree(self.formatted.citations[index])
        return self._trees[index]

    def references(self) -> list[tuple[str, tuple[Inline, ...]]]:
        if self._references is None:
            self._references = [(key, to_tree(entry)) for key, entry in
                                self.formatted.entries]
        return self._references


class _Placed:
    """A run seen from one Citer: its handles on the run's citations (a citation of
    no source the brief has went to no run and is empty)."""

    def __init__(self, run: _Run, sent: list[bool]) -> None:
        self.run = run
        given = iter(range(len(run.formatted.citations)))
        self.index = [next(given) if present else -1 for present in sent]

    def inlines(self, handle: int) -> list:
        index = self.index[handle]
        return self.run.formatted.citations[index] if index >= 0 else []

    def tree(self, handle: int) -> tuple[Inline, ...]:
        index = self.index[handle]
        return self.run.citation_tree(index) if index >= 0 else ()


def anchor(key: str) -> str:
    return f"ref-{key}"


class Citer:
    """Formats citations and the reference list for one brief in one style.

    Register every citation in reading order first, then ask for any of them:
    the first request formats them all, in order, as note styles require.
    """

    def __init__(self, sources: list[Source], style: Path) -> None:
        genre = _describes_in_genre(style, style.stat().st_mtime_ns)
        self._start([csl_item(s, genre) for s in sources], style)

    @classmethod
    def from_items(cls, items: list[dict], style: Path) -> Citer:
        """A Citer over CSL-JSON items as they are (the CSL test suite's input)."""
        citer = cls.__new__(cls)
        citer._start([dict(i) for i in items], style)
        return citer

    def _start(self, items: list[dict], style: Path) -> None:
        self.style_path = style
        try:
            self.facts = style_facts(style)
        except EngineError as exc:
            raise StyleError(str(exc)) from None
        self.is_note_style = self.facts.note
        self.items = {str(i["id"]): {**i, "id": str(i["id"])} for i in items}
        self.keys = list(self.items)
        self.clusters: list[Cluster] = []
        self._placed: _Placed | None = None

    def register(self, items: tuple[CiteItem, ...], narrative: bool = False,
                 note: int = 0) -> int:
        """Register a citation (`[@a, p. 4]`, or `@a` told as `narrative`) standing in
        note `note` (0: in running text); returns the handle `format` takes.

        A note style's citation is formatted as the text of its note, as the style
        writes it (pandoc would capitalise a note it makes itself: OSCOLA's "ibid"),
        a narrative one in full, the author being named in the running text
        (`names`)."""
        requests = []
        for item in items:
            if item.key in self.items:
                label, value = split_locator(item.locator)
                mode = ("author-in-text" if narrative and not self.is_note_style else
                        "suppress-author" if item.suppress_author else "normal")
                requests.append(CiteRequest(item.key, label, value, item.prefix, "", mode))
        return self.register_cluster(Cluster(tuple(requests), note, self.is_note_style))

    def register_cluster(self, cluster: Cluster) -> int:
        """Register a citation as the engine takes it."""
        self.clusters.append(cluster)
        self._placed = None
        return len(self.clusters) - 1

    def format(self, handle: int) -> tuple[Inline, ...]:
        """The formatted citation as inlines (for a note style, its note's text)."""
        return self._resolve().tree(handle)

    def names(self, keys: tuple[str, ...]) -> str:
        """Who a narrative citation names in running text ("Cha", "Puggia and Reyes
        Castro", "Reuters"; the title of an authorless work)."""
        return "; ".join(narrative_name(self.items[key]) for key in keys if key in self.items)

    def citation_html(self, handle: int) -> str:
        """The formatted citation as the HTML CSL processors print."""
        return to_csl_html(self._resolve().inlines(handle))

    def listed(self, key: str) -> bool:
        """Whether the reference list has an entry for `key` (a link target)."""
        return key in self._resolve().run.listed

    def references(self) -> list[tuple[str, tuple[Inline, ...]]]:
        """(key, entry inlines) in the style's order: the sources the style lists."""
        return self._resolve().run.references()

    def reference_html(self) -> list[tuple[str, str]]:
        """(key, entry as the HTML CSL processors print) in the list's order."""
        return [(key, to_csl_html(entry))
                for key, entry in self._resolve().run.formatted.entries]

    def _resolve(self) -> _Placed:
        if self._placed is None:
            clusters = [c for c in self.clusters if c.items]
            items = json.dumps(list(self.items.values()), ensure_ascii=False,
                               sort_keys=True)
            asked = json.dumps([_asked(c) for c in clusters], ensure_ascii=False)
            key = (str(self.style_path), self.style_path.stat().st_mtime_ns, asked, items)
            run = _CACHE.get(key)
            if run is None:
                run = _Run(self._cached_run(clusters, asked, items))
                _CACHE.put(key, run)
            self._placed = _Placed(run, [bool(c.items) for c in self.clusters])
        return self._placed

    def _cached_run(self, clusters: list[Cluster], asked: str, items: str) -> Formatted:
        """The pandoc run, from the disk cache when this engine formatted this style,
        these items and these citations before (the input document is made, and
        pandoc run, only when it did not)."""
        from briefing.core.digests import file_digest

        try:
            binary = pandoc_binary()
            name = digests.code_key("citations", engine_identity(binary),
                                    file_digest(self.style_path), asked, items,
                                    file_digest(locators.DATA))
            stored = disk.get("citations", name)
            if stored is not None:
                try:
                    data = json.loads(stored)
                    return Formatted(tuple(data["citations"]),
                                     tuple((key, entry) for key, entry in data["entries"]))
                except (ValueError, KeyError, TypeError):
                    pass
            source = document(self.keys, clusters, self.facts)
            output = run_pandoc(source, list(self.items.values()), self.style_path)
        except EngineError as exc:
            raise StyleError(str(exc)) from None
        formatted = parse_output(output, len(clusters))
        disk.put("citations", name, json.dumps(
            {"citations": formatted.citations, "entries": formatted.entries},
            ensure_ascii=False).encode())
        return formatted


def narrative_name(item: dict) -> str:
    """The author as a sentence names them: family names (two joined by "and",
    more as "X et al."), an organisation as written, else the work's title."""
    names = [n.get("family") or n.get("literal", "") for n in item.get("author", [])]
    names = [n for n in names if n]
    if not names:
        title = item.get("title") or item.get("genre")
        return f"“{title}”" if title else ""
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)
