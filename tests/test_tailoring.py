"""Weighting models, profiles, side-by-side scoring and explain / what-if."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import InputError, Registry, RuleSet, load_evaluation, score
from kompass_core.cli.main import main
from kompass_core.engine.weighting import factors
from kompass_core.engine.whatif import Change, apply_changes, parse_change
from kompass_core.formats.profile import load_profile
from kompass_core.formats.reading import locate, read_text
from tests.conftest import EXAMPLES

UV = EXAMPLES / "upplands-vasby-2011.toml"
PROFILES = EXAMPLES / "profiles"


def test_profile_extends_and_excludes() -> None:
    base = load_profile(PROFILES / "democracy-first.toml")
    assert (base.weighting.name, dict(base.weighting.params)) == ("weighted", {"1": 2, "2": 2})
    child = load_profile(PROFILES / "without-area-8.toml")
    assert dict(child.weighting.params) == {"1": 2, "2": 2, "8": 0}
    assert [Path(f).name for f in child.chain] == ["without-area-8.toml",
                                                   "democracy-first.toml"]


def test_weighted_totals_stay_out_of_800(registry: Registry) -> None:
    ev = load_evaluation(UV)
    doubled = score(ev, weighting=load_profile(PROFILES / "democracy-first.toml").weighting,
                    registry=registry)
    # (2*68 + 2*63 + 84 + 60 + 69 + 41 + 51 + 63) / 1000 * 800
    assert (doubled.total.low, doubled.total.max) == (504, 800)
    assert doubled["1"].low == 68  # an area keeps its own points out of 100
    left_out = score(ev, weighting=load_profile(PROFILES / "without-area-8.toml").weighting,
                     registry=registry)
    assert left_out.total.low == 504  # (136 + 126 + 84 + 60 + 69 + 41 + 51) / 900 * 800


@pytest.mark.parametrize(("text", "message"), [
    ('profile = "p"\nruleset = "kk-se@2.0"\n[weighting]\nname = "weighted-areas"\n'
     'exclude = ["8"]\n', "leaving criteria out needs the 'weighted' model, not "
                         "'weighted-areas'"),
    ('profile = "p"\nruleset = "kk-se@2.0"\nextends = "p.toml"\n', "extends forms a cycle"),
    ('profile = "p"\nruleset = "kk-se@2.0"\n[weighting]\nparams = { "1" = -1 }\n',
     "p.toml:4: weighting.params.1: weight -1 is negative"),
    ('profile = "p"\nruleset = "kk-se@2.0"\n[weighting]\nweights = {}\n',
     "p.toml:4: weighting.weights: unknown key (expected one of: name, params, exclude)"),
    ('ruleset = "kk-se@2.0"\n', "p.toml: missing required key 'profile'"),
    ('profile = "p"\nruleset = "kk-se@2.0"\nextends = 5\n',
     "p.toml:3: extends: expected a string, got an integer"),
    ('profile = "p"\nruleset = "kk-se@2.0"\ndescription = ""\n',
     "p.toml:3: description: must not be empty"),
])
def test_bad_profiles(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert message in str(info.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(("key", "weight", "message"), [
    ("9", 1, "weight for unknown criterion '9'"),
    ("1", -1, "weight -1 is negative"),
])
def test_weight_problems_name_the_params_line(kk_se: RuleSet, tmp_path: Path, key: str,
                                              weight: int, message: str) -> None:
    # the key path the models' own checks use, so that the line can be found
    path = tmp_path / "p.toml"
    path.write_text(f'profile = "p"\nruleset = "kk-se@2.0"\n[weighting]\n'
                    f'params = {{ "{key}" = {weight} }}\n')
    text, name = read_text(path)
    with pytest.raises(InputError) as info:
        factors(kk_se, {key: weight})
    assert [str(p) for p in locate(info.value.problems, text, name)] == [
        f"{name}:4: weighting.params.{key}: {message}"]


def test_weighting_params_must_fit_the_model(registry: Registry,
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('profile = "p"\nruleset = "kk-se@2.0"\n[weighting]\n'
                    'name = "weighted-areas"\nparams = { "3.2" = 2 }\n')
    assert main(["score", str(UV), "--profile", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"kompass: error: {UV}: weighting.params.3.2: '3.2' is not an area of "
                   "kk-se@2.0\n")


def test_profile_for_another_ruleset_is_refused(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('profile = "no"\nruleset = "kk-no@2.0"\n')
    assert main(["score", str(UV), "--profile", str(path)]) == 2
    assert "profile 'no' tailors kk-no@2.0, not kk-se@2.0" in capsys.readouterr().err


def test_side_by_side_json_has_one_card_per_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(UV), "--weighting", "sum", "--profile",
                 str(PROFILES / "democracy-first.toml"), "--format", "json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["weighting"]["name"] for d in docs] == ["sum", "weighted"]
    assert [d["scores"][0]["low"] for d in docs] == ["499", "504"]


# --- what-if -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "change"), [
    ("3.2=+5", Change("3.2", 5, True)),
    ("3.2=-2.5", Change("3.2", -2.5, True)),  # type: ignore[arg-type]
    ("4=70", Change("4", 70, False)),
])
def test_parse_change(text: str, change: Change) -> None:
    parsed = parse_change(text)
    assert (parsed.key, parsed.amount, parsed.relative) == (change.key, change.amount,
                                                          change.relative)


@given(key=st.from_regex(r"[1-9](\.[1-9]){0,2}", fullmatch=True), sign=st.sampled_from("+-="),
       amount=st.decimals(min_value=0, max_value=1000, places=3))
def test_a_change_reads_back_from_its_own_text(key: str, sign: str, amount: Decimal) -> None:
    change = parse_change(f"{key}={'' if sign == '=' else sign}{amount}")
    assert parse_change(str(change)) == change


@pytest.mark.parametrize("text", ["3.2+5", "x=1", "3.2=", "3.2=five", "=5"])
def test_bad_change_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="expected KEY=\\+N, KEY=-N or KEY=N"):
        parse_change(text)


def test_relative_change_needs_given_points() -> None:
    ev = load_evaluation(UV)
    with pytest.raises(InputError, match=r"areas\.3\.subareas\.3\.2: has no points to change "
                                         r"by 3\.2=\+5; set it instead, e\.g\. 3\.2=5"):
        apply_changes(ev, [parse_change("3.2=+5")])
    with pytest.raises(InputError, match=r"by 3\.2=\+2\.5; set it instead, e\.g\. 3\.2=2\.5$"):
        apply_changes(ev, [parse_change("3.2=+2.5")])
    assert apply_changes(ev, [parse_change("3.2=2.5")]).points["3.2"] == Fraction(5, 2)
    assert apply_changes(ev, [parse_change("3=+5")]).points["3"] == 89


def test_explain_what_if_moves_area_and_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(UV), "--what-if", "3=+5", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    deltas = {d["key"]: (d["low"], d["high"]) for d in doc["what_if"]["deltas"]}
    assert deltas["3"] == ("5", "5") and deltas["total"] == ("5", "5")
    assert deltas["1"] == ("0", "0")
    factors = {row["key"]: row["factor"] for row in doc["breakdown"]}
    assert factors["3"] == "1"


def test_what_if_below_a_given_area_does_not_move_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(UV), "--what-if", "3.2=17"]) == 0
    out = capsys.readouterr().out
    what_if = out[out.index("What if"):]
    assert "3    Politisk styrning och kontroll" in what_if
    assert "given: changes below it do not move it" in what_if


def test_what_if_that_breaks_a_rule_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(UV), "--what-if", "3=+20"]) == 2
    assert capsys.readouterr().err == ("kompass: error: what-if 3=+20: areas.3: 104 points "
                                       "exceeds max 100\n")
