"""An evaluation: the points and notes evaluators gave one municipality."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from fractions import Fraction

import attrs

from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef


def _freeze_map(value: Mapping[str, object]) -> dict[str, object]:
    return dict(value)


@attrs.frozen
class Municipality:
    """Who was evaluated: name, official code (e.g. ``0114``), country (ISO 3166)."""

    name: str
    code: str | None = None
    country: str | None = None


@attrs.frozen
class AreaNotes:
    """What the evaluators wrote about one area, in the report's four lists."""

    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    references: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.strengths or self.improvements or self.weaknesses or self.references)


NOTE_KINDS = ("strengths", "improvements", "weaknesses", "references")


def _exact_points(points: Mapping[str, object]) -> dict[str, Points]:
    """Points as exact numbers, integral ones as int: checked once so scoring can trust them."""
    out = dict(points)
    for key, value in out.items():
        if type(value) is Fraction:
            if value.denominator == 1:
                out[key] = int(value.numerator)
        elif type(value) is not int:
            raise TypeError(f"points for {key!r} must be int or Fraction, got {value!r}")
    return out  # type: ignore[return-value]


@attrs.frozen
class Evaluation:
    """Points given at any level (area, sub-area or question) plus notes.

    ``points`` maps criterion keys (``"3"``, ``"3.2"``, ``"3.2.1"``) to exact
    points; what is missing is unscored, not zero. Whether the keys exist and
    the points fit is checked against the rule set when scoring.
    """

    ruleset: RuleSetRef
    municipality: Municipality
    date: datetime.date | None = None
    evaluators: tuple[str, ...] = ()
    points: Mapping[str, Points] = attrs.field(factory=dict, converter=_exact_points)
    notes: Mapping[str, AreaNotes] = attrs.field(factory=dict, converter=_freeze_map)
    comments: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze_map)


_LEVEL_TABLES = ("areas", "subareas", "questions")


def evaluation_keys(key: str) -> tuple[str, ...]:
    """Where criterion ``key`` sits in an evaluation file.

    ``"3.2"`` -> ``("areas", "3", "subareas", "3.2")``, so that errors name
    the key path a user sees in their TOML or JSON.
    """
    if key == "total":
        return ("total",)
    parts = key.split(".")
    out: list[str] = []
    for depth in range(1, len(parts) + 1):
        table = _LEVEL_TABLES[depth - 1] if depth <= len(_LEVEL_TABLES) else "children"
        out += [table, ".".join(parts[:depth])]
    return tuple(out)
