"""The results store: every evaluation once, keyed by its content, in SQLite.

History, averages, rankings and the report's reference need the results of
many evaluations; an embedded SQLite file (the standard library's
``sqlite3``) needs no set-up. The schema is versioned with ``PRAGMA
user_version`` and brought up to date on open by the forward steps in
:data:`MIGRATIONS`. WAL mode lets a report read while an import writes, and
every write is one transaction, so a crash leaves the store as it was before
the write began. Exact points are stored as text (``"115/2"``) and averaged
in Python with fractions, never as SQL floats.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from itertools import chain, repeat
from json.encoder import encode_basestring as _quote  # what json.dumps uses
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import attrs

from kompass_core.engine.plan import picker
from kompass_core.engine.scoring import score_with
from kompass_core.engine.weighting import Weighting
from kompass_core.formats.results import KINDS, Row, bundled_rows, read_rows
from kompass_core.model.card import TOTAL, Provenance, ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation, Municipality
from kompass_core.model.points import Points, exact, from_text
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level, RuleSet

if TYPE_CHECKING:
    from kompass_core.registry.registry import Registry

BUNDLED = "bundled"
"""The origin of the published results a new store is seeded with."""
STORE_FORMAT = "kompass.store/1"
"""The ``format`` of ``kompass db export --format json``, which ``db import`` restores."""
SHORT = 12
"""Hex digits of the content hash shown as an evaluation's ID."""

MIGRATIONS: list[tuple[str, ...]] = [
    (  # 1: evaluations, keyed by content, and their total and area scores
        """CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            ruleset TEXT NOT NULL,
            municipality TEXT NOT NULL,
            code TEXT,
            country TEXT,
            date TEXT,
            year INTEGER,
            kind TEXT NOT NULL CHECK (kind IN ('evaluation', 'average', 'derived')),
            source_url TEXT NOT NULL,
            document TEXT NOT NULL)""",
        """CREATE TABLE scores (
            evaluation INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            level TEXT NOT NULL,
            low TEXT NOT NULL,
            high TEXT NOT NULL,
            max TEXT NOT NULL,
            provenance TEXT NOT NULL,
            PRIMARY KEY (evaluation, key)) WITHOUT ROWID""",
        "CREATE INDEX evaluations_by_ruleset ON evaluations(ruleset, kind, year)",
        "CREATE INDEX evaluations_by_code ON evaluations(code)",
    ),
]
"""Forward schema steps: ``MIGRATIONS[n]`` takes a store from version n to n + 1.

Add a step for a new version; never edit a released one.
"""


def default_path() -> Path:
    """``$KOMPASS_DB``, else ``$XDG_DATA_HOME/kompass/results.db``, else under ~/.local/share."""
    given = os.environ.get("KOMPASS_DB")
    if given:
        return Path(given)
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "kompass" / "results.db"


# --- what is stored --------------------------------------------------------------------

class StoredScore(NamedTuple):
    """One stored score line (the total or an area), exact.

    A named tuple rather than an attrs class: queries build one per stored
    score, and tuples cost a fraction to create.
    """

    key: str
    level: Level
    low: Points
    high: Points
    max: Points
    provenance: Provenance

    @property
    def exact(self) -> Points | None:
        """The score when it is known to the point, else None."""
        return self.low if self.low == self.high else None


_LEVELS = (Level.TOTAL, Level.AREA)


@attrs.frozen
class Record:
    """An evaluation ready to store: its content key, where it came from, its score card."""

    id: str
    evaluation: Evaluation
    document: str
    origin: str
    kind: str
    year: int | None
    source_url: str
    card: ScoreCard

    @property
    def scores(self) -> tuple[StoredScore, ...]:
        """The score lines stored for queries: the total and the areas."""
        c = self.card
        return tuple(StoredScore(c.keys[i], level, c.lows[i], c.highs[i], c.maxes[i],
                                 c.provenance[i])
                     for i, level in enumerate(c.levels) if level in _LEVELS)


