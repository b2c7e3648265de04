"""The report's reference cohort: same rule set, on or before the evaluation, others only.

Issue 13, item 11: a result is compared with evaluations made up to then (the
seed, p. 5), never with later ones or the municipality's own; a published
average of the right time is used as published; ``--reference-years`` and
``--reference-names`` choose another cohort; the report says which, or why none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kompass_core.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
UV = str(EXAMPLES / "upplands-vasby-2011.toml")
GRASTORP = EXAMPLES / "grastorp-2014.toml"
HEADER = ("ruleset,kind,country,municipality,year,a1,a2,a3,a4,a5,a6,a7,a8,total,source_url,"
          "notes,ruleset_basis")


def reference_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", *args, "--format", "md", "--lang", "en"]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines()
             if re.match(r"\d+\. Reference: ", x)]  # the note, not the legend or the tables
    assert len(lines) == 1, lines
    return lines[0]


def test_upplands_vasby_2011_has_no_later_evaluation_and_says_why(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = reference_line(capsys, UV)
    assert "Grästorp" not in line and "Örebro" not in line  # 2014 and 2012: later
    assert ("Reference: none, as there is no average and no published evaluation(s) of "
            "kk-se@2.0 dated 2011 or earlier, other than Upplands Väsby's own, with a score "
            "for each of its 8 areas in published results bundled with kompass.") in line


def test_a_later_evaluation_is_compared_with_earlier_ones_only(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = reference_line(capsys, str(GRASTORP))
    assert ("mean of 2 published evaluation(s) of kk-se@2.0 dated 2014 or earlier, other "
            "than Grästorp's own: Örebro 2012, Upplands Väsby 2011;") in line


def test_the_store_leaves_out_the_municipalitys_own_earlier_result(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.db")
    assert main(["db", "import", str(GRASTORP), "--db", db]) == 0
    later = tmp_path / "grastorp-2016.toml"
    text = GRASTORP.read_text("utf-8").replace("date = 2014-10-01", "date = 2016-10-01")
    later.write_text(text, "utf-8")
    capsys.readouterr()
    line = reference_line(capsys, str(later), "--db", db)
    assert "stored evaluation(s) of kk-se@2.0 dated 2016 or earlier" in line
    assert "other than Grästorp's own" in line
    cohort = line.split(": ", 2)[2]
    assert "Grästorp" not in cohort.split(";")[0]
    assert "Örebro 2012" in cohort and "Upplands Väsby 2011" in cohort


def csv_file(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "ref.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
    return str(path)


def test_a_published_average_of_the_right_time_is_preferred(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = csv_file(
        tmp_path,
        "kk-se@2.0,evaluation,SE,Nacka,2010,70,70,70,70,70,70,70,70,560,,,stated",
        "kk-se@2.0,average,SE,Sweden (average),2010,50,50,50,50,50,50,50,50,400,,,stated",
        "kk-se@2.0,average,SE,Sweden (average),2013,60,60,60,60,60,60,60,60,480,,,stated")
    line = reference_line(capsys, UV, "--reference", source)
    assert ("Reference: published average (Sweden (average), 2010), the newest average of "
            "kk-se@2.0 dated 2011 or earlier, used as published rather than computed; "
            "from ref.csv.") in line
    assert main(["report", UV, "--reference", source, "--format", "md"]) == 0
    assert "| 50 |" in capsys.readouterr().out


def test_the_window_option_chooses_the_years(capsys: pytest.CaptureFixture[str]) -> None:
    line = reference_line(capsys, UV, "--reference-years", "2011-2014")
    assert ("mean of 2 published evaluation(s) of kk-se@2.0 dated 2011-2014, other than "
            "Upplands Väsby's own: Grästorp 2014, Örebro 2012;") in line
    line = reference_line(capsys, UV, "--reference-years", "2012")
    assert "mean of 1 published evaluation(s) of kk-se@2.0 dated 2012, other" in line
    line = reference_line(capsys, UV, "--reference-years", "2015-2016")
    assert "none, as there is no average and no published evaluation(s) of kk-se@2.0 " \
           "dated 2015-2016, other than Upplands Väsby's own," in line
    assert main(["report", UV, "--reference-years", "2014-2012"]) == 2
    assert "--reference-years '2014-2012'" in capsys.readouterr().err


def test_the_names_option_chooses_the_municipalities(
        capsys: pytest.CaptureFixture[str]) -> None:
    line = reference_line(capsys, UV, "--reference-years", "2011-2014",
                          "--reference-names", "örebro, Upplands Väsby")
    assert re.search(r"mean of 1 published evaluation\(s\) of kk-se@2\.0 of örebro, "
                     r"Upplands Väsby dated 2011-2014, other than Upplands Väsby's own: "
                     r"Örebro 2012;", line), line


def test_the_store_knows_the_municipality_by_its_code_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.db")
    renamed = tmp_path / "old-name.toml"  # code 1444 under another name, 2012
    renamed.write_text(GRASTORP.read_text("utf-8")
                       .replace('name = "Grästorp"', 'name = "Grästorps kommun"')
                       .replace("date = 2014-10-01", "date = 2012-10-01"), "utf-8")
    other = tmp_path / "other.toml"  # another code, 2013
    other.write_text(GRASTORP.read_text("utf-8")
                     .replace('name = "Grästorp"', 'name = "Annanby"')
                     .replace('code = "1444"', 'code = "9999"')
                     .replace("date = 2014-10-01", "date = 2013-10-01"), "utf-8")
    assert main(["db", "import", str(renamed), str(other), "--db", db]) == 0
    capsys.readouterr()
    line = reference_line(capsys, str(GRASTORP), "--db", db)
    assert "Annanby 2013" in line and "Grästorps kommun" not in line
