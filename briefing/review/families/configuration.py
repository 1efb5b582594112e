"""BR81x configuration: the layout a brief builds with, its templates, its citation
style and its fonts.

These are checked below the review, which declares them here: the layout's loading
(`briefing/load/layout.py`), the configuration check `validate` runs
(`briefing/compose/configcheck.py`) and the build's glyph check
(`briefing/build/pipeline.py`); each writes its code as a literal.
"""

from __future__ import annotations

from briefing.review.rule import Rule, edit, write

LAYOUT = "layout: policy-brief"
HOUSE = "house style: a brief names a layout that builds it (docs/layouts.md)"
MINIMAL = ("name: {name}\nfonts:\n  sans: {{regular: NotoSans-Regular.ttf}}\n"
           "styles:\n  Body: {{font: sans, size: 10}}\n")


def layout(name: str, extra: str = "") -> tuple[tuple[str, str], ...]:
    """Example steps: a layout `name` beside the brief (no template of its own), used."""
    return (write(f"layouts/{name}/layout.yaml", MINIMAL.format(name=name) + extra),
            (LAYOUT, f"layout: {name}"))


RULES = (
    Rule("BR811", "unknown-layout", "configuration", "error",
         "The layout the brief (or `--layout`) names is not found, or lies outside the "
         "project.", HOUSE,
         bad=edit(LAYOUT, "layout: policy-brif"), good=edit(LAYOUT, LAYOUT)),
    Rule("BR812", "invalid-layout", "configuration", "error",
         "The layout's file is not a valid layout: an unknown field or style, a font or "
         "style it does not define, a font file or reference_docx that cannot be used.",
         HOUSE, bad=edit(LAYOUT, "layout: brief.yaml"), good=edit(LAYOUT, LAYOUT)),
    Rule("BR813", "template-error", "configuration", "error",
         "A template of the layout is missing, does not parse, or fails when it runs over "
         "the brief (an undefined name, an unknown style, output that is not markup).",
         HOUSE, bad=layout("plain"), good=edit(LAYOUT, LAYOUT)),
    Rule("BR814", "citation-style-unusable", "configuration", "error",
         "The layout's citation style is not a known style name or a readable CSL file.",
         HOUSE + "; CSL 1.0.2 (citationstyles.org)",
         bad=layout("plain", "citation_style: chicago-nope\n"), good=edit(LAYOUT, LAYOUT)),
    Rule("BR815", "missing-glyph", "configuration", "error",
         "A character that no font of the layout can draw: it would show as a box, and "
         "PDF/UA-1 forbids it.", HOUSE,
         bad=edit("title: Example brief", "title: Example brief \U00013000"),
         good=edit("title: Example brief", "title: Example brief")),
)
