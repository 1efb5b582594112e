"""BR3xx numbers and dates: what a judgment states, its evidence states, by the cut-off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from briefing.core.findings import Finding
from briefing.load.archive import read_archive
from briefing.load.brief import LoadedBrief
from briefing.model import partial_date_parts
from briefing.model.inline import cited_keys
from briefing.review.prose import place_of
from briefing.review.quantities import Mention, mentions
from briefing.review.rule import Rule, edit
from briefing.review.text import bluf_fields, plain, sentences, terms

CUTOFF = "house style: the information cut-off (TRADECRAFT §1); ICD 203 standard 8"
WIRE_DATE = "date: 2025-03-04"
FACT = "text: In March 2025, Northland"
SIGNING = "text: The two governments signed the treaty on 3 March 2025."
MEETING_TEXT = "text: Officials plan the first meeting of the commission for June 2025."
MEETING_QUOTE = "quote: the first meeting is planned for June 2025"
ACCESSED = "accessed: 2025-06-01\n    reliability: B\n    archive: ministry.txt"

RULES = (
    Rule("BR301", "cutoff-after-date", "numbers", "error",
         "The information cut-off is after the brief's own date.", CUTOFF,
         bad=edit("cutoff: 2025-06-30", "cutoff: 2025-07-02"),
         good=edit("cutoff: 2025-06-30", "cutoff: 2025-07-01")),
    Rule("BR302", "source-after-cutoff", "numbers", "error",
         "A source is dated after the information cut-off.", CUTOFF,
         bad=edit(WIRE_DATE, "date: 2025-07-04"), good=edit(WIRE_DATE, WIRE_DATE)),
    Rule("BR303", "accessed-before-date", "numbers", "error",
         "A source was accessed before the date it bears.", CUTOFF,
         bad=edit(ACCESSED, ACCESSED.replace("2025-06-01", "2025-03-01")),
         good=edit(ACCESSED, ACCESSED)),
    Rule("BR304", "number-without-evidence", "numbers", "warning",
         "A number, quantity, percentage or date in a key judgment or the BLUF appears in no "
         "evidence, quotation or archived source text.",
         "ICD 203 (2015), standard 6: every claim rests on evidence; standard 1",
         bad=edit(FACT, "text: In April 2025, Northland"), good=edit(FACT, FACT)),
    Rule("BR305", "date-after-cutoff", "numbers", "error",
         "A statement of fact (a judgment without a likelihood, reporting evidence, a BLUF "
         "sentence without an estimate) names a date after the information cut-off.", CUTOFF,
         bad=edit(SIGNING, "text: The two governments signed the treaty on 3 March 2026."),
         good=edit(SIGNING, SIGNING)),
    Rule("BR306", "year-contradicts-source", "numbers", "warning",
         "Reporting evidence names a year that its source's archived copy, its quotation "
         "and the sources it cites never mention.",
         "house style: evidence reports what its source says (TRADECRAFT §8)",
         bad=edit(SIGNING, "text: The two governments signed the treaty on 3 March 2024."),
         good=edit(SIGNING, SIGNING)),
    Rule("BR307", "number-differs-from-quote", "numbers", "error",
         "An item of evidence gives a number, percentage or date that differs from the one "
         "in its quotation, and its source's archived copy does not give it either.",
         "house style: evidence reports what its source says (TRADECRAFT §8)",
         bad=edit(MEETING_TEXT, "text: Officials plan the first meeting of the commission "
                  "for July 2025."),
         good=edit(MEETING_TEXT, MEETING_TEXT)),
    Rule("BR308", "evidence-overstates-quote", "numbers", "warning",
         "An item of evidence says more than its quotation: a larger order of magnitude "
         "('thousands' for 'hundreds'), certainty the source does not claim ('confirmed' "
         "for 'said'), or 'all' for 'some'.",
         "house style: evidence reports what its source says (TRADECRAFT §8); ICD 203 "
         "standard 1",
         bad=((MEETING_QUOTE, "quote: Officials said the first meeting is planned for June "
               "2025"), (MEETING_TEXT, "text: Officials confirmed the first meeting of the "
                         "commission for June 2025.")),
         good=edit(MEETING_QUOTE, "quote: Officials said the first meeting is planned for "
                   "June 2025")),
    Rule("BR310", "judgment-overstates-evidence", "numbers", "warning",
         "A key judgment says more than all of its evidence: a larger order of magnitude, "
         "certainty ('confirmed', 'proven') or 'all' where its evidence says neither.",
         "ICD 203 (2015), standard 6: the judgment follows from its evidence",
         bad=edit("text: The treaty's joint commission will likely meet",
                  "text: The treaty's joint commission, officials have confirmed, will "
                  "likely meet"),
         good=edit("text: The treaty's joint commission will likely meet",
                   "text: The treaty's joint commission will likely meet")),
    Rule("BR309", "source-date-not-in-archive", "numbers", "warning",
         "A source's date has a year (or its DOI is one) that its archived copy does not "
         "give, while the copy gives others: probably a wrong date or DOI.",
         "house style: the sources annex describes the archived copy (TRADECRAFT §4, §7)",
         bad=edit(WIRE_DATE, "date: 2024-03-04"), good=edit(WIRE_DATE, WIRE_DATE)),
)
MAGNITUDE = ("few", "several", "dozen", "score", "hundred", "thousand", "million", "billion")
_MAGNITUDE = re.compile(r"\b(?:a few|several|dozens|scores|hundreds|thousands|millions|"
                        r"billions)\b", re.IGNORECASE)
CERTAIN = re.compile(r"(?<!\ban )(?<!\ba )(?<!\bnot )(?<!\bthan )(?<!\bno )(?<!\bun)"
                     r"\b(confirm(?:s|ed|ing)?|prov(?:es|ed|en|ing)|establish(?:es|ed)|"
                     r"verif(?:y|ies|ied)|demonstrat(?:es|ed)|definitely|undoubtedly)\b",
                     re.IGNORECASE)
HEDGED = re.compile(r"\b(said|says|say|reported(?:ly)?|claim(?:s|ed)?|alleg(?:es|ed|edly)|"
                    r"believe[sd]?|suggest(?:s|ed)?|may|might|could|possibly|probably|"
                    r"unconfirmed|concerns?|fears?|accus(?:es|ed)|rumou?rs?)\b", re.IGNORECASE)
ALL = re.compile(r"\b(all|every|entire|always|each)\b", re.IGNORECASE)
SOME = re.compile(r"\b(some|several|a few|a number of|part of|certain|many|most|"
                  r"occasional(?:ly)?|sporadic(?:ally)?)\b", re.IGNORECASE)
DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)


class _SourceTexts(dict):
    """What each source says (its archived copy, its date and title) by id, worked out
    once per check: finding an archived copy resolves paths, and a brief cites one
    source many times."""

    def __init__(self, loaded: LoadedBrief):
        super().__init__()
        self.loaded = loaded
        self.archives: dict[str, Path | None] = {}  # by id: its readable archived copy

    def __missing__(self, source_id: str) -> str:
        src = self.loaded.brief.source(source_id)
        path = (self.loaded.archive(src.archive)
                if src is not None and src.archive else None)
        self.archives[source_id] = path
        parts = [src.date, src.title or "", str(src.accessed or "")] if src else []
        if path is not None:
            parts += read_archive(path).paragraphs
        text = self[source_id] = "\n".join(parts)
        return text

    def archived(self, source_id: str) -> bool:
        """True when the source has an archived copy that can be read."""
        if source_id not in self.archives:
            self.__missing__(source_id)
        return self.archives[source_id] is not None


def _horizon(mention: Mention, loaded: LoadedBrief) -> bool:
    earliest = mention.earliest()
    return earliest is not None and earliest > loaded.brief.cutoff


def earliest_day(value: str) -> dt.date | None:
    """The first day a partial date can mean; None when unknown."""
    parts = partial_date_parts(value)
    if not parts:
        return None
    year, month, day = (*parts, 1, 1)[:3]
    return dt.date(year, month, day)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _dates(loaded)
    yield from _numbers(loaded)
    yield from _against_quotes(loaded)
    yield from _beyond_evidence(loaded)
    yield from _archived_dates(loaded)


def _dates(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR301-BR303: the cut-off, the brief's date and its sources' dates agree."""
    brief = loaded.brief
    if brief.cutoff > brief.date:
        yield Finding(loaded.place("cutoff"), "error",
                      f"information cut-off {brief.cutoff} is after the brief's date "
                      f"{brief.date}; the cut-off can be at most the brief's date",
                      rule="BR301")
    for i, src in enumerate(brief.sources):
        earliest = earliest_day(src.date)
        if earliest and earliest > brief.cutoff:
            yield Finding(loaded.place("sources", i, "date"), "error",
                          f"source '{src.id}' is dated {src.date}, after the information "
                          f"cut-off {brief.cutoff}; move the cut-off, or leave out what the "
                          "source adds after it", rule="BR302")
        if src.accessed and earliest and src.accessed < earliest:
            yield Finding(loaded.place("sources", i, "accessed"), "error",
                          f"source '{src.id}' was accessed on {src.accessed}, before its "
                          f"date {src.date}; correct one of the two dates", rule="BR303")


