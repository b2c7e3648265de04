"""The core's own plugin: the standard weighting model, registered like any other."""

from __future__ import annotations

from kompass_core.hookspec import hookimpl
from kompass_core.weighting import SumWeighting, Weighting


@hookimpl
def kompass_weightings() -> list[Weighting]:
    return [SumWeighting()]
