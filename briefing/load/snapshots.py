"""Released editions: frozen, normalised snapshots in `<brief folder>/editions/<N>.yaml`.

A snapshot holds the content model as `briefing` read it (every field, in the
model's order, dates as ISO text), the edition's number and date, and the
sha256 of each output built from it. It is written once and never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from briefing.core.commit import locked, remove_temps
from briefing.core.findings import ContentError, Finding, Place
from briefing.core.terminal import display_path
from briefing.core.testhook import pause_at
from briefing.model import Brief
from briefing.model.editions import edition_number, long_date

from .brief import LoadedBrief
from .yamlpos import Located, load_yaml

if TYPE_CHECKING:
    from briefing.model.changes import EditionDiff

EDITIONS_DIR = "editions"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Release:
    """One released edition read back from its snapshot."""

    number: int
    date: dt.date
    brief: Brief
    outputs: dict[str, dict[str, str]]
    path: Path

    @property
    def label(self) -> str:
        return f"edition {self.number} ({long_date(self.date)})"


def editions_dir(root: Path) -> Path:
    """Where the snapshots of the brief kept in folder `root` live."""
    return root / EDITIONS_DIR


def normalised(brief: Brief) -> dict:
    """The content model as plain data: every set field in the model's order."""
    return brief.model_dump(mode="json", exclude_none=True)


def content_digest(content: dict) -> str:
    """sha256 of normalised content, which a snapshot records to show it is unedited."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_text(brief: Brief, number: int, outputs: dict[str, dict[str, str]]) -> str:
    """The YAML text of the snapshot of `brief` released as edition `number`."""
    content = normalised(brief)
    data = {"snapshot": FORMAT_VERSION, "edition": number, "date": brief.date.isoformat(),
            "content_sha256": content_digest(content), "outputs": outputs,
            "brief": content}
    head = (f"# Edition {number} of '{brief.id}' as released by `briefing release`.\n"
            "# Never edit this file: a released edition is frozen; `briefing diff` and the\n"
            "# brief's 'What changed' section compare later editions with it.\n")
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def read_release(path: Path) -> Release:
    """Read one snapshot; raise ContentError (located at the file) if it is damaged."""
    display = display_path(path)
    located = load_yaml(path, display)
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("brief"), dict):
        raise ContentError([Finding(Place(display), "error", "not a snapshot written by "
                                    "`briefing release` (no 'brief' mapping)", rule="BR621")])
    try:
        brief = Brief.model_validate(data["brief"])
        number = int(data.get("edition", brief.edition))
        date = dt.date.fromisoformat(str(data.get("date", brief.date)))
    except (ValidationError, ValueError, TypeError) as exc:
        reason, path_in = str(exc).splitlines()[0], ("brief",)
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            reason = f"{where}: {first['msg']}" if where else first["msg"]
            path_in = ("brief", *first["loc"])
        raise ContentError([Finding(located.place(path_in) or Place(display), "error",
                                    f"released snapshot cannot be read: {reason}",
                                    rule="BR621")]) from None
    recorded = data.get("content_sha256")
    if recorded is not None and recorded != content_digest(data["brief"]):
        raise ContentError([Finding(located.place(("brief",)) or Place(display), "error",
                                    "released snapshot was edited after its release (its "
                                    "content no longer matches its content_sha256); a "
                                    "released edition is frozen: restore the file (e.g. "
                                    "from git)", rule="BR621")])
    outputs = data.get("outputs") if isinstance(data.get("outputs"), dict) else {}
    return Release(number, date, brief, outputs, path)


def snapshot_files(root: Path) -> list[Path]:
    """The snapshot files beside the brief in `root`, whatever their names."""
    folder = editions_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_releases(root: Path, brief_id: str) -> tuple[list[Release], list[Finding]]:
    """Every released edition of brief `brief_id` kept in `root`, oldest first, and a
    finding for each snapshot that cannot be read or does not belong there."""
    releases: list[Release] = []
    findings: list[Finding] = []
    for path in snapshot_files(root):
        place = Place(display_path(path))
        try:
            release = read_release(path)
        except ContentError as exc:
            findings.extend(exc.findings)
            continue
        if release.brief.id != brief_id:
            findings.append(Finding(place, "error", f"snapshot of brief '{release.brief.id}' "
                                    f"in the editions of '{brief_id}'; keep each brief in a "
                                    "folder of its own", rule="BR621"))
        elif path.stem != str(release.number):
            findings.append(Finding(place, "error", f"snapshot of edition {release.number} "
                                    f"is named {path.name}; expected {release.number}.yaml",
                                    rule="BR621"))
        else:
            releases.append(release)
    return sorted(releases, key=lambda r: r.number), findings


def releases_of(loaded: LoadedBrief) -> list[Release]:
    """The readable released editions of a loaded brief, oldest first."""
    return read_releases(loaded.root, loaded.brief.id)[0]


def previous_release(releases: list[Release], edition: str) -> Release | None:
    """The latest release before `edition` (what its 'What changed' section compares to)."""
    number = edition_number(edition)
    if number is None:
        return None
    earlier = [r for r in releases if r.number < number]
    return earlier[-1] if earlier else None


def as_loaded(release: Release, root: Path) -> LoadedBrief:
    """A released edition in the shape compose takes (positions point at the snapshot)."""
    located = Located(normalised(release.brief))
    located.values[()] = Place(display_path(release.path))
    return LoadedBrief(release.brief, located, (release.path,), root)


def write_once(target: Path, text: str) -> None:
    """Write `text` to `target`, which must not exist: a temporary file, then a hard
    link (which fails rather than replace a file another release wrote meanwhile).
    What a release killed before the link left is removed first (under a lock on the
    editions folder, so no running release's file is touched)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target.parent):
        remove_temps(target.parent, [target.name])
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o444)
            pause_at("snapshot")
            os.link(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)


def what_changed(loaded: LoadedBrief) -> EditionDiff | None:
    """The changes since the latest release before this brief's edition, or None when
    no earlier edition was released (the 'What changed' section of its outputs)."""
    base = previous_release(releases_of(loaded), loaded.brief.edition)
    if base is None:
        return None
    from briefing.model.changes import diff_editions  # only when there is an edition to compare

    return diff_editions(base.brief, base.number, base.date, loaded.brief, working=True)
