"""Loading the plugins' migrations: checked, joined into one graph, the incoherent dropped.

Imported on first need only: scoring never pays for migrations. A plugin's
migrations can be wrong in ways seen only together (two paths between the
same rule sets that disagree), so loading is a loop: build the graph, find
the plugins to blame, drop their migrations (never their rule sets, which
may be in use) and try again, until the rest is coherent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from kompass_core.engine.migration_graph import MigrationGraph
from kompass_core.formats.migration import parse_migration
from kompass_core.model.errors import InputError, PluginError
from kompass_core.model.migration import Migration
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.registry.collect import collect
from kompass_core.registry.sources import Readable, read_resource, readable

if TYPE_CHECKING:
    from pluggy import HookCaller

    from kompass_core.engine.plan import Plan

MigrationSource = Migration | Readable | str
"""What ``kompass_migrations`` may return: a migration or the path of its file."""

Declared = dict[tuple[RuleSetRef, RuleSetRef], tuple[Migration, str]]
"""Migrations by ``(source, target)``, each with the plugin that declares it."""


def to_migration(item: object) -> Migration:
    """The migration ``item`` is, or the one its file holds."""
    file = readable(item)
    if file is not None:
        return parse_migration(*read_resource(file))
    if isinstance(item, Migration):
        return item
    raise InputError(f"{item!r} is neither a Migration nor the path of a migration file")


def load_migrations(hook: HookCaller, rulesets: Mapping[RuleSetRef, RuleSet],
                    plan: Callable[[RuleSet], Plan], *, builtin: Callable[[str], bool],
                    fail: Callable[[str, str], None], strict: bool, skipped: list[str]
                    ) -> tuple[MigrationGraph, Declared]:
    """The coherent graph of the migrations ``hook`` gives, and the migrations kept.

    A migration joining a rule set that is not registered is left out with a
    note in ``skipped``; a plugin whose migrations fail is passed to ``fail``.
    Raises :class:`PluginError` when strict, or when a built-in plugin is to blame.
    """
    declared: Declared = collect(hook, to_migration, lambda m: (m.source, m.target),
                                 what="migration", fail=fail, builtin=builtin,
                                 label=lambda k: f"{k[0]} -> {k[1]}")
    for (source, target), (_, plugin) in list(declared.items()):
        missing = [str(r) for r in (source, target) if r not in rulesets]
        if missing:  # its rule set's plugin is blocked or failed: skip just this step
            note = (f"plugin {plugin!r}: migration {source} -> {target} skipped: no "
                    f"rule set {' or '.join(missing)} is registered")
            if strict:
                raise PluginError(note)
            if note not in skipped:
                skipped.append(note)
            del declared[(source, target)]
    dropped: set[str] = set()
    while True:
        found = {k: v for k, v in declared.items() if v[1] not in dropped}
        bad = _bad_migrations(found, rulesets)
        if not bad:
            graph = MigrationGraph.build(found.values())
            clash = graph.incoherence(rulesets, plan)
            if clash is None:
                return graph, found
            owners = {graph.owners[id(m)] for m in clash.steps()}
            bad = {o: clash.message(graph.owners) for o in owners if not builtin(o)}
            if not bad or strict:
                raise PluginError(clash.message(graph.owners))
        for plugin, message in bad.items():
            fail(plugin, message)
            dropped.add(plugin)


def _bad_migrations(found: Declared, rulesets: Mapping[RuleSetRef, RuleSet]) -> dict[str, str]:
    """The plugins with a migration that fails its checks, each with its first problem."""
    bad: dict[str, str] = {}
    for (source, target), (migration, plugin) in found.items():
        problems = migration.check(rulesets[source], rulesets[target])
        if problems:
            bad.setdefault(plugin, "; ".join(f"migration {source} -> {target}: {p}"
                                             for p in problems))
        elif migration.invertible and (target, source) in found:
            other = found[(target, source)][1]
            bad.setdefault(plugin, f"migration {target} -> {source} is declared by plugin "
                                   f"{other!r} and derived as the inverse of {source} -> "
                                   f"{target} from plugin {plugin!r}; keep one of them")
    return bad
