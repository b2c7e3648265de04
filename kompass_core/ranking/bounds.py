"""Exact best and worst ranks from score intervals, without sampling.

A partial evaluation (or a result carried across rule sets with a band) has
a total known only as an interval; each municipality's total may be
anywhere in its own interval, independently of the others. Ranks follow
the store's rule (:func:`kompass_core.store.stats.rank`): equal totals share
a rank, and the rank is one more than the number of totals strictly higher
("1, 1, 3"). Under that rule the extremes are exact and need no sampling:

- best rank of *i* = 1 + #{j != i : low_j > high_i} (i at its high, every
  other at its low; those still ahead are ahead in every completion);
- worst rank of *i* = 1 + #{j != i : high_j > low_i} (i at its low, every
  other at its high; a tie at ``high_j == low_i`` shares i's rank).

Both are attained by a completion, so they are the bounds, not estimates.
Pure Python with exact points: this runs without numpy.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction

from kompass_core.model.points import Points


def rank_bounds(intervals: Sequence[tuple[Points, Points]]) -> list[tuple[int, int]]:
    """The exact (best, worst) rank of each ``(low, high)`` total, in the order given.

    ``O(n log n)``: two sorted lists and a binary search per municipality.
    """
    for low, high in intervals:
        if low > high:
            raise ValueError(f"interval {low} to {high} is empty")
    lows = sorted(Fraction(low) for low, _ in intervals)
    highs = sorted(Fraction(high) for _, high in intervals)
    n = len(intervals)
    out = []
    for low, high in intervals:
        best = 1 + n - bisect_right(lows, Fraction(high))  # low_i <= high_i: i is not counted
        worst = 1 + n - bisect_right(highs, Fraction(low)) - (high > low)  # i itself if open
        out.append((best, worst))
    return out


def competition_ranks(totals: Sequence[Points | Fraction]) -> list[int]:
    """Each total's rank, 1 + the number of totals strictly higher (ties share a rank)."""
    ordered = sorted(map(Fraction, totals))
    return [1 + len(ordered) - bisect_right(ordered, Fraction(t)) for t in totals]


def nominal_ranks(intervals: Sequence[tuple[Points, Points]]) -> list[int]:
    """Ranks by the middle of each interval: the exact total where it is known."""
    return competition_ranks([(Fraction(low) + Fraction(high)) / 2 for low, high in intervals])
