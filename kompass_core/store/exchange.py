"""The store's exchange formats: what ``kompass db export`` writes and ``db import`` restores.

The JSON export (``kompass.store/1``) is lossless: each evaluation's
document with where it came from. Restoring it scores every evaluation
again and recomputes its ID, so an export from any kompass restores into
any store. The CSV export is a results CSV (docs/formats.md) with each
entry's ID and origin added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from kompass_core.formats.evaluation import evaluation_from_data
from kompass_core.formats.fields import Fields
from kompass_core.formats.results import BASES, BASIS, COLUMNS, KINDS, OPTIONAL
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.points import Points, plain, to_text
from kompass_core.model.ruleset import Level, RuleSet
from kompass_core.store.database import Store
from kompass_core.store.records import Record, Stored, make_record

if TYPE_CHECKING:
    from kompass_core.registry.registry import Registry

STORE_FORMAT = "kompass.store/1"
"""The ``format`` of ``kompass db export --format json``, which ``db import`` restores."""
EXPORT_COLUMNS = (*COLUMNS, *OPTIONAL, "id", "origin")
"""The columns of ``kompass db export --format csv``: a results CSV, and who is who."""


def entry_data(s: Stored) -> dict[str, Any]:
    """A stored entry as JSON-ready data, exact points as text (``db list --format json``)."""
    m = s.municipality
    return {"id": s.id, "origin": s.origin, "ruleset": str(s.ruleset),
            "municipality": {"name": m.name, "code": m.code, "country": m.country},
            "date": s.date.isoformat() if s.date else None, "year": s.year, "kind": s.kind,
            "source_url": s.source_url, BASIS: s.basis,
            "scores": [{"key": x.key, "level": x.level.value, "low": to_text(x.low),
                        "high": to_text(x.high), "max": to_text(x.max),
                        "provenance": x.provenance.value,
                        **({"hidden": x.hidden} if x.hidden else {})} for x in s.scores]}


def export_data(store: Store) -> dict[str, Any]:
    """Everything stored, as a ``kompass.store/1`` document (what :func:`restore` reads)."""
    entries = store.entries()
    documents = store.documents()  # after: an entry stored in between is only not listed
    return {"format": STORE_FORMAT, "evaluations": [
        {"id": s.id, "origin": s.origin, "kind": s.kind, "year": s.year,
         "source_url": s.source_url, **({BASIS: s.basis} if s.basis else {}),
         "evaluation": documents[s.id],
         "scores": entry_data(s)["scores"]} for s in entries]}


def export_rows(entries: Sequence[Stored]) -> list[list[str]]:
    """The rows of the CSV export, under :data:`EXPORT_COLUMNS` (exact published scores only:
    a withheld area's cell is empty, as a results table leaves what was not published)."""
    def cell(value: Points | None) -> str:
        return "" if value is None else plain(value)

    rows = []
    for s in entries:
        row = s.row()
        rows.append([str(row.ruleset), row.kind, row.country, row.municipality,
                     "" if row.year is None else str(row.year), *map(cell, row.areas),
                     cell(row.total), row.source, "", row.basis, row.code, s.id, s.origin])
    return rows


def restore(registry: Registry, data: dict[str, Any]) -> list[Record]:
    """The records of a store export (``db export --format json``); IDs and scores are redone.

    Every problem is raised at once, each with its key path
    (``evaluations.3.kind``), so a bad export is never restored in part.
    """
    from kompass_core.formats.serialize import structure

    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only("format", "evaluations")
    if data.get("format") != STORE_FORMAT:
        top.problem(f"format {data.get('format')!r} is not {STORE_FORMAT!r}, which this "
                    "version of kompass restores", "format")
    items = data.get("evaluations")
    if not isinstance(items, list):
        top.problem("expected an array of evaluations", "evaluations")
        items = []
    records = []
    for i, item in enumerate(items):
        fields = Fields(item, ("evaluations", str(i)), problems)
        if not fields.ok:
            continue
        fields.only("id", "origin", "kind", "year", "source_url", BASIS, "evaluation", "scores")
        origin = fields.text("origin", required=True)
        kind = fields.text("kind", required=True)
        if kind is not None and kind not in KINDS:
            fields.problem(f"{kind!r} is not one of: {', '.join(KINDS)}", "kind")
        year = fields.integer("year")
        if year is not None and not 0 <= year <= 9999:  # SQLite's integers end at 2**63
            fields.problem(f"{str(year)[:40]} is not a year (0 to 9999)", "year")
        basis = fields.text(BASIS)
        if basis is not None and basis not in BASES:
            fields.problem(f"{basis[:40]!r} is not one of: {', '.join(BASES)}", BASIS)
            basis = None
        url = item.get("source_url", "")
        if not isinstance(url, str):
            fields.problem("expected a string", "source_url")
        try:
            _check_as_a_file(item.get("evaluation"))
            evaluation = structure(item.get("evaluation"), Evaluation)
            ruleset = registry.ruleset(evaluation.ruleset)
            _check_keys(evaluation, ruleset)
            card = registry.score(evaluation, ruleset)
        except InputError as err:
            problems += [Problem(p.message, keys=(*fields.keys, "evaluation", *p.keys))
                         for p in err.problems]
            continue
        if origin is not None and kind in KINDS and isinstance(url, str):
            records.append(make_record(evaluation, card, origin, kind, year, url, basis))
    if problems:
        raise InputError(problems)
    return records


def _check_as_a_file(document: object) -> None:
    """The evaluation reader's checks on what a stored document shares with a file.

    The municipality (a non-empty name, the country rule), the date, the
    evaluators (an array of non-empty strings, never a string split into
    letters), the summary, the facts and the notes (keyed by area number) are handed to
    :func:`~kompass_core.formats.evaluation.evaluation_from_data` in the
    file's shape, and its problems are placed back on the document's keys.
    Points and comments, which a file nests by level, are checked when the
    document is structured and scored.
    """
    if not isinstance(document, dict):
        return  # structuring says what it should be
    shaped: dict[str, Any] = {k: document[k] for k in ("ruleset", "municipality")
                              if k in document}
    meta = {k: document[k] for k in ("date", "evaluators", "summary")
            if document.get(k) is not None}
    if meta:
        shaped["evaluation"] = meta
    if "facts" in document:
        shaped["facts"] = document["facts"]
    if isinstance(notes := document.get("notes"), dict) and notes:
        shaped["areas"] = notes
    try:
        evaluation_from_data(shaped)
    except InputError as err:
        raise InputError([attrs.evolve(p, keys=_document_keys(p.keys))
                          for p in err.problems]) from None


def _document_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """A file's key path as the stored document's: ``areas.3`` -> ``notes.3``."""
    if keys[:1] == ("evaluation",):
        return keys[1:]
    if keys[:1] == ("areas",):
        return ("notes", *keys[1:])
    return keys


def _check_keys(evaluation: Evaluation, ruleset: RuleSet) -> None:
    """Notes are on areas, comments and gold stars on criteria the rule set has (scoring
    checks points)."""
    problems = [Problem(f"{ruleset.ref} has no area {key}", keys=("notes", key))
                for key in evaluation.notes
                if key not in ruleset or ruleset.criterion(key).level is not Level.AREA]
    problems += [Problem(f"{ruleset.ref} has no criterion {key}", keys=("comments", key))
                 for key in evaluation.comments if key not in ruleset]
    problems += [Problem(f"{ruleset.ref} has no criterion {star.key}",
                         keys=("stars", str(i), "key"))
                 for i, star in enumerate(evaluation.stars) if star.key not in ruleset]
    if problems:
        raise InputError(problems)
