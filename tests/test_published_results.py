"""The published results bundled with kompass (issue 13): what each row rests on.

Every row says whether its rule set is stated by the source or inferred, and
that shows where the row is used (the report's reference note, ``db list``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_core.cli.main import main
from kompass_core.formats.results import BASES, bundled_rows, read_rows
from kompass_core.model.errors import InputError
from kompass_core.model.evaluation import Municipality
from kompass_core.model.refs import RuleSetRef
from kompass_core.registry.registry import Registry
from kompass_core.report.notes import Notes, reference_note
from kompass_core.report.reference import reference_for
from kompass_core.report.text import strings

HEADER = "ruleset,kind,country,municipality,year,a1,a2,a3,a4,a5,a6,a7,a8,total,source_url,notes"
ROW = "kk-se@2.0,evaluation,SE,Ort,2012,,,,,,,,,400,https://example.org,"


def test_the_basis_column_is_optional_and_read_into_the_row() -> None:
    assert read_rows(f"{HEADER}\n{ROW}\n", "r.csv")[0].basis == ""
    text = f"{HEADER},ruleset_basis\n{ROW},inferred\n{ROW},stated\n{ROW},\n"
    assert [r.basis for r in read_rows(text, "r.csv")] == ["inferred", "stated", ""]
    with pytest.raises(InputError) as err:
        read_rows(f"{HEADER},ruleset_basis\n{ROW},guessed\n", "r.csv")
    problem = err.value.problems[0]
    assert (problem.line, problem.keys) == (2, ("ruleset_basis",))
    assert "'guessed' is not one of: stated, inferred" in problem.message


def test_every_bundled_row_with_a_rule_set_says_whether_it_is_stated_or_inferred() -> None:
    rows = bundled_rows()
    for row in rows:
        assert (row.basis in BASES) == (row.ruleset is not None), row
    inferred = {(r.municipality, r.year) for r in rows if r.basis == "inferred"}
    # the rows the audit found inferred from the year (issue 13, item 7)
    assert {("Örebro", 2012), ("Ängelholm", 2013), ("Vallentuna", 2017), ("Vallentuna", 2019),
            ("Helsingborg", 2017)} <= inferred
    assert all((r.municipality, r.year) in inferred for r in rows
               if r.country == "NO" and r.ruleset is not None)
    assert ("Upplands Väsby", 2011) not in inferred  # its report names Kommunkompassen 2.0


def test_the_reference_note_names_the_rows_whose_rule_set_is_inferred(registry: Registry
                                                                      ) -> None:
    reference = reference_for(registry.ruleset(RuleSetRef("kk-se", "2.0")), bundled_rows())
    assert reference is not None
    assert reference.describe(strings("en")).startswith(
        "mean of 3 published evaluation(s): Grästorp 2014, Örebro 2012, Upplands Väsby 2011; "
        "the rule sets of Grästorp 2014, Örebro 2012 are inferred")
    stated = reference_for(registry.ruleset(RuleSetRef("kk-se", "2020")), bundled_rows())
    assert stated is not None and "inferred" not in stated.describe(strings("en"))
    assert reference.inferred == ("Grästorp 2014", "Örebro 2012")


def test_db_list_marks_the_bundled_rows_whose_rule_set_is_inferred(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["db", "list", "--db", str(tmp_path / "r.db")]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[1] + " " + line.split()[3]: line for line in out.splitlines()[1:]
             if len(line.split()) > 3 and line.split()[3].isdigit()}
    assert "kk-se@2.0 (inferred)" in lines["Örebro 2012"]
    assert "(inferred)" not in lines["Vallentuna 2021"]
    assert out.splitlines()[-1].startswith("(inferred): the published source does not state")
    assert main(["db", "list", "--db", str(tmp_path / "r.db"), "--format", "csv"]) == 0
    assert "(inferred)" not in capsys.readouterr().out  # the CSV keeps the plain rule set


def test_every_bundled_source_is_an_address_or_a_citation_of_a_published_report() -> None:
    """No row cites a file kompass does not ship (issue 13, item 9)."""
    for row in bundled_rows():
        assert row.source.startswith(("https://", "http://", "SKL ")), row
    (vasby,) = (r for r in bundled_rows() if r.municipality == "Upplands Väsby")
    assert vasby.source.startswith('SKL (Sveriges Kommuner och Landsting) 2011: '
                                   '"KommunKompassen - Analys av Upplands Väsby 2011"')
    assert "p. 4 (Tabell 1)" in vasby.source


def test_the_reference_note_shows_an_address_in_angle_brackets_and_a_citation_in_square(
        registry: Registry) -> None:
    reference = reference_for(registry.ruleset(RuleSetRef("kk-se", "2.0")), bundled_rows(),
                              Municipality("Grästorp", None, "SE"), 2014)
    assert reference is not None
    notes = Notes()
    reference_note(notes, reference, strings("en"))
    ((_, text),) = notes.numbered()
    assert " <https://blogg.orebro.se/" in text
    assert ' [SKL (Sveriges Kommuner och Landsting) 2011: "KommunKompassen - Analys av ' \
           'Upplands Väsby 2011"' in text


# --- every bundled row reproduces its published figures ------------------------------

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "domain" / "published-results.csv"
"""The domain research's file the bundled rows are copied from (beside the clone in CI)."""
ALIASES = {"AVERAGE (Sverigesnitt as quoted by Vallentuna)": "Sweden (average)",
           "AVERAGE (national, as stated in 2017)": "Sweden (average)"}
