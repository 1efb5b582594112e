"""A key judgment's likelihood and confidence as bars, and what they say in words: one
drawing for every format that shows them as an image (the Typst PDF, the HTML)."""

from __future__ import annotations

from briefing.compose import tree as t
from briefing.model.vocab import LIKELIHOOD_BANDS

CONFIDENCE = ("low", "moderate", "high")  # as the bars show them, left to right


def scale_alt(node: t.KeyJudgment) -> str:
    """What the likelihood and confidence bars say, for a screen reader."""
    confidence = f"confidence: {node.confidence}"
    if node.likelihood and node.likelihood_range:
        low, high = node.likelihood_range
        return f"Likelihood: {node.likelihood}, {low}–{high} %; {confidence}"
    return f"Statement of fact; {confidence}"


def scale_svg(node: t.KeyJudgment, palette) -> str:
    """Seven ICD 203 likelihood bands and three confidence levels as bars (SVG), as the
    ReportLab PDF draws them."""
    segment, gap, height = 9.0, 1.5, 5.0
    band = tuple(node.likelihood_range) if node.likelihood_range else None
    lit = [band == (low, high) for _, _, low, high in LIKELIHOOD_BANDS.values()]
    level = CONFIDENCE.index(node.confidence) if node.confidence in CONFIDENCE else -1
    rects, x = [], 0.0
    for i, on in enumerate([*lit, *(i <= level for i in range(len(CONFIDENCE)))]):
        if i == len(lit):
            x += 6
        fill = palette.scale_on if on else palette.scale_off
        rects.append(f'<rect x="{x:g}" y="0" width="{segment:g}" height="{height:g}" '
                     f'fill="{fill}"/>')
        x += segment + gap
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x:g}" height="{height:g}" '
            f'viewBox="0 0 {x:g} {height:g}">{"".join(rects)}</svg>')
