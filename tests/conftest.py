"""Fixtures for the loader, bad-input and CLI tests: a scaffolded brief in tmp_path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from scaffolds import scaffolded as new_brief

from briefing.cli.main import main


@dataclass
class BriefFolder:
    """A brief folder under the working directory, with helpers to edit and locate text."""

    folder: Path

    def file(self, name: str = "brief.yaml") -> Path:
        return self.folder / name

    def text(self, name: str = "brief.yaml") -> str:
        return self.file(name).read_text("utf-8")

    def write(self, text: str, name: str = "brief.yaml") -> str:
        self.file(name).write_text(text, "utf-8")
        return text

    def edit(self, old: str, new: str, name: str = "brief.yaml") -> str:
        """Replace the one occurrence of `old` in the file; return the new text."""
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        return self.write(text.replace(old, new), name)

    def pos(self, needle: str, name: str = "brief.yaml", *, end: bool = False) -> str:
        """'folder/name:line:col' of the one occurrence of `needle` (of its end if `end`)."""
        text = self.text(name)
        assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in {name}"
        index = text.index(needle) + (len(needle) if end else 0)
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        return f"{self.folder.name}/{name}:{line}:{col}"


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory):
    """Builds under test (and the processes they start) keep their disk cache in a
    folder of the test session, never in the user's cache."""
    before = os.environ.get("BRIEFING_CACHE_DIR")
    os.environ["BRIEFING_CACHE_DIR"] = str(tmp_path_factory.mktemp("briefing-cache"))
    yield
    if before is None:
        os.environ.pop("BRIEFING_CACHE_DIR", None)
    else:
        os.environ["BRIEFING_CACHE_DIR"] = before


@pytest.fixture
def brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BriefFolder:
    """A valid scaffolded brief at <tmp>/demo/brief.yaml; the working directory is <tmp>."""
    monkeypatch.chdir(tmp_path)
    new_brief("demo", tmp_path, "schema.json")
    return BriefFolder(tmp_path / "demo")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `briefing ARGS…` in-process; return (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the tests that look at a page as a browser shows it."""
    from browser import start_browser

    driver = start_browser()
    yield driver
    driver.quit()
