"""The house plan holds (docs/architecture.md): the import contracts in pyproject.toml
are kept, a deliberate upward import breaks them, and no module imports itself through
others (no import cycles)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["briefing.cli", "briefing.build", "briefing.render", "briefing.compose",
          "briefing.review", "briefing.load", "briefing.model", "briefing.core"]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package and pyproject.toml of `project`."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         "sys.exit(lint_imports_command())", "--config", str(project / "pyproject.toml"),
         "--no-cache"],
        cwd=project, env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True)


def test_the_import_contracts_are_kept():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout


def test_the_contract_declares_every_layer_in_pipeline_order():
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    positions = [text.index(f'"{layer}"') for layer in LAYERS]
    assert positions == sorted(positions)
    assert ('"briefing.serve | briefing.watch | briefing.roundtrip | briefing.editions | '
            'briefing.lsp"') in text


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The package and pyproject.toml, copied where they can be broken."""
    shutil.copytree(ROOT / "briefing", tmp_path / "briefing",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("module", "upward", "broken"), [
    ("core/limits.py", "from briefing.cli.main import main", "briefing.core is not allowed "
     "to import briefing.cli"),
    ("review/engine.py", "from briefing.render.registry import FORMATS",
     "briefing.review is not allowed to import briefing.render"),
    ("render/pdf/renderer.py", "from briefing.roundtrip import importer",
     "briefing.render is not allowed to import briefing.roundtrip"),
    ("serve/app.py", "from briefing.watch import watch", "briefing.serve is not allowed "
     "to import briefing.watch"),
    ("roundtrip/importer.py", "from briefing.ingest import add", "briefing.roundtrip is "
     "not allowed to import briefing.ingest"),
    ("serve/app.py", "from briefing.lsp import server", "briefing.serve is not allowed "
     "to import briefing.lsp"),
    ("lsp/actions.py", "from briefing.roundtrip import yamlpatch", "briefing.lsp is not "
     "allowed to import briefing.roundtrip"),
    ("review/engine.py", "from briefing.lsp import spans", "briefing.review is not allowed "
     "to import briefing.lsp"),
    ("render/docx/renderer.py", "from briefing.render.pdf import renderer",
     "briefing.render.docx is not allowed to import briefing.render.pdf"),
])
def test_a_deliberate_upward_import_breaks_a_contract(project_copy, module, upward, broken):
    target = project_copy / "briefing" / module
    target.write_text(target.read_text("utf-8") + f"\n{upward}  # deliberate\n", "utf-8")
    done = lint_imports(project_copy)
    assert done.returncode == 1, done.stdout
    assert broken in done.stdout


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each set of modules that import one another in a ring (strongly connected
    components of more than one module, or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iteratively
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(
                        graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                ring = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    ring.append(member)
                    if member == module:
                        break
                if len(ring) > 1 or graph.direct_import_exists(
                        importer=module, imported=module):
                    cycles.append(sorted(ring))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycles():
    graph = grimp.build_graph("briefing", cache_dir=None)
    assert import_cycles(graph) == []


def test_an_import_cycle_is_found():
    """The check above can fail: the loader imports findings; close the ring."""
    graph = grimp.build_graph("briefing", cache_dir=None)
    graph.add_import(importer="briefing.core.findings", imported="briefing.load.brief")
    assert any({"briefing.core.findings", "briefing.load.brief"} <= set(ring)
               for ring in import_cycles(graph))
