"""The conformance kit: the laws every rule set and migration must keep, as pytest tests.

A variant's test suite enables it with one line in its ``conftest.py``::

    pytest_plugins = ["kompass_core.testing"]

and names the plugins to check in its pytest configuration::

    [tool.pytest.ini_options]
    kompass_plugins = ["my-variant"]      # entry-point names; default: every plugin

The kit then adds one test per law and per rule set or migration of those
plugins (``test_law1_bounds[kk-xx@1.0]``, ``test_law5_round_trip[kk-xx@1.0 ->
kk-se@2.0]``, ...). Laws that need a capability a migration lacks (law 5
needs an invertible migration) are skipped with that reason. The laws are
those of docs/design.md; the strategies in :mod:`kompass_core.testing.strategies`
generate the evaluations and cards. Needs the ``test`` extra (hypothesis).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from kompass_core.registry.registry import Registry

CONFORMANCE = Path(__file__).with_name("conformance.py")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("kompass_plugins", "kompass plugins (entry-point names) whose rule sets "
                  "and migrations the conformance kit checks (default: all)", type="args")
    parser.addini("kompass_plugin_modules", "modules to register as kompass plugins before "
                  "checking (for plugins not installed as entry points)", type="args")


def _registry(config: pytest.Config) -> Registry:
    cached = getattr(config, "_kompass_registry", None)
    if cached is None:
        cached = Registry(strict=True)
        for name in config.getini("kompass_plugin_modules"):
            cached.register(importlib.import_module(name), name)
        config._kompass_registry = cached  # type: ignore[attr-defined]
    return cached


def _chosen(config: pytest.Config, registry: Registry) -> set[str]:
    names = set(config.getini("kompass_plugins")) | set(config.getini("kompass_plugin_modules"))
    return names or {p.name for p in registry.plugins()}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the kit's tests over the chosen plugins' rule sets and migrations."""
    if "kompass_ruleset" not in metafunc.fixturenames and \
            "kompass_migration" not in metafunc.fixturenames:
        return
    registry = _registry(metafunc.config)
    chosen = _chosen(metafunc.config, registry)
    if "kompass_ruleset" in metafunc.fixturenames:
        refs = [str(r.ref) for r in registry.rulesets() if registry.provider(r.ref) in chosen]
        metafunc.parametrize("kompass_ruleset", refs, ids=refs)
    if "kompass_migration" in metafunc.fixturenames:
        steps = [f"{m.source} -> {m.target}" for m, owner in registry.migrations()
                 if owner in chosen]
        metafunc.parametrize("kompass_migration", steps, ids=steps)


@pytest.fixture(scope="session")
def kompass_registry(request: pytest.FixtureRequest) -> Registry:
    """The registry the conformance kit checks (strict: any plugin problem is an error)."""
    return _registry(request.config)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[Any]) -> None:
    """Add the kit's tests to the session: enabling the plugin is all a suite needs."""
    if any(getattr(item, "path", None) == CONFORMANCE for item in items):
        return
    module = pytest.Module.from_parent(session, path=CONFORMANCE)
    items.extend(module.collect())
