"""The store keeps whether a published result's rule set is stated or inferred (issue 13, item 7).

``db list``, ``db history`` and the report's reference note read it from the
store, not by matching stored rows to the bundled file; an older store gets it
on upgrade, and an export restores it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from kompass_core import Store
from kompass_core.cli.main import main
from kompass_core.formats.results import COLUMNS
from kompass_core.registry.registry import Registry
from kompass_core.store import schema
from kompass_core.store.exchange import restore

ROOT = Path(__file__).resolve().parents[1]
GRASTORP = str(ROOT / "examples" / "grastorp-2014.toml")
CSV_ROW = "kk-se@2.0,evaluation,SE,Nyby,2013,50,50,50,50,50,50,50,50,400,https://x.se,"


def made_at_version_2(db: Path, registry: Registry) -> None:
    """A seeded store as kompass made it at schema 2: without the ruleset_basis column.

    Step 3 only adds a column, step 4 the group tables and step 5 a column, so dropping
    them gives back the tables of step 2.
    """
    Store.open(db, registry).close()
    raw = sqlite3.connect(db)
    raw.executescript("DROP TABLE group_members; DROP TABLE group_schemes; "
                      "ALTER TABLE evaluations DROP COLUMN ruleset_basis; "
                      "ALTER TABLE scores DROP COLUMN hidden; "
                      "PRAGMA user_version = 2;")
    columns = [c[1] for c in raw.execute("PRAGMA table_info(evaluations)")]
    raw.close()
    assert "ruleset_basis" not in columns


def _bases(db: Path | str) -> dict[tuple[str, int | None, str], str | None]:
    with Store.open(db) as store:
        return {(s.municipality.name, s.year, s.origin): s.basis for s in store.entries()}


def test_a_csv_rows_basis_is_stored_and_an_evaluation_files_is_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    db = store_url
    rows = tmp_path / "rows.csv"
    rows.write_text(",".join((*COLUMNS, "ruleset_basis")) + f"\n{CSV_ROW},inferred\n"
                    + CSV_ROW.replace("Nyby", "Annanby") + ",stated\n"
                    + CSV_ROW.replace("Nyby", "Tredjeby") + ",\n", "utf-8")
    assert main(["db", "import", str(rows), GRASTORP, "--db", str(db)]) == 0
    bases = _bases(db)
    assert bases[("Nyby", 2013, "rows.csv")] == "inferred"
    assert bases[("Annanby", 2013, "rows.csv")] == "stated"
    assert bases[("Tredjeby", 2013, "rows.csv")] is None  # the file does not say
    assert bases[("Grästorp", 2014, "grastorp-2014.toml")] is None  # the file states it
    assert bases[("Grästorp", 2014, "bundled")] == "inferred"
    capsys.readouterr()
    assert main(["db", "list", "--db", str(db)]) == 0
    lines = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()[1:]
             if len(line.split()) > 1}
    assert "kk-se@2.0 (inferred)" in lines["Nyby"] and "(inferred)" not in lines["Annanby"]
    assert main(["db", "list", "--db", str(db), "--format", "json"]) == 0
    listed = {e["municipality"]["name"]: e["ruleset_basis"]
              for e in json.loads(capsys.readouterr().out) if e["origin"] == "rows.csv"}
    assert listed == {"Nyby": "inferred", "Annanby": "stated", "Tredjeby": None}


def test_db_history_marks_an_inferred_rule_set(store_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = store_url
    assert main(["db", "list", "--db", db]) == 0  # a new store, seeded
    capsys.readouterr()
    assert main(["db", "history", "Örebro", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "kk-se@2.0 (inferred)" in out
    assert "(inferred): the published source does not state the rule set" in out


def test_the_reference_note_says_inferred_from_the_stores_rows(
        store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = store_url
    assert main(["db", "list", "--db", db]) == 0  # a new store, seeded
    assert main(["report", GRASTORP, "--db", db, "--format", "md", "--lang", "en"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if re.match(r"\d+\. Reference: ", x))  # the note, not the legend or the tables
    assert "stored evaluation(s)" in line
    assert "the rule set of Örebro 2012 is inferred (e.g. from the year)" in line


def test_a_store_made_at_version_2_upgrades_and_its_bundled_rows_get_their_basis(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, registry: Registry) -> None:
    db = tmp_path / "old.db"
    made_at_version_2(db, registry)
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        with Store.open(db, registry) as store:  # as kompass at schema 2 reads it
            assert store.version == 2
            assert all(s.basis is None for s in store.entries())
    with Store.open(db, registry) as store:
        assert store.version == schema.latest() == 5
        stored = {(s.municipality.name, s.year): s.basis for s in store.entries()}
    assert stored[("Örebro", 2012)] == stored[("Grästorp", 2014)] == "inferred"
    assert stored[("Upplands Väsby", 2011)] == "stated"


def test_a_read_only_store_at_version_2_is_read_with_no_basis_known(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, registry: Registry) -> None:
    db = tmp_path / "old.db"
    made_at_version_2(db, registry)
    before = db.read_bytes()
    monkeypatch.setattr("os.access", lambda *_args: False)  # as a file nobody may write
    with Store.open(db, registry) as store:
        assert store.read_only and store.version == 2
        assert store.entries() and all(s.basis is None for s in store.entries())
    assert db.read_bytes() == before


def test_an_export_restores_the_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      registry: Registry, store_url: str) -> None:
    db = store_url
    assert main(["db", "list", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["db", "export", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {e.get("ruleset_basis") for e in data["evaluations"]} == {"stated", "inferred"}
    with Store.open(tmp_path / "b.db", registry, seed=False) as store:  # nothing but the export
        store.add(restore(registry, data))
        restored = {s.id: s.basis for s in store.entries()}
    with Store.open(db) as store:
        assert restored == {s.id: s.basis for s in store.entries()}
    data["evaluations"][0]["ruleset_basis"] = "guessed"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data), "utf-8")
    assert main(["db", "import", str(export), "--db", str(tmp_path / "c.db")]) == 2
    assert ("evaluations.0.ruleset_basis: 'guessed' is not one of: stated, inferred"
            in capsys.readouterr().err)
