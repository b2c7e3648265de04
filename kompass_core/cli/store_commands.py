"""``kompass db ...``: the results store from the command line.

``db import`` reads and scores every file before it writes anything, then
stores all the good ones in one transaction: a bad file is reported and
left out whole, never imported in part. The queries print tables, JSON or
CSV with exact values as text.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from kompass_core.cli.cards import (
    EVALUATION_SUFFIXES,
    area_rows,
    dump_json,
    each_file,
    label,
    out,
    span_text,
    with_ruleset,
)
from kompass_core.formats.evaluation import evaluation_from_data
from kompass_core.formats.fields import Fields
from kompass_core.formats.reading import (
    build_parsed,
    decode,
    is_workbook,
    parse_document,
    read_bytes,
)
from kompass_core.formats.results import COLUMNS, KINDS
from kompass_core.model.card import TOTAL, ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.points import Points, Rounding, plain, to_text
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.registry.registry import Registry, default_registry
from kompass_core.store.store import (
    STORE_FORMAT,
    Record,
    Store,
    Stored,
    average,
    default_path,
    distinct,
    make_record,
    rank,
    records_from_csv,
)

AVERAGE = Rounding(places=1)
"""Averages are shown to one decimal (JSON and CSV give them exactly)."""


def db(args: argparse.Namespace) -> int:
    """``kompass db ACTION``: run the action's function."""
    actions: dict[str, Callable[[argparse.Namespace], int]] = {
        "import": _import, "list": _list, "history": _history, "average": _average,
        "rank": _rank, "export": _export, "remove": _remove}
    return actions[args.action](args)


def open_store(path: str | None, registry: Registry | None = None) -> Store:
    """Open the store at ``path`` (default: :func:`default_path`), saying so if it is new."""
    target = Path(path) if path else default_path()
    store = Store.open(target, registry)
    if store.created:
        what = f" with {store.seeded} published result(s) bundled with kompass" \
            if store.seeded else ""
        skipped = f" ({store.skipped} row(s) without a known rule set left out)" \
            if store.skipped else ""
        print(f"kompass: created the results store {target}{what}{skipped}", file=sys.stderr)
    return store


# --- import ------------------------------------------------------------------------------

@attrs.frozen
class _Read:
    """What one file gives: its records, rows skipped, and whether it is one evaluation."""

    name: str
    records: list[Record]
    skipped: int
    single: bool


def _read(registry: Registry, source: str) -> _Read:
    """Read, check and score one file: an evaluation, a results CSV or a store export.

    A document is parsed once; its ``format`` says whether it is an export.
    """
    name, data = read_bytes(source)
    origin = Path(name).name
    text: str | None = None
    if is_workbook(name, data):
        from kompass_core.formats.xlsx import read_evaluation

        evaluation = read_evaluation(data, name)
    else:
        text = decode(data, name)
        if name.lower().endswith(".csv") or text.startswith("ruleset,kind,"):
            records, skipped = records_from_csv(text, name, registry, origin)
            return _Read(name, records, skipped, False)
        doc = parse_document(text, name)
        if doc.get("format") == STORE_FORMAT:
            records = build_parsed(doc, text, name, lambda data: _restore(registry, data))
            return _Read(name, records, 0, False)
        evaluation = build_parsed(doc, text, name, evaluation_from_data)
    loaded = with_ruleset(registry, evaluation, text, name)
    card = loaded.located(lambda: registry.score(evaluation, ruleset=loaded.ruleset))
    return _Read(name, [make_record(evaluation, card, origin)], 0, True)


