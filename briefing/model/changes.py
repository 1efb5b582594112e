"""What changed between two editions of a brief, as pure data.

Judgments are matched by id (`previous_id` records a rename); evidence and
sources by id. Each change carries the one-line summary every output prints
(the 'What changed' section, `briefing diff`, its JSON), so they always agree.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import asdict, dataclass, field

from . import Brief, Evidence, KeyJudgment, marks
from .editions import edition_number, long_date
from .inline import parse_inline
from .vocab import LIKELIHOODS

CONFIDENCES = ("low", "moderate", "high")
_SPACE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")

# Every kind of change, in the order a reader meets them.
KINDS = (
    "marking", "bluf revised", "judgment added", "judgment renamed", "judgment reworded",
    "likelihood", "confidence", "basis revised", "judgment marking", "evidence added",
    "evidence moved", "evidence revised", "evidence removed", "judgment dropped",
    "outlook revised", "source added", "source removed",
)


@dataclass(frozen=True)
class Change:
    """One change. `words` is the word-level diff of a rewording: (op, text) pairs with
    op '=' kept, '-' removed, '+' added; `direction` is 'raised' or 'lowered'."""

    kind: str
    subject: str
    summary: str
    judgment: str = ""
    previous_id: str = ""
    before: str = ""
    after: str = ""
    direction: str = ""
    words: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["words"] = [list(pair) for pair in self.words]
        return {k: v for k, v in data.items() if v not in ("", [])}

    @property
    def was(self) -> list[tuple[str, bool]]:
        """The old text as (words, changed) runs: what a reader sees on a 'Was' line."""
        return _side(self.words, "-")

    @property
    def now(self) -> list[tuple[str, bool]]:
        """The new text as (words, changed) runs: what a reader sees on a 'Now' line."""
        return _side(self.words, "+")


@dataclass(frozen=True)
class Note:
    """An editor's hand-written `what_changed` entry."""

    judgment: str
    change: str
    text: str


