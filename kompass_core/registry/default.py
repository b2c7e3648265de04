"""The process-wide registry that the command line and ``kompass_core.score`` share.

One per process, built on first use, so that plugins are found and loaded once
however many commands or calls ask; its settings come from the command line
(``--disable-plugin``, ``--strict``), and changing them builds a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kompass_core.registry.registry import Registry

_default: Registry | None = None
_settings: dict[str, Any] = {"disabled": (), "strict": False}


def configure_default(*, disabled: Iterable[str] = (), strict: bool = False) -> None:
    """Settings for the process-wide registry (the CLI's --disable-plugin and --strict).

    The registry is rebuilt only when the settings change, so repeated calls
    with the same settings keep its loaded plugins.
    """
    global _default
    wanted = {"disabled": tuple(disabled), "strict": strict}
    if wanted != _settings:
        _settings.update(wanted)
        _default = None


def default_registry() -> Registry:
    """The process-wide registry over installed entry points (created on first use)."""
    global _default
    if _default is None:
        _default = Registry(**_settings)
    return _default


def current_default() -> Registry | None:
    """The process-wide registry if one was created (for reporting its warnings)."""
    return _default
