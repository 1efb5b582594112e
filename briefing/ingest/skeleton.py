"""A brief's skeleton from a sorted draft: every judgment, footnote and reference the
draft has, in the content model's fields; a placeholder (a text starting TODO) for
each value only the editor can supply or judge; nothing invented."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.model.vocab import LOCATOR_LABELS
from briefing.review.text import confidence_levels, sentences, terms
from briefing.review.words import content_words

from .draft import NOTE, Draft, DraftParagraph, Parts, Written
from .references import Reference, matches, parse_reference

NO_MARKING = "TLP:AMBER"  # until the editor sets one: the draft gives none
RELIABILITY = "TODO: judge this source's reliability (A-F; F, cannot be judged, stands " \
    "until you do)"
_LOCATOR = re.compile(r"\b(" + "|".join(re.escape(k) for k in LOCATOR_LABELS if
                                         k.endswith(".")) + r")\s*(\d+(?:\s*[–-]\s*\d+)?)")
_NUMBERED = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[•▪◦·–-]|\\\*|KJ\s*\d+[:.])\s+", re.I)
_CONFIDENCE = re.compile(r"\s*\((?:with\s+)?(high|moderate|medium|low)[\s-]+confidence\)",
                         re.I)
_IN_TEXT = re.compile(r"\(([^()\[\]]*?\b\d{4}[a-z]?\b[^()\[\]]*)\)")
_CITED = re.compile(r"^\s*(?P<names>[^,\d]+?),?\s+(?P<year>\d{4})[a-z]?"
                    r"(?:,\s*(?P<locator>(?:p|pp|para|paras)\.\s*[\d–-]+))?\s*$")


@dataclass
class Skeleton:
    """The brief's data, and what the editor should know about how it was made."""

    brief: dict
    unplaced: list[tuple[int, str, str]]  # (paragraph, where it stood, its text)
    checks: list[str] = field(default_factory=list)  # placements to check


def skeleton(draft: Draft, parts: Parts, ident: str, today: dt.date) -> Skeleton:
    """The brief `ident` that the draft's parts make."""
    return _Builder(draft, parts).build(ident, today)


