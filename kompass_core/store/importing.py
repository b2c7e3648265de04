"""Results CSV rows scored into records: what ``db import`` of a CSV and seeding do.

A row carries area points and a total; each row is scored with its rule
set, and every problem of every row is reported at once, so a bad file is
never imported in part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import attrs

from kompass_core.engine.plan import picker
from kompass_core.engine.scoring import score_with
from kompass_core.engine.weighting import Weighting
from kompass_core.formats.results import AREA_COLUMNS, Row, area_positions, bundled_rows, read_rows
from kompass_core.model.card import TOTAL
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation, Municipality
from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.store.bulk import bulk
from kompass_core.store.records import Record, make_record

if TYPE_CHECKING:
    from kompass_core.registry.registry import Registry

BUNDLED = "bundled"
"""The origin of the published results a new store is seeded with."""


def evaluation_from_row(row: Row, keys: Sequence[str], areas: Sequence[Points | None]
                        ) -> Evaluation:
    """A results-CSV row as an evaluation: its total and the points of areas ``keys``.

    ``areas`` are those areas' cells of the row, in the same order (see
    :func:`kompass_core.formats.results.area_positions`).
    """
    if row.ruleset is None:
        raise InputError(Problem("no rule set", keys=("ruleset",)))
    points: dict[str, Points] = (
        {k: v for k, v in zip(keys, areas, strict=True) if v is not None}
        if None in areas else dict(zip(keys, cast(Sequence[Points], areas), strict=True)))
    if row.total is not None:
        points[TOTAL] = row.total
    return Evaluation(row.ruleset, Municipality(row.municipality, row.code or None,
                                                row.country or None), points=points)


@attrs.frozen
class _Layout:
    """One rule set, its weighting, and where its areas are among the CSV's columns."""

    ruleset: RuleSet
    model: Weighting
    keys: tuple[str, ...]
    pick: Callable[[Sequence[Points | None]], tuple[Points | None, ...]]
    unused: tuple[int, ...]
    """Positions of the area columns the rule set has no area for: they must be empty."""


def _layout(registry: Registry, ref: RuleSetRef, name: str, line: int) -> _Layout:
    ruleset = registry.ruleset(ref)
    keys = tuple(a.key for a in ruleset.areas)
    at = area_positions(ref, keys, name, line)
    return _Layout(ruleset, registry.weighting(ruleset.weighting.name), keys, picker(at),
                   tuple(i for i in range(len(AREA_COLUMNS)) if i not in at))


def _column(keys: Sequence[str]) -> str:
    """The results-CSV column of a scoring problem's key path (``areas.3`` -> ``a3``)."""
    if len(keys) == 2 and keys[0] == "areas":
        return f"a{keys[1]}"
    return ".".join(keys)


def records_from_csv(text: str, name: str, registry: Registry, origin: str
                     ) -> tuple[list[Record], int]:
    """The records of a results CSV (see :func:`records_from_rows`).

    The collector pauses for the parsing too, which makes a row object per line.
    """
    with bulk():
        return _records(read_rows(text, name), registry, name, origin, skip_unknown=False)


def records_from_rows(rows: Sequence[Row], registry: Registry, name: str, origin: str,
                      skip_unknown: bool = False) -> tuple[list[Record], int]:
    """Score every row of a results CSV; rows without a rule set are skipped and counted.

    Every problem of every row is raised at once (``file:line: column:
    message``), so a bad file is never imported in part. With
    ``skip_unknown``, rows whose rule set is not registered (or has areas a
    results CSV cannot hold) are skipped (and counted) instead.
    """
    with bulk():
        return _records(rows, registry, name, origin, skip_unknown)


def _records(rows: Sequence[Row], registry: Registry, name: str, origin: str,
             skip_unknown: bool) -> tuple[list[Record], int]:
    records: list[Record] = []
    problems: list[Problem] = []
    skipped = 0
    known: dict[RuleSetRef, _Layout] = {}
    for n, row in enumerate(rows, start=2):
        line = row.line or n
        if row.ruleset is None:
            skipped += 1
            continue
        layout = known.get(row.ruleset)
        if layout is None:
            try:
                layout = known[row.ruleset] = _layout(registry, row.ruleset, name, line)
            except InputError as err:
                if skip_unknown:
                    skipped += 1
                else:
                    problems += [Problem(p.message, name, line, ("ruleset",))
                                 for p in err.problems]
                continue
        if not row.municipality.strip():
            problems.append(Problem("missing the municipality's name", name, line,
                                    ("municipality",)))
            continue
        if layout.unused and any(row.areas[i] is not None for i in layout.unused):
            problems += [Problem(f"{row.ruleset} has no area {AREA_COLUMNS[i][1:]}", name, line,
                                 (AREA_COLUMNS[i],))
                         for i in layout.unused if row.areas[i] is not None]
            continue
        evaluation = evaluation_from_row(row, layout.keys, layout.pick(row.areas))
        try:
            card = score_with(evaluation, layout.ruleset, layout.model,
                              layout.ruleset.weighting)
        except InputError as err:
            problems += [Problem(p.message, name, line, (_column(p.keys),))
                         for p in err.problems]
            continue
        records.append(make_record(evaluation, card, origin, row.kind, row.year, row.source,
                                   row.basis or None))
    if problems:
        raise InputError(problems)
    return records, skipped


def seed_records(registry: Registry) -> tuple[list[Record], int]:
    """The bundled published results, scored; rows no registered rule set fits are skipped."""
    return records_from_rows(bundled_rows(), registry, "published-results.csv", BUNDLED,
                             skip_unknown=True)
