"""The hostile corpus: a project, a canary outside it, and checks every case makes.

Each case edits a valid project (a scaffolded brief in `content/demo`, already
built into `out/`) in one hostile way, runs `briefing`, and asserts

- the exact message and exit code,
- that no traceback and no "internal error" reached the user,
- that the canary — a unique string in files *outside* the project — appears in
  no output: not on stdout or stderr, not in any file under `out/` (PDF text
  extracted, DOCX parts inflated),
- that the previous outputs are unchanged, byte for byte.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from briefing.cli.main import main

REPO = Path(__file__).resolve().parents[2]
POLICY = REPO / "layouts" / "policy-brief"
CANARY = "CANARY-5f1c2b7e-outside-the-project"
QUOTE = "the alliance grew stronger in 2025"
#: Why the project fixture's folder is the project (`briefing new` marked it).
TOML_RULE = "it holds briefing.toml; move that file to make another folder the project"
#: How a file outside the project is refused (the project's folder as {root}).
OUTSIDE = ("is outside the project ({root}: " + TOML_RULE + "); a brief or layout may only "
           "name files inside its project or the briefing package")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@dataclass
class Project:
    """A project folder (content/, seeds/, out/) and, beside it, the canary outside."""

    root: Path
    outside: Path
    before: dict[str, bytes] = field(default_factory=dict)

    @property
    def brief(self) -> Path:
        return self.root / "content" / "demo"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def file(self, name: str = "brief.yaml") -> Path:
        return self.brief / name

    def text(self, name: str = "brief.yaml") -> str:
        return self.file(name).read_text("utf-8")

    def edit(self, old: str, new: str, name: str = "brief.yaml") -> None:
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        self.file(name).write_text(text.replace(old, new, 1), "utf-8")

    def pos(self, needle: str, name: str = "brief.yaml") -> str:
        """'content/demo/name:line:col' of the one occurrence of `needle`."""
        text = self.text(name)
        assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
        index = text.index(needle)
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        return f"content/demo/{name}:{line}:{col}"

    def cite_archive(self, archive: str, quote: str = QUOTE) -> str:
        """Give the source an archived copy and the evidence a quote; return the place
        of the `archive:` value."""
        self.edit("    reliability: F\n", f"    reliability: F\n    archive: \"{archive}\"\n")
        self.edit("        credibility: 6\n",
                  f"        credibility: 6\n        locator: para. 1\n        quote: {quote}\n")
        return self.pos(f'"{archive}"')

    def house_layout(self, name: str = "house") -> Path:
        """A copy of the policy-brief layout in the project's layouts/, used by the brief."""
        folder = self.root / "layouts" / name
        shutil.copytree(POLICY, folder)
        self.edit("layout: policy-brief", f"layout: {name}")
        return folder

    def assert_clean(self, result: Result) -> None:
        """No canary anywhere and no traceback (for a run that may write new outputs)."""
        for stream in (result.out, result.err):
            assert CANARY not in stream
            assert "Traceback" not in stream
            assert "internal error" not in stream
        for path in sorted(self.out.rglob("*")):
            if path.is_file():
                assert CANARY not in readable_text(path), path

    def assert_refused(self, first: str, failed: str) -> None:
        """`validate` exits 2 and `build` (every format) exits 1, each with `first` as its
        first line, build's last being `failed`; nothing leaks, no output changes."""
        result = self.run("validate", "content/demo")
        assert result.code == 2, result.err
        assert result.lines[0] == first
        self.assert_contained(result)
        result = self.run("build", "content/demo", "--format", "all")
        assert result.code == 1, result.err
        assert result.lines[0] == first
        assert result.lines[-1] == failed
        self.assert_contained(result)

    def run(self, *argv: str) -> Result:
        return run_cli(self.root, *argv)

    def assert_contained(self, result: Result) -> None:
        """No canary anywhere, no traceback, and the previous outputs unchanged."""
        self.assert_clean(result)
        for name, data in self.before.items():
            assert (self.out / name).read_bytes() == data, f"{name} changed"


def readable_text(path: Path) -> str:
    """What a reader of `path` could see: PDF text, DOCX parts, or the bytes as text."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() for page in reader.pages)
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "\n".join(package.read(n).decode("utf-8", "replace")
                             for n in package.namelist())
    return data.decode("utf-8", "replace")


def run_cli(cwd: Path, *argv: str) -> Result:
    """`briefing ARGV…` in this process, in `cwd`; stdout and stderr captured."""
    old_cwd = Path.cwd()
    out, err = io.StringIO(), io.StringIO()
    old_out, old_err = sys.stdout, sys.stderr
    os.chdir(cwd)
    sys.stdout, sys.stderr = out, err
    try:
        code = main(list(argv))
    except SystemExit as stop:  # a usage error: argparse exits
        code = int(stop.code or 0)
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        os.chdir(old_cwd)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(cwd: Path, *argv: str, timeout: float = 120, **kwargs) -> Result:
    """`python -m briefing ARGV…` in a child process (for files that could hang us);
    the timeout is a generous safety net, not a measurement."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "briefing", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, **kwargs)
    return Result(done.returncode, done.stdout, done.stderr)
