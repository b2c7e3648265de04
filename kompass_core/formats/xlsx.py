"""Spreadsheets for evaluators: a scoring workbook per rule set, and reading it back.

Many evaluators work in a spreadsheet, not a text editor. :func:`write_template`
writes a workbook whose points cells the spreadsheet program itself keeps
between 0 and each max; :func:`read_evaluation` turns a filled copy into the
same :class:`~kompass_core.model.evaluation.Evaluation` a TOML file gives, so range
checks and their messages stay in one place (scoring). openpyxl is an
optional extra, imported only when a workbook is read or written.

Layout (documented for users in docs/formats.md):

- sheet ``Evaluation``: labels in column A, values in column B: ``ruleset``,
  ``title`` (information only), ``municipality`` (the name), ``code``,
  ``country``, ``date``, ``evaluators`` (one per cell from B to the right, or
  comma-separated);
- one sheet per area, row 1 the header ``key, label, max, points, comment,
  assumed``, row 2 the area, then its sub-areas and questions, parents
  first; after an empty row a ``notes`` block: the kind of note
  (``strengths``, ``improvements``, ``weaknesses``, ``references``) in
  column A, one note per row in column B.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kompass_core.formats.fields import type_name
from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import (
    NOTE_KINDS,
    AreaNotes,
    Evaluation,
    Municipality,
    evaluation_keys,
)
from kompass_core.model.points import Points, from_number, not_points, plain
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Criterion, RuleSet

MISSING = "reading or writing .xlsx needs the xlsx extra: pip install 'kommunkompass[xlsx]'"
EVALUATION_SHEET = "Evaluation"
COLUMNS = ("key", "label", "max", "points", "comment", "assumed")
NOTE_ROWS = 10
"""Empty rows left for each kind of note; evaluators insert more as they need."""

MAX_UNPACKED = 32 * 1024 * 1024
"""Largest unpacked workbook we parse: a filled template is well below 1 MiB,
and the cap keeps a small zip bomb from exhausting memory."""

FIXED_TIME = datetime.datetime(2000, 1, 1)
"""Stands for every timestamp in a written workbook, so equal input gives equal bytes."""

_TITLE_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_KEY = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)*")
_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
_INPUT = "FFF2CC"  # the fill of cells evaluators type into
_HEADER = "D9E1F2"

Rows = list[tuple[Any, ...]]


def sheet_title(key: str, label: str, taken: set[str]) -> str:
    """``key label`` as a valid, unique sheet title (Excel: 31 characters, no ``[]:*?/\\``).

    ``taken`` holds the case-folded titles used so far (Excel compares them
    without case) and receives the new one.
    """
    base = " ".join(_TITLE_BAD.sub(" ", f"{key} {label}").split())[:31].strip().strip("'")
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    taken.add(title.casefold())
    return title


# --- writing ----------------------------------------------------------------

def write_template(ruleset: RuleSet, lang: str | None = None) -> bytes:
    """A blank scoring workbook for ``ruleset``, labels in ``lang`` (default: its first).

    The bytes depend only on the arguments (and the openpyxl version).
    """
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.writer.excel import (  # type: ignore[import-untyped, unused-ignore]
            ExcelWriter,
        )
    except ImportError:
        raise InputError(MISSING) from None
    import zipfile

    lang = lang or ruleset.languages[0]
    wb = Workbook()
    wb.properties.creator = "kompass"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    _evaluation_sheet(wb.active, ruleset, lang)
    taken = {EVALUATION_SHEET.casefold()}
    for area in ruleset.areas:
        text, _ = area.labels.get(lang)
        _area_sheet(wb.create_sheet(sheet_title(area.key, text, taken)), area, lang)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not wb.save(): it stamps the current time
    return _fixed_dates(raw.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same zip archive with every member dated :data:`FIXED_TIME`."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _styles() -> dict[str, Any]:
    from openpyxl.styles import (  # type: ignore[import-untyped, unused-ignore]
        Alignment,
        Font,
        PatternFill,
    )

    return {"bold": Font(bold=True),
            "input": PatternFill("solid", start_color=_INPUT, end_color=_INPUT),
            "header": PatternFill("solid", start_color=_HEADER, end_color=_HEADER),
            "wrap": Alignment(wrap_text=True, vertical="top"),
            "indent": [Alignment(indent=2 * depth, vertical="top") for depth in range(4)]}


def _evaluation_sheet(ws: Any, ruleset: RuleSet, lang: str) -> None:
    style = _styles()
    ws.title = EVALUATION_SHEET
    title, _ = ruleset.title.get(lang)
    rows: list[tuple[str, object]] = [
        ("ruleset", str(ruleset.ref)),
        ("title", f"{title} ({ruleset.organisation}, {ruleset.country}); "
                  f"total max {plain(ruleset.max)}"),
        ("municipality", None), ("code", None), ("country", ruleset.country),
        ("date", None), ("evaluators", None)]
    for n, (label, value) in enumerate(rows, start=1):
        ws.cell(n, 1, label).font = style["bold"]
        ws.cell(n, 2, value)
        if label not in ("ruleset", "title"):
            for column in range(2, 6 if label == "evaluators" else 3):
                ws.cell(n, column).fill = style["input"]
    ws["B4"].number_format = "@"  # text, so a code such as 0114 keeps its zero
    ws["B6"].number_format = "yyyy-mm-dd"
    help_lines = [
        "How to fill in:",
        "municipality (the name) is required; code is the official municipality code; "
        "country an ISO 3166 code such as SE; date as YYYY-MM-DD.",
        "evaluators: one per cell from B7 to the right, or several in one cell, "
        "separated by commas.",
        "Each area has its own sheet. Give points in column D at any level: the area, "
        "its sub-areas or their questions; where two levels are given they must agree.",
        "Points must lie between 0 and the row's max. An empty points cell is unscored, "
        "not zero: the score then shows the range the missing points could still cover.",
        "A mark in column F (assumed) means no source publishes that item's max or label.",
        "Notes go below each area's table: one strength, improvement, weakness or "
        "reference (a municipality worth learning from) per row, in column B.",
        "Score the filled workbook with: kompass score FILE.xlsx",
    ]
    for n, line in enumerate(help_lines, start=len(rows) + 2):
        ws.cell(n, 1, line)
    ws.cell(len(rows) + 2, 1).font = style["bold"]
    for letter, width in zip("ABCDE", (14, 40, 30, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width


def _area_sheet(ws: Any, area: Criterion, lang: str) -> None:
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    style = _styles()
    for column, header in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, column, header)
        cell.font, cell.fill = style["bold"], style["header"]
    checks: dict[Points, Any] = {}
    row = 1
    for row, criterion in enumerate(area.walk(), start=2):
        depth = criterion.key.count(".")
        text, _ = criterion.labels.get(lang)
        ws.cell(row, 1, criterion.key)
        label = ws.cell(row, 2, " ".join(text.split()))
        label.alignment = style["indent"][min(depth, 3)]
        ws.cell(row, 3, criterion.max)
        if criterion.assumed:
            ws.cell(row, 6, ", ".join(sorted(criterion.assumed)))
        for column in (4, 5):
            ws.cell(row, column).fill = style["input"]
        if depth == 0:
            for column in range(1, 7):
                ws.cell(row, column).font = style["bold"]
        if criterion.max not in checks:
            most = plain(criterion.max)
            checks[criterion.max] = DataValidation(
                type="decimal", operator="between", formula1="0", formula2=most,
                allow_blank=True, showErrorMessage=True, errorTitle="Points out of range",
                error=f"Points must be a number from 0 to {most}.", showInputMessage=True,
                promptTitle="Points", prompt=f"0 to {most}; leave empty if not scored")
        checks[criterion.max].add(f"D{row}")
    for check in checks.values():
        ws.add_data_validation(check)
    row += 2
    for column, header in enumerate(("notes", "one item per row"), start=1):
        cell = ws.cell(row, column, header)
        cell.font, cell.fill = style["bold"], style["header"]
    for kind in NOTE_KINDS:
        for _ in range(NOTE_ROWS):
            row += 1
            ws.cell(row, 1, kind)
            note = ws.cell(row, 2)
            note.fill, note.alignment = style["input"], style["wrap"]
    for letter, width in zip("ABCDEF", (10, 70, 7, 9, 40, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"


# --- reading ----------------------------------------------------------------

def read_evaluation(data: bytes, name: str) -> Evaluation:
    """The evaluation in a filled workbook; every problem names ``name``, sheet and cell.

    Whether keys exist and points fit their max is left to scoring, as for
    TOML files; this checks what the workbook itself holds.
    """
    return _Reader(name).read(_load(data, name))


def _load(data: bytes, name: str) -> list[tuple[str, Rows]]:
    """Every sheet's title and cell values, read in one place so that the many
    exceptions openpyxl raises on a broken file all become one message."""
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise InputError(MISSING) from None
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
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = []
            for ws in wb.worksheets:
                ws.reset_dimensions()  # do not trust the stored size: read every row
                sheets.append((str(ws.title), [tuple(r) for r in ws.iter_rows(values_only=True)]))
        finally:
            wb.close()
    except Exception:  # openpyxl raises KeyError, ValueError, TypeError, ... on bad parts
        raise unreadable from None
    return sheets


def _at(row: Sequence[Any], column: int) -> Any:
    value = row[column] if column < len(row) else None
    return None if isinstance(value, str) and not value.strip() else value


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


class _Reader:
    """Collects every problem of one workbook, so a user fixes it in one round."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.points: dict[str, Points] = {}
        self.notes: dict[str, AreaNotes] = {}
        self.comments: dict[str, str] = {}
        self.seen: dict[str, str] = {}

    def problem(self, where: str, message: str, keys: tuple[str, ...] = ()) -> None:
        self.problems.append(Problem(f"{where}: {message}", file=self.name, keys=keys))

    def read(self, sheets: list[tuple[str, Rows]]) -> Evaluation:
        evaluation = next((rows for title, rows in sheets
                           if title.casefold() == EVALUATION_SHEET.casefold()), None)
        if evaluation is None:
            raise InputError(Problem(
                f"no sheet named {EVALUATION_SHEET!r}: not a kompass evaluation workbook "
                "(write one with: kompass template REF --format xlsx -o FILE)", file=self.name))
        ref, municipality, date, evaluators = self._front(evaluation)
        for title, rows in sheets:
            if rows and title.casefold() != EVALUATION_SHEET.casefold() \
                    and _label(rows[0][0] if rows[0] else None) == "key":
                self._area(title, rows)
        if self.problems or ref is None or municipality is None:
            raise InputError(self.problems)
        return Evaluation(ref, municipality, date, evaluators, self.points, self.notes,
                          self.comments)

    # the Evaluation sheet

    def _front(self, rows: Rows) -> tuple[RuleSetRef | None, Municipality | None,
                                          datetime.date | None, tuple[str, ...]]:
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
        cell, name = value("municipality", ("municipality", "name"),
                           "missing the municipality's name")
        if name is not None:
            name = _text(name)
        cell, code = value("code", ("municipality", "code"))
        if isinstance(code, int | float) and not isinstance(code, bool):
            self.problem(cell, f"expected text, got the number {code} (format the cell as "
                               "text to keep leading zeros)", ("municipality", "code"))
            code = None
        cell, country = value("country", ("municipality", "country"))
        if country is not None:
            country = _text(country)
            if problem := country_problem(country):
                self.problem(cell, problem, ("municipality", "country"))
        date = self._date(*value("date", ("evaluation", "date")))
        evaluators: list[str] = []
        if "evaluators" in where:
            n = where["evaluators"]
            for value_ in rows[n - 1][1:]:
                if value_ is not None:
                    evaluators += [e.strip() for e in _text(value_).split(",") if e.strip()]
        municipality = Municipality(name, None if code is None else _text(code), country) \
            if name else None
        return ref, municipality, date, tuple(evaluators)

    def _ref(self, cell: str, value: Any) -> RuleSetRef | None:
        if value is None:
            return None
        try:
            return RuleSetRef.parse(_text(value))
        except InputError as err:
            self.problem(cell, err.problems[0].message, ("ruleset",))
            return None

    def _date(self, cell: str, value: Any) -> datetime.date | None:
        keys = ("evaluation", "date")
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            if value.time() == datetime.time():
                return value.date()
            self.problem(cell, "expected a date, got a date-time", keys)
            return None
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        shown = repr(value) if isinstance(value, str) else type_name(value)
        self.problem(cell, f"expected a date (YYYY-MM-DD), got {shown}", keys)
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
        return key

    def _row(self, sheet: str, n: int, key: str, row: tuple[Any, ...]) -> None:
        value = _at(row, 3)
        if value is not None:
            number = _number(value)
            points = from_number(number)
            if points is None:
                shown = repr(value.strip()) if isinstance(value, str) else type_name(value)
                message = not_points(number) if isinstance(number, Decimal | float) \
                    else f"expected a number, got {shown}"
                self.problem(f"{sheet} cell D{n}", message, evaluation_keys(key) + ("points",))
            else:
                self.points[key] = points
        comment = _at(row, 4)
        if comment is not None:
            self.comments[key] = _text(comment)
