"""Scoring: an evaluation against a rule set gives a score card of intervals.

Every score is an exact interval ``[low, high]`` out of ``max``: an unscored
question contributes ``[0, max]``, so a half-finished evaluation gets honest
bounds instead of a wrong number. The rule set is compiled once per
weighting into flat arrays (a :class:`Plan`). Points on leaves under unit
factors are summed by prefix sums over those arrays; anything else (points
on parents, other factors, problems to word) takes one pass over them,
children before parents. The card keeps the arrays and builds
:class:`Score` objects only when asked, which keeps bulk scoring close to the
cost of summing plain dictionaries.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from itertools import accumulate
from operator import gt, itemgetter, sub
from typing import Any, cast

import attrs

from kompass_core.errors import InputError, Problem
from kompass_core.evaluation import Evaluation, Municipality, evaluation_keys
from kompass_core.points import Points, Rounding, plain
from kompass_core.refs import RuleSetRef
from kompass_core.ruleset import Level, RuleSet, WeightingSpec
from kompass_core.weighting import Weighting, factors

WHOLE_POINTS = Rounding()
TOTAL = "total"
"""The key of the total in a score card."""


def _check_interval(inst: Score, _attr: Any, _value: Any) -> None:
    if not 0 <= inst.low <= inst.high <= inst.max:
        raise ValueError(f"not 0 <= {inst.low} <= {inst.high} <= {inst.max}")


@attrs.frozen
class Score:
    """An exact closed interval of points, ``0 <= low <= high <= max``."""

    low: Points
    high: Points
    max: Points = attrs.field(validator=_check_interval)

    @property
    def exact(self) -> bool:
        """True when the score is known to the point (``low == high``)."""
        return self.low == self.high

    @property
    def width(self) -> Points:
        """How many points are still open."""
        return self.high - self.low

    def show(self, rounding: Rounding = WHOLE_POINTS) -> str:
        """``"499"`` or ``"470-520"``, rounded by ``rounding``."""
        low, high = rounding.show(self.low), rounding.show(self.high)
        return low if low == high and self.exact else f"{low}-{high}"


class Provenance(enum.Enum):
    """Where a score came from."""

    GIVEN = "given"  # the evaluation gives points here
    COMPUTED = "computed"  # aggregated from fully scored children
    PARTIAL = "partial"  # aggregated, but something below is unscored
    UNSCORED = "unscored"  # nothing given at or below this criterion
    MIGRATED = "migrated"  # carried over from another rule set by a migration


_GIVEN, _COMPUTED, _PARTIAL, _UNSCORED = (Provenance.GIVEN, Provenance.COMPUTED,
                                          Provenance.PARTIAL, Provenance.UNSCORED)


@attrs.frozen
class Entry:
    """One line of a score card."""

    key: str
    level: Level
    score: Score
    provenance: Provenance


@attrs.frozen(eq=False)
class Plan:
    """A rule set flattened for scoring under one weighting (parents first).

    Besides the per-criterion arrays it keeps the leaves in pre-order
    (``leaf_keys``): leaves under one parent are contiguous there, so with
    unit factors a parent's points are a difference of two prefix sums over
    the leaves. The ``pick_*`` callables are :func:`operator.itemgetter` over
    each parent's first and past-the-last leaf and over the criteria's order,
    so that the fast path runs its loops in C.
    """

    keys: tuple[str, ...]
    levels: tuple[Level, ...]
    maxes: tuple[Points, ...]
    parents: tuple[int, ...]
    factors: tuple[Points, ...]
    leaf: tuple[bool, ...]
    index: dict[str, int]
    leaf_keys: tuple[str, ...]
    leaf_maxes: tuple[Points, ...]
    whole_maxes: bool
    unit: bool
    complete_provenance: tuple[Provenance, ...]
    total_given_provenance: tuple[Provenance, ...]
    small_points: frozenset[int]
    pick_leaves: Callable[[Mapping[str, Points]], tuple[Points, ...]]
    pick_starts: Callable[[list[Points]], tuple[Points, ...]]
    pick_ends: Callable[[list[Points]], tuple[Points, ...]]
    pick_order: Callable[[list[Points]], tuple[Points, ...]]

    @classmethod
    def cached(cls, ruleset: RuleSet, model: Weighting, spec: WeightingSpec) -> Plan:
        """The plan for this rule set and weighting, compiled once and kept on the rule set.

        The last plan asked for is also kept by the identity of its three
        inputs, so that bulk scoring does not build a cache key per card.
        """
        global _last_plan
        last = _last_plan
        if last[0] is ruleset and last[1] is model and last[2] is spec:
            return last[3]
        key = ("plan", model.name, spec.name, tuple(spec.params.items()))
        plan = ruleset.cached(key, lambda: cls.build(ruleset, model, spec))
        _last_plan = (ruleset, model, spec, plan)
        return plan

    @classmethod
    def build(cls, ruleset: RuleSet, model: Weighting, spec: WeightingSpec) -> Plan:
        """Compile ``ruleset`` under weighting ``model`` with ``spec.params``."""
        factor = factors(ruleset, model.weights(ruleset, spec.params))
        keys, levels, parents, leaf = [TOTAL], [Level.TOTAL], [-1], [not ruleset.areas]
        maxes: list[Points] = [ruleset.max]
        facs: list[Points] = [1]
        position = {TOTAL: 0}
        for c in ruleset.criteria():
            parent = c.key.rpartition(".")[0] or TOTAL
            position[c.key] = len(keys)
            keys.append(c.key)
            levels.append(c.level)
            maxes.append(c.max)
            parents.append(position[parent])
            facs.append(factor[c.key])
            leaf.append(not c.children)
        leaf_at = [i for i, is_leaf in enumerate(leaf) if is_leaf]
        first = [len(leaf_at)] * len(keys)
        last = [0] * len(keys)
        for n, i in enumerate(leaf_at):
            j = i
            while j >= 0:
                first[j] = min(first[j], n)
                last[j] = n + 1
                j = parents[j]
        complete = tuple(Provenance.GIVEN if is_leaf else Provenance.COMPUTED for is_leaf in leaf)
        inner = [i for i, is_leaf in enumerate(leaf) if not is_leaf]
        # position of each criterion in [inner sums..., leaf values...]
        slot = {i: n for n, i in enumerate(inner + leaf_at)}
        whole = all(type(m) is int for m in maxes)
        leaf_keys = tuple(keys[i] for i in leaf_at)
        starts, ends = tuple(first[i] for i in inner), tuple(last[i] for i in inner)
        order = tuple(slot[i] for i in range(len(keys)))
        # every leaf takes 0..smallest leaf max: such points need no per-leaf check
        smallest = min((maxes[i] for i in leaf_at), default=0)
        small = frozenset(range(int(smallest) + 1)) if whole and smallest <= _SMALL else frozenset()
        return cls(tuple(keys), tuple(levels), tuple(maxes), tuple(parents), tuple(facs),
                   tuple(leaf), position, leaf_keys, tuple(maxes[i] for i in leaf_at),
                   whole, all(f == 1 for f in facs), complete,
                   (Provenance.GIVEN, *complete[1:]), small,
                   picker(leaf_keys), picker(starts), picker(ends), picker(order))


_last_plan: tuple[Any, Any, Any, Plan] = (None, None, None, cast(Plan, None))
_SMALL = 1000
"""Leaf maxima up to this get the set-membership range check."""


def picker(items: tuple[Any, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """``itemgetter(*items)`` that always returns a tuple, even of one item or none."""
    if len(items) > 1:
        return itemgetter(*items)
    if items:
        only = items[0]
        return lambda seq: (seq[only],)
    return lambda _seq: ()


@attrs.frozen
class ScoreCard:
    """The result of scoring one evaluation: a Score per criterion and the total.

    The card is self-contained (keys, levels and maxima travel with it), so
    it serialises losslessly and can be read without the rule set.
    """

    ruleset: RuleSetRef
    weighting: WeightingSpec
    municipality: Municipality
    date: datetime.date | None
    rounding: Rounding
    keys: tuple[str, ...]
    levels: tuple[Level, ...]
    maxes: tuple[Points, ...]
    lows: tuple[Points, ...]
    highs: tuple[Points, ...]
    provenance: tuple[Provenance, ...]
    path: tuple[str, ...] = ()
    uncalibrated: tuple[str, ...] = ()

    @property
    def migrated(self) -> bool:
        """True when this card was carried over from another rule set."""
        return bool(self.path)

    def __getitem__(self, key: str) -> Score:
        return self._score(self._index(key))

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    @property
    def total(self) -> Score:
        """The total score (index 0 of every card)."""
        return self._score(0)

    @property
    def complete(self) -> bool:
        """True when the total is exact: every point is accounted for."""
        return self.lows[0] == self.highs[0]

    def entries(self, level: Level | None = None) -> Iterator[Entry]:
        """Every line of the card (total first, then parents before children)."""
        for i, key in enumerate(self.keys):
            if level is None or self.levels[i] is level:
                yield Entry(key, self.levels[i], self._score(i), self.provenance[i])

    def entry(self, key: str) -> Entry:
        """The line for ``key``; KeyError if the card has none."""
        i = self._index(key)
        return Entry(key, self.levels[i], self._score(i), self.provenance[i])

    def _index(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            raise KeyError(key) from None

    def _score(self, i: int) -> Score:
        return Score(self.lows[i], self.highs[i], self.maxes[i])


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
    arrays = _leaf_sums(plan, evaluation.points) if plan.unit else None
    lows, highs, prov = arrays or _tree_walk(plan, evaluation.points, ruleset)
    return ScoreCard(ruleset.ref, spec, evaluation.municipality, evaluation.date,
                     ruleset.rounding, plan.keys, plan.levels, plan.maxes, lows, highs, prov)


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
    return ordered if whole else _norm(ordered)


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
            if not 0 <= g <= m:
                problems.append(Problem(f"{plain(g)} points exceeds max {plain(m)}" if g > m
                                        else f"{plain(g)} points is negative",
                                        keys=evaluation_keys(keys[i])))
            elif not lo <= g <= hi:
                problems.append(Problem(
                    f"{plain(g)} points disagrees with its {_children_word(plan.levels[i])} "
                    f"({_range(lo, hi)})", keys=evaluation_keys(keys[i])))
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
        raise InputError(sorted(problems, key=lambda pr: _order(plan, pr)))
    return _norm(lows), _norm(highs), tuple(prov)


def _norm(values: Sequence[Points]) -> tuple[Points, ...]:
    """Fractions that came out integral become ints (canonical, comparable)."""
    if Fraction not in set(map(type, values)):
        return tuple(values)
    return tuple(int(v) if type(v) is Fraction and v.denominator == 1 else v for v in values)


def _children_word(level: Level) -> str:
    child = level.child
    return {Level.AREA: "areas", Level.SUBAREA: "sub-areas",
            Level.QUESTION: "questions"}[child] if child else "children"


def _range(lo: Points, hi: Points) -> str:
    return f"sum {plain(lo)}" if lo == hi else f"sum between {plain(lo)} and {plain(hi)}"


def _order(plan: Plan, problem: Problem) -> tuple[int, str]:
    key = problem.keys[-1] if problem.keys else ""
    return (plan.index.get(key, len(plan.keys)), problem.message)

