"""Hostile corpus — layout values that make no sense on the page are located errors.

A margin wider than the page, an indent wider than the text, a leading that stacks
lines on each other, a font size no one can read, a colour that vanishes into its
background: each is refused by `validate` (exit 2) and `build` (exit 1, nothing
written) at its place in layout.yaml, naming the value and the range it must lie in,
never by python-docx or ReportLab half-way through a build.
"""

from __future__ import annotations

import pytest
from corpus import readable_text


def _edit(project, edits: list[tuple[str, str]], key: str) -> str:
    """Make `edits` to the house layout; the place of `key`'s value in the last one."""
    layout_yaml = project.house_layout() / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    layout_yaml.write_text(text, "utf-8")
    new = edits[-1][1]
    index = text.index(new) + new.index(f"{key}: ") + len(key) + 2
    line = text.count("\n", 0, index) + 1
    return f"layouts/house/layout.yaml:{line}:{index - text.rfind(chr(10), 0, index)}"


CASES = [
    ("margin_left: 24", "margin_left: 240", "margin_left",
     "'margin_left' of the page is 240 mm; it must be 5 to 106 mm (on an A4 page, 210 mm "
     "wide, with margin_right 24 mm: the text keeps at least 80 mm)"),
    ("margin_top: 30", "margin_top: 180", "margin_top",
     "'margin_top' of the page is 180 mm; it must be 5 to 171 mm (on an A4 page, 297 mm "
     "high, with margin_bottom 26 mm: the text keeps at least 100 mm)"),
    ("margin_right: 24", "margin_right: 2", "margin_right",
     "'margin_right' of the page is 2 mm; it must be 5 to 106 mm (on an A4 page, 210 mm "
     "wide, with margin_left 24 mm: the text keeps at least 80 mm)"),
    ("size: A4\n  margin_top: 30\n  margin_bottom: 26",
     "size: Letter\n  margin_top: 30\n  margin_bottom: 200", "margin_bottom",
     "'margin_bottom' of the page is 200 mm; it must be 5 to 149.4 mm (on a Letter page, "
     "279.4 mm high, with margin_top 30 mm: the text keeps at least 100 mm)"),
    ("indent_left: 12, space_after: 3}", "indent_left: 900, space_after: 3}", "indent_left",
     "'indent_left' of style 'Evidence' is 900 pt; it must be 0 to 229.6 pt (with "
     "indent_right 0 pt, the lines keep at least half of the text's width, 459.2 pt)"),
    ("indent_right: 12, space_after: 6}", "indent_right: -30, space_after: 6}",
     "indent_right",
     "'indent_right' of style 'Quote' is -30 pt; it must be 0 to 205.6 pt (with indent_left "
     "24 pt, the lines keep at least half of the text's width, 459.2 pt)"),
    ("indent_left: 24,\n                 first_line_indent: -24,",
     "indent_left: 24,\n                 first_line_indent: -240,", "first_line_indent",
     "'first_line_indent' of style 'Source Entry' is -240 pt; it must be -24 to 205.6 pt "
     "(with indent_left 24 pt, the first line starts at the margin or right of it and keeps "
     "half of the text's width)"),
    ("Body: {font: serif, size: 10, leading: 14", "Body: {font: serif, size: 10, leading: 0.01",
     "leading", "'leading' of style 'Body' is 0.01 pt; it must be 8 to 40 pt (0.8 to 4 times "
     "its size of 10 pt)"),
    ("Body: {font: serif, size: 10, leading: 14", "Body: {font: serif, size: 10, leading: 0",
     "leading", "'leading' of style 'Body' is 0 pt; it must be 8 to 40 pt (0.8 to 4 times its "
     "size of 10 pt)"),
    ("Body: {font: serif, size: 10,", "Body: {font: serif, size: 200,", "size",
     "'size' of style 'Body' is 200 pt; it must be 4 to 96 pt"),
    ("Body: {font: serif, size: 10,", "Body: {font: serif, size: 0,", "size",
     "'size' of style 'Body' is 0 pt; it must be 4 to 96 pt"),
    ("space_before: 16, space_after: 6", "space_before: 1600, space_after: 6", "space_before",
     "'space_before' of style 'Heading 1' is 1,600 pt; it must be 0 to 170.8 pt (at most a "
     "quarter of the text's height, 683.1 pt)"),
    ("border_width: 1.2, padding: 9}", "border_width: 1.2, padding: 900}", "padding",
     "'padding' of box style 'BLUF Box' is 900 pt; it must be 0 to 57.4 pt (at most an "
     "eighth of the text's width, 459.2 pt)"),
    ("marking: {height: 6,", "marking: {height: 60,", "height",
     "'height' of the marking banner is 60 mm; it must be 2 to 21 mm (it sits 5 mm from the "
     "page's edge, within the top and bottom margins)"),
    ('colour: "#1A1A1A", space_after: 6', 'colour: "#FAFAFA", space_after: 6', "colour",
     "'colour' of style 'Body' is #FAFAFA, whose contrast with the page (#FFFFFF) is 1.0:1; "
     "it must be at least 3:1 (WCAG 2.1's least for large text) or the text cannot be read"),
    ('bold: true, colour: "#FFFFFF",\n                 space_after: 0}',
     'bold: true, colour: "#10355B",\n                 space_after: 0}', "colour",
     "'colour' of style 'Table Header' is #10355B, whose contrast with the table header's "
     "colour (#12355B) is 1.0:1; it must be at least 3:1 (WCAG 2.1's least for large text) "
     "or the text cannot be read"),
    ('colour: "#1A1A1A", space_after: 6', 'colour: "red", space_after: 6', "colour",
     "'red' is not a colour for 'colour': write #RRGGBB, six hexadecimal digits, such as "
     "#12355B"),
]


