"""One build for the server, run in a worker process: `build`, then read back what it wrote.

The server only ever sees a `Built` record: the brief's header, its findings, the files
its outputs depend on, and for each format the bytes with the input digest they came
from. The bytes are checked against the build state (sha256), so a body and its ETag
always belong together, and never come from a half-written file.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.build.inputs import coarse_inputs, input_files
from briefing.build.pipeline import BuildError, BuildState, build, resolve_layout
from briefing.core.findings import ContentError, Finding
from briefing.load.brief import load_brief
from briefing.render.registry import FORMATS


@dataclass(frozen=True)
class Output:
    """One format's bytes as last built, the digest of its inputs, and when it was written."""

    data: bytes
    digest: str
    mtime: float
    marking: tuple[str, str, str] | None = None  # (level, scheme, controls) it was built with


@dataclass
class Built:
    """What one build of a brief produced, in a form that crosses a process boundary."""

    path: Path
    status: str  # built | up to date | invalid | failed | error
    brief_id: str | None = None
    header: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    message: str = ""
    inputs: list[Path] = field(default_factory=list)
    outputs: dict[str, Output] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("built", "up to date")


def build_for_serve(path: Path, out_dir: Path, formats: tuple[str, ...],
                    known_id: str | None) -> Built:
    """Build the `formats` of `path` if their inputs changed, then read them back (for
    content that did not build: the last good output of every format). Never raises."""
    start = time.perf_counter()
    try:
        built = _build(path, out_dir, formats, known_id)
    except Exception as exc:  # noqa: BLE001 - the server reports it as one line
        built = Built(path, "error", known_id, message=f"{type(exc).__name__}: {exc}\n"
                      + traceback.format_exc())
        built.inputs = coarse_inputs(path)
    built.seconds = time.perf_counter() - start
    return built


def _build(path: Path, out_dir: Path, formats: tuple[str, ...],
           known_id: str | None) -> Built:
    header = _header(path)
    brief_id = header.get("id") or known_id
    built = Built(path, "failed", brief_id, header, inputs=coarse_inputs(path))
    try:
        result = build(path, out_dir, formats)
    except BuildError as exc:
        built.message, built.findings = str(exc), exc.findings
    else:
        built.findings = result.findings
        if result.invalid:
            built.status = "invalid"
        else:
            built.status = "built" if result.outputs else "up to date"
            built.inputs = _inputs(path)
    if brief_id:  # the formats just built; else the last good of every format (stale)
        built.outputs = read_outputs(out_dir, brief_id, formats if built.ok else FORMATS)
        if built.ok and set(built.outputs) != set(formats):  # removed or replaced meanwhile
            if build(path, out_dir, formats).outputs:
                built.status = "built"
            built.outputs = read_outputs(out_dir, brief_id, formats)
    if built.ok:  # outputs on disk from an earlier build have no marking we know of
        marking = _marking(built.header)
        if marking != _marking(_header(path)):  # the marking was edited during the build
            marking = None
        built.outputs = {fmt: replace(out, marking=marking) for fmt, out in built.outputs.items()}
    return built


def _header(path: Path) -> dict[str, str]:
    """What the index shows of a brief, and its marking; {} if it cannot be loaded."""
    try:
        brief = load_brief(path).brief  # a few milliseconds; `build` validates it in full
    except ContentError:
        return {}
    marking = brief.marking
    return {"id": brief.id, "title": brief.title, "edition": brief.edition,
            "date": brief.date.isoformat(), "marking": marking.label,
            "level": marking.tlp or marking.classification or "",
            "controls": "/".join(getattr(marking, "controls", None) or []),
            "scheme": marking.scheme if isinstance(marking.scheme, str) else ""}


def _marking(header: dict[str, str]) -> tuple[str, str, str] | None:
    return (header["level"], header["scheme"], header["controls"]) if header else None


def read_outputs(out_dir: Path, brief_id: str, formats: tuple[str, ...]) -> dict[str, Output]:
    """The last good output of each format, if what is on disk is what the state says."""
    outputs = {}
    for _attempt in range(3):  # another build may be renaming files right now
        state = BuildState(out_dir, brief_id)
        for fmt in formats:
            entry = state.data.get(fmt, {})
            target = out_dir / f"{brief_id}.{fmt}"
            try:
                with target.open("rb") as stream:
                    data = stream.read()
                    mtime = Path(target).stat().st_mtime
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() == entry.get("output"):
                outputs[fmt] = Output(data, entry["inputs"], mtime)
        if len(outputs) == len(formats):
            break
    return outputs


def _inputs(path: Path) -> list[Path]:
    """The files a valid brief's outputs depend on, and the folders that could gain one
    (a new layout file, a new edition snapshot changes its folder's stats)."""
    try:
        loaded = load_brief(path)
        layout = resolve_layout(loaded, None)
    except (ContentError, BuildError):  # edited meanwhile: the next request builds again
        return coarse_inputs(path)
    folder = path if path.is_dir() else path.parent
    files = {p.resolve() for p in input_files(loaded, layout)}
    folders = {p.parent for p in files} | {folder.resolve(), layout.folder.resolve()}
    return sorted(files | folders)
