"""The language server's features on plain text, without the protocol: the range a
finding covers, hover, completion in each slot, and quick fixes that, applied, make
the finding go away (checked by `validate` itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.build.validate import validate
from briefing.core.findings import Finding, Place
from briefing.lsp import actions, completion, hover
from briefing.lsp.diagnostics import check, doc_href
from briefing.lsp.documents import brief_of, lines_of, reader
from briefing.lsp.scopes import enclosing_keys
from briefing.lsp.spans import finding_span, scalar_index
from briefing.lsp.state import BriefState
from briefing.model.vocab import RELIABILITY
from briefing.review.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
JUDGMENTS, SOURCES, BRIEF = (NK / name for name in ("judgments.yaml", "sources.yaml",
                                                     "brief.yaml"))


def state_of(texts: dict[Path, str] | None = None) -> BriefState:
    state = BriefState(NK)
    state.learn(check(NK, texts or {}))
    return state


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    assert text.count(needle) == 1, needle
    index = text.index(needle) + offset
    return text.count("\n", 0, index), index - (text.rfind("\n", 0, index) + 1)


def test_a_hedge_folded_over_two_lines_is_covered_to_its_last_word():
    text = "key_judgments:\n  - text: >-\n      North Korea, it is\n      possible that, will\n"
    finding = Finding(Place("j.yaml", 3, 20), "warning",
                      "key judgment 'x' hedges with 'it is possible that', which hides the "
                      "likelihood", rule="BR108")
    span = finding_span(finding, text)
    assert (span.start, span.end) == ((2, 19), (3, 19))


def test_a_finding_on_a_value_covers_the_value_and_elsewhere_the_word():
    text = "sources:\n  - id: a\n    date: '2023-05'\n    title: Some title\n"
    on_value = finding_span(Finding(Place("s.yaml", 3, 11), "warning", "dated wrongly",
                                    rule="BR309"), text)
    assert (on_value.start, on_value.end) == ((2, 10), (2, 19))
    in_title = finding_span(Finding(Place("s.yaml", 4, 17), "warning", "x", rule="BR626"),
                            text)
    assert (in_title.start, in_title.end) == ((3, 16), (3, 21))


def test_a_brief_is_its_folder_a_layout_none_and_one_file_briefs_each_their_own(tmp_path):
    text_of = reader({})
    assert brief_of(JUDGMENTS, text_of) == NK
    assert brief_of(ROOT / "layouts" / "policy-brief" / "layout.yaml", text_of) is None
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(f"id: {name[0]}\ntitle: T\n", "utf-8")
    assert brief_of(tmp_path / "a.yaml", text_of) == tmp_path / "a.yaml"
    assert brief_of(tmp_path / "notes.txt", text_of) is None


def test_enclosing_keys_read_half_typed_yaml():
    lines = ["key_judgments:", "  - id: kj-1", "    evidence:", "      - id: ev-1",
             "        source: [oops", "    supports:", "      - "]
    assert enclosing_keys(lines, 4) == ("key_judgments", "evidence", "source")
    assert enclosing_keys(lines, 6) == ("key_judgments", "supports")


def test_hover_on_a_rule_code_an_estimative_word_and_a_source():
    state = state_of()
    rule = all_rules()["BR106"]
    text, _ = hover.hover(["  suppress: {BR106: why}"], (0, 15), state, doc_href)
    assert rule.summary in text and "ICD 203 (2015), standard 2" in text
    assert "rules/estimative.html#br106" in text
    text, token = hover.hover(["    text: It will very likely rain by 2027."], (0, 25), state)
    assert text == ("**very likely**: the term of the ICD 203 band *very likely* / "
                    "*highly probable*, 80–95 %")
    assert (token.span.start, token.span.end) == ((0, 18), (0, 29))
    judgments = JUDGMENTS.read_text("utf-8")
    lines = lines_of(judgments)
    text, _ = hover.hover(lines, position(judgments, "[@mofa-2023]; he put", 3), state)
    assert text.startswith("**mofa-2023**\n\nMinistry of Foreign Affairs. (2023, June 15). "
                           "*Greetings to Russian President*.")
    assert text.endswith(f"Reliability **D**: {RELIABILITY['D']}")


@pytest.mark.parametrize(("lines", "labels"), [
    (["key_judgments:", "  - id: x", "    likelihood: "],
     ["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely",
      "very likely", "almost certain"]),
    (["key_judgments:", "  - id: x", "    confidence: m"], ["moderate"]),
    (["sources:", "  - id: x", "    reliability: "], list(RELIABILITY)),
    (["      credibility: "], ["1", "2", "3", "4", "5", "6"]),
    (["review:", "  ignore: [BR001, BR10"], [c for c in all_rules() if c.startswith("BR10")]),
    (["    suppress:", "      BR11"], [c for c in all_rules() if c.startswith("BR11")]),
])
def test_values_and_codes_complete_in_their_slots(lines, labels):
    _, choices = completion.completions(lines, (len(lines) - 1, len(lines[-1])), None)
    assert [c.text for c in choices] == labels


def test_supports_offers_judgments_and_alternatives_and_source_offers_sources():
    state = state_of()
    loaded = state.loaded.brief
    lines = ["indicators:", "  - id: i", "    supports:", "      - "]
    _, choices = completion.completions(lines, (3, 8), state)
    assert [c.text for c in choices] == [kj.id for kj in loaded.key_judgments] + [
        alt.id for alt in loaded.alternative_views]
    _, choices = completion.completions(["        source: seed-"], (0, 21), state)
    assert [c.text for c in choices] == [s.id for s in loaded.sources
                                         if s.id.startswith("seed-")]
    assert completion.completions(["title: The N"], (0, 12), state) is None


def fixed(texts: dict[Path, str], code: str, title: str) -> dict[Path, str]:
    """Apply the quick fix called `title` to the one finding with `code`; the texts after."""
    [finding] = [f for f in validate(NK, texts).findings if f.rule == code]
    file = next(p for p in (JUDGMENTS, SOURCES, BRIEF) if str(p).endswith(finding.place.path))
    text_of = reader(texts)
    text = text_of(file)
    span = finding_span(finding, text)
    lines = lines_of(text)
    said = lines[span.start[0]][span.start[1]:span.end[1]]
    flagged = actions.Flagged(code, file, span, said, scalar_index(text), state_of(texts),
                              text_of)
    offered = {fix.title: fix for fix in actions.fixes(flagged)}
    assert title in offered, list(offered)
    after = dict(texts)
    for path, edits in offered[title].edits.items():
        lines = lines_of(text_of(path))
        for where, new in sorted(edits, key=lambda e: e[0].start, reverse=True):
            (l1, c1), (l2, c2) = where.start, where.end
            lines[l1:l2 + 1] = [lines[l1][:c1] + new + lines[l2][c2:]]
        after[path] = "\n".join(lines)
    return after


def test_a_term_of_another_band_is_fixed_either_way():
    judgments = JUDGMENTS.read_text("utf-8")
    texts = {JUDGMENTS: judgments.replace("will likely keep", "will very likely keep")}
    for title in ("Replace 'very likely' with 'likely', the term of the declared likelihood",
                  "Declare likelihood 'very likely', the band of 'very likely'"):
        after = fixed(texts, "BR103", title)
        assert not [f for f in validate(NK, after).findings if f.rule == "BR103"]
    assert "likelihood: very likely" in after[JUDGMENTS]


def test_a_fact_that_says_probably_declares_its_likelihood():
    judgments = JUDGMENTS.read_text("utf-8")
    texts = {JUDGMENTS: judgments.replace("North Korea has consistently and",
                                          "North Korea has probably consistently and")}
    after = fixed(texts, "BR102", "Declare likelihood 'likely'")
    assert "    likelihood: likely\n    confidence: high\n" in after[JUDGMENTS]
    assert not [f for f in validate(NK, after).findings if f.rule == "BR102"]


def test_a_malformed_source_date_is_marked_unknown():
    sources = SOURCES.read_text("utf-8")
    block = sources[sources.index("  - id: mofa-2023"):]
    date_line = next(line for line in block.splitlines() if line.startswith("    date:"))
    texts = {SOURCES: sources.replace(block, block.replace(date_line, "    date: n.d.", 1), 1)}
    after = fixed(texts, "BR804", "Mark the date unknown (citations print n.d.)")
    assert "    date: unknown" in after[SOURCES]
    assert not [f for f in validate(NK, after).findings if f.rule == "BR804"]


def test_a_portion_above_the_banner_raises_the_banner():
    brief = BRIEF.read_text("utf-8").replace("marking: TLP:CLEAR", "marking: CONFIDENTIAL")
    judgments = JUDGMENTS.read_text("utf-8").replace(
        "    likelihood: likely\n", "    likelihood: likely\n    classification: SECRET\n", 1)
    after = fixed({BRIEF: brief, JUDGMENTS: judgments}, "BR704", "Raise the banner to SECRET")
    assert "marking: SECRET" in after[BRIEF]
    assert not [f for f in validate(NK, after).findings if f.rule == "BR704"]
