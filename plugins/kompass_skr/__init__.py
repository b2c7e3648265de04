"""SKL/SKR (Sweden): Kommunkompassen rule sets and migrations, registered as a kompass plugin."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from kompass_core import hookimpl

_DATA = files("kompass_rulesets") / "skr"


@hookimpl
def kompass_rulesets() -> list[Traversable]:
    return [
        _DATA / "kk-se-1.0.toml",
        _DATA / "kk-se-2.0.toml",
        _DATA / "kk-se-2015.toml",
        _DATA / "kk-se-2020.toml",
    ]


@hookimpl
def kompass_migrations() -> list[Traversable]:
    return [
        _DATA / "kk-se-2.0--kk-se-1.0.migration.toml",
        _DATA / "kk-se-2.0--kk-se-2015.migration.toml",
        _DATA / "kk-se-2015--kk-se-2020.migration.toml",
    ]
