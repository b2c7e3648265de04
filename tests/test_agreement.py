"""Evaluator teams: the laws of agreement and consensus, alpha against the krippendorff
package and Krippendorff's published examples, and the team checks (docs/teams.md)."""

from __future__ import annotations

import datetime
import math
from fractions import Fraction
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import kompass_core as kk
from kompass_core.analysis.alpha import compute, resampled, value_counts
from kompass_core.analysis.team import team_of

ROOT = Path(__file__).resolve().parent.parent
TEAM = [str(ROOT / "examples" / "team" / f"provby-{name}.toml")
        for name in ("anna", "britt", "carl")]
RULESET = kk.default_registry().ruleset("kk-se@2.0")
SUBAREAS = [c for c in RULESET.criteria() if c.level is kk.Level.SUBAREA][:12]
NAMES = ("Anna", "Britt", "Carl", "Dina", "Erik")


def _evaluation(name: str, points: dict[str, int]) -> kk.Evaluation:
    return kk.Evaluation("kk-se@2.0", kk.Municipality("Provby", country="SE"),
                         datetime.date(2026, 11, 20),
                         (name,), points)


def _nan(matrix: list[list[int | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else float(v) for v in row] for row in matrix])


scores = st.lists(st.integers(0, 10), min_size=len(SUBAREAS), max_size=len(SUBAREAS))


@st.composite
def teams(draw: st.DrawFn) -> list[dict[str, int]]:
    """Two to four evaluators' points on the first sub-areas (some left open)."""
    size = draw(st.integers(2, 4))
    out = []
    for _ in range(size):
        values = draw(scores)
        keep = draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
        out.append({c.key: v for c, v, k in zip(SUBAREAS, values, keep, strict=True) if k})
    return out


# --- alpha: the package's, on Krippendorff's examples and random matrices ------------------

KRIPPENDORFF_2011 = [  # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", p. 8
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PACKAGE_DOCS = [  # the krippendorff package's docstring example, with missing values
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]


@pytest.mark.parametrize(("matrix", "metric", "expected"), [
    (KRIPPENDORFF_2011, "ordinal", 0.815),  # the published value (ordinal metric)
    (PACKAGE_DOCS, "interval", 0.810845),
])
def test_alpha_passes_missing_values_and_the_metric_through(matrix, metric, expected) -> None:
    alpha = compute(matrix, metric, bootstrap=0)
    assert alpha.value is not None
    assert round(alpha.value, len(str(expected)) - 2) == expected
    # every item with two or more values counts; single values pair with nothing
    pairable = sum(n for n in (sum(v is not None for v in col) for col in zip(*matrix,
                                                                            strict=True))
                   if n >= 2)
    assert alpha.pairable == pairable


def test_ordinal_and_interval_differ_where_ranks_and_distances_do() -> None:
    interval = compute(KRIPPENDORFF_2011, "interval", bootstrap=0).value
    ordinal = compute(KRIPPENDORFF_2011, "ordinal", bootstrap=0).value
    assert interval is not None and ordinal is not None and abs(interval - ordinal) > 0.001


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=6, max_size=6),
                min_size=2, max_size=5),
       st.sampled_from(["interval", "ordinal"]))
def test_the_vectorised_resampling_equals_the_package(matrix, metric) -> None:
    """Each resample's alpha (weights = how often each item is drawn) equals the package's
    alpha of the items repeated so; at weight one it is the package's point estimate."""
    counts, domain = value_counts(matrix)
    if len(counts) == 0 or len(domain) < 2:
        return
    values = np.array(domain, dtype=float)
    weights = np.random.default_rng(0).integers(0, 3, size=(4, len(counts)))
    weights[0] = 1
    mine = resampled(counts, values, weights, metric)
    for row, got in zip(weights, mine, strict=True):
        repeated = np.repeat(counts, row, axis=0)
        if np.count_nonzero(repeated.sum(axis=0)) < 2:  # one value: no variation to tell
            assert not math.isfinite(got)
            continue
        theirs = krippendorff.alpha(value_counts=repeated, value_domain=values,
                                    level_of_measurement=metric)
        assert got == pytest.approx(theirs, abs=1e-9)


def test_alpha_undefined_is_said_not_raised() -> None:
    assert "1 evaluator" in compute([[1, 2, 3]]).undefined
    assert "no variation" in compute([[2, 2], [2, 2]]).undefined
    assert "two evaluators" in compute([[1, None], [None, 2]]).undefined


def test_the_bootstrap_is_reproducible_and_brackets_the_estimate() -> None:
    one, two = compute(PACKAGE_DOCS, bootstrap=300, seed=7), compute(PACKAGE_DOCS,
                                                                    bootstrap=300, seed=7)
    assert one == two and one.low is not None and one.high is not None
    assert one.low <= one.high and one.low <= one.value <= one.high  # type: ignore[operator]
    assert compute(PACKAGE_DOCS, bootstrap=300, seed=8).low != one.low


# --- the laws over random teams -----------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(scores.filter(lambda v: len(set(v)) > 1), st.integers(2, 4))
def test_alpha_is_one_when_all_agree_on_varying_items(values, size) -> None:
    points = {c.key: v for c, v in zip(SUBAREAS, values, strict=True)}
    team = team_of([(n, _evaluation(n, points)) for n in NAMES[:size]])
    agreed = kk.agreement(team, bootstrap=20)
    assert agreed.alpha.value == pytest.approx(1)
    assert agreed.agenda() == []


