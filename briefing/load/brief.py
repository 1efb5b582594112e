"""Load a brief (one YAML file or a folder of them) into the content model."""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from briefing.core.commit import finish, locked, remove_temps, temps_of, write_group
from briefing.core.confine import is_inside, kind_of, project_root, project_rule, unusable_link
from briefing.core.findings import ContentError, Finding, Place
from briefing.core.terminal import display_path
from briefing.model import Brief

from . import YAML_SUFFIXES
from .archive import find_archive
from .errors import type_name, validation_findings
from .yamlpos import Located, load_yaml

#: The journal of a group write of a brief's files (`briefing import --write`).
BRIEF_JOURNAL = ".briefing-import.commit"

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

    def archive(self, name: str) -> Path | None:
        """The archived copy `name` as this brief finds it (`find_archive`: None when it
        is missing, refused or unreadable), looked up once per load: the review rules
        and the build ask for each archive many times."""
        if name not in self._archives:
            self._archives[name] = find_archive(self.root, name, self.project)
        return self._archives[name]

    @cached_property
    def _archives(self) -> dict[str, Path | None]:
        return {}

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
    """The YAML files that make up the brief at `path` (a file or a folder).

    A YAML name in the folder that is not a readable regular file inside the project
    (a dangling symbolic link, a link loop, a link out of the project, a folder or a
    pipe) is an error naming it, never skipped."""
    if path.is_dir():
        try:
            files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES)
        except OSError as exc:
            raise ContentError([Finding(Place(display_path(path)), "error",
                                        f"cannot read the folder ({exc.strerror or exc})",
                                        rule="BR801")]) from None
        _finish_writes(path, files)
        if not files:
            raise ContentError([Finding(Place(display_path(path)), "error",
                                        "folder holds no .yaml files", rule="BR801")])
        root = project_root(path)
        problems = [Finding(Place(display_path(file)), "error", problem, rule="BR801")
                    for file in files if (problem := _file_problem(file, root))]
        if problems:
            raise ContentError(problems)
        return files
    problem = unusable_link(path)
    if problem or not path.exists():
        raise ContentError([Finding(Place(display_path(path)), "error",
                                    problem or "no such file or folder", rule="BR801")])
    _finish_writes(path.parent, [path])
    return [path]


def _finish_writes(folder: Path, files: list[Path]) -> None:
    """Complete a write of this brief's files that a killed `briefing import --write`
    had committed, and remove what one killed before it left (core.commit): the brief
    is then all its old files or all its new ones."""
    journal = folder / BRIEF_JOURNAL
    names = [file.name for file in files] + [BRIEF_JOURNAL]
    if not journal.exists() and not temps_of(folder, names):
        return
    try:
        with locked(folder):
            finish(journal)
            remove_temps(folder, names)
    except OSError:
        pass  # a folder we may only read: the files are read as they are


def write_brief_files(folder: Path, files: dict[Path, bytes]) -> None:
    """Write files of the brief in `folder` (and any beside them, such as an archived
    copy) as one group (core.commit): all are replaced or none is, even if the process
    is killed half-way; the next reader of the brief finishes a commit so left."""
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        remove_temps(folder, [BRIEF_JOURNAL])
        for path in files:
            remove_temps(path.parent, [path.name])
        write_group(files, folder / BRIEF_JOURNAL)


def _file_problem(file: Path, root: Path) -> str | None:
    """Why the YAML file `file` of a brief folder cannot be one of its files, or None."""
    problem = unusable_link(file)
    if problem:
        return problem
    if not is_inside(file.resolve(), (root,)):
        return (f"file is a symbolic link to outside the project ({display_path(root)}: "
                f"{project_rule(root)}); a brief's files must lie inside its project")
    try:
        info = file.stat()
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    if not stat.S_ISREG(info.st_mode):
        return f"file is {kind_of(info.st_mode)}, not a regular file"
    return None


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
