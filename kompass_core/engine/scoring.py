"""Scoring: an evaluation against a rule set gives a score card of intervals.

Every score is an exact interval ``[low, high]`` out of ``max``: an unscored
question contributes ``[0, max]``, so a half-finished evaluation gets honest
bounds instead of a wrong number. Evaluations with not-applicable items take
the general path of :mod:`kompass_core.engine.missing`. The rule set is compiled once per
weighting into flat arrays (a :class:`Plan`). Points on leaves under unit
factors are summed by prefix sums over those arrays; anything else (points
on parents, other factors, problems to word) takes one pass over them,
children before parents. The card keeps the arrays and builds
:class:`Score` objects only when asked, which keeps bulk scoring close to the
cost of summing plain dictionaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import accumulate
from operator import gt, sub

from kompass_core.engine.fit import misfit, norm, problem_order
from kompass_core.engine.missing import status_walk
from kompass_core.engine.plan import Plan
from kompass_core.engine.weighting import Weighting
from kompass_core.model.card import TOTAL, Provenance, ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation, Status, evaluation_keys
from kompass_core.model.points import Points
from kompass_core.model.ruleset import Level, RuleSet, WeightingSpec

_GIVEN, _COMPUTED, _PARTIAL, _UNSCORED = (Provenance.GIVEN, Provenance.COMPUTED,
                                          Provenance.PARTIAL, Provenance.UNSCORED)
_NO_KEYS: frozenset[str] = frozenset()


def score_with(evaluation: Evaluation, ruleset: RuleSet, model: Weighting,
               spec: WeightingSpec | None = None) -> ScoreCard:
    """Score ``evaluation`` against ``ruleset`` under weighting ``model``.

    ``spec`` defaults to the rule set's declared weighting when ``model``
    is the one it names, else to ``model`` without parameters. Raises
    :class:`InputError` listing every problem (unknown keys, points out of
    range, levels that disagree), each with its key path.
    """
    if spec is None:
        spec = ruleset.weighting if ruleset.weighting.name == model.name \
            else WeightingSpec(model.name)
    if evaluation.ruleset is not ruleset.ref and evaluation.ruleset != ruleset.ref:
        raise InputError(Problem(f"evaluation uses {evaluation.ruleset}, not {ruleset.ref}",
                                 keys=("ruleset",)))
    plan = Plan.cached(ruleset, model, spec)
    points = evaluation._lookup  # a plain dict: see Evaluation._lookup
    status = evaluation.status
    maxes = plan.maxes
    if status and Status.NOT_APPLICABLE in status.values():
        maxes, lows, highs, prov = status_walk(plan, points, status, ruleset)
    else:
        arrays = _leaf_sums(plan, points) if plan.unit else None
        lows, highs, prov = arrays or _tree_walk(plan, points, ruleset)
    if evaluation.notes or evaluation.comments or evaluation.stars or status:
        _check_remarks(evaluation, plan, ruleset)
    return ScoreCard(ruleset.ref, spec, evaluation.municipality, evaluation.date,
                     ruleset.rounding, plan.keys, plan.levels, maxes, lows, highs, prov,
                     withheld=frozenset(k for k, s in status.items() if s is Status.WITHHELD)
                     if status else _NO_KEYS,
                     coverage=ruleset.missing.coverage)


def _check_remarks(evaluation: Evaluation, plan: Plan, ruleset: RuleSet) -> None:
    """Notes, comments and gold stars stand at criteria of the rule set, as points must: a
    note for area 99 would otherwise be carried silently and shown nowhere."""
    problems = [Problem(f"no criterion {k!r} in {ruleset.ref}", keys=evaluation_keys(k))
                for k in sorted({*evaluation.notes, *evaluation.comments, *evaluation.status})
                if k not in plan.index]
    problems += [Problem(f"a gold star on {s.key!r}, which is no criterion of {ruleset.ref}",
                         keys=(*evaluation_keys(s.key), "gold_stars" if s.practice
                               else "gold_star"))
                 for s in evaluation.stars if s.key not in plan.index]
    problems += [Problem(f"notes are kept per area; {k!r} is not an area of {ruleset.ref}",
                         keys=evaluation_keys(k)) for k in sorted(evaluation.notes)
                 if k in plan.index and plan.levels[plan.index[k]] is not Level.AREA]
    if problems:
        raise InputError(sorted(problems, key=lambda pr: problem_order(plan, pr)))


_Arrays = tuple[tuple[Points, ...], tuple[Points, ...], tuple[Provenance, ...]]


def _leaf_sums(plan: Plan, points: Mapping[str, Points]) -> _Arrays | None:
    """The fast path: points only on leaves (and the total, if every leaf has points), in range.

    Leaves left unscored go to :func:`_partial_sums`. Returns None when
    anything else does not hold, so that :func:`_tree_walk` scores the
    evaluation (and words any problem).
    """
    try:
        full = plan.pick_leaves(points)
    except KeyError:
        return _partial_sums(plan, points)
    total = None
    if len(full) != len(points):
        total = points.get(TOTAL)  # results tables give the areas and their total
        if total is None or len(full) + 1 != len(points):
            return None  # points on a parent, or on an unknown key
    # Evaluations hold integral points as int, so a Fraction never passes the set test
    if plan.small_points.issuperset(full):
        whole = True
    elif min(full) < 0 or any(map(gt, full, plan.leaf_maxes)):
        return None
    else:
        whole = Fraction not in set(map(type, full))
    lows = _spans(plan, full, whole)
    if total is None:
        return lows, lows, plan.complete_provenance
    if total != lows[0]:
        return None
    return lows, lows, plan.total_given_provenance


def _partial_sums(plan: Plan, points: Mapping[str, Points]) -> _Arrays | None:
    """The fast path when some leaves are unscored: each counts as ``[0, max]``."""
    values = list(map(points.get, plan.leaf_keys))
    given = len(values) - values.count(None)
    if given != len(points):
        return None
    lo = tuple(0 if v is None else v for v in values)
    hi = tuple(m if v is None else v for v, m in zip(values, plan.leaf_maxes, strict=True))
    if min(lo) < 0 or any(map(gt, hi, plan.leaf_maxes)):
        return None
    whole = plan.whole_maxes and Fraction not in set(map(type, values))
    lows, highs = _spans(plan, lo, whole), _spans(plan, hi, whole)
    count = _spans(plan, tuple(int(v is not None) for v in values), True)
    prov = tuple(
        (_GIVEN if is_leaf else _COMPUTED if low == high else _PARTIAL) if n else _UNSCORED
        for n, is_leaf, low, high in zip(count, plan.leaf, lows, highs, strict=True))
    return lows, highs, prov


def _spans(plan: Plan, leaf_values: tuple[Points, ...], whole: bool) -> tuple[Points, ...]:
    """Every criterion's sum over its leaves, in plan order.

    Parents are differences of prefix sums over the leaves; leaves are
    their own values; every loop runs in C (``accumulate``, ``map``,
    ``itemgetter``), which keeps bulk scoring close to summing plain dicts.
    ``whole`` says every value is an int, so no Fraction needs normalising.
    """
    prefix = [0, *accumulate(leaf_values)]
    ordered = plan.pick_order([*map(sub, plan.pick_ends(prefix), plan.pick_starts(prefix)),
                               *leaf_values])
    return ordered if whole else norm(ordered)


def _tree_walk(plan: Plan, points: Mapping[str, Points], ruleset: RuleSet) -> _Arrays:
    """The general path: one pass, children before parents, any level, any factors."""
    problems: list[Problem] = []
    unknown = points.keys() - plan.index.keys()
    if unknown:
        problems += [Problem(f"no criterion {k!r} in {ruleset.ref}", keys=evaluation_keys(k))
                     for k in sorted(unknown)]
    keys, maxes, parents, facs, leaf = plan.keys, plan.maxes, plan.parents, plan.factors, plan.leaf
    n = len(keys)
    acc_lo: list[Points] = [0] * n
    acc_hi: list[Points] = [0] * n
    touched = [False] * n
    lows: list[Points] = [0] * n
    highs: list[Points] = [0] * n
    prov: list[Provenance] = [_UNSCORED] * n
    lo: Points
    hi: Points
    for i in range(n - 1, -1, -1):
        m = maxes[i]
        if leaf[i]:
            lo, hi = 0, m
        else:
            lo, hi = acc_lo[i], acc_hi[i]
        t = touched[i]
        g = points.get(keys[i])
        if g is not None:
            why = misfit(g, m, lo, hi, plan.levels[i])
            if why:
                problems.append(Problem(why, keys=evaluation_keys(keys[i])))
            else:
                lo = hi = g
                t = True
                prov[i] = _GIVEN
        if t and prov[i] is not _GIVEN:
            prov[i] = _COMPUTED if lo == hi else _PARTIAL
        lows[i], highs[i] = lo, hi
        p = parents[i]
        if p >= 0:
            f = facs[i]
            if f == 1:
                acc_lo[p] += lo
                acc_hi[p] += hi
            else:
                acc_lo[p] += f * lo
                acc_hi[p] += f * hi
            if t:
                touched[p] = True
    if problems:
        raise InputError(sorted(problems, key=lambda pr: problem_order(plan, pr)))
    return norm(lows), norm(highs), tuple(prov)

