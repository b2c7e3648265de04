"""The results CSV: published results, one row per evaluation or average.

Both the report's reference averages and the results store read this
documented format (docs/formats.md), so it lives with the other formats,
apart from either of them. Points are read exactly, never through a float.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

import attrs

from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.points import Points, from_text
from kompass_core.model.refs import RuleSetRef

COLUMNS = ("ruleset", "kind", "country", "municipality", "year", "a1", "a2", "a3", "a4", "a5",
           "a6", "a7", "a8", "total", "source_url", "notes")
KINDS = ("evaluation", "average", "derived")
AREA_COLUMNS = COLUMNS[5:13]
"""Area N's points are in column ``aN``: the format holds up to eight areas, keyed 1 to 8,
as every published Kommunkompass has."""
NUMBER_COLUMNS = (*AREA_COLUMNS, "total")
_AREA_AT = {column[1:]: i for i, column in enumerate(AREA_COLUMNS)}  # "3" -> 2


@attrs.frozen
class Row:
    """One published result."""

    ruleset: RuleSetRef | None
    kind: str
    country: str
    municipality: str
    year: int | None
    areas: tuple[Points | None, ...]
    """The points of columns a1 to a8 (see :func:`area_positions`)."""
    total: Points | None
    source: str
    line: int = attrs.field(default=0, eq=False)
    """Where the row ends in its file (0 when it was not read from one)."""


def read_rows(text: str, name: str) -> list[Row]:
    """Rows of a results CSV with the columns of :data:`COLUMNS` (see docs/formats.md).

    Problems name the line of the file where the row ends. Columns may come
    in any order, and others are ignored.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(Problem(f"missing columns: {', '.join(missing)}", file=name, line=1))
    position = {column: i for i, column in enumerate(header)}  # the last of a repeated name
    pick = itemgetter(*(position[c] for c in COLUMNS))
    width = len(header)
    refs: dict[str, RuleSetRef | None] = {"": None}
    rows, problems = [], []
    for cells in reader:
        if not cells:
            continue
        line = reader.line_num
        if len(cells) > width:
            problems.append(Problem(f"{len(cells)} cells, but {width} columns", file=name,
                                    line=line))
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        ruleset, kind, country, municipality, year, *numbers, source, _notes = pick(cells)
        found = len(problems)
        ref = refs.get(ruleset, ...)
        if ref is ...:
            try:
                ref = refs[ruleset] = RuleSetRef.parse(ruleset)
            except InputError as err:
                ref = None
                problems.append(Problem(err.problems[0].message, name, line, ("ruleset",)))
        if kind not in KINDS:
            problems.append(Problem(f"{kind!r} is not one of: {', '.join(KINDS)}", name, line,
                                    ("kind",)))
        values: list[Points | None]
        digits = "".join(numbers)
        if all(numbers) and digits.isdigit() and digits.isascii():  # the usual row
            values = list(map(int, numbers))
        else:
            values = [_number(cell.strip(), name, line, column, problems)
                      for column, cell in zip(NUMBER_COLUMNS, numbers, strict=True)]
        year = year.strip()
        if year and not year.isdecimal():
            problems.append(Problem(f"{year!r} is not a year", name, line, ("year",)))
        _check_country(country, name, line, problems)
        if len(problems) == found:
            rows.append(Row(ref, kind, country, municipality, int(year) if year else None,
                            tuple(values[:-1]), values[-1], source, line))
    if problems:
        raise InputError(problems)
    return rows


def _check_country(cell: str, name: str, line: int, problems: list[Problem]) -> None:
    """An empty country cell, or a code by the rule evaluation files follow (``SE``, not ``se``).

    Queries filter by exact code, so ``se`` would be silently left out of ``--country SE``.
    """
    if cell and (why := country_problem(cell)):
        problems.append(Problem(why, name, line, ("country",)))


def _number(cell: str, name: str, line: int, column: str, problems: list[Problem]
            ) -> Points | None:
    """The points in ``cell`` (``12``, ``12.5``, ``25/2``), None if empty; a problem if bad."""
    if not cell:
        return None
    try:
        value: Points | None = from_text(cell)
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or value < 0:
        problems.append(Problem(f"{cell!r} is not a number of points", name, line, (column,)))
        return None
    return value


def bundled_rows() -> list[Row]:
    """The published results shipped with kompass (kompass_core/data)."""
    path = Path(__file__).parent.parent / "data" / "published-results.csv"
    return read_rows(path.read_text(encoding="utf-8"), path.name)


def holds(keys: Sequence[str]) -> bool:
    """Whether a results CSV has a column for each of these area keys (1 to 8)."""
    return all(key in _AREA_AT for key in keys)


def area_positions(ruleset: RuleSetRef, keys: Sequence[str], file: str | None = None,
                   line: int | None = None) -> tuple[int, ...]:
    """Where each area's points are in :attr:`Row.areas`: area N's in column ``aN``.

    The area keys come from the rule set (or its scores). A rule set with an
    area the format has no column for is an error rather than an area
    silently left out.
    """
    unheld = [key for key in keys if key not in _AREA_AT]
    if unheld:
        raise InputError(Problem(
            f"{ruleset} has area(s) {', '.join(unheld)}, but a results CSV holds areas 1 to "
            f"{len(AREA_COLUMNS)} only (columns {AREA_COLUMNS[0]} to {AREA_COLUMNS[-1]})",
            file, line, ("ruleset",)))
    return tuple(_AREA_AT[key] for key in keys)
