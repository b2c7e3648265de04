"""Reference averages for reports: what other municipalities scored.

A report compares a municipality with the average of municipalities
evaluated with the same rule set. The rows come from a results CSV given
with ``--reference``, else from the results store when there is one, else
from the published results bundled with kompass: a published average where
one exists, else the mean of the area-level evaluations made with that rule
set, always with the count and the sources, so a reader knows how much the
line on the chart rests on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from fractions import Fraction
from operator import itemgetter
from pathlib import Path

import attrs

from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, exact, from_text
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet

COLUMNS = ("ruleset", "kind", "country", "municipality", "year", "a1", "a2", "a3", "a4", "a5",
           "a6", "a7", "a8", "total", "source_url", "notes")
KINDS = ("evaluation", "average", "derived")
AREA_COLUMNS = COLUMNS[5:13]
NUMBER_COLUMNS = (*AREA_COLUMNS, "total")


@attrs.frozen
class Row:
    """One published result."""

    ruleset: RuleSetRef | None
    kind: str
    country: str
    municipality: str
    year: int | None
    areas: tuple[Points | None, ...]
    total: Points | None
    source: str
    line: int = attrs.field(default=0, eq=False)
    """Where the row ends in its file (0 when it was not read from one)."""


@attrs.frozen
class Reference:
    """Average area scores for one rule set, and what they rest on."""

    ruleset: RuleSetRef
    areas: dict[str, Points]
    total: Points
    count: int | None
    description: str
    sources: tuple[str, ...]


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
        if len(problems) == found:
            rows.append(Row(ref, kind, country, municipality, int(year) if year else None,
                            tuple(values[:8]), values[8], source, line))
    if problems:
        raise InputError(problems)
    return rows


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


def reference_for(ruleset: RuleSet, rows: Sequence[Row], evaluated: Municipality | None = None,
                  year: int | None = None, origin: str = "published results bundled with "
                                                        "kompass",
                  noun: str = "published evaluation(s)") -> Reference | None:
    """The reference for ``ruleset``: a published average, else the mean of evaluations.

    The evaluation being reported (same municipality and year) is left out.
    None when the rows hold no area scores for the rule set.
    """
    keys = [a.key for a in ruleset.areas]
    if keys != [str(i) for i in range(1, 9)]:
        return None
    usable = [r for r in rows if r.ruleset == ruleset.ref and None not in r.areas
              and not (evaluated and r.municipality.casefold() == evaluated.name.casefold()
                       and r.year == year)]
    averages = [r for r in usable if r.kind == "average"]
    if averages:
        chosen = [max(averages, key=lambda r: r.year or 0)]
        what = f"published average ({chosen[0].municipality}, {chosen[0].year})"
        count = None
    else:
        chosen = [r for r in usable if r.kind == "evaluation"]
        if not chosen:
            return None
        names = ", ".join(r.municipality + (f" {r.year}" if r.year is not None else "")
                          for r in chosen)
        what = f"mean of {len(chosen)} {noun}: {names}"
        count = len(chosen)
    areas = {k: exact(sum((Fraction(r.areas[i] or 0) for r in chosen), start=Fraction(0))
                      / len(chosen)) for i, k in enumerate(keys)}
    return Reference(ruleset.ref, areas, exact(sum((Fraction(v) for v in areas.values()),
                                                   start=Fraction(0))),
                     count, f"{what}; from {origin}",
                     tuple(dict.fromkeys(r.source for r in chosen if r.source)))
