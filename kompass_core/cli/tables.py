"""Plain-text tables and CSV for the command line (no dependency, stable output)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""Control characters, line separators and bidi controls: a terminal acts on them (ESC
starts a command, CR rewrites the line, U+202E reverses text) instead of showing them."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet program read a cell as a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: every character of :data:`_UNSAFE` escaped as
    Python writes it (``\\x1b``, ``\\r``, ``\\u202e``), so a name cannot fake a line or
    retitle the terminal. For tables and messages only: JSON and CSV stay exact."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)  # repr escapes each of them


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]],
          right: Sequence[int] = ()) -> str:
    """Rows aligned in columns; columns whose index is in ``right`` align right.

    Cells go through :func:`printable`: a table is for a terminal.
    """
    headers = [printable(h) for h in headers]
    rows = [[printable(cell) for cell in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(headers)] + [line(r) for r in rows]) + "\n"


def neutral(cell: str) -> str:
    """``cell`` made safe for a spreadsheet: one ``'`` before a would-be formula.

    A cell that starts, after any quotes, with ``= + - @``, tab or CR gets one
    more ``'`` in front, so a municipality named ``=HYPERLINK(...)`` stays
    text; kompass's readers strip that one quote again
    (``formats.results``), so every value reads back exactly. Numbers
    (``-3``, ``-5/2``: differences in ``compare``) are left as they are.
    """
    if cell.lstrip("'").startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[str]], header: bool = True) -> str:
    """RFC 4180 CSV with ``\\n`` line ends, the header row first unless ``header`` is false.

    Every cell goes through :func:`neutral`, as CSV is opened in spreadsheets.
    ``header=False`` is for rows that follow a header written before. csv is
    imported here: table output never needs it.
    """
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(headers)
    writer.writerows([neutral(cell) for cell in row] for row in rows)
    return buf.getvalue()
