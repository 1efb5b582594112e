"""BR4xx sourcing: ratings, independence and corroboration (Admiralty code, ICD 203)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model import Brief
from briefing.model.inline import cited_keys
from briefing.model.vocab import CREDIBILITY, RELIABILITY
from briefing.review.prose import place_of, prose_fields
from briefing.review.rule import Rule, edit
from briefing.review.sources import read_archived, read_source
from briefing.review.text import plain

ADMIRALTY = "Admiralty code (NATO AJP-2.1): source reliability A-F, information credibility 1-6"
ICD1 = "ICD 203 (2015), standard 1: properly describes quality and credibility of sources"
CONFIDENCE = "confidence: moderate"
MINISTRY_B = "reliability: B\n    archive: ministry.txt"
WIRE_B = "reliability: B\n    archive: wire.txt"
UNCITED = ("  - id: wire\n", "  - id: spare\n    type: web-page\n    title: An unused page\n"
           "    reliability: F\n  - id: wire\n")

WIRE_VIA = ("    container: Example Wire\n", "    container: Example Wire\n    via: ministry\n")
ANONYMOUS = ("    authors:\n      - family: Example\n        given: Ann\n", "")
CONTAINER = "    container: Example Wire\n"
ACCESS = "    accessed: 2025-06-01\n    reliability: B\n    archive: wire.txt"
ASSUMPTION = "kind: reporting\n        text: A wire report"

WEAK = {"D", "E", "F"}
MINISTRY_TITLE = "    title: Northland and Southland sign water treaty\n"
STATE_MEDIA = re.compile(
    r"\b(KCNA(?! Watch)|Korean Central (?:News Agency|Television)|KCTV|Rodong Sinmun|"
    r"Voice of Korea|"
    r"TASS|ITAR-TASS|RIA Novosti|Sputnik|RT|Russia Today|Rossiyskaya Gazeta|Channel One "
    r"Russia|Xinhua|People['’]s Daily|Global Times|CGTN|China Daily|CCTV|Press TV|IRNA|"
    r"SANA|Granma|teleSUR|Telesur)\b")
ANALYSIS = re.compile(
    r"\b((?:we|I) (?:assess|judge|estimate|believe|think|conclude|infer)|"
    r"(?:this|that|which|it|these|they) (?:suggests?|indicates?|implies|imply|points? to|"
    r"shows? that)|(?:suggest|indicate|impl)(?:s|ies)? that|is (?:probably|likely) (?:a|an|the)|"
    r"(?:probably|presumably|evidently) (?:reflects?|means?))\b", re.IGNORECASE)
OPINION = re.compile(r"\b(opinion|op-?ed|editorial|commentary|column|viewpoint|"
                     r"perspective)\b", re.IGNORECASE)
NEWS = {"news-article", "magazine-article", "web-page"}
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "both": 2, "several": 3, "multiple": 2,
                "many": 4, "numerous": 4}
COUNTED = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+|several|multiple|numerous|"
    r"many|both|all (two|three|four|five|six|seven|eight|nine|ten|\d+))\s+(?:independent\s+|"
    r"separate\s+|distinct\s+|different\s+|credible\s+|reliable\s+|named\s+|of the\s+)?"
    r"(?:seeds?|sources?|reports?|outlets?|accounts?|witnesses|agencies|governments|"
    r"services)\b", re.IGNORECASE)
_INTERVIEW = "interview(?:ed)? (?:with|by)? ?"

RULES = (
    Rule("BR401", "high-confidence-single-source", "sourcing", "warning",
         "A judgment held with high confidence rests on one source (sources that share a "
         "`via` count as one).", ICD1 + "; TRADECRAFT §3: high confidence needs multiple "
         "sources",
         bad=edit(CONFIDENCE, "confidence: high"), good=edit(CONFIDENCE, CONFIDENCE)),
    Rule("BR402", "high-confidence-weak-sources", "sourcing", "warning",
         "A judgment held with high confidence rests only on sources rated D-F.",
         ICD1 + "; " + ADMIRALTY,
         bad=((MINISTRY_B, MINISTRY_B.replace("B", "D", 1)), (WIRE_B, WIRE_B.replace("B", "E", 1))),
         good=edit(MINISTRY_B, MINISTRY_B.replace("B", "D", 1))),
    Rule("BR403", "source-never-cited", "sourcing", "warning",
         "A source in the list is used by no evidence and no citation.", ICD1,
         bad=(UNCITED,), good=edit(UNCITED[0], UNCITED[0])),
    Rule("BR404", "credibility-1-uncorroborated", "sourcing", "warning",
         "Evidence rated credibility 1 (confirmed by other sources) has no second, "
         "independent source in its judgment (sources that share a `via` count as one).",
         ADMIRALTY, bad=(WIRE_VIA,), good=edit(WIRE_VIA[0], WIRE_VIA[0])),
    Rule("BR405", "rated-source-without-author", "sourcing", "warning",
         "A source rated A or B names no author, publisher or outlet to rate.", ADMIRALTY,
         bad=(ANONYMOUS, (CONTAINER, "")), good=(ANONYMOUS,)),
    Rule("BR406", "accessed-after-cutoff", "sourcing", "error",
         "A source was accessed after the information cut-off.",
         "house style: the information cut-off (TRADECRAFT §1)",
         bad=edit(ACCESS, ACCESS.replace("2025-06-01", "2025-07-01")),
         good=edit(ACCESS, ACCESS)),
    Rule("BR407", "high-confidence-on-assumption", "sourcing", "warning",
         "A judgment held with high confidence rests in part on an assumption.",
         "ICD 203 (2015), standard 3: distinguishes reporting from assumptions and "
         "judgments; TRADECRAFT §3",
         bad=edit(ASSUMPTION, "kind: assumption\n        text: A wire report"),
         good=edit(ASSUMPTION, ASSUMPTION)),
    Rule("BR408", "state-media-rated-high", "sourcing", "warning",
         "A state-media outlet (KCNA, TASS, RT, Xinhua …) is rated A or B: it speaks for a "
         "government, so what it reports is that government's claim.",
         ADMIRALTY + "; TRADECRAFT §4: state media are sources too, their rating says how "
         "far to lean on them",
         bad=edit(CONTAINER, "    container: Xinhua\n"), good=edit(CONTAINER, CONTAINER)),
    Rule("BR409", "reporting-is-analysis", "sourcing", "warning",
         "Evidence typed `reporting` whose text is analysis (we assess, this suggests, "
         "indicates that …): type it `judgment` or keep to what the source reports.",
         "ICD 203 (2015), standard 3: distinguishes reporting from assumptions and judgments",
         bad=edit("A wire report confirms the signing in March 2025.",
                  "A wire report confirms the signing, which suggests that the treaty holds."),
         good=edit("A wire report confirms the signing in March 2025.",
                   "A wire report confirms the signing in March 2025.")),
    Rule("BR410", "opinion-typed-as-news", "sourcing", "warning",
         "A source typed as a news article or web page is an opinion piece (its genre, "
         "title or description says opinion, op-ed, editorial, commentary); type it "
         "`opinion-piece`.", ICD1,
         bad=edit(CONTAINER, CONTAINER + "    genre: Op-ed\n"), good=edit(CONTAINER, CONTAINER)),
    Rule("BR411", "basis-overcounts-sources", "sourcing", "warning",
         "A judgment's basis counts more sources ('three seeds agree') than its evidence "
         "cites.", ICD1 + "; ICD 203 standard 2: the basis explains the confidence",
         bad=edit("basis: The ministry's release and a wire report agree",
                  "basis: Three independent sources agree"),
         good=edit("basis: The ministry's release and a wire report agree",
                   "basis: Two sources agree")),
    Rule("BR412", "judgment-cites-unused-source", "sourcing", "warning",
         "A key judgment's text cites a source that none of its evidence uses or cites.",
         "ICD 203 (2015), standard 6: evidence per claim",
         bad=(("signed a treaty to share river water in dry years.",
               "signed a treaty to share river water in dry years [@spare]."), UNCITED),
         good=edit("signed a treaty to share river water in dry years.",
                   "signed a treaty to share river water in dry years [@wire].")),
    Rule("BR413", "interviewee-as-author", "sourcing", "warning",
         "A source lists as its author someone its archived copy quotes or interviews: "
         "probably the interviewee, not the author.", ICD1 + "; TRADECRAFT §7",
         bad=edit("      - family: Example\n        given: Ann\n",
                  "      - literal: the two governments\n"),
         good=edit("      - family: Example\n        given: Ann\n",
                   "      - family: Example\n        given: Ann\n")),
    Rule("BR452", "sentence-case-title-drifts", "sourcing", "warning",
         "A source's `sentence_case_title` differs from its `title` other than by case: a "
         "word, an apostrophe or a quotation mark was changed in one and not in the other.",
         "house style: `sentence_case_title` is the title itself in sentence case, for the "
         "citation styles that ask for it (CSL); the two must name the same work",
         bad=edit(MINISTRY_TITLE, MINISTRY_TITLE + "    sentence_case_title: Northland and "
                  "Southland sign water pact\n"),
         good=edit(MINISTRY_TITLE, MINISTRY_TITLE + "    sentence_case_title: Northland and "
                   "Southland sign water treaty\n")),
)


def origin(brief: Brief, source_id: str) -> str:
    """The source through which `source_id` is known (following `via`), or itself."""
    seen = [source_id]
    while True:
        src = brief.source(seen[-1])
        if src is None or not src.via or src.via in seen:
            return seen[-1]
        seen.append(src.via)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    yield from _corroboration(loaded)
    yield from _sources(loaded)
    yield from _evidence(loaded)


def _corroboration(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR401-BR407."""
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        ids = {ev.source for ev in kj.evidence if brief.source(ev.source)}
        origins = {origin(brief, s) for s in ids}
        reported = {origin(brief, ev.source) for ev in kj.evidence
                    if ev.kind == "reporting" and brief.source(ev.source)}
        name = f"key judgment '{kj.id}'"
        if kj.confidence == "high":
            yield from _high_confidence(loaded, i, ids, origins, reported)
        for j, ev in enumerate(kj.evidence):
            if ev.credibility == 1 and len(reported - {origin(brief, ev.source)}) == 0:
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "credibility"),
                              "warning", f"evidence '{ev.id}' is rated credibility 1 "
                              f"({CREDIBILITY[1]}), but {name} has no other independent "
                              "source for it (sources that share a `via` count as one); rate "
                              "it 2 or add corroborating evidence", rule="BR404")
            if kj.confidence == "high" and ev.kind == "assumption":
                yield Finding(loaded.place("key_judgments", i, "evidence", j, "kind"),
                              "warning", f"{name} is held with high confidence but rests in "
                              f"part on assumption '{ev.id}'; lower the confidence or replace "
                              "the assumption with reporting", rule="BR407")
    used = {ev.source for _, ev in brief.evidence()}
    used |= {key for _, text in prose_fields(loaded) for key in cited_keys(text)}
    for i, src in enumerate(brief.sources):
        if src.id not in used:
            yield Finding(loaded.place("sources", i, "id"), "warning",
                          f"source '{src.id}' is never cited; cite it or remove it",
                          rule="BR403")
        if src.reliability in "AB" and not (src.authors or src.publisher or src.container):
            yield Finding(loaded.place("sources", i, "reliability"), "warning",
                          f"source '{src.id}' is rated {src.reliability} "
                          f"({RELIABILITY[src.reliability]}) but names no author, publisher "
                          "or outlet; name who stands behind it or rate it F (reliability "
                          "cannot be judged)", rule="BR405")
        if src.title and src.sentence_case_title and (
                src.title.casefold() != src.sentence_case_title.casefold()):
            yield Finding(loaded.place("sources", i, "sentence_case_title"), "warning",
                          f"source '{src.id}': the sentence_case_title differs from the title "
                          f"other than by case ({title_drift(src.title, src.sentence_case_title)}"
                          "); make it the title in sentence case", rule="BR452")
        if src.accessed and src.accessed > brief.cutoff:
            yield Finding(loaded.place("sources", i, "accessed"), "error",
                          f"source '{src.id}' was accessed on {src.accessed}, after the "
                          f"information cut-off {brief.cutoff}; move the cut-off or give the "
                          "date it was accessed for this brief", rule="BR406")


