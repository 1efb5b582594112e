"""`--max-marking`: the highest marking a server may hand out.

A ceiling is a TLP label (TLP:CLEAR < TLP:GREEN < TLP:AMBER < TLP:AMBER+STRICT < TLP:RED)
or a level of a classification scheme (e.g. SECRET). A brief passes when its marking is
of the same kind and not above the ceiling; a marking that cannot be compared (another
scheme, a custom list of levels, an unreadable brief) is refused, and so is one with
dissemination controls (NOFORN, ORCON …), which a level alone cannot clear: refusing
is the safe mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.model.marks import scheme_levels
from briefing.model.vocab import CLASSIFICATION_SCHEMES, TLP_LABELS


class CeilingError(ValueError):
    """The label given to --max-marking is no known marking."""


@dataclass(frozen=True)
class Ceiling:
    label: str

    @classmethod
    def parse(cls, label: str) -> Ceiling:
        normal = " ".join(label.upper().split())
        if normal in TLP_LABELS or any(normal in _levels(s) for s in CLASSIFICATION_SCHEMES):
            return cls(normal)
        known = ", ".join([*TLP_LABELS, *dict.fromkeys(
            level for scheme in CLASSIFICATION_SCHEMES for level in _levels(scheme))])
        raise CeilingError(f"unknown marking '{label}'; use one of {known}")

    def allows(self, marking: str | None, scheme: str | None = None,
               controls: str | None = None) -> bool:
        """True when a brief marked `marking` (a TLP label, or a level of `scheme`) with
        no dissemination `controls` may go out."""
        if not marking or controls:
            return False
        marking = marking.upper()
        if self.label in TLP_LABELS or marking.startswith("TLP:"):
            return (marking in TLP_LABELS and self.label in TLP_LABELS
                    and TLP_LABELS.index(marking) <= TLP_LABELS.index(self.label))
        levels = _levels(scheme or "")
        return (marking in levels and self.label in levels
                and levels.index(marking) <= levels.index(self.label))


def _levels(scheme: str) -> list[str]:
    return scheme_levels(scheme) or []