@pytest.mark.parametrize(("old", "new", "key", "message"), CASES,
                         ids=[case[1].splitlines()[-1].strip()[:30] for case in CASES])
def test_a_layout_value_out_of_its_range_is_located(project, old, new, key, message):
    place = _edit(project, [(old, new)], key)
    project.assert_refused(f"{place}: error: {message} [BR812]",
                           "content/demo: failed: layout 'house' is invalid")


def test_an_inherited_leading_too_tight_for_the_size_is_named(project):
    layout_yaml = project.house_layout() / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    old = "Title: {font: sans, size: 24, leading: 29,"
    layout_yaml.write_text(text.replace(old, "Title: {font: sans, size: 24,"), "utf-8")
    number = next(i for i, line in enumerate(layout_yaml.read_text("utf-8").splitlines(), 1)
                  if line.startswith("  Title:"))
    result = project.run("validate", "content/demo")
    assert result.code == 2
    assert result.lines[0] == (
        f"layouts/house/layout.yaml:{number}:10: error: 'leading' of style 'Title' is 14 pt; "
        "it must be 19.2 to 96 pt (0.8 to 4 times its size of 24 pt; it inherits this "
        "leading from 'Body': set 'leading' for it) [BR812]")
    project.assert_contained(result)


def test_a_layout_at_the_edges_of_its_ranges_builds_in_every_format(project):
    """The ranges are what renderers can draw: margins leaving the narrowest text,
    indents at their widest, the widest padding, all at once, still build."""
    layout_yaml = project.house_layout() / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    for old, new in [("margin_left: 24", "margin_left: 60"), ("margin_right: 24",
                                                            "margin_right: 70"),
                     ("margin_top: 30", "margin_top: 100"), ("margin_bottom: 26",
                                                            "margin_bottom: 97"),
                     ("BLUF: {font: serif, size: 11, leading: 15.5,",
                      "BLUF: {font: serif, size: 11, leading: 15.5, indent_left: 113,"),
                     ("padding: 9}", "padding: 28}")]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    layout_yaml.write_text(text, "utf-8")
    assert project.run("validate", "content/demo").code == 0
    for engine in ("reportlab", "typst"):
        result = project.run("build", "content/demo", "--force", "--format", "all",
                             "--pdf-engine", engine)
        assert result.code == 0, result.err
        assert "Key judgments" in readable_text(project.out / "demo.pdf")
    project.assert_clean(result)
