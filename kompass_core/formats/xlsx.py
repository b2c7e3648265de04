"""Spreadsheets for evaluators: the workbook layout that writing and reading share.

Many evaluators work in a spreadsheet, not a text editor.
:func:`~kompass_core.formats.xlsx_template.write_template` writes a workbook
whose points cells the spreadsheet program itself keeps between 0 and each
max; :func:`~kompass_core.formats.xlsx_reading.read_evaluation` turns a filled
copy into the same :class:`~kompass_core.model.evaluation.Evaluation` a TOML
file gives, so range checks and their messages stay in one place (scoring).
openpyxl is an optional extra, imported only through :func:`require_openpyxl`
when a workbook is read or written: scoring a TOML file never loads it.

Layout (documented for users in docs/formats.md):

- sheet ``Evaluation``: labels in column A, values in column B: ``ruleset``,
  ``title`` (information only), ``municipality`` (the name), ``code``,
  ``country``, ``date``, ``evaluators`` (one per cell from B to the right, or
  comma-separated);
- one sheet per area, row 1 the header ``key, label, max, points, comment,
  assumed``, row 2 the area, then its sub-areas and questions, parents
  first; after an empty row a ``notes`` block: the kind of note
  (``strengths``, ``improvements``, ``weaknesses``, ``references``) in
  column A, one note per row in column B;
- sheet ``Texts`` last: the summary, conduct, facts and gold stars, one
  item per row (:mod:`kompass_core.formats.xlsx_texts`); optional, so
  workbooks written before it read as before.
"""

from __future__ import annotations

from typing import Any

from kompass_core.model.errors import InputError

MISSING = "reading or writing .xlsx needs the xlsx extra: pip install 'kommunkompass[xlsx]'"
EVALUATION_SHEET = "Evaluation"
COLUMNS = ("key", "label", "max", "points", "comment", "assumed", "status")


def require_openpyxl() -> Any:
    """The openpyxl package, imported now; InputError saying how to install it if missing."""
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise InputError(MISSING) from None
    return openpyxl
