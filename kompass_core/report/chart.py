"""Geometry of the profile (radar) chart, as numbers for an SVG template.

Only coordinates are computed here; the template writes the SVG, so every
piece of text (area labels) passes through the template's escaping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 150
RINGS = (0.2, 0.4, 0.6, 0.8, 1.0)


@attrs.frozen
class Axis:
    """One spoke of the chart: its line and where its label goes."""

    key: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


def _point(i: int, n: int, ratio: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return (round(CENTRE + RADIUS * ratio * math.cos(angle), 2),
            round(CENTRE + RADIUS * ratio * math.sin(angle), 2))


def axes(keys: Sequence[str]) -> list[Axis]:
    """The spokes, clockwise from the top, one per area."""
    n = len(keys)
    out = []
    for i, key in enumerate(keys):
        x, y = _point(i, n, 1.0)
        lx, ly = _point(i, n, 1.13)
        anchor = "middle" if abs(lx - CENTRE) < 1 else ("start" if lx > CENTRE else "end")
        out.append(Axis(key, x, y, lx, ly + 4, anchor))
    return out


def polygon(ratios: Sequence[float]) -> str:
    """SVG points of a closed polygon through each axis at its ratio (0..1)."""
    n = len(ratios)
    return " ".join(f"{x},{y}" for x, y in (_point(i, n, r) for i, r in enumerate(ratios)))


def band(lows: Sequence[float], highs: Sequence[float]) -> str:
    """An SVG path filling the ring between the low and high polygons (even-odd)."""
    return f"M {polygon(highs)} Z M {polygon(lows)} Z"

