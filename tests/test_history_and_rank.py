"""``db rank``: each municipality once; ``db history``: each result on its own rule set."""

from __future__ import annotations

import datetime
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import Evaluation, Municipality, Registry, RuleSetRef, Store
from kompass_core.cli.main import main
from kompass_core.model.card import Provenance
from kompass_core.model.ruleset import Level
from kompass_core.store import Stored, StoredScore, make_record
from kompass_core.store.stats import latest

KK2020 = RuleSetRef("kk-se", "2020")
KK2015 = RuleSetRef("kk-se", "2015")
AREAS = [str(i) for i in range(1, 9)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def evaluation(name: str, points: int, year: int, code: str | None = None,
               ref: RuleSetRef = KK2020, month: int = 3) -> Evaluation:
    return Evaluation(ref, Municipality(name, code, "SE"), datetime.date(year, month, 1),
                      points=dict.fromkeys(AREAS, points))


def stored_db(where: Path | str, registry: Registry, evaluations: list[Evaluation]) -> str:
    """A store of ``evaluations``: ``r.db`` in a folder, or the store ``where`` names."""
    db = where / "r.db" if isinstance(where, Path) else where
    with Store.open(db, registry, seed=False) as s:
        s.add([make_record(ev, registry.score(ev), "test", "evaluation", None, "")
               for ev in evaluations])
    return str(db)


def _stored(seq: int, name: str, code: str | None, year: int | None) -> Stored:
    score = StoredScore("total", Level.TOTAL, seq, seq, 800, Provenance.GIVEN)
    return Stored(f"{seq:064x}", "test", KK2020, Municipality(name, code, "SE"), None, year,
                  "evaluation", "", (score,), seq)


@given(st.lists(st.tuples(st.sampled_from(["A", "a", "B", "Å", "A\u030a"]),
                          st.sampled_from([None, "1", "2"]),
                          st.sampled_from([None, 2019, 2020, 2021])), max_size=12))
def test_latest_keeps_one_newest_entry_per_municipality(
        specs: list[tuple[str, str | None, int | None]]) -> None:
    import unicodedata

    entries = [_stored(i, unicodedata.normalize("NFC", n), c, y)
               for i, (n, c, y) in enumerate(specs)]
    kept, earlier = latest(entries)
    assert sorted(s.seq for s in kept + earlier) == list(range(len(entries)))

    def who(s: Stored) -> object:
        name = s.municipality.name.casefold()
        codes = {t.municipality.code for t in entries
                 if t.municipality.code and t.municipality.name.casefold() == name}
        code = s.municipality.code or (codes.pop() if len(codes) == 1 else None)
        return ("code", code) if code else ("name", name)

    assert len({who(s) for s in kept}) == len(kept) == len({who(s) for s in entries})
    for s in earlier:
        newest = next(k for k in kept if who(k) == who(s))
        assert (s.year or -1, s.seq) < (newest.year or -1, newest.seq)


def test_rank_lists_each_municipality_once_by_its_newest_evaluation(
        capsys: pytest.CaptureFixture[str], store_url: str, registry: Registry) -> None:
    db = stored_db(store_url, registry, [
        evaluation("Aby", 80, 2019, "0001"), evaluation("Aby", 60, 2021, "0001"),
        evaluation("Aby", 90, 2020, "0001"), evaluation("Byn", 70, 2020),
        evaluation("Byn", 50, 2021), evaluation("Cby", 75, 2020, "0003"),
        evaluation("Cby", 85, 2020, "0004")])  # two municipalities of one name
    code, out, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert [(r["municipality"], r["year"], Fraction(r["low"])) for r in doc["ranking"]] == [
        ("Cby", 2020, 680), ("Cby", 2020, 600), ("Aby", 2021, 480), ("Byn", 2021, 400)]
    assert len(doc["earlier"]) == 3 and doc["all"] is False
    code, out, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--all",
                       "--format", "json")
    assert len(json.loads(out)["ranking"]) == 7 and json.loads(out)["earlier"] == []
    # the window: each municipality's newest within the chosen year
    code, out, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--year", "2020",
                       "--format", "json")
    assert [(r["municipality"], Fraction(r["low"])) for r in json.loads(out)["ranking"]] == [
        ("Aby", 720), ("Cby", 680), ("Cby", 600), ("Byn", 560)]
    code, table, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db)
    assert code == 0
    assert table.startswith("Ranking on kk-se@2020 by total: 4 stored evaluation(s), each "
                            "municipality's newest\n")
    assert "Earlier evaluations left out: 3 (`--all` ranks every evaluation).\n" in table
    code, table, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--all")
    assert "newest" not in table and "Earlier" not in table and table.count("Aby") == 3



