"""Reading a filled scoring workbook (layout: :mod:`kompass_core.formats.xlsx`).

Every problem names the file, sheet and cell, and all of a workbook's
problems are reported together, so a user fixes it in one round.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kompass_core.formats.fields import type_name
from kompass_core.formats.xlsx import EVALUATION_SHEET, require_openpyxl
from kompass_core.formats.xlsx_texts import TEXTS_SHEET, read_texts
from kompass_core.model.country import country_problem
from kompass_core.model.dates import PartialDate, read_date
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import (
    NOTE_KINDS,
    AreaNotes,
    Evaluation,
    Municipality,
    Status,
    evaluation_keys,
)
from kompass_core.model.narrative import Conduct, Fact, Star, prose, text_problem
from kompass_core.model.points import Points, from_number, not_points
from kompass_core.model.refs import RuleSetRef

MAX_UNPACKED = 32 * 1024 * 1024
"""Largest unpacked workbook we parse: a filled template is well below 1 MiB,
and the cap keeps a small zip bomb from exhausting memory."""

_KEY = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)*")
_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")

MAX_COLUMNS = 64
"""Columns read from each sheet: the template uses A to G, and evaluators may go on to the
right of B; more would only cost memory."""

Rows = list[tuple[Any, ...]]
Sheet = tuple[str, Rows, list[tuple[int, int]]]
"""A sheet's title, its rows of saved values, and the cells holding a formula with none."""


def read_evaluation(data: bytes, name: str) -> Evaluation:
    """The evaluation in a filled workbook; every problem names ``name``, sheet and cell.

    Whether keys exist and points fit their max is left to scoring, as for
    TOML files; this checks what the workbook itself holds.
    """
    return _Reader(name).read(_load(data, name))


def _load(data: bytes, name: str) -> list[Sheet]:
    """Every sheet's title, cell values and unsaved formulas, read in one place so that the
    many exceptions openpyxl raises on a broken file all become one message.

    Only columns A to :data:`MAX_COLUMNS` are read, and each row only up to its last value:
    openpyxl pads every row to its widest cell, so one cell in column XFD per row would
    otherwise make a small file take gigabytes. A sheet whose stored size is wider is refused.
    """
    openpyxl = require_openpyxl()
    import zipfile

    unreadable = InputError(Problem("is not a readable .xlsx workbook", file=name))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # BadZipFile, ValueError, OSError, ... on a damaged archive
        raise unreadable from None
    if unpacked > MAX_UNPACKED:
        raise InputError(Problem(f"unpacks to more than the limit of {MAX_UNPACKED} bytes",
                                 file=name))
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            return [_sheet(ws, raw, name)
                    for ws, raw in zip(values.worksheets, formulas.worksheets, strict=True)]
        finally:
            values.close()
            formulas.close()
    except InputError:
        raise
    except Exception:  # openpyxl raises KeyError, ValueError, TypeError, ... on bad parts
        raise unreadable from None


def _sheet(ws: Any, raw: Any, name: str) -> Sheet:
    """One sheet read through ``ws`` (saved values) and ``raw`` (the same, with formulas)."""
    title = str(ws.title)
    if (ws.max_column or 0) > MAX_COLUMNS:
        raise InputError(Problem(
            f"sheet {title!r} is {ws.max_column} columns wide: a kompass workbook uses at most "
            f"{MAX_COLUMNS} (A to {_letter(MAX_COLUMNS)}); delete the cells to the right",
            file=name))
    ws.reset_dimensions()  # do not trust the stored size: read every row
    raw.reset_dimensions()
    rows = [_trimmed(row) for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)]
    unsaved = [(cell.row, cell.column) for row in raw.iter_rows(max_col=MAX_COLUMNS)
               for cell in row
               if cell.data_type == "f" and _saved(rows[cell.row - 1], cell.column - 1) is None]
    return title, rows, unsaved