"""The research file's names for published averages, as the bundled file names them."""


def test_every_bundled_row_with_area_values_adds_up_to_its_total_or_says_why_not() -> None:
    for row in bundled_rows():
        areas = [a for a in row.areas if a is not None]
        if not areas:
            continue
        if row.total is None:  # an average quoted without a total says so
            assert row.kind == "average", row
        elif len(areas) < len(row.areas):  # only some areas published
            assert sum(areas) < row.total, row
        else:
            assert sum(areas) == row.total, row


def _figures(cells: dict[str, str]) -> tuple[str, ...]:
    return tuple(cells[c].strip() for c in (*(f"a{i}" for i in range(1, 9)), "total"))


def test_every_bundled_row_has_the_figures_of_the_domain_research() -> None:
    if not SHARED.is_file():
        pytest.skip(f"the domain research's file is not beside the clone ({SHARED})")
    import csv

    with SHARED.open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    path = Path(__file__).resolve().parents[1] / "kompass_core" / "data" / "published-results.csv"
    with path.open(encoding="utf-8", newline="") as f:
        bundled = list(csv.DictReader(f))
    matched: set[int] = set()
    for row in bundled:
        same = [i for i, s in enumerate(source)
                if (s["country"], ALIASES.get(s["municipality"], s["municipality"]), s["year"])
                == (row["country"], row["municipality"], row["year"])
                and (s["municipality"] in ALIASES) == (row["kind"] == "average")]
        assert same, f"{row['municipality']} {row['year']}: not in the domain research"
        for i in same:
            assert _figures(source[i]) == _figures(row), (row["municipality"], row["year"])
        matched.update(same)
        inferred = any("inferred" in source[i]["version"] for i in same)
        if inferred:
            assert row["ruleset_basis"] == "inferred", (row["municipality"], row["year"])
        if row["kind"] == "derived":
            assert all("DERIVED" in source[i]["notes"] for i in same)
            assert row["notes"].startswith("DERIVED")
    assert matched == set(range(len(source))), "rows of the domain research not bundled"


def test_the_rows_added_from_section_10_of_the_research_notes() -> None:
    """Strängnäs, Karlskoga, Nacka and a national mean (issue 13, item 10)."""
    path = Path(__file__).resolve().parents[1] / "kompass_core" / "data" / "published-results.csv"
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        notes = {(r["municipality"], r["year"], r["kind"]): r["notes"] for r in csv.DictReader(f)}
    rows = {(r.municipality, r.year, r.kind): r for r in bundled_rows()}
    expected = {("Strängnäs", 2014, "evaluation"): 437, ("Strängnäs", 2017, "evaluation"): 497,
                ("Sweden (average)", 2017, "average"): 476,
                ("Karlskoga", 2014, "evaluation"): 450, ("Karlskoga", 2010, "derived"): 384,
                ("Nacka", 2011, "evaluation"): 644}
    for key, total in expected.items():
        row = rows[key]
        assert (row.total, row.basis, row.areas) == (total, "inferred", (None,) * 8), key
        assert "'" in notes[(key[0], str(key[1]), key[2])], key  # the quote it rests on
    assert sum(1 for r in bundled_rows() if (r.municipality, r.year) == ("Höganäs", 2020)) == 1
    assert "topp tre-placering" in notes[("Höganäs", "2020", "evaluation")]
