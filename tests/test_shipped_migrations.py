"""The shipped migrations: published calibrations, the laws, and refusing contradictions."""

from __future__ import annotations

import types
from fractions import Fraction
from itertools import permutations

import pytest
from hypothesis import given, settings, strategies as st

from kompass_core import (
    PluginError,
    Registry,
    RuleSet,
    ScoreCard,
    hookimpl,
    load_evaluation,
    score,
)
from kompass_core.engine.migration_graph import carries, migrate
from kompass_core.model.card import Provenance
from kompass_core.model.migration import AreaMapping, step_name
from kompass_core.model.ruleset import Level
from kompass_core.testing import strategies as ks
from tests.conftest import EXAMPLES

REFS = ["kk-se@1.0", "kk-se@2.0", "kk-se@2015", "kk-se@2020", "kk-no@2.0", "kk-no@2020",
        "kk-dk@2.0", "kk-dk-krevi@2009"]


@pytest.fixture(scope="module")
def upplands_vasby(registry: Registry) -> ScoreCard:
    return score(load_evaluation(EXAMPLES / "upplands-vasby-2011.toml"), registry=registry)


def test_every_shipped_ruleset_reaches_every_other(registry: Registry) -> None:
    assert sorted(str(r.ref) for r in registry.rulesets()) == sorted(REFS)
    for a, b in permutations(REFS, 2):
        path = registry.migration_path(a, b)
        assert path and str(path[0].source) == a and str(path[-1].target) == b


def test_upplands_vasby_on_1_0_is_579_to_599(registry: Registry,
                                             upplands_vasby: ScoreCard) -> None:
    old = registry.migrate(upplands_vasby, "kk-se@1.0")
    assert (old.total.low, old.total.high) == (579, 599)
    assert (old["1"].low, old["1"].high) == (78, Fraction(161, 2))
    assert tuple(map(str, old.path)) == ("kk-se@2.0 -> kk-se@1.0",)
    assert old.uncalibrated == ()
    # the parts add up to the whole as shown: +10..12.5 per area, one decimal on 1.0
    ruleset = registry.ruleset("kk-se@1.0")
    shown = [(ruleset.rounding.round(old[a.key].low), ruleset.rounding.round(old[a.key].high))
             for a in ruleset.areas]
    assert (sum(lo for lo, _ in shown), sum(hi for _, hi in shown)) == (579, 599)
    # the per-area split is ours, not the source's: the migration marks it
    step = registry.migration_path("kk-se@2.0", "kk-se@1.0")[0]
    assert isinstance(step, AreaMapping)
    assert {"mapping", "calibration"} <= step.assumed


def test_upplands_vasby_on_norwegian_2_0_is_unchanged(registry: Registry,
                                                      upplands_vasby: ScoreCard) -> None:
    no = registry.migrate(upplands_vasby, "kk-no@2.0")
    assert str(no.ruleset) == "kk-no@2.0"
    assert (no.total.low, no.total.high) == (499, 499)
    areas = [a.key for a in registry.ruleset("kk-no@2.0").areas]
    assert [no[k].low for k in areas] == [upplands_vasby[k].low for k in areas]


def test_upplands_vasby_keeps_every_sub_area_on_the_same_tool(registry: Registry,
                                                              upplands_vasby: ScoreCard) -> None:
    """kk-se@2.0 and kk-no@2.0 are one tool: below areas nothing becomes unknown, and back
    again gives the original card's values (scored only at area level: sub-areas unscored)."""
    no = registry.migrate(upplands_vasby, "kk-no@2.0")
    assert no.keys == upplands_vasby.keys
    assert (no.lows, no.highs) == (upplands_vasby.lows, upplands_vasby.highs)
    unscored = [p is Provenance.UNSCORED for p in upplands_vasby.provenance]
    assert [p is Provenance.UNSCORED for p in no.provenance] == unscored
    back = registry.migrate(no, "kk-se@2.0")
    assert (back.lows, back.highs) == (upplands_vasby.lows, upplands_vasby.highs)


