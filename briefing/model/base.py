"""What every model shares, and the review settings a layout holds too: the part of
the content model that loading a layout needs, without the brief's own models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReviewSettings(Strict):
    """Which review rules run (codes or code prefixes such as 'BR1')."""

    select: list[str] = Field(default_factory=list, description="only these; empty: all")
    ignore: list[str] = Field(default_factory=list, description="never these")
