"""BR80x the input itself: YAML that reads, fields the model knows, values it allows,
and text within the limits a renderer can take.

BR801-BR804 are found by the loader (`briefing/load/`: yamlpos.py, brief.py,
errors.py), below the review, which writes their codes as literals; BR805 and BR806
are checked here, on a brief that loaded, and no `review:` selection or `suppress:`
sets them aside (the engine's ALWAYS): text over the limits cannot be rendered.
"""

from __future__ import annotations

from collections.abc import Iterator

from briefing.core import limits
from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model.inline import inline_depth
from briefing.review.prose import prose_fields, strings
from briefing.review.rule import Rule, edit

YAML = "YAML 1.1 (yaml.org), read safely: no tags, no merge keys, no duplicate keys"
MODEL = "the brief's schema (`briefing schema`)"
LIMITS = "house style: every field within the limits a renderer can take (core/limits.py)"
TITLE = "title: Example brief"
KJ = "  - id: kj-treaty\n"
TEXT = ("text: In March 2025, Northland and Southland signed a treaty to share river water "
        "in dry years.")
DEPTH = limits.MAX_INLINE_DEPTH + 1
DEEP = f"text: '{'*a _b ' * DEPTH}In{'_ *' * DEPTH}{TEXT.removeprefix('text: In')}'"

RULES = (
    Rule("BR801", "unreadable-yaml", "input", "error",
         "A file of the brief (or of its layout) cannot be read as YAML: a syntax error, a "
         "tab, a duplicate key, an unsupported tag, an empty, binary or oversized file; or "
         "the brief's files do not make one mapping.", YAML,
         bad=edit(TITLE, "title: [Example brief"), good=edit(TITLE, "title: '[Example brief'")),
    Rule("BR802", "unknown-field", "input", "error",
         "A field the brief's schema does not have (often a misspelt one).", MODEL,
         bad=edit(KJ, KJ + "    colour: red\n"), good=edit(KJ, KJ)),
    Rule("BR803", "missing-field", "input", "error",
         "A field the brief's schema requires is missing.", MODEL,
         bad=edit(TITLE + "\n", ""), good=edit(TITLE + "\n", TITLE + "\n")),
    Rule("BR804", "invalid-value", "input", "error",
         "A value the schema does not allow: a wrong type, a label not in the list (e.g. "
         "TLP:WHITE, which TLP 2.0 renamed TLP:CLEAR), a malformed date or id.", MODEL,
         bad=edit("marking: TLP:CLEAR", "marking: TLP:WHITE"),
         good=edit("marking: TLP:CLEAR", "marking: TLP:CLEAR")),
    Rule("BR805", "text-too-long", "input", "error",
         f"A text is longer than {limits.MAX_PROSE_CHARS:,} characters (MAX_PROSE_CHARS).",
         LIMITS, bad=edit(TITLE, "title: " + "x" * (limits.MAX_PROSE_CHARS + 1)),
         good=edit(TITLE, "title: " + "x" * limits.MAX_PROSE_CHARS)),
    Rule("BR806", "markup-too-deep", "input", "error",
         f"Inline markup (emphasis, strong, links) nests deeper than "
         f"{limits.MAX_INLINE_DEPTH} levels (MAX_INLINE_DEPTH).", LIMITS,
         bad=edit(TEXT, DEEP), good=edit(TEXT, TEXT)),
    Rule("BR807", "duplicate-brief-id", "input", "error",
         "Two briefs validated or built together declare one id: their outputs would "
         "overwrite each other.", "house style: every brief has its own id",
         bad=edit("id: example\n", "id: example\n"),
         good=edit("id: example\n", "id: example-two\n"), found_by="batch"),
)


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    """BR805, BR806: no text over MAX_PROSE_CHARS, no inline markup nested deeper than
    MAX_INLINE_DEPTH (a renderer would recurse that deep)."""
    too_long = set()
    for path, text in strings(loaded.located.data):
        if len(text) > limits.MAX_PROSE_CHARS:
            too_long.add(path)
            yield Finding(loaded.place(*path), "error",
                          f"text is {len(text):,} characters; the limit is "
                          f"{limits.MAX_PROSE_CHARS:,} (MAX_PROSE_CHARS); split it into "
                          "shorter paragraphs or items", rule="BR805")
    for path, text in prose_fields(loaded):
        if path in too_long:
            continue
        deepest = inline_depth(text)
        if deepest > limits.MAX_INLINE_DEPTH:
            yield Finding(loaded.place(*path), "error",
                          f"inline markup (emphasis, strong, links) nests {deepest} levels "
                          f"deep; the limit is {limits.MAX_INLINE_DEPTH} (MAX_INLINE_DEPTH)",
                          rule="BR806")
