"""What both scoring walks share: the wording of misfit points, canonical numbers, problem order.

The compiled walk (:mod:`kompass_core.engine.scoring`) and the walk with
not-applicable items (:mod:`kompass_core.engine.missing`) check given
points the same way, so a user reads the same message, in the same order,
whichever path their evaluation took. The walks themselves stay two: the
one without statuses is the path of every area-level result (a results
table, `db import`) and runs in less than half the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kompass_core.engine.plan import Plan
from kompass_core.model.errors import Problem
from kompass_core.model.points import Points, plain
from kompass_core.model.ruleset import Level


def misfit(given: Points, top: Points, low: Points, high: Points, level: Level) -> str | None:
    """Why ``given`` points do not fit a criterion of ``level``, or None when they do.

    They must lie within 0 and the criterion's max ``top``, and within what
    the points below it allow (``low`` to ``high``).
    """
    if not 0 <= given <= top:
        return (f"{plain(given)} points exceeds max {plain(top)}" if given > top
                else f"{plain(given)} points is negative")
    if not low <= given <= high:
        child = level.child
        below = {Level.AREA: "areas", Level.SUBAREA: "sub-areas",
                 Level.QUESTION: "questions"}[child] if child else "children"
        sums = f"sum {plain(low)}" if low == high else \
            f"sum between {plain(low)} and {plain(high)}"
        return f"{plain(given)} points disagrees with its {below} ({sums})"
    return None


def norm(values: Sequence[Points]) -> tuple[Points, ...]:
    """Fractions that came out integral become ints (canonical, comparable)."""
    if Fraction not in set(map(type, values)):
        return tuple(values)
    return tuple(int(v) if type(v) is Fraction and v.denominator == 1 else v for v in values)


def problem_order(plan: Plan, problem: Problem) -> tuple[int, str]:
    """Problems in the rule set's order: by the deepest criterion their key path names."""
    key = next((k for k in reversed(problem.keys) if k in plan.index), "")
    return (plan.index.get(key, len(plan.keys)), problem.message)