def _numbers(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR304-BR306: numbers and dates against the evidence and the cut-off."""
    brief = loaded.brief
    texts = _SourceTexts(loaded)
    everything: list[Mention] = []
    for i, kj in enumerate(brief.key_judgments):
        said = []
        for ev in kj.evidence:
            said += mentions(plain(ev.text)) + mentions(ev.quote or "")
            said += mentions(texts[ev.source])
        everything += said + mentions(plain(kj.text))
        path = ("key_judgments", i, "text")
        for mention in mentions(plain(kj.text)):
            if kj.likelihood and _horizon(mention, loaded):
                continue  # a forecast's horizon: no evidence can state it yet
            if not mention.supported_by(said):
                yield _unsupported(loaded, path, f"key judgment '{kj.id}'", mention)
        if not kj.likelihood:
            yield from _after_cutoff(loaded, path, f"key judgment '{kj.id}'", kj.text)
        for j, ev in enumerate(kj.evidence):
            if ev.kind == "reporting":
                ev_path = ("key_judgments", i, "evidence", j, "text")
                yield from _after_cutoff(loaded, ev_path, f"evidence '{ev.id}'", ev.text)
                yield from _years(loaded, ev_path, ev, texts)
    for src in brief.sources:
        everything += mentions(texts[src.id])
    for i, alt in enumerate(brief.alternative_views):
        for mention in mentions(plain(alt.text)):
            if not _horizon(mention, loaded) and not mention.supported_by(everything):
                yield _unsupported(loaded, ("alternative_views", i, "text"),
                                   f"alternative view '{alt.id}'", mention)
    for path, text in bluf_fields(loaded):
        for sentence in sentences(text):
            forecast = bool(terms(sentence))
            for mention in mentions(sentence):
                if forecast and _horizon(mention, loaded):
                    continue
                if not mention.supported_by(everything):
                    yield _unsupported(loaded, path, "the BLUF", mention)
            if not forecast:
                yield from _after_cutoff(loaded, path, "the BLUF", sentence)


def _unsupported(loaded: LoadedBrief, path, name: str, mention: Mention) -> Finding:
    return Finding(place_of(loaded, path, mention.text), "warning",
                   f"{name} says '{mention.text}', which no evidence, quotation or archived "
                   "source states; give the evidence for it or correct it", rule="BR304")


def _after_cutoff(loaded: LoadedBrief, path, name: str, text: str) -> Iterator[Finding]:
    cutoff = loaded.brief.cutoff
    for mention in mentions(plain(text)):
        if _horizon(mention, loaded):
            yield Finding(place_of(loaded, path, mention.text), "error",
                          f"{name} states as fact '{mention.text}', after the information "
                          f"cut-off {cutoff}; correct the date, or make it a forecast with a "
                          "likelihood", rule="BR305")


def _years(loaded: LoadedBrief, path, ev, texts: _SourceTexts) -> Iterator[Finding]:
    src = loaded.brief.source(ev.source)
    if src is None or not texts.archived(src.id):
        return
    said = mentions(texts[src.id]) + mentions(ev.quote or "")
    for key in cited_keys(ev.text):
        said += mentions(texts[key])
    for mention in mentions(plain(ev.text)):
        year = Mention(mention.text, "year", mention.value[:1])
        if mention.kind in ("date", "year") and not year.supported_by(said):
            yield Finding(place_of(loaded, path, mention.text), "warning",
                          f"evidence '{ev.id}' says '{mention.text}', but its source "
                          f"'{src.id}' ({src.archive}) never mentions {mention.value[0]}, nor "
                          "do its quotation or the sources it cites; check the year",
                          rule="BR306")


def _magnitude(text: str) -> int:
    """The largest order of magnitude a text names in words (-1 for none)."""
    found = [m.group(0).lower() for m in _MAGNITUDE.finditer(text)]
    return max((i for i, word in enumerate(MAGNITUDE) for f in found if word in f),
               default=-1)


def _against_quotes(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR307, BR308: an item of evidence against its own quotation."""
    texts = _SourceTexts(loaded)
    for i, kj in enumerate(loaded.brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if not ev.quote:
                continue
            path = ("key_judgments", i, "evidence", j, "text")
            text, quote = plain(ev.text), ev.quote
            quoted = mentions(quote)
            known = quoted + mentions(texts[ev.source])
            for key in cited_keys(ev.text):
                known += mentions(texts[key])
            for mention in mentions(text):
                same = [q for q in quoted if q.kind == mention.kind]
                if same and not mention.supported_by(known):
                    yield Finding(place_of(loaded, path, mention.text), "error",
                                  f"evidence '{ev.id}' says '{mention.text}' but its quotation "
                                  f"says '{same[0].text}', and its source's archived copy "
                                  f"does not give '{mention.text}'; report what the source "
                                  "says", rule="BR307")
            yield from _overstated(loaded, path, ev.id, text, quote)


# A word stronger than its quotation's: (the strong words, the weaker ones, "only " where
# the quotation says less, what to do).
_STRONGER = (
    (CERTAIN, HEDGED, "only ",
     "probably more certainty than the source claims: report it as said or claimed"),
    (ALL, SOME, "", "probably an overstatement: report the source's quantifier"),
)


def _overstated(loaded: LoadedBrief, path, ident: str, text: str,
                quote: str) -> Iterator[Finding]:
    said, quoted = _magnitude(text), _magnitude(quote)
    if quoted >= 0 and said > quoted:
        word = _MAGNITUDE.findall(text)[-1]
        yield Finding(place_of(loaded, path, word), "warning",
                      f"evidence '{ident}' says '{word}' where its quotation gives a smaller "
                      f"order ('{_MAGNITUDE.findall(quote)[-1]}'); probably an overstatement: "
                      "report the source's figure", rule="BR308")
    for strong, weak, only, advice in _STRONGER:
        said_strong, quoted_weak = strong.search(text), weak.search(quote)
        if said_strong and quoted_weak and not strong.search(quote):
            yield Finding(place_of(loaded, path, said_strong.group(0)), "warning",
                          f"evidence '{ident}' says '{said_strong.group(0)}' but its quotation "
                          f"{only}says '{quoted_weak.group(0)}'; {advice}", rule="BR308")


def _archived_dates(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR309: a source's year and DOI against its archived copy."""
    texts = _SourceTexts(loaded)
    for i, src in enumerate(loaded.brief.sources):
        if not src.archive or not texts.archived(src.id):
            continue
        archived = "\n".join(read_archive(texts.archives[src.id]).paragraphs)
        years = {m.value[0] for m in mentions(archived) if m.kind in ("year", "date")}
        parts = partial_date_parts(src.date)
        if parts and years and parts[0] not in years:
            yield Finding(loaded.place("sources", i, "date"), "warning",
                          f"source '{src.id}' is dated {src.date}, but its archived copy "
                          f"({src.archive}) never mentions {parts[0]} (it gives "
                          f"{', '.join(map(str, sorted(years)[:4]))}); probably a wrong date: "
                          "check it against the copy", rule="BR309")
        given = {d.rstrip(".,;)").lower() for d in DOI.findall(archived)}
        if src.doi and given and not any(d.startswith(src.doi.lower()) for d in given):
            yield Finding(loaded.place("sources", i, "doi"), "warning",
                          f"source '{src.id}' gives DOI {src.doi}, but its archived copy "
                          f"gives {', '.join(sorted(given))}; probably a wrong DOI: check it",
                          rule="BR309")


def _beyond_evidence(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR310: a key judgment against everything its evidence says."""
    for i, kj in enumerate(loaded.brief.key_judgments):
        if not kj.evidence:
            continue
        said = " ".join(plain(ev.text) + " " + (ev.quote or "") for ev in kj.evidence)
        text, path = plain(kj.text), ("key_judgments", i, "text")
        name = f"key judgment '{kj.id}'"
        if _magnitude(said) >= 0 and _magnitude(text) > _magnitude(said):
            word = _MAGNITUDE.findall(text)[-1]
            yield Finding(place_of(loaded, path, word), "warning",
                          f"{name} says '{word}', a larger order than any of its evidence "
                          "gives; probably beyond the evidence: give its figure",
                          rule="BR310")
        certain = CERTAIN.search(text)
        if certain and not CERTAIN.search(said):
            yield Finding(place_of(loaded, path, certain.group(0)), "warning",
                          f"{name} says '{certain.group(0)}', but none of its evidence "
                          "reports a confirmation; probably beyond the evidence: state what "
                          "the evidence reports, with a confidence", rule="BR310")
        every = ALL.search(text)
        if every and SOME.search(said) and not ALL.search(said):
            yield Finding(place_of(loaded, path, every.group(0)), "warning",
                          f"{name} says '{every.group(0)}' where its evidence says "
                          f"'{SOME.search(said).group(0)}'; probably beyond the evidence",
                          rule="BR310")
