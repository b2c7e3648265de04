"""Geometry of the report's charts, as numbers for an SVG template.

Only coordinates and short texts are computed here; the template writes the
SVG, so every piece of text (area names, values) passes through the
template's escaping. Two charts: the profile (radar), one spoke per area
from 0 at the centre to the area's max at the rim, and the bars, one per
area with the reference as a marker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import attrs

WIDTH = 640
HEIGHT = 440
CX = WIDTH / 2
CY = HEIGHT / 2
RADIUS = 150
RINGS = (0.2, 0.4, 0.6, 0.8, 1.0)
SHORT = 16
"""At most this many characters on one line of an axis name."""

_JOINS = re.compile(r",\s|\s(?:och|og|and|ja|&)\s|\s[-–—]\s|:\s", re.IGNORECASE)


def short_name(label: str) -> tuple[str, ...]:
    """An area's name short enough for a spoke: its label up to the first join, wrapped.

    Area labels join two ideas ("Offentlighet och demokrati", "Ledarskap,
    ansvar och delegation"); the first one names the area for a reader who
    has the full name in the table beside the chart. Two lines at most.
    """
    head = _JOINS.split(label.strip(), maxsplit=1)[0] or label
    lines: list[str] = []
    for word in head.split():
        if lines and len(lines[-1]) + 1 + len(word) <= SHORT:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], lines[1] + "…"]
    return tuple(lines)


BAR_NAME = 34
"""At most this many characters in a bar's name."""


def bar_name(key: str, label: str) -> str:
    """A bar's name: the key and the label, else the label up to its first join, cut if long.

    A bar has room for one line of about :data:`BAR_NAME` characters; two
    areas that begin alike ("The municipality as ...") must stay apart, so
    the name keeps as many words as fit.
    """
    name = f"{key} {' '.join(label.split())}"
    if len(name) <= BAR_NAME:
        return name
    name = f"{key} {_JOINS.split(label.strip(), maxsplit=1)[0] or label}"
    if len(name) <= BAR_NAME:
        return name
    cut = name[:BAR_NAME - 1].rsplit(" ", 1)[0]
    return cut + "…"


@attrs.frozen
class Axis:
    """One spoke of the chart: its line, its name and where the name goes."""

    key: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    lines: tuple[str, ...]


@attrs.frozen
class Value:
    """A number written beside a point of the chart."""

    x: float
    y: float
    text: str


@attrs.frozen
class Ring:
    """A ring of the scale, with the value it stands for written on the upward spoke."""

    points: str
    x: float
    y: float
    text: str


def _point(i: int, n: int, ratio: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return (round(CX + radius * ratio * math.cos(angle), 2),
            round(CY + radius * ratio * math.sin(angle), 2))


def axes(keys: Sequence[str], names: Sequence[tuple[str, ...]]) -> list[Axis]:
    """The spokes, clockwise from the top, one per area, each with its short name."""
    n = len(keys)
    out = []
    for i, (key, lines) in enumerate(zip(keys, names, strict=True)):
        x, y = _point(i, n, 1.0)
        lx, ly = _point(i, n, 1.12)
        anchor = "middle" if abs(lx - CX) < 1 else ("start" if lx > CX else "end")
        top = ly - 14 * (len(lines) - 1) if ly < CY - 1 else ly + 4
        out.append(Axis(key, x, y, lx, round(top, 2), anchor, lines))
    return out


def rings(texts: Sequence[str], n: int) -> list[Ring]:
    """The scale: one ring per :data:`RINGS` value, labelled between the last and first spoke.

    Halfway between two spokes, the labels stay clear of the values written
    at the points.
    """
    out = []
    for ring, text in zip(RINGS, texts, strict=True):
        x, y = _point(-1, 2 * n, ring)  # half a spoke before the first one
        out.append(Ring(polygon([ring] * n), x, y, text))
    return out


def values(ratios: Sequence[float], texts: Sequence[str]) -> list[Value]:
    """Each area's value, written just outside its point of the polygon."""
    n = len(ratios)
    return [Value(*_point(i, n, r + 0.07), text)
            for i, (r, text) in enumerate(zip(ratios, texts, strict=True))]


def polygon(ratios: Sequence[float]) -> str:
    """SVG points of a closed polygon through each axis at its ratio (0..1)."""
    n = len(ratios)
    return " ".join(f"{x},{y}" for x, y in (_point(i, n, r) for i, r in enumerate(ratios)))


def band(lows: Sequence[float], highs: Sequence[float]) -> str:
    """An SVG path filling the ring between the low and high polygons (even-odd)."""
    return f"M {polygon(highs)} Z M {polygon(lows)} Z"


BAR_WIDTH = 640
BAR_LEFT = 236
BAR_LENGTH = 340
BAR_ROW = 28


@attrs.frozen
class Bar:
    """One area's bar: its name, filled part, open part, markers and value, in pixels."""

    y: float
    name: str
    low: float
    high: float
    reference: float | None
    previous: float | None
    text: str


def bars(names: Sequence[str], lows: Sequence[float], highs: Sequence[float],
         references: Sequence[float | None], previous: Sequence[float | None],
         texts: Sequence[str]) -> list[Bar]:
    """The bar chart's rows, top to bottom; ratios (0..1) become lengths."""
    def length(ratio: float | None) -> float | None:
        return None if ratio is None else round(BAR_LEFT + BAR_LENGTH * ratio, 2)

    return [Bar(i * BAR_ROW, name, round(BAR_LENGTH * low, 2), round(BAR_LENGTH * high, 2),
                length(ref),
                length(before), text)
            for i, (name, low, high, ref, before, text) in enumerate(
                zip(names, lows, highs, references, previous, texts, strict=True))]
