"""Rankings with their uncertainty: exact rank bounds, sampled figures, and their laws."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from kompass_core import Evaluation, Municipality, Registry, rank_bounds
from kompass_core.ranking.bounds import competition_ranks, nominal_ranks
from kompass_core.ranking.robust import RankContest, robust
from kompass_core.ranking.sensitivity import with_sensitivity
from tests.conftest import ROOT
from tests.test_history_and_rank import AREAS, KK2020, run, stored_db

EXAMPLES = ROOT / "examples"


# a municipality: each area's (low, high) integer points out of 4
cells = st.tuples(st.integers(0, 4), st.integers(0, 2)).map(lambda t: (t[0], t[0] + t[1]))
municipalities = st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=4)


def totals(areas: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    return [(sum(lo for lo, _ in m), sum(hi for _, hi in m)) for m in areas]


@settings(max_examples=200)
@given(municipalities)
def test_exact_bounds_equal_brute_force_over_every_completion(
        areas: list[list[tuple[int, int]]]) -> None:
    """Every integer completion of every open area, ranked: the extremes are the bounds."""
    choices = [range(lo, hi + 1) for m in areas for lo, hi in m]
    seen: list[set[int]] = [set() for _ in areas]
    for points in itertools.product(*choices):
        ts = [points[2 * i] + points[2 * i + 1] for i in range(len(areas))]
        for i, r in enumerate(competition_ranks(ts)):
            seen[i].add(r)
    assert rank_bounds(totals(areas)) == [(min(s), max(s)) for s in seen]


@given(municipalities)
def test_the_nominal_rank_lies_within_its_bounds(areas: list[list[tuple[int, int]]]) -> None:
    ts = totals(areas)
    for (best, worst), nominal in zip(rank_bounds(ts), nominal_ranks(ts), strict=True):
        assert best <= nominal <= worst


@given(municipalities, st.integers(0, 3), st.integers(0, 3), st.data())
def test_raising_a_municipalitys_points_never_worsens_its_bounds(
        areas: list[list[tuple[int, int]]], up_low: int, up_high: int, data: st.DataObject
        ) -> None:
    ts = totals(areas)
    i = data.draw(st.integers(0, len(ts) - 1))
    low, high = ts[i]
    raised = list(ts)
    raised[i] = (low + up_low, max(high + up_high, low + up_low))
    before, after = rank_bounds(ts)[i], rank_bounds(raised)[i]
    assert after[0] <= before[0] and after[1] <= before[1]


def contest(areas: list[list[tuple[int, int]]]) -> RankContest:
    return RankContest.build([f"m{i}" for i in range(len(areas))], ["1", "2"],
                         [[lo for lo, _ in m] for m in areas],
                         [[hi for _, hi in m] for m in areas], [4, 4],
                         [[Fraction(1, 2), Fraction(1, 2)]])


@settings(max_examples=30, deadline=None)
@given(municipalities, st.integers(0, 2**32 - 1))
def test_the_same_seed_gives_the_same_figures(areas: list[list[tuple[int, int]]],
                                              seed: int) -> None:
    c = contest(areas)
    assert robust(c, 300, seed, 20.0, top=1) == robust(c, 300, seed, 20.0, top=1)


@settings(max_examples=30, deadline=None)
@given(municipalities)
def test_without_uncertainty_every_interval_is_a_point(
        areas: list[list[tuple[int, int]]]) -> None:
    """Complete evaluations under the rule set's own weights: one rank each, ties shared."""
    complete = [[(lo, lo) for lo, _ in m] for m in areas]
    for f in robust(contest(complete), 50, 1, math.inf, top=2).figures:
        assert f.best == f.worst == f.p5 == f.median == f.p95 == f.nominal
        assert f.shift == 0 and f.top == (1.0 if f.nominal <= 2 else 0.0)


@settings(max_examples=30, deadline=None)
@given(municipalities)
def test_open_points_alone_keep_every_sampled_rank_within_the_bounds(
        areas: list[list[tuple[int, int]]]) -> None:
    for f in robust(contest(areas), 200, 3, math.inf).figures:
        assert f.best <= f.p5 <= f.median <= f.p95 <= f.worst


def test_sobol_indices_name_the_area_whose_weight_moves_the_ranks() -> None:
    """Two municipalities differ in area 1 only against a third: area 2 explains nothing."""
    c = RankContest.build(["a", "b", "c"], ["1", "2"], [[4, 2], [2, 2], [3, 2]],
                      [[4, 2], [2, 2], [3, 2]], [4, 4], [[Fraction(1, 2), Fraction(1, 2)]])
    ranking = with_sensitivity(robust(c, 1000, 5, 5.0), c)
    assert ranking.sobol_base is not None
    for f in ranking.figures:
        assert f.first is not None and f.total is not None
        assert f.total[1] >= 0 and all(abs(x) < 0.05 for x in (f.first[0], f.first[1]))


