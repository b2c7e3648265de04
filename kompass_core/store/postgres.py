"""The store on a PostgreSQL server: the SQLite connection's dialect, spoken through psycopg.

The store's tables, migrations and queries are written once, in the SQL
both databases share (``ON CONFLICT``, ``?`` placeholders, ``coalesce``).
What only SQLite has is translated here, in one place: ``?`` becomes
``%s``; text columns compare bytewise (``COLLATE "C"``, SQLite's ``BINARY``)
so orders and ID-prefix ranges are the same; ``WITHOUT ROWID`` is dropped;
``PRAGMA user_version`` and ``application_id`` live in a table
``kompass_meta``; ``sqlite_master`` is the current schema's tables; and
``BEGIN IMMEDIATE`` (one writer at a time) is a transaction-scoped advisory
lock, so concurrent importers of the same content wait rather than fail.
psycopg is an optional extra (``postgres``), imported only to open such a store.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kompass_core.model.errors import InputError, Problem

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql://", "postgres://")
"""How a store location names a PostgreSQL server (libpq's connection URIs)."""
META = "kompass_meta"
"""The table that holds what SQLite keeps in ``PRAGMA user_version`` and ``application_id``."""
_LOCK = zlib.crc32(b"kompass results store") & 0x7FFFFFFF
"""The advisory lock every writer takes first, with its schema's: ``BEGIN IMMEDIATE``'s lock.

One per store: stores in two schemas of one database do not wait for each other.
"""
_TAKE_LOCK = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"
_SET_META = re.compile(r"PRAGMA (user_version|application_id) = (\d+)")


def is_url(location: object) -> bool:
    """Whether a store location names a PostgreSQL server rather than an SQLite file."""
    return isinstance(location, str) and location.startswith(SCHEMES)


def shown(url: str) -> str:
    """The URL without its password, for messages (``user:secret@`` becomes ``user@``)."""
    url = re.sub(r"([?&]password=)[^&]*", r"\1...", url)
    return re.sub(r"^(\w+://[^/@:]*):[^/@]*@", r"\1@", url)


@lru_cache(maxsize=256)
def translate(sql: str) -> str:
    """One statement in SQLite's dialect as PostgreSQL takes it (cached: queries repeat)."""
    if sql.startswith(("CREATE TABLE", "ALTER TABLE")):
        sql = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql).replace(" WITHOUT ROWID", "")
    return sql.replace("%", "%%").replace("?", "%s")


class _Rows:
    """A result computed in Python, with the cursor methods the store uses."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)


class PgConnection:
    """A psycopg connection with the part of ``sqlite3.Connection`` the store uses."""

    what = "a PostgreSQL schema"
    """How :func:`kompass_core.store.schema.identify` names what it refuses."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._db = connection

    @classmethod
    def connect(cls, url: str) -> PgConnection:
        """Connect in autocommit mode: transactions are begun explicitly, as with SQLite."""
        try:
            import psycopg
        except ImportError:
            raise InputError(Problem("a PostgreSQL store needs psycopg: pip install "
                                     "'kommunkompass[postgres]'", file=shown(url))) from None
        try:
            return cls(psycopg.connect(url, autocommit=True, connect_timeout=10))
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(Problem(f"cannot open the results store: {first}",
                                     file=shown(url))) from None

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._db.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self._db.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; the SQLite-only ones are done as PostgreSQL does them."""
        if sql == "BEGIN IMMEDIATE":
            self._db.execute("BEGIN")
            return self._db.execute(_TAKE_LOCK, (_LOCK,))
        if sql.startswith("PRAGMA"):
            return self._pragma(sql)
        if sql == "SELECT name FROM sqlite_master":
            return _Rows([(n,) for n in self.tables()])
        return self._db.execute(translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(translate(sql), rows)

    def tables(self) -> set[str]:
        """The tables in the current schema (the first of ``search_path`` that exists)."""
        found = self._db.execute("SELECT table_name FROM information_schema.tables "
                                 "WHERE table_schema = current_schema()").fetchall()
        return {str(name) for (name,) in found}

    def _pragma(self, sql: str) -> _Rows:
        setting = _SET_META.fullmatch(sql)
        if setting:
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {META} (name TEXT PRIMARY KEY, "
                             "value BIGINT NOT NULL)")
            self._db.execute(f"INSERT INTO {META} (name, value) VALUES (%s, %s) ON CONFLICT "
                             "(name) DO UPDATE SET value = excluded.value",
                             (setting[1], int(setting[2])))
            return _Rows([])
        name = sql.removeprefix("PRAGMA ").strip()
        if name in ("user_version", "application_id"):
            if META not in self.tables():
                return _Rows([(0,)])
            row = self._db.execute(f"SELECT value FROM {META} WHERE name = %s",
                                   (name,)).fetchone()
            return _Rows([(int(row[0]) if row else 0,)])
        return _Rows([])  # foreign_keys (always on), journal_mode: nothing to do

    def schema(self) -> str | None:
        """The schema the store's tables are in: the first existing one on ``search_path``."""
        row = self._db.execute("SELECT current_schema()").fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def read_only(self) -> bool:
        """Whether this session cannot change the store: a read-only default, or no rights."""
        if self._db.execute("SHOW transaction_read_only").fetchone() == ("on",):
            return True
        if "evaluations" in self.tables():
            row = self._db.execute("SELECT has_table_privilege(current_schema() || "
                                   "'.evaluations', 'INSERT')").fetchone()
        else:
            row = self._db.execute("SELECT current_schema() IS NOT NULL AND "
                                   "has_schema_privilege(current_schema(), 'CREATE')"
                                   ).fetchone()
        return not (row and row[0])

    def make_read_only(self) -> None:
        """Have the server refuse any write in this session, whatever kompass asks."""
        self._db.execute("SET default_transaction_read_only = on")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Queries that see one state of the store, even while an import commits."""
        if self.in_transaction:
            yield
            return
        self._db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            self._db.execute("ROLLBACK")

    def copy(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Append rows to a table by ``COPY``: the fast path of a bulk import."""
        with self._db.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as out:
            for row in rows:
                out.write_row(row)


def failures() -> tuple[type[Exception], ...]:
    """psycopg's errors, as the store reports them (psycopg is installed once one is open)."""
    import psycopg

    return (psycopg.Error,)


Connection = sqlite3.Connection | PgConnection
"""An open store's connection: SQLite's own, or PostgreSQL's speaking its dialect."""