def _restore(registry: Registry, data: dict[str, Any]) -> list[Record]:
    """The records of a store export (``db export --format json``); IDs and scores are redone."""
    from kompass_core.formats.serialize import structure

    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only("format", "evaluations")
    items = data.get("evaluations")
    if not isinstance(items, list):
        top.problem("expected an array of evaluations", "evaluations")
        items = []
    records = []
    for i, item in enumerate(items):
        fields = Fields(item, ("evaluations", str(i)), problems)
        if not fields.ok:
            continue
        fields.only("id", "origin", "kind", "year", "source_url", "evaluation", "scores")
        origin = fields.text("origin", required=True)
        kind = fields.text("kind", required=True)
        if kind is not None and kind not in KINDS:
            fields.problem(f"{kind!r} is not one of: {', '.join(KINDS)}", "kind")
        year = fields.integer("year")
        url = item.get("source_url", "")
        if not isinstance(url, str):
            fields.problem("expected a string", "source_url")
        try:
            evaluation = structure(item.get("evaluation"), Evaluation)
            card = registry.score(evaluation)
        except InputError as err:
            problems += [Problem(p.message, keys=(*fields.keys, "evaluation", *p.keys))
                         for p in err.problems]
            continue
        if origin is not None and kind in KINDS and isinstance(url, str):
            records.append(make_record(evaluation, card, origin, kind, year, url))
    if problems:
        raise InputError(problems)
    return records


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
            out(f"{item.name}: {what} {r.id[:12]} ({_about(r)})\n")
        else:
            skipped = f", {item.skipped} row(s) without a rule set skipped" \
                if item.skipped else ""
            out(f"{item.name}: {len(new)} stored, {len(item.records) - len(new)} already "
                f"stored{skipped}\n")
    return 0 if len(read) == len(found) else 2


# --- listing and export --------------------------------------------------------------------

LIST_HEADERS = ("id", "municipality", "code", "country", "year", "date", "ruleset", "kind",
                "total", "origin")


def _total(s: Stored) -> str:
    score = s.score(TOTAL)
    if score is None:
        return ""
    return plain(score.low) if score.low == score.high else \
        f"{plain(score.low)}-{plain(score.high)}"


def _list(args: argparse.Namespace) -> int:
    ref = RuleSetRef.parse(args.ruleset) if args.ruleset else None
    with open_store(args.db) as store:
        entries = store.entries(ref)
    entries.sort(key=lambda s: (s.municipality.name.casefold(), s.year or 0, str(s.ruleset),
                                s.id))
    rows = [[s.short, s.municipality.name, s.municipality.code or "",
             s.municipality.country or "", "" if s.year is None else str(s.year),
             s.date.isoformat() if s.date else "", str(s.ruleset), s.kind, _total(s),
             s.origin] for s in entries]
    if args.format == "json":
        dump_json([_entry_json(s) for s in entries])
    elif args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(LIST_HEADERS, [[s.id, *row[1:]] for s, row in zip(entries, rows,
                                                                     strict=True)]))
    else:
        from kompass_core.cli.tables import table

        out(table(["ID", "Municipality", "Code", "Country", "Year", "Date", "Rule set", "Kind",
                   "Total", "Origin"], rows, right=(4, 8)))
    return 0


def _entry_json(s: Stored) -> dict[str, Any]:
    m = s.municipality
    return {"id": s.id, "origin": s.origin, "ruleset": str(s.ruleset),
            "municipality": {"name": m.name, "code": m.code, "country": m.country},
            "date": s.date.isoformat() if s.date else None, "year": s.year, "kind": s.kind,
            "source_url": s.source_url,
            "scores": [{"key": x.key, "level": x.level.value, "low": to_text(x.low),
                        "high": to_text(x.high), "max": to_text(x.max),
                        "provenance": x.provenance.value} for x in s.scores]}


