"""The archived copy `briefing source add` writes: UTF-8 text, one paragraph a line.

Its first line is the header (`load.archive.HEADER`): what the text was taken from,
and that `para. N` is the N-th paragraph below it. Paragraphs are separated by a blank
line, which the review skips: it counts the non-empty lines after the header, so a
locator `para. N` points at the N-th paragraph of this file.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path, PurePosixPath

from briefing.core.confine import too_big
from briefing.core.limits import MAX_ARCHIVE_BYTES
from briefing.load.archive import HEADER, ArchiveError, locate_archive

from .extracted import Extracted, IngestError, clean

DEFAULT_FOLDER = "seeds"
_NUMBERED = re.compile(r"^(\d+)_")


def archive_folder(named: list[str], root: Path, project: Path) -> tuple[Path, str]:
    """Where the new copy goes, and that folder as `archive:` names it: the folder
    most of the brief's archived copies (`named`) are in, else the project's seeds/."""
    found: Counter[tuple[Path, str]] = Counter()
    for name in named:
        try:
            path = locate_archive(root, name, project)
        except ArchiveError:
            continue
        if path is not None:
            found[(path.parent, str(PurePosixPath(name).parent))] += 1
    if found:
        return found.most_common(1)[0][0]
    return project / DEFAULT_FOLDER, DEFAULT_FOLDER


def file_name(folder: Path, digest: str) -> str:
    """NNN_<first 16 hex digits of the file's sha256>.txt, NNN one more than the
    highest number in the folder (as the seeds are named)."""
    numbers = [int(m.group(1)) for p in (folder.iterdir() if folder.is_dir() else ())
               if (m := _NUMBERED.match(p.name))]
    return f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}.txt"


def archive_text(extracted: Extracted, source_name: str, digest: str) -> bytes:
    """The archived copy's bytes; IngestError when they are over MAX_ARCHIVE_BYTES."""
    header = (f"{HEADER} the text of {extracted.kind} file {clean(source_name)} (sha256 "
              f"{digest[:16]}…), one paragraph a line; 'para. N' is the N-th non-empty "
              "line below this one")
    data = (header + "\n\n" + "\n\n".join(extracted.paragraphs) + "\n").encode("utf-8")
    if len(data) > MAX_ARCHIVE_BYTES:
        raise IngestError(too_big(f"the text of {source_name}", len(data), MAX_ARCHIVE_BYTES,
                                  "MAX_ARCHIVE_BYTES") + ", which the review could not read")
    return data
