"""Bad input gives one located message (`path:line:col: error: …`) and exit code 2.

Every brief here starts as the scaffold of `briefing new` (valid) with one edit.
Lines and columns are computed from the text written, never hard-coded.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from briefing.cli.main import main
from briefing.load import yamlpos
from briefing.load.yamlpos import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

LIKELIHOODS = ("'almost no chance', 'very unlikely', 'unlikely', 'roughly even chance', "
               "'likely', 'very likely' or 'almost certain'")

EVIDENCE = """\
    evidence:
      - id: ev-1
        kind: reporting
        text: What the source reports, in your words.
        source: example-source
        credibility: 6
"""


def assert_invalid(cli, place: str, message: str, target: str = "demo") -> None:
    """`briefing validate target` reports exactly this one error and exits 2."""
    code, out, err = cli("validate", target)
    assert err.splitlines() == [f"{place}: error: {message}",
                                f"{target}: invalid (1 error(s), 0 warning(s))"]
    assert out == ""
    assert code == 2


def line_col(place: str) -> tuple[int, int]:
    _, line, col = place.rsplit(":", 2)
    return int(line), int(col)


def field_date(text: str, key: str) -> dt.date:
    return dt.date.fromisoformat(re.search(rf"^{key}: (\S+)$", text, re.M).group(1))


# --- the content model -------------------------------------------------------


def test_misspelt_field_is_one_error_at_the_key_with_a_suggestion(brief, cli):
    brief.edit("    confidence: low", "    confidnce: low")
    assert_invalid(cli, brief.pos("confidnce:"),
                   "unknown field 'confidnce' in key judgment 'kj-1'; "
                   "did you mean 'confidence'? [BR802]")


@pytest.mark.parametrize(("old", "new", "value", "message"), [
    ("authors: [Your Name]", "authors: Your Name", "Your Name",
     "'authors' must be a list, got text [BR804]"),
    ("title: Demo", "title: {a: 1}", "{a: 1}", "'title' must be text, got a mapping [BR804]"),
])
def test_wrong_type_points_at_the_value(brief, cli, old, new, value, message):
    brief.edit(old, new)
    assert_invalid(cli, brief.pos(value), message)


def test_missing_nested_field_points_at_the_mapping_that_lacks_it(brief, cli):
    brief.edit("    basis: A single placeholder source; replace it with real reporting.\n", "")
    assert_invalid(cli, brief.pos("id: kj-1"),
                   "missing required field 'basis' in key judgment 'kj-1' [BR803]")


def test_missing_top_level_field_points_at_the_file(brief, cli):
    brief.edit("authors: [Your Name]\n", "")
    assert_invalid(cli, "demo/brief.yaml:1:1",
                   "missing required field 'authors' in brief 'demo' [BR803]")


def test_duplicate_key_names_both_places(brief, cli):
    first = brief.pos("title: Demo")
    brief.edit("audience: Who will read it\n", "audience: Who will read it\ntitle: Again\n")
    line, col = line_col(first)
    assert_invalid(cli, brief.pos("title: Again"),
                   f"duplicate key 'title' (first defined at line {line}, column {col}); "
                   "YAML would silently keep only the last one [BR801]")


def test_duplicate_id_names_the_first_use(brief, cli):
    brief.edit("  - id: alt-1", "  - id: kj-1")
    first = brief.pos("kj-1\n    text: The development")
    assert_invalid(cli, brief.pos("kj-1\n    text: A competing"),
                   f"duplicate id 'kj-1' (alternative view); first used at {first}; give "
                   "each item its own id [BR602]")


def test_dangling_source_reference_suggests_the_near_miss(brief, cli):
    brief.edit("        source: example-source", "        source: example-sorce")
    assert_invalid(cli, brief.pos("example-sorce"),
                   "'example-sorce' names no source; did you mean 'example-source'? [BR603]")


def test_unknown_likelihood_term_lists_the_terms(brief, cli):
    brief.edit("likelihood: likely", "likelihood: likly")
    assert_invalid(cli, brief.pos("likly"),
                   f"'likly' is not allowed for 'likelihood'; expected one of {LIKELIHOODS}; "
                   "did you mean 'likely'? [BR804]")


# --- whole-brief checks --------------------------------------------------------


def test_estimative_word_contradicting_the_likelihood(brief, cli):
    brief.edit("likelihood: likely", "likelihood: unlikely")
    assert_invalid(cli, brief.pos("likely to continue"),
                   "key judgment 'kj-1' says 'likely' (likely, 55-80 %) but declares "
                   "likelihood 'unlikely' (20-45 %); use the term of the declared band, or "
                   "change the likelihood [BR103]")


def test_estimative_word_without_a_likelihood(brief, cli):
    brief.edit("    likelihood: likely\n", "")
    assert_invalid(cli, brief.pos("likely to continue"),
                   "key judgment 'kj-1' says 'likely' but declares no likelihood; "
                   "add 'likelihood: likely' or state it as a fact [BR102]")


def test_estimative_term_split_by_folding_is_placed_in_its_own_judgment(brief, cli):
    """A term folded over two lines must not be located in another field further down."""
    brief.edit("    text: The development in question is likely to continue over the next year.\n"
               "    likelihood: likely",
               "    text: >-\n      The development in question is very\n"
               "      likely to continue over the next year.\n    likelihood: unlikely")
    brief.edit("    text: A signpost to watch.", "    text: A signpost that is very likely.")
    first, _ = line_col(brief.pos(">-\n      The development"))
    last, _ = line_col(brief.pos("likely to continue over the next year."))
    code, _, err = cli("validate", "demo")
    lines = err.splitlines()
    message = ("key judgment 'kj-1' says 'very likely' (very likely, 80-95 %) but declares "
               "likelihood 'unlikely' (20-45 %)")
    fix = "use the term of the declared band, or change the likelihood"
    assert len(lines) == 2 and lines[0].endswith(f": error: {message}; {fix} [BR103]"), lines
    line, _ = line_col(lines[0].split(": error: ")[0])
    assert first <= line <= last, f"{lines[0]} is not in kj-1's text (lines {first}-{last})"
    assert code == 2


def test_citation_of_no_source_in_prose(brief, cli):
    brief.edit("[@example-source]", "[@example-sorce]")
    assert_invalid(cli, brief.pos("@example-sorce"),
                   "citation '@example-sorce' names no source; did you mean 'example-source'? "
                   "[BR604]")


def test_key_judgment_without_evidence(brief, cli):
    brief.edit(EVIDENCE, "")
    assert_invalid(cli, brief.pos("id: kj-1"),
                   "key judgment 'kj-1' has no evidence; every judgment needs at least one "
                   "item of evidence (ICD 203 standard 6) [BR601]")


def test_source_dated_after_the_cutoff(brief, cli):
    cutoff = field_date(brief.text(), "cutoff")
    later = cutoff + dt.timedelta(days=1)
    brief.edit("    date: unknown", f"    date: {later}")
    assert_invalid(cli, brief.pos(f"{later}"),
                   f"source 'example-source' is dated {later}, after the information "
                   f"cut-off {cutoff}; move the cut-off, or leave out what the source adds "
                   "after it [BR302]")


def test_cutoff_after_the_briefs_date(brief, cli):
    text = brief.text()
    date, cutoff = field_date(text, "date"), field_date(text, "cutoff")
    later = date + dt.timedelta(days=1)
    brief.edit(f"cutoff: {cutoff}", f"cutoff: {later}")
    assert_invalid(cli, brief.pos(f"{later}"),
                   f"information cut-off {later} is after the brief's date {date}; the cut-off "
                   "can be at most the brief's date [BR301]")


def test_portion_classified_above_the_banner(brief, cli):
    brief.edit("marking: TLP:CLEAR", "marking: {classification: CONFIDENTIAL, scheme: us}")
    brief.edit("    confidence: low\n", "    confidence: low\n    classification: SECRET\n")
    assert_invalid(cli, brief.pos("SECRET"),
                   "key judgment 'kj-1' is marked SECRET, higher than the banner CONFIDENTIAL; "
                   "raise the banner to SECRET [BR704]")


# --- quotes against the archived copy ------------------------------------------

SOURCE_TEXT = """\
Officials met in Geneva on Monday to discuss the grain corridor.

