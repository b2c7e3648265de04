"""Comparing score cards on one rule set: changes as intervals, honestly labelled.

The change between two scores ``[a, b]`` and ``[c, d]`` is the interval
``[c - b, d - a]``. A change is only judged where both cards crossed the
same uncalibrated steps (a shared, unknown offset cancels out); otherwise
the verdict says it cannot be judged, instead of printing a number that
looks precise and is not.
"""

from __future__ import annotations

import enum

import attrs

from kompass_core.model.card import Score, ScoreCard, Step
from kompass_core.model.points import Points


class Verdict(enum.Enum):
    """What a change means, in words a council can use."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    WITHIN = "within the uncertainty"
    UNJUDGEABLE = "cannot be judged"


@attrs.frozen
class Difference:
    """How one criterion (or the total) changed from ``before`` to ``after``."""

    key: str
    before: Score
    after: Score
    low: Points
    high: Points
    verdict: Verdict


def uncalibrated_between(before: ScoreCard, after: ScoreCard) -> tuple[Step, ...]:
    """Uncalibrated steps that only one of the two cards crossed."""
    return tuple(sorted(set(before.uncalibrated) ^ set(after.uncalibrated)))


def compare_cards(before: ScoreCard, after: ScoreCard, keys: tuple[str, ...] | None = None
                  ) -> list[Difference]:
    """The change of every criterion in ``keys`` (default: every one) and the total."""
    if before.ruleset != after.ruleset:
        raise ValueError(f"cards must share a rule set: {before.ruleset} vs {after.ruleset}")
    blind = bool(uncalibrated_between(before, after))
    out = []
    for key in keys if keys is not None else before.keys:
        a, b = before[key], after[key]
        low, high = b.low - a.high, b.high - a.low
        if blind:
            verdict = Verdict.UNJUDGEABLE
        elif low > 0:
            verdict = Verdict.UP
        elif high < 0:
            verdict = Verdict.DOWN
        elif low == high == 0:
            verdict = Verdict.SAME
        else:
            verdict = Verdict.WITHIN
        out.append(Difference(key, a, b, low, high, verdict))
    return out
