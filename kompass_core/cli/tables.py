"""Plain-text tables and CSV for the command line (no dependency, stable output)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]],
          right: Sequence[int] = ()) -> str:
    """Rows aligned in columns; columns whose index is in ``right`` align right."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    return "\n".join([line(headers)] + [line(r) for r in rows]) + "\n"


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[str]], header: bool = True) -> str:
    """RFC 4180 CSV with ``\\n`` line ends, the header row first unless ``header`` is false.

    ``header=False`` is for rows that follow a header written before. csv is
    imported here: table output never needs it.
    """
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()
