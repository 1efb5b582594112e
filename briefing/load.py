"""Load a brief (one YAML file or a folder of them) into the content model.

Every pydantic error becomes a located finding: an unknown field points at its
key, a wrong value at the value, a missing field at the mapping that lacks it.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .findings import ContentError, Finding, Place
from .model import Brief
from .yamlpos import DataPath, Located, load_yaml

YAML_SUFFIXES = (".yaml", ".yml")

KIND_NAMES = {
    "Brief": "brief",
    "KeyJudgment": "key judgment",
    "Evidence": "evidence",
    "Source": "source",
    "Name": "name",
    "AlternativeView": "alternative view",
    "Indicator": "indicator",
    "Change": "change",
    "Marking": "marking",
}

TYPE_NAMES = {
    "dict": "a mapping", "list": "a list", "str": "text", "int": "a whole number",
    "float": "a number", "bool": "true or false", "NoneType": "nothing (null)",
}


@dataclass(frozen=True)
class LoadedBrief:
    """A validated brief plus where each of its values stands in its files."""

    brief: Brief
    located: Located
    files: tuple[Path, ...]
    root: Path

    def place(self, *path: str | int, key: bool = False) -> Place:
        return self.located.place(tuple(path), key=key) or Place(str(self.files[0]))


def display_path(path: Path) -> str:
    """A path as a user typed it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def brief_files(path: Path) -> list[Path]:
    """The YAML files that make up the brief at `path` (a file or a folder)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
        if not files:
            raise ContentError([Finding(Place(display_path(path)), "error",
                                        "folder holds no .yaml files", rule="load")])
        return files
    if not path.exists():
        raise ContentError([Finding(Place(display_path(path)), "error",
                                    "no such file or folder", rule="load")])
    return [path]


def load_located(path: Path) -> tuple[Located, list[Path]]:
    """Read and merge the brief's files into one located mapping."""
    files = brief_files(path)
    merged = Located({})
    for file in files:
        located = load_yaml(file, display_path(file))
        if not isinstance(located.data, dict):
            raise ContentError([Finding(located.place(()), "error",
                                        f"expected a mapping of brief fields at the top of "
                                        f"the file, got {_type_name(located.data)}",
                                        rule="load")])
        for key in located.data:
            if key in merged.data:
                first = merged.keys[(key,)]
                raise ContentError([Finding(located.keys[(key,)], "error",
                                            f"'{key}' is already defined in {first}",
                                            rule="load")])
        merged.data.update(located.data)
        merged.values.update(located.values)
        merged.keys.update(located.keys)
    merged.values[()] = Place(display_path(files[0]))
    return merged, files


def load_brief(path: Path) -> LoadedBrief:
    """Load and validate the brief at `path`; raise ContentError with every finding."""
    located, files = load_located(path)
    try:
        brief = Brief.model_validate(located.data)
    except ValidationError as exc:
        errors = _drop_misspelt_missing(exc.errors())
        raise ContentError([_finding(err, located) for err in errors]) from None
    root = path if path.is_dir() else path.parent
    return LoadedBrief(brief, located, tuple(files), root.resolve())


def _drop_misspelt_missing(errors: list[dict]) -> list[dict]:
    """Drop 'missing X' where an unknown sibling key is a misspelling of X.

    A typo such as `confidnce:` then gives one error (at the typo), not two.
    """
    unknown: dict[tuple, list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            unknown.setdefault(tuple(err["loc"][:-1]), []).append(str(err["loc"][-1]))
    kept = []
    for err in errors:
        loc = tuple(err["loc"])
        siblings = unknown.get(loc[:-1], [])
        if err["type"] == "missing" and difflib.get_close_matches(str(loc[-1]), siblings,
                                                                  n=1, cutoff=0.6):
            continue
        kept.append(err)
    return kept


def _type_name(value: Any) -> str:
    return TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _data_path(loc: tuple, data: Any) -> DataPath:
    """The part of a pydantic `loc` that walks the data (drops union tags)."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _model_at(path: DataPath) -> type[BaseModel] | None:
    """The model class whose mapping stands at `path`, walking the annotations."""
    model: Any = Brief
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if _is_model(model) else None
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if _is_model(model) else None


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _kind(path: DataPath, data: Any) -> str:
    model = _model_at(path)
    name = KIND_NAMES.get(model.__name__, "mapping") if model else "mapping"
    holder = _value_at(data, path) if path else data
    if isinstance(holder, dict) and isinstance(holder.get("id"), str):
        return f"{name} '{holder['id']}'"
    return name


def _suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _finding(err: dict, located: Located) -> Finding:
    data = located.data
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(loc, data)
    field = loc[-1] if loc and isinstance(loc[-1], str) else None

    if kind == "extra_forbidden":
        parent = path[:-1]
        model = _model_at(parent)
        allowed = model.model_fields if model else ()
        message = f"unknown field '{field}' in {_kind(parent, data)}{_suggest(field, allowed)}"
        return Finding(located.place(path, key=True), "error", message, rule="model")
    if kind == "missing":
        message = f"missing required field '{field}' in {_kind(path, data)}"
        return Finding(located.place(path), "error", message, rule="model")

    place = located.place(path)
    value = err.get("input")
    label = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "item"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = _suggest(str(value), choices)
        message = f"{value!r} is not allowed for {label}; expected one of {expected}{hint}"
    elif kind.endswith("_type") or kind in {"model_attributes_type", "dict_type"}:
        expected = _expected_from(kind, err)
        message = f"{label} must be {expected}, got {_type_name(value)}"
    elif kind == "string_pattern_mismatch":
        message = _pattern_message(label, value, err)
    elif kind in {"greater_than_equal", "less_than_equal"}:
        message = f"{label} is {value!r}; {err['msg'].lower()}"
    elif kind == "too_short":
        message = f"{label} needs at least {err['ctx']['min_length']} item(s)"
    else:
        message = err["msg"].removeprefix("Value error, ")
        message = f"{label}: {message}" if path else message
    return Finding(place, "error", message, rule="model")


def _expected_from(kind: str, err: dict) -> str:
    base = kind.removesuffix("_type").removesuffix("_parsing")
    names = {"string": "text", "int": "a whole number", "list": "a list",
             "dict": "a mapping", "model_attributes": "a mapping", "model": "a mapping",
             "bool": "true or false", "date": "a date (YYYY-MM-DD)", "float": "a number"}
    return names.get(base, err["msg"].lower().removeprefix("input should be "))


def _pattern_message(label: str, value: Any, err: dict) -> str:
    pattern = err.get("ctx", {}).get("pattern", "")
    if "a-z0-9" in pattern:
        return (f"{value!r} is not a valid id for {label}: use lower-case letters, digits, "
                "'-', '_' or '.'")
    if "https?" in pattern:
        return f"{value!r} is not a web address for {label} (http:// or https://)"
    if pattern.startswith("^10"):
        return f"{value!r} is not a DOI for {label} (10.NNNN/…, without https://doi.org/)"
    if "unknown" in pattern:
        return f"{value!r} is not a date for {label}: use YYYY-MM-DD, YYYY-MM, YYYY or unknown"
    return f"{value!r} does not match the form {label} expects ({pattern})"


__all__ = ["LoadedBrief", "load_brief", "load_located", "brief_files", "display_path"]
