"""Spreadsheets for evaluators: the workbook template, filled by a person, scores like TOML."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kompass_core import load_evaluation, score
from kompass_core.cli.main import main
from kompass_core.formats.xlsx import MISSING
from kompass_core.formats.xlsx_template import write_template
from kompass_core.model.evaluation import NOTE_KINDS, Evaluation
from tests.conftest import EXAMPLES

UV = EXAMPLES / "upplands-vasby-2011.toml"
AREA3 = "3 Politisk styrning och kontrol"  # "... kontroll", cut to Excel's 31 characters


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The kk-se@2.0 workbook, written by the command line."""
    path = tmp_path / "t.xlsx"
    assert run(capsys, "template", "kk-se@2.0", "--format", "xlsx", "-o", str(path)) \
        == (0, "", "")
    return path


def rows_by_key(ws: Any) -> dict[str, int]:
    """The row of each criterion key on an area sheet."""
    return {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)
            if row[0].value and row[0].value[0].isdigit()}


def fill(path: Path, target: Path, evaluation: Evaluation | None = None,
         change: Callable[[Any], None] | None = None) -> Path:
    """Fill the workbook at ``path`` as a person would, save it as ``target``."""
    wb = openpyxl.load_workbook(path)
    if evaluation is not None:
        front = wb["Evaluation"]
        m = evaluation.municipality
        front["B3"], front["B4"], front["B5"] = m.name, m.code, m.country
        when = evaluation.date  # a day as a date cell, a month or a year as text
        front["B6"] = when and (when.first_day if when.precision == "day" else str(when))
        for column, name in enumerate(evaluation.evaluators, start=2):
            front.cell(7, column, name)
        for ws in wb.worksheets[1:-1]:
            keys = rows_by_key(ws)
            for key, row in keys.items():
                if key in evaluation.points:
                    ws.cell(row, 4, evaluation.points[key])
                if key in evaluation.comments:
                    ws.cell(row, 5, evaluation.comments[key])
                if key in evaluation.status:
                    ws.cell(row, 7, evaluation.status[key].value)
            notes = evaluation.notes.get(ws["A2"].value)
            for kind in NOTE_KINDS:
                rows = [r[0].row for r in ws.iter_rows() if r[0].value == kind]
                for row, text in zip(rows, getattr(notes, kind, ()), strict=False):
                    ws.cell(row, 2, text)
        fill_texts(wb["Texts"], evaluation)
    if change is not None:
        change(wb)
    wb.save(target)
    return target


def fill_texts(ws: Any, evaluation: Evaluation) -> None:
    """The Texts sheet filled from ``evaluation``, in the rows the template left."""
    rows: dict[str, list[int]] = {}
    for row in ws.iter_rows(min_row=2):
        rows.setdefault(row[0].value, []).append(row[0].row)
    c = evaluation.conduct
    values: dict[str, list[tuple[object, ...]]] = {
        "summary": [(evaluation.summary,)] if evaluation.summary else [],
        "first": [] if c.first is None else [("yes" if c.first else "no",)],
        "interviewed": [] if c.interviewed is None else [(c.interviewed,)],
        "group": [(g,) for g in c.groups], "document": [(d,) for d in c.documents],
        "fact": [(f.label, f.value, f.source, f.year) for f in evaluation.facts],
        "gold star": [(s.key, s.practice or None) for s in evaluation.stars]}
    for item, found in values.items():
        assert len(found) <= len(rows[item]), item
        for row, cells in zip(rows[item], found, strict=False):
            for column, value in enumerate(cells, start=2):
                ws.cell(row, column, value)


