"""A rule set compiled for scoring under one weighting: flat arrays, parents first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any, cast

import attrs

from kompass_core.engine.weighting import Weighting, factors
from kompass_core.model.card import TOTAL, Provenance
from kompass_core.model.points import Points
from kompass_core.model.ruleset import Level, RuleSet, WeightingSpec


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
