"""The law tests of the conformance kit (collected by the ``kompass_core.testing`` plugin).

Each test takes a rule set or a migration of the plugins under test; see
docs/design.md for the laws and :mod:`kompass_core.testing.strategies` for
how evaluations and cards are generated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import combinations

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from kompass_core import (
    InputError,
    Points,
    Provenance,
    Registry,
    RuleSet,
    ScoreCard,
    Status,
    structure,
    unstructure,
)
from kompass_core.engine.migration_graph import migrate
from kompass_core.engine.weighting import Weighting
from kompass_core.model.migration import Migration
from kompass_core.registry.weightings import weights_problem
from kompass_core.testing import strategies as ks


def _check(law_settings: settings, example: Callable[[st.DataObject], None]) -> None:
    """Run ``example`` on as many generated examples as the kit is set to try.

    ``law_settings`` is the ``kompass_settings`` fixture (``--kompass-examples``,
    ``kompass_examples`` in the pytest configuration, on top of the loaded
    hypothesis profile), applied when the test runs rather than at import.
    """
    law_settings(given(data=st.data())(example))()


def _ruleset(registry: Registry, ref: str) -> RuleSet:
    return registry.ruleset(ref)


def _assert_round_trips(*cards: ScoreCard) -> None:
    """Law 8 for migrated cards: their path and uncalibrated steps survive JSON too."""
    for card in cards:
        assert structure(json.loads(json.dumps(unstructure(card))), ScoreCard) == card


def _migration(registry: Registry, step: str) -> Migration:
    for migration, _ in registry.migrations():
        if f"{migration.source} -> {migration.target}" == step:
            return migration
    raise LookupError(step)


def test_plugin_loads(kompass_registry: Registry, kompass_plugin: str) -> None:
    """The plugin is installed, loads without a problem, and gives something to check."""
    infos = {p.name: p for p in kompass_registry.plugins()}
    info = infos.get(kompass_plugin)
    assert info is not None, (f"plugin {kompass_plugin!r} is not installed (no entry point "
                              "of the kompass group has that name), so nothing of it is checked")
    assert info.status != "blocked", f"plugin {kompass_plugin!r} is disabled, so nothing of " \
                                     "it is checked"
    assert info.status == "ok", f"plugin {kompass_plugin!r} {info.status}"
    assert info.rulesets or info.weightings or info.migrations, \
        f"plugin {kompass_plugin!r} provides no rule set, weighting or migration to check"


def test_ruleset_cites_or_assumes(kompass_registry: Registry, kompass_ruleset: str) -> None:
    """Honesty: the rule set names sources, each criterion cites one or marks an assumption,
    and its method text, if any, cites sources the rule set declares."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)
    assert ruleset.sources, "the rule set names no source"
    unsupported = [c.key for c in ruleset.criteria() if not c.sources and not c.assumed]
    assert not unsupported, f"criteria neither citing a source nor marked assumed: {unsupported}"
    if ruleset.method is not None:
        assert ruleset.method_sources, "the [method] text cites no source (sources = [...])"
        unknown = sorted(set(ruleset.method_sources) - {s.id for s in ruleset.sources})
        assert not unknown, f"the [method] text cites sources not declared: {unknown}"


def test_law1_bounds(kompass_registry: Registry, kompass_ruleset: str,
                     kompass_settings: settings) -> None:
    """0 <= low <= high <= max at every level."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)

    def example(data: st.DataObject) -> None:
        card = kompass_registry.score(data.draw(ks.evaluations_for(ruleset)))
        for e in card.entries():
            assert 0 <= e.score.low <= e.score.high <= e.score.max, e

    _check(kompass_settings, example)


def test_law2_monotonicity(kompass_registry: Registry, kompass_ruleset: str,
                           kompass_settings: settings) -> None:
    """Raising one given leaf's points never lowers any score."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)

    def example(data: st.DataObject) -> None:
        truth = data.draw(ks.truths(ruleset))
        leaf = data.draw(st.sampled_from(sorted(truth)))
        truth[leaf], raised = data.draw(ks.increases(ruleset.criterion(leaf).max))
        before = kompass_registry.score(ks.evaluation(ruleset, truth))
        after = kompass_registry.score(ks.evaluation(ruleset, {**truth, leaf: raised}))
        for key in before.keys:
            assert after[key].low >= before[key].low and after[key].high >= before[key].high, \
                key

    _check(kompass_settings, example)