def test_round_trip_gives_the_card_of_the_toml_file(  # type: ignore[no-untyped-def]
        template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], registry) -> None:
    expected = load_evaluation(UV)
    assert [expected.points[str(a)] for a in range(1, 9)] == [68, 63, 84, 60, 69, 41, 51, 63]
    filled = fill(template, tmp_path / "upplands-vasby.xlsx", expected)
    # everything the TOML file holds fits in the sheet: points, notes, who and when
    assert load_evaluation(filled) == expected
    card = score(load_evaluation(filled), registry=registry)
    assert card == score(expected, registry=registry)
    assert card.total.low == card.total.high == 499
    assert [card[str(a)].low for a in range(1, 9)] == [68, 63, 84, 60, 69, 41, 51, 63]
    code, out, err = run(capsys, "score", str(filled), str(UV), "--format", "json")
    assert (code, err) == (0, "")
    from_sheet, from_toml = json.loads(out)
    assert from_sheet.pop("file") == str(filled)
    del from_toml["file"]
    assert from_sheet == from_toml
    assert run(capsys, "validate", str(filled))[1] == \
        f"{filled}: ok (kk-se@2.0, complete, total 499 of 800)\n"


def test_partial_subareas_with_decimals(template: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                        registry) -> None:
    def subareas(wb: Any) -> None:
        wb["Evaluation"]["B3"] = "Exempelby"
        wb["Evaluation"]["B4"] = " 0114 "
        wb["Evaluation"]["B7"], wb["Evaluation"]["D7"] = "Anna Ek, Bo Lund", "Cecilia Ås"
        ws = wb[AREA3]
        rows = rows_by_key(ws)
        ws.cell(rows["3.1"], 4, 12.5)
        ws.cell(rows["3.2"], 4, "17,5")  # typed as text with a decimal comma
        ws.cell(rows["3.3"], 4, 20)
        ws.cell(rows["3.3"], 5, "all documented")

    evaluation = load_evaluation(fill(template, tmp_path / "p.xlsx", change=subareas))
    assert evaluation.points == {"3.1": Fraction(25, 2), "3.2": Fraction(35, 2), "3.3": 20}
    assert type(evaluation.points["3.3"]) is int
    assert evaluation.comments == {"3.3": "all documented"}
    assert evaluation.municipality.country == "SE"  # prefilled from the rule set
    assert evaluation.municipality.code == "0114"
    assert evaluation.evaluators == ("Anna Ek", "Bo Lund", "Cecilia Ås")
    card = score(evaluation, registry=registry)
    assert (card["3"].low, card["3"].high) == (50, 90)
    assert (card.total.low, card.total.high) == (50, 790)
    assert not card.complete


def test_every_points_cell_is_validated_against_its_max(registry) -> None:  # type: ignore[no-untyped-def]
    ruleset = registry.ruleset("kk-se@2.0")
    wb = openpyxl.load_workbook(io.BytesIO(write_template(ruleset)))
    checked = 0
    for ws in wb.worksheets[1:]:
        rules = {}
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":  # the status column's drop-down
                assert dv.formula1 == '"not-applicable,withheld"' and dv.showErrorMessage
                assert str(dv.sqref).startswith("G2")
                continue
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "between", "0")
            assert dv.showErrorMessage and dv.error
            rules.update({str(cell): Fraction(dv.formula2) for cell in dv.sqref.ranges})
        for key, row in rows_by_key(ws).items():
            assert rules.pop(f"D{row}") == ruleset.criterion(key).max
            assert ws.cell(row, 3).value == ruleset.criterion(key).max
            checked += 1
        assert rules == {}  # no validation outside the points column
    assert checked == sum(1 for _ in ruleset.criteria())


@pytest.mark.parametrize("ref", ["kk-se@1.0", "kk-se@2.0", "kk-se@2015", "kk-se@2020",
                                 "kk-no@2.0", "kk-no@2020", "kk-dk@2.0", "kk-dk-krevi@2009"])
