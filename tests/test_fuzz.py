"""Whatever bytes or YAML an editor saves, validation answers with findings, never a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from readback import docx_blocks, pdf_blocks, squash

from briefing.build import build
from briefing.findings import Finding
from briefing.scaffold import new_brief
from briefing.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SCAFFOLD_LINES = (ROOT / "content" / "nk-russia" / "brief.yaml").read_text("utf-8").splitlines()

yaml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False),
                         st.booleans(), st.none())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)


def _check(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "brief.yaml"
    path.write_bytes(data)
    result = validate(path)
    assert all(isinstance(f, Finding) for f in result.findings)
    if not result.ok:
        assert any(f.severity == "error" for f in result.findings) or result.loaded is None


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


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(SCAFFOLD_LINES)),
       junk=st.text(max_size=20))
def test_a_real_brief_with_a_line_mangled(tmp_path, cut, junk):
    lines = list(SCAFFOLD_LINES)
    lines.insert(cut, junk)
    _check(tmp_path, "\n".join(lines).encode("utf-8", "surrogatepass"))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prose=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                     max_size=80).filter(lambda s: s.strip()))
@example(prose="soft\u00adhyphen")  # Word's optional hyphen, invisible in both formats
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
        assert result.findings
        event("invalid")
        return
    if any(f.rule == "glyphs" for f in result.findings):
        event("a character no font can draw: warned, and the PDF shows a box")
        assert all(f.severity == "warning" for f in result.findings)
        return
    event("built")
    pdf = squash(pdf_blocks(result.outputs["pdf"], {"TLP:CLEAR", "Fuzz · Edition 1"}))
    docx = squash(docx_blocks(result.outputs["docx"]))
    assert pdf == docx
