"""Load a brief (one YAML file or a folder of them) into the content model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from briefing.core.confine import is_inside, project_root
from briefing.core.findings import ContentError, Finding, Place
from briefing.core.terminal import display_path
from briefing.model import Brief

from .errors import type_name, validation_findings
from .yamlpos import Located, load_yaml

YAML_SUFFIXES = (".yaml", ".yml")

@dataclass(frozen=True)
class LoadedBrief:
    """A validated brief plus where each of its values stands in its files."""

    brief: Brief
    located: Located
    files: tuple[Path, ...]
    root: Path
    texts: Mapping[Path, str] = field(default_factory=dict, compare=False, repr=False)
    """The texts that stood in for some of `files` (an editor's unsaved edits)."""

    @cached_property
    def project(self) -> Path:
        """The brief's project folder: every file it names must lie inside it."""
        return project_root(self.root)

    def place(self, *path: str | int, key: bool = False) -> Place:
        return self.located.place(tuple(path), key=key) or Place(str(self.files[0]))


def first_place(files: list[Path], needle: str) -> Place | None:
    """Where `needle` first stands in `files` (read as text), or None."""
    for file in files:
        for number, line in enumerate(file.read_text("utf-8-sig").splitlines(), start=1):
            column = line.find(needle)
            if column >= 0:
                return Place(display_path(file), number, column + 1)
    return None


def brief_files(path: Path) -> list[Path]:
    """The YAML files that make up the brief at `path` (a file or a folder)."""
    if path.is_dir():
        try:
            files = sorted(p for p in path.iterdir()
                           if p.suffix in YAML_SUFFIXES and p.is_file())
        except OSError as exc:
            raise ContentError([Finding(Place(display_path(path)), "error",
                                        f"cannot read the folder ({exc.strerror or exc})",
                                        rule="BR801")]) from None
        if not files:
            raise ContentError([Finding(Place(display_path(path)), "error",
                                        "folder holds no .yaml files", rule="BR801")])
        roots = (project_root(path),)
        for file in files:
            if not is_inside(file.resolve(), roots):
                raise ContentError([Finding(Place(display_path(file)), "error",
                                            "file is a symbolic link to outside the project "
                                            f"({display_path(roots[0])}); a brief's files "
                                            "must lie inside its project", rule="BR801")])
        return files
    if not path.exists():
        raise ContentError([Finding(Place(display_path(path)), "error",
                                    "no such file or folder", rule="BR801")])
    return [path]


def load_located(path: Path, texts: dict[Path, str] | None = None
                  ) -> tuple[Located, list[Path]]:
    """Read and merge the brief's files into one located mapping (`texts` stands in
    for the content of some files, e.g. edits not yet written)."""
    files = brief_files(path)
    merged = Located({})
    for file in files:
        located = load_yaml(file, display_path(file), (texts or {}).get(file))
        if not isinstance(located.data, dict):
            raise ContentError([Finding(located.place(()), "error",
                                        f"expected a mapping of brief fields at the top of "
                                        f"the file, got {type_name(located.data)}",
                                        rule="BR801")])
        for key in located.data:
            if key in merged.data:
                first = merged.keys[(key,)]
                raise ContentError([Finding(located.keys[(key,)], "error",
                                            f"'{key}' is already defined in {first}",
                                            rule="BR801")])
        merged.data.update(located.data)
        merged.values.update(located.values)
        merged.keys.update(located.keys)
    merged.values[()] = Place(display_path(files[0]))
    return merged, files


def load_brief(path: Path, texts: dict[Path, str] | None = None) -> LoadedBrief:
    """Load and validate the brief at `path`; raise ContentError with every finding."""
    located, files = load_located(path, texts)
    try:
        brief = Brief.model_validate(located.data)
    except ValidationError as exc:
        raise ContentError(validation_findings(exc, located, Brief)) from None
    root = path if path.is_dir() else path.parent
    return LoadedBrief(brief, located, tuple(files), root.resolve(), dict(texts or {}))
