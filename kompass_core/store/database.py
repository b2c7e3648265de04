"""The open store: one SQLite file (or a PostgreSQL schema), written in transactions.

An embedded SQLite file (the standard library's ``sqlite3``) needs no
set-up. WAL mode lets a report read while an import writes, and every write
is one transaction, so a crash leaves the store as it was before the write
began. Exact points are stored as text (``"115/2"``) and averaged in Python
with fractions (:mod:`kompass_core.store.stats`), never as SQL floats.
Given a ``postgresql://`` URL instead of a path, the same store lives on a
PostgreSQL server (:mod:`kompass_core.store.postgres` speaks its dialect).
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kompass_core.formats.results import Row, bundled_rows, holds
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level
from kompass_core.store import groups, schema, tables
from kompass_core.store.bulk import bulk
from kompass_core.store.importing import BUNDLED, seed_records
from kompass_core.store.postgres import Connection, PgConnection, failures, is_url, shown
from kompass_core.store.records import Record, Stored
from kompass_core.store.stats import distinct

if TYPE_CHECKING:
    from kompass_core.registry.registry import Registry


def _connect(path: Path, mode: str, immutable: bool = False) -> sqlite3.Connection:
    """A connection in SQLite's URI ``mode``: ``ro`` never writes, ``rw`` never creates."""
    uri = f"{path.resolve().as_uri()}?mode={mode}" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)


def _recall_bases(db: Connection) -> None:
    """Give the bundled results of a store older than ``ruleset_basis`` their basis.

    Such a store was seeded with the bundled rows without it; they are
    known again by origin, name, year, rule set and kind. Once, on upgrade:
    from then on the store keeps what it was given.
    """
    db.executemany(
        "UPDATE evaluations SET ruleset_basis = ? WHERE origin = ? AND municipality = ? "
        "AND year IS ? AND ruleset = ? AND kind = ?",
        [(r.basis, BUNDLED, unicodedata.normalize("NFC", r.municipality), r.year,
          str(r.ruleset), r.kind) for r in bundled_rows() if r.basis and r.ruleset])


