"""``kompass report --robust``: the rank among stored evaluations, with its spread (issue 16)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import Standing
from kompass_core.cli.main import main
from kompass_core.report.text import strings
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
STORED = [str(EXAMPLES / f) for f in ("upplands-vasby-2011.toml", "grastorp-2014.toml",
                                      "orebro-2012.toml", "exempelby-partial.toml")]
GRASTORP = str(EXAMPLES / "grastorp-2014.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "r.db")
    assert run(capsys, "db", "import", *STORED, "--db", path)[0] == 0
    return path


def test_the_reports_rank_is_the_robust_rankings(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The same figures as `db rank --robust` for a municipality in the store."""
    code, out, _ = run(capsys, "db", "rank", "kk-se@2.0", "--robust", "--db", db,
                       "--samples", "2000", "--format", "json")
    assert code == 0
    mine = next(r for r in json.loads(out)["ranking"] if r["municipality"] == "Grästorp")
    code, report, _ = run(capsys, "report", GRASTORP, "--db", db, "--robust", "--samples",
                          "2000", "--format", "md", "--lang", "en")
    assert code == 0
    spread = str(mine["p5"]) if mine["p5"] == mine["p95"] else f"{mine['p5']}–{mine['p95']}"
    assert f"Rank: {mine['rank']} of 4; {spread} under plausible weights" in report
    bounds = str(mine["best"]) if mine["best"] == mine["worst"] else \
        f"{mine['best']}–{mine['worst']}"
    note = next(x for x in report.splitlines() if re.match(r"\d+\. Rank among 4 ", x))
    assert "kk-se@2.0, the newest of each municipality in the results store" in note
    assert f"rule set's own weights lies within {bounds}" in note and "2,000 draws" in note


def test_a_municipality_not_stored_is_ranked_among_the_stored_and_says_so_in_swedish(
        tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "nyby.toml"
    new.write_text(Path(GRASTORP).read_text("utf-8").replace('name = "Grästorp"',
                                                            'name = "Nyby"')
                   .replace('code = "1444"', 'code = "9999"'), "utf-8")
    code, report, _ = run(capsys, "report", str(new), "--db", db, "--robust", "--format", "md")
    assert code == 0
    assert re.search(r"Placering: \d of 5; ".replace(" of ", " av "), report)  # 4 stored + Nyby
    assert "Placering bland 5 utvärderingar" in report and "10 000 dragningar" in report
    for english in ("Rank", "plausible", "newest"):
        assert english not in report


def test_no_rank_without_robust_and_none_without_a_store(
        tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = run(capsys, "report", GRASTORP, "--db", db, "--format", "md")
    assert code == 0 and "Placering" not in report
    missing = tmp_path / "none.db"
    code, out, err = run(capsys, "report", GRASTORP, "--db", str(missing), "--robust")
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        f"kompass: error: --robust: ranks among the stored evaluations, and there is no "
        f"results store at {missing}: `kompass db import` them first"]
    assert not missing.exists()
    code, _, err = run(capsys, "report", GRASTORP, "--db", db, "--robust", "--samples", "0")
    assert code == 2 and "--samples: must be at least 1" in err


def test_a_peer_group_ranks_among_its_members_only(
        tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    groups = tmp_path / "g.csv"
    groups.write_text("code,group\n1444,Towns\n1880,Towns\n0114,Cities\n", "utf-8")
    assert run(capsys, "db", "groups", "import", str(groups), "--scheme", "t@1", "--source",
               "a test", "--db", db)[0] == 0
    code, report, _ = run(capsys, "report", GRASTORP, "--db", db, "--robust", "--group",
                          "Towns", "--format", "md", "--lang", "en")
    assert code == 0
    assert re.search(r"Rank: [12] of 2; ", report)
    assert "in the results store, peer group Towns (t@1))" in report


@given(st.integers(1, 30), st.integers(0, 30), st.integers(0, 30))
def test_the_words_show_a_spread_as_one_rank_when_it_is_one(rank: int, a: int, b: int) -> None:
    low, high = sorted((a, b))
    line, note = Standing(rank, 40, low, high, low, high, 10, 100.0, "kk-se@2.0").words(
        strings("en"))
    assert line == f"Rank: {rank} of 40; " + (str(low) if low == high else f"{low}–{high}") \
        + " under plausible weights"
    assert "concentration 100" in note and "{" not in note + line
    _, swedish = Standing(rank, 40, low, high, low, high, 12345, 2.5, "kk-se@2.0").words(
        strings("sv"), comma=True)
    assert "koncentration 2,5" in swedish and "12\u00a0345 dragningar" in swedish
