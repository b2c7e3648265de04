"""The store's file: where it lives, its tables, and the steps that upgrade them.

The schema is versioned with SQLite's ``PRAGMA user_version`` (on
PostgreSQL, the same number in a table: :mod:`~.postgres`); a store is
brought up to date on open by the forward steps in :data:`MIGRATIONS`, so
an old store keeps working with a new kompass and a newer store is refused
rather than misread. A store is told from any other SQLite file by its
``PRAGMA application_id`` (:data:`APPLICATION_ID`), checked by
:func:`identify` before anything is written to the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from kompass_core.model.errors import InputError, Problem
from kompass_core.store.postgres import Connection, is_url


def default_path() -> Path | str:
    """``$KOMPASS_DB``, else ``$XDG_DATA_HOME/kompass/results.db``, else under ~/.local/share.

    A ``postgresql://`` URL in ``$KOMPASS_DB`` is returned as it is (a str):
    the store then lives on that PostgreSQL server (:mod:`~.postgres`).
    """
    given = os.environ.get("KOMPASS_DB")
    if given:
        return given if is_url(given) else Path(given)
    data = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data) if os.path.isabs(data) else Path.home() / ".local" / "share"
    return base / "kompass" / "results.db"


APPLICATION_ID = 0x4B4F4D50
"""``PRAGMA application_id`` of a kompass store: ``KOMP`` in ASCII."""
READABLE = 1
"""The oldest schema version whose tables this kompass queries as they are.

A read-only store is not upgraded; one at this version or later is read
as it is. A step that changes tables raises this to its own version, unless
queries do without what it adds (as they do without :data:`BASIS_SINCE`'s column).
"""
BASIS_SINCE = 3
"""The version that added ``ruleset_basis``: an older, read-only store's is unknown (NULL)."""
HIDDEN_SINCE = 5
"""The version that added ``scores.hidden``: an older, read-only store publishes every line."""

_UNMARKED = 1
"""The one schema version stores were made at before they carried :data:`APPLICATION_ID`."""
_TABLES = {"evaluations", "scores"}

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
    (  # 2: the application id that marks the file as a kompass store (new ones get it too)
        f"PRAGMA application_id = {APPLICATION_ID}",
    ),
    (  # 3: whether a published result's source states its rule set or it was inferred
        "ALTER TABLE evaluations ADD COLUMN ruleset_basis TEXT "
        "CHECK (ruleset_basis IN ('stated', 'inferred'))",
    ),
    (  # 4: peer groups: versioned group schemes and memberships by municipality code
        """CREATE TABLE group_schemes (
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            source TEXT NOT NULL,
            groups TEXT NOT NULL,
            PRIMARY KEY (name, version))""",
        """CREATE TABLE group_members (
            scheme TEXT NOT NULL,
            version TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (scheme, version, code),
            FOREIGN KEY (scheme, version) REFERENCES group_schemes(name, version)
                ON DELETE CASCADE) WITHOUT ROWID""",
    ),
    (  # 5: why a score line is not to be published (a typed missing value), NULL when it is
        "ALTER TABLE scores ADD COLUMN hidden TEXT "
        "CHECK (hidden IN ('not-applicable', 'withheld', 'insufficient-coverage'))",
    ),
]
"""Forward schema steps: ``MIGRATIONS[n]`` takes a store from version n to n + 1.

Add a step for a new version; never edit a released one.
"""


def latest() -> int:
    """The schema version this kompass writes: the number of steps."""
    return len(MIGRATIONS)


def version(db: Connection, path: Path | str) -> int:
    """The schema version of the open store; an error if newer than :func:`latest`."""
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found > len(MIGRATIONS):
        raise InputError(Problem(
            f"the results store has schema version {found}, newer than this kompass "
            f"reads ({len(MIGRATIONS)}): upgrade kompass", file=str(path)))
    return found


def identify(db: Connection, path: Path | str) -> int:
    """The schema version of a kompass store (0: an empty file), by reading only.

    Anything else is refused before a write could change it (even
    switching its journal mode is a lasting change to someone else's
    file). A store made before the application id existed is known by
    its version and its two tables.
    """
    marked = int(db.execute("PRAGMA application_id").fetchone()[0])
    if marked == APPLICATION_ID:
        return version(db, path)
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    if marked == 0 and found == 0 and not names:
        return 0
    if marked == 0 and found == _UNMARKED and names >= _TABLES:
        return found
    what = f"application_id {marked}" if marked else "other tables" \
        if names and not names >= _TABLES else f"user_version {found}"
    kind = getattr(db, "what", "an SQLite file")
    raise InputError(Problem(f"not a kompass results store ({kind} with {what}): "
                             "left as it is", file=str(path)))


def upgrade(db: Connection, path: Path | str) -> int:
    """Run the steps the store lacks (inside the caller's transaction); its old version.

    The caller sets the new version once whatever else belongs to the
    upgrade (seeding a new store) is done, in the same transaction.
    """
    found = identify(db, path)  # again, under the lock: another process may have won
    for step in MIGRATIONS[found:]:
        for statement in step:
            db.execute(statement)
    return found


def stamp(db: Connection) -> None:
    """Mark the store as at :func:`latest` (the last statement of an upgrade)."""
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
