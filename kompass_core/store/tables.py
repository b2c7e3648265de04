"""The two tables' rows: records written as rows, rows read back as stored entries.

These are the hot paths of ``db import`` and of every query (benchmarks/run.py
times them against plain ``executemany``), so they work on tuples and
share what is the same for every card of a rule set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

import attrs

from kompass_core.engine.plan import picker
from kompass_core.model.card import Provenance, ScoreCard
from kompass_core.model.dates import PartialDate
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, from_text
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level
from kompass_core.store.postgres import Connection, PgConnection
from kompass_core.store.records import LEVELS, Record, Stored, StoredScore


class _Numbers(dict[str, Points]):
    """Exact points by their stored text, each text parsed once (scores repeat a lot)."""

    def __missing__(self, text: str) -> Points:
        value = self[text] = int(text) if text.isdigit() else from_text(text)
        return value


_EVAL_COLUMNS = ("id, hash, origin, ruleset, municipality, code, country, date, year, kind, "
                 "source_url, ruleset_basis")


def _score_rows(records: Iterable[tuple[int, Record]]) -> Iterator[tuple[object, ...]]:
    """The rows of the scores table for ``(id, record)`` pairs: total and areas.

    Cards of one rule set share their key, level and max tuples, so what
    is constant per stored line (positions, keys, levels, maxima as text)
    is worked out once per rule set, and each card's rows are zipped
    together in C: this runs once per stored score.
    """
    shapes: dict[tuple[int, int, int], _Shape] = {}
    alive: list[object] = []  # keeps the tuples whose ids key ``shapes``

    def rows(pair: tuple[int, Record]) -> Iterator[tuple[object, ...]]:
        ident, c = pair[0], pair[1].card
        shape = shapes.get((id(c.keys), id(c.levels), id(c.maxes)))
        if shape is None:
            alive.append((c.keys, c.levels, c.maxes))
            shape = shapes[(id(c.keys), id(c.levels), id(c.maxes))] = _Shape.of(c)
        lows = tuple(map(str, shape.pick(c.lows)))  # str() is to_text()
        highs = lows if c.highs is c.lows else tuple(map(str, shape.pick(c.highs)))
        hidden = map(c.hidden_by, shape.keys) if c.hides else repeat(None, shape.count)
        return zip(repeat(ident, shape.count), shape.keys, shape.levels, lows, highs,
                   shape.maxes, map(_VALUE, shape.pick(c.provenance)), hidden, strict=True)

    return chain.from_iterable(map(rows, records))


_VALUE = attrgetter("_value_")  # an enum's value as a plain attribute: faster than .value


@attrs.frozen
class _Shape:
    """What is the same in the stored lines of every card of one rule set."""

    pick: Callable[[Sequence[Any]], tuple[Any, ...]]
    count: int
    keys: tuple[str, ...]
    levels: tuple[str, ...]
    maxes: tuple[str, ...]

    @classmethod
    def of(cls, card: ScoreCard) -> _Shape:
        at = tuple(i for i, level in enumerate(card.levels) if level in LEVELS)
        return cls(picker(at), len(at), tuple(card.keys[i] for i in at),
                   tuple(card.levels[i].value for i in at), tuple(str(card.maxes[i]) for i in at))


def _evaluation_row(ident: int, r: Record) -> tuple[object, ...]:
    m, e = r.evaluation.municipality, r.evaluation
    return (ident, r.id, r.origin, str(e.ruleset), m.name, m.code, m.country,
            e.date.isoformat() if e.date else None, r.year, r.kind, r.source_url, r.basis,
            r.document)


def insert(db: Connection, batch: Sequence[Record]) -> list[Record]:
    """Insert the records not yet stored (inside a transaction); return them.

    Each record gets the next id; one already stored (or given twice)
    is skipped by the unique hash, leaving its id unused, and which
    were inserted is read back as the new ids: one index lookup per
    record, done by the insert itself.
    """
    first = int(db.execute("SELECT coalesce(max(id), 0) FROM evaluations").fetchone()[0])
    numbered = list(enumerate(batch, start=first + 1))
    db.executemany(f"INSERT INTO evaluations ({_EVAL_COLUMNS}, document) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (hash) DO NOTHING",
                   [_evaluation_row(i, r) for i, r in numbered])
    inserted = {i for (i,) in db.execute("SELECT id FROM evaluations WHERE id > ?", (first,))}
    if len(inserted) < len(numbered):
        numbered = [(i, r) for i, r in numbered if i in inserted]
    if isinstance(db, PgConnection):
        db.copy("scores", _score_rows(numbered))
    else:
        db.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", _score_rows(numbered))
    return [r for _, r in numbered]


def select(db: Connection, condition: str, args: Sequence[object],
           basis: bool = True, hidden: bool = True) -> list[Stored]:
    """The stored entries ``condition`` (a WHERE clause on evaluations, or "") selects.

    Two queries, not one per entry: the evaluations, then all their scores.
    Without ``basis`` (a read-only store older than the column), no entry's
    rule-set basis is known; without ``hidden``, every line is published.
    """
    columns = _EVAL_COLUMNS if basis else _EVAL_COLUMNS.replace("ruleset_basis", "NULL")
    heads = db.execute(f"SELECT {columns} FROM evaluations{condition} ORDER BY id",
                       args).fetchall()
    scores: dict[int, list[StoredScore]] = {h[0]: [] for h in heads}
    rows = db.execute(
        "SELECT s.evaluation, s.key, s.level, s.low, s.high, s.max, s.provenance, "
        f"{'s.hidden' if hidden else 'NULL'} "
        f"FROM scores s JOIN evaluations ON evaluations.id = s.evaluation{condition} "
        "ORDER BY s.evaluation, s.level <> 'total', length(s.key), s.key", args)
    levels, provenances = {v.value: v for v in Level}, {v.value: v for v in Provenance}
    number = _Numbers()
    for ident, key, level, low, high, top, prov, why in rows:
        scores[ident].append(StoredScore(key, levels[level], number[low], number[high],
                                         number[top], provenances[prov], why))
    refs: dict[str, RuleSetRef] = {}
    out = []
    for seq, digest, origin, ref, name, code, land, date, year, kind, url, known in heads:
        parsed = refs.get(ref) or refs.setdefault(ref, RuleSetRef.parse(ref))
        out.append(Stored(digest, origin, parsed, Municipality(name, code, land),
                          PartialDate.parse(date) if date else None, year,
                          kind, url, tuple(scores[seq]), seq, known))
    return out