@attrs.frozen
class Stored:
    """An evaluation as the store holds it (without its document, which queries skip)."""

    id: str
    origin: str
    ruleset: RuleSetRef
    municipality: Municipality
    date: datetime.date | None
    year: int | None
    kind: str
    source_url: str
    scores: tuple[StoredScore, ...]
    seq: int = attrs.field(eq=False)  # import order: newer wins among duplicates

    @property
    def short(self) -> str:
        """The ID people type: the first hex digits of the content hash."""
        return self.id[:SHORT]

    @property
    def name(self) -> str:
        """``Grästorp 2014``: municipality and year, for lists and notes."""
        return self.municipality.name + (f" {self.year}" if self.year is not None else "")

    def score(self, key: str) -> StoredScore | None:
        """The stored score for ``key`` (``total`` or an area), if any."""
        return next((s for s in self.scores if s.key == key), None)

    def exactness(self) -> int:
        """How many of its scores are exact: the more, the more complete."""
        return sum(s.low == s.high for s in self.scores)

    def card(self, ruleset: RuleSet) -> ScoreCard:
        """A score card of the total and areas, enough to show or migrate it."""
        if ruleset.ref != self.ruleset:
            raise ValueError(f"{self.short} is scored on {self.ruleset}, not {ruleset.ref}")
        s = self.scores
        return ScoreCard(self.ruleset, ruleset.weighting, self.municipality, self.date,
                         ruleset.rounding, tuple(x.key for x in s), tuple(x.level for x in s),
                         tuple(x.max for x in s), tuple(x.low for x in s),
                         tuple(x.high for x in s), tuple(x.provenance for x in s))

    def row(self) -> Row:
        """This evaluation as a results-CSV row (exact scores only), for reference averages."""
        areas = {s.key: s.exact for s in self.scores if s.level is Level.AREA}
        total = self.score(TOTAL)
        return Row(self.ruleset, self.kind, self.municipality.country or "",
                   self.municipality.name, self.year,
                   tuple(areas.get(str(i)) for i in range(1, 9)),
                   total.exact if total else None, self.source_url)


def document_text(evaluation: Evaluation) -> str:
    """The canonical JSON of ``evaluation``: ``canonical(serialize.unstructure(evaluation))``.

    Written out by hand because bulk imports build one per evaluation and
    the generic way (a dict, then the encoder) costs three times more; a
    property test proves both agree. Keys are in sorted order throughout.
    """
    m = evaluation.municipality
    notes = ",".join(
        f'{_quote(k)}:{{"improvements":{_strings(n.improvements)},"references":'
        f'{_strings(n.references)},"strengths":{_strings(n.strengths)},"weaknesses":'
        f'{_strings(n.weaknesses)}}}' for k, n in sorted(evaluation.notes.items())
    ) if evaluation.notes else ""
    comments = ",".join(f"{_quote(k)}:{_quote(v)}" for k, v in sorted(evaluation.comments.items())
                        ) if evaluation.comments else ""
    points = ",".join([f'{_quote(k)}:"{v}"' for k, v in sorted(evaluation.points.items())])
    date = f'"{evaluation.date.isoformat()}"' if evaluation.date else "null"
    return (f'{{"comments":{{{comments}}},"date":{date},"evaluators":'
            f'{_strings(evaluation.evaluators)},"municipality":{{"code":{_nullable(m.code)},'
            f'"country":{_nullable(m.country)},"name":{_quote(m.name)}}},"notes":{{{notes}}},'
            f'"points":{{{points}}},"ruleset":{_quote(str(evaluation.ruleset))}}}')


def _strings(items: Sequence[str]) -> str:
    return f"[{','.join(map(_quote, items))}]"