def test_three_hundred_municipalities_and_ten_thousand_samples_rank_quickly() -> None:
    import time

    import numpy as np

    rng = np.random.default_rng(0)
    lows = rng.integers(0, 90, size=(300, 8))
    highs = lows + np.where(np.arange(300)[:, None] < 30, rng.integers(0, 10, (300, 8)), 0)
    c = RankContest.build([str(i) for i in range(300)], [str(k) for k in range(1, 9)],
                      lows.tolist(), highs.tolist(), [100] * 8, [[Fraction(1, 8)] * 8])
    start = time.perf_counter()
    robust(c, 10_000, 0)
    assert time.perf_counter() - start < 10  # about 0.5 s here; generous for a busy CI


def test_db_rank_robust_gives_bounds_percentiles_and_sensitivity(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, registry: Registry) -> None:
    import datetime

    partial = Evaluation(KK2020, Municipality("Dby", None, "SE"), datetime.date(2021, 1, 1),
                         points=dict.fromkeys(AREAS[:6], 50))
    db = stored_db(tmp_path, registry, [
        Evaluation(KK2020, Municipality(name, None, "SE"), datetime.date(2021, 1, 1),
                   points={a: p + 5 * i for i, a in enumerate(AREAS)})
        for name, p in (("Aby", 60), ("Byn", 55), ("Cby", 40))] + [partial])
    code, out, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust",
                       "--samples", "2000", "--top", "1", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = {r["municipality"]: r for r in doc["ranking"]}
    assert (rows["Aby"]["rank"], rows["Aby"]["best"]) == (1, 1)
    assert rows["Dby"]["low"] == "300" and rows["Dby"]["high"] == "500"
    assert (rows["Dby"]["best"], rows["Dby"]["worst"]) == (3, 4)  # 620, 580 > 500 > 460
    assert set(rows["Aby"]["sobol"]["total"]) == set(AREAS)
    assert doc["samples"] == 2000 and doc["seed"] == 0 and doc["concentration"] == 100
    code, again, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust",
                         "--samples", "2000", "--top", "1", "--format", "json")
    assert again == out
    code, table, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust",
                         "--samples", "500", "--concentration", "inf")
    assert "Bounds" in table and "concentration" not in table and "own only" in table
    code, csv, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust",
                       "--samples", "500", "--format", "csv")
    assert csv.splitlines()[0].startswith("rank,id,municipality") and "total_8" in csv
    code, _, err = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust",
                       "--samples", "0")
    assert code != 0 and "--samples" in err and "Traceback" not in err


def test_the_command_line_starts_without_numpy() -> None:
    check = ("import sys; from kompass_core.cli.main import main; "
             "import kompass_core.cli.store_queries; "
             "assert 'numpy' not in sys.modules and 'SALib' not in sys.modules")
    subprocess.run([sys.executable, "-c", check], check=True)


def test_profiles_are_sampled_by_name_and_one_below_the_areas_is_refused(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, registry: Registry) -> None:
    import datetime

    db = stored_db(tmp_path, registry, [
        Evaluation(KK2020, Municipality(name, None, "SE"), datetime.date(2021, 1, 1),
                   points={a: top if a == "1" else rest for a in AREAS})
        for name, top, rest in (("Aby", 95, 55), ("Byn", 62, 62))])  # 480 and 496
    heavy = tmp_path / "heavy.toml"
    heavy.write_text('profile = "area-1"\nruleset = "kk-se@2020"\n[weighting]\n'
                     'name = "weighted"\nparams = { "1" = 8 }\n', encoding="utf-8")
    code, out, _ = run(capsys, "db", "rank", "kk-se@2020", "--db", db, "--robust", "--profile",
                       str(heavy), "--samples", "400", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["profiles"] == ["area-1"] and doc["concentration"] is None
    byn = next(r for r in doc["ranking"] if r["municipality"] == "Byn")
    assert (byn["rank"], byn["p5"], byn["p95"]) == (1, 1, 2)  # area 1 x8 puts Aby first
    assert byn["sobol"] is None
    below = tmp_path / "below.toml"  # kk-se@2.0 has sub-areas; the store keeps areas only
    below.write_text('profile = "below"\nruleset = "kk-se@2.0"\n[weighting]\n'
                     'name = "weighted"\nparams = { "1.1" = 8 }\n', encoding="utf-8")
    other = str(tmp_path / "other.db")
    assert run(capsys, "db", "import", str(EXAMPLES / "grastorp-2014.toml"), "--db", other)[0] == 0
    code, _, err = run(capsys, "db", "rank", "kk-se@2.0", "--db", other, "--robust",
                       "--profile", str(below))
    assert code == 2 and err.startswith(f"kompass: error: {below}: weighs criteria below")