class _Builder:
    def __init__(self, draft: Draft, parts: Parts):
        self.draft, self.parts = draft, parts
        self.sections = parts.sections
        self.sources: list[dict] = []
        self.references: list[tuple[Reference, str]] = []
        self.checks: list[str] = []
        self.numbers = {ref: n for n, ref in enumerate(
            (r for p in draft.paragraphs for r in p.notes()), start=1)}
        self.note_sources: dict[str, tuple[str, str]] = {}  # footnote id → (source, locator)
        self.by_note: dict[str, str] = {}  # a footnote's text → the source made from it

    def build(self, ident: str, today: dt.date) -> Skeleton:
        for para in self.sections.get("references", []):
            self._reference(para)
        for para in self.draft.paragraphs:
            for ref in para.notes():
                self._footnote_source(ref)
        judgments = [self._judgment(i, p) for i, p in
                     enumerate(self.sections.get("judgments", []), start=1)]
        brief: dict = {"id": ident, "title": _title(self.parts)}
        if self.parts.subtitle:
            brief["subtitle"] = self._prose(self.parts.subtitle)
        authors = [p.text for p in self.parts.authors] or (
            [self.draft.author] if self.draft.author else ["TODO: name the authors"])
        brief.update({"edition": 1, "date": today, "cutoff": today, "authors": authors})
        if not self.parts.marking:
            brief["audience"] = ("TODO: name the audience, and set the marking: the draft "
                                 f"gives none, so {NO_MARKING} stands until you do")
        brief.update({"layout": "policy-brief", "marking": self.parts.marking or NO_MARKING})
        brief["bluf"] = [self._prose(p) for p in self.sections.get("bluf", [])] or [
            "TODO: state the bottom line first, in one to three sentences."]
        brief["key_judgments"] = judgments or [{
            "id": "kj-1", "text": "TODO: state a key judgment (the draft has none that could "
            "be told apart).", "confidence": "low",
            "basis": "TODO: judge the confidence (low stands until you do) and say what it "
            "rests on."}]
        alternatives = [self._alternative(i, p) for i, p in
                        enumerate(self.sections.get("alternatives", []), start=1)]
        if alternatives:
            brief["alternative_views"] = alternatives
        if self.sections.get("outlook"):
            brief["outlook"] = [self._prose(p) for p in self.sections["outlook"]]
        indicators = [self._indicator(i, p, judgments + alternatives) for i, p in
                      enumerate(self.sections.get("indicators", []), start=1)]
        if indicators:
            brief["indicators"] = indicators
        brief["sources"] = self.sources or [{
            "id": "source-1", "type": "report",
            "title": "TODO: add the brief's sources (briefing source add)",
            "reliability": "F", "note": RELIABILITY + "."}]
        return Skeleton(brief, self._unplaced(), self.checks)

    # --- sources -----------------------------------------------------------------

    def _reference(self, para: DraftParagraph) -> None:
        reference = parse_reference(para.text, para.italic)
        ident = self._add_source(reference, f"reference list, paragraph {para.number}")
        self.references.append((reference, ident))

    def _footnote_source(self, ref: str) -> None:
        note = self.draft.footnotes.get(ref, Written("", ""))
        text = note.text
        located = _LOCATOR.search(text)
        locator = " ".join((located.group(1), "".join(located.group(2).split()))) \
            if located else ""
        cited = [ident for reference, ident in self.references if matches(reference, text)]
        if len(cited) == 1:
            self.note_sources[ref] = (cited[0], locator)
            return
        if text not in self.by_note:
            reference = parse_reference(text, note.italic) if text else \
                Reference("", "TODO: give this footnote's source (the footnote is empty)")
            self.by_note[text] = self._add_source(
                reference, f"footnote {self.numbers.get(ref, '?')}")
        self.note_sources[ref] = (self.by_note[text], locator)

    def _add_source(self, reference: Reference, origin: str) -> str:
        used = {s["id"] for s in self.sources}
        base = reference.id_base()
        ident, number = base, 1
        while ident in used:
            number += 1
            ident = f"{base}-{number}"
        entry: dict = {"id": ident, "type": reference.kind, "title": reference.title}
        if reference.authors:
            entry["authors"] = reference.authors
        if reference.container:
            entry["container"] = reference.container
        if reference.publisher:
            entry["publisher"] = reference.publisher
        entry["date"] = reference.date
        if reference.url:
            entry["url"] = reference.url
        if reference.doi:
            entry["doi"] = reference.doi
        entry["reliability"] = "F"
        how = ("its fields are read from" if reference.parsed else
               "its title is the whole of")
        entry["note"] = RELIABILITY + "." if not reference.text else (
                         f"{RELIABILITY}. From the draft's {origin}; {how} the draft's "
                         f"text: {reference.text.rstrip('.')}. Its type, {reference.kind}, "
                         "is a guess from the reference's form: correct it, and archive "
                         "the source with `briefing source add`.")
        self.sources.append(entry)
        return ident

    # --- prose ---------------------------------------------------------------------

    def _cite(self, markdown: str, keep_notes: bool = True) -> str:
        """Footnote marks as citations (or dropped), APA in-text citations as
        `[@id]`."""
        def note(match: re.Match[str]) -> str:
            punctuation = match.group(1)
            if not keep_notes or match.group(2) not in self.note_sources:
                return punctuation
            source, locator = self.note_sources[match.group(2)]
            return f" [@{source}{', ' + locator if locator else ''}]{punctuation}"

        text = re.sub(r"\s*([.,;:!?]?)\s*" + NOTE.pattern, note, markdown)
        text = _IN_TEXT.sub(self._in_text, text)
        return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()

    def _in_text(self, match: re.Match[str]) -> str:
        items = []
        for part in match.group(1).split(";"):
            cited = _CITED.match(part)
            found = [ident for reference, ident in self.references if cited and
                     reference.year == cited.group("year") and
                     cited.group("names").split()[0] in reference.key_name.split()[:1]]
            if len(found) != 1:
                return match.group(0)
            locator = cited.group("locator")
            items.append(f"@{found[0]}" + (f", {' '.join(locator.split())}" if locator else ""))
        return "[" + "; ".join(items) + "]"

    def _prose(self, para: Written) -> str:
        return self._cite(para.markdown)

    # --- judgments, alternatives, indicators ------------------------------------------

    def _judgment(self, number: int, para: DraftParagraph) -> dict:
        markdown = _NUMBERED.sub("", para.markdown)
        level = _CONFIDENCE.search(markdown)
        markdown = _CONFIDENCE.sub("", markdown)
        text = self._cite(markdown, keep_notes=False)
        said = sentences(text)
        first = _first_sentence(text) if len(said) > 1 else text
        rest = text[len(first):].strip()
        judgment: dict = {"id": f"kj-{number}", "text": first}
        found = terms(first)
        if found:
            judgment["likelihood"] = found[0][1]
        if level:
            judgment["confidence"] = confidence_levels(level.group(0).strip(" ()"))[0][1]
            judgment["basis"] = rest or "TODO: say what the judgment rests on."
        else:
            judgment["confidence"] = "low"
            judgment["basis"] = ("TODO: judge the confidence (low stands until you do) and "
                                 "say what it rests on." +
                                 (f" The draft goes on: {rest}" if rest else ""))
        evidence = []
        for ref in para.notes():
            source, locator = self.note_sources[ref]
            n = self.numbers[ref]
            note = self.draft.footnotes.get(ref, Written("", ""))
            item = {"id": f"ev-{n}", "kind": "reporting",
                    "text": "TODO: say what the source reports, and judge its kind and "
                    f"credibility (reporting and 6 stand until you do). The draft's "
                    f"footnote {n}: {note.markdown or '(empty)'}",
                    "source": source}
            if locator:
                item["locator"] = locator
            item["credibility"] = 6
            evidence.append(item)
        if evidence:
            judgment["evidence"] = evidence
        return judgment

    def _alternative(self, number: int, para: DraftParagraph) -> dict:
        text = self._cite(_NUMBERED.sub("", para.markdown))
        view: dict = {"id": f"alt-{number}", "text": text}
        found = terms(text)
        if found:
            view["likelihood"] = found[0][1]
        view["would_be_right_if"] = "TODO: say what would be seen if this view were right."
        return view

    def _indicator(self, number: int, para: DraftParagraph, targets: list[dict]) -> dict:
        text = self._cite(_NUMBERED.sub("", para.markdown))
        words = content_words(text)
        best = max(targets, key=lambda t: len(words & content_words(t["text"])), default=None)
        supports = best["id"] if best else "kj-1"
        self.checks.append(f"indicator ind-{number} (paragraph {para.number}) is tied to "
                           f"{supports}, the judgment or view it shares most words with: "
                           "check that it bears on it")
        return {"id": f"ind-{number}", "text": text, "supports": [supports]}

    def _unplaced(self) -> list[tuple[int, str, str]]:
        out = []
        for para, where in self.parts.unplaced:
            notes = [f"[footnote {self.numbers[r]}: {self.draft.footnotes[r].text}]"
                     for r in para.notes() if r in self.draft.footnotes]
            out.append((para.number, where, " ".join([para.text, *notes])))
        return out


def _title(parts: Parts) -> str:
    return parts.title.text if parts.title else "TODO: give the brief's title"


def _first_sentence(text: str) -> str:
    """The first sentence of `text` (with the citations that close it)."""
    match = re.search(r"[.!?](?:\s*\[@[^\]]*\])*(?=\s+[\"“‘(]?[A-Z0-9])", text)
    return text[:match.end()] if match else text
