"""Scoring with not-applicable items: the general path that removes them from the maximum.

Kept apart from :mod:`kompass_core.engine.scoring` so that evaluations
without statuses (nearly all) keep the compiled fast path untouched. One
pass over the plan, children before parents: a not-applicable item (and all
below it) scores 0 of 0; its parent either loses its max (``shrink``,
which carries up to the total) or keeps its max and scales its points by
``max / (max - removed)`` (``rescale``), in exact Fractions. A parent all of
whose children are not applicable is not applicable itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from kompass_core.engine.fit import misfit, norm, problem_order
from kompass_core.engine.plan import Plan
from kompass_core.model.card import Provenance
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Status, evaluation_keys
from kompass_core.model.points import Points
from kompass_core.model.ruleset import RuleSet

_NA = Status.NOT_APPLICABLE
_Arrays = tuple[tuple[Points, ...], tuple[Points, ...], tuple[Points, ...],
                tuple[Provenance, ...]]


def status_walk(plan: Plan, points: Mapping[str, Points], status: Mapping[str, Status],
                ruleset: RuleSet) -> _Arrays:
    """Maxima, lows, highs and provenance of every criterion with not-applicable items removed.

    Raises :class:`InputError` for unknown keys, a not-applicable item the
    rule set forbids, points at or below a not-applicable item, and points
    that do not fit, each with its key path.
    """
    keys, maxes, parents, facs, leaf = plan.keys, plan.maxes, plan.parents, plan.factors, plan.leaf
    rule = ruleset.missing.not_applicable
    problems = [Problem(f"no criterion {k!r} in {ruleset.ref}", keys=evaluation_keys(k))
                for k in sorted((points.keys() | status.keys()) - plan.index.keys())]
    n = len(keys)
    gone = [False] * n
    for i in range(n):  # parents first
        p = parents[i]
        gone[i] = status.get(keys[i]) is _NA or (p >= 0 and gone[p])
        if status.get(keys[i]) is _NA and rule == "forbidden":
            problems.append(Problem(f"{ruleset.ref} does not allow not-applicable items "
                                    "(its [missing] not_applicable is forbidden)",
                                    keys=(*evaluation_keys(keys[i]), "status")))
        elif gone[i] and keys[i] in points:
            problems.append(Problem("points under a not-applicable item",
                                    keys=(*evaluation_keys(keys[i]), "points")))
    acc_lo: list[Points] = [0] * n
    acc_hi: list[Points] = [0] * n
    removed: list[Points] = [0] * n
    touched = [False] * n
    eff: list[Points] = list(maxes)
    lows: list[Points] = [0] * n
    highs: list[Points] = [0] * n
    prov = [Provenance.UNSCORED] * n
    lo: Points
    hi: Points
    for i in range(n - 1, -1, -1):
        p, f, m = parents[i], facs[i], maxes[i]
        if not gone[i] and not leaf[i] and removed[i] >= m:
            gone[i] = True  # nothing below applies
        if gone[i]:
            eff[i], prov[i] = 0, Provenance.NOT_APPLICABLE
            if p >= 0 and not gone[p]:
                removed[p] += f * m
            continue
        if leaf[i]:
            lo, hi = 0, m
        else:
            lo, hi, r = acc_lo[i], acc_hi[i], removed[i]
            if r and rule == "rescale":
                scale = Fraction(m) / (m - r)
                lo, hi = lo * scale, hi * scale
            elif r:
                m = eff[i] = m - r
        t = touched[i]
        g = points.get(keys[i])
        if g is not None:
            why = misfit(g, m, lo, hi, plan.levels[i])
            if why:
                problems.append(Problem(why, keys=evaluation_keys(keys[i])))
            else:
                lo = hi = g
                t = True
                prov[i] = Provenance.GIVEN
        if t and prov[i] is not Provenance.GIVEN:
            prov[i] = Provenance.COMPUTED if lo == hi else Provenance.PARTIAL
        lows[i], highs[i] = lo, hi
        if p >= 0:
            acc_lo[p] += f * lo
            acc_hi[p] += f * hi
            if m != maxes[i]:
                removed[p] += f * (maxes[i] - m)
            if t:
                touched[p] = True
    if problems:
        raise InputError(sorted(problems, key=lambda pr: problem_order(plan, pr)))
    return norm(eff), norm(lows), norm(highs), tuple(prov)

