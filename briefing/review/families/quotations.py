"""BR5xx quotations: verbatim, from the archived copy of the source credited."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.confine import project_rule
from briefing.core.findings import Finding
from briefing.core.terminal import display_path
from briefing.load.archive import (
    ArchivedText,
    ArchiveError,
    closest_passage,
    locate_archive,
    read_archive,
)
from briefing.load.brief import LoadedBrief
from briefing.load.quoting import find_quote, paragraphs_joined, parts, quote_spans
from briefing.model.inline import cited_items, split_locator
from briefing.review.prose import place_of, prose_fields
from briefing.review.rule import Rule, edit
from briefing.review.sources import read_source, speakers
from briefing.review.text import plain
from briefing.review.words import content_words

HOUSE = "house style: a quotation is verbatim from its archived copy (TRADECRAFT §8)"
QUOTE = "quote: the governments of Northland and Southland signed a treaty"
WIRE_ARCHIVE = "    archive: wire.txt\n"
OUTLOOK = "Watch for the first meeting of the commission."
MEETING = "quote: the first meeting is planned for June 2025"
WIRE_QUOTE = "quote: Northland and Southland signed a treaty on sharing the river"

RULES = (
    Rule("BR501", "quote-not-found", "quotations", "error",
         "A quotation is not in the archived copy of its source; the message shows the "
         "closest passage.", HOUSE,
         bad=edit(QUOTE, QUOTE.replace("signed", "agreed")), good=edit(QUOTE, QUOTE)),
    Rule("BR502", "archive-missing", "quotations", "error",
         "A source names an archived copy that is not on disk.", HOUSE,
         bad=edit(WIRE_ARCHIVE, "    archive: wires.txt\n"),
         good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR503", "quote-unverifiable", "quotations", "warning",
         "A quotation's source has no archived copy, so it cannot be checked.", HOUSE,
         bad=edit(WIRE_ARCHIVE, ""), good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR504", "locator-mismatch", "quotations", "warning",
         "The locator gives another paragraph than the one holding the quotation.", HOUSE,
         bad=edit("locator: para. 2\n        " + QUOTE, "locator: para. 3\n        " + QUOTE),
         good=edit("locator: para. 2\n        " + QUOTE, "locator: para. 2\n        " + QUOTE)),
    Rule("BR507", "archive-refused", "quotations", "error",
         "An archived copy is outside the project, binary, too large or unreadable.",
         HOUSE + "; a brief reads only files inside its project",
         bad=edit(WIRE_ARCHIVE, "    archive: /etc/hostname\n"),
         good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE)),
    Rule("BR505", "quote-joins-paragraphs", "quotations", "error",
         "A quotation with an ellipsis joins words from different paragraphs of the source.",
         HOUSE + "; an ellipsis stands for words omitted within one passage",
         bad=edit(QUOTE, QUOTE + " … a joint commission of 12 engineers"),
         good=edit(QUOTE, QUOTE + " … to share the river's water")),
    Rule("BR506", "quote-in-other-source", "quotations", "error",
         "A quotation is not in its own source's archived copy but is in another's: the "
         "evidence credits the wrong source.", HOUSE,
         bad=edit(WIRE_QUOTE, QUOTE), good=edit(WIRE_QUOTE, WIRE_QUOTE),
         supersedes=("BR501",)),
    Rule("BR508", "ellipsis-drops-negation", "quotations", "error",
         "An ellipsis in a quotation leaves out a negation (not, no, never, without …): the "
         "quotation says the opposite of its source.",
         HOUSE + "; an ellipsis may not change what the source says",
         bad=edit(QUOTE, "quote: Critics said the treaty … cover groundwater"),
         good=edit(QUOTE, "quote: Critics said the treaty does not cover groundwater")),
    Rule("BR509", "ellipsis-drops-qualifier", "quotations", "warning",
         "An ellipsis in a quotation leaves out a qualifier (only, reportedly, allegedly, "
         "may, some, most …), so the quotation probably says more than its source.",
         HOUSE + "; an ellipsis may not change what the source says",
         bad=edit(MEETING, "quote: We expect the commission to settle … disputes"),
         good=edit(MEETING, "quote: We expect the commission to settle most disputes")),
    Rule("BR510", "quote-speaker-mismatch", "quotations", "warning",
         "The evidence credits its quotation to one speaker, but the archived copy "
         "attributes the sentence holding it to another.",
         HOUSE + "; ICD 203 standard 1: who says it is part of the source's description",
         bad=edit("text: Officials plan the first meeting of the commission for June 2025.",
                  "text: Critics say the first meeting of the commission is planned for "
                  "June 2025."),
         good=edit("text: Officials plan the first meeting of the commission for June 2025.",
                   "text: Officials said the first meeting is planned for June 2025.")),
    Rule("BR511", "quote-off-topic", "quotations", "warning",
         "A quotation shares no content word with the evidence it supports or its "
         "judgment: it probably supports something else.", HOUSE + "; ICD 203 standard 6",
         bad=edit(QUOTE, "quote: which will meet twice a year"),
         good=edit(QUOTE, QUOTE)),
    Rule("BR512", "cited-paragraph-unrelated", "quotations", "warning",
         "A citation with a paragraph locator ([@key, para. N]) cites a paragraph of the "
         "archived copy that shares no key term with the sentence citing it.",
         "house style: a locator points the reader at the words relied on (TRADECRAFT §7)",
         bad=edit(OUTLOOK, OUTLOOK[:-1] + " [@ministry, para. 5]."),
         good=edit(OUTLOOK, OUTLOOK[:-1] + " [@ministry, para. 4].")),
    Rule("BR514", "quoted-phrase-in-other-source", "quotations", "warning",
         "A phrase in quotation marks in the prose is not in the archived copy of the source "
         "its sentence cites (or of its evidence's source) but is in another source's: "
         "probably credited to the wrong source.", HOUSE,
         bad=edit(OUTLOOK, "Watch for the “first meeting is planned for June” [@wire]."),
         good=edit(OUTLOOK, "Watch for the “first meeting is planned for June” "
                   "[@ministry].")),
    Rule("BR513", "quote-without-locator", "quotations", "warning",
         "A quotation has no locator (para., p. …), so a reader cannot find it in its "
         "source.", "house style: a locator is kept with every quotation (TRADECRAFT §7)",
         bad=edit("locator: para. 4\n        quote:", "quote:"),
         good=edit("locator: para. 4\n        quote:", "locator: para. 4\n        quote:")),
)


def _archives(loaded: LoadedBrief) -> dict[str, tuple[str, ArchivedText]]:
    """Source id -> (archive name, archived text), for every archive on disk."""
    found = {}
    for src in loaded.brief.sources:
        path = loaded.archive(src.archive) if src.archive else None
        if path is not None:
            found[src.id] = (src.archive, read_archive(path))
    return found


_PARA = re.compile(r"^paras?\.\s*(\d+)")


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _verbatim(loaded)
    yield from _one_passage(loaded)
    yield from _reading(loaded)
    yield from _cited_paragraphs(loaded)
    yield from _quoted_phrases(loaded)


def _verbatim(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR501-BR504, BR507: each quotation is in its source's archived copy, which can be
    read, at the paragraph its locator gives."""
    brief = loaded.brief
    archives: dict[str, ArchivedText | None] = {}
    for i, src in enumerate(brief.sources):
        if not src.archive:
            continue
        place = loaded.place("sources", i, "archive")
        try:
            path = locate_archive(loaded.root, src.archive, loaded.project)
            if path is None:
                yield Finding(place, "error", f"archived copy '{src.archive}' of source "
                              f"'{src.id}' not found (looked from {display_path(loaded.root)} "
                              f"up to the project folder {display_path(loaded.project)}: "
                              f"{project_rule(loaded.project)}); correct the path or add "
                              "the archived copy", rule="BR502")
                continue
            archives[src.id] = read_archive(path)
        except ArchiveError as exc:
            yield Finding(place, "error", f"{exc} (source '{src.id}')", rule="BR507")
    for i, kj in enumerate(brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            src = brief.source(ev.source)
            if ev.quote is None or src is None:  # a dangling source is BR603
                continue
            path = ("key_judgments", i, "evidence", j, "quote")
            archived = archives.get(src.id)
            if archived is None:
                if not src.archive:
                    yield Finding(loaded.place(*path), "warning",
                                  f"quote in evidence '{ev.id}' cannot be verified: source "
                                  f"'{src.id}' has no archived copy; add an archived copy of "
                                  "the source ('archive:')", rule="BR503")
                continue
            found = find_quote(ev.quote, archived)
            if found is None:
                passage, para = closest_passage(ev.quote, archived)
                yield Finding(loaded.place(*path), "error",
                              f"quote in evidence '{ev.id}' is not in the archived copy of "
                              f"'{src.id}' ({src.archive}); closest passage (para. {para}): "
                              f"\"{passage}\"; quote the archived text verbatim", rule="BR501")
                continue
            stated = _PARA.match(ev.locator or "")
            actual = archived.paragraph_of(found)
            if stated and int(stated.group(1)) != actual:
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "locator"),
                              "warning", f"locator says para. {stated.group(1)} but the quote "
                              f"of evidence '{ev.id}' is in para. {actual} of {src.archive}; "
                              "correct the locator", rule="BR504")


