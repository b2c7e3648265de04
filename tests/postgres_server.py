"""A throwaway PostgreSQL cluster for the store tests, and a fresh schema for each test.

One cluster per test session (initdb in a temporary folder, listening only on
a unix socket there, stopped with the session); each test gets its own schema
through the URL's ``search_path``, which is far cheaper than a database each.
Without PostgreSQL's server programs the tests that need it skip on a
developer's machine and fail under CI (``CI`` set), whose .ci/run installs them.
"""

from __future__ import annotations

import glob
import itertools
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_SCHEMAS = itertools.count(1)


def bindir() -> Path | None:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, else Debian's folders."""
    found = [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                              check=False)
        found.insert(0, Path(done.stdout.strip()))
    return next((p for p in found if (p / "initdb").exists() and (p / "pg_ctl").exists()), None)


def needs_postgres() -> Path:
    """The server programs' folder; skip without them, fail under CI (which installs them)."""
    import importlib.util

    missing = "psycopg (pip install -e '.[test]')" if importlib.util.find_spec("psycopg") \
        is None else None if bindir() else "PostgreSQL's server programs (apt-get install " \
        "postgresql)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {missing} (.ci/run does)")
        pytest.skip(f"no {missing} on this machine: the store's PostgreSQL tests need it")
    found = bindir()
    assert found is not None
    return found


def _as_owner(owner: str | None, *command: str) -> list[str]:
    """Run as the cluster's owner: initdb refuses root, so root runs it as ``postgres``."""
    return ["runuser", "-u", owner, "--", *command] if owner else list(command)


@contextmanager
def cluster(programs: Path) -> Iterator[str]:
    """A running cluster with a database ``kompass``: its base URL (add a search_path).

    As root, initdb refuses to run: the cluster is then owned by ``postgres``.
    """
    folder = Path(tempfile.mkdtemp(prefix="kompass-pg-"))
    owner = "postgres" if os.geteuid() == 0 else None
    if owner:
        shutil.chown(folder, owner)
    data, port = folder / "data", random.randrange(20000, 60000)
    subprocess.run(_as_owner(owner, str(programs / "initdb"), "-D", str(data), "-U", "kompass",
                             "--auth=trust", "-E", "UTF8", "--no-sync"),
                   check=True, capture_output=True)
    options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
    try:
        subprocess.run(_as_owner(owner, str(programs / "pg_ctl"), "-D", str(data), "-o", options,
                                 "-l", str(folder / "log"), "-w", "start"),
                       check=True, capture_output=True)
        subprocess.run([str(programs / "createdb"), "-h", str(folder), "-p", str(port),
                        "-U", "kompass", "kompass"], check=True, capture_output=True)
        yield f"postgresql://kompass@/kompass?host={folder}&port={port}"
    finally:
        subprocess.run(_as_owner(owner, str(programs / "pg_ctl"), "-D", str(data), "-m",
                                 "immediate", "stop"), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One cluster for the whole test session."""
    with cluster(needs_postgres()) as url:
        yield url


def fresh_schema(server: str) -> str:
    """A new, empty schema on ``server``: the URL of a store in it."""
    import psycopg

    name = f"t{os.getpid()}_{next(_SCHEMAS)}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {name}")
    return f"{server}&options=-csearch_path%3D{name}"


def raw(url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of one query run past kompass, on either backend (to look under the store)."""
    if not url.startswith("postgresql://"):
        import sqlite3

        with sqlite3.connect(url) as db:
            rows = db.execute(sql).fetchall()
        db.close()
        return rows
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        return [tuple(r) for r in pg.execute(sql.replace("?", "%s")).fetchall()]


def version_of(url: str) -> int:
    """A store's schema version, read past kompass: SQLite's pragma, or ``kompass_meta``."""
    sql = "PRAGMA user_version" if not url.startswith("postgresql://") else \
        "SELECT value FROM kompass_meta WHERE name = 'user_version'"
    return int(str(raw(url, sql)[0][0]))


def has_table(url: str, name: str) -> bool:
    """Whether the store's database (or schema) has a table ``name``."""
    sql = "SELECT count(*) FROM sqlite_master WHERE name = '{0}'" if not url.startswith(
        "postgresql://") else "SELECT count(*) FROM information_schema.tables WHERE " \
        "table_schema = current_schema() AND table_name = '{0}'"
    return raw(url, sql.format(name))[0][0] == 1


def downgrade(url: str, version: int, *statements: str) -> None:
    """Undo steps past kompass (``statements``) and mark the store at ``version``."""
    if not url.startswith("postgresql://"):
        import sqlite3

        db = sqlite3.connect(url)
        db.executescript("; ".join((*statements, f"PRAGMA user_version = {version}")) + ";")
        db.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        for s in statements:
            pg.execute(s)  # type: ignore[arg-type]
        pg.execute("UPDATE kompass_meta SET value = %s WHERE name = 'user_version'", (version,))
