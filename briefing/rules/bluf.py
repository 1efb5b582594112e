"""BR2xx the BLUF against the key judgments (ICD 203 standard 6)."""

from __future__ import annotations

RULES = ()
