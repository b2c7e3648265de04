"""``kompass db ...``: the results store from the command line.

``db import`` reads and scores every file before it writes anything, then
stores all the good ones in one transaction: a bad file is reported and
left out whole, never imported in part. ``list``, ``export`` and ``remove``
are here too; the queries (history, average, rank) are in
:mod:`kompass_core.cli.store_queries`, the formats in :mod:`kompass_core.store`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import attrs

from kompass_core import (
    STORE_EXPORT_COLUMNS,
    TOTAL,
    KompassError,
    Record,
    Registry,
    Rounding,
    RuleSetRef,
    Stored,
    default_registry,
    exact_text,
    make_record,
    read_document,
    records_from_csv,
    store_entry,
    store_export,
    store_export_rows,
    store_restore,
)
from kompass_core.cli import store_queries
from kompass_core.cli.cards import (
    EVALUATION_SUFFIXES,
    dump_json,
    each_file,
    out,
    say,
    span_text,
    with_ruleset,
)
from kompass_core.cli.store_open import open_store


def db(args: argparse.Namespace) -> int:
    """``kompass db ACTION``: run the action's function."""
    actions: dict[str, Callable[[argparse.Namespace], int]] = {
        "import": _import, "list": _list, "history": store_queries.db_history,
        "average": store_queries.db_average, "rank": store_queries.db_rank,
        "export": _export, "remove": _remove, "groups": _groups}
    return actions[args.action](args)


def _groups(args: argparse.Namespace) -> int:
    from kompass_core.cli.groups import db_groups

    return db_groups(args)


# --- import ------------------------------------------------------------------------------

@attrs.frozen
class _Read:
    """What one file gives: its records, rows skipped, and whether it is one evaluation."""

    name: str
    records: list[Record]
    skipped: int
    single: bool


def _read(registry: Registry, source: str) -> _Read:
    """Read, check and score one file: an evaluation, a results CSV or a store export."""
    document = read_document(source)
    name, origin = document.name, Path(document.name).name
    if document.kind == "results" and document.text is not None:
        records, skipped = records_from_csv(document.text, name, registry, origin)
        return _Read(name, records, skipped, False)
    if document.kind == "store":
        return _Read(name, document.build(lambda data: store_restore(registry, data)), 0, False)
    loaded = with_ruleset(registry, document)
    card = loaded.score(registry)
    return _Read(name, [make_record(loaded.evaluation, card, origin)], 0, True)


def _about(s: Record | Stored) -> str:
    if isinstance(s, Record):
        ev = s.evaluation
        who, ref = ev.municipality.name, ev.ruleset
    else:
        who, ref = s.municipality.name, s.ruleset
    year = f" {s.year}" if s.year is not None else ""
    return f"{who}{year}, {ref}" + ("" if s.kind == "evaluation" else f", {s.kind}")


def _import(args: argparse.Namespace) -> int:
    """Read every file first, then open the store: a failed import creates no store."""
    registry = default_registry()
    found = list(each_file(args.files, lambda source: _read(registry, source),
                           (*EVALUATION_SUFFIXES, ".csv")))
    read = [item for item in found if item is not None]
    results: list[tuple[Record, bool]] = []
    if read:
        with open_store(args.db, registry) as store:
            results = store.add(r for item in read for r in item.records)
    fresh = {r.id for r, new in results if new}
    seen: set[str] = set()
    for item in read:
        new = [r for r in item.records if r.id in fresh and r.id not in seen]
        seen.update(r.id for r in item.records)
        if item.single:
            r = item.records[0]
            what = "stored" if new else "already stored as"
            say(f"{item.name}: {what} {r.id[:12]} ({_about(r)})")
        else:
            skipped = f", {item.skipped} row(s) without a rule set skipped" \
                if item.skipped else ""
            say(f"{item.name}: {len(new)} stored, {len(item.records) - len(new)} already "
                f"stored{skipped}")
    return 0 if len(read) == len(found) else 2


# --- listing and export --------------------------------------------------------------------

LIST_HEADERS = ("id", "municipality", "code", "country", "year", "date", "ruleset", "kind",
                "total", "origin")


def _total(s: Stored, rounding: Rounding | None = None) -> str:
    """The stored total: by the display rule of ``rounding`` (the table), else exact (CSV)."""
    score = s.score(TOTAL)
    if score is None:
        return ""
    if score.hidden:
        return score.hidden.replace("-", " ")
    if rounding is not None:
        return span_text(score.low, score.high, rounding)
    return exact_text(score.low) if score.low == score.high else \
        f"{exact_text(score.low)}-{exact_text(score.high)}"


def _rounding(s: Stored) -> Rounding:
    """The display rounding of ``s``'s rule set (whole points, half up, if it is not known)."""
    try:
        return default_registry().ruleset(s.ruleset).rounding
    except KompassError:
        return Rounding()


def _list(args: argparse.Namespace) -> int:
    ref = RuleSetRef.parse(args.ruleset) if args.ruleset else None
    with open_store(args.db) as store:
        entries = store.entries(ref)
    entries.sort(key=lambda s: (s.municipality.name.casefold(), s.year or 0, str(s.ruleset),
                                s.id))
    rows = [[s.short, s.municipality.name, s.municipality.code or "",
             s.municipality.country or "", "" if s.year is None else str(s.year),
             s.date.isoformat() if s.date else "", str(s.ruleset), s.kind,
             _total(s, _rounding(s)),
             s.origin] for s in entries]
    guessed = {s.id for s in entries if s.basis == "inferred"}
    if args.format == "json":
        dump_json([store_entry(s) for s in entries])
    elif args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(LIST_HEADERS, [[s.id, *row[1:8], _total(s), row[9]]
                                  for s, row in zip(entries, rows, strict=True)]))
    else:
        from kompass_core.cli.tables import table

        for s, row in zip(entries, rows, strict=True):
            if s.id in guessed:
                row[6] += " (inferred)"
        out(table(["ID", "Municipality", "Code", "Country", "Year", "Date", "Rule set", "Kind",
                   "Total", "Origin"], rows, right=(4, 8)))
        if guessed:
            out("(inferred): the published source does not state the rule set; it is inferred, "
                "e.g. from the year (see the notes in kompass_core/data/published-results.csv)\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        if args.format == "json":
            dump_json(store_export(store))
            return 0
        entries = store.entries()
    from kompass_core.cli.tables import to_csv

    out(to_csv(STORE_EXPORT_COLUMNS, store_export_rows(entries)))
    return 0


def _remove(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        gone = store.remove(args.id)
    say(f"removed {gone.short} ({_about(gone)})")
    return 0
