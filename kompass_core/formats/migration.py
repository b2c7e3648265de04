"""The migration file format (TOML or JSON; see docs/formats.md).

Migrations are data and are never executed. A file names its two rule
sets, maps every target area to source areas with shares, and states its
calibration explicitly: ``status = "calibrated"`` with the published
interval on the total, or ``status = "uncalibrated"`` where no source gives
one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kompass_core.formats.fields import Fields
from kompass_core.formats.reading import build, build_dict, read_text
from kompass_core.formats.ruleset import read_assumed, read_cited, read_sources
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.migration import AreaMapping, Interval
from kompass_core.model.points import Points

MIGRATION_ASSUMABLE = ("mapping", "calibration")
_TOP = ("from", "to", "invertible", "assumed", "note", "calibration", "sources", "areas")


def load_migration(source: str | Path) -> AreaMapping:
    """Read and check a migration file (its rule sets are checked when registered)."""
    return parse_migration(*read_text(source))


def parse_migration(text: str, name: str = "<migration>") -> AreaMapping:
    """Parse migration text; problems carry file, line and key path."""
    return build(text, name, migration_from_data)


def migration_from_dict(data: Mapping[str, Any], name: str = "<dict>") -> AreaMapping:
    """A migration from a dict of the documented file shape, checked as :func:`parse_migration`."""
    return build_dict(data, name, migration_from_data)


def migration_from_data(data: dict[str, Any]) -> AreaMapping:
    """Build an :class:`AreaMapping` from a parsed document, or raise every problem."""
    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only(*_TOP)
    refs = [ref for ref in (top.ref("from", True), top.ref("to", True)) if ref is not None]
    invertible = top.data.get("invertible", False)
    if not isinstance(invertible, bool):
        top.problem("expected true or false", "invertible")
    assumed = read_assumed(top, MIGRATION_ASSUMABLE)
    sources = read_sources(top)
    offset = _calibration(top, {s.id for s in sources})
    areas: dict[str, dict[str, Points]] = {}
    for target, mix in top.tables("areas"):
        shares: dict[str, Points] = {}
        for key in mix.data:
            value = mix.number(key)
            if value is not None:
                shares[key] = value
        if not shares and mix.ok:
            mix.problem("maps no source area")
        areas[target] = shares
    if top.ok and "areas" not in top.data:
        top.problem("missing required key 'areas'")
    if problems or len(refs) != 2:
        raise InputError(problems)
    return AreaMapping(refs[0], refs[1], areas, offset, bool(invertible),
                       top.text("note"), sources, assumed)


def _calibration(top: Fields, source_ids: set[str]) -> Interval | None:
    table = top.table("calibration", required=True)
    if table is None:
        return None
    table.only("status", "total", "note", "sources")
    status = table.text("status", required=True)
    read_cited(table, source_ids)
    if status == "uncalibrated":
        if table.has("total"):
            table.problem("an uncalibrated migration has no total", "total")
        return None
    if status != "calibrated":
        if status is not None:
            table.problem(f"status must be 'calibrated' or 'uncalibrated', not {status!r}",
                          "status")
        return None
    raw = table.data.get("total")
    if not isinstance(raw, list) or len(raw) != 2:
        table.problem("expected [low, high]: the points added to the total", "total")
        return None
    pair = Fields({"low": raw[0], "high": raw[1]}, table.keys + ("total",), table.problems)
    low, high = pair.number("low"), pair.number("high")
    if low is None or high is None:
        return None
    return (low, high)