The ministry said that exports of grain rose by twelve percent in March, the highest rise this year.

Analysts called it a "fragile" recovery - one that depends on safe passage through the strait.
Shipping insurers have raised premiums twice since January.
"""


@pytest.fixture
def quoting(brief):
    """The scaffold's source gets an archived copy (seeds/src.txt); returns add_quote."""
    seeds = brief.folder.parent / "seeds"
    seeds.mkdir()
    (seeds / "src.txt").write_text(SOURCE_TEXT, "utf-8")
    brief.edit("    reliability: F\n", "    reliability: F\n    archive: seeds/src.txt\n")

    def add_quote(quote: str, locator: str) -> None:
        assert "'" not in quote
        brief.edit("        credibility: 6\n",
                   f"        credibility: 6\n        locator: {locator}\n"
                   f"        quote: '{quote}'\n")

    return add_quote


@pytest.mark.parametrize(("quote", "locator"), [
    pytest.param("exports of grain rose by twelve percent in March", "para. 2", id="verbatim"),
    pytest.param("called it a \u201cfragile\u201d  recovery \u2013 one that", "para. 3",
                 id="curly-quotes-dash-whitespace"),
    pytest.param("The ministry said \u2026 the highest rise this year", "para. 2",
                 id="ellipsis"),
    pytest.param("Shipping insurers have raised premiums", "para. 4", id="line-is-a-paragraph"),
])
def test_quote_found_in_archived_copy(brief, cli, quoting, quote, locator):
    quoting(quote, locator)
    code, out, err = cli("validate", "demo")
    assert err == "demo: valid (0 error(s), 0 warning(s))\n"
    assert code == 0


