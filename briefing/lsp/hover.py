"""Hover: a rule code's summary and standard, a source's formatted reference and
reliability (on `[@id]`, a `source:` or `via:` value or a source's own id), an
estimative word's ICD 203 band."""

from __future__ import annotations

import html
import re

from briefing.compose.citation_styles import StyleError, style_path
from briefing.compose.cite import Citer
from briefing.compose.configcheck import resolve
from briefing.core.findings import ContentError
from briefing.load.brief import LoadedBrief
from briefing.model.vocab import (
    CREDIBILITY,
    ESTIMATIVE_FORMS,
    LIKELIHOOD_BANDS,
    RELIABILITY,
    VAGUE_WORDS,
)
from briefing.review.registry import FAMILY_TITLES, all_rules

from .scopes import Token, enclosing_keys, token_at
from .spans import Position
from .state import BriefState

SOURCE_KEYS = ("source", "via")
_TAG = re.compile(r"<(/?)(\w+)[^>]*>")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")
_EMPHASIS = {"i": "*", "em": "*", "b": "**", "strong": "**"}


def hover(lines: list[str], position: Position, state: BriefState | None,
          doc_href=None) -> tuple[str, Token] | None:
    """Markdown for what stands at `position`, and the token it is about; None if
    nothing there has something to say."""
    token = token_at(lines, position)
    if token is None:
        return None
    if token.kind == "code":
        text = rule_hover(token.text.upper(), doc_href)
    elif token.kind == "term":
        text = term_hover(token.text)
    elif token.kind == "citation":
        text = source_hover(token.text, state)
    else:
        keys = enclosing_keys(lines, position[0])
        if keys[-1:] == ("likelihood",) and token.text in LIKELIHOOD_BANDS:
            text = term_hover(token.text)
        elif keys[-1:] == ("reliability",) and token.text in RELIABILITY:
            text = f"Reliability **{token.text}**: {RELIABILITY[token.text]} (Admiralty code)"
        elif keys[-1:] == ("credibility",) and token.text.isdigit() and \
                int(token.text) in CREDIBILITY:
            text = (f"Credibility **{token.text}**: {CREDIBILITY[int(token.text)]} "
                    "(Admiralty code)")
        elif keys[-1:] in (("source",), ("via",)) or keys[-2:] == ("sources", "id"):
            text = source_hover(token.text, state)
        else:
            text = None
    return (text, token) if text else None


def rule_hover(code: str, doc_href=None) -> str | None:
    rule = all_rules().get(code)
    if rule is None:
        return None
    href = doc_href(code) if doc_href else None
    link = f"\n\n[{code} in the documentation]({href})" if href else ""
    return (f"**{rule.code}** `{rule.name}` ({rule.severity}; {FAMILY_TITLES[rule.family]})"
            f"\n\n{_escape(rule.summary)}\n\nStandard: {_escape(rule.standard)}{link}")


def term_hover(word: str) -> str | None:
    form = word.lower()
    if form in VAGUE_WORDS:
        return (f"**{word}**: a vague word that hides the likelihood (BR106); say how "
                "likely with an ICD 203 term")
    if form not in ESTIMATIVE_FORMS:
        return None
    band, column = ESTIMATIVE_FORMS[form]
    term, alternative, low, high = LIKELIHOOD_BANDS[band]
    which = "the alternative term" if column else "the term"
    return (f"**{word}**: {which} of the ICD 203 band *{term}* / *{alternative}*, "
            f"{low}–{high} %")


def source_hover(ident: str, state: BriefState | None) -> str | None:
    entry = state.index.sources.get(ident) if state else None
    if entry is None:
        return f"No source has the id **{_escape(ident)}**" if state else None
    reliability = str(entry.data.get("reliability", ""))
    rated = (f"Reliability **{reliability}**: {RELIABILITY[reliability]}"
             if reliability in RELIABILITY else "Reliability not given")
    reference = formatted_references(state).get(ident)
    if reference is None:
        reference = _escape(str(entry.data.get("title") or entry.data.get("description") or ""))
    return f"**{_escape(ident)}**\n\n{reference}\n\n{rated}"


def formatted_references(state: BriefState) -> dict[str, str]:
    """Each source's entry in the reference list, in the layout's citation style, as
    Markdown; kept until the next check of the brief."""
    if state.references is None:
        state.references = _references(state.loaded) if state.loaded else {}
    return state.references


def _references(loaded: LoadedBrief) -> dict[str, str]:
    layout, _ = resolve(loaded, None)
    try:
        style = (style_path(layout.layout.citation_style, layout.folder) if layout
                 else style_path("apa"))
        citer = Citer(list(loaded.brief.sources), style)
        return {key: html_markdown(entry) for key, entry in citer.reference_html()}
    except (StyleError, ContentError, OSError):
        return {}


def html_markdown(text: str) -> str:
    """A formatted reference's HTML (emphasis, links) as Markdown."""
    out = []
    position = 0
    for tag in _TAG.finditer(text):
        out.append(_escape(html.unescape(text[position:tag.start()])))
        out.append(_EMPHASIS.get(tag[2].lower(), ""))
        position = tag.end()
    out.append(_escape(html.unescape(text[position:])))
    return "".join(out).strip()


def _escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)