KK10 = RuleSetRef("kk-se", "1.0")
KK20 = RuleSetRef("kk-se", "2.0")


def test_history_shows_each_result_on_its_own_rule_set_and_says_not_comparable(
        capsys: pytest.CaptureFixture[str], store_url: str, registry: Registry) -> None:
    db = stored_db(store_url, registry, [
        evaluation("Vby", 60, 2012, "0199", KK20), evaluation("Vby", 70, 2014, "0199", KK20),
        evaluation("Vby", 50, 2017, "0199", KK2015), evaluation("Vby", 50, 2019, "0199", KK2015),
        evaluation("Vby", 75, 2021, "0199", KK2020)])
    code, out, _ = run(capsys, "db", "history", "0199", "--db", db, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = doc["evaluations"]
    # each result keeps its own card, on its own rule set, with its published total
    assert [(e["ruleset"], e["card"]["ruleset"]) for e in rows] == [
        (str(r), str(r)) for r in (KK20, KK20, KK2015, KK2015, KK2020)]
    assert [e["card"]["scores"][0]["low"] for e in rows] == ["480", "560", "400", "400", "600"]
    # only uncalibrated steps lead to kk-se@2020: not comparable, no 0-800 interval
    assert [e["comparable"] for e in rows] == [False, False, False, False, True]
    assert [e["on_card"] is None for e in rows] == [True, True, True, True, False]
    assert [e["change"] and e["change"]["verdict"] for e in rows] == [
        None, "up", "cannot be judged", "same", "cannot be judged"]
    assert rows[1]["change"] == {"verdict": "up", "low": "80", "high": "80"}
    code, table, _ = run(capsys, "db", "history", "0199", "--db", db)
    assert code == 0
    assert "0-800" not in table
    summary = table.split("\n\n")[1].splitlines()
    assert summary[0].split() == ["Date", "Rule", "set", "Total", "On", "kk-se@2020", "Change",
                                  "ID"]
    assert [line.split()[:3] for line in summary[1:]] == [
        ["2012-03-01", "kk-se@2.0", "480"], ["2014-03-01", "kk-se@2.0", "560"],
        ["2017-03-01", "kk-se@2015", "400"], ["2019-03-01", "kk-se@2015", "400"],
        ["2021-03-01", "kk-se@2020", "600"]]  # dated as the files date them
    assert summary[1].count("not comparable") == 1 and "+80 (up)" in summary[2]
    assert "cannot be judged" in summary[3] and "0 (same)" in summary[4]
    assert "cannot be judged" in summary[5] and " 600  cannot" in summary[5]
    assert "not comparable: only uncalibrated steps" in table
    # each rule set's own table of area scores
    assert "On kk-se@2.0 " in table and "On kk-se@2015 " in table and "On kk-se@2020 " in table


def test_history_carries_results_along_a_calibrated_path_as_intervals(
        capsys: pytest.CaptureFixture[str], store_url: str, registry: Registry) -> None:
    old = evaluation("Kby", 60, 2010, "0198", KK20)
    db = stored_db(store_url, registry, [old, evaluation("Kby", 65, 2012, "0198", KK10)])
    code, out, _ = run(capsys, "db", "history", "Kby", "--db", db, "--format", "json")
    assert code == 0
    rows = json.loads(out)["evaluations"]
    assert json.loads(out)["on"] == "kk-se@1.0"
    expected = registry.migrate(registry.score(old), "kk-se@1.0")
    assert not expected.uncalibrated and expected.path  # kk-se@2.0 -> 1.0 is calibrated
    assert rows[0]["comparable"] and rows[0]["ruleset"] == "kk-se@2.0"
    migrated = rows[0]["on_card"]["scores"][0]
    assert (migrated["low"], migrated["high"]) == (str(expected["total"].low),
                                                   str(expected["total"].high))
    change = rows[1]["change"]
    after = registry.score(evaluation("Kby", 65, 2012, "0198", KK10))["total"]
    assert (change["low"], change["high"]) == (str(after.low - expected["total"].high),
                                               str(after.high - expected["total"].low))
    assert change["verdict"] != "cannot be judged"
    code, csv_text, _ = run(capsys, "db", "history", "Kby", "--db", db, "--format", "csv")
    # the old result on its own rule set, then carried to kk-se@1.0, then the new one
    assert [line.split(",")[8] for line in csv_text.splitlines()[1:] if ",total," in line] == [
        "kk-se@2.0", "kk-se@1.0", "kk-se@1.0"]
