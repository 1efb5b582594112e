"""The review corpus: seeded faults and benign edits, each a small recipe applied to a
copy of the NK brief (`content/nk-russia`), and the catch rate of `validate` on them.

A fault is caught when `validate` reports its expected rule code; a benign edit (what a
good editor does) is a false positive when `validate` reports anything at all. The NK
brief itself must be clean. Run `python tests/review/corpus.py` for the table.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BRIEF = ROOT / "content" / "nk-russia"
SYNTHETIC = HERE / "synthetic"  # a second subject: a synthetic brief, synthetic sources
BRIEFS = {"nk-russia": BRIEF, "synthetic": SYNTHETIC}
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from briefing.build.validate import validate  # noqa: E402
from briefing.review.examples import release_as_it_stands  # noqa: E402
from briefing.review.registry import FAMILY_TITLES, all_rules  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One recipe: edits of the brief's files, and the code a fault must raise."""

    name: str
    kind: str  # "fault" or "benign"
    expect: str | None
    edits: tuple[tuple[str, str, str, bool], ...]  # (file, old, new, to the end of file)
    paraphrase: bool = False  # worded unlike any rule's examples and patterns
    brief: str = "nk-russia"  # or "synthetic" (tests/review/synthetic/)


RELEASE = "<release>"  # an edit that releases the brief as it stands (`release: true`)


def load_cases() -> list[Case]:
    cases = []
    for kind, file in (("fault", "faults.yaml"), ("benign", "benign.yaml")):
        for entry in yaml.safe_load((HERE / file).read_text("utf-8")):
            brief = entry.get("brief", "nk-russia")
            default = "judgments.yaml" if brief == "nk-russia" else "brief.yaml"
            edits = tuple((RELEASE, "", "", False) if e.get("release") else
                          (e.get("file", default), e["old"],
                           e["new"] * e.get("times", 1), bool(e.get("to_end")))
                          for e in entry["edits"])
            cases.append(Case(entry["name"], kind, entry.get("expect"), edits,
                              bool(entry.get("paraphrase")), brief))
    return cases


def workspace(base: Path) -> Path:
    """A folder holding seeds/ and layouts/ as the brief expects them."""
    for name in ("seeds", "layouts"):  # copies: a brief may not reach outside its project
        shutil.copytree(ROOT / name, base / name)
    return base


def apply(case: Case, base: Path) -> Path:
    """A fresh copy of the brief under `base` with the case's edits applied."""
    folder = base / "content" / case.brief
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(BRIEFS[case.brief], folder)
    for file, old, new, to_end in case.edits:
        if file == RELEASE:
            release_as_it_stands(folder)
            continue
        path = folder / file
        if not old and not path.exists():  # a new file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, "utf-8")
            continue
        text = path.read_text("utf-8")
        if text.count(old) != 1:
            raise ValueError(f"case '{case.name}': {old!r} occurs {text.count(old)} times "
                             f"in {file}")
        start = text.index(old)
        end = len(text) if to_end else start + len(old)
        path.write_text(text[:start] + new + text[end:], "utf-8")
    return folder


def findings(folder: Path, expect: str | None = None) -> list:
    """What `validate` finds; for a fault of a rule found otherwise (`found_by`
    "batch"), also a run with the NK brief itself."""
    result = validate(folder)
    found_by = all_rules()[expect].found_by if expect in all_rules() else "validate"
    if found_by == "batch":
        from briefing.build.batch import declared_ids, duplicate_ids

        return [*result.findings, *duplicate_ids(declared_ids([BRIEF, folder])).values()]
    return result.findings


@dataclass(frozen=True)
class Outcome:
    case: Case
    findings: tuple = ()
    error: str = ""  # the recipe does not apply to the brief

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings)

    @property
    def ok(self) -> bool:
        if self.error:
            return False
        if self.case.kind == "fault":
            return self.case.expect in self.codes
        return not self.codes


def run(cases: list[Case] | None = None) -> list[Outcome]:
    cases = load_cases() if cases is None else cases
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        base = workspace(Path(tmp))
        for case in cases:
            try:
                folder = apply(case, base)
            except ValueError as exc:
                outcomes.append(Outcome(case, (), str(exc)))
                continue
            outcomes.append(Outcome(case, tuple(findings(folder, case.expect))))
    return outcomes


def family(case: Case) -> str:
    return all_rules()[case.expect].family if case.expect in all_rules() else "?"


def table(outcomes: list[Outcome]) -> str:
    """The catch rate per family and the false positives, as a Markdown table."""
    faults = [o for o in outcomes if o.case.kind == "fault"]
    total, caught = Counter(), Counter()
    for outcome in faults:
        total[family(outcome.case)] += 1
        caught[family(outcome.case)] += outcome.ok
    lines = ["| family | seeded faults | caught | catch rate |", "|---|---:|---:|---:|"]
    for name, title in FAMILY_TITLES.items():
        if total[name]:
            lines.append(f"| {title} | {total[name]} | {caught[name]} | "
                         f"{100 * caught[name] / total[name]:.0f} % |")
    all_caught = sum(caught.values())
    lines.append(f"| **all** | **{len(faults)}** | **{all_caught}** | "
                 f"**{100 * all_caught / max(1, len(faults)):.0f} %** |")
    benign = [o for o in outcomes if o.case.kind == "benign"]
    flagged = [o for o in benign if not o.ok]
    worded = [o for o in faults if o.case.paraphrase]
    lines += ["", "| paraphrased faults | caught | catch rate |", "|---:|---:|---:|",
              f"| {len(worded)} | {sum(o.ok for o in worded)} | "
              f"{100 * sum(o.ok for o in worded) / max(1, len(worded)):.0f} % |"]
    lines += ["", "| benign edits | false positives |", "|---:|---:|",
              f"| {len(benign)} | {len(flagged)} |"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cases = load_cases()
    if argv:  # only the cases whose name holds one of the words given
        cases = [c for c in cases if any(word in c.name for word in argv)]
    outcomes = run(cases)
    print(table(outcomes))
    wrong = [o for o in outcomes if not o.ok]
    for outcome in wrong:
        if outcome.error:
            print(f"{outcome.case.kind} '{outcome.case.name}': {outcome.error}")
            continue
        what = (f"missed {outcome.case.expect}" if outcome.case.kind == "fault"
                else "false positive")
        print(f"{outcome.case.kind} '{outcome.case.name}': {what}; got "
              f"{', '.join(outcome.codes) or 'nothing'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
