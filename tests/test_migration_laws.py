"""Laws 4-8 of docs/design.md for migrations: random ones, and law 6 on the shipped ones.

4 identity, 5 round-trip containment, 6 monotonicity, 7 path coherence,
8 serialisation round trip (of migrated cards, which carry a path).
"""

from __future__ import annotations

import json
import types
from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise

import attrs
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kompass_core import (
    PluginError,
    Problem,
    Registry,
    RuleSet,
    RuleSetRef,
    ScoreCard,
    default_registry,
    hookimpl,
    structure,
    unstructure,
)
from kompass_core.engine.migration_graph import card_from_areas, migrate
from kompass_core.engine.plan import Plan
from kompass_core.model.migration import AreaMapping, Interval
from kompass_core.model.points import Points, exact
from kompass_core.model.ruleset import Level
from kompass_core.testing import strategies as ks

A, B, C = RuleSetRef("kk-a", "1"), RuleSetRef("kk-b", "1"), RuleSetRef("kk-c", "1")


def registry_of(rulesets: list[RuleSet], migrations: list[AreaMapping]) -> Registry:
    reg = Registry(entry_points=False, strict=True)
    reg.register(types.SimpleNamespace(
        kompass_rulesets=hookimpl(lambda: rulesets),
        kompass_migrations=hookimpl(lambda: migrations)), "random")
    return reg


def contains(outer: ScoreCard, inner: ScoreCard) -> bool:
    return all(ol <= il and ih <= oh for ol, oh, il, ih in
               zip(outer.lows, outer.highs, inner.lows, inner.highs, strict=True))


def area_card(ruleset: RuleSet, plan: Plan, areas: Mapping[str, Interval]) -> ScoreCard:
    return card_from_areas(ruleset, plan, areas, None)


def assert_round_trips(card: ScoreCard) -> None:
    """Law 8: a card reads back from its JSON as it was, migration path included."""
    assert structure(json.loads(json.dumps(unstructure(card))), ScoreCard) == card


@st.composite
def pair(draw: st.DrawFn, invertible: bool) -> tuple[RuleSet, RuleSet, AreaMapping]:
    n = draw(st.integers(1, 6))
    a = draw(ks.area_rulesets(A, n))
    b = draw(ks.area_rulesets(B, n if invertible else None))
    return a, b, draw(ks.area_mappings(a, b, invertible))


# --- law 4: identity -----------------------------------------------------------------

@given(pair(invertible=False), st.data())
def test_law4_migrating_to_the_same_ruleset_changes_nothing(case: tuple,
                                                            data: st.DataObject) -> None:
    a, b, m = case
    reg = registry_of([a, b], [m])
    card = data.draw(ks.cards_for(a))
    assert reg.migrate(card, a.ref) == card


# --- law 5: round trip ------------------------------------------------------------------

@given(pair(invertible=True), st.data())
def test_law5_round_trip_contains_the_original(case: tuple, data: st.DataObject) -> None:
    a, b, m = case
    reg = registry_of([a, b], [m])
    card = data.draw(ks.cards_for(a))
    back = reg.migrate(reg.migrate(card, b.ref), a.ref)
    assert_round_trips(back)
    for area in a.areas:
        assert back[area.key].low <= card[area.key].low
        assert card[area.key].high <= back[area.key].high
    assert back.total.low <= card.total.low <= card.total.high <= back.total.high


# --- law 6: monotonicity ---------------------------------------------------------------

@given(pair(invertible=False), st.data())
def test_law6_migration_keeps_the_order_of_cards(case: tuple, data: st.DataObject) -> None:
    a, b, m = case
    reg = registry_of([a, b], [m])
    y_card, x_card = data.draw(ks.ordered_area_cards(a, reg.plan(a)))
    y, x = reg.migrate(y_card, b.ref), reg.migrate(x_card, b.ref)
    assert all(yl <= xl for yl, xl in zip(y.lows, x.lows, strict=True))
    assert all(yh <= xh for yh, xh in zip(y.highs, x.highs, strict=True))


SHIPPED_STEPS = [f"{m.source} -> {m.target}" for m, _ in default_registry().migrations()]


