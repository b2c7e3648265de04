"""The core's own plugin: the weighting models, registered like any other plugin's."""

from __future__ import annotations

from kompass_core.hookspec import hookimpl
from kompass_core.weighting import BUILTIN_WEIGHTINGS, Weighting


@hookimpl
def kompass_weightings() -> list[Weighting]:
    return list(BUILTIN_WEIGHTINGS)
