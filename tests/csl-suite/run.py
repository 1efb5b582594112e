"""Run the CSL processor test suite (tests/csl-suite/fixtures) through briefing's
citation layer and print the pass count.

    python tests/csl-suite/run.py                 # every fixture
    python tests/csl-suite/run.py --table out.md  # also write a results table
    python tests/csl-suite/run.py --update-known  # rewrite known-failures.txt
    python tests/csl-suite/run.py --show NAME ... # expected and actual of these

Each fixture goes the way a build goes: its CSL-JSON items into
`briefing.compose.cite.Citer`, its citations registered as a build registers them
(`Cluster`: ids, locators with their labels, prefixes, suffixes, note numbers, in
order), one pandoc run, and out as the HTML CSL processors print
(`pandoc_inlines.to_csl_html`, from the inlines the document tree is made from).
The fixtures are read as jgm/citeproc's own runner reads them (test/Spec.hs):
CITATIONS in order, a later one with the same citationID replacing an earlier
one, and compared without their `>>[0]`/`..[1]` markers; CITATION-ITEMS each a
citation; with neither, one citation of every item (citation mode) or none
(bibliography mode: every item is listed). The output is compared with the
fixture's RESULT after the suite's usual normalisation (entities written alike,
whitespace at line ends and between the bibliography's lines ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
KNOWN = HERE / "known-failures.txt"
_SECTION = re.compile(r">>=+ ?([A-Z-]+) ?=+>>\n?(.*?)\n?<<=+ ?\1 ?=+<<", re.DOTALL)
# What citeproc-js (and jgm/citeproc's runner) print for a citation or entry with no text.
_NO_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
_NUMBERED = re.compile(r"^(?:>>|\.\.)\[\d+\] ?", re.MULTILINE)


@dataclass(frozen=True)
class Outcome:
    name: str
    passed: bool
    expected: str
    actual: str
    error: str = ""

    @property
    def fingerprint(self) -> str:
        """A short digest of what the layer printed (or raised), so a known failure
        that starts failing differently is noticed."""
        text = self.error or self.actual
        return hashlib.sha256(text.encode()).hexdigest()[:10]


def parse(path: Path) -> dict[str, str]:
    return {name: body for name, body in _SECTION.findall(path.read_text("utf-8"))}


def _items(fixture: dict[str, str]) -> list[dict]:
    """The fixture's items, each id once (the first), as strings."""
    items, seen = [], set()
    for index, item in enumerate(json.loads(fixture["INPUT"])):
        item = {**item, "id": str(item.get("id", index))}
        if item["id"] not in seen:
            seen.add(item["id"])
            items.append(item)
    return items


def _request(entry: dict):
    from briefing.compose.pandoc_citeproc import CiteRequest

    locator = str(entry.get("locator", ""))
    label = entry.get("label", "page") if locator else ""
    return CiteRequest(str(entry["id"]), label.replace(" ", "-"), locator,
                       rich_text(entry.get("prefix", "")), rich_text(entry.get("suffix", "")))


# -- CSL-JSON rich text (an affix's <i>, <b>, <sc>, quotes), as citeproc reads it --------

_TAGS = [("<i>", "</i>", "Emph"), ("<b>", "</b>", "Strong"), ("<u>", "</u>", "Underline"),
         ('<span class="nodecor">', "</span>", "nodecoration"), ("<sup>", "</sup>",
         "Superscript"), ("<sub>", "</sub>", "Subscript"),
         ('<span style="baseline">', "</span>", "baseline"),
         ('<span style="font-variant:small-caps;">', "</span>", "SmallCaps"),
         ("<sc>", "</sc>", "SmallCaps"), ('<span class="nocase">', "</span>", "nocase")]
_SPECIAL = "<>'\"’“”‘"


class _NoParse(Exception):
    pass


def rich_text(text: str) -> list:
    """Pandoc inlines for an affix in CSL-JSON's rich text, parsed as jgm/citeproc's
    `parseCslJson` does (markup that does not parse stays text)."""
    try:
        parts, end = _rich(text, 0, None)
    except _NoParse:
        parts, end = [text], len(text)
    return _inlines(parts) if end == len(text) else _inlines([text])


def _rich(text: str, at: int, closer: str | None) -> tuple[list, int]:
    out: list = []
    while True:
        if closer is not None and text.startswith(closer, at):
            return out, at + len(closer)
        if at >= len(text):
            if closer is not None:
                raise _NoParse
            return out, at
        node, at = _one(text, at)
        out.append(node)