def test_quote_not_in_archived_copy_shows_the_closest_passage(brief, cli, quoting):
    quoting("exports of grain rose by thirty percent in March", "para. 2")
    assert_invalid(cli, brief.pos("'exports of grain"),
                   "quote in evidence 'ev-1' is not in the archived copy of 'example-source' "
                   "(seeds/src.txt); closest passage (para. 2): "
                   "\"exports of grain rose by twelve percent in March\"; quote the archived "
                   "text verbatim [BR501]")


def test_quote_parts_around_an_ellipsis_must_keep_their_order(brief, cli, quoting):
    quoting("the highest rise this year \u2026 The ministry said", "para. 2")
    code, _, err = cli("validate", "demo")
    first = err.splitlines()[0]
    assert first.startswith(f"{brief.pos(chr(39) + 'the highest')}: error: quote in evidence "
                            "'ev-1' is not in the archived copy of 'example-source' "
                            "(seeds/src.txt); closest passage (para. 2): ")
    assert code == 2


def test_locator_that_names_the_wrong_paragraph_is_a_warning(brief, cli, quoting):
    quoting("exports of grain rose by twelve percent in March", "para. 1")
    code, _, err = cli("validate", "demo")
    assert err.splitlines() == [
        f"{brief.pos('para. 1')}: warning: locator says para. 1 but the quote of evidence "
        "'ev-1' is in para. 2 of seeds/src.txt; correct the locator [BR504]",
        "demo: valid (0 error(s), 1 warning(s))"]
    assert code == 0


def test_missing_archived_copy_is_an_error(brief, cli):
    brief.edit("    reliability: F\n", "    reliability: F\n    archive: seeds/gone.txt\n")
    assert_invalid(cli, brief.pos("seeds/gone.txt"),
                   "archived copy 'seeds/gone.txt' of source 'example-source' not found "
                   "(looked from demo up to the project folder .: it holds briefing.toml; move "
                   "that file to make another folder the project); correct the path or add "
                   "the archived copy [BR502]")


# --- files that are not YAML briefs at all -------------------------------------