@settings(max_examples=25, deadline=None)
@given(teams(), st.randoms(use_true_random=False))
def test_alpha_does_not_depend_on_the_order_of_evaluators_or_items(members, rnd) -> None:
    named = [(n, _evaluation(n, p)) for n, p in zip(NAMES, members, strict=False)]
    shuffled = named[:]
    rnd.shuffle(shuffled)
    one = kk.agreement(team_of(named), bootstrap=0).alpha
    two = kk.agreement(team_of(shuffled), bootstrap=0).alpha
    assert (one.value is None) == (two.value is None)
    if one.value is not None:
        assert one.value == pytest.approx(two.value)
    matrix = [[p.get(c.key) for c in SUBAREAS] for p in members]
    columns = list(range(len(SUBAREAS)))
    rnd.shuffle(columns)
    moved = [[row[i] for i in columns] for row in matrix]
    a, b = compute(matrix, bootstrap=0).value, compute(moved, bootstrap=0).value
    assert (a is None and b is None) or a == pytest.approx(b)


@settings(max_examples=20, deadline=None)
@given(scores, st.integers(2, 3))
def test_the_consensus_of_identical_files_is_that_file(values, size) -> None:
    points = {c.key: v for c, v in zip(SUBAREAS, values, strict=True)}
    team = team_of([(n, _evaluation(n, points)) for n in NAMES[:size]])
    result = kk.evaluation_from_dict(kk.consensus_document(team, kk.agreement(team,
                                                                              bootstrap=0)))
    assert dict(result.points) == points
    assert result.consensus is not None and not result.consensus.decisions
    assert kk.score(result).lows == kk.score(_evaluation("x", points)).lows


@settings(max_examples=25, deadline=None)
@given(teams(), st.data())
def test_a_consensus_lies_within_the_evaluators_range_unless_a_reason_is_given(members, data):
    team = team_of([(n, _evaluation(n, p)) for n, p in zip(NAMES, members, strict=False)])
    document = kk.consensus_document(team, kk.agreement(team, bootstrap=0))
    for decision in document.get("decisions", {}).values():
        decision["points"] = data.draw(st.integers(0, 10))
        if data.draw(st.booleans()):
            decision["reason"] = "the interviews showed more"
    result = kk.evaluation_from_dict(document)
    assert result.consensus is not None
    flagged = {p.keys[1] for p in result.consensus.problems()}
    for key in result.points:
        given_ = [p[key] for p in members if key in p]
        decision = result.consensus.decisions.get(key)
        inside = min(given_) <= result.points[key] <= max(given_)
        assert inside or (decision is not None and (decision.reason or key in flagged))
        assert (key in flagged) == (not inside and decision is not None
                                    and not decision.reason)


# --- the team checks ----------------------------------------------------------------------

def _write(tmp_path: Path, name: str, evaluator: str, municipality: str = "Provby",
           points: int = 10) -> str:
    path = tmp_path / name
    path.write_text(f'ruleset = "kk-se@2.0"\n[municipality]\nname = "{municipality}"\n'
                    f'[evaluation]\ndate = 2026-11-20\nevaluators = ["{evaluator}"]\n'
                    f'[areas.1.subareas."1.1"]\npoints = {points}\n', "utf-8")
    return str(path)


def test_a_team_refuses_the_odd_file_and_a_repeated_evaluator(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.toml", "Anna")
    b = _write(tmp_path, "b.toml", "Britt")
    c = _write(tmp_path, "c.toml", "Carl", municipality="Annanby")
    with pytest.raises(kk.InputError) as err:
        kk.read_team([a, b, c])
    (problem,) = err.value.problems
    assert problem.file == c and "Annanby" in problem.message and "Provby" in problem.message
    with pytest.raises(kk.InputError, match="also scored"):
        kk.read_team([a, b, _write(tmp_path, "d.toml", "Anna")])


def test_a_member_names_exactly_one_evaluator(tmp_path: Path) -> None:
    with pytest.raises(kk.InputError, match="names 2 evaluators"):
        kk.read_team([_write(tmp_path, "a.toml", 'Anna", "Britt'),
                      _write(tmp_path, "b.toml", "Carl")])


def test_the_shipped_team_agrees_and_its_consensus_reads_back() -> None:
    team = kk.read_team(TEAM)
    agreed = kk.agreement(team, bootstrap=100)
    assert agreed.level is kk.Level.SUBAREA and len(team.members) == 3
    text = kk.consensus_toml(team, agreed)
    result = kk.parse_evaluation(text)
    assert result.consensus is not None
    assert result.consensus.files["Anna Berg"].startswith("sha256:")
    assert result.consensus.agreement is not None
    assert result.consensus.agreement.alpha == Fraction(str(round(agreed.alpha.value, 3)))
    assert set(result.consensus.decisions) == {i.key for i in agreed.agenda()}


def test_a_consensus_is_no_team_member_and_names_only_its_team() -> None:
    consensus = str(ROOT / "examples" / "team" / "provby-consensus.toml")
    with pytest.raises(kk.InputError, match="is a team's consensus"):
        kk.read_team([*TEAM, consensus])
    stranger = kk.Consensus(("Anna",), decisions={"1.1": kk.Decision({"Anna": 3, "Bo": 4}, 3)})
    (problem,) = stranger.problems()
    assert problem.path == "decisions.1.1" and "values of Bo, not of the team" in problem.message
    assert kk.Decision({}).problem() == "a decision lists the evaluators' values"
