"""Hostile corpus — a template that fails, runs away or writes what the composer cannot
read is an error at the template's own line, from `validate` and `build` alike.

Each case puts one hostile line into the house layout's template (as its line 4, after
`<document>`), or edits one of its lines, and asserts the exact message at that line,
exit 2 from validate and exit 1 from build, and that nothing leaks or changes. No case
is timed: a runaway template meets a budget of processor time made tiny for the test,
and the assertion is on the message, not on how long it took.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing

import pytest

from briefing.core import limits

TEMPLATE = "layouts/house/brief.xml.j2"
FAILED = "content/demo: failed: the layout's template failed"


def _template(project):
    return project.house_layout() / "brief.xml.j2"


def _insert(project, line: str) -> str:
    """Put `line` into the template as its line 4; the place of that line."""
    template = _template(project)
    text = template.read_text("utf-8")
    assert text.splitlines()[2] == "<document>"
    template.write_text(text.replace("<document>\n", f"<document>\n{line}\n", 1), "utf-8")
    return f"{TEMPLATE}:4:1"


def _replace(project, old: str, new: str) -> str:
    """Replace `old` in the template; the place of the line that holds it."""
    template = _template(project)
    text = template.read_text("utf-8")
    assert text.count(old) == 1, old
    template.write_text(text.replace(old, new), "utf-8")
    return f"{TEMPLATE}:{text[:text.index(old)].count(chr(10)) + 1}:1"


def _refused(project, place: str, message: str) -> None:
    project.assert_refused(f"{place}: error: {message} [BR813]", FAILED)


BLOCKS = ("<h>, <p>, <list>, <table>, <box>, <kj>, <pagebreak>, <references>, <group>, "
          "<document>")


@pytest.mark.parametrize(("line", "message"), [
    ("<foo>text</foo>", f"the template wrote an unknown block <foo>; the blocks are {BLOCKS}"),
    ("{% if true %}<sidebar/>{% endif %}",
     f"the template wrote an unknown block <sidebar>; the blocks are {BLOCKS}"),
    ("<p>a <u>b</u></p>", "the template wrote an unknown inline <u>; the inlines are <b>, <i>, "
     "<a>, <fn>, <br>, <cite>, <md>"),
    ("<p>unclosed", "the template's output is not well-formed XML: <p> is not closed before "
     "</document>"),
    ("<p>AT&T</p>", "the template's output is not well-formed XML: invalid token (a '<' or '&' "
     "that begins no tag or entity: write &lt; or &amp;)"),
    ('<h level="x">Heading</h>', 'level="x" of <h> must be a whole number from 1 to 3'),
    ('<h level="9">Heading</h>', 'level="9" of <h> must be a whole number from 1 to 3'),
    ('<p><md n="9999"/></p>', 'n="9999" of <md> must be a whole number from 0 to 8'),
    ('<kj number="1" likelihood="maybe"><text>x</text></kj>',
     "likelihood=\"maybe\" of <kj> must be one of 'almost no chance', 'very unlikely', "
     "'unlikely', 'roughly even chance', 'likely', 'very likely', 'almost certain'"),
    ('<table widths="1,1000"><row><cell>a</cell><cell>b</cell></row></table>',
     'column 1 of a <table> is 0.5 pt wide (widths="1,1000" of the text\'s 459.2 pt); each '
     "column must be at least 24 pt wide"),
    ('<table widths="a,b"><row><cell>a</cell><cell>b</cell></row></table>',
     'widths="a,b" of <table> must be positive numbers separated by commas; \'a\' is not one'),
    ('<table widths="-5,10"><row><cell>a</cell><cell>b</cell></row></table>',
     'widths="-5,10" of <table> must be positive numbers separated by commas; \'-5\' is not '
     "one"),
    ('<table widths="50,50"><row><cell>a</cell></row></table>',
     'widths="50,50" of <table> gives 2 widths for 1 columns'),
    ("<table><row><cell>a</cell></row><row><cell>a</cell><cell>b</cell></row></table>",
     "row 2 of a <table> has 2 <cell>s; its first row has 1"),
    ("<table></table>", "the template wrote a <table> with no <row> of <cell>s"),
    ('<table header="5"><row><cell>a</cell></row></table>',
     'header="5" of <table> must be a whole number from 0 to 1'),
])
def test_markup_the_composer_cannot_use_is_located(project, line, message):
    _refused(project, _insert(project, line), message)


def test_a_block_inside_an_include_is_placed_in_the_include(project):
    folder = _template(project).parent
    (folder / "part.j2").write_text("<p>fine</p>\n<p>also fine</p>\n<aside>no</aside>\n",
                                    "utf-8")
    template = folder / "brief.xml.j2"
    template.write_text(template.read_text("utf-8").replace(
        "<document>\n", '<document>\n{% include "part.j2" %}\n', 1), "utf-8")
    _refused(project, "layouts/house/part.j2:3:1",
             f"the template wrote an unknown block <aside>; the blocks are {BLOCKS}")


@pytest.mark.parametrize(("line", "message"), [
    ("{% for i in range(10000000) %}{% endfor %}",
     "template error: Range too big. The sandbox blocks ranges larger than MAX_RANGE "
     "(100000)."),
    ("{{ 'x' * 10000000000 }}",
     "template error: repeating text of 1 character 10,000,000,000 times would make "
     "10,000,000,000 characters; a template may make at most 16,777,216 (MAX_TEMPLATE_OUTPUT)"),
    ("{{ [1, 2] * 100000000 }}",
     "template error: repeating a list of 2 items 100,000,000 times would make 200,000,000 "
     "items; a template may make at most 16,777,216 (MAX_TEMPLATE_OUTPUT)"),
    ("{{ 10 ** 100000 }}",
     "template error: 10 ** 100000 would be a number of about 100,000 digits; a template may "
     "make one of at most 4,300"),
    ("{{ brief.__class__ }}",
     "template error: access to attribute '__class__' of 'Brief' object is unsafe."),
    ("{{ 1 / 0 }}", "template error: division by zero"),
    ("{{ nosuch.value }}", "template error: 'nosuch' is undefined"),
    ("{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}{{ down(0) }}",
     "template error: maximum recursion depth exceeded (a macro or include that calls "
     "itself without end)"),
])
def test_a_template_error_or_sandbox_refusal_is_located(project, line, message):
    _refused(project, _insert(project, line), message)


def test_a_string_grown_into_gigabytes_meets_the_memory_budget(project):
    """Doubling a string in a loop makes no single huge operation to refuse; the
    template's memory budget stops it, at its line, instead of a bare MemoryError."""
    place = _insert(project, '{% set ns = namespace(s="0123456789") %}{% for i in range(40) %}'
                    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}")
    _refused(project, place, "the template ran out of its memory budget of 512 MiB "
             "(MAX_TEMPLATE_MEMORY) and was stopped")


