"""KREVI (Denmark): the 2009 Kommunekompasset pilot, registered as a kompass plugin."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from kompass_core import hookimpl

_DATA = files("kompass_rulesets") / "krevi"


@hookimpl
def kompass_rulesets() -> list[Traversable]:
    return [_DATA / "kk-dk-krevi-2009.toml"]
