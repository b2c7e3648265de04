"""The workbook's ``Texts`` sheet: the summary, conduct, facts and gold stars of an evaluation.

Area texts and sub-area findings go in each area sheet's ``comment``
column; what has no criterion row of its own goes here, one item per row:
column A names the item, columns B to E hold it (layout in
:mod:`kompass_core.formats.xlsx` and docs/formats.md). Workbooks written
before this sheet existed have none and read as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from kompass_core.formats.fields import type_name
from kompass_core.model.evaluation import evaluation_keys
from kompass_core.model.narrative import Conduct, Fact, Star, prose, text_problem

TEXTS_SHEET = "Texts"
HEADER = ("item", "text, label or key", "value or practice", "source", "year")
ROWS = (("summary", 1), ("first", 1), ("interviewed", 1), ("group", 10), ("document", 10),
        ("fact", 10), ("gold star", 10))
"""Each item and the empty rows the template leaves for it; evaluators insert more."""

_KEY = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)*")
_YES = {"yes": True, "ja": True, "true": True, "no": False, "nej": False, "false": False}

Report = Callable[[str, str, tuple[str, ...]], None]
"""Records a problem: where (sheet and cell), the message, the key path."""
Narrative = tuple[str, Conduct, tuple[Fact, ...], tuple[Star, ...]]


def write_texts(ws: Any, put: Callable[..., Any], style: dict[str, Any]) -> None:
    """The blank ``Texts`` sheet: the header, then each item's empty rows to fill."""
    ws.title = TEXTS_SHEET
    for column, header in enumerate(HEADER, start=1):
        cell = put(ws, 1, column, header)
        cell.font, cell.fill = style["bold"], style["header"]
    row = 1
    for item, count in ROWS:
        columns = {"fact": 5, "gold star": 3}.get(item, 2)
        for _ in range(count):
            row += 1
            put(ws, row, 1, item)
            for column in range(2, columns + 1):
                cell = ws.cell(row, column)
                cell.fill, cell.alignment = style["input"], style["wrap"]
                if item == "gold star" or (item == "fact" and column < 5):
                    cell.number_format = "@"  # text: key 1.10 must not become 1.1
    for letter, width in zip("ABCDE", (14, 70, 30, 20, 8), strict=True):
        ws.column_dimensions[letter].width = width


def read_texts(title: str, rows: Sequence[Sequence[Any]], report: Report) -> Narrative:
    """What the ``Texts`` sheet holds; each problem goes to ``report`` with its cell."""
    summary, first, interviewed = "", None, None
    groups: list[str] = []
    documents: list[str] = []
    facts: list[Fact] = []
    stars: list[Star] = []
    for n, row in enumerate(rows[1:], start=2):
        cells = [_cell(row, i) for i in range(5)]
        item = cells[0].strip().casefold() if isinstance(cells[0], str) else cells[0]
        if all(c is None for c in cells[1:]):
            continue
        at = f"sheet {title!r} cell B{n}"
        if item == "summary":
            summary = _text(report, at, cells[1], ("evaluation", "summary"), long=True) or ""
        elif item == "first":
            first = _yes(report, at, cells[1])
        elif item == "interviewed":
            interviewed = _count(report, at, cells[1])
        elif item in ("group", "document"):
            keys = ("evaluation", f"{item}s", str(len(groups if item == "group" else documents)))
            if (text := _text(report, at, cells[1], keys)) is not None:
                (groups if item == "group" else documents).append(text)
        elif item == "fact":
            facts += _fact(report, f"sheet {title!r}", n, cells, len(facts))
        elif item == "gold star":
            stars += _star(report, f"sheet {title!r}", n, cells)
        else:
            report(f"sheet {title!r} cell A{n}", "expected one of "
                   f"{', '.join(item for item, _ in ROWS)}, got {_shown(cells[0])}", ())
    return summary, Conduct(first, interviewed, groups, documents), tuple(facts), tuple(stars)


def _cell(row: Sequence[Any], column: int) -> Any:
    value = row[column] if column < len(row) else None
    return None if isinstance(value, str) and not value.strip() else value


def _shown(value: Any) -> str:
    return repr(value.strip()) if isinstance(value, str) else type_name(value)


def _text(report: Report, at: str, value: Any, keys: tuple[str, ...],
          long: bool = False) -> str | None:
    if value is None:
        return None
    text = prose(value).strip() if isinstance(value, str) else str(value)
    if why := text_problem(text, long):
        report(at, why, keys)
        return None
    return text


def _yes(report: Report, at: str, value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _YES:
        return _YES[value.strip().casefold()]
    report(at, f"expected yes or no, got {_shown(value)}", ("evaluation", "first"))
    return None


def _count(report: Report, at: str, value: Any) -> int | None:
    number = Decimal(value.strip()) if isinstance(value, str) and value.strip().isdigit() \
        else value
    if isinstance(number, int | float | Decimal) and not isinstance(number, bool) \
            and number >= 0 and number == int(number):
        return int(number)
    report(at, f"expected a number of people (a whole number >= 0), got {_shown(value)}",
           ("evaluation", "interviewed"))
    return None


def _fact(report: Report, sheet: str, n: int, cells: list[Any], i: int) -> list[Fact]:
    keys = ("facts", str(i))
    label = _text(report, f"{sheet} cell B{n}", cells[1], (*keys, "label"))
    value = _text(report, f"{sheet} cell C{n}", cells[2], (*keys, "value"))
    source = _text(report, f"{sheet} cell D{n}", cells[3], (*keys, "source"))
    year = cells[4]
    if (isinstance(year, str) and year.strip().isdigit()) or \
            (isinstance(year, float) and year.is_integer()):
        year = int(year)
    if year is not None and (type(year) is not int or not 1000 <= year <= 9999):
        report(f"{sheet} cell E{n}", f"expected a year such as 2010, got {_shown(year)}",
               (*keys, "year"))
        year = None
    for column, name, found in (("B", "label", label), ("C", "value", value)):
        if found is None and cells[1 if name == "label" else 2] is None:
            report(f"{sheet} cell {column}{n}", f"a fact needs its {name}", (*keys, name))
    return [Fact(label, value, source, year)] if label and value else []


def _star(report: Report, sheet: str, n: int, cells: list[Any]) -> list[Star]:
    key = cells[1].strip() if isinstance(cells[1], str) else None
    if key is None or not _KEY.fullmatch(key):
        report(f"{sheet} cell B{n}", "a gold star needs the key it marks, as text such as "
               f"3.2, got {_shown(cells[1])}", ())
        return []
    practice = _text(report, f"{sheet} cell C{n}", cells[2],
                     (*evaluation_keys(key), "gold_stars"))
    return [Star(key, practice or "")]
