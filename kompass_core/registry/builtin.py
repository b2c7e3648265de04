"""The core's own plugin: the weighting models, registered like any other plugin's."""

from __future__ import annotations

from kompass_core.engine.weighting import BUILTIN_WEIGHTINGS, Weighting
from kompass_core.registry.hookspec import hookimpl


@hookimpl
def kompass_weightings() -> list[Weighting]:
    return list(BUILTIN_WEIGHTINGS)
