"""KREVI (Denmark): the 2009 Kommunekompasset pilot, registered as a kompass plugin."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from kompass_core import hookimpl

_DATA = files("kompass_rulesets") / "krevi"


@hookimpl
def kompass_rulesets() -> list[Traversable]:
    return [_DATA / "kk-dk-krevi-2009.toml"]


@hookimpl
def kompass_migrations() -> list[Traversable]:
    return [
        _DATA / "kk-se-1.0--kk-dk-krevi-2009.migration.toml",
    ]