def _nullable(text: str | None) -> str:
    return "null" if text is None else _quote(text)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(data: object) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text as is.

    One encoder for all calls: ``json.dumps`` with options builds a new one each time.
    """
    return _CANONICAL.encode(data)


def make_record(evaluation: Evaluation, card: ScoreCard, origin: str,
                kind: str = "evaluation", year: int | None = None,
                source_url: str = "") -> Record:
    """A record of ``evaluation`` scored as ``card``.

    The key is the sha256 of the canonical JSON of the evaluation with its
    kind and year (a results-CSV row carries those outside the evaluation),
    so the same result imported twice, from any file, is stored once.
    """
    if kind not in KINDS:
        raise InputError(f"{kind!r} is not one of: {', '.join(KINDS)}")
    if year is None and evaluation.date is not None:
        year = evaluation.date.year
    text = document_text(evaluation)
    # canonical({"evaluation": ..., "kind": ..., "year": ...}) without encoding text twice
    keyed = f'{{"evaluation":{text},"kind":"{kind}","year":{"null" if year is None else year}}}'
    key = hashlib.sha256(keyed.encode()).hexdigest()
    return Record(key, evaluation, text, origin, kind, year, source_url, card)


_AREA_KEYS = tuple(str(i) for i in range(1, 9))


def evaluation_from_row(row: Row) -> Evaluation:
    """A results-CSV row as an evaluation: its area points and its total, as published."""
    if row.ruleset is None:
        raise InputError(Problem("no rule set", keys=("ruleset",)))
    points: dict[str, Points] = (
        {k: v for k, v in zip(_AREA_KEYS, row.areas, strict=True) if v is not None}
        if None in row.areas else dict(zip(_AREA_KEYS, cast(tuple[Points, ...], row.areas),
                                           strict=True)))
    if row.total is not None:
        points[TOTAL] = row.total
    return Evaluation(row.ruleset, Municipality(row.municipality, None, row.country or None),
                      points=points)


def _column(keys: Sequence[str]) -> str:
    """The results-CSV column of a scoring problem's key path (``areas.3`` -> ``a3``)."""
    if len(keys) == 2 and keys[0] == "areas":
        return f"a{keys[1]}"
    return ".".join(keys)


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk imports and queries make tens of thousands of acyclic objects
    (freed by reference counting anyway); the collector's repeated passes
    over them cost up to a tenth of an import of 10,000 evaluations and a
    fifth of averaging them (benchmarks/run.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def records_from_csv(text: str, name: str, registry: Registry, origin: str
                     ) -> tuple[list[Record], int]:
    """The records of a results CSV (see :func:`records_from_rows`).

    The collector pauses for the parsing too, which makes a row object per line.
    """
    with _bulk():
        return _records(read_rows(text, name), registry, name, origin, skip_unknown=False)


def records_from_rows(rows: Sequence[Row], registry: Registry, name: str, origin: str,
                      skip_unknown: bool = False) -> tuple[list[Record], int]:
    """Score every row of a results CSV; rows without a rule set are skipped and counted.

    Every problem of every row is raised at once (``file:line: column:
    message``), so a bad file is never imported in part. With
    ``skip_unknown``, rows whose rule set is not registered are skipped
    (and counted) instead.
    """
    with _bulk():
        return _records(rows, registry, name, origin, skip_unknown)


def _records(rows: Sequence[Row], registry: Registry, name: str, origin: str,
             skip_unknown: bool) -> tuple[list[Record], int]:
    records: list[Record] = []
    problems: list[Problem] = []
    skipped = 0
    known: dict[RuleSetRef, tuple[RuleSet, Weighting]] = {}
    for n, row in enumerate(rows, start=2):
        line = row.line or n
        if row.ruleset is None:
            skipped += 1
            continue
        found = known.get(row.ruleset)
        if found is None:
            try:
                ruleset = registry.ruleset(row.ruleset)
                found = known[row.ruleset] = (ruleset,
                                              registry.weighting(ruleset.weighting.name))
            except InputError as err:
                if skip_unknown:
                    skipped += 1
                else:
                    problems += [Problem(p.message, name, line, ("ruleset",))
                                 for p in err.problems]
                continue
        if not row.municipality.strip():
            problems.append(Problem("missing the municipality's name", name, line,
                                    ("municipality",)))
            continue
        ruleset, model = found
        evaluation = evaluation_from_row(row)
        try:
            card = score_with(evaluation, ruleset, model, ruleset.weighting)
        except InputError as err:
            problems += [Problem(p.message, name, line, (_column(p.keys),))
                         for p in err.problems]
            continue
        records.append(make_record(evaluation, card, origin, row.kind, row.year, row.source))
    if problems:
        raise InputError(problems)
    return records, skipped


def seed_records(registry: Registry) -> tuple[list[Record], int]:
    """The bundled published results, scored; rows no registered rule set fits are skipped."""
    return records_from_rows(bundled_rows(), registry, "published-results.csv", BUNDLED,
                             skip_unknown=True)


# --- the store ---------------------------------------------------------------------------

class _Numbers(dict[str, Points]):
    """Exact points by their stored text, each text parsed once (scores repeat a lot)."""

    def __missing__(self, text: str) -> Points:
        value = self[text] = int(text) if text.isdigit() else from_text(text)
        return value


_EVAL_COLUMNS = ("id, hash, origin, ruleset, municipality, code, country, date, year, kind, "
                 "source_url")


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
        return zip(repeat(ident, shape.count), shape.keys, shape.levels, lows, highs,
                   shape.maxes, map(_VALUE, shape.pick(c.provenance)), strict=True)

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
        at = tuple(i for i, level in enumerate(card.levels) if level in _LEVELS)
        return cls(picker(at), len(at), tuple(card.keys[i] for i in at),
                   tuple(card.levels[i].value for i in at), tuple(str(card.maxes[i]) for i in at))


def _evaluation_row(ident: int, r: Record) -> tuple[object, ...]:
    m, e = r.evaluation.municipality, r.evaluation
    return (ident, r.id, r.origin, str(e.ruleset), m.name, m.code, m.country,
            e.date.isoformat() if e.date else None, r.year, r.kind, r.source_url, r.document)


class Store:
    """An open results store; use :meth:`open`, and close it (or use ``with``)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.created = False
        self.seeded = 0
        """How many bundled results a new store was seeded with."""
        self.skipped = 0
        """How many bundled rows were skipped when seeding (no rule set known)."""

    @classmethod
    def open(cls, path: str | Path | None = None, registry: Registry | None = None, *,
             seed: bool = True) -> Store:
        """Open (creating, seeding and upgrading as needed) the store at ``path``.

        A new store is seeded with the bundled published results unless
        ``seed`` is false; ``registry`` scores them (default: the installed one).
        """
        target = Path(path) if path is not None else default_path()
        name = str(target)
        if target.is_dir():
            raise InputError(Problem("is a directory, not a results store", file=name))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(target, timeout=10, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(Problem(f"cannot open the results store: {exc}", file=name)
                             ) from None
        store = cls(connection, target)
        try:
            with store._errors():
                store._prepare(registry, seed)
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite failures as one-line input errors naming the store."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise InputError(Problem(f"cannot use the results store: {exc}",
                                     file=str(self.path))) from None
        except sqlite3.DatabaseError as exc:
            raise InputError(Problem(f"not a kompass results store ({exc})",
                                     file=str(self.path))) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")  # inside: a failed commit (busy, disk full) is rolled back too
        except BaseException:
            if db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                db.execute("ROLLBACK")
            raise

    def _version(self) -> int:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(MIGRATIONS):
            raise InputError(Problem(
                f"the results store has schema version {version}, newer than this kompass "
                f"reads ({len(MIGRATIONS)}): upgrade kompass", file=str(self.path)))
        return version

    def _prepare(self, registry: Registry | None, seed: bool) -> None:
        db = self._db
        db.execute("PRAGMA foreign_keys = ON")
        if self._version() == len(MIGRATIONS):
            return
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        with self._transaction():
            version = self._version()  # again, under the lock: another process may have won
            if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError(Problem("not a kompass results store (an SQLite file with "
                                         "other tables)", file=str(self.path)))
            for step in MIGRATIONS[version:]:
                for statement in step:
                    db.execute(statement)
            if version == 0:
                self.created = True
                if seed:
                    if registry is None:
                        from kompass_core.registry.registry import default_registry

                        registry = default_registry()
                    records, self.skipped = seed_records(registry)
                    self.seeded = len(self._insert(records))
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @property
    def version(self) -> int:
        """The schema version of the open store."""
        with self._errors():
            return self._version()

    # -- writing ----------------------------------------------------------------------------

    def add(self, records: Iterable[Record]) -> list[tuple[Record, bool]]:
        """Store every record in one transaction; each with True if new, False if stored."""
        batch = list(records)
        with _bulk(), self._errors(), self._transaction():
            new = {r.id for r in self._insert(batch)}
        out = []
        for r in batch:
            out.append((r, r.id in new))
            new.discard(r.id)  # a record given twice is new once
        return out

    def _insert(self, batch: Sequence[Record]) -> list[Record]:
        """Insert the records not yet stored (inside a transaction); return them.

        Each record gets the next id; one already stored (or given twice)
        is skipped by the unique hash, leaving its id unused, and which
        were inserted is read back as the new ids: one index lookup per
        record, done by the insert itself.
        """
        db = self._db
        first = int(db.execute("SELECT coalesce(max(id), 0) FROM evaluations").fetchone()[0])
        numbered = list(enumerate(batch, start=first + 1))
        db.executemany(f"INSERT INTO evaluations ({_EVAL_COLUMNS}, document) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (hash) DO NOTHING",
                       [_evaluation_row(i, r) for i, r in numbered])
        inserted = {i for (i,) in db.execute("SELECT id FROM evaluations WHERE id > ?", (first,))}
        if len(inserted) < len(numbered):
            numbered = [(i, r) for i, r in numbered if i in inserted]
        db.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?)", _score_rows(numbered))
        return [r for _, r in numbered]

    def remove(self, ident: str) -> Stored:
        """Remove the evaluation whose ID starts with ``ident``; return what it was."""
        with self._errors(), self._transaction():
            found = self.get(ident)
            self._db.execute("DELETE FROM evaluations WHERE hash = ?", (found.id,))
        return found

    # -- reading ----------------------------------------------------------------------------

    def get(self, ident: str) -> Stored:
        """The evaluation whose ID (content hash) starts with ``ident``, at least 4 digits."""
        prefix = ident.strip().lower()
        if len(prefix) < 4 or any(c not in "0123456789abcdef" for c in prefix):
            raise InputError(Problem(f"{ident!r} is not an evaluation ID (4 to 64 hex digits, "
                                     "as `kompass db list` shows)", file=str(self.path)))
        found = self.entries(where="hash >= ? AND hash < ?", params=(prefix, prefix + "g"))
        if not found:
            raise InputError(Problem(f"no stored evaluation has ID {ident!r}",
                                     file=str(self.path)))
        if len(found) > 1:
            raise InputError(Problem(f"ID {ident!r} matches {len(found)} stored evaluations: "
                                     "give more digits", file=str(self.path)))
        return found[0]

    def entries(self, ruleset: RuleSetRef | None = None, kinds: Sequence[str] | None = None,
                year: int | None = None, country: str | None = None, *, where: str = "",
                params: Sequence[object] = ()) -> list[Stored]:
        """Stored evaluations, filtered, in import order."""
        clauses, args = [where] if where else [], list(params)
        if ruleset is not None:
            clauses.append("ruleset = ?")
            args.append(str(ruleset))
        if kinds is not None:
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            args += kinds
        if year is not None:
            clauses.append("year = ?")
            args.append(year)
        if country is not None:
            clauses.append("country = ?")
            args.append(country.upper())
        condition = " WHERE " + " AND ".join(clauses) if clauses else ""
        with _bulk(), self._errors():
            heads = self._db.execute(f"SELECT {_EVAL_COLUMNS} FROM evaluations{condition} "
                                     "ORDER BY id", args).fetchall()
            scores: dict[int, list[StoredScore]] = {h[0]: [] for h in heads}
            rows = self._db.execute(
                "SELECT s.evaluation, s.key, s.level, s.low, s.high, s.max, s.provenance "
                f"FROM scores s JOIN evaluations ON evaluations.id = s.evaluation{condition} "
                "ORDER BY s.evaluation, s.level <> 'total', length(s.key), s.key", args)
            levels, provenances = {v.value: v for v in Level}, {v.value: v for v in Provenance}
            number = _Numbers()
            for ident, key, level, low, high, top, prov in rows:
                scores[ident].append(StoredScore(key, levels[level], number[low], number[high],
                                                 number[top], provenances[prov]))
            refs: dict[str, RuleSetRef] = {}
            out = []
            for seq, digest, origin, ref, name, code, land, date, year_, kind, url in heads:
                parsed = refs.get(ref) or refs.setdefault(ref, RuleSetRef.parse(ref))
                out.append(Stored(digest, origin, parsed, Municipality(name, code, land),
                                  datetime.date.fromisoformat(date) if date else None, year_,
                                  kind, url, tuple(scores[seq]), seq))
        return out

    def document(self, ident: str) -> dict[str, Any]:
        """The stored JSON document of the evaluation with full ID ``ident``."""
        with self._errors():
            row = self._db.execute("SELECT document FROM evaluations WHERE hash = ?",
                                   (ident,)).fetchone()
        if row is None:
            raise InputError(Problem(f"no stored evaluation has ID {ident!r}",
                                     file=str(self.path)))
        data: dict[str, Any] = json.loads(row[0])
        return data

    def documents(self) -> dict[str, dict[str, Any]]:
        """Every stored JSON document by full ID: one query for an export, not one each."""
        with self._errors():
            rows = self._db.execute("SELECT hash, document FROM evaluations").fetchall()
        return {ident: json.loads(text) for ident, text in rows}

    def evaluation(self, ident: str) -> Evaluation:
        """The stored evaluation with full ID ``ident``, exactly as imported."""
        from kompass_core.formats.serialize import structure

        return structure(self.document(ident), Evaluation)

    def find(self, municipality: str) -> list[Stored]:
        """Results of one municipality by code or by name (not published averages).

        By code, the results without a code that bear the name of that
        code's results count too (published results often have no code).
        """
        kinds = ("evaluation", "derived")
        with_code = self.entries(kinds=kinds, where="code = ?", params=(municipality,))
        if with_code:
            names = {s.municipality.name.casefold() for s in with_code}
            others = self.entries(kinds=kinds, where="code IS NULL")
            return sorted(with_code + [s for s in others
                                       if s.municipality.name.casefold() in names],
                          key=lambda s: s.seq)
        wanted = municipality.casefold()
        return [s for s in self.entries(kinds=kinds)
                if s.municipality.name.casefold() == wanted]

    def reference_rows(self, ruleset: RuleSetRef) -> list[Row]:
        """The stored results of ``ruleset`` as results-CSV rows, each result once."""
        kept, _ = distinct(self.entries(ruleset))
        return [s.row() for s in kept]


# --- queries over stored evaluations ---------------------------------------------------

def distinct(entries: Sequence[Stored]) -> tuple[list[Stored], list[Stored]]:
    """Each result once, however many times it is stored.

    Published results and an evaluation file may both hold one evaluation;
    their contents differ, so both are stored, but counting both would
    weigh it twice. Two entries are one result when they share rule set,
    kind, municipality (by name) and year, or, where one has no year, when
    all their scores are equal too (an entry without a year joins the
    result of the first such entry, looking at those with a year first).
    The most complete one is kept (most exact scores, then one with a
    year, then the newest import). Returns the kept entries, in their
    order, and the others. Both lookups are by dict: this runs on every
    query and report, over thousands of entries.
    """
    by_year: dict[tuple[object, ...], list[Stored]] = {}
    by_scores: dict[tuple[object, ...], list[Stored]] = {}
    groups: list[list[Stored]] = []
    for s in sorted(entries, key=lambda s: s.year is None):  # stable: with a year first
        identity = _identity(s)
        same = (identity, _values(s))
        group = by_year.get((identity, s.year)) if s.year is not None else by_scores.get(same)
        if group is None:
            groups.append(group := [])
            if s.year is not None:
                by_year[identity, s.year] = group
        by_scores.setdefault(same, group)
        group.append(s)
    kept_ids = {max(group, key=lambda s: (s.exactness(), s.year is not None, s.seq)).id
                for group in groups}
    return ([s for s in entries if s.id in kept_ids],
            [s for s in entries if s.id not in kept_ids])


def _identity(s: Stored) -> tuple[object, ...]:
    return (s.ruleset, s.kind, s.municipality.name.casefold())


def _values(s: Stored) -> tuple[tuple[str, Points, Points], ...]:
    return tuple((x.key, x.low, x.high) for x in s.scores)


@attrs.frozen
class Column:
    """The average of one criterion over the evaluations that score it exactly."""

    key: str
    average: Points | None
    count: int
    max: Points


def average(entries: Sequence[Stored], keys: Sequence[str], maxes: Sequence[Points]
            ) -> list[Column]:
    """The exact mean of each key's exact scores, with how many there are."""
    sums: dict[str, list[Points]] = {key: [] for key in keys}
    for s in entries:
        for x in s.scores:
            if x.low == x.high and x.key in sums:
                sums[x.key].append(x.low)
    out = []
    for key, top in zip(keys, maxes, strict=True):
        values = sums[key]
        whole = [v for v in values if type(v) is int]  # int sums are cheap; Fractions not
        parts = [v for v in values if type(v) is not int]
        total = sum(map(Fraction, parts), start=Fraction(sum(whole)))
        mean = exact(total / len(values)) if values else None
        out.append(Column(key, mean, len(values), top))
    return out


def rank(entries: Sequence[Stored]) -> list[tuple[int | None, Stored]]:
    """Entries by exact total, highest first, ties sharing a rank; the rest unranked after."""
    def total(s: Stored) -> Points | None:
        score = s.score(TOTAL)
        return score.exact if score else None

    ranked = sorted((s for s in entries if total(s) is not None),
                    key=lambda s: (-Fraction(total(s) or 0), s.municipality.name.casefold(),
                                   s.year or 0))
    out: list[tuple[int | None, Stored]] = []
    for i, s in enumerate(ranked):
        tied = i > 0 and total(ranked[i - 1]) == total(s)
        out.append((out[-1][0] if tied else i + 1, s))
    out += [(None, s) for s in entries if total(s) is None]
    return out