@pytest.mark.parametrize("other", ["kk-no@2.0", "kk-dk@2.0"])
def test_sub_area_points_are_carried_exactly_on_the_same_tool(registry: Registry,
                                                              other: str) -> None:
    """Exempelby gives sub-area and question points: all are kept there and back."""
    card = score(load_evaluation(EXAMPLES / "exempelby-partial.toml"), registry=registry)
    there = registry.migrate(card, other)
    assert (there.lows, there.highs) == (card.lows, card.highs)
    below = [i for i, level in enumerate(card.levels) if level not in (Level.TOTAL, Level.AREA)]
    assert below and all((there.provenance[i] is Provenance.UNSCORED)
                         == (card.provenance[i] is Provenance.UNSCORED) for i in below)
    back = registry.migrate(there, "kk-se@2.0")
    assert (back.lows, back.highs) == (card.lows, card.highs)
    # a step that changes the tool (kk-no@2.0 -> kk-no@2020) leaves below areas unknown
    later = registry.migrate(card, "kk-no@2020")
    assert all(p in (Provenance.MIGRATED, Provenance.UNSCORED) for p in later.provenance)
    plan = registry.plan(registry.ruleset("kk-no@2020"))
    for i, level in enumerate(plan.levels):
        if level not in (Level.TOTAL, Level.AREA):
            assert (later.lows[i], later.highs[i]) == (0, plan.maxes[i])


def test_which_shipped_steps_carry_points_below_areas(registry: Registry) -> None:
    """Detected from the data: the 2.0 tool shared by Sweden, Norway and Denmark."""
    rulesets = {r.ref: r for r in registry.rulesets()}
    steps = [s for m, _ in registry.migrations()
             for s in ((m, m.inverse()) if m.invertible else (m,))]
    carrying = sorted(step_name(m) for m in steps if isinstance(m, AreaMapping)
                      and m.carries(rulesets[m.source], rulesets[m.target]))
    assert carrying == ["kk-dk@2.0 -> kk-se@2.0", "kk-no@2.0 -> kk-se@2.0",
                        "kk-se@2.0 -> kk-dk@2.0", "kk-se@2.0 -> kk-no@2.0"]


def test_upplands_vasby_round_trip_contains_the_original(registry: Registry,
                                                         upplands_vasby: ScoreCard) -> None:
    back = registry.migrate(registry.migrate(upplands_vasby, "kk-se@1.0"), "kk-se@2.0")
    assert (back.total.low, back.total.high) == (479, 519)
    for key in "12345678":
        assert back[key].low <= upplands_vasby[key].low <= back[key].high


def test_uncalibrated_steps_are_carried(registry: Registry, upplands_vasby: ScoreCard) -> None:
    new = registry.migrate(upplands_vasby, "kk-se@2020")
    assert tuple(map(str, new.uncalibrated)) == ("kk-se@2.0 -> kk-se@2015",
                                                 "kk-se@2015 -> kk-se@2020")
    # concepts, not numbers: 2020 area 2 (community development) continues 2.0 area 8
    assert new["2"].low == upplands_vasby["8"].low == 63


def test_paths_prefer_fewer_steps_then_calibration(registry: Registry) -> None:
    path = registry.migration_path("kk-se@2.0", "kk-no@2020")
    assert [str(m.target) for m in path] == ["kk-no@2.0", "kk-no@2020"]


@st.composite
def shipped_card(draw: st.DrawFn, registry: Registry) -> ScoreCard:
    ruleset: RuleSet = draw(st.sampled_from(registry.rulesets()))
    return draw(ks.cards_for(ruleset))