def test_law3_completeness(kompass_registry: Registry, kompass_ruleset: str,
                           kompass_settings: settings) -> None:
    """Fully scored is exact everywhere; each unscored leaf widens the total by its max."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)
    plan = kompass_registry.plan(ruleset)

    def weighted_max(key: str) -> Points:
        weight, at = plan.factors[plan.index[key]], plan.parents[plan.index[key]]
        while at > 0:
            weight *= plan.factors[at]
            at = plan.parents[at]
        return weight * ruleset.criterion(key).max

    def example(data: st.DataObject) -> None:
        truth = data.draw(ks.truths(ruleset))
        full = kompass_registry.score(ks.evaluation(ruleset, truth))
        assert full.complete and all(e.score.exact for e in full.entries())
        missing = data.draw(st.sets(st.sampled_from(sorted(truth))))
        part = kompass_registry.score(ks.evaluation(ruleset, {k: v for k, v in truth.items()
                                                              if k not in missing}))
        width = sum((weighted_max(key) for key in missing), start=0)
        assert part.total.high - part.total.low == width
        assert all(p is not Provenance.GIVEN for k, p in zip(part.keys, part.provenance,
                                                             strict=True) if k in missing)

    _check(kompass_settings, example)


def test_law8_serialisation(kompass_registry: Registry, kompass_ruleset: str,
                            kompass_settings: settings) -> None:
    """structure(unstructure(x)) == x through JSON, for rule set, evaluation and card."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)
    assert structure(json.loads(json.dumps(unstructure(ruleset))), RuleSet) == ruleset

    def example(data: st.DataObject) -> None:
        evaluation = data.draw(ks.evaluations_for(ruleset))
        card = kompass_registry.score(evaluation)
        for obj, cls in ((evaluation, type(evaluation)), (card, ScoreCard)):
            assert structure(json.loads(json.dumps(unstructure(obj))), cls) == obj

    _check(kompass_settings, example)


def test_law9_missing_values(kompass_registry: Registry, kompass_ruleset: str,
                             kompass_settings: settings) -> None:
    """Withheld changes no number; not-applicable keeps every score within its maximum and
    undoing it restores the card, or, where the rule set forbids it, is refused at its key."""
    ruleset = _ruleset(kompass_registry, kompass_ruleset)
    keys = [c.key for c in ruleset.criteria()]

    def example(data: st.DataObject) -> None:
        evaluation = data.draw(ks.evaluations_for(ruleset))
        card = kompass_registry.score(evaluation)
        hidden = data.draw(st.sets(st.sampled_from(keys)))
        kept = kompass_registry.score(attrs.evolve(
            evaluation, status=dict.fromkeys(hidden, Status.WITHHELD)))
        assert (kept.lows, kept.highs, kept.maxes) == (card.lows, card.highs, card.maxes)
        assert all(kept.hidden_by(k) == "withheld" for k in hidden)
        free = [k for k in keys if not any(g == k or g.startswith(k + ".") or
                                           k.startswith(g + ".") for g in evaluation.points)]
        if not free:
            return
        gone = data.draw(st.sampled_from(free))
        marked = attrs.evolve(evaluation, status={gone: Status.NOT_APPLICABLE})
        if ruleset.missing.not_applicable == "forbidden":
            with pytest.raises(InputError) as err:
                kompass_registry.score(marked)
            assert err.value.problems[0].keys[-2:] == (gone, "status")
            return
        for e in kompass_registry.score(marked).entries():
            assert 0 <= e.score.low <= e.score.high <= e.score.max, e
        assert kompass_registry.score(attrs.evolve(marked, status={})) == card

    _check(kompass_settings, example)


def test_law4_identity(kompass_registry: Registry, kompass_migration: str,
                       kompass_settings: settings) -> None:
    """Migrating a card to its own rule set changes nothing."""
    source = kompass_registry.ruleset(_migration(kompass_registry, kompass_migration).source)

    def example(data: st.DataObject) -> None:
        card = data.draw(ks.cards_for(source))
        assert kompass_registry.migrate(card, card.ruleset) == card

    _check(kompass_settings, example)


def test_law5_round_trip(kompass_registry: Registry, kompass_migration: str,
                         kompass_settings: settings) -> None:
    """A -> B -> A contains the original (invertible migrations)."""
    step = _migration(kompass_registry, kompass_migration)
    if not step.invertible:
        pytest.skip("not invertible: law 5 applies to invertible migrations")
    source = kompass_registry.ruleset(step.source)
    rulesets = {r.ref: r for r in kompass_registry.rulesets()}

    def example(data: st.DataObject) -> None:
        card = data.draw(ks.cards_for(source))
        there = migrate(card, (step,), rulesets, kompass_registry.plan)
        back = migrate(there, (step.inverse(),), rulesets, kompass_registry.plan)
        _assert_round_trips(there, back)
        for area in source.areas:
            assert back[area.key].low <= card[area.key].low <= card[area.key].high \
                <= back[area.key].high, area.key

    _check(kompass_settings, example)


