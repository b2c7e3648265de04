"""Dates as precise as their sources: a year, a month or a day (issue 13, item 8).

Grästorp's page says "i slutet av oktober 2014", Vallentuna's "februari 2021";
an evaluation carries what is known, prints it so everywhere, and sorts it
the same in Python and in the store's text column.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import kompass_core as kk
from kompass_core import PartialDate
from kompass_core.cli.main import main
from kompass_core.model.dates import read_date
from kompass_core.testing.strategies import partial_dates

ROOT = Path(__file__).resolve().parents[1]
GRASTORP = ROOT / "examples" / "grastorp-2014.toml"
UV = ROOT / "examples" / "upplands-vasby-2011.toml"


@given(partial_dates())
def test_the_iso_text_reads_back_as_the_same_date(d: PartialDate) -> None:
    assert PartialDate.parse(d.isoformat()) == d
    assert read_date(d.isoformat()) == d
    assert d.first_day <= d.last_day and d.first_day.year == d.last_day.year == d.year


@given(partial_dates(), partial_dates())
def test_the_order_is_by_first_day_then_coarser_first_and_is_the_texts_order(
        a: PartialDate, b: PartialDate) -> None:
    if a.first_day != b.first_day:
        assert (a < b) == (a.first_day < b.first_day)
    assert (a < b) == (a.isoformat() < b.isoformat())  # what the store's ORDER BY does
    assert (a == b) == (a.isoformat() == b.isoformat()) == (not a < b and not b < a)
    assert (a <= b) == (not b < a) and (a >= b) == (not a < b) and (a > b) == (b < a)


def test_a_coarser_date_sorts_before_the_finer_ones_it_holds() -> None:
    dates = [PartialDate(2014, 2), PartialDate(2014, 1, 1), PartialDate(2014),
             PartialDate(2014, 1), PartialDate(2013, 12, 31)]
    assert [str(d) for d in sorted(dates)] == [
        "2013-12-31", "2014", "2014-01", "2014-01-01", "2014-02"]
    assert PartialDate(2014, 10).last_day == datetime.date(2014, 10, 31)
    assert PartialDate(2024, 2).last_day == datetime.date(2024, 2, 29)
    assert PartialDate(2014).last_day == datetime.date(2014, 12, 31)
    assert [PartialDate.parse(t).precision for t in ("2014", "2014-10", "2014-10-01")] == [
        "year", "month", "day"]


@pytest.mark.parametrize(("text", "why"), [
    ("2014-13", "'2014-13' is not a date: month 13 is not 1 to 12"),
    ("2014-02-30", "'2014-02-30' is not a date: day 30 is not 1 to 28 in 2014-02"),
    ("21-02", "'21-02' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("2014-1", "'2014-1' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("0000", "'0000' is not a date: year 0 is not 1 to 9999"),
])
def test_a_bad_date_is_refused_in_one_line(text: str, why: str) -> None:
    with pytest.raises(ValueError) as err:
        PartialDate.parse(text)
    assert str(err.value) == why


def test_values_that_are_no_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate(2014, None, 3)
    with pytest.raises(ValueError, match="got a date-time"):
        read_date(datetime.datetime(2014, 10, 1, 12))
    with pytest.raises(ValueError, match="got bool"):
        read_date(True)
    with pytest.raises(TypeError):
        PartialDate.of(datetime.datetime(2014, 10, 1))


def test_a_day_given_as_a_python_date_is_kept_as_a_day() -> None:
    evaluation = kk.Evaluation("kk-se@2.0", kk.Municipality("X"), datetime.date(2011, 5, 30))
    assert evaluation.date == PartialDate(2011, 5, 30)
    assert evaluation.date.isoformat() == "2011-05-30"


@pytest.mark.parametrize(("written", "read"), [
    ('"2014-10"', "2014-10"), ('"2014"', "2014"), ("2014", "2014"),
    ("2014-10-31", "2014-10-31")])
def test_toml_dates_are_read_at_their_precision(written: str, read: str) -> None:
    text = (f'ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n'
            f"[evaluation]\ndate = {written}\n")
    assert str(kk.parse_evaluation(text, "e.toml").date) == read
    as_json = json.dumps({"ruleset": "kk-se@2.0", "municipality": {"name": "X"},
                          "evaluation": {"date": read}})
    assert str(kk.parse_evaluation(as_json, "e.json").date) == read


def test_the_examples_are_dated_as_their_sources_state() -> None:
    assert str(kk.load_evaluation(GRASTORP).date) == "2014-10"
    assert str(kk.load_evaluation(ROOT / "examples" / "vallentuna-2021.toml").date) == "2021-02"


def test_a_score_card_keeps_the_precision_and_a_day_is_written_as_before(registry) -> None:  # type: ignore[no-untyped-def]
    for path, text in ((GRASTORP, '"date": "2014-10"'), (UV, '"date": "2011-05-30"')):
        evaluation = kk.load_evaluation(path)
        card = registry.score(evaluation, registry.ruleset(evaluation.ruleset))
        data = kk.unstructure(card)
        assert text in json.dumps(data, ensure_ascii=False)
        assert kk.structure(data, kk.ScoreCard) == card
        assert kk.structure(kk.unstructure(evaluation), kk.Evaluation) == evaluation


def test_dates_print_at_their_precision_in_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(GRASTORP)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Grästorp (1444, SE), 2014-10"
    assert main(["report", str(GRASTORP), "--format", "md", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "2014-10" in out and "2014-10-01" not in out
    db = str(tmp_path / "d.db")
    assert main(["db", "import", str(GRASTORP), str(UV), "--db", db]) == 0
    capsys.readouterr()
    assert main(["db", "list", "--db", db, "--format", "json"]) == 0
    dates = {e["municipality"]["name"]: e["date"] for e in json.loads(capsys.readouterr().out)
             if e["origin"] != "bundled"}
    assert dates["Grästorp"] == "2014-10" and dates["Upplands Väsby"] == "2011-05-30"
    assert main(["db", "history", "1444", "--db", db, "--format", "json"]) == 0
    history = json.loads(capsys.readouterr().out)["evaluations"]
    assert [e["date"] for e in history] == ["2014-10"]  # the bundled row is counted once


def test_stored_dates_of_mixed_precision_keep_their_order_and_precision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "m.db"
    for n, when in enumerate(('"2016"', '"2016-10"', "2016-10-05", '"2016-02"')):
        path = tmp_path / f"g{n}.toml"
        path.write_text(GRASTORP.read_text("utf-8").replace('"2014-10"', when), "utf-8")
        assert main(["db", "import", str(path), "--db", str(db)]) == 0
    capsys.readouterr()
    with kk.Store.open(db) as store:
        stored = [s for s in store.find("1444") if s.origin != "bundled"]
    assert sorted(str(s.date) for s in stored) == ["2016", "2016-02", "2016-10", "2016-10-05"]
    assert max(stored, key=lambda s: (s.date, s.seq)).date == PartialDate(2016, 10, 5)


@given(st.integers(1, 9999))
def test_a_year_is_a_date_of_that_year(year: int) -> None:
    assert read_date(year) == PartialDate(year) and PartialDate(year).isoformat() == f"{year:04d}"


def test_previous_by_code_takes_only_an_evaluation_surely_ended_before_this_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], registry) -> None:  # type: ignore[no-untyped-def]
    """A stored ``2011`` may be after 2011-05-30; a stored ``2010-06`` is surely before it."""
    def stored(points: int, when: PartialDate) -> kk.Record:
        ev = kk.Evaluation("kk-se@2.0", kk.Municipality("Upplands Väsby", "0114", "SE"), when,
                           points={str(i): points for i in range(1, 9)})
        return kk.make_record(ev, registry.score(ev), "test")

    db = tmp_path / "p.db"
    with kk.Store.open(db, registry, seed=False) as store:
        store.add([stored(45, PartialDate(2010, 6)), stored(47, PartialDate(2011))])
    assert main(["report", str(UV), "--format", "md", "--lang", "en", "--db", str(db),
                 "--previous", "0114"]) == 0
    assert "| 1 | Openness and democracy | 68 | 100 | 45 |" in capsys.readouterr().out
    with kk.Store.open(db, registry) as store:
        store.remove(next(s.id for s in store.entries() if str(s.date) == "2010-06"))
    assert main(["report", str(UV), "--db", str(db), "--previous", "0114"]) == 2
    assert "stored evaluation dated before 2011-05-30" in capsys.readouterr().err


def test_history_dates_each_result_at_its_precision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A stored evaluation is dated as its file dates it (2014-10); a published row by its year."""
    db = str(tmp_path / "h.db")
    assert main(["db", "import", str(GRASTORP), "--db", db]) == 0
    capsys.readouterr()
    assert main(["db", "history", "Grästorp", "--db", db]) == 0
    summary = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert summary[0].split()[0] == "Date"
    assert summary[1].split()[:2] == ["2014-10", "kk-se@2.0"]
