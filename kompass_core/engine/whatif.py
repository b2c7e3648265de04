"""What-if: how much would a change of points move the area and the total?

Evaluators ask "what would raise this score?"; a change such as
``3.2=+5`` (add), ``3.2=-2`` (remove) or ``3.2=17`` (set) is applied to the
evaluation's given points and the evaluation is scored again, so the answer
respects every rule (maxima, agreement with a given area, weighting).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import attrs

from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation, evaluation_keys
from kompass_core.model.points import Points, from_text, not_points, plain

_CHANGE = re.compile(r"(?P<key>\d+(?:\.\d+)*)=(?P<sign>[+-]?)(?P<amount>\d+(?:\.\d+)?)")


@attrs.frozen
class Change:
    """One what-if change: ``relative`` adds ``amount`` (which may be negative)."""

    key: str
    amount: Points
    relative: bool

    def __str__(self) -> str:
        sign = "+" if self.relative and self.amount >= 0 else ""
        return f"{self.key}={sign}{plain(self.amount)}"


def parse_change(text: str) -> Change:
    """``3.2=+5`` -> add 5 to 3.2; ``3.2=17`` -> set 3.2 to 17."""
    match = _CHANGE.fullmatch(text.strip())
    if not match:
        raise InputError(f"invalid what-if {text!r}: expected KEY=+N, KEY=-N or KEY=N, "
                         "e.g. 3.2=+5")
    try:
        amount = from_text(match["amount"])
    except ValueError:
        raise InputError(f"invalid what-if {text[:40]!r}: {not_points(Decimal(match['amount']))}"
                         ) from None
    sign = match["sign"]
    return Change(match["key"], -amount if sign == "-" else amount, bool(sign))


def apply_changes(evaluation: Evaluation, changes: Iterable[Change]) -> Evaluation:
    """The evaluation with ``changes`` applied to its given points."""
    points = dict(evaluation.points)
    for change in changes:
        if change.relative:
            if change.key not in points:
                instead = Change(change.key, max(change.amount, -change.amount), False)
                raise InputError(Problem(f"has no points to change by {change}; "
                                         f"set it instead, e.g. {instead}",
                                         keys=evaluation_keys(change.key)))
            points[change.key] = points[change.key] + change.amount
        else:
            points[change.key] = change.amount
    return attrs.evolve(evaluation, points=points)