@settings(max_examples=30)
@given(st.data())
def test_laws_on_shipped_migrations(registry: Registry, data: st.DataObject) -> None:
    """Laws 4, 5 and 7 for every shipped rule set and every path."""
    card = data.draw(shipped_card(registry))
    assert registry.migrate(card, card.ruleset) == card  # law 4
    rulesets = {r.ref: r for r in registry.rulesets()}
    for target in rulesets:
        if target == card.ruleset:
            continue
        there = registry.migrate(card, target)
        back = registry.migrate(there, card.ruleset)
        for area in rulesets[card.ruleset].areas:  # law 5 (every shipped step is invertible)
            assert back[area.key].low <= card[area.key].low
            assert card[area.key].high <= back[area.key].high
        if carries(registry.migration_path(card.ruleset, target), rulesets):
            assert (there.lows, there.highs) == (card.lows, card.highs)  # the same tool
            assert (back.lows, back.highs) == (card.lows, card.highs)
        results = [migrate(card, path, rulesets, registry.plan)
                   for path in registry.migration_paths(card.ruleset, target)]
        for one in results:  # law 7
            for other in results:
                assert all(max(a, c) <= min(b, d) for a, b, c, d in
                           zip(one.lows, one.highs, other.lows, other.highs, strict=True))


def test_contradictory_migration_is_refused_naming_both_paths(registry: Registry) -> None:
    """A plugin claiming NO 2020 equals SE 1.0 + 300 points contradicts the shipped paths."""
    bogus = AreaMapping(registry.ruleset("kk-no@2020").ref, registry.ruleset("kk-se@1.0").ref,
                        {str(i): {str(i): 1} for i in range(1, 9)}, (300, 300), False)
    reg = Registry(strict=True)
    reg.register(types.SimpleNamespace(kompass_migrations=hookimpl(lambda: [bogus])), "bogus")
    reg.rulesets()  # rule sets alone load fine: migrations are checked when first needed
    with pytest.raises(PluginError) as info:
        reg.migrations()
    message = str(info.value)
    assert message.startswith("incoherent migrations from ")
    assert "[bogus]" in message and "[skr]" in message
    assert message.count(" path ") == 2


@pytest.mark.parametrize("a, b", [("kk-se@2020", "kk-no@2020"), ("kk-se@1.0", "kk-dk-krevi@2009")])
def test_no_published_figure_means_uncalibrated(registry: Registry, a: str, b: str) -> None:
    """No source gives a figure across these steps: no exact 0, and compare cannot judge."""
    for src, tgt in ((a, b), (b, a)):
        (step,) = registry.migration_path(src, tgt)
        assert not step.calibrated, f"{src} -> {tgt}"
    vallentuna = score(load_evaluation(EXAMPLES / "vallentuna-2021.toml"), registry=registry)
    there = registry.migrate(vallentuna, "kk-no@2020")
    assert tuple(map(str, there.uncalibrated)) == ("kk-se@2020 -> kk-no@2020",)


MIGRATION_STATES: dict[str, dict[str, frozenset[str]]] = {
    # declared migration -> source id -> what it states: mapping, calibration
    "kk-se@2.0 -> kk-se@1.0": {"skl-upplands-vasby-2011": frozenset({"calibration"})},
    "kk-se@2.0 -> kk-no@2.0": {"kskonsulent": frozenset({"mapping", "calibration"})},
    "kk-se@2.0 -> kk-dk@2.0": {"sundbyberg-2010": frozenset({"mapping", "calibration"})},
}


def _declared(registry: Registry) -> list[AreaMapping]:
    return [m for m, _ in registry.migrations() if isinstance(m, AreaMapping) and not m.reverse]


def test_every_migration_fact_is_stated_by_a_cited_source_or_assumed(registry: Registry) -> None:
    declared = _declared(registry)
    assert set(MIGRATION_STATES) <= {f"{m.source} -> {m.target}" for m in declared}
    uncovered = []
    for m in declared:
        name = f"{m.source} -> {m.target}"
        states = MIGRATION_STATES.get(name, {})
        assert set(states) <= {s.id for s in m.sources}, name
        stated = set().union(*(states[s.id] for s in m.sources if s.id in states))
        facts = ["mapping"] + (["calibration"] if m.calibrated else [])
        uncovered += [f"{name} {f}" for f in facts if f not in m.assumed and f not in stated]
        if not m.calibrated:
            assert "calibration" not in m.assumed, f"{name}: an uncalibrated step claims none"
    assert not uncovered, "stated by no cited source and not marked assumed: " + \
        ", ".join(uncovered)
