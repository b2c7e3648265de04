"""The store on PostgreSQL: what only a server has (roles, other tables, a dropped client).

The behaviour both backends share is tested on both through the ``store_url``
fixture (tests/test_store.py and others); here is what differs: how a
schema that is not a store is refused, read-only roles and sessions, the
URL in messages without its password, and a killed importer on a server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kompass_core import InputError, Store, default_store_path
from kompass_core.cli.main import main
from kompass_core.store import schema
from kompass_core.store.postgres import shown
from tests.conftest import ROOT
from tests.postgres_server import fresh_schema
from tests.test_store import _PAUSE, EXAMPLE_FILES
from tests.test_store_concurrency import _csv

pytestmark = pytest.mark.usefixtures("postgres_server")
READ_ONLY = r"read-only \(this connection may not write it\): nothing was changed"


def _sql(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        for s in statements:
            db.execute(s)  # type: ignore[arg-type]


def test_kompass_db_names_a_server(postgres_server: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = fresh_schema(postgres_server)
    monkeypatch.setenv("KOMPASS_DB", url)
    assert default_store_path() == url
    assert main(["db", "import", EXAMPLE_FILES[1]]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"kompass: created the results store {url} with 31 ")
    assert main(["db", "list", "--format", "json"]) == 0
    assert capsys.readouterr().out.count('"id"') == 32


def test_a_schema_with_other_tables_or_a_newer_store_is_refused(postgres_server: str) -> None:
    other = fresh_schema(postgres_server)
    _sql(other, "CREATE TABLE t (a TEXT)")
    with pytest.raises(InputError, match=r"not a kompass results store \(a PostgreSQL schema "
                                         r"with other tables\): left as it is"):
        Store.open(other)
    newer = fresh_schema(postgres_server)
    with Store.open(newer, seed=False):
        pass
    _sql(newer, "UPDATE kompass_meta SET value = 99 WHERE name = 'user_version'")
    with pytest.raises(InputError, match="schema version 99, newer than this kompass reads"):
        Store.open(newer)


def test_no_server_and_unknown_urls_are_one_line_errors(tmp_path: Path) -> None:
    url = f"postgresql://someone:s3cret@/kompass?host={tmp_path}&port=1"
    with pytest.raises(InputError) as err:
        Store.open(url)
    message = str(err.value)
    assert message.startswith(f"{shown(url)}: cannot open the results store: ")
    assert "s3cret" not in message and "\n" not in message
    assert shown(url).startswith("postgresql://someone@/kompass")
    assert shown("postgresql:///k?password=s3cret&port=1") == "postgresql:///k?password=...&port=1"
    with pytest.raises(InputError, match="is no store kompass knows"):
        Store.open("mysql://x/y")


def test_a_search_path_with_no_schema_is_refused(postgres_server: str) -> None:
    with pytest.raises(InputError, match="no schema on the search_path exists"):
        Store.open(f"{postgres_server}&options=-csearch_path%3Dnowhere")


def test_a_read_only_role_or_session_reads_and_is_refused_writes(postgres_server: str) -> None:
    url = fresh_schema(postgres_server)
    with Store.open(url) as s:
        count = len(s.entries())
    name = url.rsplit("%3D", 1)[1]
    _sql(url, "DROP ROLE IF EXISTS reader", "CREATE ROLE reader LOGIN",
         f"GRANT USAGE ON SCHEMA {name} TO reader",
         f"GRANT SELECT ON ALL TABLES IN SCHEMA {name} TO reader")
    reader = url.replace("kompass@", "reader@", 1)
    for url_ro in (reader, url + "%20-cdefault_transaction_read_only%3Don"):
        with Store.open(url_ro) as s:
            assert s.read_only and len(s.entries()) == count
            with pytest.raises(InputError, match=READ_ONLY):
                s.remove(s.entries()[0].id)
    empty = fresh_schema(postgres_server).rsplit("%3D", 1)[1]
    _sql(url, f"GRANT USAGE ON SCHEMA {empty} TO reader")
    with pytest.raises(InputError, match=READ_ONLY):  # nor made where it may not be
        Store.open(reader.replace(name, empty))


def _snapshot(url: str) -> list[tuple[Any, ...]]:
    with Store.open(url) as s:
        return [(e, s.document(e.id)) for e in s.entries()]


def test_a_killed_import_leaves_the_server_store_as_it_was(postgres_server: str,
                                                           tmp_path: Path) -> None:
    url = fresh_schema(postgres_server)
    before = _snapshot(url)
    big = _csv(tmp_path / "big.csv", 0, 3000)
    proc = subprocess.Popen([sys.executable, "-c", _PAUSE, "db", "import", big, "--db", url],
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "paused\n"
        # mid-transaction: the importer holds the writers' lock; readers see the old store
        import psycopg

        from kompass_core.store.postgres import _LOCK

        with psycopg.connect(url, autocommit=True) as other:
            taken = other.execute("SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))",
                                  (_LOCK,)).fetchone()
            assert taken == (False,)
        assert _snapshot(url) == before
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(url) == before
    with Store.open(url) as s:  # the server let go of the lock with the dead connection
        assert s.version == schema.latest()
        assert [new for _, new in s.add([])] == []
