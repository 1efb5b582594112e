"""Completion: source ids after `@` and in `source:`/`via:`; judgment (and alternative)
ids in `supports:`; the last release's judgment ids in `previous_id:`; likelihood,
confidence, reliability and credibility values; rule codes in `suppress:` and in
`review: {select, ignore}`."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.findings import ContentError
from briefing.load.snapshots import previous_release, releases_of
from briefing.model.vocab import CONFIDENCE_LEVELS, CREDIBILITY, LIKELIHOOD_BANDS, RELIABILITY
from briefing.review.registry import all_rules

from .scopes import Slot, slot_at
from .spans import Position
from .state import BriefState


@dataclass(frozen=True)
class Choice:
    """One completion: the text it inserts, a short detail and its kind."""

    text: str
    detail: str
    kind: str  # "reference", "value", "code"


def completions(lines: list[str], position: Position,
                state: BriefState | None) -> tuple[Slot, list[Choice]] | None:
    """What may be typed at `position`, with the slot it replaces; None if nothing."""
    slot = slot_at(lines, position)
    if slot is None or not slot.keys:
        return None
    choices = _choices(slot.keys, state)
    if choices is None:
        return None
    typed = slot.typed.lower()
    return slot, [c for c in choices if c.text.lower().startswith(typed)]


def _choices(keys: tuple[str, ...], state: BriefState | None) -> list[Choice] | None:
    key = keys[-1]
    index = state.index if state else None
    if key in ("@", "source", "via"):
        return [Choice(e.ident, str(e.data.get("title") or e.data.get("description") or ""),
                       "reference") for e in (index.sources.values() if index else [])]
    if key == "supports":
        return [*(Choice(e.ident, f"key judgment: {_short(e.data.get('text'))}", "reference")
                  for e in (index.judgments.values() if index else [])),
                *(Choice(e.ident, f"alternative view: {_short(e.data.get('text'))}",
                         "reference") for e in (index.alternatives.values() if index else []))]
    if key == "previous_id":
        return _released_judgments(state)
    if key == "likelihood":
        return [Choice(term, f"{low}–{high} % ({alternative})", "value")
                for term, (_, alternative, low, high) in LIKELIHOOD_BANDS.items()]
    if key == "confidence":
        return [Choice(level, "confidence", "value") for level in CONFIDENCE_LEVELS]
    if key == "reliability":
        return [Choice(code, meaning, "value") for code, meaning in RELIABILITY.items()]
    if key == "credibility":
        return [Choice(str(level), meaning, "value") for level, meaning in CREDIBILITY.items()]
    if key == "suppress" or (key in ("select", "ignore") and "review" in keys):
        return [Choice(rule.code, f"{rule.name}: {rule.summary}", "code")
                for rule in all_rules().values()]
    return None


def _released_judgments(state: BriefState | None) -> list[Choice]:
    """The judgments of the last released edition (what a renamed judgment was called)."""
    if state is None or state.loaded is None:
        return []
    try:
        base = previous_release(releases_of(state.loaded), state.loaded.brief.edition)
    except ContentError:
        return []
    if base is None:
        return []
    return [Choice(kj.id, f"key judgment of {base.label}: {_short(kj.text)}", "reference")
            for kj in base.brief.key_judgments]


def _short(text: object, length: int = 60) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= length else words[:length - 1] + "…"
