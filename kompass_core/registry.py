"""The registry: a typed facade over pluggy that loads, checks and serves plugins.

Entry points are read only when something first asks for a rule set or a
weighting, never at import, so commands that need no rule set start fast.
Every item a plugin returns is validated here, and every error names the
plugin that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pluggy

from kompass_core import builtin, hookspec
from kompass_core.errors import InputError, KompassError, PluginError, Problem
from kompass_core.evaluation import Evaluation
from kompass_core.migration import Migration
from kompass_core.migration_format import parse_migration
from kompass_core.migration_graph import MigrationGraph, migrate, rank
from kompass_core.reading import MAX_BYTES, decode
from kompass_core.refs import RuleSetRef
from kompass_core.ruleset import RuleSet, WeightingSpec
from kompass_core.ruleset_format import parse_ruleset
from kompass_core.scoring import Plan, ScoreCard, score_with
from kompass_core.weighting import Weighting

RuleSetSource = RuleSet | Path | Traversable | str
"""What ``kompass_rulesets`` may return: a rule set or the path of its file."""

MigrationSource = Migration | Path | Traversable | str
"""What ``kompass_migrations`` may return: a migration or the path of its file."""

ENTRY_POINT_GROUP = "kompass"
CORE = "core"

T = TypeVar("T")


@attrs.frozen
class PluginInfo:
    """What ``kompass plugins`` shows about one plugin."""

    name: str
    module: str
    distribution: str | None
    version: str | None
    rulesets: tuple[RuleSetRef, ...]
    weightings: tuple[str, ...]
    migrations: tuple[str, ...] = ()


class Registry:
    """All rule sets and weighting models that the plugins provide.

    ``Registry()`` finds plugins through the ``kompass`` entry points;
    ``Registry(entry_points=False)`` starts with only the core, for tests and
    embedding tools that register plugins themselves with :meth:`register`.
    """

    def __init__(self, *, entry_points: bool = True) -> None:
        self._pm = pluggy.PluginManager(hookspec.PROJECT)
        self._pm.add_hookspecs(hookspec)
        self._pm.register(builtin, name=CORE)
        self._entry_points = entry_points
        self._dists: dict[str, tuple[str, str]] = {}
        self._rulesets: dict[RuleSetRef, tuple[RuleSet, str]] | None = None
        self._weightings: dict[str, tuple[Weighting, str]] = {}
        self._migrations: dict[tuple[RuleSetRef, RuleSetRef], tuple[Migration, str]] = {}
        self._graph: MigrationGraph | None = None

    def register(self, plugin: object, name: str) -> None:
        """Register a plugin object or module under ``name`` (before first use)."""
        if self._rulesets is not None:
            raise PluginError(f"plugin {name!r}: register plugins before the registry is used")
        try:
            self._pm.register(plugin, name=name)
        except ValueError as exc:
            raise PluginError(f"plugin {name!r}: {exc}") from None
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r}: {exc}") from None

    # -- loading -------------------------------------------------------------

    def _load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if self._pm.get_plugin(ep.name) is not None or self._pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must be named, whatever it raised
                raise PluginError(f"plugin {ep.name!r}: cannot import {ep.value}: "
                                  f"{type(exc).__name__}: {exc}") from None
            self.register(plugin, ep.name)
            if ep.dist is not None:
                self._dists[ep.name] = (ep.dist.name, ep.dist.version)

    def _ensure(self) -> dict[RuleSetRef, tuple[RuleSet, str]]:
        if self._rulesets is not None:
            return self._rulesets
        if self._entry_points:
            self._load_entry_points()
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {self._pm.get_name(exc.plugin)!r}: {exc}") from None
        weightings = self._collect(self._pm.hook.kompass_weightings, _check_weighting,
                                   lambda w: w.name, "weighting")
        self._weightings = weightings
        rulesets = self._collect(self._pm.hook.kompass_rulesets, _to_ruleset,
                                 lambda r: r.ref, "rule set")
        for ruleset, plugin in rulesets.values():
            self._check_weighting_of(ruleset, plugin)
        self._rulesets = dict(sorted(rulesets.items()))
        return self._rulesets

    def _ensure_migrations(self) -> MigrationGraph:
        """Load and check migrations on first need (scoring alone never pays for it)."""
        if self._graph is None:
            self._graph = self._load_migrations()
        return self._graph

    def _load_migrations(self) -> MigrationGraph:
        rulesets = {ref: rs for ref, (rs, _) in self._ensure().items()}
        found = self._collect(self._pm.hook.kompass_migrations, _to_migration,
                              lambda m: (m.source, m.target), "migration")
        for (source, target), (migration, plugin) in found.items():
            problems = [Problem(f"no rule set {ref} is registered") for ref in (source, target)
                        if ref not in rulesets]
            if not problems:
                problems = migration.check(rulesets[source], rulesets[target])
            if problems:
                raise PluginError([Problem(f"plugin {plugin!r}: migration {source} -> {target}: "
                                           f"{p}") for p in problems])
            if migration.invertible and (target, source) in found:
                other = found[(target, source)][1]
                raise PluginError(f"migration {target} -> {source} is declared by plugin "
                                  f"{other!r} and derived as the inverse of {source} -> {target} "
                                  f"from plugin {plugin!r}; keep one of them")
        graph = MigrationGraph.build(found.values())
        graph.check_coherence(rulesets, self.plan)
        self._migrations = found
        return graph

    def _collect(self, hook: Any, check: Callable[[object], T], key: Callable[[T], Any],
                 what: str) -> dict[Any, tuple[T, str]]:
        found: dict[Any, tuple[T, str]] = {}
        for impl in hook.get_hookimpls():  # registration order
            name = impl.plugin_name
            try:
                items = impl.function()
            except Exception as exc:  # a hook that raises must be named
                raise PluginError(f"plugin {name!r}: {hook.name}() raised "
                                  f"{type(exc).__name__}: {exc}") from None
            if not isinstance(items, list | tuple):
                raise PluginError(f"plugin {name!r}: {hook.name}() must return a list, "
                                  f"got {type(items).__name__}")
            for item in items:
                try:
                    value = check(item)
                except KompassError as err:
                    raise PluginError([Problem(f"plugin {name!r}: {p}") for p in err.problems]
                                      ) from None
                k = key(value)
                if k in found:
                    first, second = sorted((found[k][1], name))
                    raise PluginError(f"{what} {k} is provided by both plugin {first!r} "
                                      f"and plugin {second!r}")
                found[k] = (value, name)
        return found

    def _check_weighting_of(self, ruleset: RuleSet, plugin: str) -> None:
        spec = ruleset.weighting
        try:
            model = self._lookup_weighting(spec.name)
            Plan.build(ruleset, model, spec)
        except KompassError as err:
            raise PluginError([Problem(f"plugin {plugin!r}: {ruleset.ref}: {p}")
                               for p in err.problems]) from None

    # -- queries -------------------------------------------------------------

    def rulesets(self) -> list[RuleSet]:
        """Every registered rule set, sorted by reference."""
        return [rs for rs, _ in self._ensure().values()]

    def ruleset(self, ref: RuleSetRef | str) -> RuleSet:
        """The rule set ``ref`` (``id@version``); InputError naming the known ones if none."""
        if isinstance(ref, str):
            ref = RuleSetRef.parse(ref)
        found = self._ensure().get(ref)
        if found is None:
            known = ", ".join(str(r) for r in self._ensure()) or "none"
            raise InputError(f"unknown rule set {str(ref)!r} (known: {known})")
        return found[0]

    def provider(self, ref: RuleSetRef) -> str:
        """The name of the plugin that provides rule set ``ref``."""
        self.ruleset(ref)
        return self._ensure()[ref][1]

    def plan(self, ruleset: RuleSet) -> Plan:
        """The compiled scoring plan of ``ruleset`` under its declared weighting."""
        self._ensure()
        spec = ruleset.weighting
        model = self._lookup_weighting(spec.name)
        return ruleset.cached(("plan", model.name, spec.name, tuple(spec.params.items())),
                              lambda: Plan.build(ruleset, model, spec))

    def migrations(self) -> list[tuple[Migration, str]]:
        """Every declared migration with the plugin that provides it."""
        self._ensure_migrations()
        return [self._migrations[k] for k in sorted(self._migrations)]

    def migration_path(self, source: RuleSetRef | str, target: RuleSetRef | str
                       ) -> tuple[Migration, ...]:
        """The steps used to go from ``source`` to ``target`` (empty when equal)."""
        src, tgt = self.ruleset(source).ref, self.ruleset(target).ref
        return self._ensure_migrations().path(src, tgt)

    def migration_paths(self, source: RuleSetRef | str, target: RuleSetRef | str
                        ) -> list[tuple[Migration, ...]]:
        """Every path from ``source`` to ``target``, the one used first."""
        src, tgt = self.ruleset(source).ref, self.ruleset(target).ref
        return sorted(self._ensure_migrations().paths(src, tgt), key=rank)

    def migrate(self, card: ScoreCard, target: RuleSetRef | str) -> ScoreCard:
        """``card`` carried to rule set ``target`` along :meth:`migration_path`."""
        rulesets = {ref: rs for ref, (rs, _) in self._ensure().items()}
        path = self.migration_path(card.ruleset, target)
        return migrate(card, path, rulesets, self.plan)

    def weightings(self) -> list[Weighting]:
        """Every registered weighting model, sorted by name."""
        self._ensure()
        return [w for _, (w, _) in sorted(self._weightings.items())]

    def weighting(self, name: str) -> Weighting:
        """The weighting model called ``name``; InputError naming the known ones if none."""
        self._ensure()
        return self._lookup_weighting(name)

    def _lookup_weighting(self, name: str) -> Weighting:
        found = self._weightings.get(name)
        if found is None:
            known = ", ".join(sorted(self._weightings))
            raise InputError(f"unknown weighting {name!r} (known: {known})")
        return found[0]

    def plugins(self) -> list[PluginInfo]:
        """Every registered plugin with its version and what it provides."""
        rulesets = self._ensure()
        self._ensure_migrations()
        out = []
        for name, plugin in sorted(self._pm.list_name_plugin(), key=lambda p: p[0]):
            dist, version = self._dists.get(name, (None, None))
            if name == CORE:
                dist, version = "kompass", _own_version()
            out.append(PluginInfo(
                name=name, module=getattr(plugin, "__name__", type(plugin).__name__),
                distribution=dist, version=version,
                rulesets=tuple(r for r, (_, p) in rulesets.items() if p == name),
                weightings=tuple(sorted(w for w, (_, p) in self._weightings.items()
                                        if p == name)),
                migrations=tuple(f"{s} -> {t}" for (s, t), (_, p) in
                                 sorted(self._migrations.items()) if p == name)))
        return out

    def score(self, evaluation: Evaluation, weighting: str | WeightingSpec | None = None,
              ruleset: RuleSet | None = None) -> ScoreCard:
        """Score ``evaluation`` under its rule set's declared weighting, or another one.

        The rule set is looked up by the evaluation's reference unless given.
        """
        ruleset = ruleset or self.ruleset(evaluation.ruleset)
        if isinstance(weighting, str):
            weighting = ruleset.weighting if weighting == ruleset.weighting.name \
                else WeightingSpec(weighting)
        spec = weighting or ruleset.weighting
        return score_with(evaluation, ruleset, self.weighting(spec.name), spec)

def _own_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kompass")
    except PackageNotFoundError:
        return None


def _check_weighting(item: object) -> Weighting:
    if not isinstance(item, Weighting) or not isinstance(getattr(item, "name", None), str):
        raise InputError(f"{item!r} is not a weighting model (needs name, description "
                         "and weights(ruleset, params))")
    return item


def _read_resource(item: Traversable) -> tuple[str, str]:
    name = str(item)
    try:
        data = item.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"cannot read: {exc.strerror or exc}", file=name)) from None
    if len(data) > MAX_BYTES:
        raise InputError(Problem(f"file is larger than the limit of {MAX_BYTES} bytes",
                                 file=name))
    return decode(data, name), name


def _to_migration(item: object) -> Migration:
    if isinstance(item, str | os.PathLike):
        item = Path(item)
    if isinstance(item, Traversable):
        return parse_migration(*_read_resource(item))
    if isinstance(item, Migration):
        return item
    raise InputError(f"{item!r} is neither a Migration nor the path of a migration file")


def _to_ruleset(item: object) -> RuleSet:
    if isinstance(item, RuleSet):
        return item
    if isinstance(item, str | os.PathLike):
        item = Path(item)
    if isinstance(item, Traversable):
        return parse_ruleset(*_read_resource(item))
    raise InputError(f"{item!r} is neither a RuleSet nor the path of a rule-set file")


_default: Registry | None = None


def default_registry() -> Registry:
    """The process-wide registry over installed entry points (created on first use)."""
    global _default
    if _default is None:
        _default = Registry()
    return _default

