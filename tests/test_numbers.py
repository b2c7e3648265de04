"""Numbers are exact, and absurd ones are refused at once, whatever file they come in."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import load_evaluation, score, structure, unstructure
from kompass_core.formats.results import COLUMNS, read_rows
from kompass_core.formats.xlsx_reading import read_evaluation
from kompass_core.formats.xlsx_template import write_template
from kompass_core.model.card import ScoreCard
from kompass_core.model.errors import InputError
from kompass_core.model.points import MAX_DIGITS, exact, from_number, from_text, plain, to_text
from tests.conftest import EXAMPLES, ROOT

HEAD = 'ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n'
CSV_HEAD = ",".join(COLUMNS) + "\n"
UV = str(EXAMPLES / "upplands-vasby-2011.toml")


def _export(points: str) -> str:
    return ('{"format": "kompass.store/1", "evaluations": [{"origin": "x", "kind": "evaluation", '
            '"evaluation": {"ruleset": "kk-se@2.0", "municipality": {"name": "X"}, '
            f'"points": {{"1": {points}}}}}}}]}}')


# (id, file name, content, command before the path, what the one line of error holds).
# Without the bound each of these takes minutes: 10**100000000 or a gcd of million-digit
# numbers. The messages' wording for evaluation files is fields.number's.
HUGE = [
    ("toml-exponent", "e.toml", HEAD + "[areas.1]\npoints = 1e100000000\n", ["score"],
     "{f}:5: areas.1.points: 1E+100000000 has more than 30 digits before or after its "
     "decimal point"),
    ("toml-million-places", "e.toml", HEAD + "[areas.1]\npoints = 1." + "0" * 10**6 + "1\n",
     ["score"], "{f}:5: areas.1.points: 1.000"),
    ("json-tiny-exponent", "e.json",
     '{"ruleset": "kk-se@2.0", "municipality": {"name": "X"}, '
     '"areas": {"1": {"points": 1e-100000000}}}', ["score"],
     "{f}: areas.1.points: 1E-100000000 has more than 30 digits before or after its decimal "
     "point"),
    ("csv-exponent", "r.csv", CSV_HEAD + "kk-se@2.0,evaluation,SE,X,2014,1e100000000"
     + ",1" * 8 + ",,\n", ["report", UV, "-o", "{d}/r.html", "--reference"],
     "{f}:2: a1: '1e100000000' is not a number of points"),
    ("store-export-text", "x.json", _export('"1e100000000"'), ["db", "import", "--db", "{d}/r.db"],
     "{f}: evaluations.0.evaluation: invalid value for type, expected int | fractions.Fraction "
     "@ $.points['1']"),
    ("store-export-number", "x.json", _export("1e100000000"),
     ["db", "import", "--db", "{d}/r.db"],
     "{f}: evaluations.0.evaluation: invalid value for type, expected int | fractions.Fraction "
     "@ $.points['1']"),
]


@pytest.mark.parametrize(("name", "content", "command", "expected"),
                         [pytest.param(*c[1:], id=c[0]) for c in HUGE])
def test_an_absurd_number_is_refused_at_once_in_one_line(
        tmp_path: Path, name: str, content: str, command: list[str], expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    argv = [a.format(d=tmp_path) for a in command] + [str(path)]
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", *argv], capture_output=True,
                          text=True, check=False, timeout=30)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("kompass: error: " + expected.format(f=path)), proc.stderr


def test_a_workbook_cell_beyond_the_bound_says_so(tmp_path: Path, kk_se) -> None:  # type: ignore[no-untyped-def]
    """Numeric cells hold floats, text cells decimals: both bounded like TOML numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(write_template(kk_se)))
    wb["Evaluation"]["B3"] = "X"
    sheet = wb.worksheets[1]
    sheet["D2"], sheet["D3"], sheet["D4"] = 1e300, "0," + "0" * 30 + "1", "1" * 400
    path = tmp_path / "e.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_evaluation(path.read_bytes(), "e.xlsx")
    where = f"e.xlsx: areas.1{{}}.points: sheet '{sheet.title}' cell D{{}}: "
    assert [str(p) for p in info.value.problems] == [
        where.format("", 2) + f"1e+300 has more than {MAX_DIGITS} digits before or after "
                              "its decimal point",
        where.format(".subareas.1.1", 3) + f"1E-31 has more than {MAX_DIGITS} digits before or "
                                           "after its decimal point",
        where.format(".subareas.1.2", 4) + "1" * 400 + f" has more than "
        f"{MAX_DIGITS} digits before or after its decimal point"]


# --- the laws ------------------------------------------------------------------------------

@given(st.integers(0, 10**6), st.one_of(st.integers(-40, 40), st.integers(-10**9, 10**9)))
def test_a_decimal_is_points_exactly_when_its_digits_fit(coefficient: int, exponent: int
                                                         ) -> None:
    """``N e E`` has ``len(N) + E`` digits before its point and ``-E`` after: both at most
    MAX_DIGITS, or refused; when accepted, the value is exact, from a number or its text."""
    number = Decimal(f"{coefficient}E{exponent}")
    fits = len(str(coefficient)) + exponent <= MAX_DIGITS and -exponent <= MAX_DIGITS
    got = from_number(number)
    assert (got is not None) == fits
    if fits:
        assert got == Fraction(coefficient) * Fraction(10) ** exponent
        assert from_text(str(number)) == got
    else:
        with pytest.raises(ValueError):
            from_text(str(number))


_points = st.builds(lambda n, a, b: Fraction(n, 2**a * 5**b), st.integers(0, 10**12),
                    st.integers(0, 20), st.integers(0, 10)) | st.fractions(min_value=0,
                                                                          max_denominator=10**6)


@given(_points)
def test_a_results_cell_reads_back_exactly(value: Fraction) -> None:
    """Whatever exact text kompass writes for points, a results CSV reads back as those points."""
    for text in {plain(exact(value)), to_text(exact(value))}:
        rows = read_rows(CSV_HEAD + f"kk-se@2.0,evaluation,SE,X,2014,{text}" + ",1" * 8 + ",,\n",
                         "r.csv")
        assert rows[0].areas[0] == value


def test_results_cells_are_never_rounded_through_a_float() -> None:
    rows = read_rows(CSV_HEAD + "kk-se@2.0,evaluation,SE,X,2014,12.50000000000000001,"
                     "12345678901234567890.5,25/2,1,1,1,1,1,,,\n", "r.csv")
    assert rows[0].areas[:3] == (Fraction("12.50000000000000001"),
                                 Fraction("12345678901234567890.5"), Fraction(25, 2))


# --- score cards -----------------------------------------------------------------------------

def test_a_card_without_migration_reads_back_as_not_migrated() -> None:
    card = score(load_evaluation(UV))
    data = unstructure(card)
    del data["migration"]
    assert structure(data, ScoreCard) == card


def test_the_documented_card_reads_back() -> None:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text.split("## The JSON score card", 1)[1]
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.S)[1])  # type: ignore[index]
    card = structure(example, ScoreCard)
    assert (card.total.low, card.path, card.uncalibrated) == (499, (), ())
    del example["migration"]
    assert structure(example, ScoreCard) == card
