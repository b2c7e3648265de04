"""Limits of the results CSV and of exact numbers (issue 12): bad input is one line, exit 2.

Time is bounded by refusing what is too big before working on it, never by
asserting a wall time.
"""

from __future__ import annotations

import json
import types
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from kompass_core import (
    Evaluation,
    Municipality,
    Origin,
    Registry,
    RuleSet,
    build_report,
    hookimpl,
    parse_ruleset,
    reference_for,
    reference_gap,
    render_markdown,
    structure,
)
from kompass_core.cli.main import main
from kompass_core.engine.whatif import parse_change
from kompass_core.formats.results import COLUMNS, read_rows
from kompass_core.model.errors import InputError
from kompass_core.model.points import FRACTION_DIGITS, from_text, to_text
from kompass_core.report.text import strings
from kompass_core.store import records_from_csv

HEADER = ",".join(COLUMNS)
UV = str(Path(__file__).resolve().parent.parent / "examples" / "upplands-vasby-2011.toml")


def _row(*areas: str, total: str = "", year: str = "2014", name: str = "X") -> str:
    cells = [*areas, *[""] * (8 - len(areas))]
    return f"kk-se@2.0,evaluation,SE,{name},{year},{','.join(cells)},{total},,"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, [line for line in err.splitlines()
                       if not line.startswith("kompass: created the results store")]


def _refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> str:
    """The one error line ``db import`` gives for a results CSV; nothing is stored."""
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    code, out, err = _run(capsys, "db", "import", str(path), "--db", str(db))
    assert (code, out, len(err)) == (2, "", 1), (code, out, err)
    assert not db.exists() or "r.csv" not in json.dumps(
        _run(capsys, "db", "list", "--format", "json", "--db", str(db))[1])
    return err[0].replace(str(path), "r.csv")


# Case 7: the digit limit applies to a fraction's numerator and denominator.

def test_fraction_text_is_bounded_in_numerator_and_denominator() -> None:
    assert from_text("1/" + "9" * FRACTION_DIGITS) == Fraction(1, 10**FRACTION_DIGITS - 1)
    assert from_text("-" + "9" * FRACTION_DIGITS + "/2") == Fraction(-(10**FRACTION_DIGITS - 1), 2)
    for text in ("1/" + "9" * (FRACTION_DIGITS + 1), "9" * (FRACTION_DIGITS + 1) + "/7",
                 f"1/{10**4000 + 7}", "1_0/3", "1/ 3", "1/+3", "1/2/3"):
        with pytest.raises(ValueError):
            from_text(text)


def test_every_decimal_within_the_limit_reads_back_from_its_fraction() -> None:
    smallest, largest = Decimal("1e-30"), Decimal("9" * 30 + "." + "9" * 30)
    for value in (smallest, largest):
        assert from_text(to_text(from_text(str(value)))) == from_text(str(value))


def test_results_csv_with_huge_denominators_is_refused_per_cell(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = [_row(f"1/{10**4000 + k}", *["1"] * 7) for k in range(900)]
    with pytest.raises(InputError) as info:
        read_rows("\n".join([HEADER, *rows]) + "\n", "r.csv")
    problems = info.value.problems
    assert len(problems) == 900
    assert (problems[0].line, problems[0].keys) == (2, ("a1",))
    assert problems[0].message.startswith("'1/1000000000")
    assert problems[0].message.endswith(f"{FRACTION_DIGITS} in a fraction's numerator and "
                                        "denominator)")


def test_store_export_and_what_if_apply_the_limit() -> None:
    with pytest.raises(Exception, match=r"invalid value .* @ \$\.points\['1'\]"):
        structure({"ruleset": "kk-se@2.0", "municipality": {"name": "X"},
                   "points": {"1": f"1/{10**4000 + 1}"}}, Evaluation)
    with pytest.raises(InputError, match="has more than 30 digits"):
        parse_change("4.3=1" + "0" * 40)


def test_average_of_many_unlike_fractions_is_written_exactly_as_json(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 100 denominators of 60 digits: the exact average passes str's 4300-digit guard
    denominators = [10**59 + k for k in range(1, 1000) if all((10**59 + k) % p for p in
                                                               (2, 3, 5, 7, 11, 13))][:100]
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER, *(_row(f"1/{d}", *["1"] * 7, name=f"M{i}")
                                          for i, d in enumerate(denominators))]) + "\n",
                    encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert _run(capsys, "db", "import", str(path), "--db", db)[0] == 0
    code, out, err = _run(capsys, "db", "average", "kk-se@2.0", "--format", "json", "--db", db)
    assert (code, err) == (0, [])
    average = json.loads(out)["columns"][1]["average"]
    assert average.count("/") == 1 and len(average) > 4300
    assert to_text(Fraction(1, 3**10000)) == "1/" + str(Decimal(3**10000))


