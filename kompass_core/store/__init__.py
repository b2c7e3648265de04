"""The results store: scored evaluations kept in SQLite for history, averages and ranks.

Its parts, each in its own module: :mod:`~.schema` (the file, its tables
and their upgrades), :mod:`~.records` (what goes in and comes out),
:mod:`~.importing` (results CSV rows scored into records), :mod:`~.tables`
(records as rows and back), :mod:`~.database` (the :class:`Store`),
:mod:`~.stats` (each result once, averages, ranks) and :mod:`~.exchange`
(the export and restore formats). Import the public names from here.
"""

from kompass_core.store.database import Store
from kompass_core.store.exchange import (
    EXPORT_COLUMNS,
    STORE_FORMAT,
    entry_data,
    export_data,
    export_rows,
    restore,
)
from kompass_core.store.importing import BUNDLED, records_from_csv, records_from_rows
from kompass_core.store.records import SHORT, Record, Stored, StoredScore, make_record
from kompass_core.store.schema import default_path
from kompass_core.store.stats import Column, average, distinct, rank

__all__ = [
    "BUNDLED",
    "EXPORT_COLUMNS",
    "SHORT",
    "STORE_FORMAT",
    "Column",
    "Record",
    "Store",
    "Stored",
    "StoredScore",
    "average",
    "default_path",
    "distinct",
    "entry_data",
    "export_data",
    "export_rows",
    "make_record",
    "rank",
    "records_from_csv",
    "records_from_rows",
    "restore",
]