@pytest.mark.parametrize("step", SHIPPED_STEPS)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_law6_every_shipped_migration_keeps_the_order_of_cards(registry: Registry, step: str,
                                                                data: st.DataObject) -> None:
    """Law 6 on the shipped data (tests/test_shipped_migrations.py checks laws 4, 5, 7)."""
    migration = next(m for m, _ in registry.migrations() if f"{m.source} -> {m.target}" == step)
    source = registry.ruleset(migration.source)
    rulesets = {r.ref: r for r in registry.rulesets()}
    y_card, x_card = data.draw(ks.ordered_area_cards(source, registry.plan(source)))
    y, x = (migrate(card, (migration,), rulesets, registry.plan) for card in (y_card, x_card))
    assert all(yl <= xl for yl, xl in zip(y.lows, x.lows, strict=True))
    assert all(yh <= xh for yh, xh in zip(y.highs, x.highs, strict=True))


@given(pair(invertible=False), st.data())
def test_migrated_cards_keep_the_bounds(case: tuple, data: st.DataObject) -> None:
    a, b, m = case
    reg = registry_of([a, b], [m])
    card = reg.migrate(data.draw(ks.cards_for(a)), b.ref)
    assert all(0 <= lo <= hi <= mx for lo, hi, mx in
               zip(card.lows, card.highs, card.maxes, strict=True))
    assert tuple(map(str, card.path)) == (f"{a.ref} -> {b.ref}",)
    assert card.origin == a.ref
    assert card.uncalibrated == (() if m.calibrated else card.path)
    assert_round_trips(card)


# --- law 7: path coherence --------------------------------------------------------------

def _shift(m: AreaMapping, offset: tuple[Points, Points] | None) -> AreaMapping:
    return AreaMapping(m.source, m.target, m.areas, offset, m.invertible)


@given(st.data())
def test_law7_composed_paths_are_accepted_and_overlap(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 5))
    a, b, c = (data.draw(ks.area_rulesets(r, n)) for r in (A, B, C))
    ab = data.draw(ks.area_mappings(a, b, invertible=True))
    bc = data.draw(ks.area_mappings(b, c, invertible=True))
    # the direct A -> C is the composition of A -> B -> C, offsets in ratio space added
    direct = {t: {next(iter(ab.areas[s])): 1} for t, mix in bc.areas.items() for s in mix}
    offsets = [m.offset or (0, 0) for m in (ab, bc)]
    ab, bc = _shift(ab, offsets[0]), _shift(bc, offsets[1])
    scale = Fraction(c.max) / b.max  # A -> B's offset is in B's points, A -> C's in C's
    ac_offset = (exact(offsets[0][0] * scale + offsets[1][0]),
                 exact(offsets[0][1] * scale + offsets[1][1]))
    ac = AreaMapping(A, C, direct, ac_offset, True)
    reg = registry_of([a, b, c], [ab, bc, ac])
    card = data.draw(ks.cards_for(a))
    rulesets = {r.ref: r for r in reg.rulesets()}
    routes = reg.migration_paths(A, C)
    assert len(routes) == 2
    results = [migrate(card, route, rulesets, reg.plan) for route in routes]
    for one in results:
        for other in results:
            assert all(max(l1, l2) <= min(h1, h2) for l1, h1, l2, h2 in
                       zip(one.lows, one.highs, other.lows, other.highs, strict=True))


def test_law7_incoherent_graph_is_refused_naming_both_paths() -> None:
    a = RuleSet(ref=A, title=ks.Labels({"en": "A"}), organisation="T", country="SE",
                areas=(ks.Criterion("1", ks.Level.AREA, ks.Labels({"en": "1"}), 100),))
    b = RuleSet(ref=B, title=ks.Labels({"en": "B"}), organisation="T", country="SE",
                areas=a.areas)
    c = RuleSet(ref=C, title=ks.Labels({"en": "C"}), organisation="T", country="SE",
                areas=a.areas)
    same = {"1": {"1": 1}}
    reg = registry_of([a, b, c], [AreaMapping(A, B, same, (0, 0), True),
                                  AreaMapping(B, C, same, (0, 0), True),
                                  AreaMapping(A, C, same, (30, 40), True)])
    try:
        reg.migrations()
    except PluginError as err:
        message = str(err)
    else:
        raise AssertionError("an incoherent graph was accepted")
    assert "incoherent migrations from kk-a@1 to kk-b@1" in message
    assert "path kk-a@1 -> kk-b@1 [random]" in message
    assert "path kk-a@1 -> kk-c@1 [random] -> kk-b@1 [random]" in message