# Case 8: a cell longer than the csv module's limit.

def test_overlong_cell_is_one_line_naming_file_and_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = f"{HEADER}\n{_row(*['1'] * 8)}\n" + _row(*["1"] * 8)[:-1] + '"' + "x" * 140_000 + '"\n'
    assert _refused(capsys, tmp_path, text) == (
        "kompass: error: r.csv:3: the row that begins here has a cell of more than 131072 "
        "characters (is a quote not closed?)")


# Case 12: an unbalanced quote would swallow every later row.

@pytest.mark.parametrize("after", ["", '"x"', "plain"])
def test_unclosed_quote_names_the_line_where_its_row_begins(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, after: str) -> None:
    rows = [_row(*["1"] * 8, name="A"), _row(*["1"] * 8, name="B") + '"oops',
            *(_row(*["1"] * 8, name=f"C{i}") + after for i in range(5))]
    assert _refused(capsys, tmp_path, "\n".join([HEADER, *rows]) + "\n") == (
        "kompass: error: r.csv:3: a quoted cell in the row that begins here is not closed "
        '(a quote in a quoted cell is doubled: "")')


def test_quoted_cells_spanning_lines_still_read() -> None:
    rows = read_rows(f'{HEADER}\n{_row(*["1"] * 8)}"two\nlines"\n{_row(*["2"] * 8)}\n', "r.csv")
    assert [(r.line, r.areas[0]) for r in rows] == [(3, 1), (4, 2)]


# Case 27: semicolons and decimal commas, as Nordic spreadsheet programs write.

def test_semicolon_file_with_decimal_commas_reads() -> None:
    text = (HEADER.replace(",", ";") + "\n"
            "kk-se@2.0;evaluation;SE;Umeå, kommun;2014;12,5;1;1;1;1;1;1;1;19,5;;a, b\n")
    [row] = read_rows(text, "r.csv")
    assert (row.municipality, row.areas[0], row.total) == ("Umeå, kommun", Fraction(25, 2),
                                                           Fraction(39, 2))


QUOTED = '"12,5"'


def test_comma_file_reads_a_quoted_decimal_comma(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f'{HEADER}\n{_row(QUOTED, *["50"] * 7, total=QUOTED.replace("12", "362"))}\n',
                    encoding="utf-8")
    [row] = read_rows(path.read_text(encoding="utf-8"), "r.csv")
    assert row.areas[0] == Fraction(25, 2)
    code, out, err = _run(capsys, "db", "import", str(path), "--db", str(tmp_path / "r.db"))
    assert (code, err) == (0, []) and "1 stored" in out


def test_semicolon_file_names_what_is_truly_missing() -> None:
    with pytest.raises(InputError, match=r"missing columns: notes$"):
        read_rows(HEADER.replace(",", ";").removesuffix(";notes") + "\n", "r.csv")


# Case 16: years beyond SQLite's integers, numbers beyond the digit limit.

def test_huge_year_in_a_results_csv_is_a_problem(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    year = "9" * 20
    text = f"{HEADER}\n{_row(*['1'] * 8, year=year)}\n"
    assert _refused(capsys, tmp_path, text) == (
        f"kompass: error: r.csv:2: year: '{year}' is not a year")


def test_huge_year_argument_is_one_line(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    for year in ("9" * 20, "-1"):
        code, out, err = _run(capsys, "db", "average", "kk-se@2.0", "--year", year,
                              "--db", str(tmp_path / "r.db"))
        assert (code, out, err) == (2, "", [f"kompass: error: --year: {year} is not a year "
                                            "(0 to 9999)"])


def test_what_if_beyond_the_digit_limit_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "explain", UV, "--what-if", "4.3=1" + "0" * 40)
    assert (code, out) == (2, "")
    assert err == [f"kompass: error: invalid what-if '4.3=1{'0' * 35}': 1{'0' * 40} has more "
                   "than 30 digits before or after its decimal point"]


# Case 29: the columns follow the rule set's areas; a missing reference is explained.

def _ruleset(areas: int) -> RuleSet:
    return parse_ruleset(
        f'id = "kk-xx"\nversion = "{areas}"\norganisation = "Test"\ncountry = "SE"\n'
        'title = { sv = "Test" }\n' + "".join(
            f'[areas.{k}]\nmax = 10\nlabel = {{ sv = "Område {k}" }}\n'
            for k in range(1, areas + 1)), f"kk-xx-{areas}.toml")


def test_six_area_results_csv_needs_only_its_six_area_columns() -> None:
    six = _ruleset(6)
    registry = Registry(entry_points=False)
    registry.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda: [six])), "xx")
    text = ("ruleset,kind,country,municipality,year,a1,a2,a3,a4,a5,a6,total,source_url,notes\n"
            "kk-xx@6,evaluation,SE,Sexby,2020,1,2,3,4,5,6,21,,\n"
            "kk-xx@6,evaluation,SE,Femby,2021,2,2,2,2,2,2,,,\n")
    records, skipped = records_from_csv(text, "r.csv", registry, "r.csv")
    assert (len(records), skipped) == (2, 0)
    assert records[0].evaluation.points == {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6,
                                            "total": 21}
    reference = reference_for(six, read_rows(text, "r.csv"))
    assert reference is not None and reference.areas["1"] == Fraction(3, 2)
    assert reference.count == 2


