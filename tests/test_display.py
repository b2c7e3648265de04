"""One display rule for every output (docs/formats.md, Numbers): halves shown as halves,
the same figures in `score`, `db list`, `db export` and `report`, a note where rounded
parts miss their whole, and decimals in CSV cells wherever the value has one."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import Rounding, Score, exact_text
from kompass_core.cli.main import main
from kompass_core.model.points import ROUNDING_MODES

HALVES = ["63.5", "63.5", "73.5", "61.5", "63.5", "51.5", "58.5", "66"]  # total 501.5
QUARTERS = ["63.25", "63.25", "63.25", "63.25", "60", "60", "60", "60"]  # total 493
ROUNDED_NOTE = "Rounded: the area figures shown under the total add up to"


def _evaluation(tmp_path: Path, name: str, points: list[str]) -> str:
    text = ('ruleset = "kk-se@2.0"\n\n[municipality]\nname = "Halvby"\ncode = "9999"\n'
            'country = "SE"\n\n[evaluation]\ndate = 2020-01-01\n\n')
    text += "".join(f"[areas.{i}]\npoints = {p}\n" for i, p in enumerate(points, 1))
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize(("value", "places", "shown"), [
    (Fraction(19, 2), 0, "9.5"), (Fraction(1003, 2), 0, "501.5"), (64, 0, "64"),
    (Fraction(-1, 2), 0, "-0.5"), (Fraction(37, 4), 0, "9"), (Fraction(1, 3), 0, "0"),
    (64, 1, "64.0"), (Fraction(19, 2), 1, "9.5"), (Fraction(37, 4), 1, "9.3"),
    (Fraction(37, 4), 2, "9.25"), (Fraction(19, 2), 2, "9.50"), (Fraction(2, 3), 2, "0.67"),
])
def test_a_value_is_shown_exactly_when_its_decimals_are_few(value: Fraction | int, places: int,
                                                            shown: str) -> None:
    rounding = Rounding(places)
    assert rounding.show(value) == shown
    assert rounding.show(value, comma=True) == shown.replace(".", ",")
    assert Fraction(shown) == rounding.shown(value)


def test_an_interval_shows_by_the_same_rule() -> None:
    assert Score(Fraction(425, 2), Fraction(1357, 2), 800).show() == "212.5-678.5"
    assert Score(Fraction(19, 2), Fraction(19, 2), 10).show(comma=True) == "9,5"


def test_data_text_is_a_decimal_where_finite_else_a_fraction() -> None:
    assert exact_text(Fraction(1003, 2)) == "501.5"
    assert exact_text(Fraction(253, 4)) == "63.25"
    assert exact_text(Fraction(1003, 3)) == "1003/3"
    assert exact_text(Fraction(1, 2)) == "0.5" and exact_text(Fraction(-1, 2)) == "-0.5"


def test_a_half_point_evaluation_shows_the_same_figures_everywhere(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    half = _evaluation(tmp_path, "half", HALVES)
    db = str(tmp_path / "results.db")
    table = _run(capsys, "score", half)
    assert " 63.5  100" in table and " 501.5  800" in table and "Rounded:" not in table
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "score", half, "--format", "csv"))))
    assert {r["key"]: r["low"] for r in rows}["total"] == "501.5"
    assert {r["key"]: r["low"] for r in rows}["1"] == "63.5"
    _run(capsys, "db", "import", half, "--db", db)
    listing = _run(capsys, "db", "list", "--db", db)
    assert "501.5" in next(line for line in listing.splitlines() if "Halvby" in line)
    listed = _run(capsys, "db", "list", "--db", db, "--format", "csv")
    assert ",501.5," in next(line for line in listed.splitlines() if "Halvby" in line)
    exported = _run(capsys, "db", "export", "--db", db)
    line = next(line for line in exported.splitlines() if "Halvby" in line)
    assert ",63.5,63.5,73.5,61.5,63.5,51.5,58.5,66,501.5," in line and "/" not in line
    report = _run(capsys, "report", half, "--format", "md", "--lang", "en", "--db", db)
    assert "501.5" in report and "| 63.5 |" in report and "502" not in report
    swedish = _run(capsys, "report", half, "--format", "md", "--lang", "sv", "--db", db)
    assert "501,5" in swedish and "| 63,5 |" in swedish and "501.5" not in swedish


def test_the_note_appears_exactly_when_rounding_breaks_the_sum(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    quarters = _run(capsys, "score", _evaluation(tmp_path, "quarter", QUARTERS))
    assert " 63  100" in quarters and " 493  800" in quarters
    assert f"{ROUNDED_NOTE} 492, not 493" in quarters
    for name, points in [("half", HALVES), ("whole", ["60"] * 8),
                         ("even", ["63.25", "63.75", *["60"] * 6])]:  # 63 + 64 = 127: adds up
        assert ROUNDED_NOTE not in _run(capsys, "score", _evaluation(tmp_path, name, points))


@pytest.mark.parametrize(("lang", "note"), [("en", "Rounded: the areas shown add up to 492"),
                                            ("sv", "Avrundat: områdena som visas summerar "
                                                   "till 492, inte 493")])
def test_the_report_notes_rounded_parts_only_when_they_miss_the_whole(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, note: str) -> None:
    db = str(tmp_path / "results.db")
    quarters = _evaluation(tmp_path, "quarter", QUARTERS)
    assert note in _run(capsys, "report", quarters, "--format", "md", "--lang", lang, "--db", db)
    half = _evaluation(tmp_path, "half", HALVES)
    report = _run(capsys, "report", half, "--format", "md", "--lang", lang, "--db", db)
    assert note.split(":")[0] + ":" not in report


@given(st.integers(-10**6, 10**6), st.integers(0, 3), st.sampled_from(ROUNDING_MODES),
       st.booleans())
def test_whole_points_show_as_the_general_rule_shows_them(
        value: int, places: int, mode: str, comma: bool) -> None:
    """The shortcut for whole points (most of every card) writes what the rule writes."""
    rule = Rounding(places, mode)  # type: ignore[arg-type]
    assert rule.show(value, comma) == rule.show(Fraction(value), comma)  # a Fraction: no shortcut