@dataclass(frozen=True)
class EditionDiff:
    """The changes from one edition to another, and the editor's notes on them."""

    since: int
    since_date: dt.date
    edition: str
    date: dt.date
    working: bool
    changes: tuple[Change, ...]
    notes: tuple[Note, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"What changed since edition {self.since} ({long_date(self.since_date)})"

    @property
    def reworded(self) -> bool:
        return any(c.words for c in self.changes)

    def to_dict(self) -> dict:
        return {
            "from": {"edition": self.since, "date": self.since_date.isoformat()},
            "to": {"edition": edition_number(self.edition) or self.edition,
                   "date": self.date.isoformat(),
                   "working": self.working},
            "title": self.title,
            "notes": [asdict(n) for n in self.notes],
            "changes": [c.to_dict() for c in self.changes],
        }


def plain_markdown(text: str) -> str:
    """The words a reader sees in a prose field, citations left out."""
    out: list[str] = []
    for token in parse_inline(text):
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    joined = _SPACE.sub(" ", "".join(out)).strip()
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", joined).replace("()", "").strip()


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff of two texts as (op, words) runs."""
    old, new = before.split(), after.split()
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(new[j1:j2])))
    return tuple(runs)


def _side(words: tuple[tuple[str, str], ...], op: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for kind, text in words:
        if kind in ("=", op):
            if out:
                out.append((" ", False))
            out.append((text, kind == op))
    return out


def _quoted(text: str) -> str:
    return f"“{plain_markdown(text)}”"


def _step(scale: tuple[str, ...], before: str | None, after: str | None) -> str:
    if before in scale and after in scale:
        return "raised" if scale.index(after) > scale.index(before) else "lowered"
    return ""


def _likelihood_words(value: str | None) -> str:
    return value or "statement of fact"


def _revised(kind: str, subject: str, what: str, old: str, new: str, judgment: str = ""
             ) -> list[Change]:
    """A prose field reworded, with its word-level diff ([] when it reads the same)."""
    if old == new:
        return []
    before, after = plain_markdown(old), plain_markdown(new)
    if before == after:
        return [Change(kind, subject, f"{what}: citations changed", judgment=judgment,
                       before=before, after=after)]
    verb = "added" if not before else "removed" if not after else "reworded"
    return [Change(kind, subject, f"{what} {verb}", judgment=judgment, before=before,
                   after=after, words=word_diff(before, after))]


def _portion(marking, item) -> str:
    """An item's portion marking as the brief prints it, or 'unmarked'."""
    if not item.classification:
        return "unmarked"
    return marks.portion(marking.scheme, item.classification, tuple(item.controls))


class _Comparison:
    """Two editions, with what a reader needs to name their judgments."""

    def __init__(self, old: Brief, new: Brief):
        self.old, self.new = old, new
        self.number = {kj.id: i for i, kj in enumerate(new.key_judgments, start=1)}
        self.old_number = {kj.id: i for i, kj in enumerate(old.key_judgments, start=1)}

    def name(self, judgment: str) -> str:
        """'judgment 2 (kj-prices)' in the new edition, 'former judgment 3 (kj-x)'."""
        if judgment in self.number:
            return f"judgment {self.number[judgment]} ({judgment})"
        return f"former judgment {self.old_number[judgment]} ({judgment})"

    def Name(self, judgment: str) -> str:  # noqa: N802 - the capitalised form
        text = self.name(judgment)
        return text[0].upper() + text[1:]

    def judgment(self, old: KeyJudgment, new: KeyJudgment) -> list[Change]:
        """Rename, rewording, ratings, basis and marking of one matched judgment."""
        out: list[Change] = []
        name, label = new.id, self.Name(new.id)
        if old.id != new.id:
            out.append(Change("judgment renamed", name, f"{label}: id {old.id} renamed "
                              f"{new.id}", judgment=name, previous_id=old.id,
                              before=old.id, after=new.id))
        out += _revised("judgment reworded", name, label, old.text, new.text, name)
        if old.likelihood != new.likelihood:
            direction = _step(LIKELIHOODS, old.likelihood, new.likelihood)
            before, after = _likelihood_words(old.likelihood), _likelihood_words(new.likelihood)
            out.append(Change("likelihood", name, f"{label}: likelihood "
                              f"{direction or 'changed'}, {before} → {after}", judgment=name,
                              before=before, after=after, direction=direction))
        if old.confidence != new.confidence:
            direction = _step(CONFIDENCES, old.confidence, new.confidence)
            out.append(Change("confidence", name, f"{label}: confidence "
                              f"{direction or 'changed'}, {old.confidence} → "
                              f"{new.confidence}", judgment=name, before=old.confidence,
                              after=new.confidence, direction=direction))
        out += _revised("basis revised", name, f"{label}: basis", old.basis, new.basis, name)
        before, after = _portion(self.old.marking, old), _portion(self.new.marking, new)
        if before != after:
            out.append(Change("judgment marking", name, f"{label}: marking changed, "
                              f"{before} → {after}", judgment=name, before=before,
                              after=after))
        return out

    def evidence(self, old: Evidence, new: Evidence, judgment: str) -> list[Change]:
        """Rewording, source and credibility of one item of evidence kept."""
        label = f"Evidence {new.id} of {self.name(judgment)}"
        out = _revised("evidence revised", new.id, label, old.text, new.text, judgment)
        if old.source != new.source:
            out.append(Change("evidence revised", new.id, f"{label}: source {old.source} → "
                              f"{new.source}", judgment=judgment, before=old.source,
                              after=new.source))
        if old.credibility != new.credibility:
            direction = "raised" if new.credibility < old.credibility else "lowered"
            out.append(Change("evidence revised", new.id, f"{label}: credibility "
                              f"{direction}, {old.credibility} → {new.credibility}",
                              judgment=judgment, before=str(old.credibility),
                              after=str(new.credibility), direction=direction))
        return out


def _matches(old: Brief, new: Brief) -> dict[str, KeyJudgment]:
    """New judgment id → the old judgment it continues (same id, or its previous_id)."""
    by_id = {kj.id: kj for kj in old.key_judgments}
    new_ids = {kj.id for kj in new.key_judgments}
    matched: dict[str, KeyJudgment] = {}
    for kj in new.key_judgments:
        if kj.id in by_id:
            matched[kj.id] = by_id[kj.id]
        elif kj.previous_id and kj.previous_id in by_id and kj.previous_id not in new_ids:
            matched[kj.id] = by_id[kj.previous_id]
    return matched


def _paragraphs(kind: str, what: str, old: list[str], new: list[str]) -> list[Change]:
    """The BLUF or the outlook reworded, as one text."""
    return _revised(kind, kind.split()[0], what, "\n".join(old), "\n".join(new))


def compare(old: Brief, new: Brief) -> list[Change]:
    """Every change from `old` to `new`, in reading order."""
    out: list[Change] = []
    if old.marking.label != new.marking.label:
        out.append(Change("marking", "marking", f"Marking changed, {old.marking.label} "
                          f"→ {new.marking.label}", before=old.marking.label,
                          after=new.marking.label))
    out += _paragraphs("bluf revised", "Bottom line up front", old.bluf, new.bluf)
    ask = _Comparison(old, new)
    matched = _matches(old, new)
    old_evidence = {ev.id: (kj.id, ev) for kj, ev in old.evidence()}
    new_home = {ev.id: kj.id for kj, ev in new.evidence()}
    continued = {kj.id: new_id for new_id, kj in matched.items()}
    for kj in new.key_judgments:
        if kj.id not in matched:
            out.append(Change("judgment added", kj.id, f"{ask.Name(kj.id)} added: "
                              f"{_quoted(kj.text)}", judgment=kj.id,
                              after=plain_markdown(kj.text)))
            continue
        out += ask.judgment(matched[kj.id], kj)
        for ev in kj.evidence:
            if ev.id not in old_evidence:
                out.append(Change("evidence added", ev.id, f"Evidence {ev.id} added to "
                                  f"{ask.name(kj.id)}: {_quoted(ev.text)}", judgment=kj.id,
                                  after=plain_markdown(ev.text)))
                continue
            home, before = old_evidence[ev.id]
            if continued.get(home) != kj.id:
                out.append(Change("evidence moved", ev.id, f"Evidence {ev.id} moved from "
                                  f"{home} to {ask.name(kj.id)}", judgment=kj.id,
                                  before=home, after=kj.id))
            out += ask.evidence(before, ev, kj.id)
        for ev in matched[kj.id].evidence:
            if ev.id not in new_home:
                out.append(Change("evidence removed", ev.id, f"Evidence {ev.id} removed from "
                                  f"{ask.name(kj.id)}: {_quoted(ev.text)}", judgment=kj.id,
                                  before=plain_markdown(ev.text)))
    for kj in old.key_judgments:
        if kj.id not in continued:
            out.append(Change("judgment dropped", kj.id, f"{ask.Name(kj.id)} dropped: "
                              f"{_quoted(kj.text)}", judgment=kj.id,
                              before=plain_markdown(kj.text)))
    out += _paragraphs("outlook revised", "Outlook", old.outlook, new.outlook)
    out += _sources("added", new, old) + _sources("removed", old, new)
    return out


def _sources(verb: str, these: Brief, others: Brief) -> list[Change]:
    """The sources of `these` that `others` lacks, as 'source added' (or removed)."""
    known = {s.id for s in others.sources}
    return [Change(f"source {verb}", src.id, f"Source {src.id} {verb}: "
                   f"{src.title or src.description}")
            for src in these.sources if src.id not in known]


def diff_editions(old: Brief, since: int, since_date: dt.date, new: Brief,
                  working: bool) -> EditionDiff:
    """The changes from released edition `since` (`old`) to `new`, with new's notes."""
    notes = tuple(Note(n.judgment, n.change, n.text) for n in new.what_changed)
    return EditionDiff(since, since_date, new.edition, new.date, working,
                       tuple(compare(old, new)), notes)