def _one(text: str, at: int) -> tuple[object, int]:
    char = text[at]
    if char.isalnum() and char not in _SPECIAL:
        end = at
        while end < len(text) and text[end].isalnum() and text[end] not in _SPECIAL:
            end += 1
        if end + 1 < len(text) and text[end] in "'’" and text[end + 1].isalnum():
            rest = end + 1
            while rest < len(text) and text[rest].isalnum():
                rest += 1
            return text[at:end] + "’" + text[end + 1:rest], rest
        return text[at:end], end
    for opening, closing, kind in _TAGS:
        if text.startswith(opening, at):
            try:
                inner, end = _rich(text, at + len(opening), closing)
                return (kind, inner), end
            except _NoParse:
                break
    if char in "\"'“‘" and at + 1 < len(text) and not text[at + 1].isspace():
        closer = {"\"": "\"", "'": "'", "“": "”", "‘": "’"}[char]
        if text[at + 1] != closer:
            try:
                inner, end = _rich(text, at + 1, closer)
                return ("quoted", inner), end
            except _NoParse:
                pass
    if char in _SPECIAL:
        return ("’" if char in "'’" else char), at + 1
    end = at
    while end < len(text) and not text[end].isalnum() and text[end] not in _SPECIAL:
        end += 1
    return text[at:end], end


def _inlines(parts: list) -> list:
    from briefing.compose.pandoc_citeproc import words

    out: list = []
    pending = ""
    for part in [*parts, None]:
        if isinstance(part, str):
            pending += part
            continue
        out.extend(_spaced(pending, words))
        pending = ""
        if part is None:
            break
        kind, inner = part
        children = _inlines(inner)
        if kind in ("Emph", "Strong", "Underline", "Superscript", "Subscript", "SmallCaps"):
            out.append({"t": kind, "c": children})
        else:
            classes = ["csl-quoted"] if kind == "quoted" else [kind]
            out.append({"t": "Span", "c": [["", classes, []], children]})
    return out


def _spaced(text: str, words) -> list:
    """Text as Str and Space inlines, its leading and trailing spaces kept."""
    if not text:
        return []
    inner = words(text.strip(" "))
    lead = [{"t": "Space"}] if text[0] == " " else []
    trail = [{"t": "Space"}] if text[-1] == " " and text.strip(" ") else []
    return lead + inner + trail


def clusters(fixture: dict[str, str], items: list[dict], note_style: bool) -> list:
    """The fixture's citations as the engine takes them."""
    from briefing.compose.pandoc_citeproc import Cluster

    if "CITATIONS" in fixture:
        given = [entry[0] for entry in json.loads(fixture["CITATIONS"])]
        kept = [c for i, c in enumerate(given)
                if not c.get("citationID") or
                c["citationID"] not in [d.get("citationID") for d in given[i + 1:]]]
        return [Cluster(tuple(_request(e) for e in c["citationItems"]),
                        int(c.get("properties", {}).get("noteIndex", 0)), note_style)
                for c in kept]
    if "CITATION-ITEMS" in fixture:
        return [Cluster(tuple(_request(e) for e in cluster), 0, note_style)
                for cluster in json.loads(fixture["CITATION-ITEMS"])]
    if fixture.get("MODE", "").strip() == "citation":
        return [Cluster(tuple(_request({"id": i["id"]}) for i in items), 0, note_style)]
    return []


def normalise(text: str) -> str:
    text = text.replace("&#38;", "&amp;").replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    text = text.replace("&#160;", "\u00a0").replace("&nbsp;", "\u00a0")
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def _bibliography(entries: list[str]) -> str:
    """The list as the suite writes it (jgm/citeproc's `addDivs`)."""
    lines = ['<div class="csl-bib-body">']
    for entry in entries:
        if entry.startswith("<div"):
            lines.append(f'  <div class="csl-entry">\n    {entry}\n  </div>')
        elif entry.endswith("</div>"):
            lines.append(f'  <div class="csl-entry">{entry}\n  </div>')
        else:
            lines.append(f'  <div class="csl-entry">{entry}</div>')
    return "\n".join([*lines, "</div>"])


