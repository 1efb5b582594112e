"""Run the CSL processor test suite (tests/csl-suite/fixtures) through briefing's
citation layer and print the pass counts.

    python tests/csl-suite/run.py                 # briefing's layer (citeproc-py + mends)
    python tests/csl-suite/run.py --bare          # citeproc-py alone (mends off)
    python tests/csl-suite/run.py --engine pandoc # pandoc's citeproc (prototype)
    python tests/csl-suite/run.py --table out.md  # also write a results table
    python tests/csl-suite/run.py --update-known  # rewrite known-failures.txt

Each fixture goes the way a build goes: its CSL-JSON items and citations into
`briefing.compose.cite.Citer`, out as the HTML the document's inlines are made of
(before that conversion, which keeps only emphasis and bold). The output is compared
with the fixture's RESULT after the suite's usual normalisation (entities written
alike, whitespace at line ends and between the bibliography's lines ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
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
    items = json.loads(fixture["INPUT"])
    for index, item in enumerate(items):
        item.setdefault("id", index)
        item["id"] = str(item["id"])
        item.setdefault("type", "book")
    return items


def _request(entry: dict) -> tuple[str, ...]:
    locator = str(entry.get("locator", ""))
    request = (str(entry["id"]), entry.get("label", "page") if locator else "", locator)
    if entry.get("prefix") or entry.get("suffix"):
        return (*request, entry.get("prefix", ""), entry.get("suffix", ""))
    return request


def _citations(fixture: dict[str, str]) -> tuple[list[list[tuple]], bool]:
    """The citations as request lists, and whether they are CITATIONS (numbered lines)."""
    if "CITATIONS" in fixture:
        clusters = json.loads(fixture["CITATIONS"])
        return [[_request(c) for c in cluster[0]["citationItems"]]
                for cluster in clusters], True
    if "CITATION-ITEMS" in fixture:
        return [[_request(c) for c in cluster]
                for cluster in json.loads(fixture["CITATION-ITEMS"])], False
    return [], False


def normalise(text: str) -> str:
    text = text.replace("&#38;", "&amp;").replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    text = text.replace("&#160;", "\u00a0").replace("&nbsp;", "\u00a0")
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def _bibliography(entries: list[str]) -> str:
    body = "\n".join(f'  <div class="csl-entry">{e}</div>' for e in entries if e)
    return f'<div class="csl-bib-body">\n{body}\n</div>'


def run_briefing(fixture: dict[str, str], mends: bool = True) -> str:
    from briefing.compose.cite import Citer

    items = _items(fixture)
    citations, numbered = _citations(fixture)
    mode = fixture.get("MODE", "citation").strip()
    if mode.startswith("bibliography") and "BIBENTRIES" in fixture:
        wanted = [str(k) for k in json.loads(fixture["BIBENTRIES"])[-1]]
        by_id = {i["id"]: i for i in items}
        items = [by_id[k] for k in wanted if k in by_id]
    elif citations:
        cited = {c[0] for citation in citations for c in citation}
        items = [i for i in items if i["id"] in cited]
    with tempfile.TemporaryDirectory() as folder:
        style = Path(folder) / "style.csl"
        style.write_text(fixture["CSL"], "utf-8")
        citer = Citer.from_items(items, style, mends=mends)
        if not citations:
            citations = [[(i["id"], "", "") for i in items]]
        handles = [citer.register_request(tuple(c)) for c in citations]
        if mode.startswith("bibliography"):
            return _bibliography([text for _, text in citer.reference_html()])
        texts = [citer.citation_html(h) for h in handles]
    if numbered:
        last = len(texts) - 1
        return "\n".join(f"{'>>' if i == last else '..'}[{i}] {t}" for i, t in enumerate(texts))
    return "\n".join(texts)


_PANDOC_LABELS = {"page": "p.", "chapter": "chap.", "paragraph": "para.", "section": "sec.",
                  "volume": "vol.", "line": "l.", "figure": "fig.", "note": "n.",
                  "book": "bk.", "column": "col.", "folio": "fol.", "issue": "no.",
                  "opus": "op.", "verse": "v.", "part": "pt."}


def run_pandoc(fixture: dict[str, str]) -> str:
    """A prototype: the fixture through pandoc's citeproc (markdown cites, CSL JSON
    references, pandoc's JSON AST out, its inlines written as the suite's HTML), to
    measure that engine on the same suite."""
    import pypandoc

    items = _items(fixture)
    citations, numbered = _citations(fixture)
    mode = fixture.get("MODE", "citation").strip()
    if not citations:
        citations = [[(i["id"], "", "") for i in items]]

    def cite(request: list[tuple]) -> str:
        parts = []
        for key, label, value, *affixes in request:
            prefix, suffix = (affixes + ["", ""])[:2]
            locator = f", {_PANDOC_LABELS.get(label, 'p.')} {value}" if value else ""
            parts.append(f"{prefix}@{key}{locator}{suffix}")
        return "[" + "; ".join(parts) + "]"

    with tempfile.TemporaryDirectory() as folder:
        style = Path(folder) / "style.csl"
        style.write_text(fixture["CSL"], "utf-8")
        refs = Path(folder) / "refs.json"
        refs.write_text(json.dumps(items), "utf-8")
        body = "\n\n".join(f"::: {{.cit}}\n{cite(c)}\n:::" for c in citations)
        if mode.startswith("bibliography") and "BIBENTRIES" in fixture:
            ids = ", ".join("@" + str(k) for k in json.loads(fixture["BIBENTRIES"])[-1])
            body = f"---\nnocite: '{ids}'\n---\n\n"
        out = subprocess.run(
            [pypandoc.get_pandoc_path(), "--citeproc", f"--csl={style}",
             f"--bibliography={refs}", "-f", "markdown", "-t", "json"],
            input=body, capture_output=True, text=True, timeout=60, check=True).stdout
    document = json.loads(out)["blocks"]
    if mode.startswith("bibliography"):
        entries = []
        for block in _walk_blocks(document):
            if block["t"] == "Div" and "csl-entry" in block["c"][0][1]:
                entries.append(_blocks_html(block["c"][1]))
        return _bibliography(entries)
    texts = []
    for block in document:
        if block["t"] == "Div" and "cit" in block["c"][0][1]:
            texts.append(_cites_html(block["c"][1]))
    if numbered:
        last = len(texts) - 1
        return "\n".join(f"{'>>' if i == last else '..'}[{i}] {t}" for i, t in enumerate(texts))
    return "\n".join(texts)


def _walk_blocks(blocks: list):
    for block in blocks:
        yield block
        if block["t"] == "Div":
            yield from _walk_blocks(block["c"][1])


def _cites_html(blocks: list) -> str:
    """The rendered text of the Cite in a paragraph (its note's text, for note styles)."""
    for block in blocks:
        for inline in block.get("c", []) if block["t"] == "Para" else []:
            if inline["t"] == "Cite":
                rendered = inline["c"][1]
                if len(rendered) == 1 and rendered[0]["t"] == "Note":
                    return _blocks_html(rendered[0]["c"])
                return _inlines_html(rendered)
    return ""


def _blocks_html(blocks: list) -> str:
    return " ".join(_inlines_html(b["c"]) if b["t"] in ("Para", "Plain")
                    else _blocks_html(b["c"][1]) if b["t"] == "Div" else ""
                    for b in blocks)


_WRAP = {"Emph": ("<i>", "</i>"), "Strong": ("<b>", "</b>"),
         "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>"),
         "Superscript": ("<sup>", "</sup>"), "Subscript": ("<sub>", "</sub>"),
         "Underline": ('<span style="text-decoration:underline;">', "</span>")}
