"""`briefing release`: record the brief's current edition as published.

The brief must be valid and its edition a whole number. Its outputs are built
(or found up to date), and a snapshot of the content with their sha256 is
written to `editions/<N>.yaml`. Releasing an edition again with the same
content does nothing; with different content it is refused, and a snapshot
is never rewritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from briefing.build.pipeline import BuildError, build
from briefing.build.validate import validate
from briefing.core.findings import Finding
from briefing.core.terminal import display_path
from briefing.load.snapshots import (
    editions_dir,
    normalised,
    read_release,
    snapshot_text,
    write_once,
)
from briefing.model.changes import compare
from briefing.model.editions import edition_number
from briefing.render.registry import DEFAULT_FORMATS

EXIT_FAILED, EXIT_INVALID = 1, 2


class ReleaseRefused(Exception):
    """The edition cannot be released; `findings` say why, `exit_code` is 1 or 2."""

    def __init__(self, message: str, findings: list[Finding], exit_code: int):
        super().__init__(message)
        self.findings = findings
        self.exit_code = exit_code


@dataclass
class Released:
    """What a release did: the snapshot, the outputs' digests, or that it was done."""

    brief_id: str
    number: int
    snapshot: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    already: bool = False
    findings: list[Finding] = field(default_factory=list)


def release(path: Path, out_dir: Path, layout: str | None = None) -> Released:
    """Release the brief at `path`; raise ReleaseRefused if it cannot be."""
    validation = validate(path)
    if not validation.ok:
        raise ReleaseRefused("the brief is invalid; fix the errors above, then release",
                             validation.findings, EXIT_INVALID)
    loaded = validation.loaded
    brief = loaded.brief
    number = edition_number(brief.edition)
    if number is None:
        raise ReleaseRefused("nothing was released", [Finding(
            loaded.place("edition"), "error", f"edition '{brief.edition}' is not a whole "
            "number; `briefing release` records numbered editions (1, 2, 3 …)",
            rule="editions")], EXIT_INVALID)
    target = editions_dir(loaded.root) / f"{number}.yaml"
    if target.exists():
        released = read_release(target)
        if normalised(released.brief) == normalised(brief):
            return Released(brief.id, number, target, released.outputs, already=True,
                            findings=validation.findings)
        differences = _differences(released.brief, brief)
        raise ReleaseRefused("nothing was released", [Finding(
            loaded.place("edition"), "error", f"edition {number} was already released "
            f"({display_path(target)}) with different content ({differences}); "
            f"a released edition is never rewritten: set edition to {number + 1} and its "
            "date to release these changes", rule="editions")], EXIT_FAILED)
    try:
        result = build(path, out_dir, DEFAULT_FORMATS, layout)
    except BuildError as exc:
        raise ReleaseRefused(f"the outputs could not be built: {exc}", exc.findings,
                             EXIT_FAILED) from None
    outputs = {}
    for fmt in DEFAULT_FORMATS:
        output = out_dir / f"{brief.id}.{fmt}"
        outputs[fmt] = {"file": output.name,
                        "sha256": hashlib.sha256(output.read_bytes()).hexdigest()}
    try:
        write_once(target, snapshot_text(brief, number, outputs))
    except FileExistsError:
        raise ReleaseRefused("nothing was released", [Finding(
            loaded.place("edition"), "error", f"edition {number} was released by another "
            f"process meanwhile ({display_path(target)}); run release again to compare",
            rule="editions")], EXIT_FAILED) from None
    return Released(brief.id, number, target, outputs, findings=result.findings)


def _differences(old, new) -> str:
    """A short account of how two contents differ, for a refusal message."""
    summaries = [c.summary for c in compare(old, new)]
    if not summaries:
        return "text outside the judgments' wording, ratings and sources"
    more = f"; and {len(summaries) - 3} more" if len(summaries) > 3 else ""
    return "; ".join(summaries[:3]) + more
