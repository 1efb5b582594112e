"""Quick fixes for findings whose rule knows the fix: the declared likelihood's term for
a vague word or hedge (BR106, BR108) or a term of another band (BR103), the main
column's term (BR105), a likelihood declared for the term a fact uses (BR102), a date
marked unknown, which citations print as n.d. (BR309, or a malformed date: BR804),
and the banner raised to a portion's level (BR704). The edits are offered to the
editor; nothing is written here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.model.vocab import ESTIMATIVE_FORMS, LIKELIHOOD_BANDS

from .documents import TextOf
from .spans import Scalar, ScalarIndex, Span, scalar_index
from .state import BriefState

Edits = dict[Path, list[tuple[Span, str]]]


@dataclass(frozen=True)
class Fix:
    title: str
    edits: Edits


@dataclass(frozen=True)
class Flagged:
    """A finding the editor shows: its code, where, and what its range holds."""

    code: str
    file: Path
    span: Span
    said: str
    index: ScalarIndex  # of the file's text as the editor has it
    state: BriefState | None
    text_of: TextOf

    def judgment(self) -> tuple[int, ...] | None:
        """The path (key_judgments, i) of the judgment whose text holds the finding."""
        scalar = self.index.at(self.span.start)
        if scalar and scalar.path[:1] == ("key_judgments",) and len(scalar.path) > 2:
            return scalar.path[:2]
        return None

    def declared(self) -> Scalar | None:
        """The judgment's `likelihood:` value, if it declares one of the bands."""
        judgment = self.judgment()
        scalar = self.index.value((*judgment, "likelihood")) if judgment else None
        return scalar if scalar and scalar.value in LIKELIHOOD_BANDS else None


def fixes(flagged: Flagged) -> list[Fix]:
    fixer = FIXERS.get(flagged.code)
    return list(fixer(flagged)) if fixer else []


def _as_said(word: str, said: str) -> str:
    """`word` with the capital of `said` at the start of a sentence."""
    return word[:1].upper() + word[1:] if said[:1].isupper() else word


def _declared_term(flagged: Flagged) -> Iterator[Fix]:
    """BR106, BR108: say the judgment's declared likelihood instead of the hedge."""
    declared = flagged.declared()
    if declared is not None:
        term = _as_said(declared.value, flagged.said)
        yield Fix(f"Replace '{flagged.said}' with '{term}', the declared likelihood",
                  {flagged.file: [(flagged.span, term)]})


def _band_term(flagged: Flagged) -> Iterator[Fix]:
    """BR103: the term of the declared band, or the band of the term used."""
    declared = flagged.declared()
    form = ESTIMATIVE_FORMS.get(flagged.said.lower())
    if declared is None or form is None:
        return
    band, column = form
    term = _as_said(LIKELIHOOD_BANDS[declared.value][column], flagged.said)
    yield Fix(f"Replace '{flagged.said}' with '{term}', the term of the declared likelihood",
              {flagged.file: [(flagged.span, term)]})
    yield Fix(f"Declare likelihood '{band}', the band of '{flagged.said}'",
              {flagged.file: [(declared.span, band)]})


def _main_column(flagged: Flagged) -> Iterator[Fix]:
    """BR105: the term of the same band from the main column."""
    form = ESTIMATIVE_FORMS.get(flagged.said.lower())
    if form is not None and form[1] == 1:
        term = _as_said(form[0], flagged.said)
        yield Fix(f"Replace '{flagged.said}' with '{term}', from the main column",
                  {flagged.file: [(flagged.span, term)]})


def _declare_likelihood(flagged: Flagged) -> Iterator[Fix]:
    """BR102: declare the band of the term the judgment uses, above its confidence."""
    judgment = flagged.judgment()
    form = ESTIMATIVE_FORMS.get(flagged.said.lower())
    key = flagged.index.key((*judgment, "confidence")) if judgment else None
    if key is None or form is None:
        return
    line, column = key.span.start
    yield Fix(f"Declare likelihood '{form[0]}'",
              {flagged.file: [(Span(key.span.start, key.span.start),
                               f"likelihood: {form[0]}\n{' ' * column}")]})


def _date_unknown(flagged: Flagged) -> Iterator[Fix]:
    """BR309 on a source's date, BR804 on a malformed one: mark it unknown (n.d.)."""
    scalar = flagged.index.at(flagged.span.start)
    if scalar and not scalar.is_key and scalar.path[:1] == ("sources",) and \
            scalar.path[-1:] == ("date",) and scalar.value != "unknown":
        yield Fix("Mark the date unknown (citations print n.d.)",
                  {flagged.file: [(scalar.span, "unknown")]})


def _raise_banner(flagged: Flagged) -> Iterator[Fix]:
    """BR704: the banner raised to the portion's classification."""
    portion = flagged.index.at(flagged.span.start)
    if portion is None or portion.is_key or flagged.state is None:
        return
    for file in flagged.state.files or (flagged.file,):
        index = flagged.index if file == flagged.file else scalar_index(flagged.text_of(file))
        banner = index.value(("marking", "classification")) or index.value(("marking",))
        if banner is not None:
            yield Fix(f"Raise the banner to {portion.value}",
                      {file: [(banner.span, portion.value)]})
            return


FIXERS: dict[str, Callable[[Flagged], Iterator[Fix]]] = {
    "BR102": _declare_likelihood,
    "BR103": _band_term,
    "BR105": _main_column,
    "BR106": _declared_term,
    "BR108": _declared_term,
    "BR309": _date_unknown,
    "BR704": _raise_banner,
    "BR804": _date_unknown,
}
