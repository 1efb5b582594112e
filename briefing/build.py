"""Build: load → check → compose → render, writing outputs atomically.

Every format is rendered to bytes before anything is written; each file is
written to a temporary file in the output folder and renamed over the old
one, so a failed build never leaves a broken file or destroys the last good one.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .compose import ComposeError, compose
from .findings import ContentError, Finding
from .layout import LoadedLayout, find_layout, load_layout
from .load import LoadedBrief
from .tree import Document
from .validate import validate

FORMATS = ("pdf", "docx")


class BuildError(Exception):
    """The brief is valid but could not be built (layout, template, renderer, disk)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class BuildResult:
    """What a build produced, or the findings that stopped it."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    invalid: bool = False


def renderer(fmt: str) -> Callable[[Document, LoadedLayout], bytes]:
    if fmt == "pdf":
        from .render.pdf import render_pdf

        return render_pdf
    from .render.docx import render_docx

    return render_docx


def resolve_layout(loaded: LoadedBrief, override: str | None) -> LoadedLayout:
    name = override or loaded.brief.layout
    try:
        return load_layout(find_layout(name, loaded.root))
    except ContentError as exc:
        raise BuildError(f"layout '{name}' is invalid", exc.findings) from None


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temporary file in the same folder and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def build(path: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS,
          layout_name: str | None = None) -> BuildResult:
    """Validate and build the brief at `path` into `out_dir`."""
    result = BuildResult(path)
    validation = validate(path)
    result.findings = validation.findings
    if not validation.ok:
        result.invalid = True
        return result
    loaded = validation.loaded
    assert loaded is not None
    layout = resolve_layout(loaded, layout_name)
    start = time.perf_counter()
    try:
        document = compose(loaded, layout)
    except ContentError as exc:
        raise BuildError("the layout's template failed", exc.findings) from None
    except ComposeError as exc:
        raise BuildError(str(exc)) from None
    result.seconds["compose"] = time.perf_counter() - start
    rendered: dict[str, bytes] = {}
    for fmt in formats:
        start = time.perf_counter()
        try:
            rendered[fmt] = renderer(fmt)(document, layout)
        except ValueError as exc:  # a renderer's refusal, e.g. a page limit
            raise BuildError(f"{fmt}: {exc}") from None
        result.seconds[fmt] = time.perf_counter() - start
    for fmt, data in rendered.items():
        target = out_dir / f"{loaded.brief.id}.{fmt}"
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
        result.outputs[fmt] = target
    return result
