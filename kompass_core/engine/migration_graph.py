"""The migration graph: which rule sets reach which, by what path.

Declared migrations and the inverses of invertible ones form a graph over
rule sets. The path used is the shortest, then the one with the fewest
uncalibrated steps, then the first by name: never load order. Where two
paths lead from one rule set to another, their results must overlap on
probe cards, or the registry refuses the graph naming both paths (as
Alembic refuses two heads until a human resolves them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from itertools import combinations

import attrs

from kompass_core.engine.plan import Plan
from kompass_core.model.card import TOTAL, Provenance, ScoreCard, Step
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Municipality, evaluation_keys
from kompass_core.model.migration import AreaMapping, Interval, Migration, step_name
from kompass_core.model.points import Points, exact, plain
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level, RuleSet

Path = tuple[Migration, ...]
MAX_STEPS = 8
"""Longest path considered; a longer chain of conversions says nothing useful."""


def path_text(path: Path, owners: Mapping[int, str] | None = None) -> str:
    """``kk-se@2.0 -> kk-se@2015 -> kk-se@2020``, with plugin names if known."""
    if not path:
        return "(no migration)"
    parts = [str(path[0].source)]
    for m in path:
        owner = owners.get(id(m)) if owners else None
        parts.append(f"{m.target}" + (f" [{owner}]" if owner else ""))
    return " -> ".join(parts)


@attrs.define
class MigrationGraph:
    """Migrations by source rule set, inverses included."""

    edges: dict[RuleSetRef, list[Migration]] = attrs.field(factory=dict)
    owners: dict[int, str] = attrs.field(factory=dict)
    chosen: dict[tuple[RuleSetRef, RuleSetRef], Path] = attrs.field(factory=dict)

    @classmethod
    def build(cls, migrations: Iterable[tuple[Migration, str]]) -> MigrationGraph:
        graph = cls()
        for migration, owner in migrations:
            graph._add(migration, owner)
            if migration.invertible:
                graph._add(migration.inverse(), owner)
        for steps in graph.edges.values():
            steps.sort(key=step_name)
        return graph

    def _add(self, migration: Migration, owner: str) -> None:
        self.edges.setdefault(migration.source, []).append(migration)
        self.owners[id(migration)] = owner

    def paths(self, source: RuleSetRef, target: RuleSetRef) -> Iterator[Path]:
        """Every simple path from ``source`` to ``target`` (up to MAX_STEPS)."""
        def walk(at: RuleSetRef, seen: frozenset[RuleSetRef], path: Path) -> Iterator[Path]:
            if at == target and path:
                yield path
                return
            if len(path) >= MAX_STEPS:
                return
            for step in self.edges.get(at, ()):
                if step.target not in seen:
                    yield from walk(step.target, seen | {step.target}, path + (step,))

        yield from walk(source, frozenset({source}), ())

    def path(self, source: RuleSetRef, target: RuleSetRef) -> Path:
        """The path used: shortest, then best calibrated, then first by name."""
        if source == target:
            return ()
        if (source, target) not in self.chosen:
            best = min(self.paths(source, target), key=rank, default=None)
            if best is None:
                raise InputError(f"no migration path from {source} to {target}")
            self.chosen[(source, target)] = best
        return self.chosen[(source, target)]

    def incoherence(self, rulesets: Mapping[RuleSetRef, RuleSet],
                    plan_of: Callable[[RuleSet], Plan]) -> Incoherence | None:
        """Two paths between the same rule sets that disagree, or None.

        Pairs of paths are checked shortest first, so the answer names the
        most direct contradiction (usually the migration that caused it).
        """
        pairs: list[tuple[Path, Path]] = []
        for source in sorted(r for r in rulesets if r in self.edges):
            for target in sorted(rulesets):
                if target != source:
                    routes = sorted(self.paths(source, target), key=rank)
                    pairs += combinations(routes, 2)
        pairs.sort(key=lambda p: (len(p[0]) + len(p[1]), rank(p[0]), rank(p[1])))
        carried: dict[tuple[int, tuple[int, ...]], dict[str, Interval]] = {}

        def carry(n: int, path: Path) -> dict[str, Interval]:
            """Probe ``n`` of the path's source, carried along ``path`` (memoised by prefix)."""
            key = (n, tuple(map(id, path)))  # the graph keeps every step alive
            if key not in carried:
                step = path[-1]
                before = carry(n, path[:-1]) if len(path) > 1 else \
                    _probe_areas(rulesets[step.source], n)
                carried[key] = step.apply(before, rulesets[step.source], rulesets[step.target])
            return carried[key]

        for one, other in pairs:
            plan = plan_of(rulesets[one[-1].target])
            for n in range(len(_PROBE_LEVELS) + 2):
                one_areas, other_areas = carry(n, one), carry(n, other)
                clash = _first_disjoint({**one_areas, "total": _total(one_areas, plan)},
                                        {**other_areas, "total": _total(other_areas, plan)})
                if clash is not None:
                    return Incoherence(one, other, clash)
        return None


