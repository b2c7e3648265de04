"""The results store where the world is unkind: read-only files, other programs' files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kompass_core import Municipality
from kompass_core.cli.main import main
from kompass_core.store import Store, schema
from tests.conftest import EXAMPLES

GRASTORP = str(EXAMPLES / "grastorp-2014.toml")
OREBRO = str(EXAMPLES / "orebro-2012.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _writable(path: Path) -> bool:
    """Whether this process can still write ``path`` (a file) or create files in it (a folder)."""
    try:
        if path.is_dir():
            (path / ".probe").touch()
            (path / ".probe").unlink()
        else:
            os.close(os.open(path, os.O_WRONLY))
    except OSError:
        return False
    return True


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make ``paths`` read-only for real, even for root, or skip.

    ``chmod`` does not stop root, so as root the immutable attribute
    (``chattr +i``, which the kernel enforces for everyone) is used; each
    path is checked to be unwritable before the test relies on it.
    """
    root = os.geteuid() == 0
    if root and shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a file read-only")
    modes = {p: p.stat().st_mode for p in paths}
    try:
        for p in paths:
            if root:
                done = subprocess.run(["chattr", "+i", str(p)], capture_output=True, check=False)
                if done.returncode:
                    pytest.skip(f"chattr +i is not supported here: {done.stderr.decode()}")
            else:
                p.chmod(0o555 if p.is_dir() else 0o444)
        if any(_writable(p) for p in paths):
            pytest.skip("could not make the store read-only")
        yield
    finally:
        for p, mode in modes.items():
            if root:
                subprocess.run(["chattr", "-i", str(p)], capture_output=True, check=False)
            else:
                p.chmod(mode)


@pytest.fixture
def stored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store in its own folder holding one evaluation (and the bundled results)."""
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "results.db"
    assert run(capsys, "db", "import", GRASTORP, "--db", str(db))[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["results.db"]  # the WAL is folded in
    return db


def _reads_work(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, "db", "list", "--db", str(db))
    assert (code, err) == (0, "")
    assert "grastorp-2014.toml" in out
    code, out, err = run(capsys, "db", "average", "kk-se@2.0", "--db", str(db))
    assert (code, err) == (0, "")
    assert out.startswith("Average of kk-se@2.0")
    page = tmp_path / "report.html"
    code, out, err = run(capsys, "report", GRASTORP, "--db", str(db), "-o", str(page))
    assert (code, err) == (0, "")
    assert "lagrade utvärderingar" in page.read_text(encoding="utf-8")  # a Swedish report


def _writes_fail(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    line = (f"kompass: error: {db}: the results store is read-only (the file or its folder "
            "cannot be written): nothing was changed\n")
    assert run(capsys, "db", "import", OREBRO, "--db", str(db)) == (2, "", line)
    assert run(capsys, "db", "remove", "bc334df4b5b3", "--db", str(db)) == (2, "", line)


def test_a_read_only_store_file_is_read_and_not_written(
        stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = stored.read_bytes()
    with read_only(stored):
        _reads_work(capsys, stored, tmp_path)
        _writes_fail(capsys, stored)
    assert stored.read_bytes() == before


def test_a_store_in_a_read_only_folder_is_read_and_not_written(
        stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite cannot make the WAL index beside it, so the file is read as it is."""
    before = _digest(stored.parent)
    with read_only(stored.parent):
        _reads_work(capsys, stored, tmp_path)
        _writes_fail(capsys, stored)
    assert _digest(stored.parent) == before


def test_a_read_only_store_made_before_the_application_id_is_read(
        stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    as_made_at_version_1(stored)
    before = _digest(stored.parent)
    with read_only(stored, stored.parent):
        _reads_work(capsys, stored, tmp_path)
    assert _digest(stored.parent) == before
    with Store.open(stored) as s:  # writable again: upgraded on open
        assert (s.version, s.read_only) == (schema.latest(), False)


def test_a_new_store_in_a_read_only_folder_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    db = folder / "results.db"
    with read_only(folder):
        assert run(capsys, "db", "import", GRASTORP, "--db", str(db)) == (
            2, "", f"kompass: error: {db}: cannot create the results store: the folder "
                   f"{folder} is read-only\n")
    assert list(folder.iterdir()) == []


# --- someone else's SQLite file is left as it is -----------------------------------------------

def _other_app(path: Path, *statements: str) -> Path:
    raw = sqlite3.connect(path)
    raw.executescript(";".join(statements))
    raw.close()
    return path


@pytest.mark.parametrize(("statements", "what"), [
    (("CREATE TABLE notes (a)", "INSERT INTO notes VALUES (1)"), "other tables"),
    (("PRAGMA application_id = 1179403647",), "application_id 1179403647"),
    (("PRAGMA application_id = 1179403647", "CREATE TABLE evaluations (a)",
      "CREATE TABLE scores (a)", "PRAGMA user_version = 1"), "application_id 1179403647"),
    (("CREATE TABLE evaluations (a)", "CREATE TABLE scores (a)", "PRAGMA user_version = 7"),
     "user_version 7"),
    (("CREATE TABLE evaluations (a)", "PRAGMA user_version = 1"), "other tables"),
    (("PRAGMA user_version = 1",), "user_version 1"),
])
def test_another_programs_sqlite_file_is_refused_unchanged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], statements: tuple[str, ...],
        what: str) -> None:
    db = _other_app(tmp_path / "other-app.db", *statements)
    before = _digest(tmp_path)
    for action in (("list",), ("import", GRASTORP), ("average", "kk-se@2.0")):
        assert run(capsys, "db", *action, "--db", str(db)) == (
            2, "", f"kompass: error: {db}: not a kompass results store (an SQLite file with "
                   f"{what}): left as it is\n")
    assert _digest(tmp_path) == before  # no -wal, and still in its own journal mode
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    raw.close()


