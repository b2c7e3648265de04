"""The laws of docs/design.md that scoring must keep, for any rule set.

Law 1 bounds, law 2 additivity and monotonicity, law 3 completeness, law 8
serialisation; each over random rule sets and evaluations, under the
standard weighting and under random non-negative weights.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction

import attrs
from hypothesis import given, strategies as st

from kompass_core import (
    Evaluation,
    Points,
    Provenance,
    RuleSet,
    ScoreCard,
    WeightingSpec,
    score_with,
    structure,
    unstructure,
)
from kompass_core.engine.weighting import SumWeighting, factors
from kompass_core.model.points import exact
from kompass_core.testing import strategies as ks


@attrs.frozen
class ByKey:
    """A test weighting: relative weights straight from the parameters."""

    name: str = "by-key"
    description: str = "weights taken from params"

    def weights(self, ruleset: RuleSet, params: Mapping[str, Points]) -> Mapping[str, Points]:
        return params


@st.composite
def weights_for(draw: st.DrawFn, ruleset: RuleSet) -> WeightingSpec:
    """Random weights 0-5 on some criteria (0 leaves one out, as profiles do).

    A group of siblings all weighing 0 is refused by the engine, so one of
    them is put back at 1. Some groups are rescaled to keep their parent's
    max (as weights written to average 1 do), so that a 0 is all that sets
    them apart from the plain sum.
    """
    keys = [c.key for c in ruleset.criteria()]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True))
    params: dict[str, Points] = {k: draw(st.integers(0, 5)) for k in chosen}
    groups = [(ruleset.max, ruleset.areas), *((c.max, c.children) for c in ruleset.criteria())]
    for parent_max, group in groups:
        if not group:
            continue
        if all(params.get(c.key, 1) == 0 for c in group):
            params[draw(st.sampled_from(group)).key] = 1
        if draw(st.booleans()):
            scale = parent_max / Fraction(sum(params.get(c.key, 1) * c.max for c in group))
            params.update({c.key: exact(scale * params.get(c.key, 1)) for c in group})
    return WeightingSpec("by-key", params)


@st.composite
def weighted(draw: st.DrawFn) -> tuple[RuleSet, WeightingSpec]:
    ruleset = draw(ks.rulesets())
    return ruleset, draw(weights_for(ruleset))


@st.composite
def raised_leaf(draw: st.DrawFn) -> tuple[RuleSet, dict[str, Points], str, Points]:
    """Leaf points given on some leaves, one of them below its max, and a raise of it."""
    ruleset = draw(ks.rulesets())
    truth = draw(ks.truths(ruleset))
    given_points = {k: v for k, v in truth.items() if draw(st.booleans())}
    leaf = draw(st.sampled_from(sorted(truth)))
    given_points[leaf], raised = draw(ks.increases(ruleset.criterion(leaf).max))
    return ruleset, given_points, leaf, raised


def run(ruleset: RuleSet, points: Mapping[str, Points],
        spec: WeightingSpec | None = None) -> ScoreCard:
    model = ByKey() if spec is not None else SumWeighting()
    return score_with(ks.evaluation(ruleset, points), ruleset, model, spec)


# --- law 1: bounds -------------------------------------------------------------

@given(ks.scenarios(any_level=True))
def test_law1_bounds_at_every_level(scenario: tuple) -> None:
    ruleset, _full, given_points = scenario
    card = run(ruleset, given_points)
    for entry in card.entries():
        s = entry.score
        assert 0 <= s.low <= s.high <= s.max
    assert card.total.max == ruleset.max


@given(weighted(), st.data())
def test_law1_bounds_under_any_weighting(case: tuple, data: st.DataObject) -> None:
    ruleset, spec = case
    given_points = data.draw(ks.truths(ruleset))
    subset = {k: v for k, v in given_points.items() if data.draw(st.booleans())}
    card = run(ruleset, subset, spec)
    for entry in card.entries():
        assert 0 <= entry.score.low <= entry.score.high <= entry.score.max
        assert entry.score.max == (ruleset.max if entry.key == "total"
                                   else ruleset.criterion(entry.key).max)


# --- law 2: additivity and monotonicity -------------------------------------------

@given(weighted(), st.data())
def test_law2_parent_is_weighted_sum_of_children(case: tuple, data: st.DataObject) -> None:
    ruleset, spec = case
    truth = data.draw(ks.truths(ruleset))
    subset = {k: v for k, v in truth.items() if data.draw(st.booleans())}
    card = run(ruleset, subset, spec)
    factor = factors(ruleset, spec.params)
    parents = [("total", ruleset.areas)] + [(c.key, c.children) for c in ruleset.criteria()
                                            if c.children]
    for key, children in parents:
        assert card[key].low == sum((factor[c.key] * card[c.key].low for c in children),
                                    start=0)
        assert card[key].high == sum((factor[c.key] * card[c.key].high for c in children),
                                     start=0)


@given(raised_leaf())
def test_law2_raising_one_question_never_lowers_any_score(case: tuple) -> None:
    ruleset, given_points, leaf, raised = case
    before = run(ruleset, given_points)
    after = run(ruleset, {**given_points, leaf: raised})
    for key in before.keys:
        assert after[key].low >= before[key].low
        assert after[key].high >= before[key].high


@given(raised_leaf(), st.data())
def test_law2_monotone_under_any_weighting(case: tuple, data: st.DataObject) -> None:
    ruleset, given_points, leaf, raised = case
    spec = data.draw(weights_for(ruleset))
    before = run(ruleset, given_points, spec)
    after = run(ruleset, {**given_points, leaf: raised}, spec)
    assert all(after[k].low >= before[k].low for k in before.keys)
    assert all(after[k].high >= before[k].high for k in before.keys)


# --- law 3: completeness -------------------------------------------------------------

@given(ks.rulesets(), st.data())
def test_law3_fully_scored_is_exact_everywhere(ruleset: RuleSet, data: st.DataObject) -> None:
    truth = data.draw(ks.truths(ruleset))
    card = run(ruleset, truth)
    assert card.complete
    expected = ks.aggregate(ruleset, truth)
    for entry in card.entries():
        assert entry.score.exact
        assert entry.provenance in (Provenance.GIVEN, Provenance.COMPUTED)
        if entry.key != "total":
            assert entry.score.low == expected[entry.key]
    assert card.total.low == sum((expected[a.key] for a in ruleset.areas), start=0)


@given(weighted(), st.data())
def test_law3_each_unscored_question_widens_by_its_weighted_max(case: tuple,
                                                                data: st.DataObject) -> None:
    ruleset, spec = case
    truth = data.draw(ks.truths(ruleset))
    missing = data.draw(st.sets(st.sampled_from(sorted(truth))))
    card = run(ruleset, {k: v for k, v in truth.items() if k not in missing}, spec)
    factor = factors(ruleset, spec.params)

    def weight_to_total(key: str) -> Fraction:
        w = Fraction(1)
        while key:
            w *= factor[key]
            key = key.rpartition(".")[0]
        return w

    width = sum((weight_to_total(k) * ruleset.criterion(k).max for k in missing), start=0)
    assert card.total.high - card.total.low == width
    assert card.complete == (width == 0)  # a question weighing 0 is not missed


# --- law 8: serialisation ------------------------------------------------------------

@given(ks.rulesets(), st.data())
def test_law8_card_round_trips_through_json(ruleset: RuleSet, data: st.DataObject) -> None:
    card = score_with(data.draw(ks.evaluations_for(ruleset)), ruleset, SumWeighting())
    text = json.dumps(unstructure(card))
    assert structure(json.loads(text), ScoreCard) == card


@given(ks.rulesets())
def test_law8_ruleset_round_trips(ruleset: RuleSet) -> None:
    assert structure(json.loads(json.dumps(unstructure(ruleset))), RuleSet) == ruleset


@given(ks.rulesets(), st.data())
def test_law8_evaluation_round_trips(ruleset: RuleSet, data: st.DataObject) -> None:
    ev = data.draw(ks.evaluations_for(ruleset))
    assert structure(json.loads(json.dumps(unstructure(ev))), Evaluation) == ev


# --- the two scoring paths agree ------------------------------------------------------

@given(ks.scenarios())
def test_prefix_sum_path_agrees_with_tree_walk(scenario: tuple) -> None:
    """Leaf-level points under unit weights take the fast path; it must equal the walk."""
    from kompass_core.engine.scoring import _leaf_sums, _tree_walk

    ruleset, _full, given_points = scenario
    plan = ks.plan_for(ruleset)
    fast = _leaf_sums(plan, given_points)
    assert fast is not None
    assert fast == _tree_walk(plan, given_points, ruleset)


@given(ks.scenarios(any_level=True))
def test_fast_path_declines_what_it_cannot_score(scenario: tuple) -> None:
    from kompass_core.engine.scoring import _leaf_sums

    ruleset, _full, given_points = scenario
    on_parent = any(ruleset.criterion(k).children for k in given_points)
    assert (_leaf_sums(ks.plan_for(ruleset), given_points) is None) == on_parent


@st.composite
def leaf_points_any(draw: st.DrawFn) -> tuple[RuleSet, dict[str, Points]]:
    """Points on some or all leaves, in range or not, whole or halves, maybe a total."""
    ruleset = draw(ks.rulesets())
    out: dict[str, Points] = {}
    for c in ks.leaves(ruleset):
        if draw(st.booleans()) or draw(st.booleans()):
            n = draw(st.integers(-2, int(c.max * 2) + 4))
            out[c.key] = n // 2 if draw(st.booleans()) else exact(Fraction(n, 2))
    if draw(st.booleans()):  # a results table gives the total too: right or wrong
        out["total"] = sum(out.values(), start=0) + draw(st.sampled_from([0, 0, 1, -1]))
    return ruleset, out


@given(leaf_points_any())
def test_fast_path_scores_exactly_what_the_walk_accepts(case: tuple) -> None:
    """Out-of-range points are declined (the walk words the problem); the rest agree.

    A total is taken on the fast path only with every leaf scored.
    """
    from kompass_core import InputError
    from kompass_core.engine.scoring import _leaf_sums, _tree_walk

    ruleset, given_points = case
    plan = ks.plan_for(ruleset)
    fast = _leaf_sums(plan, given_points)
    try:
        walked = _tree_walk(plan, given_points, ruleset)
    except InputError:
        assert fast is None
        return
    leaf_keys = {c.key for c in ks.leaves(ruleset)}
    if "total" not in given_points or given_points.keys() - {"total"} == leaf_keys:
        assert fast == walked
    else:  # a total over unscored leaves is the walk's to judge
        assert fast is None


def test_evaluations_hold_integral_points_as_int() -> None:
    """Scoring relies on it: an integral Fraction is stored as the int it equals."""
    from kompass_core import Municipality, RuleSetRef

    ev = Evaluation(RuleSetRef("kk-test", "1.0"), Municipality("Testby"),
                    points={"1": Fraction(8, 2), "2": Fraction(5, 2), "3": 3})
    assert [type(v) for v in ev.points.values()] == [int, Fraction, int]
    assert ev.points == {"1": 4, "2": Fraction(5, 2), "3": 3}