def _saved(row: Sequence[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _letter(column: int) -> str:
    """The letters of a column up to :data:`MAX_COLUMNS`: 1 is A, 28 is AB."""
    high, low = divmod(column - 1, 26)
    return ("" if high == 0 else chr(ord("A") + high - 1)) + chr(ord("A") + low)


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``row`` without its trailing empty cells, so memory follows the cells a sheet holds."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _at(row: Sequence[Any], column: int) -> Any:
    value = _saved(row, column)
    return None if isinstance(value, str) and not value.strip() else value


_STATUSES = tuple(s.value for s in Status)


def _label(value: Any) -> str | None:
    return value.strip().casefold() if isinstance(value, str) else None


def _number(value: Any) -> Any:
    """A points cell as a number: text such as ``12,5`` as an exact Decimal; anything else
    (numeric cells hold the floats Excel stores) as it is, for ``from_number``."""
    if isinstance(value, str) and _NUMBER.fullmatch(text := value.strip()):
        return Decimal(text.replace(",", "."))
    return value


def _text(value: Any) -> str:
    """A note or comment as text; numbers keep how they read."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _evaluators(row: Sequence[Any]) -> tuple[str, ...]:
    """The names in the cells right of column A, one per cell or comma-separated."""
    return tuple(name.strip() for value in row[1:] if value is not None
                 for name in _text(value).split(",") if name.strip())


class _Reader:
    """Collects every problem of one workbook, so a user fixes it in one round."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.points: dict[str, Points] = {}
        self.notes: dict[str, AreaNotes] = {}
        self.comments: dict[str, str] = {}
        self.status: dict[str, Status] = {}
        self.seen: dict[str, str] = {}
        self.seen_at: dict[str, str] = {}
        """The key of each key cell read, by where it is: the reverse of ``seen``."""

    def problem(self, where: str, message: str, keys: tuple[str, ...] = ()) -> None:
        self.problems.append(Problem(f"{where}: {message}", file=self.name, keys=keys))

    def read(self, sheets: list[Sheet]) -> Evaluation:
        evaluation = next((rows for title, rows, _ in sheets
                           if title.casefold() == EVALUATION_SHEET.casefold()), None)
        if evaluation is None:
            raise InputError(Problem(
                f"no sheet named {EVALUATION_SHEET!r}: not a kompass evaluation workbook "
                "(write one with: kompass template REF --format xlsx -o FILE)", file=self.name))
        ref, municipality, date, evaluators = self._front(evaluation)
        summary, conduct, facts, stars = "", Conduct(), tuple[Fact, ...](), tuple[Star, ...]()
        for title, rows, unsaved in sheets:
            front = title.casefold() == EVALUATION_SHEET.casefold()
            texts = title.casefold() == TEXTS_SHEET.casefold()
            area = not front and bool(rows) and _label(rows[0][0] if rows[0] else None) == "key"
            if area:
                self._area(title, rows)
            elif texts:
                summary, conduct, facts, stars = read_texts(title, rows, self.problem)
            if front or area or texts:
                self._unsaved(title, unsaved)
        if self.problems or ref is None or municipality is None:
            raise InputError(self.problems)
        return Evaluation(ref, municipality, date, evaluators, self.points, self.notes,
                          self.comments, summary=summary, conduct=conduct, facts=facts,
                          stars=stars, status=self.status)

    def _unsaved(self, title: str, cells: list[tuple[int, int]]) -> None:
        """A formula saved without its value is not an empty cell: its value is unknown."""
        for n, column in cells:
            key = self.seen_at.get(f"sheet {title!r} cell A{n}")
            keys = () if key is None else evaluation_keys(key) + (
                ("points",) if column == 4 else ())
            self.problem(f"sheet {title!r} cell {_letter(column)}{n}",
                         "a formula without a saved value (open and save the workbook in a "
                         "spreadsheet program, which calculates it, or type the value)", keys)

    # the Evaluation sheet

    def _front(self, rows: Rows) -> tuple[RuleSetRef | None, Municipality | None,
                                          PartialDate | None, tuple[str, ...]]:
        where: dict[str, int] = {}
        for n, row in enumerate(rows, start=1):
            label = _label(row[0] if row else None)
            if label is not None:
                where.setdefault(label, n)
        sheet = f"sheet {EVALUATION_SHEET!r}"

        def value(label: str, keys: tuple[str, ...], missing: str | None = None
                  ) -> tuple[str, Any]:
            if label not in where:
                if missing:
                    self.problem(sheet, f"no row {label!r} in column A", keys)
                return sheet, None
            n = where[label]
            found = _at(rows[n - 1], 1)
            cell = f"{sheet} cell B{n}"
            if found is None and missing:
                self.problem(cell, missing, keys)
            return cell, found

        ref = self._ref(*value("ruleset", ("ruleset",), "missing the rule set, e.g. kk-se@2.0"))
        _, name = value("municipality", ("municipality", "name"),
                        "missing the municipality's name")
        code = self._code(*value("code", ("municipality", "code")))
        country = self._country(*value("country", ("municipality", "country")))
        date = self._date(*value("date", ("evaluation", "date")))
        evaluators = _evaluators(rows[where["evaluators"] - 1]) if "evaluators" in where else ()
        municipality = Municipality(_text(name), code, country) if name is not None else None
        return ref, municipality, date, evaluators

    def _ref(self, cell: str, value: Any) -> RuleSetRef | None:
        if value is None:
            return None
        try:
            return RuleSetRef.parse(_text(value))
        except InputError as err:
            self.problem(cell, err.problems[0].message, ("ruleset",))
            return None

    def _code(self, cell: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.problem(cell, f"expected text, got the number {value} (format the cell as "
                               "text to keep leading zeros)", ("municipality", "code"))
            return None
        return _text(value)

    def _country(self, cell: str, value: Any) -> str | None:
        if value is None:
            return None
        country = _text(value)
        if problem := country_problem(country):
            self.problem(cell, problem, ("municipality", "country"))
        return country

    def _date(self, cell: str, value: Any) -> PartialDate | None:
        """A date cell (a spreadsheet's dates are date-times at midnight), a year, or text."""
        if value is None:
            return None
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            value = value.date()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # a year typed into a number cell
        try:
            return read_date(value)
        except ValueError as err:
            self.problem(cell, str(err), ("evaluation", "date"))
            return None

    # the area sheets

    def _area(self, title: str, rows: Rows) -> None:
        sheet = f"sheet {title!r}"
        area: str | None = None
        in_table = True
        notes: dict[str, list[str]] = {kind: [] for kind in NOTE_KINDS}
        for n, row in enumerate(rows[1:], start=2):
            first = _at(row, 0)
            if in_table and first is not None and _label(first) != "notes":
                key = self._key(f"{sheet} cell A{n}", first, area)
                if key is not None:
                    area = area or key.split(".")[0]
                    self._row(sheet, n, key, row)
                continue
            in_table = False
            kind, note = _label(first), _at(row, 1)
            if _at(row, 3) is not None and kind != "notes":
                self.problem(f"{sheet} cell D{n}", "points outside the table: the row has no "
                             "key in column A")
            if first is None and note is not None:
                self.problem(f"{sheet} cell B{n}", "a note needs its kind in column A: "
                             + ", ".join(NOTE_KINDS))
            elif kind in NOTE_KINDS and note is not None and \
                    (why := text_problem(_text(note), long=False)):
                self.problem(f"{sheet} cell B{n}", why)
            elif kind in NOTE_KINDS and note is not None:
                notes[kind].append(_text(note))
            elif first is not None and kind not in (*NOTE_KINDS, "notes"):
                self.problem(f"{sheet} cell A{n}", f"expected one of {', '.join(NOTE_KINDS)}, "
                             f"got {_text(first)!r}")
        found = AreaNotes(*(tuple(notes[kind]) for kind in NOTE_KINDS))
        if found and area is None:
            self.problem(sheet, "notes but no area row to hold them")
        elif found and area is not None:
            self.notes[area] = found

    def _key(self, cell: str, value: Any, area: str | None) -> str | None:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not _KEY.fullmatch(text.strip()):
            shown = repr(text) if isinstance(text, str) else type_name(text)
            self.problem(cell, f"expected a key such as 3 or 3.2 (as text), got {shown}")
            return None
        key = text.strip()
        if area is not None and key != area and not key.startswith(area + "."):
            self.problem(cell, f"key {key} does not belong to area {area} of this sheet",
                         evaluation_keys(key))
            return None
        if key in self.seen:
            self.problem(cell, f"key {key} appears twice (first at {self.seen[key]})",
                         evaluation_keys(key))
            return None
        self.seen[key] = cell
        self.seen_at[cell] = key
        return key

    def _status(self, cell: str, key: str, value: Any, has_points: bool) -> None:
        """Column G: ``not-applicable`` or ``withheld`` (any case; a space for the hyphen)."""
        if value is None:
            return
        word = value.strip().casefold().replace(" ", "-") if isinstance(value, str) else None
        where = evaluation_keys(key) + ("status",)
        if word not in _STATUSES:
            shown = repr(value.strip()) if isinstance(value, str) else type_name(value)
            self.problem(cell, f"unknown status {shown} (one of: {', '.join(_STATUSES)})", where)
        elif word == Status.NOT_APPLICABLE.value and has_points:
            self.problem(cell, "points and status not-applicable exclude each other", where)
        else:
            self.status[key] = Status(word)

    def _row(self, sheet: str, n: int, key: str, row: tuple[Any, ...]) -> None:
        value = _at(row, 3)
        if value is not None:
            number = _number(value)
            points = from_number(number)
            if points is None:
                shown = repr(value.strip()) if isinstance(value, str) else type_name(value)
                numeric = isinstance(number, Decimal | float | int) and not isinstance(number, bool)
                message = not_points(number) if numeric else f"expected a number, got {shown}"
                self.problem(f"{sheet} cell D{n}", message, evaluation_keys(key) + ("points",))
            else:
                self.points[key] = points
        self._status(f"{sheet} cell G{n}", key, _at(row, 6), value is not None)
        comment = _at(row, 4)
        if comment is not None and (why := text_problem(text := prose(_text(comment)), True)):
            self.problem(f"{sheet} cell E{n}", why, evaluation_keys(key) + ("comment",))
        elif comment is not None:
            self.comments[key] = text
