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
from typing import TYPE_CHECKING

import attrs

from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.points import FRACTION_DIGITS, MAX_DIGITS, Points, from_text
from kompass_core.model.refs import RuleSetRef

if TYPE_CHECKING:
    from _csv import Reader

COLUMNS = ("ruleset", "kind", "country", "municipality", "year", "a1", "a2", "a3", "a4", "a5",
           "a6", "a7", "a8", "total", "source_url", "notes")
KINDS = ("evaluation", "average", "derived")
BASIS = "ruleset_basis"
"""An optional column: whether the source states the row's rule set or we inferred it."""
BASES = ("stated", "inferred")
CODE = "code"
"""An optional column: the municipality's official code (``0114``), which identifies it
across renamings and spellings where the name alone would not."""
OPTIONAL = (BASIS, CODE)
"""The optional columns besides the area columns, in the order kompass writes them."""
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
    basis: str = ""
    """``stated`` (the source names the rule set), ``inferred`` (we inferred it, e.g. from
    the year) or empty (the file does not say: column ``ruleset_basis`` left out or empty)."""
    code: str = ""
    """The municipality's official code, or empty (column ``code`` left out or empty)."""


REQUIRED = tuple(c for c in COLUMNS if c not in AREA_COLUMNS)
"""The columns every results CSV has; of the area columns, those its rule sets' areas need."""
MAX_CELL = csv.field_size_limit()
"""Most characters in a cell (the csv module's limit, which kompass leaves as it is)."""


def read_rows(text: str, name: str) -> list[Row]:
    """Rows of a results CSV with the columns of :data:`COLUMNS` (see docs/formats.md).

    Problems name the line of the file where the row ends. Columns may come
    in any order, and others are ignored; an area column left out is empty.
    The delimiter is that of the header line: ``;`` (as Nordic spreadsheet
    programs write) if it has more semicolons than commas, else ``,``.
    """
    first = text.partition("\n")[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    lines = _Lines(reader, name)
    header = next(lines, [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(Problem(f"missing columns: {', '.join(missing)}", file=name, line=1))
    position = {column: i for i, column in enumerate(header)}  # the last of a repeated name
    width = len(header)
    position.update((c, width) for c in AREA_COLUMNS if c not in position)  # an empty cell
    for column in OPTIONAL:
        position.setdefault(column, width)
    pick = itemgetter(*(position[c] for c in (*COLUMNS, *OPTIONAL)))
    refs: dict[str, RuleSetRef | None] = {"": None}
    rows, problems = [], []
    for cells in lines:
        if not cells:
            continue
        line = reader.line_num
        if len(cells) > width:
            problems.append(Problem(f"{len(cells)} cells, but {width} columns", file=name,
                                    line=line))
            continue
        cells += [""] * (width + 1 - len(cells))  # cell ``width``: an area column left out
        ruleset, kind, country, municipality, year, *numbers, source, _notes, basis, code = \
            pick(cells)
        ruleset, kind, country, municipality, source, code = map(
            unquoted, (ruleset, kind, country, municipality, source, code.strip()))
        found = len(problems)
        ref = refs.get(ruleset, ...)
        if ref is ...:
            try:
                ref = refs[ruleset] = RuleSetRef.parse(ruleset)
            except InputError as err:
                ref = None
                problems.append(Problem(err.problems[0].message, name, line, ("ruleset",)))
        basis = basis.strip()
        if basis and basis not in BASES:
            problems.append(Problem(f"{basis[:40]!r} is not one of: {', '.join(BASES)}", name,
                                    line, (BASIS,)))
        if kind not in KINDS:
            problems.append(Problem(f"{kind!r} is not one of: {', '.join(KINDS)}", name, line,
                                    ("kind",)))
        values: list[Points | None]
        digits = "".join(numbers)
        if all(numbers) and digits.isdigit() and digits.isascii() \
                and max(map(len, numbers)) <= MAX_DIGITS:  # the usual row
            values = list(map(int, numbers))
        else:
            values = [_number(cell.strip(), name, line, column, problems)
                      for column, cell in zip(NUMBER_COLUMNS, numbers, strict=True)]
        year = year.strip()
        if year and not (year.isascii() and year.isdigit() and len(year.lstrip("0")) <= 4):
            problems.append(Problem(f"{year[:40]!r} is not a year", name, line, ("year",)))
        _check_country(country, name, line, problems)
        if len(problems) == found:
            rows.append(Row(ref, kind, country, municipality, int(year) if year else None,
                            tuple(values[:-1]), values[-1], source, line, basis, code))
    if problems:
        raise InputError(problems)
    return rows


class _Lines:
    """The rows of a csv reader, a malformed quote or an overlong cell raised as a problem.

    The problem names the line where the row that holds it begins: an
    unclosed quote makes its cell run on to the end of the file (or to the
    next quote), so the line where the csv module notices it says little.
    """

    def __init__(self, reader: Reader, name: str) -> None:
        self.reader, self.name = reader, name

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> list[str]:
        start = self.reader.line_num + 1
        try:
            return next(self.reader)
        except csv.Error as err:
            message = (f"the row that begins here has a cell of more than {MAX_CELL} characters "
                       "(is a quote not closed?)" if "field limit" in str(err) else
                       "a quoted cell in the row that begins here is not closed (a quote in a "
                       'quoted cell is doubled: "")')
            raise InputError(Problem(message, self.name, start)) from None


def unquoted(cell: str) -> str:
    """``cell`` without the one ``'`` that kompass's CSV writer puts before a would-be formula.

    The writer prefixes ``'`` to a text cell that starts, after any quotes, with
    ``= + - @``, tab or CR (so spreadsheets show it as text); removing one such
    quote gives back exactly what was written. Other cells are unchanged.
    """
    if cell.startswith("'") and cell.lstrip("'").startswith(("=", "+", "-", "@", "\t", "\r")):
        return cell[1:]
    return cell


def _check_country(cell: str, name: str, line: int, problems: list[Problem]) -> None:
    """An empty country cell, or a code by the rule evaluation files follow (``SE``, not ``se``).

    Queries filter by exact code, so ``se`` would be silently left out of ``--country SE``.
    """
    if cell and (why := country_problem(cell)):
        problems.append(Problem(why, name, line, ("country",)))


def _number(cell: str, name: str, line: int, column: str, problems: list[Problem]
            ) -> Points | None:
    """The points in ``cell`` (``12``, ``12.5``, ``12,5``, ``25/2``), None if empty.

    A comma in a cell is a decimal comma: in a semicolon file it cannot be
    anything else, and in a comma file the cell must have been quoted.
    """
    if not cell:
        return None
    try:
        value: Points | None = from_text(cell.replace(",", ".", 1) if "." not in cell else cell)
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or value < 0:
        limit = (f" (at most {MAX_DIGITS} digits before and after a decimal point, "
                 f"{FRACTION_DIGITS} in a fraction's numerator and denominator)"
                 if len(cell) > MAX_DIGITS else "")
        problems.append(Problem(f"{cell[:40]!r} is not a number of points{limit}", name, line,
                                (column,)))
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
