"""Why points given at a criterion do not fit it: one wording for every scoring path.

The compiled walk (:mod:`kompass_core.engine.scoring`) and the walk with
not-applicable items (:mod:`kompass_core.engine.missing`) check given
points the same way, so a user reads the same message whichever path
their evaluation took.
"""

from __future__ import annotations

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