@attrs.frozen
class Incoherence:
    """Two paths from one rule set to another whose results do not overlap."""

    one: Path
    other: Path
    clash: str

    def steps(self) -> Path:
        return self.one + self.other

    def message(self, owners: Mapping[int, str]) -> str:
        return (f"incoherent migrations from {self.one[0].source} to {self.one[-1].target}: "
                f"path {path_text(self.one, owners)} and path {path_text(self.other, owners)} "
                f"give non-overlapping results for {self.clash}; remove or correct one of them")


def rank(path: Path) -> tuple[int, int, tuple[str, ...]]:
    return (len(path), sum(not m.calibrated for m in path), tuple(map(step_name, path)))


def _total(areas: Mapping[str, Interval], plan: Plan) -> Interval:
    """The total of the areas under ``plan``'s factors (areas aggregate linearly)."""
    low: Points = 0
    high: Points = 0
    for i, key in enumerate(plan.keys):
        if plan.levels[i] is Level.AREA:
            low += plan.factors[i] * areas[key][0]
            high += plan.factors[i] * areas[key][1]
    return low, high


def migrated_provenance(plan: Plan) -> tuple[Provenance, ...]:
    """What a migrated card of ``plan`` knows: the total and the areas, nothing below."""
    return tuple(Provenance.MIGRATED if level in (Level.TOTAL, Level.AREA)
                 else Provenance.UNSCORED for level in plan.levels)


def _first_disjoint(a: Mapping[str, Interval], b: Mapping[str, Interval]) -> str | None:
    for key, (lo_a, hi_a) in a.items():
        lo_b, hi_b = b[key]
        if hi_a < lo_b or hi_b < lo_a:
            return f"{key} ({plain(lo_a)}..{plain(hi_a)} versus {plain(lo_b)}..{plain(hi_b)})"
    return None


_PROBE_LEVELS = tuple(Fraction(k, 4) for k in range(5))


def _probe_areas(ruleset: RuleSet, n: int) -> dict[str, Interval]:
    """Probe ``n``: every area at 0, 1/4, 1/2, 3/4 or its max; then alternating, graded."""
    count = len(ruleset.areas)
    if n < len(_PROBE_LEVELS):
        ratios = [_PROBE_LEVELS[n]] * count
    elif n == len(_PROBE_LEVELS):
        ratios = [Fraction(i % 2) for i in range(count)]
    else:
        ratios = [Fraction(i, max(count - 1, 1)) for i in range(count)]
    return {a.key: (exact(r * a.max), exact(r * a.max))
            for a, r in zip(ruleset.areas, ratios, strict=True)}


