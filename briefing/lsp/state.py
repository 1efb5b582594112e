"""What the server knows of one brief between checks: its files, the URIs it published
findings to, and the ids of its sources, judgments and alternatives with their places,
from the last text that parsed (so completion and navigation keep working while the
editor's text is half-typed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.core.findings import Place
from briefing.load.brief import LoadedBrief
from briefing.load.yamlpos import Located

if TYPE_CHECKING:
    from .diagnostics import Checked


@dataclass(frozen=True)
class Entry:
    """A source, judgment or alternative: its id, where the id stands, its fields."""

    ident: str
    place: Place
    data: dict[str, Any]


@dataclass(frozen=True)
class BriefIndex:
    """The brief's items by id, read from its plain data (before the model checks it)."""

    sources: dict[str, Entry] = field(default_factory=dict)
    judgments: dict[str, Entry] = field(default_factory=dict)
    alternatives: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, located: Located) -> BriefIndex:
        data = located.data if isinstance(located.data, dict) else {}

        def entries(key: str) -> dict[str, Entry]:
            items = data.get(key)
            found: dict[str, Entry] = {}
            for i, item in enumerate(items if isinstance(items, list) else []):
                ident = item.get("id") if isinstance(item, dict) else None
                place = located.values.get((key, i, "id"))
                if isinstance(ident, str) and place is not None:
                    found.setdefault(ident, Entry(ident, place, item))
            return found

        return cls(entries("sources"), entries("key_judgments"), entries("alternative_views"))


@dataclass
class BriefState:
    """One brief as the server last checked it."""

    path: Path
    files: tuple[Path, ...] = ()
    published: set[str] = field(default_factory=set)
    index: BriefIndex = field(default_factory=BriefIndex)
    loaded: LoadedBrief | None = None
    references: dict[str, str] | None = None  # source id → formatted reference, lazily

    def learn(self, checked: Checked) -> None:
        """Keep what a check found out: the ids (when the text parsed), the files, the
        loaded brief (when the model accepted it)."""
        if checked.located is not None:
            self.index = BriefIndex.of(checked.located)
        if checked.files:
            self.files = checked.files
        loaded = checked.validation.loaded
        if loaded is not None:
            if self.loaded is None or self.loaded.brief.sources != loaded.brief.sources:
                self.references = None
            self.loaded = loaded