class HalfWay:
    """A coded migration (not data): each target area is the source area halved,
    plus a quarter of the max; monotone, and its own inverse is not needed."""

    source, target, calibrated, invertible = A, B, True, False

    def apply(self, areas: Mapping[str, Interval], source: RuleSet, target: RuleSet
              ) -> dict[str, Interval]:
        out: dict[str, Interval] = {}
        for area in target.areas:
            low, high = areas[area.key]
            smax = source.criterion(area.key).max
            out[area.key] = (exact(Fraction(low, 2) / smax * area.max + Fraction(area.max, 4)),
                             exact(Fraction(high, 2) / smax * area.max + Fraction(area.max, 4)))
        return out

    def inverse(self) -> HalfWay:
        raise NotImplementedError

    def check(self, source: RuleSet, target: RuleSet) -> list[Problem]:
        same = [a.key for a in source.areas] == [a.key for a in target.areas]
        return [] if same else [Problem("area keys differ")]


@given(st.data())
def test_coded_migration_through_the_hook(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 5))
    a, b = data.draw(ks.area_rulesets(A, n)), data.draw(ks.area_rulesets(B, n))
    reg = registry_of([a, b], [HalfWay()])  # type: ignore[list-item]
    card = data.draw(ks.cards_for(a))
    moved = reg.migrate(card, B)
    for area in b.areas:
        assert area.max / 4 <= moved[area.key].low <= moved[area.key].high <= 3 * area.max / 4
    assert tuple(map(str, moved.path)) == ("kk-a@1 -> kk-b@1",)


# --- a compiled path equals the step-by-step one ------------------------------------------

@st.composite
def chains(draw: st.DrawFn) -> tuple[dict[RuleSetRef, RuleSet], tuple[AreaMapping, ...]]:
    """Three steps A -> B -> C -> D, each a permutation or (sometimes) a mix of areas."""
    n = draw(st.integers(1, 5))
    refs = [A, B, C, RuleSetRef("kk-d", "1")]
    rulesets = [draw(ks.area_rulesets(r, n)) for r in refs]
    path = tuple(draw(ks.area_mappings(s, t, invertible=draw(st.integers(0, 3)) > 0))
                 for s, t in pairwise(rulesets))
    return {r.ref: r for r in rulesets}, path


@st.composite
def few_valued_cards(draw: st.DrawFn, ruleset: RuleSet) -> list[ScoreCard]:
    """Cards whose area bounds come from a few values, so that values recur across cards."""
    plan = ks.plan_for(ruleset)
    cards = []
    for _ in range(draw(st.integers(1, 8))):
        areas = {}
        for area in ruleset.areas:
            pool = sorted({0, area.max, exact(Fraction(area.max) / 2), min(1, area.max)})
            low, high = sorted(draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2)))
            areas[area.key] = (low, high)
        cards.append(area_card(ruleset, plan, areas))
    return cards


@given(chains(), st.data())
def test_compiled_path_gives_what_the_steps_give(case: tuple, data: st.DataObject) -> None:
    from kompass_core.engine.migration_plan import PathPlan

    rulesets, path = case
    source = rulesets[A]
    cards = data.draw(st.one_of(few_valued_cards(source),
                                st.lists(ks.cards_for(source), min_size=1, max_size=6)))
    compiled = PathPlan(path, rulesets, ks.plan_for)
    for card in cards + cards[::-1]:  # the second pass meets remembered values
        moved = compiled.migrate(card)
        assert moved == migrate(card, path, rulesets, ks.plan_for)
        assert_round_trips(moved)