def test_every_area_has_a_sheet_with_its_criteria_and_assumptions(  # type: ignore[no-untyped-def]
        registry, ref: str) -> None:
    ruleset = registry.ruleset(ref)
    wb = openpyxl.load_workbook(io.BytesIO(write_template(ruleset)))
    titles = wb.sheetnames
    assert titles[0] == "Evaluation"
    assert wb["Evaluation"]["B1"].value == ref
    assert wb["Evaluation"]["B5"].value == ruleset.country
    assert len(titles) == 2 + len(ruleset.areas) and titles[-1] == "Texts"
    assert len({t.casefold() for t in titles}) == len(titles)
    assert all(len(t) <= 31 for t in titles)
    for area, ws in zip(ruleset.areas, wb.worksheets[1:-1], strict=True):
        assert ws.title.startswith(f"{area.key} ")
        assert [c.value for c in ws[1]] == ["key", "label", "max", "points", "comment",
                                            "assumed", "status"]
        assert ws["A2"].value == area.key
        rows = rows_by_key(ws)
        assert list(rows) == [c.key for c in area.walk()]
        for criterion in area.walk():
            mark = ws.cell(rows[criterion.key], 6).value
            assert mark == (", ".join(sorted(criterion.assumed)) or None)
        kinds = [r[0].value for r in ws.iter_rows(min_row=max(rows.values()) + 3)]
        assert kinds == [kind for kind in NOTE_KINDS for _ in range(10)]


def test_assumed_marks_are_there_for_evaluators(registry) -> None:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry.ruleset("kk-se@2.0"))))
    marks = [r[5].value for ws in wb.worksheets[1:-1] for r in ws.iter_rows(min_row=2)
             if r[5].value]
    assert marks == ["max"] * 38


def test_labels_in_another_language_and_same_bytes_every_time(  # type: ignore[no-untyped-def]
        registry) -> None:
    ruleset = registry.ruleset("kk-se@2.0")
    data = write_template(ruleset, "en")
    assert data == write_template(ruleset, "en")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.worksheets[6]["B2"].value == "The municipality as employer – personnel policy"
    assert wb.properties.created == wb.properties.modified == datetime.datetime(2000, 1, 1)


def test_a_workbook_comes_through_stdin(template: Path, tmp_path: Path) -> None:
    filled = fill(template, tmp_path / "f.xlsx", change=lambda wb: wb["Evaluation"].__setitem__(
        "B3", "Exempelby"))
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", "validate", "-"],
                          input=filled.read_bytes(), capture_output=True, check=False)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout.decode() == "<stdin>: ok (kk-se@2.0, partial, total 0-800 of 800)\n"


def _set(sheet: str, cell: str, value: object) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        wb[sheet][cell] = value
    return change


def _named(then: Callable[[Any], None]) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        wb["Evaluation"]["B3"] = "Exempelby"
        then(wb)
    return change


def _drop_evaluation(wb: Any) -> None:
    wb.remove(wb["Evaluation"])


