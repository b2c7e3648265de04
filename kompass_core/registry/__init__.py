"""Plugins: the hooks they implement, how they are found, and the registry that serves them.

A plugin gives rule sets, weighting models and migrations through the hooks
of :mod:`~kompass_core.registry.hookspec`; the :class:`Registry` finds plugins
through the ``kompass`` entry points, checks everything they give, disables
the ones that fail (naming them) and serves the rest. The modules, by part:

- ``registry``: the :class:`Registry` and its queries, over pluggy;
- ``collect``: one hook's answers from every plugin, merged, conflicts refused;
- ``sources``: the files plugins name, read at load, parsed on first use;
- ``migrations``: migrations loaded on first need, incoherent ones dropped;
- ``default``: the process-wide registry of the command line;
- ``entrypoints`` and ``distribution``: finding plugins and kompass's own version
  without importlib.metadata.

Names are imported on first use, as in :mod:`kompass_core`: every import of a
submodule runs this file, and the command line must not pay for pluggy or a
rule-set parser where it needs neither.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompass_core.registry.api import score
    from kompass_core.registry.default import configure_default, current_default, default_registry
    from kompass_core.registry.distribution import DISTRIBUTION, ENTRY_POINT_GROUP, version
    from kompass_core.registry.hookspec import hookimpl
    from kompass_core.registry.registry import PluginInfo, Registry
    from kompass_core.registry.sources import Readable

_WHERE = {
    "DISTRIBUTION": "kompass_core.registry.distribution",
    "ENTRY_POINT_GROUP": "kompass_core.registry.distribution",
    "PluginInfo": "kompass_core.registry.registry",
    "Readable": "kompass_core.registry.sources",
    "Registry": "kompass_core.registry.registry",
    "configure_default": "kompass_core.registry.default",
    "current_default": "kompass_core.registry.default",
    "default_registry": "kompass_core.registry.default",
    "hookimpl": "kompass_core.registry.hookspec",
    "score": "kompass_core.registry.api",
    "version": "kompass_core.registry.distribution",
}

__all__ = [
    "DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "Readable",
    "Registry",
    "configure_default",
    "current_default",
    "default_registry",
    "hookimpl",
    "score",
    "version",
]


def __getattr__(name: str) -> Any:
    try:
        module = _WHERE[name]
    except KeyError:  # also how `from kompass_core.registry import sources` finds a submodule
        raise AttributeError(f"module 'kompass_core.registry' has no attribute {name!r}") \
            from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
