"""Whatever bytes or YAML an editor saves, validation answers with findings, never a crash."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from readback import docx_blocks, drop_repeated, squash, table_headers, tagged_blocks
from scaffolds import scaffolded as new_brief

from briefing.build.pipeline import build
from briefing.build.validate import Validation, validate
from briefing.core.findings import Finding

ROOT = Path(__file__).resolve().parents[1]
# The whole NK brief in one file (its files hold disjoint top-level keys), so that a
# mangled line can fall in the key judgments, evidence and sources, not only the header.
BRIEF_LINES = [line for name in ("brief.yaml", "judgments.yaml", "sources.yaml")
               for line in (ROOT / "content" / "nk-russia" / name).read_text("utf-8")
               .splitlines()]

yaml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False),
                         st.booleans(), st.none())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)


FINDING = re.compile(r"^.+:\d+:\d+: (error|warning|info): \S.*$", re.DOTALL)


def _check(tmp_path: Path, data: bytes) -> Validation:
    """Whatever the file holds, validate answers with located findings: an invalid brief
    names at least one error (never fails silently), and a finding in the file points
    at one of its lines. Planted bugs that fail it: the loader returning no findings
    for a file it cannot read, or places off by a line past the end of the file."""
    path = tmp_path / "brief.yaml"
    path.write_bytes(data)
    result = validate(path)
    lines = data.count(b"\n") + 1
    for finding in result.findings:
        assert isinstance(finding, Finding) and FINDING.match(str(finding)), finding
        assert finding.place.line >= 1 and finding.place.col >= 1, finding
        if Path(finding.place.path).name == "brief.yaml":
            assert finding.place.line <= lines + 1, (finding, lines)
    if not result.ok:
        assert any(f.severity == "error" for f in result.findings), result.findings
    return result


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes(tmp_path, data):
    _check(tmp_path, data)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=yaml_values)
def test_random_yaml_structures(tmp_path, value):
    import yaml

    _check(tmp_path, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


@pytest.fixture(scope="module")
def nk_folder(tmp_path_factory) -> Path:
    """A project (briefing.toml) with the seeds beside the folder where the one-file NK
    brief is written."""
    root = tmp_path_factory.mktemp("mangled")
    (root / "briefing.toml").write_text("", "utf-8")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "brief").mkdir()
    return root / "brief"


def test_the_mangled_line_base_is_a_whole_valid_brief(nk_folder):
    """The fuzz below starts from a brief with key judgments, evidence and sources."""
    result = _check(nk_folder, "\n".join(BRIEF_LINES).encode("utf-8"))
    assert result.ok, result.findings
    assert len(result.loaded.brief.key_judgments) == 7 and result.loaded.brief.sources


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(BRIEF_LINES)),
       junk=st.text(max_size=20))
def test_a_real_brief_with_a_line_mangled(nk_folder, cut, junk):
    lines = list(BRIEF_LINES)
    lines.insert(cut, junk)
    result = _check(nk_folder, "\n".join(lines).encode("utf-8", "surrogatepass"))
    event("valid" if result.ok else "invalid")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prose=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                     max_size=80).filter(lambda s: s.strip()))
@example(prose="soft\u00adhyphen")  # Word's optional hyphen, invisible in both formats
@example(prose="¹")  # the font's superscript one: a note's number must still read "1"
def test_any_prose_renders_in_both_formats_and_reads_back_alike(tmp_path_factory, prose):
    folder = tmp_path_factory.mktemp("prose")
    shutil.copytree(ROOT / "layouts", folder / "layouts")
    brief = new_brief("fuzz", folder / "content", "schema.json")
    text = brief.read_text("utf-8").replace(
        "bluf: >-\n  State the bottom line first, in one to three sentences [@example-source].",
        "bluf:\n  - " + json.dumps(prose + " [@example-source]", ensure_ascii=False))
    brief.write_text(text, "utf-8")
    result = build(brief.parent, folder / "out", ("pdf", "docx"))
    if result.invalid:  # e.g. prose that is only Markdown markup: a located error is fine
        assert result.findings and not result.outputs
        event("a character no font can draw: an error, nothing written"
              if any(f.rule == "BR815" for f in result.findings) else "invalid")
        return
    event("built")
    pdf = drop_repeated(squash(tagged_blocks(result.outputs["pdf"])),
                        table_headers(result.outputs["docx"]))
    docx = squash(docx_blocks(result.outputs["docx"]))
    assert pdf == docx