POINTS = "areas.3.subareas.3.2.points"
BAD: list[tuple[str, Callable[[Any], None] | bytes, str]] = [
    ("text-in-points", _named(_set(AREA3, "D4", "abc")),
     f"{{f}}: {POINTS}: sheet '{AREA3}' cell D4: expected a number, got 'abc'"),
    ("boolean-points", _named(_set(AREA3, "D4", True)),
     f"{{f}}: {POINTS}: sheet '{AREA3}' cell D4: expected a number, got a boolean"),
    ("date-in-points", _named(_set(AREA3, "D4", datetime.datetime(2011, 5, 30))),
     f"{{f}}: {POINTS}: sheet '{AREA3}' cell D4: expected a number, got a date-time"),
    ("missing-name", _set("Evaluation", "B4", "0114"),
     "{f}: municipality.name: sheet 'Evaluation' cell B3: missing the municipality's name"),
    ("not-an-xlsx", b"ruleset = 'kk-se@2.0'\n", "{f}: is not a readable .xlsx workbook"),
    ("truncated-zip", b"PK\x03\x04garbage", "{f}: is not a readable .xlsx workbook"),
    ("no-evaluation-sheet", _drop_evaluation,
     "{f}: no sheet named 'Evaluation': not a kompass evaluation workbook "
     "(write one with: kompass template REF --format xlsx -o FILE)"),
    ("bad-ruleset-reference", _named(_set("Evaluation", "B1", "kk-se")),
     "{f}: ruleset: sheet 'Evaluation' cell B1: invalid rule-set reference 'kk-se': "
     "expected id@version, e.g. kk-se@2.0"),
    ("unknown-ruleset", _named(_set("Evaluation", "B1", "kk-se@9.9")),
     "{f}: ruleset: unknown rule set 'kk-se@9.9' (known: {known})"),
    ("code-as-number", _named(_set("Evaluation", "B4", 114)),
     "{f}: municipality.code: sheet 'Evaluation' cell B4: expected text, got the number 114 "
     "(format the cell as text to keep leading zeros)"),
    ("bad-date", _named(_set("Evaluation", "B6", "30 May 2011")),
     "{f}: evaluation.date: sheet 'Evaluation' cell B6: '30 May 2011' is not a date (YYYY, "
     "YYYY-MM or YYYY-MM-DD)"),
    ("no-such-month", _named(_set("Evaluation", "B6", "2011-13")),
     "{f}: evaluation.date: sheet 'Evaluation' cell B6: '2011-13' is not a date: month 13 is "
     "not 1 to 12"),
    ("date-time", _named(_set("Evaluation", "B6", datetime.datetime(2011, 5, 30, 10))),
     "{f}: evaluation.date: sheet 'Evaluation' cell B6: expected a date, got a date-time"),
    ("bad-country", _named(_set("Evaluation", "B5", "se")),
     "{f}: municipality.country: sheet 'Evaluation' cell B5: 'se' is not an ISO 3166 "
     "country code such as SE"),
    ("typo-in-note-kind", _named(_set(AREA3, "A11", "strenghts")),
     f"{{f}}: sheet '{AREA3}' cell A11: expected one of strengths, improvements, weaknesses, "
     "references, got 'strenghts'"),
    ("formula-without-value", _named(_set(AREA3, "D4", "=10+2")),
     f"{{f}}: {POINTS}: sheet '{AREA3}' cell D4: a formula without a saved value (open and "
     "save the workbook in a spreadsheet program, which calculates it, or type the value)"),
    ("too-wide", _named(_set(AREA3, "XFD4", "x")),
     f"{{f}}: sheet '{AREA3}' is 16384 columns wide: a kompass workbook uses at most 64 "
     "(A to BL); delete the cells to the right"),
    ("huge-whole-number", _named(_set(AREA3, "D4", 10 ** 31)),
     f"{{f}}: {POINTS}: sheet '{AREA3}' cell D4: 1e+31 has more than 30 digits before or "
     "after its decimal point"),
    # range checks are scoring's, as for TOML (here past Excel's own validation)
    ("points-above-max", _named(_set(AREA3, "D4", 24)),
     "{f}: areas.3.subareas.3.2: 24 points exceeds max 20"),
]


def _known() -> str:
    from kompass_core import default_registry

    return ", ".join(str(r.ref) for r in default_registry().rulesets())


@pytest.mark.parametrize(("change", "expected"), [pytest.param(c[1], c[2], id=c[0]) for c in BAD])
def test_bad_workbook_is_refused_in_one_line(template: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             change: Callable[[Any], None] | bytes,
                                             expected: str) -> None:
    path = tmp_path / "bad.xlsx"
    if isinstance(change, bytes):
        path.write_bytes(change)
    else:
        fill(template, path, change=change)
    for command in (["validate"], ["score"], ["score", "--format", "json"]):
        code, out, err = run(capsys, *command, str(path))
        assert code == 2, command
        assert out.strip() in ("", "[]"), command
        assert err.splitlines() == ["kompass: error: " + expected.format(f=path, known=_known())]


