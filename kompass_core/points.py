"""Exact points and the display rounding rule.

Points are kept exact as ``int`` or :class:`fractions.Fraction` (integral
fractions are normalised to ``int`` so the common all-integer case stays on
Python's fast integer arithmetic). Rounding happens only when a number is
shown, by the rule the rule set declares.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs

Points = int | Fraction
"""An exact number of points."""

RoundingMode = Literal["half-up", "half-even", "down", "up"]
ROUNDING_MODES: tuple[RoundingMode, ...] = ("half-up", "half-even", "down", "up")


def exact(value: Points) -> Points:
    """``value`` as an ``int`` when it is integral, else as a Fraction."""
    if type(value) is int:
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value.numerator)
    if isinstance(value, int):  # bool or int subclass: refuse silently widening
        raise TypeError(f"not a number of points: {value!r}")
    if isinstance(value, Fraction):
        return value
    raise TypeError(f"not a number of points: {value!r}")


def from_number(value: object) -> Points | None:
    """Exact points from a parsed TOML/JSON number, or None if not a number.

    Accepts ``int`` (not ``bool``) and finite :class:`~decimal.Decimal`
    (readers parse floats as Decimal, so ``12.5`` stays exactly 12.5).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return exact(Fraction(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return exact(Fraction(Decimal(repr(value))))
    return None


def from_text(text: str) -> Points:
    """Exact points from their canonical text (``"499"``, ``"997/2"``)."""
    return exact(Fraction(text))


def to_text(value: Points) -> str:
    """Canonical exact text: an integer, or ``numerator/denominator``."""
    return str(value)


def plain(value: Points) -> str:
    """Exact text for messages: ``100.5`` where a decimal is exact, else ``1/3``."""
    if isinstance(value, int):
        return str(value)
    d = value.denominator
    places = 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        for f in (10, 2, 5):
            if d % f == 0:
                d //= f
                break
        places += 1
    if d != 1 or places > 12:
        return str(value)
    scaled = abs(value) * 10**places
    whole, frac = divmod(int(scaled), 10**places)
    text = f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".")
    return ("-" if value < 0 else "") + text


@attrs.frozen
class Rounding:
    """How a rule set shows points: decimal places and the rounding mode."""

    places: int = attrs.field(default=0, validator=[attrs.validators.instance_of(int),
                                                    attrs.validators.ge(0),
                                                    attrs.validators.le(6)])
    mode: RoundingMode = attrs.field(default="half-up",
                                     validator=attrs.validators.in_(ROUNDING_MODES))

    def round(self, value: Points) -> Fraction:
        """``value`` rounded to ``places`` decimals, exactly."""
        scale = 10**self.places
        scaled = Fraction(value) * scale
        floor = math.floor(scaled)
        rest = scaled - floor
        if self.mode == "down":
            chosen = floor
        elif self.mode == "up":
            chosen = floor if rest == 0 else floor + 1
        elif rest != Fraction(1, 2):
            chosen = floor + (1 if rest > Fraction(1, 2) else 0)
        elif self.mode == "half-up":
            chosen = floor + 1
        else:  # half-even
            chosen = floor if floor % 2 == 0 else floor + 1
        return Fraction(chosen, scale)

    def show(self, value: Points) -> str:
        """``value`` as text for people, rounded by this rule."""
        rounded = self.round(value)
        if self.places == 0:
            return str(int(rounded))
        sign = "-" if rounded < 0 else ""
        scaled = abs(rounded) * 10**self.places
        whole, frac = divmod(int(scaled), 10**self.places)
        return f"{sign}{whole}.{frac:0{self.places}d}"
