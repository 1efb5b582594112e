"""Every judgment rests on evidence; every source is used; confidence fits its basis."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.core.findings import Finding
from briefing.load.brief import LoadedBrief
from briefing.model.inline import cited_keys

from .prose import prose_fields

WEAK_RELIABILITY = {"D", "E", "F"}


def check(loaded: LoadedBrief) -> Iterator[Finding]:
    brief = loaded.brief
    for i, kj in enumerate(brief.key_judgments):
        if not kj.evidence:
            yield Finding(loaded.place("key_judgments", i), "error",
                          f"key judgment '{kj.id}' has no evidence; every judgment needs "
                          "at least one item of evidence (ICD 203 standard 6)",
                          rule="coverage")
            continue
        sources = [brief.source(ev.source) for ev in kj.evidence]
        sources = [s for s in sources if s is not None]
        if kj.confidence == "high" and sources:
            distinct = {s.id for s in sources}
            if len(distinct) == 1:
                yield Finding(loaded.place("key_judgments", i, "confidence"), "warning",
                              f"key judgment '{kj.id}' is held with high confidence but "
                              f"rests on a single source ('{next(iter(distinct))}')",
                              rule="coverage")
            elif all(s.reliability in WEAK_RELIABILITY for s in sources):
                yield Finding(loaded.place("key_judgments", i, "confidence"), "warning",
                              f"key judgment '{kj.id}' is held with high confidence but "
                              "rests only on sources rated D-F", rule="coverage")

    used = {ev.source for _, ev in brief.evidence()}
    used |= {key for _, text in prose_fields(loaded) for key in cited_keys(text)}
    for i, src in enumerate(brief.sources):
        if src.id not in used:
            yield Finding(loaded.place("sources", i, "id"), "warning",
                          f"source '{src.id}' is never cited", rule="coverage")