def run_briefing(fixture: dict[str, str]) -> str:
    from briefing.compose.cite import Citer

    items = _items(fixture)
    mode = fixture.get("MODE", "citation").strip()
    with tempfile.TemporaryDirectory() as folder:
        style = Path(folder) / "style.csl"
        style.write_text(fixture["CSL"], "utf-8")
        citer = Citer.from_items(items, style)
        handles = [citer.register_cluster(c)
                   for c in clusters(fixture, items, citer.is_note_style)]
        if mode.startswith("bibliography"):
            return _bibliography([text or _NO_FORM for _, text in citer.reference_html()])
        return "\n".join(citer.citation_html(h) or _NO_FORM for h in handles)


def expected(fixture: dict[str, str]) -> str:
    """The fixture's RESULT, without the numbers of CITATIONS lines."""
    result = fixture.get("RESULT", "")
    if "CITATIONS" in fixture and fixture.get("MODE", "").strip() == "citation":
        result = _NUMBERED.sub("", result)
    return normalise(result)


def run_one(path: Path) -> Outcome:
    fixture = parse(path)
    wanted = expected(fixture)
    try:
        actual = run_briefing(fixture)
    except Exception as exc:  # a crash is a failure, recorded with its kind
        line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome(path.stem, False, wanted, "", line[:200])
    actual = normalise(actual)
    return Outcome(path.stem, actual == wanted, wanted, actual)


def run_all(names: list[str] | None = None, workers: int = 2) -> list[Outcome]:
    paths = sorted(FIXTURES.glob("*.txt"))
    if names is not None:
        paths = [p for p in paths if p.stem in names]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(run_one, paths, chunksize=8))


def read_known() -> dict[str, tuple[str, str]]:
    """name → (fingerprint, reason) of every fixture listed as failing."""
    known = {}
    for line in KNOWN.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, fingerprint, reason = line.split("\t", 2)
        known[name] = (fingerprint, reason)
    return known


def difference(outcome: Outcome) -> str:
    """Where a fixture's output departs from its RESULT, in one line: the crash, or
    the first difference."""
    if outcome.error:
        return f"raises {outcome.error}"
    wanted, actual = outcome.expected, outcome.actual
    start = next((i for i, (a, b) in enumerate(zip(wanted, actual, strict=False)) if a != b),
                 min(len(wanted), len(actual)))
    lo = max(0, start - 15)
    show = lambda s: s[lo:start + 25].replace("\n", "⏎").replace("\t", " ")  # noqa: E731
    return f"expected «{show(wanted)}» got «{show(actual)}»"


def write_known(outcomes: list[Outcome]) -> None:
    """Rewrite the list: a reason written before is kept while the output stays the
    same (the difference shown after it is brought up to date)."""
    old = read_known() if KNOWN.exists() else {}
    lines = ["# CSL test-suite fixtures briefing's citation layer fails, one a line:",
             "# name<TAB>fingerprint of the output<TAB>reason: the cause, then the first",
             "# difference. A fixture that starts passing, or fails with another output,",
             "# fails tests/test_csl_suite.py. Rewrite with: run.py --update-known",
             "# (a new failure gets 'TODO: cause' until its cause is written in)."]
    for outcome in outcomes:
        if outcome.passed:
            continue
        kept = old.get(outcome.name)
        cause = kept[1].split(" — ")[0] if kept and kept[0] == outcome.fingerprint \
            else "TODO: cause"
        lines.append(f"{outcome.name}\t{outcome.fingerprint}\t{cause} — {difference(outcome)}")
    KNOWN.write_text("\n".join(lines) + "\n", "utf-8")


def table(outcomes: list[Outcome]) -> str:
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.name.split("_")[0], []).append(outcome)
    rows = ["| group | passed | total |", "| --- | --: | --: |"]
    for group, members in sorted(groups.items()):
        rows.append(f"| {group} | {sum(o.passed for o in members)} | {len(members)} |")
    passed = sum(o.passed for o in outcomes)
    rows.append(f"| **all** | **{passed}** | **{len(outcomes)}** |")
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", type=Path, help="write a results table (Markdown)")
    parser.add_argument("--update-known", action="store_true")
    parser.add_argument("--show", nargs="*", help="print expected and actual of these")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    outcomes = run_all(args.show or None, args.jobs)
    if args.show:
        for o in outcomes:
            print(f"== {o.name} {'PASS' if o.passed else 'FAIL'} {o.error}")
            print("expected:\n" + o.expected + "\nactual:\n" + o.actual + "\n")
        return 0
    passed = sum(o.passed for o in outcomes)
    print(f"{passed} of {len(outcomes)} fixtures pass ({100 * passed / len(outcomes):.1f} %)")
    if args.update_known:
        write_known(outcomes)
    if args.table:
        args.table.write_text(table(outcomes), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