def test_a_runaway_template_meets_its_time_budget(project, monkeypatch):
    """Nested loops that would run for hours, doing nothing a sandbox could refuse, are
    stopped by the template's own budget of processor time (tiny here), at the loop."""
    monkeypatch.setattr(limits, "TEMPLATE_TIME_BUDGET", 0.05)
    place = _insert(project, "{% for i in range(100000) %}{% for j in range(100000) %}"
                    "{% endfor %}{% endfor %}")
    _refused(project, place, "the template ran past its time budget of 0.05 s of processor "
             "time (TEMPLATE_TIME_BUDGET) and was stopped")


def test_a_template_writing_without_end_meets_its_output_budget(project, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEMPLATE_OUTPUT", 100_000)
    place = _insert(project, "{% for i in range(100000) %}<p>Paragraph.</p>{% endfor %}")
    _refused(project, place, "the template's output passed 100,000 characters "
             "(MAX_TEMPLATE_OUTPUT) and was stopped")


def test_the_build_stops_its_helper_process_with_the_template(project, monkeypatch):
    """`briefing build` forks a helper to render the second format while it composes;
    when the template fails its budget, the helper ends with the command, not after it."""
    from briefing.build import helper

    pools = []

    workers = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

        def submit(self, *args, **kwargs):
            future = super().submit(*args, **kwargs)
            workers.append(list(self._processes.values()))
            return future

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(helper, "can_fork_helper", lambda: True)
    monkeypatch.setattr(limits, "TEMPLATE_TIME_BUDGET", 0.05)
    place = _insert(project, "{% for i in range(100000) %}{% for j in range(100000) %}"
                    "{% endfor %}{% endfor %}")
    before = set(multiprocessing.active_children())
    result = project.run("build", "content/demo", "--force")
    assert result.code == 1
    assert result.lines[0] == (f"{place}: error: the template ran past its time budget of "
                               "0.05 s of processor time (TEMPLATE_TIME_BUDGET) and was "
                               "stopped [BR813]")
    assert len(pools) == 1 and len(workers[0]) == 1  # the helper was forked …
    assert workers[0][0].exitcode is not None  # … and has ended when the command returns
    assert set(multiprocessing.active_children()) <= before
    project.assert_contained(result)


# --- the template layout.yaml names ---------------------------------------------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../../..", "../../../outside/evil/brief.xml.j2",
                                  "../policy-brief/brief.xml.j2"])
def test_a_template_named_outside_the_layout_is_refused_at_layout_yaml(project, name):
    layout_yaml = project.house_layout() / "layout.yaml"
    text = layout_yaml.read_text("utf-8")
    layout_yaml.write_text(text.replace("template: brief.xml.j2", f"template: {name}"), "utf-8")
    number = text[:text.index("template: brief.xml.j2")].count("\n") + 1
    _refused(project, f"layouts/house/layout.yaml:{number}:11",
             f"template '{name}' is not a file in the layout's folder (layouts/house); name "
             "the template by its path inside that folder, such as brief.xml.j2")
