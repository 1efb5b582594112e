"""`briefing rules`: the table of every rule, or one rule explained with its examples."""

from __future__ import annotations

from .registry import FAMILY_TITLES
from .rule import FILE, RELEASE, Edit, Rule
from .ruledocs import DOCS_URL_VARIABLE, missing_locally, rule_doc_url

FOUND_BY = {"batch": "`briefing validate` or `build` of several briefs at once; the edits "
                     "are of a second copy of the example brief"}
LONG = 1000  # an example line longer than this is shown cut, with its length


def rules_table(rules: dict[str, Rule]) -> str:
    """One line per rule, grouped by family: code, severity, name, summary."""
    lines = []
    family = None
    for rule in rules.values():
        if rule.family != family:
            family = rule.family
            lines.append(f"{'' if not lines else chr(10)}{FAMILY_TITLES[family]}")
        lines.append(f"  {rule.code}  {rule.severity:<7}  {rule.name:<32}  {rule.summary}")
    return "\n".join(lines) + "\n"


def rules_markdown(rules: dict[str, Rule]) -> str:
    """The rules as a Markdown table (`briefing rules --format markdown`)."""
    lines = ["| code | name | severity | family | what it flags | standard |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r.code} | `{r.name}` | {r.severity} | {FAMILY_TITLES[r.family]} | "
              f"{r.summary.replace('|', '/')} | {r.standard} |" for r in rules.values()]
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    """A rule's doc: what it checks, which standard, a bad and a good example."""
    parts = [f"{rule.code} {rule.name} ({rule.severity}; {FAMILY_TITLES[rule.family]})",
             "", rule.summary, "", f"Standard: {rule.standard}", "",
             *([f"Found by: {FOUND_BY[rule.found_by]}", ""] if rule.found_by in FOUND_BY
               else []),
             "Bad (an edit of the example brief, briefing/review/example/brief.yaml):",
             *example_lines(rule.bad), "", "Good:", *example_lines(rule.good), "",
             f"Suppress on one item, with a reason: suppress: {{{rule.code}: \"why\"}}",
             f"Ignore everywhere: review: {{ignore: [{rule.code}]}}", "", _docs_line(rule)]
    return "\n".join(parts) + "\n"


def _docs_line(rule: Rule) -> str:
    """The address of the rule's section in the documentation site."""
    url = rule_doc_url(rule.code)
    hint = (f" (not built yet: `mkdocs build` writes it, or set {DOCS_URL_VARIABLE} to the "
            "site's address)" if missing_locally(url) else "")
    return f"Docs: {url}{hint}"


def example_lines(edits: tuple[Edit, ...]) -> list[str]:
    """A rule's example as lines: `- old`, `+ new`, or unchanged context, indented by two."""
    lines = []
    for old, new in edits:
        if old == RELEASE:
            lines.append("  (released as it stands with `briefing release`)")
        elif old.startswith(FILE):
            lines.append(f"  (a file {old.removeprefix(FILE)} beside it:)")
            lines += [f"  + {_cut(line)}" for line in new.rstrip("\n").splitlines()]
        elif old == new:
            lines += [f"    {line}" for line in old.rstrip("\n").splitlines()]
        else:
            lines += [f"  - {_cut(line)}" for line in old.rstrip("\n").splitlines()]
            lines += [f"  + {_cut(line)}" for line in new.rstrip("\n").splitlines()]
    return lines


def _cut(line: str) -> str:
    return line if len(line) <= LONG else f"{line[:60]}… ({len(line):,} characters)"
