"""Content fields: the prose values of a brief that a reader sees and an analyst edits.

Each field has a stable key that survives reordering of the YAML — the id of its
item and the attribute (`judgment:kj-x.text`, `evidence:ev-y.quote`), or a position
for items without ids (`bluf.0`). Compose marks the fields it renders so that the
DOCX can carry them and `briefing import` can map a returned DOCX back onto the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.findings import Finding
from briefing.load.yamlpos import DataPath, Located

if TYPE_CHECKING:
    from briefing.model import Brief

# Per list of items: the YAML key, the key prefix and the prose attributes.
ITEM_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("key_judgments", "judgment", ("text", "basis")),
    ("alternative_views", "alternative", ("text", "would_be_right_if")),
    ("indicators", "indicator", ("text",)),
    ("sources", "source", ("title", "description")),
)
EVIDENCE_FIELDS = ("text", "quote")
TOP_FIELDS = ("title", "subtitle")
PARAGRAPH_LISTS = ("bluf", "outlook")


class FieldStr(str):
    """A prose value that knows which field it is (its key); a BLUF or outlook
    paragraph keeps its portion classification and controls."""

    key: str
    classification: str | None = None
    controls: tuple[str, ...] = ()

    def __new__(cls, value: str, key: str) -> FieldStr:
        text = super().__new__(cls, value)
        text.key = key
        text.classification = getattr(value, "classification", None)
        text.controls = tuple(getattr(value, "controls", ()))
        return text


@dataclass(frozen=True)
class FieldInfo:
    """One field as the build saw it: key, YAML path, file, line and Markdown."""

    key: str
    path: DataPath
    file: str
    line: int
    markdown: str


def iter_fields(brief: Brief) -> list[tuple[str, DataPath, str]]:
    """(key, model path, value) of every prose field present in the brief."""
    out: list[tuple[str, DataPath, str]] = []
    for name in TOP_FIELDS:
        value = getattr(brief, name)
        if value:
            out.append((name, (name,), value))
    for name in PARAGRAPH_LISTS:
        # A paragraph is a str (a marked one a MarkedText carrying its classification).
        for index, item in enumerate(getattr(brief, name)):
            out.append((f"{name}.{index}", (name, index), item))
    for list_name, prefix, attrs in ITEM_FIELDS:
        for index, item in enumerate(getattr(brief, list_name)):
            for attr in attrs:
                value = getattr(item, attr)
                if value:
                    out.append((f"{prefix}:{item.id}.{attr}", (list_name, index, attr), value))
            if list_name == "key_judgments":
                for number, ev in enumerate(item.evidence):
                    for attr in EVIDENCE_FIELDS:
                        value = getattr(ev, attr)
                        if value:
                            out.append((f"evidence:{ev.id}.{attr}",
                                        (list_name, index, "evidence", number, attr), value))
    for index, change in enumerate(brief.what_changed):
        out.append((f"what_changed.{index}", ("what_changed", index, "text"), change.text))
    return out


def yaml_path(path: DataPath, located: Located) -> DataPath:
    """The path as the YAML spells it: a one-paragraph BLUF given as a plain string
    is `bluf`, not `bluf[0]`; a paragraph given as a mapping holds its `text`."""
    if len(path) == 2 and path[0] in PARAGRAPH_LISTS:
        given = located.data.get(path[0])
        if isinstance(given, str):
            return (path[0],)
        if isinstance(given, list) and isinstance(given[path[1]], dict):
            return (*path, "text")
    return path


def field_infos(brief: Brief, located: Located) -> dict[str, FieldInfo]:
    """Every prose field by key, with where the YAML holds it."""
    infos: dict[str, FieldInfo] = {}
    for key, path, value in iter_fields(brief):
        where = yaml_path(path, located)
        place = located.place(where)
        infos[key] = FieldInfo(key, where, Path(place.path).name if place else "",
                               place.line if place else 1, value)
    return infos


def marked_brief(brief: Brief) -> Brief:
    """A copy of the brief whose prose values are FieldStr (for the template)."""
    marks = {path: FieldStr(value, key) for key, path, value in iter_fields(brief)}

    def copy(model, prefix: DataPath):
        update = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            here = (*prefix, name)
            if here in marks:
                update[name] = marks[here]
            elif isinstance(value, list) and value:
                items = []
                changed = False
                for index, item in enumerate(value):
                    path = (*here, index)
                    if path in marks:
                        items.append(marks[path])
                        changed = True
                    elif hasattr(type(item), "model_fields"):
                        items.append(copy(item, path))
                        changed = True
                    else:
                        items.append(item)
                if changed:
                    update[name] = items
        return model.model_copy(update=update) if update else model

    return copy(brief, ())


def field_for(finding: Finding, located: Located, fields: tuple[FieldInfo, ...]) -> str:
    """The key of the field a finding concerns: the first rendered field of the
    innermost YAML item that holds the finding's place (the title if none does)."""
    here = (finding.place.line, finding.place.col)
    best: tuple[tuple[int, int], DataPath] | None = None
    for path, place in located.values.items():
        if place.path == finding.place.path and (place.line, place.col) <= here:
            if best is None or (place.line, place.col) > best[0]:
                best = ((place.line, place.col), path)
    path = best[1] if best else ()
    for length in range(len(path), 0, -1):
        prefix = path[:length]
        for info in fields:
            if info.path[:length] == prefix:
                return info.key
    return fields[0].key if fields else ""


def review_comments(findings: list[Finding], loaded, provenance) -> tuple[tuple[str, str], ...]:
    """(field key, comment text) for every finding, as review comments in the DOCX."""
    out = []
    for finding in findings:
        key = field_for(finding, loaded.located, provenance.fields)
        rule = f" [{finding.rule}]" if finding.rule else ""
        out.append((key, f"{finding.severity}{rule}: {finding.message} ({finding.place})"))
    return tuple(out)
