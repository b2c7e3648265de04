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

MAX_DIGITS = 30
"""Most digits a whole number, or a decimal before and after its decimal point, may have.

Points are at most a few thousand; without a bound, making ``1e100000000``
(or a decimal with a million places) exact would take minutes.
"""

_WHOLE = 10**MAX_DIGITS


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
    """Exact points from a parsed TOML/JSON number, or None if not a number of points.

    Accepts ``int`` (not ``bool``) of at most :data:`MAX_DIGITS` digits, and
    finite :class:`~decimal.Decimal` and ``float`` (through its repr) with at
    most :data:`MAX_DIGITS` digits before and after the point (readers parse
    floats as Decimal, so ``12.5`` stays exactly 12.5).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -_WHOLE < value < _WHOLE else None
    if isinstance(value, float):
        value = Decimal(repr(value)) if math.isfinite(value) else None
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    places = -int(value.as_tuple().exponent)  # an int, as the value is finite
    if value.adjusted() >= MAX_DIGITS or places > MAX_DIGITS:
        return None
    numerator, denominator = value.as_integer_ratio()  # in lowest terms
    return numerator if denominator == 1 else Fraction(numerator, denominator)


def not_points(value: Decimal | float | int) -> str:
    """Why :func:`from_number` refuses a number, for the message callers show."""
    if isinstance(value, int):
        text = str(value)
        return (f"{text[:40]}{'...' if len(text) > 40 else ''} has more than {MAX_DIGITS} "
                "digits")
    if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
        return f"{value} is not a finite number"
    return f"{value} has more than {MAX_DIGITS} digits before or after its decimal point"


FRACTION_DIGITS = 2 * MAX_DIGITS
"""Most digits of a fraction's numerator, and of its denominator: as many as the exact
fraction of any decimal :data:`MAX_DIGITS` allows, so every such decimal written as a
fraction (``"25/2"``, as cards and exports write points) reads back, while sums of many
fractions with huge denominators (minutes of work) cannot be asked for."""


def from_text(text: str) -> Points:
    """Exact points from text: ``"499"``, ``"12.5"``, ``"997/2"``.

    Decimals are checked as by :func:`from_number`; a fraction's numerator
    and denominator are plain digits (a sign before the numerator), at most
    :data:`FRACTION_DIGITS` each. Raises ValueError (or ZeroDivisionError,
    for ``n/0``) if ``text`` is not a number of points.
    """
    if "/" in text:
        numerator, _, denominator = text.strip().partition("/")
        digits = numerator.removeprefix("-").removeprefix("+")
        if not all(part.isascii() and part.isdigit() and len(part) <= FRACTION_DIGITS
                   for part in (digits, denominator)):
            raise ValueError(f"not a number of points: {text[:40]!r}")
        return exact(Fraction(int(numerator), int(denominator)))
    try:
        value = from_number(Decimal(text))
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        value = None
    if value is None:
        raise ValueError(f"not a number of points: {text[:40]!r}")
    return value


def to_text(value: Points) -> str:
    """Canonical exact text: an integer, or ``numerator/denominator``.

    Every number read is bounded, but an average of many fractions with
    unlike denominators can pass the 4300 digits to which Python's ``str``
    guards an int; :class:`~decimal.Decimal` writes it all the same.
    """
    try:
        return str(value)
    except ValueError:
        if isinstance(value, int):
            return str(Decimal(value))
        return f"{Decimal(value.numerator)}/{Decimal(value.denominator)}"


def plain(value: Points) -> str:
    """Exact text for messages: ``100.5`` where a decimal is exact, else ``1/3``."""
    if isinstance(value, int):
        return to_text(value)
    d = value.denominator
    places = 0
    while d % 10 == 0 or d % 2 == 0 or d % 5 == 0:
        for f in (10, 2, 5):
            if d % f == 0:
                d //= f
                break
        places += 1
    if d != 1 or places > 12:
        return to_text(value)
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

    @property
    def exact_places(self) -> int:
        """Most decimals a value may need to be shown exactly: ``max(places, 1)``."""
        return max(self.places, 1)

    def shown(self, value: Points) -> Points:
        """The number :meth:`show` writes for ``value``, exactly.

        ``value`` itself when its decimal form needs at most :attr:`exact_places`
        decimals (so a half shows as ``.5`` under whole-point rounding), else
        ``value`` rounded by this rule.
        """
        if _decimals(value, self.exact_places) is not None:
            return value
        return exact(self.round(value))

    def show(self, value: Points, comma: bool = False) -> str:
        """``value`` as text for people by the one display rule (docs/formats.md, Numbers).

        Exact when its decimal form needs at most :attr:`exact_places` decimals
        (``9.5``), else rounded to :attr:`places` decimals by :attr:`mode`;
        at least :attr:`places` decimals are written. ``comma`` writes a decimal
        comma (Swedish, Norwegian and Danish text for people).
        """
        if type(value) is int and not self.places:  # whole points, most of every card
            return str(value)
        value = self.shown(value)
        places = max(self.places, _decimals(value, self.exact_places) or 0)
        sign = "-" if value < 0 else ""
        scaled = abs(Fraction(value)) * 10**places
        whole, frac = divmod(int(scaled), 10**places)
        text = f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
        return text.replace(".", ",") if comma else text


def _decimals(value: Points, most: int) -> int | None:
    """How many decimals ``value`` needs exactly, or None if more than ``most``."""
    scaled = Fraction(value)
    for places in range(most + 1):
        if scaled.denominator == 1:
            return places
        scaled *= 10
    return None


DECIMAL_COMMA = frozenset({"sv", "nb", "nn", "no", "da", "fi", "is"})
"""Languages whose text for people writes a decimal comma (``9,5``)."""


def comma(lang: str) -> bool:
    """True when text for people in ``lang`` writes a decimal comma."""
    return lang.split("-")[0].lower() in DECIMAL_COMMA