@pytest.mark.parametrize(("areas", "why"), [
    (6, "there is no average and no other stored evaluation(s) of kk-xx@6 with a score for "
        "each of its 6 areas in the results store r.db"),
    (9, "kk-xx@9 has area(s) 9, but a results CSV holds areas 1 to 8 only (columns a1 to a8)")])
def test_report_says_why_it_has_no_reference(areas: int, why: str) -> None:
    ruleset = _ruleset(areas)
    assert reference_for(ruleset, []) is None
    gap = reference_gap(ruleset, Origin("store", "r.db"))
    assert gap.describe(strings("en")) == why
    evaluation = Evaluation(ruleset.ref, Municipality("Sexby"), points={"1": 5})
    registry = Registry(entry_points=False)
    registry.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda: [ruleset])), "xx")
    report = build_report(registry.score(evaluation), ruleset, evaluation, "sv", gap)
    assert not report.has_reference
    markdown = render_markdown(report)
    assert "none, as" not in markdown  # the note is Swedish, all of it
    assert f"Referens: ingen, eftersom {gap.describe(strings('sv'))}." in markdown


def test_cli_report_notes_why_there_is_no_reference(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "e.toml"
    path.write_text('ruleset = "kk-dk-krevi@2009"\n[municipality]\nname = "X"\n',
                    encoding="utf-8")
    code, out, err = _run(capsys, "report", str(path), "--format", "md",
                          "--db", str(tmp_path / "none.db"))
    assert (code, err) == (0, [])
    assert "Sammenligning: ingen, da der hverken er et gennemsnit" in out  # its own language
    code, out, err = _run(capsys, "report", str(path), "--format", "md", "--lang", "en",
                          "--db", str(tmp_path / "none.db"))
    assert ("Reference: none, as there is no average and no published evaluation(s) of "
            "kk-dk-krevi@2009 of any year (the evaluation has no date), other than X's own, "
            "with a score for each of its 8 areas in published results "
            "bundled with kompass.") in out


def test_huge_year_in_a_store_export_is_one_line(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    code, out, _ = _run(capsys, "db", "export", "--format", "json", "--db", db)
    export = json.loads(out)
    export["evaluations"] = export["evaluations"][:1]
    export["evaluations"][0]["year"] = 10**20
    path = tmp_path / "e.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    code, out, err = _run(capsys, "db", "import", str(path), "--db", str(tmp_path / "new.db"))
    assert (code, out, err) == (2, "", [f"kompass: error: {path}: evaluations.0.year: "
                                        f"{10**20} is not a year (0 to 9999)"])


@pytest.mark.parametrize(("name", "text"), [
    ("e.toml", 'ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n[areas.1]\npoints = 1{z}\n'),
    ("e.json", '{{"ruleset": "kk-se@2.0", "municipality": {{"name": "X"}}, '
               '"areas": {{"1": {{"points": 1{z}}}}}}}')])
def test_whole_numbers_of_toml_and_json_have_the_digit_limit(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text.format(z="0" * 4000), encoding="utf-8")
    code, out, err = _run(capsys, "validate", str(path))
    assert (code, out, len(err)) == (2, "", 1)
    assert err[0].endswith(f"areas.1.points: 1{'0' * 39}... has more than 30 digits")
    assert from_text("9" * 30) == 10**30 - 1
