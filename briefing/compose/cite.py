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
        self._formatted: Formatted | None = None

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
        self._formatted = None
        return len(self.clusters) - 1

    def format(self, handle: int) -> tuple[Inline, ...]:
        """The formatted citation as inlines (for a note style, its note's text)."""
        return to_tree(self._resolve().citations[handle])

    def names(self, keys: tuple[str, ...]) -> str:
        """Who a narrative citation names in running text ("Cha", "Puggia and Reyes
        Castro", "Reuters"; the title of an authorless work)."""
        return "; ".join(narrative_name(self.items[key]) for key in keys if key in self.items)

    def citation_html(self, handle: int) -> str:
        """The formatted citation as the HTML CSL processors print."""
        return to_csl_html(self._resolve().citations[handle])

    def listed(self, key: str) -> bool:
        """Whether the reference list has an entry for `key` (a link target)."""
        return any(k == key for k, _ in self._resolve().entries)

    def references(self) -> list[tuple[str, tuple[Inline, ...]]]:
        """(key, entry inlines) in the style's order: the sources the style lists."""
        return [(key, to_tree(entry)) for key, entry in self._resolve().entries]

    def reference_html(self) -> list[tuple[str, str]]:
        """(key, entry as the HTML CSL processors print) in the list's order."""
        return [(key, to_csl_html(entry)) for key, entry in self._resolve().entries]

    def _resolve(self) -> Formatted:
        if self._formatted is None:
            clusters = [c for c in self.clusters if c.items]
            source = json.dumps(document(self.keys, clusters, self.facts),
                                ensure_ascii=False, sort_keys=True)
            items = json.dumps(list(self.items.values()), ensure_ascii=False,
                               sort_keys=True)
            key = (str(self.style_path), self.style_path.stat().st_mtime_ns, source, items)
            formatted = _CACHE.get(key)
            if formatted is None:
                formatted = self._cached_run(source, items, len(clusters))
                _CACHE.put(key, formatted)
            self._formatted = self._spread(formatted)
        return self._formatted

    def _spread(self, formatted: Formatted) -> Formatted:
        """The run's citations placed at their handles (an empty citation, of sources
        the brief does not have, is empty)."""
        given = iter(formatted.citations)
        return Formatted(tuple(next(given) if c.items else [] for c in self.clusters),
                         formatted.entries)

    def _cached_run(self, source: str, items: str, count: int) -> Formatted:
        """The pandoc run, from the disk cache when this engine formatted this style,
        these items and these citations before."""
        from briefing.core.digests import file_digest

        try:
            binary = pandoc_binary()
            name = digests.code_key("citations", engine_identity(binary),
                                    file_digest(self.style_path), source, items)
            stored = disk.get("citations", name)
            if stored is not None:
                try:
                    data = json.loads(stored)
                    return Formatted(tuple(data["citations"]),
                                     tuple((key, entry) for key, entry in data["entries"]))
                except (ValueError, KeyError, TypeError):
                    pass
            output = run_pandoc(json.loads(source), json.loads(items), self.style_path)
        except EngineError as exc:
            raise StyleError(str(exc)) from None
        formatted = parse_output(output, count)
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
