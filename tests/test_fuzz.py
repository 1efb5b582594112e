"""Whatever bytes or YAML an editor saves, validation answers with findings, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.findings import Finding
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
