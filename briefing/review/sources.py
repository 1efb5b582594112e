"""The source reader: an archived source text as the review reads it.

Every rule that reads an archived copy asks this module, not the raw text: the text
split into paragraphs (its non-empty lines, numbered from 1 as locators count them)
and sentences; for each sentence who speaks in it (attribution cues: "said",
"according to", "X told …"), its numbers and dates (`review.quantities`) and its
content words (`review.words`). Rules ask: which content words does paragraph N share
with this sentence? Who speaks in the sentence that holds this offset? What do the
gaps (ellipses) of a quotation skip? Reading is remembered in the process and, for a
long text, in the disk cache (`core.cache`, keyed by `core.digests.code_key`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from briefing.core import cache as disk
from briefing.core import digests
from briefing.load.archive import (
    ArchivedText,
    ArchiveError,
    normalise,
    read_archive,
)
from briefing.load.brief import LoadedBrief
from briefing.review.quantities import Mention, mentions
from briefing.review.words import content_words

KIND = "source-reader"
_SENTENCE = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bU\.S\.)"
                       r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_NAME = r"([A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|Jong|Un))*)"
_VERBS = (r"(?:said|says|say|stated|states|told|tells|added|adds|noted|notes|argued|argues|"
          r"wrote|writes|warned|warns|claimed|claims|declared|declares|explained|explains|"
          r"insisted|insists|announced|announces|believe|believes|called|calls|"
          r"labell?ed|described|describes|remarked)")
_CUES = (
    re.compile(r"\baccording to (?:the |a |an )?" + _NAME),
    re.compile(_NAME + r",?\s+(?:\w+ly\s+)?" + _VERBS + r"\b"),
    re.compile(r"\b(?:said|says|stated|told|added|noted|wrote|warned|declared)\s+" + _NAME),
    re.compile(r"\b((?:[Tt]he|[Aa]n?)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:said|says|told|added|noted|"
               r"warned|claimed|stated)\b"),
)
_NOT_SPEAKERS = {"The", "This", "That", "It", "He", "She", "They", "We", "I", "In", "On",
                 "While", "But", "And", "As", "A", "An", "Center",
                 "Centre", "Institute", "University"}


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the archived text's normalised form
    speakers: tuple[str, ...]
    words: frozenset[str]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1, as locators count
    text: str
    start: int
    sentences: tuple[Sentence, ...]

    @property
    def words(self) -> frozenset[str]:
        return frozenset().union(*(s.words for s in self.sentences))


@dataclass(frozen=True)
class SourceText:
    """An archived source read for the review."""

    text: str  # normalised, as `ArchivedText.normalised`
    paragraphs: tuple[Paragraph, ...]

    def paragraph(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 1 <= number <= len(self.paragraphs) else None

    def shared(self, number: int, text: str) -> frozenset[str]:
        """The content words paragraph `number` shares with `text` (empty when there is
        no such paragraph)."""
        para = self.paragraph(number)
        return para.words & content_words(text) if para else frozenset()

    def sentence_at(self, offset: int) -> Sentence | None:
        for para in self.paragraphs:
            for sentence in para.sentences:
                if sentence.start <= offset < sentence.start + len(sentence.text) + 1:
                    return sentence
        return None

    def speakers_at(self, offset: int) -> tuple[str, ...]:
        """Who speaks in the sentence holding `offset` (attribution cues)."""
        sentence = self.sentence_at(offset)
        return sentence.speakers if sentence else ()

    def skipped(self, spans: list[tuple[int, int]]) -> list[str]:
        """What each gap (an ellipsis or an insertion) of a quotation leaves out: the
        text between its consecutive parts (`load.quoting.quote_spans`)."""
        return [self.text[end:start] for (_, end), (start, _) in pairwise(spans)
                if start > end]


def speakers(sentence: str) -> tuple[str, ...]:
    """The speakers an English sentence names by an attribution cue."""
    found: list[str] = []
    for number, cue in enumerate(_CUES):
        for match in cue.finditer(sentence):
            name = match.group(1).strip(" ,.")
            generic = number == len(_CUES) - 1  # "the minister said": the article belongs
            if name and (generic or name.split()[0] not in _NOT_SPEAKERS) \
                    and name not in found:
                found.append(name)
    return tuple(found)


def _read(text_paragraphs: tuple[str, ...]) -> SourceText:
    paragraphs, position = [], 0
    for number, raw in enumerate(text_paragraphs, start=1):
        para = normalise(raw)
        sentences, offset = [], 0
        for piece in _SENTENCE.split(para):
            at = para.find(piece, offset)
            offset = at + len(piece)
            who = speakers(piece)
            if not who and sentences and piece[:1] in "\"“":  # a quotation that goes on
                who = sentences[-1].speakers
            sentences.append(Sentence(piece, position + at, who, content_words(piece),
                                      tuple(mentions(piece))))
        paragraphs.append(Paragraph(number, para, position, tuple(sentences)))
        position += len(para) + 1
    return SourceText(" ".join(p.text for p in paragraphs), tuple(paragraphs))


def _dump(source: SourceText) -> bytes:
    return json.dumps([[p.number, p.text, p.start,
                        [[s.text, s.start, list(s.speakers), sorted(s.words),
                          [[m.text, m.kind, list(m.value)] for m in s.mentions]]
                         for s in p.sentences]] for p in source.paragraphs],
                      ensure_ascii=False).encode()


def _load(data: bytes) -> SourceText:
    paragraphs = tuple(
        Paragraph(number, text, start, tuple(
            Sentence(s, at, tuple(who), frozenset(words),
                     tuple(Mention(t, k, tuple(v)) for t, k, v in found))
            for s, at, who, words, found in sentences))
        for number, text, start, sentences in json.loads(data))
    return SourceText(" ".join(p.text for p in paragraphs), paragraphs)


@lru_cache(maxsize=64)
def _remembered(paragraphs: tuple[str, ...]) -> SourceText:
    entry = digests.code_key(KIND, "\n".join(paragraphs))
    stored = disk.get(KIND, entry)
    if stored is not None:
        try:
            return _load(stored)
        except (ValueError, TypeError):  # not what this code writes: read it afresh
            pass
    source = _read(paragraphs)
    disk.put(KIND, entry, _dump(source))
    return source


def read_source(archived: ArchivedText) -> SourceText:
    """The archived text, read for the review (remembered, see the module)."""
    return _remembered(archived.paragraphs)


def read_archived(loaded: LoadedBrief, name: str) -> ArchivedText | None:
    """The archived copy `name` of a source of `loaded`, or None when it is not on disk or
    may not be read (the quotation rules report why, BR502 and BR507)."""
    try:
        path = loaded.archive(name)
        return read_archive(path) if path is not None else None
    except ArchiveError:
        return None
