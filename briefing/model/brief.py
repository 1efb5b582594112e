"""The models of a brief: its sources, evidence, key judgments and markings."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    WithJsonSchema,
    model_validator,
)

from . import marks
from .base import ReviewSettings, Strict

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
# A web address is printed and linked exactly as given, so it may not hold what a
# link or a terminal would read differently: spaces, quotes, angle brackets, braces.
URL_PATTERN = r"^https?://[^\s/?#<>\"'`{}|\\^]+(?:[/?#][^\s<>\"`{}|\\^]*)?$"
# Crossref's patterns ("DOIs and matching regular expressions"): the modern one, which
# matches nearly every DOI, then those it lists for older DOIs: Wiley's 10.1002 (many
# are SICIs, holding < > # ;), SICIs as it writes them, ACS's 10.1021 and 10.1207;
# and a SICI of any publisher (ISSN, (chronology), enumeration, <location>, version
# and check character, as 10.1175/1520-0477(1998)079<0061:APGTWA>2.0.CO;2). Every
# character they allow is escaped wherever a DOI is printed or linked.
_SICI = (r"(?:\(SICI\))?\d{4}-\d{3}[\dXx](?:\([\d/]+\))?[\d:/]*"
         r"<[-0-9A-Za-z_.:;()/]+>\d+\.\d+\.[A-Za-z]{2};\d(?:-[0-9A-Za-z#])?")
DOI_PATTERN = (r"^10\.(?:\d{4,9}/[-._;()/:A-Za-z0-9]+"
               rf"|\d{{4,9}}/{_SICI}"
               r"|1002/[!-~]+"
               r"|\d{4}/\d+-\d+[Xx]?\d+<[0-9A-Za-z_]+:[0-9A-Za-z_]*>\d+\.\d+\.[0-9A-Za-z_]+;\d"
               r"|1021/[0-9A-Za-z_]{2}\d+"
               r"|1207/[0-9A-Za-z_]+&\d+_\d+)$")
Id = Annotated[str, Field(pattern=ID_PATTERN, description="lower-case id: letters, digits, - _ .")]


_INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))  # controls, format marks, spaces


def _not_blank(value: str) -> str:
    """Text that shows something: not only spaces, line breaks or zero-width marks."""
    if all(unicodedata.category(char) in _INVISIBLE for char in value):
        raise ValueError("is blank (it holds no visible character); write the text")
    return value


#: Text that may not be blank: a required prose field, a title, a quotation.
Text = Annotated[str, AfterValidator(_not_blank)]
Markdown = Annotated[str, Field(min_length=1, description="inline Markdown"),
                     AfterValidator(_not_blank)]

Likelihood = Literal[
    "almost no chance", "very unlikely", "unlikely", "roughly even chance",
    "likely", "very likely", "almost certain",
]
Confidence = Literal["high", "moderate", "low"]
EvidenceKind = Literal["reporting", "assumption", "judgment"]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(ge=1, le=6, description="Admiralty credibility 1-6")]
SourceType = Literal[
    "news-article", "magazine-article", "opinion-piece", "report", "journal-article",
    "preprint", "government-statement", "press-release", "web-page", "blog-post", "book",
    "speech",
]
TlpLabel = Literal["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
IndicatorStatus = Literal["not observed", "emerging", "observed", "reversed"]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_partial_date(value: str) -> str:
    if value == "unknown":
        return value
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError("expected a date as YYYY-MM-DD, YYYY-MM, YYYY or 'unknown'")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from None
    return value


def _date_text(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_PARTIAL_DATE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?|unknown)$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ],
    "description": "YYYY-MM-DD, YYYY-MM, YYYY, or 'unknown'",
}

PartialDate = Annotated[
    str,
    BeforeValidator(_date_text),
    Field(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?|unknown)$"),
    AfterValidator(_check_partial_date),
    WithJsonSchema(_PARTIAL_DATE_SCHEMA),
]


def _to_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


Controls = Annotated[
    list[Annotated[str, Field(min_length=1)]],
    BeforeValidator(_to_list),
    WithJsonSchema({"anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}},
    ], "description": "caveats and dissemination controls, e.g. NOFORN, 'REL TO USA, GBR', "
        "COMMERCIAL"}),
]


def partial_date_parts(value: str) -> tuple[int, ...]:
    """(year[, month[, day]]) of a partial date; () when unknown."""
    match = _PARTIAL_DATE.match(value)
    return tuple(int(g) for g in match.groups() if g) if match else ()


Suppress = Annotated[
    dict[str, str],
    Field(description="review rules this item is exempt from, each with the reason a "
          "reviewer would accept, e.g. {BR204: 'the figure is the source's own'}"),
]


class MarkedParagraph(Strict):
    """A BLUF or outlook paragraph with a portion classification."""

    text: Markdown
    classification: str | None = None
    controls: Controls = Field(default_factory=list)


class MarkedText(str):
    """A paragraph of prose with its portion classification. A `str`, so code that
    reads the text of a BLUF or outlook paragraph needs no change."""

    classification: str | None = None
    controls: tuple[str, ...] = ()

    def __new__(cls, text: str, classification: str | None = None,
                controls: tuple[str, ...] = ()) -> MarkedText:
        made = super().__new__(cls, text)
        made.classification = classification
        made.controls = tuple(controls)
        return made


def _dump_paragraph(value: str) -> object:
    if isinstance(value, MarkedText) and (value.classification or value.controls):
        return {"text": str(value), "classification": value.classification,
                "controls": list(value.controls)}
    return str(value)


def _marked(value: object) -> object:
    if isinstance(value, MarkedParagraph):
        return MarkedText(value.text, value.classification, tuple(value.controls))
    return value


_PARAGRAPH_SCHEMA = {"anyOf": [
    {"type": "string", "minLength": 1},
    {"type": "object", "required": ["text"], "additionalProperties": False,
     "properties": {"text": {"type": "string", "minLength": 1},
                    "classification": {"type": "string"},
                    "controls": {"type": "array", "items": {"type": "string"}}}},
]}

ParagraphItem = Annotated[
    Annotated[Markdown, Tag("text")] | Annotated[MarkedParagraph, Tag("marked")],
    Discriminator(lambda v: "text" if isinstance(v, str) else "marked"),
    AfterValidator(_marked),
    PlainSerializer(_dump_paragraph),
    WithJsonSchema(_PARAGRAPH_SCHEMA),
]

Paragraphs = Annotated[
    list[ParagraphItem],
    BeforeValidator(lambda v: [v] if isinstance(v, str | dict) else v),
    WithJsonSchema({"anyOf": [
        _PARAGRAPH_SCHEMA,
        {"type": "array", "items": _PARAGRAPH_SCHEMA},
    ], "description": "one paragraph, or a list of paragraphs (inline Markdown); a "
        "paragraph may be a mapping {text, classification, controls}"}),
]


class Name(Strict):
    """A person (family, given) or an organisation (literal), in any script."""

    family: Text | None = None
    given: Text | None = None
    literal: Text | None = Field(None, description="an organisation, or a name not split")
    language: str | None = Field(
        None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="the language the name is written in, where it differs from the "
        "source's (e.g. uk for a Ukrainian name in Cyrillic)")

    @model_validator(mode="after")
    def _one_form(self) -> Name:
        if self.literal and (self.family or self.given):
            raise ValueError("give either 'literal' or 'family'/'given', not both")
        if not self.literal and not self.family:
            raise ValueError("a name needs 'family' (a person) or 'literal' (an organisation)")
        return self


class Source(Strict):
    """A source: what CSL needs to cite it, plus its reliability and archived copy."""

    id: Id
    type: SourceType
    authors: list[Name] = Field(default_factory=list, description="empty: no author given")
    editors: list[Name] = Field(default_factory=list)
    title: Text | None = Field(None, description="omit only for an untitled work")
    sentence_case_title: str | None = Field(
        None, description="the title in sentence case (proper nouns keep capitals), for "
        "styles such as APA that ask for it; CSL styles that want title case convert it")
    description: Text | None = Field(
        None, description="bracketed description for an untitled work, e.g. [News report]")
    container: Text | None = Field(None, description="periodical, site or series")
    publisher: Text | None = None
    genre: Text | None = Field(None, description="e.g. Opinion, Commentary, Preprint")
    date: PartialDate = "unknown"
    accessed: dt.date | None = None
    url: Annotated[str, Field(pattern=URL_PATTERN)] | None = None
    doi: Annotated[str, Field(pattern=DOI_PATTERN)] | None = None
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    reliability: Reliability
    archive: str | None = Field(None, description="archived copy, e.g. seeds/000_x.txt")
    via: Id | None = Field(None, description="source through which this one is known, "
                           "when it was not consulted directly")
    note: str | None = Field(None, description="editor's note, e.g. what the source leaves unknown")
    suppress: Suppress = Field(default_factory=dict)


    classification: str | None = Field(None, description="portion classification of the "
                                       "source's entry")
    controls: Controls = Field(default_factory=list)

    @model_validator(mode="after")
    def _titled(self) -> Source:
        if not self.title and not self.description:
            raise ValueError("a source needs a 'title', or a 'description' if it is untitled")
        return self


class Evidence(Strict):
    """One item of evidence drawn from one source."""

    id: Id
    kind: EvidenceKind
    text: Markdown
    source: Id
    locator: Text | None = Field(None, description="e.g. 'para. 3', 'p. 4'")
    quote: Text | None = Field(None, description="verbatim words of the source")
    credibility: Credibility
    classification: str | None = None
    suppress: Suppress = Field(default_factory=dict)


    controls: Controls = Field(default_factory=list)


class KeyJudgment(Strict):
    """A numbered key judgment: one declarative sentence with its basis and evidence."""

    id: Id
    text: Markdown
    likelihood: Likelihood | None = Field(None, description="omit for a statement of fact")
    confidence: Confidence
    basis: Markdown
    evidence: list[Evidence] = Field(default_factory=list)
    classification: str | None = None
    suppress: Suppress = Field(default_factory=dict)


    controls: Controls = Field(default_factory=list)
    previous_id: Id | None = Field(
        None, description="the id this judgment had in the last released edition, when "
        "it was renamed (so the editions diff reads a rename, not a drop and an add)")


class AlternativeView(Strict):
    """A competing hypothesis and what would make it right."""

    id: Id
    text: Markdown
    would_be_right_if: Markdown | None = None
    likelihood: Likelihood | None = None
    classification: str | None = None
    suppress: Suppress = Field(default_factory=dict)


    controls: Controls = Field(default_factory=list)


class Indicator(Strict):
    """A signpost to watch, tied to judgments or alternative views."""

    id: Id
    text: Markdown
    supports: list[Id] = Field(min_length=1, description="judgment or alternative ids")
    status: IndicatorStatus = "not observed"
    suppress: Suppress = Field(default_factory=dict)


    classification: str | None = None
    controls: Controls = Field(default_factory=list)


class Change(Strict):
    """What changed in a judgment since the last edition, and why."""

    judgment: Id
    change: Literal["added", "dropped", "likelihood", "confidence", "revised"]
    text: Markdown


class Marking(Strict):
    """A TLP 2.0 label, or a level of an ordered classification scheme."""

    tlp: TlpLabel | None = None
    classification: str | None = None
    controls: Controls = Field(default_factory=list)
    scheme: str | list[str] = Field("us", description="'us', 'uk' or levels, lowest first")
    portion_marks: bool = False

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            if value.upper().startswith("TLP"):
                return {"tlp": value}
            level, controls = marks.split_banner(value)
            return {"classification": level, "controls": controls} if controls else {
                "classification": value}
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Marking:
        if bool(self.tlp) == bool(self.classification):
            raise ValueError("give a TLP label (e.g. TLP:CLEAR) or a classification, not both")
        return self

    @property
    def label(self) -> str:
        """The banner: the TLP label, or the level and controls in the scheme's syntax."""
        if self.tlp or not self.classification:
            return self.tlp or ""
        return marks.banner(self.scheme, self.classification, self.controls)


class Brief(Strict):
    """A policy brief: header, marking, BLUF, judgments and their sources."""

    id: Id
    title: Text = Field(min_length=1)
    subtitle: Text | None = None
    edition: Annotated[
        str,
        BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    ] = "1"
    date: dt.date
    cutoff: dt.date = Field(description="information cut-off date")
    authors: list[Text] = Field(min_length=1)
    editors: list[Text] = Field(default_factory=list)
    audience: Text | None = None
    language: str = "en"
    keywords: list[Text] = Field(default_factory=list)
    layout: str = "policy-brief"
    marking: Marking = Field(description="TLP label, classification, or a mapping")
    bluf: Paragraphs = Field(description="bottom line up front: 1-3 sentences")
    key_judgments: list[KeyJudgment] = Field(min_length=1)
    alternative_views: list[AlternativeView] = Field(default_factory=list)
    outlook: Paragraphs = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    what_changed: list[Change] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    suppress: Suppress = Field(default_factory=dict)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def evidence_from(self, source_id: str) -> list[Evidence]:
        return [ev for _, ev in self.evidence() if ev.source == source_id]

    def evidence(self) -> list[tuple[KeyJudgment, Evidence]]:
        return [(kj, ev) for kj in self.key_judgments for ev in kj.evidence]