def _export(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        entries = store.entries()
        if args.format == "json":
            documents = store.documents()
            docs = [{"id": s.id, "origin": s.origin, "kind": s.kind, "year": s.year,
                     "source_url": s.source_url, "evaluation": documents[s.id],
                     "scores": _entry_json(s)["scores"]} for s in entries]
            dump_json({"format": STORE_FORMAT, "evaluations": docs})
            return 0
    from kompass_core.cli.tables import to_csv

    def cell(value: Points | None) -> str:
        return "" if value is None else plain(value)

    rows = []
    for s in entries:
        row = s.row()
        rows.append([str(row.ruleset), row.kind, row.country, row.municipality,
                     "" if row.year is None else str(row.year), *map(cell, row.areas),
                     cell(row.total), row.source, "", s.id, s.origin])
    out(to_csv((*COLUMNS, "id", "origin"), rows))
    return 0


def _remove(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        gone = store.remove(args.id)
    out(f"removed {gone.short} ({_about(gone)})\n")
    return 0


# --- history, average, rank --------------------------------------------------------------

def _history(args: argparse.Namespace) -> int:
    from kompass_core.cli.migrating import ruleset_lines

    registry = default_registry()
    with open_store(args.db, registry) as store:
        found = store.find(args.municipality)
        where = store.path
    if not found:
        raise InputError(Problem(f"no stored evaluation of {args.municipality!r} (by name or "
                                 "code)", file=str(where)))
    kept, dropped = distinct(found)
    kept.sort(key=lambda s: (s.year if s.year is not None else -1,
                             s.date or datetime.date.min, s.seq))
    on = registry.ruleset(args.on) if args.on else registry.ruleset(kept[-1].ruleset)
    rulesets = {s.ruleset: registry.ruleset(s.ruleset) for s in kept}
    cards = [registry.migrate(s.card(rulesets[s.ruleset]), on.ref) for s in kept]
    if args.format == "json":
        dump_json({"municipality": args.municipality, "on": str(on.ref),
                   "evaluations": [dict(_meta(s), card=_card(c)) for s, c in
                                   zip(kept, cards, strict=True)],
                   "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.cards import CSV_HEADERS, csv_rows
        from kompass_core.cli.tables import to_csv

        rows = [[s.id, s.origin, s.kind, "" if s.year is None else str(s.year), *row[1:]]
                for s, c in zip(kept, cards, strict=True)
                for row in csv_rows(s.id, c, on, args.lang) if row[8] in ("total", "area")]
        out(to_csv(("id", "origin", "kind", "year", *CSV_HEADERS[1:]), rows))
        return 0
    from kompass_core.cli.tables import table

    lang = args.lang or on.languages[0]
    heads = [str(s.year) if s.year is not None else "?" for s in kept]
    if len(set(heads)) < len(heads):
        heads = [f"{i}. {h}" for i, h in enumerate(heads, start=1)]
    heads = [h + (" *" if c.uncalibrated else "") for h, c in zip(heads, cards, strict=True)]
    codes = sorted({s.municipality.code for s in kept if s.municipality.code})
    who = kept[-1].municipality.name + (f" ({', '.join(codes)})" if codes else "")
    lines = [f"History of {who} on {on.ref} {on.title.get(lang)[0]}", *ruleset_lines(
        registry, on, [(f"{s.name}: {s.short} ({s.ruleset}, total "
                        f"{_shown(s, rulesets[s.ruleset])}, from {s.origin})",
                        rulesets[s.ruleset]) for s in kept])]
    body = table(["Key", "Criterion", *heads, "Max"], area_rows(on, cards, lang),
                 right=tuple(range(2, len(heads) + 3)))
    notes = []
    if any(c.uncalibrated for c in cards):
        notes.append("* crossed an uncalibrated step: no source says how scores shift across "
                     "it, so compare those columns with care.")
    notes += _once_notes(dropped)
    out("\n".join(lines) + "\n\n" + body + "".join(n + "\n" for n in notes))
    return 0


def _shown(s: Stored, ruleset: RuleSet) -> str:
    score = s.score(TOTAL)
    return "?" if score is None else span_text(score.low, score.high, ruleset.rounding)


def _meta(s: Stored) -> dict[str, Any]:
    return {"id": s.id, "origin": s.origin, "kind": s.kind, "year": s.year,
            "ruleset": str(s.ruleset), "source_url": s.source_url}


def _card(card: ScoreCard) -> Any:
    from kompass_core.formats.serialize import unstructure

    return unstructure(card)


def _once_notes(dropped: Sequence[Stored]) -> list[str]:
    """Which results were stored more than once and counted once."""
    if not dropped:
        return []
    shown = ", ".join(f"{s.short} ({s.name}, from {s.origin})" for s in dropped)
    return [f"Counted once: {shown} left out, as the same result is stored again, more "
            f"completely or more recently (`kompass db list` shows both)."]


def _selection(store: Store, registry: Registry, args: argparse.Namespace
               ) -> tuple[RuleSet, list[Stored], list[Stored]]:
    ruleset = registry.ruleset(args.ref)
    found = store.entries(ruleset.ref, ("evaluation",), args.year, args.country)
    kept, dropped = distinct(found)
    return ruleset, kept, dropped


def _filters(count: int, args: argparse.Namespace) -> str:
    """``5 stored evaluation(s), year 2014, country SE``: what a query rests on."""
    parts = [f"{count} stored evaluation(s)"]
    if args.year is not None:
        parts.append(f"year {args.year}")
    if args.country:
        parts.append(f"country {args.country.upper()}")
    return ", ".join(parts)


def _average(args: argparse.Namespace) -> int:
    registry = default_registry()
    with open_store(args.db, registry) as store:
        ruleset, kept, dropped = _selection(store, registry, args)
    keys = [TOTAL, *(a.key for a in ruleset.areas)]
    columns = average(kept, keys, [ruleset.max, *(a.max for a in ruleset.areas)])
    lang = args.lang or ruleset.languages[0]

    def text(value: Points | None) -> str:
        return "" if value is None else to_text(value)

    if args.format == "json":
        dump_json({"ruleset": str(ruleset.ref), "kind": "evaluation", "year": args.year,
                   "country": args.country.upper() if args.country else None,
                   "columns": [{"key": c.key, "average": None if c.average is None
                                else to_text(c.average), "count": c.count,
                                "max": to_text(c.max)} for c in columns],
                   "evaluations": [s.id for s in kept],
                   "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(("key", "label", "average", "count", "max"),
                   [[c.key, label(ruleset, c.key, lang), text(c.average), str(c.count),
                     to_text(c.max)] for c in columns]))
        return 0
    from kompass_core.cli.tables import table

    rows = [[c.key, label(ruleset, c.key, lang),
             "-" if c.average is None else AVERAGE.show(c.average), str(c.count), plain(c.max)]
            for c in columns[1:]]
    t = columns[0]
    rows.append(["", "Total", "-" if t.average is None else AVERAGE.show(t.average),
                 str(t.count), plain(t.max)])
    head = f"Average of {ruleset.ref} {ruleset.title.get(lang)[0]}: {_filters(len(kept), args)}"
    notes = ["Each column averages the evaluations that score it exactly; Count says how "
             "many.", *_once_notes(dropped)]
    out(head + "\n\n" + table(["Key", "Criterion", "Average", "Count", "Max"], rows,
                              right=(2, 3, 4)) + "\n" + "\n".join(notes) + "\n")
    return 0


def _rank(args: argparse.Namespace) -> int:
    registry = default_registry()
    with open_store(args.db, registry) as store:
        ruleset, kept, dropped = _selection(store, registry, args)
    ranked = rank(kept)
    data = []
    for place, s in ranked:
        total = s.score(TOTAL)
        m = s.municipality
        data.append({"rank": place, "id": s.id, "municipality": m.name, "code": m.code,
                     "country": m.country, "year": s.year,
                     "low": to_text(total.low) if total else None,
                     "high": to_text(total.high) if total else None,
                     "max": to_text(total.max) if total else None})
    if args.format == "json":
        dump_json({"ruleset": str(ruleset.ref), "year": args.year,
                   "country": args.country.upper() if args.country else None,
                   "ranking": data, "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        keys = ("rank", "id", "municipality", "code", "country", "year", "low", "high", "max")
        out(to_csv(keys, [["" if d[k] is None else str(d[k]) for k in keys] for d in data]))
        return 0
    from kompass_core.cli.tables import table

    rows = [["-" if place is None else str(place), s.municipality.name,
             s.municipality.code or "", s.municipality.country or "",
             "" if s.year is None else str(s.year), _shown(s, ruleset), s.short]
            for place, s in ranked]
    head = f"Ranking on {ruleset.ref} by total: {_filters(len(kept), args)}"
    notes = []
    if any(place is None for place, _ in ranked):
        notes.append("-: not fully scored, so the total is a range and is not ranked.")
    notes += _once_notes(dropped)
    out(head + "\n\n" + table(["Rank", "Municipality", "Code", "Country", "Year", "Total",
                               "ID"], rows, right=(0, 4, 5))
        + "".join(n + "\n" for n in (["", *notes] if notes else [])))
    return 0

