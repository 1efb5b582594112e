"""Review settings: `review: {select, ignore}` in a brief or its layout, and the
per-item `suppress: {BR204: "reason"}` entries, checked and located."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from briefing.core.findings import ContentError, Finding, Place, did_you_mean
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.load.layout import find_layout
from briefing.load.yamlpos import DataPath, Located, load_yaml
from briefing.model import ReviewSettings

from .rule import CODE, Rule

MIN_REASON_WORDS = 3


@dataclass(frozen=True)
class Settings:
    """Which codes run: those matching `select` (all when empty) and not `ignore`."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        if not CODE.match(code):
            return True  # a finding without a code cannot be selected away
        if self.select and not code.startswith(self.select):
            return False
        return not code.startswith(self.ignore) if self.ignore else True


@dataclass(frozen=True)
class Entry:
    """One `suppress` entry: a code, its reason, and the span of the item it covers."""

    code: str
    reason: str
    place: Place
    item: str
    start: Place | None  # None: the whole brief
    end: Place | None

    def covers(self, finding: Finding) -> bool:
        if finding.rule != self.code:
            return False
        if self.start is None or self.end is None:
            return True
        return (finding.place.path == self.start.path
                and self.start <= finding.place < self.end)

    def valid(self, rules: dict[str, Rule]) -> bool:
        return self.code in rules and len(self.reason.split()) >= MIN_REASON_WORDS

    def unused_finding(self) -> Finding:
        return Finding(self.place, "warning", f"{self.item} suppresses {self.code} but no "
                       f"{self.code} finding is there; remove the suppression", rule="BR003")


def read_settings(loaded: LoadedBrief,
                  rules: dict[str, Rule]) -> tuple[Settings, list[Finding]]:
    """The brief's settings merged with its layout's, and findings about bad entries."""
    problems = list(_check_codes(loaded.located, ("review",), loaded.brief.review, rules))
    problems += list(_check_suppressions(loaded, rules))
    layout = _layout_settings(loaded)
    select = loaded.brief.review.select or (layout[0].select if layout else [])
    ignore = [*loaded.brief.review.ignore, *(layout[0].ignore if layout else [])]
    if layout:
        problems += list(_check_codes(layout[1], ("review",), layout[0], rules))
    return Settings(tuple(select), tuple(ignore)), problems


def _layout_settings(loaded: LoadedBrief) -> tuple[ReviewSettings, Located] | None:
    """The layout's `review` settings; None when the layout cannot be read
    (building or `briefing validate` of the layout reports why)."""
    try:
        path = find_layout(loaded.brief.layout, loaded.root)
        located = load_yaml(path, display_path(path))
        data = located.data.get("review") if isinstance(located.data, dict) else None
        return (ReviewSettings.model_validate(data), located) if data else None
    except (ContentError, ValidationError, OSError):
        return None


def _check_codes(located: Located, path: DataPath, settings: ReviewSettings,
                 rules: dict[str, Rule]) -> Iterator[Finding]:
    for key in ("select", "ignore"):
        for k, entry in enumerate(getattr(settings, key)):
            if not any(code.startswith(entry) for code in rules) or not entry.startswith("BR"):
                place = located.place((*path, key, k)) or Place("?")
                yield Finding(place, "error", f"review {key} names '{entry}', which is no "
                              f"rule code or code prefix{did_you_mean(entry, rules)}; "
                              "`briefing rules` lists them", rule="BR001")


def _items(data: Any) -> Iterator[tuple[DataPath, str]]:
    """(path, name) of every mapping that may carry `suppress`."""
    yield (), "the brief"
    kinds = {"key_judgments": "key judgment", "alternative_views": "alternative view",
             "indicators": "indicator", "sources": "source"}
    for key, kind in kinds.items():
        for i, item in enumerate(data.get(key) or []):
            if not isinstance(item, dict):
                continue
            yield (key, i), f"{kind} '{item.get('id')}'"
            for j, ev in enumerate(item.get("evidence") or [] if key == "key_judgments" else []):
                if isinstance(ev, dict):
                    yield (key, i, "evidence", j), f"evidence '{ev.get('id')}'"


def span(located: Located, path: DataPath) -> tuple[Place, Place] | None:
    """From the first key or value of the item at `path` to the next one after it."""
    places = [p for table in (located.values, located.keys) for k, p in table.items()
              if k[:len(path)] == path]
    if not places:
        return None
    return min(places), located.next_after(max(places))


def suppressions(loaded: LoadedBrief) -> list[Entry]:
    """Every suppress entry with the span it covers (`valid` ones silence findings)."""
    entries = []
    located = loaded.located
    for path, name in _items(located.data):
        mapping = _get(located.data, path).get("suppress") or {}
        if not isinstance(mapping, dict) or not mapping:
            continue
        bounds = span(located, path) if path else None
        for code, reason in mapping.items():
            place = located.place((*path, "suppress", code), key=True) or loaded.place(*path)
            start, end = bounds if bounds else (None, None)
            entries.append(Entry(code, str(reason), place, name, start, end))
    return entries


def _check_suppressions(loaded: LoadedBrief, rules: dict[str, Rule]) -> Iterator[Finding]:
    for entry in suppressions(loaded):
        if entry.code not in rules:
            yield Finding(entry.place, "error", f"{entry.item} suppresses '{entry.code}', "
                          f"which is no rule code{did_you_mean(entry.code, rules)}; "
                          "`briefing rules` lists them", rule="BR001")
        elif not entry.valid(rules):
            yield Finding(entry.place, "error", f"{entry.item} suppresses {entry.code} "
                          f"without a reason; write why a reviewer should accept it "
                          f"(at least {MIN_REASON_WORDS} words)", rule="BR002")


def _get(data: Any, path: DataPath) -> dict:
    for part in path:
        data = data[part]
    return data if isinstance(data, dict) else {}
