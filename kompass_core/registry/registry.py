"""The :class:`Registry`: pluggy set up for kompass, and the queries that serve its plugins.

Entry points are read only when something first asks for a rule set or a
weighting, never at import, so commands that need no rule set start fast.
A plugin that fails is disabled here, named, while the others keep working;
how one hook's answers are merged is in :mod:`.collect`, how rule-set files
are read in :mod:`.sources`, how migrations load in :mod:`.migrations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs
import pluggy

from kompass_core.engine.plan import Plan
from kompass_core.engine.scoring import score_with
from kompass_core.engine.weighting import Weighting
from kompass_core.formats.ruleset import parse_ruleset
from kompass_core.model.card import ScoreCard
from kompass_core.model.errors import InputError, KompassError, PluginError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet, WeightingSpec
from kompass_core.registry import builtin, distribution, hookspec
from kompass_core.registry.collect import collect
from kompass_core.registry.distribution import DISTRIBUTION, ENTRY_POINT_GROUP, normalise
from kompass_core.registry.sources import Pending, checked_object, peek_ruleset

if TYPE_CHECKING:  # migrations load on first need; scoring alone never imports them
    from kompass_core.engine.migration_graph import MigrationGraph
    from kompass_core.engine.migration_plan import PathPlan
    from kompass_core.model.migration import Migration
    from kompass_core.registry.strings import ReportStrings

CORE = "core"
UNKNOWN = "not installed"


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
    status: str = "ok"


class Registry:
    """All rule sets, weighting models and migrations that the plugins provide.

    ``Registry()`` finds plugins through the ``kompass`` entry points;
    ``Registry(entry_points=False)`` starts with only the core, for tests and
    embedding tools that register plugins themselves with :meth:`register`.

    A plugin that fails (cannot be imported, raises, returns malformed data,
    or claims what another plugin provides) is disabled as a whole and its
    reason kept in :attr:`problems`; the others keep working. A plugin whose
    migrations fail loses only those, as its rule sets may be in use. ``strict``
    turns every such problem into a :class:`PluginError` instead (for the CI
    of variant authors). ``disabled`` names plugins not to load at all.
    """

    def __init__(self, *, entry_points: bool = True, disabled: Iterable[str] = (),
                 strict: bool = False) -> None:
        self._pm = pluggy.PluginManager(hookspec.PROJECT)
        self._pm.add_hookspecs(hookspec)
        self._pm.register(builtin, name=CORE)
        self._disabled = tuple(dict.fromkeys(disabled))
        self._named: set[str] = {CORE}  # every plugin name met: registered or an entry point
        for name in self._disabled:
            if name == CORE:
                raise PluginError("the core plugin cannot be disabled")
            self._pm.set_blocked(name)
        self._entry_points = entry_points
        self._strict = strict
        self._dists: dict[str, tuple[str, str]] = {}
        self._rulesets: dict[RuleSetRef, tuple[RuleSet | Pending, str]] | None = None
        self._weightings: dict[str, tuple[Weighting, str]] = {}
        self._migrations: dict[tuple[RuleSetRef, RuleSetRef], tuple[Migration, str]] = {}
        self._graph: MigrationGraph | None = None
        self._path_plans: dict[tuple[RuleSetRef, RuleSetRef | str], PathPlan] = {}
        self._checked: set[RuleSetRef] = set()
        self._strings: dict[str, tuple[ReportStrings, str]] | None = None
        self.problems: dict[str, str] = {}
        """Plugins that failed, by name: ``disabled: REASON``, or ``migrations disabled: REASON``
        when only their migrations were dropped (their rule sets may be in use); also
        ``not installed: ...`` for a name in ``disabled`` that no plugin has."""
        self.skipped: list[str] = []
        """Migrations left out because a rule set they join is not registered."""

    def register(self, plugin: object, name: str) -> None:
        """Register a plugin object or module under ``name`` (before first use)."""
        if self._rulesets is not None:
            raise PluginError(f"plugin {name!r}: register plugins before the registry is used")
        self._named.add(name)
        if self._pm.is_blocked(name):
            return
        try:
            self._pm.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            self._fail(name, str(exc))

    # -- loading -------------------------------------------------------------

    def _fail(self, plugin: str, message: str) -> None:
        """Disable ``plugin`` for ``message`` and stop serving what it provides.

        Raises instead when strict or for the core.
        """
        if self._strict or plugin == CORE:
            raise PluginError(f"plugin {plugin!r}: {message}")
        self.problems.setdefault(plugin, f"disabled: {message}")
        if self._pm.get_plugin(plugin) is not None:
            self._pm.unregister(name=plugin)
        self._weightings = {k: v for k, v in self._weightings.items() if v[1] != plugin}
        if self._rulesets is not None:
            self._rulesets = {k: v for k, v in self._rulesets.items() if v[1] != plugin}

    def _builtin(self, plugin: str) -> bool:
        return plugin == CORE or normalise(self._dists.get(plugin, ("", ""))[0]) == DISTRIBUTION

    def _load_entry_points(self) -> None:
        """Import every entry point of the group, the built-in plugins first.

        The built-in plugins are those of kompass's own distribution: a plugin
        of another distribution using one of their names never displaces them
        (it is refused and named), and of two third-party plugins with one
        name the second on ``sys.path`` is refused, naming the first.
        """
        from kompass_core.registry.entrypoints import entry_points

        found = entry_points(ENTRY_POINT_GROUP)
        self._named.update(ep.name for ep in found)
        for ep in sorted(found, key=lambda e: (normalise(e.dist) != DISTRIBUTION, e.name)):
            if self._pm.is_blocked(ep.name):
                continue
            if ep.name in self._dists:
                self._fail(f"{ep.name} ({ep.dist})",
                           f"entry point {ep.name!r} of distribution {ep.dist!r} is ignored: "
                           f"plugin {ep.name!r} is that of distribution "
                           f"{self._dists[ep.name][0]!r}")
                continue
            if self._pm.get_plugin(ep.name) is not None:
                continue  # registered explicitly by the embedding program, which wins
            self._dists[ep.name] = (ep.dist, ep.version)
            try:
                plugin = ep.load()
            except KeyboardInterrupt:  # Ctrl-C is the user's, not the plugin's
                raise
            except BaseException as exc:  # named whatever it raised, sys.exit() included
                self._fail(ep.name, f"cannot import {ep.value}: {type(exc).__name__}: {exc}")
                continue
            self.register(plugin, ep.name)

    def _ensure(self) -> dict[RuleSetRef, tuple[RuleSet | Pending, str]]:
        if self._rulesets is not None:
            return self._rulesets
        if self._entry_points:
            self._load_entry_points()
        for name in self._disabled:  # a typo must not pass for a plugin left out
            if name not in self._named:
                self.problems.setdefault(name, f"{UNKNOWN}: the disable list (--disable-plugin, "
                                               "KOMPASS_DISABLE_PLUGINS) names it, but no "
                                               "plugin has that name")
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self._fail(self._pm.get_name(exc.plugin) or "?", str(exc))
        weightings = collect(self._pm.hook.kompass_weightings, _check_weighting,
                             lambda w: w.name, what="weighting", fail=self._fail,
                             builtin=self._builtin)
        if any(not self._builtin(p) for _, p in weightings.values()):
            from kompass_core.registry.weightings import CheckedWeighting

            weightings = {k: (w if self._builtin(p) else CheckedWeighting(w, p, self._fail), p)
                          for k, (w, p) in weightings.items()}
        self._weightings = weightings
        rulesets = collect(self._pm.hook.kompass_rulesets, peek_ruleset, lambda r: r.ref,
                           what="rule set", fail=self._fail, builtin=self._builtin)
        self._rulesets = dict(sorted(rulesets.items()))
        return self._rulesets

    def _resolve(self, ref: RuleSetRef) -> RuleSet:
        """The rule set ``ref``, parsed and checked on first use.

        Files are read when plugins load but parsed only when a command
        needs them: a command using one rule set does not pay for eight.
        A file that then fails disables its plugin, as at load.
        """
        index = self._ensure()
        item, plugin = index[ref]
        if ref in self._checked and isinstance(item, RuleSet):
            return item
        try:
            ruleset = checked_object(item) if isinstance(item, RuleSet) \
                else parse_ruleset(item.text, item.name)
            if ruleset.ref != ref:
                raise InputError(f"{ruleset.ref} in the file, {ref} in its header")
            self._check_weighting_of(ruleset)
        except PluginError:  # a plugin's weighting misbehaved: that plugin is disabled and named
            raise
        except KompassError as err:
            message = "; ".join(str(p) for p in err.problems)
            self._fail(plugin, message)
            raise PluginError(f"plugin {plugin!r}: {message}") from None
        index[ref] = (ruleset, plugin)
        self._checked.add(ref)
        return ruleset

    def _ensure_migrations(self) -> MigrationGraph:
        """Load and check migrations on first need (scoring alone never pays for it)."""
        if self._graph is None:
            from kompass_core.registry.migrations import load_migrations

            rulesets = {r.ref: r for r in self.rulesets()}
            self._graph, self._migrations = load_migrations(
                self._pm.hook.kompass_migrations, rulesets, self.plan, builtin=self._builtin,
                fail=self._fail_migrations, strict=self._strict, skipped=self.skipped)
        return self._graph

    def _fail_migrations(self, plugin: str, message: str, part: str = "migrations") -> None:
        """Drop only a plugin's migrations (or report strings): its rule sets may be in use."""
        if self._strict or self._builtin(plugin):
            raise PluginError(f"plugin {plugin!r}: {message}")
        self.problems.setdefault(plugin, f"{part} disabled: {message}")

    def _check_weighting_of(self, ruleset: RuleSet) -> None:
        spec = ruleset.weighting
        try:
            Plan.build(ruleset, self._lookup_weighting(spec.name), spec)
        except PluginError:  # the weighting's own plugin is to blame, and named
            raise
        except KompassError as err:
            raise InputError([Problem(f"{ruleset.ref}: {p}") for p in err.problems]) from None

    # -- queries -------------------------------------------------------------

    def rulesets(self) -> list[RuleSet]:
        """Every registered rule set, sorted by reference (all parsed and checked)."""
        out = []
        for ref in list(self._ensure()):
            if ref not in (self._rulesets or {}):
                continue  # dropped with its failed plugin
            try:
                out.append(self._resolve(ref))
            except PluginError:
                if self._strict:
                    raise
        return out

    def ruleset(self, ref: RuleSetRef | str) -> RuleSet:
        """The rule set ``ref`` (``id@version``); InputError naming the known ones if none."""
        if isinstance(ref, str):
            ref = RuleSetRef.parse(ref)
        if ref not in self._ensure():
            known = ", ".join(str(r) for r in self._ensure()) or "none"
            raise InputError(f"unknown rule set {str(ref)!r} (known: {known})")
        return self._resolve(ref)

    def provider(self, ref: RuleSetRef) -> str:
        """The name of the plugin that provides rule set ``ref``."""
        self.ruleset(ref)
        return self._ensure()[ref][1]

    def plan(self, ruleset: RuleSet) -> Plan:
        """The compiled scoring plan of ``ruleset`` under its declared weighting."""
        self._ensure()
        spec = ruleset.weighting
        return Plan.cached(ruleset, self._lookup_weighting(spec.name), spec)

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
        from kompass_core.engine.migration_graph import rank

        return sorted(self._ensure_migrations().paths(src, tgt), key=rank)

    def migrate(self, card: ScoreCard, target: RuleSetRef | str) -> ScoreCard:
        """``card`` carried to rule set ``target`` along :meth:`migration_path`.

        The path is compiled once per pair of rule sets (see
        :class:`~kompass_core.engine.migration_plan.PathPlan`), so bulk migration
        costs about as much as scoring.
        """
        compiled = self._path_plans.get((card.ruleset, target))
        if compiled is None:  # also kept under the parsed target, for either spelling
            ref = self.ruleset(target).ref
            compiled = self._path_plans.get((card.ruleset, ref))
            if compiled is None:
                from kompass_core.engine.migration_plan import PathPlan

                path = self.migration_path(card.ruleset, ref)
                rulesets = {r: self._resolve(r) for m in path for r in (m.source, m.target)}
                compiled = PathPlan(path, rulesets, self.plan)
            self._path_plans[(card.ruleset, target)] = compiled
            self._path_plans[(card.ruleset, ref)] = compiled
        return compiled.migrate(card)

    def report_strings(self, builtin: Mapping[str, Mapping[str, str]]
                       ) -> dict[str, Mapping[str, str]]:
        """The report words plugins add, by language: each with every key of ``builtin``
        (kompass's own words, by language), none replacing a built-in language."""
        if self._strings is None:
            from kompass_core.registry.strings import checked_strings
            self._ensure()
            self._strings = collect(
                self._pm.hook.kompass_report_strings, lambda i: checked_strings(i, builtin),
                lambda s: s.lang, what="report language", builtin=self._builtin,
                fail=lambda p, m: self._fail_migrations(p, m, "report strings"))
        return {lang: s.strings for lang, (s, _) in sorted(self._strings.items())}

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
        """Every plugin with its version, what it provides, and whether it is in use."""
        self.rulesets()
        rulesets = self._ensure()
        self._ensure_migrations()
        out = []
        seen = set()
        for name, plugin in sorted(self._pm.list_name_plugin(), key=lambda p: p[0]):
            seen.add(name)
            dist, version = self._dists.get(name, (None, None))
            if name == CORE:
                dist, version = DISTRIBUTION, distribution.version()
            if plugin is None:
                out.append(PluginInfo(name, "-", dist, version, (), (), (),
                                      self.problems.get(name, "blocked")))
                continue
            out.append(PluginInfo(
                name=name, module=getattr(plugin, "__name__", type(plugin).__name__),
                distribution=dist, version=version,
                rulesets=tuple(r for r, (_, p) in rulesets.items() if p == name),
                weightings=tuple(sorted(w for w, (_, p) in self._weightings.items()
                                        if p == name)),
                migrations=tuple(f"{s} -> {t}" for (s, t), (_, p) in
                                 sorted(self._migrations.items()) if p == name),
                status=self.problems.get(name, "ok")))  # still registered: only partly disabled
        for name, message in sorted(self.problems.items()):
            if name not in seen:
                dist, version = self._dists.get(name, (None, None))
                out.append(PluginInfo(name, "-", dist, version, (), (), (), message))
        return out

    def score(self, evaluation: Evaluation, ruleset: RuleSet | None = None, *,
              weighting: str | WeightingSpec | None = None) -> ScoreCard:
        """Score ``evaluation`` under its rule set's declared weighting, or another one.

        The rule set is looked up by the evaluation's reference unless given.
        """
        ruleset = ruleset or self.ruleset(evaluation.ruleset)
        if isinstance(weighting, WeightingSpec):
            return score_with(evaluation, ruleset, self.weighting(weighting.name), weighting)
        name = ruleset.weighting.name if weighting is None else weighting
        return score_with(evaluation, ruleset, self.weighting(name))


def _check_weighting(item: object) -> Weighting:
    """``item`` if it is a weighting model; checked by shape, as plugins need not subclass."""
    if not isinstance(item, Weighting) or not isinstance(getattr(item, "name", None), str):
        raise InputError(f"{item!r} is not a weighting model (needs name, description "
                         "and weights(ruleset, params))")
    return item