def card_from_areas(ruleset: RuleSet, plan: Plan, areas: Mapping[str, Interval],
                    like: ScoreCard | None, path: tuple[Step, ...] = (),
                    uncalibrated: tuple[Step, ...] = (), carried: ScoreCard | None = None
                    ) -> ScoreCard:
    """A card of ``ruleset`` with the given area intervals; what lies below is unknown.

    With ``carried`` (a card whose criteria below areas are those of
    ``ruleset``: see :func:`carries`), points below areas are taken from it
    by key instead: migrated where it knew them, unscored where it did not.
    """
    lows: list[Points] = [0] * len(plan.keys)
    highs: list[Points] = list(plan.maxes)
    provenance = list(migrated_provenance(plan))
    below = {} if carried is None else {
        key: i for i, (key, level) in enumerate(zip(carried.keys, carried.levels, strict=True))
        if level not in (Level.TOTAL, Level.AREA)}
    for i, key in enumerate(plan.keys):
        if plan.levels[i] is Level.AREA:
            lows[i], highs[i] = areas[key]
        elif carried is not None and plan.levels[i] is not Level.TOTAL:
            j = below[key]
            lows[i], highs[i] = carried.lows[j], carried.highs[j]
            if carried.provenance[j] is not Provenance.UNSCORED:
                provenance[i] = Provenance.MIGRATED
    total_low, total_high = _total(areas, plan)
    lows[0], highs[0] = exact(Fraction(total_low)), exact(Fraction(total_high))
    return ScoreCard(ruleset.ref, ruleset.weighting,
                     like.municipality if like else Municipality("probe"),
                     like.date if like else None, ruleset.rounding, plan.keys, plan.levels,
                     plan.maxes, tuple(lows), tuple(highs), tuple(provenance), path,
                     uncalibrated)


def carries(path: Path, rulesets: Mapping[RuleSetRef, RuleSet]) -> bool:
    """Whether every step of ``path`` carries points below areas (AreaMapping.carries)."""
    return bool(path) and all(
        isinstance(m, AreaMapping) and m.carries(rulesets[m.source], rulesets[m.target])
        for m in path)


def migrate(card: ScoreCard, path: Path, rulesets: Mapping[RuleSetRef, RuleSet],
            plan_of: Callable[[RuleSet], Plan]) -> ScoreCard:
    """``card`` carried along ``path``; an empty path returns the card unchanged.

    Points below areas are unknown on the target, unless every step carries
    them (:func:`carries`) and the card has its rule set's criteria.
    """
    if not path:
        return card
    _check_applicable(card)
    areas: dict[str, Interval] = {
        key: (low, high) for key, level, low, high in
        zip(card.keys, card.levels, card.lows, card.highs, strict=True) if level is Level.AREA}
    for step in path:
        areas = step.apply(areas, rulesets[step.source], rulesets[step.target])
    target = rulesets[path[-1].target]
    plan = plan_of(target)
    kept = card if carries(path, rulesets) and \
        card.keys == plan_of(rulesets[path[0].source]).keys else None
    names = tuple(Step(m.source, m.target) for m in path)
    unc = tuple(Step(m.source, m.target) for m in path if not m.calibrated)
    out = card_from_areas(target, plan, areas, card, card.path + names,
                          card.uncalibrated + unc, kept)
    if not card.withheld and card.coverage is None:
        return out
    return attrs.evolve(out, withheld=_withheld(card, path, rulesets, kept is not None),
                        coverage=card.coverage)


def _check_applicable(card: ScoreCard) -> None:
    """No migration says where a not-applicable item's removed maximum would go: refused."""
    if Provenance.NOT_APPLICABLE in card.provenance:
        key = card.keys[card.provenance.index(Provenance.NOT_APPLICABLE)]
        raise InputError(Problem(
            f"{key} is not applicable on {card.ruleset}, and no migration carries a "
            "not-applicable item: score the evaluation on the target rule set",
            keys=evaluation_keys(key)))


def _withheld(card: ScoreCard, path: Path, rulesets: Mapping[RuleSetRef, RuleSet],
              kept: bool) -> frozenset[str]:
    """What stays withheld on the target: each area fed by a withheld area (a coded step may
    mix any areas: all of its targets), the total, and by key what is carried below areas."""
    marked = {k for k, level in zip(card.keys, card.levels, strict=True)
              if level is Level.AREA and card.hidden_by(k) == "withheld"}
    for step in path:
        target = rulesets[step.target]
        if isinstance(step, AreaMapping):
            marked = {t for t, mix in step.areas.items() if marked & mix.keys()}
        elif marked:
            marked = {a.key for a in target.areas}
    below = {k for k in card.withheld if kept and "." in k}
    return frozenset(marked | below | (card.withheld & {TOTAL}))
