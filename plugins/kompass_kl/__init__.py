"""KL (Denmark): Kommunekompasset rule sets and migrations, registered as a kompass plugin."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from kompass_core import hookimpl

_DATA = files("kompass_rulesets") / "kl"


@hookimpl
def kompass_rulesets() -> list[Traversable]:
    return [_DATA / "kk-dk-2.0.toml"]


@hookimpl
def kompass_migrations() -> list[Traversable]:
    return [
        _DATA / "kk-se-2.0--kk-dk-2.0.migration.toml",
    ]