def billion_laughs() -> str:
    lines = ["lol:", "  a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


class _Unbounded(BaseException):
    """Raised past the point where a bounded loader would have stopped (a BaseException,
    so that no `except Exception` on the way swallows it)."""


def test_alias_bomb_is_refused_quickly(brief, cli, monkeypatch):
    """The loader stops at MAX_NODES expanded values: counted, not timed (a timed test
    is flaky on a loaded machine). Planted bug: with the MAX_NODES check removed, the
    count passes the bound and this fails at once instead of expanding 9^9 values."""
    text = brief.write(brief.text() + billion_laughs())
    first = text[:text.index("lol:\n")].count("\n") + 1
    last = text.count("\n")
    expanded = 0
    value = yamlpos._Builder._value

    def counted(self, node, path, depth):
        nonlocal expanded
        expanded += 1
        if expanded > 2 * MAX_NODES:
            raise _Unbounded(f"{expanded:,} values expanded; the bound is {MAX_NODES:,}")
        return value(self, node, path, depth)

    monkeypatch.setattr(yamlpos._Builder, "_value", counted)
    code, out, err = cli("validate", "demo")
    assert MAX_NODES < expanded <= MAX_NODES + 1
    lines = err.splitlines()
    assert len(lines) == 2, lines
    match = re.fullmatch(
        r"demo/brief\.yaml:(\d+):(\d+): error: "
        + re.escape(f"document expands to more than {MAX_NODES:,} values (too many aliases, "
                    "an alias bomb?); refusing to expand it [BR801]"), lines[0])
    assert match, lines[0]
    assert first <= int(match.group(1)) <= last
    assert lines[1] == "demo: invalid (1 error(s), 0 warning(s))"
    assert code == 2


def test_recursive_alias_is_refused(brief, cli):
    brief.write(brief.text() + "extra: &r [*r]\n")
    assert_invalid(cli, brief.pos("&r ["),
                   f"document nests deeper than {MAX_DEPTH} levels (a recursive alias?) [BR801]")


@pytest.mark.parametrize(("command", "sentinel"), [("echo hi", None), ("touch pwned", "pwned")])
def test_python_tag_is_an_error_and_never_executed(brief, capfd, command, sentinel):
    brief.edit("audience: Who will read it",
               f'audience: !!python/object/apply:os.system ["{command}"]')
    code = main(["validate", "demo"])
    out, err = capfd.readouterr()
    assert err.splitlines() == [
        f"{brief.pos('!!python')}: error: unsupported YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' [BR801]",
        "demo: invalid (1 error(s), 0 warning(s))"]
    assert out == ""
    assert code == 2
    if sentinel:
        assert not (brief.folder.parent / sentinel).exists()
        assert not (brief.folder / sentinel).exists()


def test_file_that_is_not_utf8(brief, cli):
    place = brief.pos("Demo")
    brief.file().write_bytes(brief.text().encode().replace(b"title: Demo", b"title: \xe9Demo"))
    assert_invalid(cli, place, "file is not valid UTF-8 (byte 0xe9); save it as UTF-8 [BR801]")


def test_not_utf8_column_counts_characters_like_every_other_column(brief, cli):
    """After 'Café ' (5 characters, 6 bytes) the bad byte is in character column 13."""
    brief.edit("title: Demo", "title: Café Demo")
    place = brief.pos("Demo\n")
    raw = brief.text().encode()
    brief.file().write_bytes(raw.replace(b"Caf\xc3\xa9 Demo", b"Caf\xc3\xa9 \xff"))
    assert_invalid(cli, place, "file is not valid UTF-8 (byte 0xff); save it as UTF-8 [BR801]")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n\n# and another\n"])
def test_empty_file(brief, cli, text):
    brief.write(text)
    assert_invalid(cli, "demo/brief.yaml:1:1",
                   "file is empty; expected a mapping of brief fields [BR801]")


def test_list_where_a_mapping_belongs(brief, cli):
    brief.write("- id: demo\n- title: Demo\n")
    assert_invalid(cli, "demo/brief.yaml:1:1",
                   "expected a mapping of brief fields at the top of the file, got a list [BR801]")


def test_binary_junk(brief, cli):
    brief.file().write_bytes(b"id: demo\ntitle: \x00\x01\x02\xff\xfe junk")
    assert_invalid(cli, "demo/brief.yaml:2:8",
                   "file looks binary (it contains a NUL byte); expected YAML text [BR801]")


def test_file_over_the_size_limit(brief, cli):
    text = brief.text()
    size = MAX_FILE_BYTES + 1
    brief.write(text + "#" * (size - len(text.encode()) - 1) + "\n")
    assert brief.file().stat().st_size == size
    assert_invalid(cli, "demo/brief.yaml:1:1",
                   f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes [BR801]")


def test_file_exactly_at_the_size_limit_is_read(brief, cli, monkeypatch):
    # validate reads the layout's YAML too: pad the brief (with a comment) to be the
    # larger file, so that the limit set at its size is the one it meets exactly
    from briefing.load.layout import find_layout

    text = brief.text()
    layout_size = find_layout("policy-brief", brief.folder).stat().st_size
    if layout_size > len(text.encode()):
        brief.write(text + "#" * (layout_size - len(text.encode()) - 1) + "\n")
    size = brief.file().stat().st_size
    monkeypatch.setattr(yamlpos, "MAX_FILE_BYTES", size)
    code, _, err = cli("validate", "demo")
    assert err == "demo: valid (0 error(s), 0 warning(s))\n"
    assert code == 0
    monkeypatch.setattr(yamlpos, "MAX_FILE_BYTES", size - 1)
    assert_invalid(cli, "demo/brief.yaml:1:1",
                   f"file is {size:,} bytes; the limit is {size - 1:,} bytes [BR801]")


def test_two_yaml_documents_in_one_file(brief, cli):
    text = brief.write(brief.text() + "---\nid: other\n")
    line = text[:text.index("---\n")].count("\n") + 1
    assert_invalid(cli, f"demo/brief.yaml:{line}:1",
                   "file holds more than one YAML document ('---'); a brief file holds one [BR801]")


def test_merge_key_is_refused(brief, cli):
    brief.write(brief.text() + "base: &base {x: 1}\nother:\n  <<: *base\n")
    assert_invalid(cli, brief.pos("<<"),
                   "merge keys ('<<') are not supported; write the fields out [BR801]")


def test_yaml_syntax_error_is_located(brief, cli):
    brief.edit("    confidence: low", "\tconfidence: low")
    line, _ = line_col(brief.pos("\tconfidence"))
    assert_invalid(cli, f"demo/brief.yaml:{line}:1",
                   "invalid YAML: a tab character cannot indent YAML; use spaces [BR801]")


# --- characters Word cannot take -------------------------------------------------


def test_raw_control_character_is_refused_where_it_stands(brief, cli):
    brief.edit("subtitle: Placeholder subtitle", "subtitle: Placeholder \x07subtitle")
    line, col = line_col(brief.pos("\x07"))
    assert_invalid(cli, f"demo/brief.yaml:{line}:{col}",
                   "control character U+0007 is not allowed in YAML text; remove it [BR801]")


def test_escaped_control_character_is_refused_at_its_value(brief, cli):
    brief.edit("subtitle: Placeholder subtitle", 'subtitle: "Placeholder \\x0b subtitle"')
    assert_invalid(cli, brief.pos('"Placeholder'),
                   "text holds the control character U+000B, which Word and XML do not "
                   "allow; remove it [BR705]")


def test_a_source_never_cited_is_a_warning(brief, cli):
    brief.edit("        source: example-source\n", "        source: other-source\n")
    brief.edit("sentences [@example-source].", "sentences [@other-source].")
    brief.edit("sources:\n", "sources:\n  - {id: other-source, type: report, title: T, "
               "reliability: F}\n")
    code, out, err = cli("validate", "demo")
    line, col = line_col(brief.pos("id: example-source"))
    assert err.splitlines() == [
        f"demo/brief.yaml:{line}:{col + 4}: warning: source 'example-source' is never "
        "cited; cite it or remove it [BR403]",
        "demo: valid (0 error(s), 1 warning(s))"]
    assert code == 0
