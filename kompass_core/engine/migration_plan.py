"""A migration path compiled for bulk use: one table lookup per area instead of arithmetic.

Every shipped migration maps each target area from exactly one source
area, so along such a path each target area's low (and high) is a
function of one source area's low (and high) alone. A :class:`PathPlan`
remembers those functions as they are met: the first card with a given
source value is carried by the exact step-by-step :func:`migrate`, and
later cards with the same value are looked up. The totals are added as
integers over a denominator known when the path is compiled. Paths that
mix areas, coded migrations, paths that carry points below areas (every
step the identity: ``migration_graph.carries``), cards that do not have
the source rule set's layout and cards with typed missing values always
take the exact path, so results never depend on
which way a card went (a property test holds both to the same cards).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from kompass_core.engine.migration_graph import Path, carries, migrate, migrated_provenance
from kompass_core.engine.plan import Plan, picker
from kompass_core.model.card import ScoreCard, Step
from kompass_core.model.migration import AreaMapping
from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level, RuleSet

MEMO_LIMIT = 4096
"""Values remembered per target area and bound; beyond it cards take the exact path."""

_Memo = dict[Points, tuple[Points, int]]


class PathPlan:
    """``path`` compiled once; :meth:`migrate` equals :func:`migrate` on every card."""

    def __init__(self, path: Path, rulesets: Mapping[RuleSetRef, RuleSet],
                 plan_of: Callable[[RuleSet], Plan]) -> None:
        self.path = path
        self._rulesets = rulesets
        self._plan_of = plan_of
        self._fast = False
        if not path:
            return
        target = plan_of(rulesets[path[-1].target])
        areas = [i for i, level in enumerate(target.levels) if level is Level.AREA]
        chain = _chain(path)
        if chain is None or not areas or any(target.factors[i] != 1 for i in areas) or \
                carries(path, rulesets):
            return
        source = plan_of(rulesets[path[0].source])
        self._fast = True
        self._source_keys = source.keys
        self._pick = picker(tuple(source.index[chain[target.keys[i]]] for i in areas))
        self._areas = areas
        self._den = _denominator(path, rulesets)
        self._lows: list[_Memo] = [{} for _ in areas]
        self._highs: list[_Memo] = [{} for _ in areas]
        self._totals: dict[int, Points] = {}
        rest = [i for i in range(len(target.keys)) if i and i not in areas]
        at = {i: n for n, i in enumerate([0, *areas, *rest])}
        self._order = picker(tuple(at[i] for i in range(len(target.keys))))
        self._rest_lows = [0] * len(rest)
        self._rest_highs = [target.maxes[i] for i in rest]
        self._target = target
        self._ruleset = rulesets[path[-1].target]
        self._names = tuple(Step(m.source, m.target) for m in path)
        self._uncalibrated = tuple(Step(m.source, m.target) for m in path if not m.calibrated)
        self._provenance = migrated_provenance(target)

    def migrate(self, card: ScoreCard) -> ScoreCard:
        """``card`` carried along the path (unchanged when the path is empty)."""
        if not self._fast or card.keys != self._source_keys or card.hides:
            return migrate(card, self.path, self._rulesets, self._plan_of)
        xs_low, xs_high = self._pick(card.lows), self._pick(card.highs)
        lows = list(map(dict.get, self._lows, xs_low))
        highs = list(map(dict.get, self._highs, xs_high))
        if None in lows or None in highs:
            return self._learn(card, xs_low, xs_high)
        # each memo entry is (points, points * denominator)
        low_points, low_scaled = zip(*lows, strict=True)
        high_points, high_scaled = zip(*highs, strict=True)
        target, ruleset = self._target, self._ruleset
        return ScoreCard(
            ruleset.ref, ruleset.weighting, card.municipality, card.date, ruleset.rounding,
            target.keys, target.levels, target.maxes,
            self._order([self._total(sum(low_scaled)), *low_points, *self._rest_lows]),
            self._order([self._total(sum(high_scaled)), *high_points, *self._rest_highs]),
            self._provenance, card.path + self._names, card.uncalibrated + self._uncalibrated)

    def _learn(self, card: ScoreCard, xs_low: tuple[Points, ...],
               xs_high: tuple[Points, ...]) -> ScoreCard:
        """Carry ``card`` the exact way and remember what each area's value became."""
        out = migrate(card, self.path, self._rulesets, self._plan_of)
        for memos, xs, values in ((self._lows, xs_low, out.lows),
                                  (self._highs, xs_high, out.highs)):
            for memo, x, i in zip(memos, xs, self._areas, strict=True):
                scaled = values[i] * self._den
                if len(memo) < MEMO_LIMIT and scaled.denominator == 1:
                    memo[x] = (values[i], int(scaled))
        return out

    def _total(self, scaled: int) -> Points:
        """``scaled / denominator`` as exact points, each distinct value built once."""
        found = self._totals.get(scaled)
        if found is None:
            found = scaled // self._den if scaled % self._den == 0 else Fraction(scaled, self._den)
            if len(self._totals) < MEMO_LIMIT:
                self._totals[scaled] = found
        return found


def _chain(path: Path) -> dict[str, str] | None:
    """For each final target area, the one source area it comes from; None if any mixes."""
    chain: dict[str, str] | None = None
    for step in path:
        if not isinstance(step, AreaMapping) or any(len(mix) != 1 for mix in step.areas.values()):
            return None
        links = {t: next(iter(mix)) for t, mix in step.areas.items()}
        chain = links if chain is None else {t: chain[s] for t, s in links.items()}
    return chain


def _denominator(path: Path, rulesets: Mapping[RuleSetRef, RuleSet]) -> int:
    """A denominator of every area the path gives from whole-point areas."""
    den = 1
    for step in path:
        assert isinstance(step, AreaMapping)  # _chain admitted only these
        den = step.denominator(rulesets[step.source], rulesets[step.target], den)
    return den
