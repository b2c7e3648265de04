"""Writing the scoring workbook of a rule set (layout: :mod:`kompass_core.formats.xlsx`).

Every points cell carries a data validation from 0 to its max, so the
spreadsheet program refuses a typo before kompass sees it; every timestamp
is :data:`FIXED_TIME`, so equal input gives equal bytes.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

from kompass_core.formats.xlsx import COLUMNS, EVALUATION_SHEET, require_openpyxl
from kompass_core.formats.xlsx_texts import write_texts
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import NOTE_KINDS, Status, evaluation_keys
from kompass_core.model.points import Points, plain
from kompass_core.model.ruleset import Criterion, RuleSet

NOTE_ROWS = 10
"""Empty rows left for each kind of note; evaluators insert more as they need."""

FIXED_TIME = datetime.datetime(2000, 1, 1)
"""Stands for every timestamp in a written workbook, so equal input gives equal bytes."""

_TITLE_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INPUT = "FFF2CC"  # the fill of cells evaluators type into
_HEADER = "D9E1F2"


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


def _put(ws: Any, row: int, column: int, value: object = None) -> Any:
    """The cell at ``row``, ``column`` holding ``value``; text always as text.

    openpyxl makes any string starting with ``=`` a formula: a label such as
    ``=HYPERLINK(...)`` would then run in the evaluator's spreadsheet.
    """
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _decimal(ruleset: RuleSet, criterion: Criterion) -> int | Decimal:
    """A max as the exact number a cell can hold; InputError where no decimal is exact."""
    if isinstance(criterion.max, int):
        return criterion.max
    text = plain(criterion.max)
    if "/" in text:
        raise InputError(Problem(
            f"max {text} has no exact decimal, so a workbook cannot hold it: use --format toml",
            file=str(ruleset.ref), keys=(*evaluation_keys(criterion.key), "max")))
    return Decimal(text)


def _check_labels(ruleset: RuleSet, lang: str) -> None:
    """InputError naming every label a worksheet cannot hold: XML 1.0 has no control
    characters but tab, LF and CR, and openpyxl would otherwise fail half-way."""
    problems = [Problem(f"the label holds the control character {found.group()!r}, which a "
                        "workbook cannot hold: use --format toml", file=str(ruleset.ref),
                        keys=(*evaluation_keys(c.key), "label", lang))
                for c in ruleset.criteria()
                if (found := _XML_ILLEGAL.search(c.labels.get(lang)[0]))]
    if found := _XML_ILLEGAL.search(ruleset.title.get(lang)[0]):
        problems.insert(0, Problem(f"the title holds the control character {found.group()!r}, "
                                   "which a workbook cannot hold: use --format toml",
                                   file=str(ruleset.ref), keys=("title", lang)))
    if problems:
        raise InputError(problems)


def write_template(ruleset: RuleSet, lang: str | None = None) -> bytes:
    """A blank scoring workbook for ``ruleset``, labels in ``lang`` (default: its first).

    The bytes depend only on the arguments (and the openpyxl version).
    """
    openpyxl = require_openpyxl()
    import zipfile

    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped, unused-ignore]

    lang = lang or ruleset.languages[0]
    maxima = {c.key: _decimal(ruleset, c) for c in ruleset.criteria()}
    _check_labels(ruleset, lang)
    wb = openpyxl.Workbook()
    wb.properties.creator = "kompass"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    _evaluation_sheet(wb.active, ruleset, lang)
    taken = {EVALUATION_SHEET.casefold()}
    for area in ruleset.areas:
        text, _ = area.labels.get(lang)
        _area_sheet(wb.create_sheet(sheet_title(area.key, text, taken)), area, lang,
                    maxima)
    write_texts(wb.create_sheet(), _put, _styles())  # last: area sheets keep their places
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
        _put(ws, n, 1, label).font = style["bold"]
        _put(ws, n, 2, value)
        if label not in ("ruleset", "title"):
            for column in range(2, 6 if label == "evaluators" else 3):
                ws.cell(n, column).fill = style["input"]
    ws["B4"].number_format = "@"  # text, so a code such as 0114 keeps its zero
    ws["B6"].number_format = "@"  # text, so 2014-10 stays a month rather than become a day
    help_lines = [
        "How to fill in:",
        "municipality (the name) is required; code is the official municipality code; "
        "country an ISO 3166 code such as SE; date as YYYY-MM-DD, or YYYY-MM or YYYY "
        "when the source gives only the month or the year.",
        "evaluators: one per cell from B7 to the right, or several in one cell, "
        "separated by commas.",
        "Each area has its own sheet. Give points in column D at any level: the area, "
        "its sub-areas or their questions; where two levels are given they must agree.",
        "Points must lie between 0 and the row's max. An empty points cell is unscored, "
        "not zero: the score then shows the range the missing points could still cover.",
        "A mark in column F (assumed) means no source publishes that item's max or label.",
        "Status (column G), usually empty: not-applicable (no points; only where the rule "
        "set allows it) or withheld (the points count but are not published).",
        "Notes go below each area's table: one strength, improvement, weakness or "
        "reference (a municipality worth learning from) per row, in column B.",
        "Comment (column E): an area's general text, a sub-area's findings; paragraphs "
        "(Alt+Enter twice) and lines starting '- ' or '1. ' are kept.",
        "Sheet Texts: the summary, first evaluation (yes/no), people interviewed, the "
        "groups and documents, facts (label, value, source, year) and gold stars "
        "(key, practice), one per row.",
        "Score the filled workbook with: kompass score FILE.xlsx",
    ]
    for n, line in enumerate(help_lines, start=len(rows) + 2):
        _put(ws, n, 1, line)
    ws.cell(len(rows) + 2, 1).font = style["bold"]
    for letter, width in zip("ABCDE", (14, 40, 30, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width


def _area_sheet(ws: Any, area: Criterion, lang: str,
                maxima: dict[str, int | Decimal]) -> None:
    """The table of ``area`` and its criteria, then the block its notes go in."""
    style = _styles()
    for column, header in enumerate(COLUMNS, start=1):
        cell = _put(ws, 1, column, header)
        cell.font, cell.fill = style["bold"], style["header"]
    checks: dict[Points, Any] = {}
    row = 1
    for row, criterion in enumerate(area.walk(), start=2):
        _criterion_row(ws, row, criterion, lang, maxima[criterion.key], style)
        if criterion.max not in checks:
            checks[criterion.max] = _points_check(criterion.max)
        checks[criterion.max].add(f"D{row}")
    for check in [*checks.values(), _status_check(row)]:
        ws.add_data_validation(check)
    _notes_block(ws, row + 2, style)
    for letter, width in zip("ABCDEFG", (10, 70, 7, 9, 40, 10, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"


def _criterion_row(ws: Any, row: int, criterion: Criterion, lang: str,
                   maximum: int | Decimal, style: dict[str, Any]) -> None:
    """Key, label (indented by level), max and assumptions; points and comment to fill in."""
    depth = criterion.key.count(".")
    text, _ = criterion.labels.get(lang)
    _put(ws, row, 1, criterion.key)
    label = _put(ws, row, 2, " ".join(text.split()))
    label.alignment = style["indent"][min(depth, 3)]
    _put(ws, row, 3, maximum)
    if criterion.assumed:
        _put(ws, row, 6, ", ".join(sorted(criterion.assumed)))
    for column in (4, 5, 7):
        ws.cell(row, column).fill = style["input"]
    if depth == 0:
        for column in range(1, 8):
            ws.cell(row, column).font = style["bold"]


def _points_check(maximum: Points) -> Any:
    """The data validation that keeps a points cell between 0 and ``maximum``."""
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    most = plain(maximum)
    return DataValidation(
        type="decimal", operator="between", formula1="0", formula2=most,
        allow_blank=True, showErrorMessage=True, errorTitle="Points out of range",
        error=f"Points must be a number from 0 to {most}.", showInputMessage=True,
        promptTitle="Points", prompt=f"0 to {most}; leave empty if not scored")


def _status_check(last: int) -> Any:
    """The drop-down of a status cell (column G, rows 2 to ``last``): a typed missing value."""
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped, unused-ignore]
        DataValidation,
    )

    words = ",".join(s.value for s in Status)
    check = DataValidation(
        type="list", formula1=f'"{words}"', allow_blank=True, showErrorMessage=True,
        errorTitle="Status", error=f"One of: {words.replace(',', ', ')}; or leave empty.",
        showInputMessage=True, promptTitle="Status",
        prompt="not-applicable (no points) or withheld (scored, not published); usually empty")
    check.add(f"G2:G{last}")
    return check


def _notes_block(ws: Any, row: int, style: dict[str, Any]) -> None:
    """From ``row`` down: a header, then empty rows for each kind of note."""
    for column, header in enumerate(("notes", "one item per row"), start=1):
        cell = _put(ws, row, column, header)
        cell.font, cell.fill = style["bold"], style["header"]
    for kind in NOTE_KINDS:
        for _ in range(NOTE_ROWS):
            row += 1
            _put(ws, row, 1, kind)
            note = ws.cell(row, 2)
            note.fill, note.alignment = style["input"], style["wrap"]
