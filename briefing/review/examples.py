"""The example brief of `briefing rules` with a rule's example edits applied: text
replaced in brief.yaml, a file written beside it, or the brief released as it stands."""

from __future__ import annotations

import shutil
from pathlib import Path

from .rule import FILE, RELEASE, Edit

EXAMPLE = Path(__file__).with_name("example")


def example_brief(folder: Path, edits: tuple[Edit, ...]) -> Path:
    """A copy of the example brief in `folder` (new), with `edits` applied in order."""
    shutil.copytree(EXAMPLE, folder)
    target = folder / "brief.yaml"
    for old, new in edits:
        if old == RELEASE:
            release_as_it_stands(folder)
        elif old.startswith(FILE):
            path = folder / old.removeprefix(FILE)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, "utf-8")
        else:
            text = target.read_text("utf-8")
            if text.count(old) != 1:
                raise ValueError(f"{old!r} occurs {text.count(old)} times in the example")
            target.write_text(text.replace(old, new), "utf-8")
    return folder


def release_as_it_stands(folder: Path) -> None:
    """Record the brief in `folder` as it stands as a released edition, as `briefing
    release` does, but with no outputs built."""
    from briefing.load.brief import load_brief
    from briefing.load.snapshots import editions_dir, snapshot_text

    brief = load_brief(folder).brief
    target = editions_dir(folder) / f"{int(brief.edition)}.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(snapshot_text(brief, int(brief.edition), {}), "utf-8")
