"""Scoring: an evaluation against a rule set gives a score card of intervals.

Every score is an exact interval ``[low, high]`` out of ``max``: an unscored
question contributes ``[0, max]``, so a half-finished evaluation gets honest
bounds instead of a wrong number. The rule set is compiled once per
weighting into flat arrays (a :class:`Plan`), and scoring is a single pass
over them, children before parents; the card keeps those arrays and builds
:class:`Score` objects only when asked, which keeps bulk scoring close to the
cost of summing plain dictionaries.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

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


@attrs.frozen
class Entry:
    """One line of a score card."""

    key: str
    level: Level
    score: Score
    provenance: Provenance


@attrs.frozen(eq=False)
class Plan:
    """A rule set flattened for scoring under one weighting (parents first)."""

    keys: tuple[str, ...]
    levels: tuple[Level, ...]
    maxes: tuple[Points, ...]
    parents: tuple[int, ...]
    factors: tuple[Points, ...]
    leaf: tuple[bool, ...]
    index: dict[str, int]

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
        return cls(tuple(keys), tuple(levels), tuple(maxes), tuple(parents), tuple(facs),
                   tuple(leaf), position)


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

    def __getitem__(self, key: str) -> Score:
        i = self.keys.index(key)
        return Score(self.lows[i], self.highs[i], self.maxes[i])

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    @property
    def total(self) -> Score:
        """The total score (index 0 of every card)."""
        return Score(self.lows[0], self.highs[0], self.maxes[0])

    @property
    def complete(self) -> bool:
        """True when the total is exact: every point is accounted for."""
        return self.lows[0] == self.highs[0]

    def entries(self, level: Level | None = None) -> Iterator[Entry]:
        """Every line of the card (total first, then parents before children)."""
        for i, key in enumerate(self.keys):
            if level is None or self.levels[i] is level:
                yield Entry(key, self.levels[i],
                            Score(self.lows[i], self.highs[i], self.maxes[i]),
                            self.provenance[i])

    def entry(self, key: str) -> Entry:
        """The line for ``key``; KeyError if the card has none."""
        try:
            i = self.keys.index(key)
        except ValueError:
            raise KeyError(key) from None
        return Entry(key, self.levels[i], Score(self.lows[i], self.highs[i], self.maxes[i]),
                     self.provenance[i])


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
    if evaluation.ruleset != ruleset.ref:
        raise InputError(Problem(f"evaluation uses {evaluation.ruleset}, not {ruleset.ref}",
                                 keys=("ruleset",)))
    plan: Plan = ruleset.cached(("plan", model.name, spec.name, tuple(spec.params.items())),
                                lambda: Plan.build(ruleset, model, spec))
    points = evaluation.points
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
    prov: list[Provenance] = [Provenance.UNSCORED] * n
    given_p, computed_p, partial_p = Provenance.GIVEN, Provenance.COMPUTED, Provenance.PARTIAL
    lo: Points
    hi: Points
    for i in range(n - 1, -1, -1):
        m = maxes[i]
        if leaf[i]:
            lo, hi = 0, m
        else:
            lo, hi = acc_lo[i], acc_hi[i]
        t = touched[i]
        g = points.get(keys[i]) if points else None
        if g is not None:
            if isinstance(g, bool) or not isinstance(g, int | Fraction):
                problems.append(Problem(f"{g!r} is not a number of points",
                                        keys=evaluation_keys(keys[i])))
            elif not 0 <= g <= m:
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
                prov[i] = given_p
        if t and prov[i] is not given_p:
            prov[i] = computed_p if lo == hi else partial_p
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
    return ScoreCard(ruleset.ref, spec, evaluation.municipality, evaluation.date,
                     ruleset.rounding, keys, plan.levels, maxes, _norm(lows), _norm(highs),
                     tuple(prov))


def _norm(values: list[Points]) -> tuple[Points, ...]:
    """Fractions that came out integral become ints (canonical, comparable)."""
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