def _one_passage(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR505, BR506: an ellipsis stays in one paragraph; the quotation is of the source
    credited."""
    archives = _archives(loaded)
    for i, kj in enumerate(loaded.brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.quote is None or ev.source not in archives:
                continue
            place = loaded.place("key_judgments", i, "evidence", j, "quote")
            name, archived = archives[ev.source]
            spans = quote_spans(ev.quote, archived)
            if spans is None:
                yield from _elsewhere(place, ev.id, ev.source, ev.quote, archives)
                continue
            joined = paragraphs_joined(spans, archived)
            if len(joined) > 1:
                paras = ", ".join(map(str, joined[:-1])) + f" and {joined[-1]}"
                yield Finding(place, "error", f"quote in evidence '{ev.id}' joins paragraphs "
                              f"{paras} of {name} with an ellipsis; a quotation with '…' must "
                              "come from one paragraph: quote each passage as its own "
                              "evidence", rule="BR505")


def _elsewhere(place, ev_id: str, source: str, quote: str,
               archives: dict[str, tuple[str, ArchivedText]]) -> Iterator[Finding]:
    for other, (name, archived) in archives.items():
        found = find_quote(quote, archived) if other != source else None
        if found is not None:
            yield Finding(place, "error", f"quote in evidence '{ev_id}' is not in the archived "
                          f"copy of '{source}' but is in that of '{other}' ({name}, para. "
                          f"{archived.paragraph_of(found)}); credit source '{other}' or "
                          "correct the quotation", rule="BR506")
            return


NEGATION = re.compile(r"\b(not|no|never|none|nor|neither|without|cannot|nothing|nobody|"
                      r"hardly|deny|denies|denied)\b|n['’]t\b", re.IGNORECASE)
QUALIFIER = re.compile(r"\b(only|reportedly|allegedly|apparently|purportedly|may|might|could|"
                       r"possibly|probably|perhaps|some|partly|partially|unconfirmed|"
                       r"unverified|claimed|most(?!\s+\w+ly\b)|rarely|sometimes|if|unless|nearly|almost)\b",
                       re.IGNORECASE)
_SENTENCE = re.compile(r"(?<!\bpara\.)(?<!\bparas\.)(?<!\bp\.)(?<!\bpp\.)(?<!\bsec\.)"
                       r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(\[]?[A-Z@])")
_TITLES = {"dr", "dr.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "the", "a", "an", "of"}


def _who(names: tuple[str, ...]) -> set[str]:
    """The words that name speakers, for comparing two ways of naming one."""
    return {w.lower().strip(".,") for name in names for w in name.split()
            if w.lower() not in _TITLES and len(w) > 2}


def _reading(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR508-BR511, BR513: what a quotation leaves out, who says it, what it is about."""
    archives = _archives(loaded)
    for i, kj in enumerate(loaded.brief.key_judgments):
        for j, ev in enumerate(kj.evidence):
            if ev.quote is None:
                continue
            path = ("key_judgments", i, "evidence", j)
            if not ev.locator:
                yield Finding(loaded.place(*path, "quote"), "warning",
                              f"the quotation of evidence '{ev.id}' has no locator; add one "
                              "(e.g. 'locator: para. 4') so that a reader can find it in "
                              f"source '{ev.source}'", rule="BR513")
            if ev.source not in archives:
                continue
            name, archived = archives[ev.source]
            spans = quote_spans(ev.quote, archived)
            if spans is None:
                continue
            reader = read_source(archived)
            place = loaded.place(*path, "quote")
            gaps = [gap for gap, part in zip(reader.skipped(spans), parts(ev.quote)[1:],
                                             strict=False) if part.after_ellipsis]
            for gap in gaps:
                if (found := NEGATION.search(gap)) is not None:
                    yield Finding(place, "error", f"the ellipsis in the quotation of evidence "
                                  f"'{ev.id}' leaves out '{found.group(0)}' (\"{gap.strip()}\""
                                  f" in {name}): the quotation says the opposite of its source; "
                                  "quote the negation", rule="BR508")
                elif (found := QUALIFIER.search(gap)) is not None:
                    yield Finding(place, "warning", f"the ellipsis in the quotation of evidence "
                                  f"'{ev.id}' leaves out the qualifier '{found.group(0)}' "
                                  f"(\"{gap.strip()}\" in {name}), so the quotation probably "
                                  "says more than its source; quote the qualifier",
                                  rule="BR509")
            quoted, said = content_words(ev.quote), content_words(plain(ev.text))
            if quoted and len(said) >= 4 and not quoted & (said | content_words(kj.text)):
                yield Finding(place, "warning", f"the quotation of evidence '{ev.id}' shares no "
                              "key term with the evidence's text or its judgment: it probably "
                              "supports something else; quote the words the evidence rests on",
                              rule="BR511")
            credited = _who(speakers(plain(ev.text)))
            archived_by = reader.speakers_at(spans[0][0])
            named = {w.lower().strip(".,’'") for w in plain(ev.text).split()}
            if credited and archived_by and not (credited | named) & _who(archived_by):
                yield Finding(loaded.place(*path, "text"), "warning",
                              f"evidence '{ev.id}' credits its quotation to "
                              f"{', '.join(sorted(credited))}, but {name} attributes the "
                              f"sentence holding it to {', '.join(archived_by)}; probably the "
                              "wrong speaker: credit the one the source names", rule="BR510")


def _cited_paragraphs(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR512: a paragraph locator points at words the citing sentence is about."""
    archives = _archives(loaded)
    fields = list(prose_fields(loaded))
    fields += [(("key_judgments", i, "evidence", j, "text"), ev.text)
               for i, kj in enumerate(loaded.brief.key_judgments)
               for j, ev in enumerate(kj.evidence)]
    for path, text in fields:
        if "para" not in text:
            continue
        for sentence in _SENTENCE.split(text):
            words = content_words(plain(sentence))
            for item in cited_items(sentence):
                label, value = split_locator(item.locator)
                if label != "paragraph" or item.key not in archives:
                    continue
                numbers = [int(n) for n in re.findall(r"\d+", value)]
                reader = read_source(archives[item.key][1])
                if numbers and words and all(reader.paragraph(n) is not None
                                             and not reader.shared(n, plain(sentence))
                                             for n in numbers):
                    yield Finding(place_of(loaded, path, "@" + item.key), "warning",
                                  f"the citation of '{item.key}', {item.locator}, points at a "
                                  f"paragraph of {archives[item.key][0]} that shares no key "
                                  "term with the sentence citing it; probably the wrong "
                                  "paragraph: correct the locator", rule="BR512")


_QUOTED = re.compile(r"[“\"]([^”\"]{12,300})[”\"]")


def _quoted_phrases(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR514: a phrase quoted in the prose stands in the source credited for it."""
    archives = _archives(loaded)
    if len(archives) < 2:
        return
    fields = [(path, text, None) for path, text in prose_fields(loaded)
              if path[0] != "key_judgments"]
    fields += [(("key_judgments", i, "evidence", j, "text"), ev.text, ev.source)
               for i, kj in enumerate(loaded.brief.key_judgments)
               for j, ev in enumerate(kj.evidence)]
    for path, text, own in fields:
        for sentence in _SENTENCE.split(text):
            credited = [c.key for c in cited_items(sentence)] or ([own] if own else [])
            if not credited or any(key not in archives for key in credited):
                continue  # a source without an archived copy may hold it
            for match in _QUOTED.finditer(sentence):
                phrase = match.group(1)
                if len(phrase.split()) < 3 or any(
                        find_quote(phrase, archives[key][1]) is not None for key in credited):
                    continue
                other = next((key for key, (_, archived) in archives.items()
                              if key not in credited
                              and find_quote(phrase, archived) is not None), None)
                if other is not None:
                    yield Finding(place_of(loaded, path, phrase[:30]), "warning",
                                  f"the quoted phrase “{phrase}” is not in the archived copy "
                                  f"of {', '.join(credited)}, which its sentence credits, but "
                                  f"is in that of '{other}' ({archives[other][0]}): probably "
                                  "credited to the wrong source", rule="BR514")
