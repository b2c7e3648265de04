"""The conformance kit: the laws every rule set and migration must keep, as pytest tests.

A variant's test suite enables it with one line in its ``conftest.py``::

    pytest_plugins = ["kompass_core.testing"]

and names the plugins to check in its pytest configuration::

    [tool.pytest.ini_options]
    kompass_plugins = ["my-variant"]      # entry-point names; default: every plugin

The kit then adds one test per law and per rule set, migration or weighting
of those plugins (``test_law1_bounds[kk-xx@1.0]``, ``test_law5_round_trip[kk-xx@1.0 ->
kk-se@2.0]``, ``test_weighting_keeps_laws_1_and_2[equal-areas]``, ...). Laws that
need a capability a migration lacks (law 5 needs an invertible migration) are
skipped with that reason. The laws are
those of docs/design.md; the strategies in :mod:`kompass_core.testing.strategies`
generate the evaluations and cards. Needs the ``test`` extra (hypothesis).

Each law test tries 25 generated examples, on top of the loaded hypothesis
profile (derandomisation, database, ...); ``--kompass-examples N`` or
``kompass_examples = N`` in the pytest configuration changes the number.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kompass_core.registry.registry import UNKNOWN, Registry

if TYPE_CHECKING:
    from hypothesis import settings

CONFORMANCE = Path(__file__).with_name("conformance.py")
EXAMPLES = 25
PARAMETERS = ("kompass_plugin", "kompass_ruleset", "kompass_migration", "kompass_weighting")
"""The fixtures the kit parametrises its law tests over."""
"""Generated examples per law test unless ``--kompass-examples`` says otherwise."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("kompass_plugins", "kompass plugins (entry-point names) whose rule sets "
                  "and migrations the conformance kit checks (default: all)", type="args")
    parser.addini("kompass_disable_plugins", "kompass plugins not to load, as "
                  "KOMPASS_DISABLE_PLUGINS (which is honoured too)", type="args")
    parser.addini("kompass_plugin_modules", "modules to register as kompass plugins before "
                  "checking (for plugins not installed as entry points)", type="args")
    parser.addini("kompass_examples", "generated examples per law test of the conformance "
                  f"kit (default: {EXAMPLES})", default=str(EXAMPLES))
    parser.getgroup("kompass").addoption(
        "--kompass-examples", type=int, metavar="N", dest="kompass_examples",
        help=f"generated examples per law test of the conformance kit (default: the "
             f"kompass_examples setting, else {EXAMPLES})")


def _examples(config: pytest.Config) -> int:
    given = config.getoption("kompass_examples")
    value = given if given is not None else config.getini("kompass_examples")
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise pytest.UsageError(f"kompass_examples must be a whole number of at least 1, "
                                f"got {value!r}")
    return n


def _registry(config: pytest.Config) -> Registry:
    """The registry under test: every installed plugin but the disabled, failures kept apart.

    Not strict: a broken plugin (installed, or named in ``kompass_plugin_modules``)
    is disabled and named, so that it fails its own ``test_plugin_loads`` while
    the other plugins are checked as usual.
    """
    cached = getattr(config, "_kompass_registry", None)
    if cached is None:
        cached = Registry(disabled=_disabled(config))
        for name in config.getini("kompass_plugin_modules"):
            try:
                module = importlib.import_module(name)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # named whatever it raised, sys.exit() included
                cached.problems.setdefault(name, f"disabled: cannot import {name}: "
                                                 f"{type(exc).__name__}: {exc}")
                continue
            cached.register(module, name)
        config._kompass_registry = cached  # type: ignore[attr-defined]
    return cached


def _disabled(config: pytest.Config) -> list[str]:
    """Plugins not to load: ``kompass_disable_plugins`` and ``KOMPASS_DISABLE_PLUGINS``."""
    names = list(config.getini("kompass_disable_plugins"))
    return names + [n.strip() for n in os.environ.get("KOMPASS_DISABLE_PLUGINS", "").split(",")
                    if n.strip()]


def _chosen(config: pytest.Config, registry: Registry) -> set[str]:
    """The plugins to check: those named, else every one that is not disabled."""
    names = set(config.getini("kompass_plugins")) | set(config.getini("kompass_plugin_modules"))
    return names or {p.name for p in registry.plugins() if p.status != "blocked"
                     and not p.status.startswith(UNKNOWN)}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the kit's tests over the chosen plugins' rule sets and migrations."""
    if not set(PARAMETERS) & set(metafunc.fixturenames):
        return
    registry = _registry(metafunc.config)
    chosen = _chosen(metafunc.config, registry)
    if "kompass_plugin" in metafunc.fixturenames:
        metafunc.parametrize("kompass_plugin", sorted(chosen), ids=sorted(chosen))
    if "kompass_ruleset" in metafunc.fixturenames:
        refs = [str(r.ref) for r in registry.rulesets() if registry.provider(r.ref) in chosen]
        metafunc.parametrize("kompass_ruleset", refs, ids=refs)
    if "kompass_weighting" in metafunc.fixturenames:
        names = sorted(w for p in registry.plugins() if p.name in chosen for w in p.weightings)
        metafunc.parametrize("kompass_weighting", names, ids=names)
    if "kompass_migration" in metafunc.fixturenames:
        steps = [f"{m.source} -> {m.target}" for m, owner in registry.migrations()
                 if owner in chosen]
        metafunc.parametrize("kompass_migration", steps, ids=steps)


@pytest.fixture(scope="session")
def kompass_registry(request: pytest.FixtureRequest) -> Registry:
    """The registry the conformance kit checks (a plugin's problems fail its own test)."""
    return _registry(request.config)


@pytest.fixture(scope="session")
def kompass_settings(request: pytest.FixtureRequest) -> settings:
    """The hypothesis settings of each law test: the loaded profile, N examples, no deadline."""
    from hypothesis import HealthCheck, settings

    return settings(max_examples=_examples(request.config), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def pytest_configure(config: pytest.Config) -> None:
    _examples(config)  # a bad number is a usage error before anything runs


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[Any]) -> None:
    """Add the kit's tests to the session: enabling the plugin is all a suite needs."""
    if any(getattr(item, "path", None) == CONFORMANCE for item in items):
        return
    module = pytest.Module.from_parent(session, path=CONFORMANCE)
    items.extend(item for item in module.collect() if _checks_something(item))


def _checks_something(item: Any) -> bool:
    """False for a law test over no item (plugins without migrations have no migration laws)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return True
    return all(isinstance(callspec.params.get(name, ""), str) for name in PARAMETERS)
