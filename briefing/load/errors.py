"""Pydantic validation errors as located findings, in words an editor understands.

An unknown field points at its key (with "did you mean"), a wrong value at the
value, a missing field at the mapping that lacks it.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from briefing.core.findings import Finding, did_you_mean
from briefing.model.vocab import RENAMED_LABELS

from .yamlpos import DataPath, Located

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
    "MarkedParagraph": "paragraph",
    "Layout": "layout",
    "Style": "style",
    "FontFamily": "font family",
    "Page": "page",
    "ReviewSettings": "review settings",
}

COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"  # load.layout's Colour

TYPE_NAMES = {
    "dict": "a mapping", "list": "a list", "str": "text", "int": "a whole number",
    "float": "a number", "bool": "true or false", "NoneType": "nothing (null)",
}


def validation_findings(exc: ValidationError, located: Located, root: type[BaseModel],
                        rule: str | None = None) -> list[Finding]:
    """One finding per pydantic error, located in the YAML it came from. Its code is
    BR802 (unknown field), BR803 (missing) or BR804 (a value not allowed), or `rule`
    for every one (a layout's: BR812); `briefing/review/families/` declares them."""
    errors = _drop_misspelt_missing(exc.errors())
    found = [_finding(err, located, root) for err in errors]
    return [replace(f, rule=rule) for f in found] if rule else found


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


def type_name(value: Any) -> str:
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


def _model_at(path: DataPath, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class whose mapping stands at `path`, walking the annotations."""
    model: Any = root
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


def _kind(path: DataPath, data: Any, root: type[BaseModel]) -> str:
    model = _model_at(path, root)
    name = KIND_NAMES.get(model.__name__, "mapping") if model else "mapping"
    holder = _value_at(data, path) if path else data
    if isinstance(holder, dict) and isinstance(holder.get("id"), str):
        return f"{name} '{holder['id']}'"
    return name


def _finding(err: dict, located: Located, root: type[BaseModel]) -> Finding:
    data = located.data
    loc = tuple(err["loc"])
    kind = err["type"]
    path = _data_path(loc, data)
    field = loc[-1] if loc and isinstance(loc[-1], str) else None

    if kind == "extra_forbidden":
        parent = path[:-1]
        model = _model_at(parent, root)
        allowed = model.model_fields if model else ()
        hint = did_you_mean(field, allowed)
        message = f"unknown field '{field}' in {_kind(parent, data, root)}{hint}"
        return Finding(located.place(path, key=True), "error", message, rule="BR802")
    if kind == "missing":
        message = f"missing required field '{field}' in {_kind(path, data, root)}"
        return Finding(located.place(path), "error", message, rule="BR803")

    place = located.place(path)
    value = err.get("input")
    label = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "item"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = _renamed(value) or did_you_mean(str(value), choices)
        message = f"{value!r} is not allowed for {label}; expected one of {expected}{hint}"
    elif kind.endswith(("_type", "_parsing")) or kind.startswith("date_from"):
        expected = _expected_from(kind, err)
        message = f"{label} must be {expected}, got {type_name(value)}"
    elif kind == "string_pattern_mismatch":
        message = _pattern_message(label, value, err)
    elif kind in {"greater_than_equal", "less_than_equal"}:
        message = f"{label} is {value!r}; {err['msg'].lower()}"
    elif kind == "too_short":
        message = f"{label} needs at least {err['ctx']['min_length']} item(s)"
    elif kind == "string_too_short" and err.get("ctx", {}).get("min_length") == 1:
        message = f"{label} is empty; write the text"
    else:
        message = err["msg"].removeprefix("Value error, ")
        if message.startswith("is "):  # a validator's "is …" completes the label
            message = f"{label} {message}"
        else:
            message = f"{label}: {message}" if path else message
    return Finding(place, "error", message, rule="BR804")


def _renamed(value: Any) -> str:
    """"; use 'TLP:CLEAR': …" for a label a standard renamed, else ""."""
    key = "".join(str(value).split()).upper()
    if key in RENAMED_LABELS:
        new, why = RENAMED_LABELS[key]
        return f"; use '{new}': {why}"
    return ""


def _expected_from(kind: str, err: dict) -> str:
    base = kind.removesuffix("_type").removesuffix("_parsing")
    if base.startswith("date"):
        base = "date"
    names = {"string": "text", "int": "a whole number", "list": "a list",
             "dict": "a mapping", "model_attributes": "a mapping", "model": "a mapping",
             "bool": "true or false", "date": "a date (YYYY-MM-DD)", "float": "a number"}
    return names.get(base, err["msg"].lower().removeprefix("input should be "))


def _pattern_message(label: str, value: Any, err: dict) -> str:
    pattern = err.get("ctx", {}).get("pattern", "")
    if "a-z0-9" in pattern and not pattern.startswith("^10"):
        return (f"{value!r} is not a valid id for {label}: use lower-case letters, digits, "
                "'-', '_' or '.'")
    if "https?" in pattern:
        return (f"{value!r} is not a web address for {label} (http:// or https://, with no "
                "spaces, quotes, angle brackets or braces; percent-encode them)")
    if pattern.startswith("^10"):
        return (f"{value!r} is not a DOI for {label} (10.NNNN/…, without https://doi.org/; "
                "letters, digits and - . _ ; ( ) / : only, or an older form Crossref lists, "
                "such as a SICI: 10.1175/1520-0477(1998)079<0061:APGTWA>2.0.CO;2)")
    if pattern == COLOUR_PATTERN:
        return (f"{value!r} is not a colour for {label}: write #RRGGBB, six hexadecimal "
                "digits, such as #12355B")
    if "unknown" in pattern:
        return f"{value!r} is not a date for {label}: use YYYY-MM-DD, YYYY-MM, YYYY or unknown"
    return f"{value!r} does not match the form {label} expects ({pattern})"