_SPANS = {"csl-no-emph": ('<span style="font-style:normal;">', "</span>"),
          "csl-no-strong": ('<span style="font-weight:normal;">', "</span>"),
          "csl-no-smallcaps": ('<span style="font-variant:normal;">', "</span>")}


def _inlines_html(inlines: list) -> str:
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind in _WRAP:
            out.append(_WRAP[kind][0] + _inlines_html(content) + _WRAP[kind][1])
        elif kind == "Quoted":
            marks = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(marks[0] + _inlines_html(content[1]) + marks[1])
        elif kind == "Span":
            classes = content[0][1]
            wrap = next((_SPANS[c] for c in classes if c in _SPANS), ("", ""))
            out.append(wrap[0] + _inlines_html(content[1]) + wrap[1])
        elif kind == "Link":
            out.append(_inlines_html(content[1]))
        elif kind == "Cite":
            out.append(_inlines_html(content[1]))
        elif kind == "Note":
            out.append(_blocks_html(content))
    return "".join(out)


def run_one(args: tuple[Path, str]) -> Outcome:
    path, engine = args
    fixture = parse(path)
    expected = normalise(fixture.get("RESULT", ""))
    try:
        if engine == "pandoc":
            actual = run_pandoc(fixture)
        else:
            actual = run_briefing(fixture, mends=engine == "briefing")
    except Exception as exc:  # a crash is a failure, recorded with its kind
        line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome(path.stem, False, expected, "", line[:200])
    actual = normalise(actual)
    return Outcome(path.stem, actual == expected, expected, actual)