def test_workbook_needs_a_file_not_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "template", "kk-se@2.0", "--format", "xlsx")
    assert (code, out) == (2, "")
    assert err == ("kompass: error: a workbook is binary, not for a terminal: write it to a "
                   "file with -o FILE, e.g. -o evaluation.xlsx\n")


def test_missing_openpyxl_says_how_to_install_it(template: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now fails
    target = tmp_path / "new.xlsx"
    code, out, err = run(capsys, "template", "kk-se@2.0", "--format", "xlsx", "-o", str(target))
    assert (code, out, err) == (2, "", f"kompass: error: {MISSING}\n")
    assert not target.exists()
    code, out, err = run(capsys, "score", str(template))
    assert (code, out, err) == (2, "", f"kompass: error: {template}: {MISSING}\n")
    assert MISSING == ("reading or writing .xlsx needs the xlsx extra: "
                       "pip install 'kommunkompass[xlsx]'")


def test_scoring_a_toml_file_never_imports_openpyxl() -> None:
    code = ("import sys; from kompass_core.cli.main import main; "
            f"code = main(['score', {str(UV)!r}]); "
            "assert 'openpyxl' not in sys.modules, 'openpyxl was imported'; sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert (proc.returncode, proc.stderr) == (0, "")


def _halves(top: str) -> str:
    """A one-area rule set whose area (max 75) has sub-areas of max 75/2 written as ``top``."""
    return f'''
id = "kk-half"
version = "1"
organisation = "Test"
country = "SE"
title = {{ en = "Halves" }}
[sources.s]
title = "A source"
[areas.1]
max = 75
label = {{ en = "One" }}
sources = ["s"]
[areas.1.subareas."1.1"]
max = {top}
label = {{ en = "First half" }}
sources = ["s"]
[areas.1.subareas."1.2"]
max = {top}
label = {{ en = "Second half" }}
sources = ["s"]
'''


def _with_ruleset(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """The command line's registry also serves the rule set in ``text``."""
    import types

    import kompass_core
    import kompass_core.registry.default as registry_module
    from kompass_core import Registry, hookimpl, parse_ruleset

    ruleset = parse_ruleset(text)

    def configure(*, disabled: object = (), strict: bool = False) -> None:
        reg = Registry(strict=strict)
        reg.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda: [ruleset])), "t")
        monkeypatch.setattr(registry_module, "_default", reg)

    monkeypatch.setattr(kompass_core, "configure_default", configure)