def as_made_at_version_1(db: Path) -> None:
    """Make the store at ``db`` what kompass made before the application id (schema 1)."""
    raw = sqlite3.connect(db)
    raw.executescript("DROP TABLE group_members; DROP TABLE group_schemes; "
                      "ALTER TABLE evaluations DROP COLUMN ruleset_basis; "
                      "ALTER TABLE scores DROP COLUMN hidden; "
                      "PRAGMA application_id = 0; PRAGMA user_version = 1;")
    raw.close()


def _marks(db: Path) -> tuple[int, int]:
    raw = sqlite3.connect(db)
    found = (raw.execute("PRAGMA application_id").fetchone()[0],
             raw.execute("PRAGMA user_version").fetchone()[0])
    raw.close()
    return found


def test_a_store_carries_the_application_id_and_an_older_one_gets_it(stored: Path) -> None:
    assert _marks(stored) == (schema.APPLICATION_ID, schema.latest())
    as_made_at_version_1(stored)  # as kompass made stores before the application id
    with Store.open(stored) as s:
        assert len(s.entries()) == 32
    assert _marks(stored) == (schema.APPLICATION_ID, schema.latest())
    empty = stored.parent / "empty.db"
    empty.touch()  # an empty file is a new store
    with Store.open(empty, seed=False) as s:
        assert s.created
    assert _marks(empty) == (schema.APPLICATION_ID, schema.latest())


# --- folders give their regular files only ----------------------------------------------------

@pytest.mark.parametrize("command", [("db", "import"), ("score",), ("validate",)])
def test_a_fifo_in_a_folder_is_not_read(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A FIFO named ``x.toml`` would block the read forever; a folder named so is no file."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GRASTORP, folder / "grastorp.toml")
    os.mkfifo(folder / "x.toml")
    (folder / "y.toml").mkdir()
    done = subprocess.run([sys.executable, "-m", "kompass_core.cli", *command, str(folder),
                           *(("--db", str(tmp_path / "r.db")) if command[0] == "db" else ())],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr.count("error")) == (0, 0), done.stderr
    assert "grastorp.toml" in done.stdout or "Grästorp" in done.stdout


# --- a store export is checked as evaluation files are --------------------------------------------

def _export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    db = tmp_path / "from.db"
    assert run(capsys, "db", "import", GRASTORP, "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "db", "export", "--format", "json", "--db", str(db))
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda ev: ev["municipality"].update(name=""), "municipality.name: must not be empty"),
    (lambda ev: ev["municipality"].update(name="  "), "municipality.name: must not be empty"),
    (lambda ev: ev["municipality"].update(country="se"),
     "municipality.country: 'se' is not an ISO 3166 country code such as SE"),
    (lambda ev: ev.update(evaluators="abc"),
     "evaluators: expected an array of strings, got a string"),
    (lambda ev: ev.update(evaluators=["A", ""]),
     "evaluators.1: expected a non-empty string, got an empty string"),
    (lambda ev: ev.update(date="2014-13-01"),
     "date: '2014-13-01' is not a date: month 13 is not 1 to 12"),
    (lambda ev: ev["notes"].update({"99": {"strengths": ["good"]}}),
     "notes.99: kk-se@2.0 has no area 99"),
    (lambda ev: ev["notes"].update({"1.2": {"strengths": ["good"]}}),
     "notes.1.2: key must be N with N a positive whole number"),
    (lambda ev: ev["notes"].update({"1": {"strengths": [""]}}),
     "notes.1.strengths.0: expected a non-empty string, got an empty string"),
    (lambda ev: ev["comments"].update({"9.9": "why"}),
     "comments.9.9: kk-se@2.0 has no criterion 9.9"),
])
def test_a_restored_export_is_checked_as_evaluation_files_are(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        change: Callable[[dict[str, Any]], None], message: str) -> None:
    data = _export(tmp_path, capsys)
    mine = next(i for i, e in enumerate(data["evaluations"]) if e["origin"] == "grastorp-2014.toml")
    change(data["evaluations"][mine]["evaluation"])
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "to.db"
    code, out, err = run(capsys, "db", "import", str(dump), "--db", str(db))
    assert (code, out) == (2, "")
    assert err == f"kompass: error: {dump}: evaluations.{mine}.evaluation.{message}\n"
    assert not db.exists()