def run_all(engine: str = "briefing", names: list[str] | None = None,
            workers: int = 2) -> list[Outcome]:
    paths = sorted(FIXTURES.glob("*.txt"))
    if names is not None:
        paths = [p for p in paths if p.stem in names]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(run_one, [(p, engine) for p in paths], chunksize=8))


def read_known() -> dict[str, tuple[str, str]]:
    """name → (fingerprint, reason) of every fixture listed as failing."""
    known = {}
    for line in KNOWN.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, fingerprint, reason = line.split("\t", 2)
        known[name] = (fingerprint, reason)
    return known


def reason(outcome: Outcome, bare: Outcome | None) -> str:
    """Why a fixture fails, in one line: the crash, or the first difference."""
    if outcome.error:
        return f"raises {outcome.error}"
    expected, actual = outcome.expected, outcome.actual
    start = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
                 min(len(expected), len(actual)))
    lo = max(0, start - 15)
    show = lambda s: s[lo:start + 25].replace("\n", "⏎").replace("\t", " ")  # noqa: E731
    who = "a mend" if bare is not None and bare.passed else "citeproc-py"
    return f"{who}: expected «{show(expected)}» got «{show(actual)}»"


def write_known(outcomes: list[Outcome], bare: dict[str, Outcome]) -> None:
    old = read_known() if KNOWN.exists() else {}
    lines = ["# CSL test-suite fixtures briefing's citation layer fails, one a line:",
             "# name<TAB>fingerprint of the output<TAB>reason. A fixture that starts",
             "# passing, or fails with another output, fails tests/test_csl_suite.py.",
             "# Regenerate with: python tests/csl-suite/run.py --update-known"]
    for outcome in outcomes:
        if outcome.passed:
            continue
        why = reason(outcome, bare.get(outcome.name))
        kept = old.get(outcome.name)
        if kept and kept[0] == outcome.fingerprint and not kept[1].startswith(
                ("citeproc-py:", "a mend:", "raises")):
            why = kept[1]  # a reason written by hand is kept while the output is unchanged
        lines.append(f"{outcome.name}\t{outcome.fingerprint}\t{why}")
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
    parser.add_argument("--engine", choices=("briefing", "citeproc-py", "pandoc"),
                        default="briefing")
    parser.add_argument("--bare", action="store_true", help="same as --engine citeproc-py")
    parser.add_argument("--table", type=Path, help="write a results table (Markdown)")
    parser.add_argument("--update-known", action="store_true")
    parser.add_argument("--show", nargs="*", help="print expected and actual of these")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    engine = "citeproc-py" if args.bare else args.engine
    outcomes = run_all(engine, args.show or None, args.jobs)
    if args.show:
        for o in outcomes:
            print(f"== {o.name} {'PASS' if o.passed else 'FAIL'} {o.error}")
            print("expected:\n" + o.expected + "\nactual:\n" + o.actual + "\n")
        return 0
    passed = sum(o.passed for o in outcomes)
    print(f"{engine}: {passed} of {len(outcomes)} fixtures pass "
          f"({100 * passed / len(outcomes):.1f} %)")
    if engine == "briefing":
        bare = {o.name: o for o in run_all("citeproc-py", workers=args.jobs)}
        broken = sorted(o.name for o in outcomes if not o.passed and bare[o.name].passed)
        fixed = sorted(o.name for o in outcomes if o.passed and not bare[o.name].passed)
        print(f"citeproc-py alone: {sum(o.passed for o in bare.values())}; the mends fix "
              f"{len(fixed)} and break {len(broken)}")
        for name in broken:
            print(f"  broken by a mend: {name}")
        if args.update_known:
            write_known(outcomes, bare)
    if args.table:
        args.table.write_text(table(outcomes), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
