"""The rule registry: every review rule with its code, severity, doc and examples.

A rule is a declared unit (`Rule`): a stable code (``BR101``), a kebab-case name,
a family, a default severity, a one-line summary, the standard it enforces, and a
bad and a good example. `briefing validate` runs every rule, `briefing rules`
lists them, and the SARIF writer describes them to code-review tools.

Codes by family: BR0xx review settings, BR1xx estimative language, BR2xx BLUF
against key judgments, BR3xx numbers and dates, BR4xx sourcing, BR5xx quotations,
BR6xx structure and editions, BR7xx markings and characters, BR80x the input itself
(YAML, fields, limits), BR81x configuration (layout, templates, citation style, fonts).

How to give a finding a code (the one way): the check yields
``Finding(place, severity, message, rule="BR612")`` with its whole message, and a
family module under `briefing/review/families/` declares ``Rule("BR612", ...)`` in its
`RULES` tuple (add a new module to `families()` below). A check below the review
layer (the loader, the configuration check, the build's glyph check) writes the code
as a literal; `tests/test_rule_codes.py` checks that every code yielded is declared.

Each rule needs `bad` and `good` examples: edits (old text, new text) applied to
the example brief in `briefing/review/example/` (`release()` and `write()` add a
released edition or a file); a test checks that the bad one raises the code and the
good one does not.
"""

from __future__ import annotations

from .rule import CODE, Rule

FAMILY_TITLES = {
    "review": "review settings",
    "estimative": "estimative language",
    "bluf": "BLUF against key judgments",
    "numbers": "numbers and dates",
    "sourcing": "sourcing",
    "quotations": "quotations",
    "structure": "structure",
    "markings": "markings and messages",
    "input": "the input itself",
    "configuration": "configuration",
}


def families() -> list:
    """The family modules, each with `RULES` and (unless its checks run below the review,
    in the loader or the configuration check) a `check(loaded)`."""
    from .families import (
        bluf,
        characters,
        configuration,
        editions,
        estimative,
        inputs,
        markings,
        numbers,
        placeholders,
        quotations,
        review,
        sourcing,
        structure,
    )

    return [review, estimative, bluf, numbers, sourcing, quotations, structure, placeholders,
            editions, markings, characters, inputs, configuration]


def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    rules: dict[str, Rule] = {}
    for module in families():
        for rule in module.RULES:
            if not CODE.match(rule.code) or rule.code in rules:
                raise ValueError(f"rule code {rule.code!r} is malformed or declared twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))