def test_law6_monotonicity(kompass_registry: Registry, kompass_migration: str,
                           kompass_settings: settings) -> None:
    """If X >= Y area by area, the migrated bounds keep that order."""
    step = _migration(kompass_registry, kompass_migration)
    source = kompass_registry.ruleset(step.source)
    rulesets = {r.ref: r for r in kompass_registry.rulesets()}

    def example(data: st.DataObject) -> None:
        y, x = data.draw(ks.ordered_area_cards(source, kompass_registry.plan(source)))
        my = migrate(y, (step,), rulesets, kompass_registry.plan)
        mx = migrate(x, (step,), rulesets, kompass_registry.plan)
        assert all(a <= b for a, b in zip(my.lows, mx.lows, strict=True))
        assert all(a <= b for a, b in zip(my.highs, mx.highs, strict=True))
        _assert_round_trips(my, mx)

    _check(kompass_settings, example)


def test_law7_path_coherence(kompass_registry: Registry, kompass_migration: str,
                             kompass_settings: settings) -> None:
    """Every pair of paths from this migration's source to any rule set overlaps."""
    step = _migration(kompass_registry, kompass_migration)
    rulesets = {r.ref: r for r in kompass_registry.rulesets()}
    paths = {target: kompass_registry.migration_paths(step.source, target)
             for target in rulesets if target != step.source}
    if all(len(options) < 2 for options in paths.values()):
        pytest.skip("only one path")

    def example(data: st.DataObject) -> None:
        card = data.draw(ks.cards_for(rulesets[step.source]))
        for target, options in paths.items():
            results = [migrate(card, path, rulesets, kompass_registry.plan) for path in options]
            _assert_round_trips(*results)
            for a, b in combinations(results, 2):
                assert all(max(lo_a, lo_b) <= min(hi_a, hi_b) for lo_a, hi_a, lo_b, hi_b in
                           zip(a.lows, a.highs, b.lows, b.highs, strict=True)), target

    _check(kompass_settings, example)


def _own(registry: Registry, name: str) -> Weighting:
    """The plugin's own weighting object (the registry serves it wrapped in its checks)."""
    model = registry.weighting(name)
    own: Weighting = getattr(model, "model", model)
    return own


def _weighted_rulesets(registry: Registry, name: str) -> list[RuleSet]:
    """The registered rule sets weighting ``name`` applies to without parameters.

    Its weights for each are checked here, on the plugin's own object: a bad
    weight fails the law test with the reason, before the registry sees it
    (and disables the plugin, which would fail every later test of it for that).
    """
    model = _own(registry, name)
    fits = []
    for ruleset in registry.rulesets():
        try:
            model.weights(ruleset, {})
        except InputError:
            continue  # it needs parameters this rule set does not give
        fits.append(ruleset)
        problem = weights_problem(model.weights(ruleset, {}), ruleset)
        assert problem is None, f"{ruleset.ref}: {problem}"  # checked before the registry does
    if not fits:
        pytest.skip(f"weighting {name!r} needs parameters for every registered rule set")
    return fits


def test_weighting_gives_exact_weights(kompass_registry: Registry, kompass_weighting: str
                                       ) -> None:
    """On every rule set it applies to: a mapping of known keys to exact weights >= 0."""
    _weighted_rulesets(kompass_registry, kompass_weighting)  # checks each rule set's weights


def test_weighting_keeps_laws_1_and_2(kompass_registry: Registry, kompass_weighting: str,
                                      kompass_settings: settings) -> None:
    """Bounds and monotonicity hold for every rule set scored under this weighting."""
    rulesets = _weighted_rulesets(kompass_registry, kompass_weighting)

    def score(ruleset: RuleSet, truth: dict[str, Points]) -> ScoreCard:
        return kompass_registry.score(ks.evaluation(ruleset, truth),
                                      weighting=kompass_weighting)

    def example(data: st.DataObject) -> None:
        ruleset = data.draw(st.sampled_from(rulesets))
        truth = data.draw(ks.truths(ruleset))
        before = score(ruleset, truth)
        for e in before.entries():
            assert 0 <= e.score.low <= e.score.high <= e.score.max, e
        leaf = data.draw(st.sampled_from(sorted(truth)))
        truth[leaf], raised = data.draw(ks.increases(ruleset.criterion(leaf).max))
        lower = score(ruleset, truth)
        after = score(ruleset, {**truth, leaf: raised})
        for key in lower.keys:
            assert after[key].low >= lower[key].low and after[key].high >= lower[key].high, key

    _check(kompass_settings, example)
