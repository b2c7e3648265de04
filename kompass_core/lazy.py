"""Lazy exports: a package's public names imported on first use.

``import kompass_core`` (and so the ``kompass`` command's start) then costs
only what a caller touches; the package keeps its map of names to modules
and its static ``__all__`` (which type checkers read), and this module
turns them into the module-level ``__getattr__`` and ``__dir__`` (PEP 562).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any


def exports(package: str, where: Mapping[str, str], names: Sequence[str],
            namespace: MutableMapping[str, Any]
            ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``where`` maps a name to its module,
    or ``"module:attr"`` where the name is a rename; each value is kept once loaded."""

    def getattr_(name: str) -> Any:
        if name == "__version__":
            from kompass_core.registry.distribution import version  # importlib.metadata

            value: Any = version() or "0+unknown"  # "0+unknown": an uninstalled source tree
        else:
            try:
                module, _, attr = where[name].partition(":")
            except KeyError:
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
            value = getattr(importlib.import_module(module), attr or name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted([*names, "__version__"])

    return getattr_, dir_