@given(pair(invertible=False), st.integers(1, 12), st.data())
def test_denominator_divides_every_output(case: tuple, inputs: int, data: st.DataObject) -> None:
    """Inputs over ``inputs`` give outputs over ``denominator(...)``: sums stay integers."""
    a, b, m = case
    areas = {}
    for area in a.areas:
        top = int(area.max * inputs)
        pair_ = sorted(data.draw(st.lists(st.integers(0, top), min_size=2, max_size=2)))
        areas[area.key] = (exact(Fraction(pair_[0], inputs)), exact(Fraction(pair_[1], inputs)))
    den = m.denominator(a, b, inputs)
    for low, high in m.apply(areas, a, b).values():
        assert (low * den).denominator == 1 and (high * den).denominator == 1



@given(st.data())
def test_a_mapping_gives_the_same_whichever_rule_sets_it_met_first(data: st.DataObject) -> None:
    """apply depends on its arguments only: not on rule sets of the same refs met before."""
    n = data.draw(st.integers(1, 5))
    a, b = data.draw(ks.area_rulesets(A, n)), data.draw(ks.area_rulesets(B, n))
    other_a, other_b = data.draw(ks.area_rulesets(A, n)), data.draw(ks.area_rulesets(B, n))
    m = data.draw(ks.area_mappings(a, b))
    fresh = AreaMapping(m.source, m.target, m.areas, m.offset)
    areas = {}
    for area in other_a.areas:
        low, high = sorted(data.draw(st.lists(ks.points_in(area.max), min_size=2, max_size=2)))
        areas[area.key] = (low, high)
    m.apply({area.key: (0, area.max) for area in a.areas}, a, b)  # compiled for a and b
    assert m.apply(areas, other_a, other_b) == fresh.apply(areas, other_a, other_b)


# --- the same tool: points below areas are carried ---------------------------------

@st.composite
def same_tool(draw: st.DrawFn) -> tuple[dict[RuleSetRef, RuleSet], tuple[AreaMapping, ...]]:
    """Rule sets A, B, C of one structure and the identity steps A -> B -> C."""
    a = draw(ks.area_rulesets(A))
    rulesets = {A: a, B: attrs.evolve(a, ref=B), C: attrs.evolve(a, ref=C)}
    steps = tuple(AreaMapping(s, t, {x.key: {x.key: 1} for x in a.areas}, (0, 0), True)
                  for s, t in ((A, B), (B, C)))
    return rulesets, steps


@given(same_tool(), st.data())
def test_the_same_tool_carries_every_point_exactly(case: tuple, data: st.DataObject) -> None:
    """Identity steps keep every key's points; the way back gives the card's values."""
    rulesets, path = case
    assert all(m.carries(rulesets[m.source], rulesets[m.target]) for m in path)
    card = data.draw(ks.cards_for(rulesets[A]))
    there = migrate(card, path, rulesets, ks.plan_for)
    assert (there.lows, there.highs) == (card.lows, card.highs)
    back = migrate(there, tuple(m.inverse() for m in reversed(path)), rulesets, ks.plan_for)
    assert (back.lows, back.highs) == (card.lows, card.highs)
    assert_round_trips(there)
    from kompass_core.engine.migration_plan import PathPlan
    compiled = PathPlan(path, rulesets, ks.plan_for)
    assert compiled.migrate(card) == compiled.migrate(card) == there


@given(same_tool(), st.data())
def test_carrying_needs_the_same_structure_and_an_exact_zero(case: tuple,
                                                             data: st.DataObject) -> None:
    """Another offset, another max or other criteria below an area: below areas is unknown."""
    rulesets, (step, _) = case
    a, b = rulesets[A], rulesets[B]
    offset = data.draw(st.sampled_from([None, (0, 1), (-1, 0)]))
    assert not attrs.evolve(step, offset=offset).carries(a, b)
    area = data.draw(st.sampled_from(a.areas))
    bigger = attrs.evolve(area, max=area.max + 1, children=())
    other = attrs.evolve(b, areas=tuple(bigger if x is area else x for x in b.areas))
    assert not step.carries(a, other)
    card = data.draw(ks.cards_for(a))
    moved = migrate(card, (step,), {A: a, B: other}, ks.plan_for)
    plan = ks.plan_for(other)
    below = [i for i, level in enumerate(plan.levels) if level not in (Level.TOTAL, Level.AREA)]
    assert all((moved.lows[i], moved.highs[i]) == (0, plan.maxes[i]) for i in below)
