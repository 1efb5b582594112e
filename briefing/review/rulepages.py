"""The documentation site's rule pages, written from the registry at every `mkdocs build`
(by the hook `docs/hooks/rules.py`): one page per family, each rule a section whose
anchor is its code, and the table of every rule that `docs/rules/index.md` shows."""

from __future__ import annotations

import re

from .explain import FOUND_BY, example_lines
from .registry import FAMILY_TITLES, all_rules
from .rule import Rule
from .ruledocs import anchor, family_source

TABLE_MARK = "<!-- the table of every rule, written by docs/hooks/rules.py -->"
EXAMPLE_BRIEF = "briefing/review/example/brief.yaml"


def family_title(family: str) -> str:
    """'Estimative language' for 'estimative': the family's title, capitalised."""
    title = FAMILY_TITLES[family]
    return title[:1].upper() + title[1:]


def by_family() -> dict[str, list[Rule]]:
    """Every rule, grouped by family, families in code order."""
    groups: dict[str, list[Rule]] = {}
    for rule in all_rules().values():
        groups.setdefault(rule.family, []).append(rule)
    return groups


def family_pages() -> dict[str, str]:
    """Each family's page: its path among the site's sources → its Markdown."""
    return {family_source(family): _page(family, rules)
            for family, rules in by_family().items()}


def nav_entries() -> list[dict[str, str]]:
    """The family pages as entries of mkdocs.yml's `nav`, titled with their codes."""
    return [{f"{family_title(family)} ({_span(rules)})": family_source(family)}
            for family, rules in by_family().items()]


def rules_index_table() -> str:
    """Every rule, a table per family, each code linking to its section (for
    rules/index.md; each rule's standard and examples are on its family's page)."""
    lines = []
    for family, rules in by_family().items():
        lines += [f"### [{family_title(family)}]({family}.md)", "",
                  "| code | name | severity | what it flags |", "|---|---|---|---|"]
        lines += [f"| [{r.code}]({family}.md#{anchor(r.code)}) | `{r.name}` | {r.severity} | "
                  f"{_escaped(r.summary).replace('|', '/')} |" for r in rules]
        lines.append("")
    return "\n".join(lines)


def _span(rules: list[Rule]) -> str:
    return rules[0].code if len(rules) == 1 else f"{rules[0].code}–{rules[-1].code}"


def _page(family: str, rules: list[Rule]) -> str:
    count = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}"
    lines = [f"# {family_title(family)}", "",
             f"{_span(rules)}, {count}. Generated from the rule registry "
             f"(`briefing/review/families/`) at every build of this site; "
             f"`briefing rules CODE` prints the same in a terminal. "
             f"[Every rule](index.md) · [selecting, ignoring and suppressing rules]"
             f"(index.md#selecting-ignoring-and-suppressing-rules)", ""]
    for rule in rules:
        lines += _section(rule)
    return "\n".join(lines)


def _section(rule: Rule) -> list[str]:
    found_by = FOUND_BY.get(rule.found_by, "`briefing validate`")
    return [f"## {rule.code} `{rule.name}` {{#{anchor(rule.code)}}}", "",
            f"**{rule.severity}** · found by {found_by}", "",
            _escaped(rule.summary), "",
            f"**Standard:** {_escaped(rule.standard)}", "",
            f"**Bad** (an edit of the example brief, `{EXAMPLE_BRIEF}`):", "",
            *_example(rule.bad), "", "**Good:**", "", *_example(rule.good), "",
            f"Suppress on one item, with a reason: `suppress: {{{rule.code}: \"why\"}}`; "
            f"ignore everywhere: `review: {{ignore: [{rule.code}]}}`.", ""]


def _example(edits) -> list[str]:
    """A rule's example as a fenced diff: `-` the text before, `+` after."""
    body = [line[2:] for line in example_lines(edits)]
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}diff", *body, fence]


def _escaped(text: str) -> str:
    """Prose from the registry, with the characters Markdown would read as markup escaped
    (code spans, written with backticks, are kept)."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else re.sub(r"([\\*_<>\[\]])", r"\\\1", part)
                   for part in parts)

