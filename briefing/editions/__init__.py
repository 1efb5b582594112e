"""Editions: released snapshots of a brief, and what changed between two editions.

`snapshot` reads and writes the frozen, normalised copies that `briefing
release` keeps in `<brief folder>/editions/<N>.yaml`; `changes` compares two
content models into pure data (no format knowledge) that the template, the
`diff` command and the redline DOCX all render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.load.brief import LoadedBrief
from briefing.load.snapshots import previous_release, releases_of

if TYPE_CHECKING:
    from briefing.model.changes import EditionDiff


def what_changed(loaded: LoadedBrief) -> EditionDiff | None:
    """The changes since the latest release before this brief's edition, or None when
    no earlier edition was released (the 'What changed' section of its outputs)."""
    base = previous_release(releases_of(loaded), loaded.brief.edition)
    if base is None:
        return None
    from briefing.model.changes import diff_editions  # only when there is an edition to compare

    return diff_editions(base.brief, base.number, base.date, loaded.brief, working=True)


__all__ = ["what_changed"]
