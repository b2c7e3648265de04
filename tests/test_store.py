"""The results store: import, history, averages, ranks, a stateful model, crashes, upgrades."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import types
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from kompass_core import (
    Evaluation,
    Municipality,
    Registry,
    RuleSet,
    RuleSetRef,
    hookimpl,
    load_evaluation,
    parse_ruleset,
    structure,
    unstructure,
)
from kompass_core.cli.main import main
from kompass_core.formats.results import COLUMNS, KINDS, area_positions, holds, read_rows
from kompass_core.formats.serialize import canonical
from kompass_core.model.card import Provenance
from kompass_core.model.errors import InputError
from kompass_core.model.points import Points, exact
from kompass_core.model.ruleset import Level
from kompass_core.report.reference import reference_for
from kompass_core.store import (
    STORE_FORMAT,
    Record,
    Store,
    Stored,
    StoredScore,
    default_path,
    distinct,
    export_data,
    make_record,
    records_from_csv,
    records_from_rows,
    restore,
    schema,
    stats,
    tables,
)
from kompass_core.store.records import document_text
from tests.conftest import EXAMPLES, ROOT
from tests.postgres_server import fresh_schema, has_table, raw, version_of

EXAMPLE_FILES = [str(EXAMPLES / f"{n}.toml") for n in (
    "upplands-vasby-2011", "grastorp-2014", "orebro-2012", "vallentuna-2021",
    "exempelby-partial")]
KK2020 = RuleSetRef("kk-se", "2020")
KK20 = RuleSetRef("kk-se", "2.0")
AREAS = [str(i) for i in range(1, 9)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def evaluation(name: str, points: dict[str, Points], ref: RuleSetRef = KK2020,
               date: datetime.date | None = None, code: str | None = None,
               country: str = "SE") -> Evaluation:
    return Evaluation(ref, Municipality(name, code, country), date, points=points)


def record(registry: Registry, ev: Evaluation, origin: str = "test", kind: str = "evaluation",
           year: int | None = None, source_url: str = "") -> Record:
    return make_record(ev, registry.score(ev), origin, kind, year, source_url)


# --- records ---------------------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8"), max_size=8)


@st.composite
def any_evaluations(draw: st.DrawFn) -> Evaluation:
    """Evaluations with every field used: odd text, notes, comments, fractions."""
    from kompass_core.model.evaluation import AreaNotes

    lists = st.lists(texts, max_size=3).map(tuple)
    return Evaluation(
        RuleSetRef(draw(st.sampled_from(["kk-se", "kk-no-x"])),
                   draw(st.sampled_from(["1", "2.0"]))),
        Municipality(draw(texts), draw(st.none() | texts), draw(st.none() | texts)),
        draw(st.none() | st.dates()), draw(lists),
        draw(st.dictionaries(texts, st.integers(0, 100) | st.fractions(0, 100), max_size=5)),
        draw(st.dictionaries(texts, st.builds(AreaNotes, lists, lists, lists, lists),
                             max_size=3)),
        draw(st.dictionaries(texts, texts, max_size=3)))


@given(any_evaluations())
def test_the_hand_written_json_is_the_canonical_json(ev: Evaluation) -> None:
    assert document_text(ev) == canonical(unstructure(ev))


def test_what_the_fast_writer_leaves_out_takes_the_generic_way() -> None:
    """A consensus or a status is in the stored document, as the encoder of record writes it."""
    from kompass_core import Status

    team = load_evaluation(EXAMPLES / "team" / "provby-consensus.toml")
    plain = evaluation("X", {"1": 50, "2": 40}, KK20, datetime.date(2020, 2, 3))
    marked = Evaluation(plain.ruleset, plain.municipality, plain.date,
                        points=plain.points, status={"2": Status.WITHHELD})
    for ev in (team, marked):
        assert document_text(ev) == canonical(unstructure(ev))
        assert structure(json.loads(document_text(ev)), Evaluation) == ev


def test_the_stored_document_is_the_lossless_json_of_the_evaluation(registry: Registry
                                                                    ) -> None:
    odd = evaluation("Ö", {"1": Fraction(115, 2), "2.1": 3}, KK20, datetime.date(2020, 2, 3))
    for ev in [*(load_evaluation(f) for f in EXAMPLE_FILES), odd]:
        assert document_text(ev) == canonical(unstructure(ev))
        assert structure(json.loads(document_text(ev)), Evaluation) == ev
    a = record(registry, odd)
    keyed = {"evaluation": unstructure(odd), "kind": "evaluation", "year": 2020}
    assert a.id == hashlib.sha256(canonical(keyed).encode()).hexdigest()
    assert a.id == record(registry, odd, origin="elsewhere.toml").id  # keyed by content
    assert a.id != record(registry, odd, kind="derived").id
    assert a.year == 2020
    assert [s.key for s in a.scores] == ["total", *AREAS]
    assert (a.scores[1].low, a.scores[1].high) == (Fraction(115, 2), Fraction(115, 2))


def test_default_location_follows_kompass_db_then_xdg(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("KOMPASS_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("KOMPASS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "kompass" / "results.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home/.local/share/kompass/results.db"


# --- import through the command line --------------------------------------------------------

def test_import_seeds_a_new_store_and_reimport_stores_nothing_twice(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, registry: Registry,
        store_url: str) -> None:
    db = store_url if "://" in store_url else str(tmp_path / "sub" / "results.db")
    code, out, err = run(capsys, "db", "import", *EXAMPLE_FILES, "--db", db)
    assert code == 0
    assert err == (f"kompass: created the results store {db} with 31 published result(s) "
                   "bundled with kompass (2 row(s) without a known rule set left out)\n")
    assert out.count(": stored ") == 5
    with Store.open(db) as s:
        first = s.entries()
        assert len(first) == 31 + 5
        assert s.version == len(schema.MIGRATIONS)
        assert "://" in db or raw(db, "PRAGMA journal_mode") == [("wal",)]
        vallentuna = next(e for e in first if e.origin == "vallentuna-2021.toml")
        assert s.evaluation(vallentuna.id) == load_evaluation(EXAMPLE_FILES[3])
    code, out, err = run(capsys, "db", "import", *EXAMPLE_FILES, EXAMPLE_FILES[0],
                         "--db", db)
    assert (code, err) == (0, "")
    assert out.count("already stored as") == 6
    csv_path = ROOT / "kompass_core" / "data" / "published-results.csv"
    code, out, _ = run(capsys, "db", "import", str(csv_path), "--db", db)
    assert (code, out) == (0, f"{csv_path}: 0 stored, 31 already stored, 2 row(s) without "
                              "a rule set skipped\n")
    with Store.open(db) as s:
        assert s.entries() == first


def test_bad_files_are_left_out_whole_and_named_on_one_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    header = ",".join(COLUMNS)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\n"
                   "kk-se@2020,evaluation,SE,A,2020,50,50,50,50,50,50,50,50,400,,\n"
                   "kk-se@2020,evaluation,SE,B,2020,50,50,x,50,50,50,50,50,400,,\n",
                   encoding="utf-8")
    disagree = tmp_path / "disagree.csv"
    disagree.write_text(f"{header}\n"
                        "kk-se@2020,evaluation,SE,C,2020,50,50,50,50,50,50,50,50,401,,\n"
                        "kk-zz@1,evaluation,SE,D,2020,,,,,,,,,401,,\n\n"  # lines count blanks
                        "kk-se@2020,evaluation,SE,E,2020,101,,,,,,,,,,\n", encoding="utf-8")
    db = str(tmp_path / "r.db")
    code, out, err = run(capsys, "db", "import", str(bad), str(disagree), EXAMPLE_FILES[0],
                         str(EXAMPLES / "bad-points.toml"), "--db", db)
    assert code == 2
    lines = err.splitlines()
    assert lines.pop().startswith(f"kompass: created the results store {db}")  # after reading
    assert lines[0] == f"kompass: error: {bad}:3: a3: 'x' is not a number of points"
    assert lines[1] == (f"kompass: error: {disagree}:2: total: 401 points disagrees with its "
                        "areas (sum 400)")
    assert lines[2].startswith(f"kompass: error: {disagree}:3: ruleset: unknown rule set "
                               "'kk-zz@1'")
    assert lines[3] == f"kompass: error: {disagree}:5: a1: 101 points exceeds max 100"
    assert lines[4] == (f"kompass: error: {EXAMPLES / 'bad-points.toml'}:10: "
                        "areas.3.subareas.3.2: 24 points exceeds max 20")
    assert len(lines) == 5
    assert out.startswith(f"{EXAMPLE_FILES[0]}: stored ")
    with Store.open(db) as s:
        names = {e.municipality.name for e in s.entries()}
    assert not names & {"A", "B", "C", "D", "E"}  # no part of a bad file was imported


def test_import_expands_folders_and_creates_no_store_when_nothing_is_read(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for source in EXAMPLE_FILES[:2]:
        shutil.copy(source, folder)
    (folder / "more.csv").write_text(",".join(COLUMNS) + "\nkk-se@2020,evaluation,SE,Csvby,"
                                     "2020,1,2,3,4,5,6,7,8,36,,\n", encoding="utf-8")
    (folder / "readme.txt").write_text("not read", encoding="utf-8")
    db = tmp_path / "new.db"
    assert run(capsys, "db", "import", str(tmp_path / "missing.toml"), "--db", str(db)) == (
        2, "", f"kompass: error: {tmp_path / 'missing.toml'}: no such file\n")
    assert not db.exists()
    code, out, _ = run(capsys, "db", "import", str(folder), "--db", str(db))
    assert code == 0
    assert out.splitlines() == [
        f"{folder / 'grastorp-2014.toml'}: stored bc334df4b5b3 (Grästorp 2014, kk-se@2.0)",
        f"{folder / 'more.csv'}: 1 stored, 0 already stored",
        f"{folder / 'upplands-vasby-2011.toml'}: stored ae99061ea7d3 (Upplands Väsby 2011, "
        "kk-se@2.0)"]


def test_import_errors_name_file_line_and_key(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    files = {
        "broken.json": '{"ruleset": "kk-se@2020",\n "municipality": }\n',
        "odd.toml": 'ruleset = "kk-se@2020"\n[municipality]\nname = "X"\ncolour = 1\n',
        "list.json": "[1, 2]\n",
        "export.json": json.dumps({"format": "kompass.store/1", "evaluations": [
            {"origin": "x", "kind": "odd", "evaluation": {
                "ruleset": "kk-se@2020", "municipality": {"name": "X"},
                "points": {"1": "101"}}}, 3]}),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    code, out, err = run(capsys, "db", "import", *(str(tmp_path / n) for n in files),
                         "--db", str(db))
    at = f"kompass: error: {tmp_path}/"
    assert (code, out, err.splitlines()) == (2, "", [
        f"{at}broken.json:2: invalid JSON: Expecting value",
        f"{at}odd.toml:4: municipality.colour: unknown key (expected one of: name, code, "
        "country)",
        f"{at}list.json: expected a JSON object at the top",
        f"{at}export.json: evaluations.0.kind: 'odd' is not one of: evaluation, average, "
        "derived",
        f"{at}export.json: evaluations.0.evaluation.areas.1: 101 points exceeds max 100",
        f"{at}export.json: evaluations.1: expected a table, got an integer"])
    assert not db.exists()


def test_errors_for_a_corrupt_store_and_an_unknown_id(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not SQLite" * 100)
    for args in (["list"], ["average", "kk-se@2.0"], ["import", EXAMPLE_FILES[0]]):
        assert run(capsys, "db", *args, "--db", str(corrupt))[1:] == (
            "", f"kompass: error: {corrupt}: not a kompass results store (file is not a "
                "database)\n")
    db = str(tmp_path / "r.db")
    run(capsys, "db", "list", "--db", db)
    assert run(capsys, "db", "remove", "abcdef12", "--db", db) == (
        2, "", f"kompass: error: {db}: no stored evaluation has ID 'abcdef12'\n")
    assert run(capsys, "db", "remove", "x1", "--db", db)[2] == (
        f"kompass: error: {db}: 'x1' is not an evaluation ID (4 to 64 hex digits, as "
        "`kompass db list` shows)\n")
    assert run(capsys, "db", "history", "Nowhere", "--db", db)[2] == (
        f"kompass: error: {db}: no stored evaluation of 'Nowhere' (by name or code)\n")


def test_remove_by_id_prefix(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    db = store_url
    _, out, _ = run(capsys, "db", "import", EXAMPLE_FILES[1], "--db", db)
    short = out.split("stored ")[1][:12]
    assert run(capsys, "db", "remove", short[:6], "--db", db)[:2] == (
        0, f"removed {short} (Grästorp 2014, kk-se@2.0)\n")
    _, out, _ = run(capsys, "db", "list", "--db", db, "--format", "json")
    assert short not in out and len(json.loads(out)) == 31


def test_export_json_restores_losslessly_and_csv_reads_back(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str) -> None:
    a, b = store_url, str(tmp_path / "b.db")  # from either backend into SQLite
    half = tmp_path / "half.toml"
    half.write_text('ruleset = "kk-se@2020"\n[municipality]\nname = "Halvby"\n'
                    '[evaluation]\ndate = 2024-05-01\n[areas.1]\npoints = 57.5\n',
                    encoding="utf-8")
    run(capsys, "db", "import", *EXAMPLE_FILES, str(half), "--db", a)
    _, dump, _ = run(capsys, "db", "export", "--format", "json", "--db", a)
    backup = tmp_path / "backup.json"
    backup.write_text(dump, encoding="utf-8")
    with Store.open(b, seed=False):
        pass
    assert run(capsys, "db", "import", str(backup), "--db", b)[:2] == (
        0, f"{backup}: 37 stored, 0 already stored\n")
    with Store.open(a) as sa, Store.open(b) as sb:
        assert sb.entries() == sa.entries()
        assert [sb.document(e.id) for e in sb.entries()] == \
            [sa.document(e.id) for e in sa.entries()]
        assert sb.documents() == {e.id: sb.document(e.id) for e in sb.entries()}
    _, text, _ = run(capsys, "db", "export", "--db", a)
    rows = read_rows(text, "export.csv")
    halvby = next(r for r in rows if r.municipality == "Halvby")
    assert halvby.areas[0] == Fraction(115, 2) and halvby.total is None
    assert "57.5," in text


# --- queries, against an independent computation ------------------------------------------

def _population(seed: int) -> list[tuple[str, int, str, dict[str, Points]]]:
    rng = random.Random(seed)
    out = []
    for i in range(40):
        given = AREAS if rng.random() < 0.7 else rng.sample(AREAS, rng.randint(0, 7))
        points = {k: exact(Fraction(rng.randint(0, 200), 2)) for k in given}
        out.append((f"M{i % 25}", 2019 + i % 4, rng.choice(["SE", "SE", "NO"]), points))
    return out


def test_average_and_rank_equal_an_independent_computation(
        capsys: pytest.CaptureFixture[str], registry: Registry, store_url: str) -> None:
    people = _population(5)
    db = store_url
    with Store.open(db, registry, seed=False) as s:
        s.add(record(registry, evaluation(name, pts, country=land,
                                          date=datetime.date(year, 3, 1)))
              for name, year, land, pts in people)
        # another kind, and another rule set: neither counts
        s.add([record(registry, evaluation("Avg", dict.fromkeys(AREAS, 1)), kind="average",
                      year=2020),
               record(registry, evaluation("Old", {"1": 9}, KK20), year=2020)])
    for year, country in ((None, None), (2020, None), (None, "NO"), (2021, "se")):
        chosen = [(n, y, c, p) for n, y, c, p in people
                  if year in (None, y) and country in (None, c.lower(), c)]
        args = ["db", "average", "kk-se@2020", "--db", str(db), "--format", "json"]
        args += ["--year", str(year)] if year else []
        args += ["--country", country] if country else []
        code, out, _ = run(capsys, *args)
        assert code == 0
        doc = json.loads(out)
        for column in doc["columns"]:
            key = column["key"]
            if key == "total":
                values = [sum(p.values()) for *_, p in chosen if len(p) == 8]
            else:
                values = [p[key] for *_, p in chosen if key in p]
            assert column["count"] == len(values)
            expected = Fraction(sum(values), len(values)) if values else None
            assert (None if column["average"] is None else Fraction(column["average"])) \
                == expected, (year, country, key)
        code, out, _ = run(capsys, *[a if a != "average" else "rank" for a in args], "--all")
        assert code == 0
        ranking = json.loads(out)["ranking"]
        totals = sorted((sum(p.values()) for *_, p in chosen if len(p) == 8), reverse=True)
        ranked = [r for r in ranking if r["rank"] is not None]
        assert [Fraction(r["low"]) for r in ranked] == totals
        assert [r["rank"] for r in ranked] == [totals.index(t) + 1 for t in totals]
        assert len(ranking) == len(chosen)


def test_the_same_result_stored_twice_counts_once(capsys: pytest.CaptureFixture[str],
                                                  store_url: str) -> None:
    db = store_url
    run(capsys, "db", "import", *EXAMPLE_FILES, "--db", db)
    code, out, _ = run(capsys, "db", "average", "kk-se@2.0", "--db", db, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    by_key = {c["key"]: c for c in doc["columns"]}
    # Upplands Väsby, Grästorp and Örebro are both bundled and example files; Ängelholm
    # gives a total only, as do Strängnäs 2014, Karlskoga 2014 and Nacka 2011 (Karlskoga's
    # derived 2010 is not averaged); Exempelby scores areas 1-3 exactly
    assert by_key["4"]["count"] == 3
    assert by_key["1"]["count"] == 4
    assert Fraction(by_key["4"]["average"]) == Fraction(60 + 53 + 74, 3)
    assert by_key["total"]["count"] == 7
    assert Fraction(by_key["total"]["average"]) == Fraction(
        499 + 506 + 615 + 426 + 437 + 450 + 644, 7)
    assert len(doc["counted_once"]) == 3
    code, out, _ = run(capsys, "db", "rank", "kk-se@2.0", "--db", db)
    assert code == 0
    ranking = out.split("\n\n")[1]
    assert ranking.count("Örebro") == 1 and "-  Exempelby" in ranking


def _stored(seq: int, name: str, year: int | None, total: tuple[Points, Points],
            ref: RuleSetRef = KK2020, kind: str = "evaluation", code: str | None = None
            ) -> Stored:
    score = StoredScore("total", Level.TOTAL, total[0], total[1], 800, Provenance.GIVEN)
    return Stored(f"{seq:064x}", "test", ref, Municipality(name, code, "SE"), None, year, kind,
                  "", (score,), seq)


_stored_lists = st.lists(st.tuples(
    st.sampled_from(["A", "a", "B", "Å", "A\u030a"]), st.sampled_from([None, None, 2020, 2021]),
    st.sampled_from([(1, 1), (1, 2), (2, 2)]), st.sampled_from([KK2020, KK20]),
    st.sampled_from(["evaluation", "derived"]), st.sampled_from([None, None, "1", "2"])),
    max_size=14).map(lambda specs: [_stored(i, *spec) for i, spec in enumerate(specs)])


def _distinct_by_definition(entries: list[Stored]) -> tuple[list[Stored], list[Stored]]:
    """distinct() as its docstring puts it, entry by entry against all before it."""
    def identity(s: Stored) -> tuple[object, ...]:
        name = s.municipality.name.casefold()
        codes = {t.municipality.code for t in entries
                 if t.municipality.code and t.municipality.name.casefold() == name}
        code = s.municipality.code or (codes.pop() if len(codes) == 1 else None)
        return s.ruleset, s.kind, code or "", "" if code else name

    def scores(s: Stored) -> list[tuple[str, Points, Points]]:
        return [(x.key, x.low, x.high) for x in s.scores]

    ordered = [s for s in entries if s.year is not None] + [s for s in entries if s.year is None]
    leader: dict[str, str] = {}
    for i, s in enumerate(ordered):
        first = next(t for t in ordered[:i + 1] if identity(t) == identity(s) and (
            t.year == s.year if s.year is not None else scores(t) == scores(s)))
        leader[s.id] = leader.get(first.id, s.id)
    kept = {max((t for t in entries if leader[t.id] == group),
                key=lambda t: (t.exactness(), t.year is not None, t.seq)).id
            for group in set(leader.values())}
    return [s for s in entries if s.id in kept], [s for s in entries if s.id not in kept]


@given(_stored_lists)
def test_distinct_keeps_one_entry_per_result_as_defined(entries: list[Stored]) -> None:
    assert distinct(entries) == _distinct_by_definition(entries)


def test_entries_without_a_year_and_with_equal_scores_are_one_result() -> None:
    old, new = _stored(1, "Å", None, (5, 5)), _stored(2, "å", None, (5, 5))
    assert distinct([old, new]) == ([new], [old])
    dated = _stored(3, "Å", 2020, (4, 5))
    assert distinct([old, dated, new]) == ([dated, new], [old])  # other scores: another result


def test_distinct_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Stored] = []
    real = stats._identity

    def counted(s: Stored, codes: Mapping[str, set[str]]) -> tuple[object, ...]:
        calls.append(s)
        return real(s, codes)

    monkeypatch.setattr(stats, "_identity", counted)
    entries = [_stored(i, f"M{i}", None if i % 2 else 2020, (i, i)) for i in range(400)]
    distinct(entries)
    assert len(calls) <= 2 * len(entries)


def test_history_shows_every_evaluation_on_its_own_rule_set(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, registry: Registry) -> None:
    db = str(tmp_path / "r.db")
    old = tmp_path / "vallentuna-2015.toml"
    old.write_text('ruleset = "kk-se@2.0"\n[municipality]\nname = "Vallentuna"\n'
                   'code = "0115"\n[evaluation]\ndate = 2015-02-01\n'
                   + "".join(f"[areas.{i}]\npoints = {50 + i}\n" for i in range(1, 9)),
                   encoding="utf-8")
    run(capsys, "db", "import", str(old), EXAMPLE_FILES[3], "--db", db)
    code, out, _ = run(capsys, "db", "history", "0115", "--db", db, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["on"] == "kk-se@2020"
    assert [e["year"] for e in doc["evaluations"]] == [2015, 2017, 2019, 2021]
    assert len(doc["counted_once"]) == 1  # the bundled 2021 row, also in the example file
    first = doc["evaluations"][0]
    expected = registry.score(load_evaluation(old))
    assert first["card"]["ruleset"] == "kk-se@2.0" and not first["card"]["migration"]["path"]
    assert [(s["low"], s["high"]) for s in first["card"]["scores"]] == [
        (str(expected[k].low), str(expected[k].high)) for k in ("total", *AREAS)]
    # only uncalibrated steps lead from kk-se@2.0 and kk-se@2015 to kk-se@2020
    assert [e["comparable"] for e in doc["evaluations"]] == [False, False, False, True]
    assert doc["evaluations"][3]["on_card"] == doc["evaluations"][3]["card"]
    code, by_name, _ = run(capsys, "db", "history", "vallentuna", "--db", db)
    code, table, _ = run(capsys, "db", "history", "0115", "--db", db)
    assert by_name == table
    assert "0-800" not in table and table.count("not comparable  ") == 3
    code, on_old, _ = run(capsys, "db", "history", "0115", "--db", db, "--on", "kk-se@2.0",
                          "--format", "csv")
    # each result on its own rule set; none has a calibrated path to kk-se@2.0
    assert code == 0 and on_old.count(",kk-se@2.0,") == 9
    assert on_old.count(",kk-se@2015,") == 2 * 9 and on_old.count(",kk-se@2020,") == 9


# --- the report uses the store -----------------------------------------------------------------

def test_report_reference_and_previous_come_from_the_store(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, registry: Registry,
        store_url: str) -> None:
    uv = EXAMPLE_FILES[0]
    db = store_url
    named = "kompass (PostgreSQL)" if "://" in db else Path(db).name  # a server's: its database
    with Store.open(db, registry, seed=False) as s:
        s.add([record(registry, evaluation("Testby", dict.fromkeys(AREAS, 56), KK20,
                                           datetime.date(2010, 1, 1), code="9999")),
               record(registry, evaluation("Upplands Väsby", dict.fromkeys(AREAS, 40), KK20,
                                           datetime.date(2009, 1, 1), code="0114")),
               record(registry, evaluation("Upplands Väsby", dict.fromkeys(AREAS, 45), KK20,
                                           datetime.date(2010, 6, 1), code="0114"))])
    md = run(capsys, "report", uv, "--format", "md", "--lang", "en", "--db", str(db))[1]
    assert "Reference: mean of 1 stored evaluation(s) of kk-se@2.0 dated 2011 or earlier, " \
           f"other than Upplands Väsby's own: Testby 2010; from the results store {named}." in md
    # --reference wins over the store; without a store, the bundled results are used
    mine = tmp_path / "mine.csv"
    mine.write_text(",".join(COLUMNS) + "\nkk-se@2.0,evaluation,SE,Other,2010,"
                    "1,2,3,4,5,6,7,8,36,,\n", encoding="utf-8")
    md = run(capsys, "report", uv, "--format", "md", "--lang", "en", "--db", str(db),
             "--reference", str(mine))[1]
    assert "mean of 1 published evaluation(s) of kk-se@2.0 dated 2011 or earlier, other than " \
           "Upplands Väsby's own: Other 2010; from mine.csv" in md
    md = run(capsys, "report", uv, "--format", "md", "--lang", "en")[1]
    assert "in published results bundled with kompass" in md  # none up to 2011
    # --previous CODE: the newest stored evaluation of that code before this one
    md = run(capsys, "report", uv, "--format", "md", "--lang", "en", "--db", str(db),
             "--previous", "0114")[1]
    assert "| 1 | Openness and democracy | 68 | 100 | 56 | 45 |" in md  # Testby only; 2010
    code, _, err = run(capsys, "report", uv, "--db", str(db), "--previous", "9999x")
    assert (code, err) == (2, "kompass: error: 9999x: neither a file nor the code of a "
                              "municipality with a stored evaluation dated before "
                              "2011-05-30\n")
    code, _, err = run(capsys, "report", uv, "--previous", "0114")
    assert code == 2 and "no such file, and no results store at" in err


# --- a stateful model --------------------------------------------------------------------------

_REGISTRY = Registry()
_points = st.integers(0, 200).map(lambda n: exact(Fraction(n, 2)))
_evaluations = st.builds(
    lambda ref, name, points, when: Evaluation(ref, Municipality(name, None, "SE"), when,
                                               points=points),
    st.sampled_from([KK2020, KK20]), st.sampled_from(["A", "B", "Å"]),
    st.dictionaries(st.sampled_from(AREAS), _points, max_size=3),
    st.sampled_from([None, datetime.date(2020, 1, 1)]))
_records = st.builds(lambda ev, kind, origin: make_record(ev, _REGISTRY.score(ev), origin, kind),
                     _evaluations, st.sampled_from(KINDS), st.sampled_from(["x.toml", "y.csv"]))


def _expected(r: Record) -> tuple[Any, ...]:
    e = r.evaluation
    return (r.origin, e.ruleset, e.municipality, e.date, r.year, r.kind, r.source_url,
            r.scores, r.document)


class StoreMachine(RuleBasedStateMachine):
    """Any sequence of imports and removals leaves the store equal to a plain dict."""

    server: str | None = None
    """A PostgreSQL server to keep the store on (in a new schema), else an SQLite file."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp()
        self.url = fresh_schema(self.server) if self.server else str(Path(self.folder) / "r.db")
        self.store = Store.open(self.url, _REGISTRY, seed=False)
        self.model: dict[str, tuple[Any, ...]] = {}

    @rule(batch=st.lists(_records, max_size=4))
    def add(self, batch: list[Record]) -> None:
        flags = [new for _, new in self.store.add(batch)]
        expected = []
        for r in batch:
            expected.append(r.id not in self.model)
            self.model.setdefault(r.id, _expected(r))
        assert flags == [e and r.id not in {b.id for b in batch[:i]}
                         for i, (r, e) in enumerate(zip(batch, expected, strict=True))]

    @rule(batch=st.lists(_records, min_size=1, max_size=4), after=st.integers(0, 20))
    def add_interrupted(self, batch: list[Record], after: int) -> None:
        real = tables._score_rows

        def failing(records: Any) -> Iterator[tuple[object, ...]]:
            for n, row in enumerate(real(records)):
                if n == after:
                    raise RuntimeError("interrupted")
                yield row
            raise RuntimeError("interrupted")

        tables._score_rows = failing  # type: ignore[assignment]
        try:
            with pytest.raises(RuntimeError):
                self.store.add(batch)
        finally:
            tables._score_rows = real  # type: ignore[assignment]

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        ident = data.draw(st.sampled_from(sorted(self.model)))
        gone = self.store.remove(ident[:data.draw(st.integers(12, 64))])
        assert gone.id == ident
        del self.model[ident]

    @rule(ident=st.text("0123456789abcdef", min_size=12, max_size=12))
    def remove_unknown(self, ident: str) -> None:
        if any(k.startswith(ident) for k in self.model):
            return
        with pytest.raises(InputError, match="no stored evaluation has ID"):
            self.store.remove(ident)

    @invariant()
    def equals_the_model(self) -> None:
        found = {s.id: (s.origin, s.ruleset, s.municipality, s.date, s.year, s.kind,
                        s.source_url, s.scores, canonical(self.store.document(s.id)))
                 for s in self.store.entries()}
        assert found == self.model
        # no score outlives its evaluation
        assert raw(self.url, "SELECT count(*) FROM scores")[0][0] == \
            sum(len(v[7]) for v in self.model.values())

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=50, stateful_step_count=10, deadline=None)