def test_fractional_maxima_are_written_as_exact_decimals(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """75/2 is the decimal 37.5: the workbook holds it, and a filled copy scores exactly."""
    _with_ruleset(monkeypatch, _halves("37.5"))
    path = tmp_path / "h.xlsx"
    assert run(capsys, "template", "kk-half@1", "--format", "xlsx", "-o", str(path)) \
        == (0, "", "")
    wb = openpyxl.load_workbook(path)
    area = wb.worksheets[1]
    assert [area[f"C{n}"].value for n in (2, 3, 4)] == [75, 37.5, 37.5]
    area["D3"], area["D4"] = "12,5", 37.5
    wb["Evaluation"]["B3"] = "Exempelby"
    wb.save(path)
    code, out, err = run(capsys, "score", str(path), "--format", "json")
    assert (code, err) == (0, "")
    total = json.loads(out)[0]["scores"][0]
    assert (total["key"], total["low"], total["high"], total["max"]) == ("total", "50", "50", "75")


def test_a_max_without_an_exact_decimal_is_refused_in_one_line() -> None:
    """Rule-set files give decimals; a rule set built in code may hold 200/3, which no
    cell holds exactly: refused, naming the criterion, instead of an internal error."""
    import attrs

    from kompass_core import InputError, parse_ruleset

    ruleset = parse_ruleset(_halves("37.5"))
    third = attrs.evolve(ruleset.areas[0], max=Fraction(200, 3), children=tuple(
        attrs.evolve(c, max=Fraction(100, 3)) for c in ruleset.areas[0].children))
    with pytest.raises(InputError) as err:
        write_template(attrs.evolve(ruleset, areas=(third,)))
    assert str(err.value) == ("kk-half@1: areas.1.max: max 200/3 has no exact decimal, "
                              "so a workbook cannot hold it: use --format toml")


def test_rulesets_show_gives_fractional_maxima_as_decimals(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _with_ruleset(monkeypatch, _halves("37.5"))
    code, out, _ = run(capsys, "rulesets", "show", "kk-half@1")
    assert code == 0
    assert "(max 37.5)" in out and "75/2" not in out


def _saved_value(path: Path, value: str) -> None:
    """Give every formula in the workbook at ``path`` the saved ``value``, as Excel would."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data.replace(b"<v />", f"<v>{value}</v>".encode()))


def test_a_formula_counts_by_its_saved_value(template: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = fill(template, tmp_path / "f.xlsx", change=_named(_set(AREA3, "D4", "=10+2")))
    _saved_value(path, "12")
    code, out, err = run(capsys, "score", str(path), "--format", "json")
    assert (code, err) == (0, "")
    assert {s["key"]: s["low"] for s in json.loads(out)[0]["scores"]}["3.2"] == "12"


def _far_cells(wb: Any) -> None:
    wb["Evaluation"]["B3"] = "Exempelby"
    ws = wb.create_sheet("far")
    for n in range(1, 20001):
        ws.cell(n, 16384, 1)  # column XFD, Excel's last


def test_cells_far_to_the_right_cost_no_memory(template: Path, tmp_path: Path) -> None:
    """One cell in column XFD per row once made each row 16,384 cells (2.6 GB for this 0.1 MB
    file). Without a stored size to refuse it by, only columns A to BL are read: the check
    runs under a 300 MB address-space limit."""
    import re
    import zipfile

    path = fill(template, tmp_path / "far.xlsx", change=_far_cells)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():  # no stored size: openpyxl must find the width
            archive.writestr(part, re.sub(rb"<dimension [^>]*/>", b"", data))
    assert path.stat().st_size < 200_000
    code = ("import resource, sys; "
            "resource.setrlimit(resource.RLIMIT_AS, (300 << 20, 300 << 20)); "
            "from kompass_core.cli.main import main; "
            f"sys.exit(main(['validate', {str(path)!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == f"{path}: ok (kk-se@2.0, partial, total 0-800 of 800)\n"


def test_a_label_with_a_control_character_is_refused_in_one_line() -> None:
    """XML cannot hold ESC: refused with the label's key path, not an internal error."""
    from kompass_core import InputError, parse_ruleset

    ruleset = parse_ruleset(_halves("37.5").replace("First half", "First\\u001bhalf"))
    with pytest.raises(InputError) as err:
        write_template(ruleset)
    assert str(err.value) == ("kk-half@1: areas.1.subareas.1.1.label.en: the label holds the "
                              "control character '\\x1b', which a workbook cannot hold: use "
                              "--format toml")


@pytest.mark.parametrize(("cell", "read"), [
    ("2014-10", "2014-10"), ("2014", "2014"), (2014, "2014"), (2014.0, "2014"),
    (datetime.datetime(2014, 10, 31), "2014-10-31"), (datetime.date(2014, 10, 31), "2014-10-31")])
def test_the_date_cell_is_read_at_the_precision_typed(template: Path, tmp_path: Path,
                                                      cell: object, read: str) -> None:
    filled = fill(template, tmp_path / "d.xlsx", change=_named(_set("Evaluation", "B6", cell)))
    assert str(load_evaluation(filled).date) == read


def test_the_templates_date_cell_is_text_so_a_month_stays_a_month(template: Path) -> None:
    assert openpyxl.load_workbook(template)["Evaluation"]["B6"].number_format == "@"