def title_drift(title: str, sentence_case: str) -> str:
    """Where a sentence-case title first differs from its title other than by case."""
    import difflib  # only a drift needs it

    ours, theirs = title.split(), sentence_case.split()
    matcher = difflib.SequenceMatcher(None, [w.casefold() for w in ours],
                                      [w.casefold() for w in theirs], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            return (f"the title has '{' '.join(ours[a0:a1])}' where it has "
                    f"'{' '.join(theirs[b0:b1])}'")
    return "they differ in spacing"


def _high_confidence(loaded: LoadedBrief, i: int, ids: set[str], origins: set[str],
                     reported: set[str]) -> Iterator[Finding]:
    """BR401 and BR402: what a judgment held with high confidence rests on."""
    brief = loaded.brief
    name = f"key judgment '{brief.key_judgments[i].id}'"
    place = loaded.place("key_judgments", i, "confidence")
    if len(ids) == 1:
        yield Finding(place, "warning", f"{name} is held with high confidence but rests on a "
                      f"single source ('{next(iter(ids))}'); corroborate it from an "
                      "independent source or lower the confidence", rule="BR401")
    elif len(origins) == 1:
        yield Finding(place, "warning", f"{name} is held with high confidence but rests on a "
                      f"single source ('{next(iter(origins))}'; "
                      f"{', '.join(sorted(ids - origins))} known only through it); corroborate "
                      "it from an independent source or lower the confidence", rule="BR401")
    elif len(reported) == 1:
        yield Finding(place, "warning", f"{name} is held with high confidence but its "
                      f"reporting comes from a single source ('{next(iter(reported))}'); the "
                      "other items are judgments or assumptions; corroborate the reporting "
                      "from an independent source or lower the confidence", rule="BR401")
    if len(ids) > 1 and all(brief.source(s).reliability in WEAK for s in ids):
        yield Finding(place, "warning", f"{name} is held with high confidence but rests only "
                      "on sources rated D-F; corroborate it from a better-rated source or "
                      "lower the confidence", rule="BR402")


def _names(src) -> list[str]:
    """The names a source gives for who stands behind it."""
    names = [n.literal or " ".join(p for p in (n.given, n.family) if p) for n in src.authors]
    return [n for n in names if n]


def _sources(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR408, BR410, BR413: what a source is, against its rating, type and author."""
    for i, src in enumerate(loaded.brief.sources):
        outlet = " ".join(filter(None, [src.container, src.publisher, *_names(src)]))
        match = STATE_MEDIA.search(outlet)
        if match and src.reliability in "AB":
            yield Finding(loaded.place("sources", i, "reliability"), "warning",
                          f"source '{src.id}' is state media ({match.group(0)}) but is rated "
                          f"{src.reliability} ({RELIABILITY[src.reliability]}); what it "
                          "reports is its government's claim: rate it lower (C-F) and say "
                          "whose claim it is", rule="BR408")
        said = " ".join(filter(None, [src.genre, src.title, src.description]))
        if src.type in NEWS and (found := OPINION.search(said)):
            yield Finding(loaded.place("sources", i, "type"), "warning",
                          f"source '{src.id}' is typed '{src.type}' but its genre, title or "
                          f"description says '{found.group(0)}'; type it 'opinion-piece' so "
                          "readers weigh it as opinion", rule="BR410")
        yield from _interviewee(loaded, i, src)


def _interviewee(loaded: LoadedBrief, i: int, src) -> Iterator[Finding]:
    if not src.archive or not src.authors:
        return
    archived = read_archived(loaded, src.archive)
    if archived is None:
        return
    reader = read_source(archived)
    speakers = {who.lower() for para in reader.paragraphs for s in para.sentences
                for who in s.speakers}
    for name in _names(src):
        low = name.lower()
        family = low.split()[-1]
        interviewed = re.search(_INTERVIEW + re.escape(family), reader.text, re.IGNORECASE)
        if low in speakers or any(who.split()[-1:] == [family] for who in speakers
                                  if len(family) > 2) or interviewed:
            yield Finding(loaded.place("sources", i, "authors"), "warning",
                          f"source '{src.id}' lists '{name}' as its author, but its archived "
                          f"copy quotes or interviews '{name}': probably the interviewee, not "
                          "the author; list who wrote it (or none)", rule="BR413")
            return


def _evidence(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR409, BR411, BR412: what evidence says it is and what a judgment cites."""
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        name = f"key judgment '{kj.id}'"
        for j, ev in enumerate(kj.evidence):
            if ev.kind == "reporting" and (found := ANALYSIS.search(plain(ev.text))):
                yield Finding(place_of(loaded, ("key_judgments", i, "evidence", j, "text"),
                                       found.group(0)), "warning",
                              f"evidence '{ev.id}' is typed 'reporting' but says "
                              f"'{found.group(0)}', which is analysis; type it 'judgment' or "
                              "keep to what the source reports", rule="BR409")
        cited = {ev.source for ev in kj.evidence}
        cited |= {key for ev in kj.evidence for key in cited_keys(ev.text)}
        cited |= {origin(brief, key) for key in set(cited)}
        for key in cited_keys(kj.text):
            if brief.source(key) is not None and key not in cited \
                    and origin(brief, key) not in cited:
                yield Finding(place_of(loaded, ("key_judgments", i, "text"), "@" + key),
                              "warning", f"{name} cites '@{key}', which none of its evidence "
                              "uses or cites; add the evidence drawn from it, or cite the "
                              "source its evidence rests on", rule="BR412")
        for match in COUNTED.finditer(plain(kj.basis)):
            word = (match.group(2) or match.group(1)).lower()
            claimed = int(word) if word.isdigit() else _COUNT_WORDS.get(word, 0)
            sources = {ev.source for ev in kj.evidence}
            sources |= {key for ev in kj.evidence for key in cited_keys(ev.text)}
            if claimed >= 3 and claimed > len(sources):  # 'two' is too loose to count
                yield Finding(place_of(loaded, ("key_judgments", i, "basis"), match.group(0)),
                              "warning", f"the basis of {name} says '{match.group(0)}' but "
                              f"its evidence cites {len(sources)} source(s) "
                              f"({', '.join(sorted(sources))}); make the count agree with "
                              "the evidence, or add the evidence", rule="BR411")