class Store:
    """An open results store; use :meth:`open`, and close it (or use ``with``)."""

    def __init__(self, connection: Connection, path: Path | str, read_only: bool = False
                 ) -> None:
        self._db = connection
        self.path = path
        """The file, or the server's URL without its password."""
        self.read_only = read_only
        """Whether the file or its folder (a server: the connection) may not write: queries only."""
        self.created = False
        self.seeded = 0
        """How many bundled results a new store was seeded with."""
        self.skipped = 0
        """How many bundled rows were skipped when seeding (no registered rule set fits)."""
        self._basis = True  # whether the file has the ruleset_basis column (see _prepare)
        self._groups = True  # whether it has the group tables (a read-only older one may not)
        self._hidden = True  # whether it has scores.hidden

    @classmethod
    def open(cls, path: str | Path | None = None, registry: Registry | None = None, *,
             seed: bool = True) -> Store:
        """Open (creating, seeding and upgrading as needed) the store at ``path``.

        A new store is seeded with the bundled published results unless
        ``seed`` is false; ``registry`` scores them (default: the installed one).
        A store whose file or folder cannot be written is opened read-only:
        queries work, and writing is refused with one line. A ``postgresql://``
        URL opens the store in the current schema of that database; without
        the rights to write it (or with a read-only default), it is read-only.
        """
        if path is None:
            path = schema.default_path()
        if is_url(path):
            return cls._open_server(str(path), registry, seed)
        if isinstance(path, str) and "://" in path:
            raise InputError(Problem("is no store kompass knows: give a file's path or a "
                                     "postgresql:// URL", file=shown(path)))
        target = Path(path)
        name = str(target)
        if target.exists() and not target.is_file():
            what = "a directory" if target.is_dir() else "not a regular file"
            raise InputError(Problem(f"is {what}, not a results store", file=name))
        try:
            if target.exists():
                read_only = not (os.access(target, os.W_OK)
                                 and os.access(target.parent, os.W_OK))
                connection = _connect(target, "ro" if read_only else "rw")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not os.access(target.parent, os.W_OK):
                    raise InputError(Problem(f"cannot create the results store: the folder "
                                             f"{target.parent} is read-only", file=name))
                read_only, connection = False, _connect(target, "rwc")
        except (OSError, sqlite3.Error) as exc:
            raise InputError(Problem(f"cannot open the results store: {exc}", file=name)
                             ) from None
        return cls._ready(cls(connection, target, read_only), registry, seed)

    @classmethod
    def _open_server(cls, url: str, registry: Registry | None, seed: bool) -> Store:
        """Open the store in the current schema of a PostgreSQL database."""
        connection = PgConnection.connect(url)
        store = cls(connection, shown(url))
        try:
            with store._errors():
                if connection.schema() is None:
                    raise InputError(Problem("no schema on the search_path exists (kompass "
                                             "makes tables, not schemas): CREATE SCHEMA it "
                                             "first", file=str(store.path)))
                store.read_only = connection.read_only()
                if store.read_only:
                    connection.make_read_only()
        except BaseException:
            store.close()
            raise
        return cls._ready(store, registry, seed)

    @classmethod
    def _ready(cls, store: Store, registry: Registry | None, seed: bool) -> Store:
        """Identify, upgrade and seed an opened store; closed again if that fails."""
        try:
            with store._errors():
                store._prepare(registry, seed)
        except BaseException:
            store.close()
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
        """Database failures as one-line input errors naming the store."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            raise InputError(Problem(f"cannot use the results store: {exc}",
                                     file=str(self.path))) from None
        except sqlite3.DatabaseError as exc:
            raise InputError(Problem(f"not a kompass results store ({exc})",
                                     file=str(self.path))) from None
        except Exception as exc:
            if not (isinstance(self._db, PgConnection) and isinstance(exc, failures())):
                raise
            first = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            raise InputError(Problem(f"cannot use the results store: {first}",
                                     file=str(self.path))) from None

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Queries that see one state of the store, even while another process imports."""
        db = self._db
        if isinstance(db, PgConnection):
            with db.snapshot():
                yield
        elif db.in_transaction:
            yield
        else:
            db.execute("BEGIN")  # deferred: a read transaction, one WAL snapshot
            try:
                yield
            finally:
                if db.in_transaction:
                    db.execute("COMMIT")

    def _writable(self) -> None:
        """Refuse to change a read-only store, in one line, before SQLite is asked to."""
        if self.read_only:
            why = "this connection may not write it" if isinstance(self._db, PgConnection) \
                else "the file or its folder cannot be written"
            raise InputError(Problem(f"the results store is read-only ({why}): nothing was "
                                     "changed",
                                     file=str(self.path)))

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception."""
        self._writable()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")  # inside: a failed commit (busy, disk full) is rolled back too
        except BaseException:
            if db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                db.execute("ROLLBACK")
            raise

    def _prepare(self, registry: Registry | None, seed: bool) -> None:
        if self.read_only and not isinstance(self._db, PgConnection):
            self._reopen_if_unreadable()
        db = self._db
        db.execute("PRAGMA foreign_keys = ON")
        found = schema.identify(db, self.path)  # before any write: it may be another's file
        if found == schema.latest() or (self.read_only and found >= schema.READABLE):
            self._basis = found >= schema.BASIS_SINCE
            self._groups = found >= groups.SINCE
            self._hidden = found >= schema.HIDDEN_SINCE
            return
        self._writable()  # a new store, or one too old to read as it is
        if not isinstance(db, PgConnection) and \
                db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        with self._transaction():
            old = schema.upgrade(db, self.path)
            if 0 < old < schema.BASIS_SINCE:
                _recall_bases(db)
            if old == 0:
                self.created = True
                if seed:
                    if registry is None:
                        from kompass_core.registry import default_registry

                        registry = default_registry()
                    records, self.skipped = seed_records(registry)
                    self.seeded = len(tables.insert(db, records))
            schema.stamp(db)

    def _reopen_if_unreadable(self) -> None:
        """Reopen immutable when a read-only folder keeps SQLite from its WAL index.

        A store in WAL mode needs a ``-shm`` file beside it even to read;
        where none can be made (SQLite cannot open it), the file is read as
        it is: a log some other, writing user left beside it is not read.
        """
        try:
            self._db.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_CANTOPEN:
                raise
            self._db.close()
            self._db = _connect(Path(self.path), "ro", immutable=True)

    @property
    def version(self) -> int:
        """The schema version of the open store."""
        with self._errors():
            return schema.version(self._db, self.path)

    # -- writing ----------------------------------------------------------------------------

    def add(self, records: Iterable[Record]) -> list[tuple[Record, bool]]:
        """Store every record in one transaction; each with True if new, False if stored."""
        batch = list(records)
        with bulk(), self._errors(), self._transaction() as db:
            new = {r.id for r in tables.insert(db, batch)}
        out = []
        for r in batch:
            out.append((r, r.id in new))
            new.discard(r.id)  # a record given twice is new once
        return out

    def remove(self, ident: str) -> Stored:
        """Remove the evaluation whose ID starts with ``ident``; return what it was."""
        with self._errors(), self._transaction():
            found = self.get(ident)
            self._db.execute("DELETE FROM evaluations WHERE hash = ?", (found.id,))
        return found

    def save_groups(self, scheme: groups.GroupScheme, members: dict[str, str]) -> None:
        """Store a group scheme and its memberships (code -> group), replacing that version."""
        with self._errors(), self._transaction() as db:
            groups.save(db, scheme, members)

    # -- reading ----------------------------------------------------------------------------

    def group_schemes(self) -> list[tuple[groups.GroupScheme, dict[str, int]]]:
        """The stored group schemes, each with its groups' member counts."""
        if not self._groups:
            return []
        with self._errors(), self._snapshot():
            return groups.schemes(self._db)

    def group(self, wanted: str) -> tuple[groups.GroupScheme, str, set[str]]:
        """The group ``[SCHEME[@VERSION]:]NAME``: scheme, group name, member codes."""
        if not self._groups:
            raise InputError(Problem(f"{wanted!r} is no stored group (none stored: `kompass db "
                                     "groups import`)", file=str(self.path), keys=("--group",)))
        with self._errors(), self._snapshot():
            return groups.find(self._db, wanted, str(self.path))

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
        with bulk(), self._errors(), self._snapshot():
            return tables.select(self._db, condition, args, self._basis, self._hidden)

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
        with self._errors(), self._snapshot():
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
        wanted = unicodedata.normalize("NFC", municipality).casefold()  # as names are stored
        return [s for s in self.entries(kinds=kinds)
                if s.municipality.name.casefold() == wanted]

    def reference_rows(self, ruleset: RuleSetRef) -> list[Row]:
        """The stored results of ``ruleset`` as results-CSV rows, each result once.

        None when the rule set has an area a results CSV has no column for:
        such a rule set has no reference average, wherever its rows come from.
        """
        kept, _ = distinct(self.entries(ruleset))
        if not all(holds([x.key for x in s.scores if x.level is Level.AREA]) for s in kept):
            return []
        return [s.row() for s in kept]
