"""What a robust ranking ranks, built from stored evaluations and weightings.

The store keeps each evaluation's total and area scores (intervals for a
partial evaluation), so a weighting can be changed at area level only:
the total is each area's share of the rule set's maximum times the
area's points out of its own maximum. A weighting that changes anything
below the areas cannot be applied to stored results and is refused.
Pure Python; numpy is needed only to sample (:mod:`kompass_core.ranking.robust`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from kompass_core.engine.weighting import factors
from kompass_core.model.card import TOTAL
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.ruleset import RuleSet, WeightingSpec
from kompass_core.ranking.robust import RankContest

if TYPE_CHECKING:  # a sibling part: its entries are read, never imported at run time
    from kompass_core.registry.registry import Registry
    from kompass_core.store.records import Stored


def area_shares(registry: Registry, ruleset: RuleSet, spec: WeightingSpec, name: str
                ) -> tuple[Fraction, ...]:
    """Each area's share of the total under ``spec`` (they sum to 1).

    ``name`` names the weighting in the error when ``spec`` weighs anything
    below the areas differently from the rule set's own weighting.
    """
    def all_factors(s: WeightingSpec) -> dict[str, Fraction]:
        return {k: Fraction(v) for k, v in
                factors(ruleset, registry.weighting(s.name).weights(ruleset, s.params)).items()}

    mine, own = all_factors(spec), all_factors(ruleset.weighting)
    areas = {a.key for a in ruleset.areas}
    below = sorted(k for k in mine if k not in areas and mine[k] != own[k])
    if below:
        raise InputError(Problem(f"weighs criteria below the areas ({', '.join(below[:3])}); "
                                 "the store keeps area scores only, so it cannot re-weight "
                                 "stored results", file=name))
    return tuple(mine[a.key] * Fraction(a.max) / Fraction(ruleset.max) for a in ruleset.areas)


def rank_contest(entries: Sequence[Stored], ruleset: RuleSet,
                 shares: Sequence[Sequence[Fraction]]) -> tuple[RankContest, list[Stored],
                                                                 list[Stored]]:
    """The contest of ``entries`` under ``shares`` (the rule set's own first).

    Returns the contest, the entries in it (in its order) and those left
    out because a total or an area score is not stored, or the areas do not
    give the stored total (a published total whose areas are unknown cannot
    be re-weighted).
    """
    keys = [a.key for a in ruleset.areas]
    maxes = [a.max for a in ruleset.areas]
    kept, left, lows, highs = [], [], [], []
    for s in entries:
        total, scores = s.score(TOTAL), [s.score(k) for k in keys]
        if total is None or not all(scores):
            left.append(s)
            continue
        low = [x.low for x in scores if x]
        high = [x.high for x in scores if x]
        alone = RankContest.build([s.id], keys, [low], [high], maxes, shares[:1], ruleset.max)
        if alone.totals[0] != (Fraction(total.low), Fraction(total.high)):
            left.append(s)  # its areas do not give its total (a published total alone)
            continue
        kept.append(s)
        lows.append(low)
        highs.append(high)
    contest = RankContest.build([s.id for s in kept], keys, lows, highs, maxes, shares, ruleset.max)
    return contest, kept, left