def test_an_untouched_export_restores(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      store_url: str) -> None:
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(_export(tmp_path, capsys)), encoding="utf-8")
    assert run(capsys, "db", "import", str(dump), "--db", store_url)[:2] == (
        0, f"{dump}: 1 stored, 31 already stored\n")


def test_a_results_csv_country_follows_the_country_rule(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "results.csv"
    rows.write_text(
        "ruleset,kind,country,municipality,year,a1,a2,a3,a4,a5,a6,a7,a8,total,source_url,notes\n"
        "kk-se@2.0,evaluation,SE,Aby,2014,50,50,50,50,50,50,50,50,400,,\n"
        "kk-se@2.0,evaluation,se,Bby,2014,50,50,50,50,50,50,50,50,400,,\n"
        "kk-se@2.0,evaluation,,Cby,2014,50,50,50,50,50,50,50,50,400,,\n", encoding="utf-8")
    db = tmp_path / "r.db"
    assert run(capsys, "db", "import", str(rows), "--db", str(db)) == (
        2, "", f"kompass: error: {rows}:3: country: 'se' is not an ISO 3166 country code "
               "such as SE\n")
    assert not db.exists()


# --- one municipality is one municipality ---------------------------------------------------------

def _evaluation_file(path: Path, name: str, code: str | None, total: int) -> str:
    code_line = f'code = "{code}"\n' if code else ""
    path.write_text(f'ruleset = "kk-se@2.0"\n[municipality]\nname = "{name}"\n{code_line}'
                    'country = "SE"\n[evaluation]\ndate = 2025-05-01\n'
                    + "".join(f"[areas.{i}]\npoints = {total // 8}\n" for i in range(1, 9)),
                    encoding="utf-8")
    return str(path)


def test_a_name_in_nfc_and_nfd_is_one_municipality(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    nfc, nfd = "\u00d6rebro", "O\u0308rebro"
    assert Municipality(nfd).name == nfc
    db = store_url
    files = [_evaluation_file(tmp_path / "a.toml", nfc, None, 640),
             _evaluation_file(tmp_path / "b.toml", nfd, "1880", 640)]
    code, out, _ = run(capsys, "db", "import", *files, "--db", db)
    assert code == 0
    code, out, _ = run(capsys, "db", "rank", "kk-se@2.0", "--format", "json", "--db", db)
    assert code == 0
    ranking = json.loads(out)["ranking"]
    assert [(r["municipality"], r["year"]) for r in ranking if r["low"] == "640"] == [
        (nfc, 2025)]
    code, out, _ = run(capsys, "db", "history", nfd, "--format", "json", "--db", db)
    assert code == 0
    assert [e["year"] for e in json.loads(out)["evaluations"]] == [2012, 2025]


def test_municipalities_of_one_name_are_told_apart_by_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    db = store_url
    files = [_evaluation_file(tmp_path / "a.toml", "Herøy", "1515", 640),
             _evaluation_file(tmp_path / "b.toml", "Herøy", "1818", 560)]
    assert run(capsys, "db", "import", *files, "--db", db)[0] == 0
    code, out, _ = run(capsys, "db", "average", "kk-se@2.0", "--year", "2025", "--format",
                       "json", "--db", db)
    assert code == 0
    total = json.loads(out)["columns"][0]
    assert (total["average"], total["count"]) == ("600", 2)


def test_an_empty_read_only_file_is_not_made_a_store(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    with read_only(db):
        assert run(capsys, "db", "list", "--db", str(db)) == (
            2, "", f"kompass: error: {db}: the results store is read-only (the file or its "
                   "folder cannot be written): nothing was changed\n")
    assert db.read_bytes() == b""


def test_notes_and_comments_stand_at_criteria_of_the_rule_set(tmp_path: Path) -> None:
    """Notes for area 99 were carried silently and shown nowhere; now they are refused as
    points for area 99 are, and a note on a sub-area (the API allows one) is refused too."""
    from kompass_core import AreaNotes, Evaluation, InputError, default_registry

    bad = tmp_path / "n.toml"
    bad.write_text('ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n[areas.1]\npoints = 50\n'
                   '[areas.99]\nstrengths = ["a"]\n', "utf-8")
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", "score", str(bad)],
                          capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"kompass: error: {bad}:6: areas.99: no criterion '99' in kk-se@2.0\n"
    registry = default_registry()
    for notes, comments, message in [
            ({}, {"9.1": "x"}, "areas.9.subareas.9.1: no criterion '9.1' in kk-se@2.0"),
            ({"1.1": ("s",)}, {}, "areas.1.subareas.1.1: notes are kept per area; '1.1' is "
                                  "not an area of kk-se@2.0")]:
        evaluation = Evaluation(municipality=Municipality("X"), ruleset="kk-se@2.0",
                                points={"1": 50}, comments=comments,
                                notes={k: AreaNotes(strengths=v) for k, v in notes.items()})
        try:
            registry.score(evaluation)
        except InputError as err:
            assert str(err) == message
        else:
            raise AssertionError("scored")