def test_the_store_machine_on_postgresql(postgres_server: str) -> None:
    on_server = type("OnServer", (StoreMachine,), {"server": postgres_server})
    run_state_machine_as_test(on_server, settings=settings(
        max_examples=20, stateful_step_count=10, deadline=None))


# --- crash safety and schema upgrades -----------------------------------------------------------

_PAUSE = textwrap.dedent("""
    import sys, time
    from kompass_core.store import tables
    real = tables._score_rows
    def paused(records):
        for n, row in enumerate(real(records)):
            if n == 20000:
                print("paused", flush=True)
                time.sleep(120)
            yield row
    tables._score_rows = paused
    from kompass_core.cli.main import main
    sys.exit(main(sys.argv[1:]))
""")


def _snapshot(db: Path) -> list[tuple[Any, ...]]:
    with Store.open(db) as s:
        return [(e, s.document(e.id)) for e in s.entries()]


def test_a_killed_import_leaves_the_store_as_it_was(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    run(capsys, "db", "import", *EXAMPLE_FILES, "--db", str(db))
    before = _snapshot(db)
    big = tmp_path / "big.csv"
    rng = random.Random(7)
    lines = [",".join(COLUMNS)]
    for i in range(6000):
        areas = [rng.randint(0, 100) for _ in range(8)]
        lines.append(f"kk-se@2020,evaluation,SE,Kommun {i},{2000 + i % 20},"
                     f"{','.join(map(str, areas))},{sum(areas)},https://example.org/{i},")
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wal = Path(f"{db}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen([sys.executable, "-c", _PAUSE, "db", "import", str(big),
                             "--db", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "paused\n"
        # mid-transaction: the importer holds the write lock, its pages reached the WAL,
        # and readers still see the store as it was (WAL)
        other = sqlite3.connect(db, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        assert wal.stat().st_size > wal_before
        assert _snapshot(db) == before
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    assert _snapshot(db) == before


def test_opening_an_older_store_upgrades_it(monkeypatch: pytest.MonkeyPatch, store_url: str,
                                            registry: Registry) -> None:
    db = store_url
    one = record(registry, evaluation("A", {"1": 5}))
    with Store.open(db, registry, seed=False) as s:
        s.add([one])
        assert s.version == (now := schema.latest())
    v2 = [*schema.MIGRATIONS, ("ALTER TABLE evaluations ADD COLUMN reviewed TEXT",
                                     "UPDATE evaluations SET reviewed = 'no'")]
    monkeypatch.setattr(schema, "MIGRATIONS", v2)
    with Store.open(db, registry) as s:  # no seeding: the store is not new
        assert s.version == now + 1
        assert [e.id for e in s.entries()] == [one.id]
    assert raw(db, "SELECT reviewed FROM evaluations") == [("no",)]
    # a failing step leaves the store at its version, whole
    monkeypatch.setattr(schema, "MIGRATIONS", [*v2, ("CREATE TABLE x (a TEXT)", "BOGUS")])
    with pytest.raises(InputError, match=r'cannot use the results store: .*near "BOGUS"'):
        Store.open(db, registry)
    assert version_of(db) == now + 1
    assert not has_table(db, "x")


class _FailingCommit:
    """A connection whose COMMIT fails, as when the disk is full or another writer is busy."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)


def test_a_failed_commit_is_rolled_back(monkeypatch: pytest.MonkeyPatch, store_url: str,
                                        registry: Registry) -> None:
    one = record(registry, evaluation("A", {"1": 5}))
    with Store.open(store_url, registry, seed=False) as s:
        real = s._db
        monkeypatch.setattr(s, "_db", _FailingCommit(real))
        with pytest.raises(InputError, match="cannot use the results store: database or disk "
                                             "is full"):
            s.add([one])
        assert not real.in_transaction
        monkeypatch.setattr(s, "_db", real)
        assert s.entries() == []
        assert [new for _, new in s.add([one])] == [True]


def test_stores_kompass_cannot_read_are_refused(tmp_path: Path, registry: Registry) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as raw:
        raw.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(InputError) as err:
        Store.open(newer, registry)
    assert str(err.value) == (f"{newer}: the results store has schema version 99, newer than "
                              f"this kompass reads ({schema.latest()}): upgrade kompass")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE t (a)")
    raw.close()
    with pytest.raises(InputError, match="an SQLite file with other tables"):
        Store.open(other, registry)
    with pytest.raises(InputError, match="is a directory"):
        Store.open(tmp_path, registry)


# --- area columns come from the rule set; export and restore ----------------------------------

def _areas_ruleset(version: str, keys: list[str]) -> RuleSet:
    """A rule set of areas only, 10 points each, keyed ``keys``."""
    return parse_ruleset(
        f'id = "kk-xx"\nversion = "{version}"\norganisation = "Test"\ncountry = "SE"\n'
        'title = { sv = "Test" }\n' + "".join(
            f'[areas.{k}]\nmax = 10\nlabel = {{ sv = "Område {k}" }}\n' for k in keys),
        f"kk-xx-{version}.toml")


def _registry_of(*rulesets: RuleSet) -> Registry:
    reg = Registry(entry_points=False)
    reg.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda: list(rulesets))), "xx")
    return reg


SIX = _areas_ruleset("6", [str(i) for i in range(1, 7)])
NINE = _areas_ruleset("9", [str(i) for i in range(1, 10)])


def _csv(*rows: str) -> str:
    return ",".join(COLUMNS) + "\n" + "".join(row + "\n" for row in rows)


def test_a_results_csv_holds_the_areas_of_any_rule_set_up_to_eight(tmp_path: Path) -> None:
    reg = _registry_of(SIX, NINE)
    records, _ = records_from_csv(_csv("kk-xx@6,evaluation,SE,Sexby,2020,1,2,3,4,5,6,,,21,,"),
                                  "r.csv", reg, "r.csv")
    assert records[0].evaluation.points == {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6,
                                            "total": 21}
    with pytest.raises(InputError) as err:
        records_from_csv(_csv("kk-xx@6,evaluation,SE,Sexby,2020,1,2,3,4,5,6,7,,28,,",
                              "kk-xx@9,evaluation,SE,Nioby,2020,1,2,3,4,5,6,7,8,36,,"),
                         "r.csv", reg, "r.csv")
    assert str(err.value).splitlines() == [
        "r.csv:2: a7: kk-xx@6 has no area 7",
        "r.csv:3: ruleset: kk-xx@9 has area(s) 9, but a results CSV holds areas 1 to 8 only "
        "(columns a1 to a8)"]
    rows = read_rows(_csv("kk-xx@9,evaluation,SE,Nioby,2020,1,2,3,4,5,6,7,8,36,,"), "r.csv")
    assert records_from_rows(rows, reg, "r.csv", "r.csv", skip_unknown=True) == ([], 1)
    # stored: each area in its column; an area the format cannot hold is an error, not a loss
    nine = Evaluation(NINE.ref, Municipality("Nioby"), points={str(i): i for i in range(1, 10)})
    with Store.open(tmp_path / "r.db", reg, seed=False) as s:
        s.add([*records, make_record(nine, reg.score(nine), "test")])
        six_rows = s.reference_rows(SIX.ref)
        assert [r.areas for r in six_rows] == [(1, 2, 3, 4, 5, 6, None, None)]
        assert s.reference_rows(NINE.ref) == []
        with pytest.raises(InputError, match=r"kk-xx@9 has area\(s\) 9, but a results CSV"):
            s.entries(NINE.ref)[0].row()
    reference = reference_for(SIX, six_rows)
    assert reference is not None and reference.total == 21 and reference.count == 1
    assert reference_for(NINE, six_rows) is None
    assert holds(["1", "8"]) and not holds(["9"]) and not holds(["01"])
    assert area_positions(SIX.ref, ["3", "1"]) == (2, 0)


def test_an_export_restores_to_the_same_records(store_url: str, registry: Registry) -> None:
    with Store.open(store_url, registry, seed=False) as s:
        s.add(record(registry, load_evaluation(f), origin=Path(f).name) for f in EXAMPLE_FILES)
        s.add([record(registry, evaluation("Ö", {"1": Fraction(115, 2)}), kind="derived",
                      year=2011, source_url="https://example.org")])
        data = json.loads(json.dumps(export_data(s)))
        stored = s.entries()
    assert data["format"] == STORE_FORMAT
    restored = restore(registry, data)
    assert [(r.id, r.origin, r.kind, r.year, r.source_url, r.scores) for r in restored] == [
        (e.id, e.origin, e.kind, e.year, e.source_url, e.scores) for e in stored]
    data["evaluations"][1]["kind"] = "guess"
    del data["evaluations"][2]["origin"]
    with pytest.raises(InputError) as err:
        restore(registry, data)
    assert [str(p) for p in err.value.problems] == ["evaluations.1.kind: 'guess' is not one of: "
                                                    "evaluation, average, derived",
                                                    "evaluations.2: missing required key 'origin'"]
