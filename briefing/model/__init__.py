"""The content model of a brief (pydantic v2; unknown fields are errors everywhere).

Field names and vocabularies follow TRADECRAFT.md: ICD 203 likelihood and
confidence, the Admiralty code for sources and evidence, TLP 2.0 or an ordered
classification scheme for markings. Sources are shaped so that CSL-JSON can be
produced from them without loss.

The models live in `briefing.model.brief`, and what every model shares in
`briefing.model.base`; `from briefing.model import Brief` finds them here, importing
the brief's models only when first asked for (a layout needs only the base, and a
build that renders a remembered document no brief model at all).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from .base import ReviewSettings, Strict

__all__ = ["ReviewSettings", "Strict"]

# The package's modules: `from briefing.model import vocab` imports the module itself.
_MODULES = frozenset(p.stem for p in Path(__file__).parent.glob("*.py"))


def __getattr__(name: str) -> Any:
    """A name of `briefing.model.brief`, imported on first use (PEP 562)."""
    if name.startswith("__") or name in _MODULES:
        raise AttributeError(name)  # the import system then imports the module
    return getattr(import_module(f"{__name__}.brief"), name)
