"""Scoring the shipped rule set: the golden example and the partial one."""

from __future__ import annotations

from fractions import Fraction

import pytest

from kompass_core import (
    Evaluation,
    InputError,
    Level,
    Municipality,
    Provenance,
    RuleSet,
    RuleSetRef,
    Score,
    load_evaluation,
    score,
)
from tests.conftest import EXAMPLES

UPPLANDS_VASBY = {"1": 68, "2": 63, "3": 84, "4": 60, "5": 69, "6": 41, "7": 51, "8": 63}


def test_golden_upplands_vasby_scores_499(registry) -> None:  # type: ignore[no-untyped-def]
    card = score(load_evaluation(EXAMPLES / "upplands-vasby-2011.toml"), registry=registry)
    assert card.total == Score(499, 499, 800)
    assert {e.key: e.score.low for e in card.entries(Level.AREA)} == UPPLANDS_VASBY
    assert all(e.provenance is Provenance.GIVEN for e in card.entries(Level.AREA))
    assert card.total.show(card.rounding) == "499"
    assert card.complete


def test_partial_example_gives_bounds_not_a_number(registry) -> None:  # type: ignore[no-untyped-def]
    card = score(load_evaluation(EXAMPLES / "exempelby-partial.toml"), registry=registry)
    assert not card.complete
    # areas 1-2 from sub-areas (2.3 gives 12.5), area 3 given, area 4 half done, 5-8 open
    assert card["1"] == Score(62, 62, 100)
    assert card["2"] == Score(Fraction(115, 2), Fraction(115, 2), 100)
    assert card["3"] == Score(71, 71, 100)
    assert card["4"] == Score(22, 88, 100)
    assert card.total == Score(62 + Fraction(115, 2) + 71 + 22, 62 + Fraction(115, 2) + 71
                               + 88 + 400, 800)
    assert card.entry("4").provenance is Provenance.PARTIAL
    assert card.entry("5").provenance is Provenance.UNSCORED
    assert card.entry("2").provenance is Provenance.COMPUTED


def _ev(points: dict) -> Evaluation:  # type: ignore[type-arg]
    return Evaluation(RuleSetRef("kk-se", "2.0"), Municipality("X"), points=points)


def test_area_given_with_agreeing_subareas(kk_se: RuleSet, registry) -> None:  # type: ignore[no-untyped-def]
    card = score(_ev({"3": 84, "3.1": 20, "3.2": 20}), kk_se, registry=registry)
    assert card["3"] == Score(84, 84, 100)
    assert card.entry("3").provenance is Provenance.GIVEN


@pytest.mark.parametrize(("points", "message"), [
    ({"3": 30, "3.1": 20, "3.2": 20, "3.3": 20}, "areas.3: 30 points disagrees with its "
                                                  "sub-areas (sum between 60 and 100)"),
    ({"3.2": 24}, "areas.3.subareas.3.2: 24 points exceeds max 20"),
    ({"3.2": -1}, "areas.3.subareas.3.2.points: -1 points is negative"),
    ({"9": 1}, "areas.9: no criterion '9' in kk-se@2.0"),
    ({"8.1": 1}, "areas.8.subareas.8.1: no criterion '8.1' in kk-se@2.0"),
])
def test_inconsistent_points_are_refused_with_key_path(
        kk_se: RuleSet, registry, points: dict, message: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    with pytest.raises(InputError) as info:
        score(_ev(points), kk_se, registry=registry)
    assert str(info.value) == message


def test_a_card_has_no_line_for_an_unknown_key(kk_se: RuleSet, registry) -> None:  # type: ignore[no-untyped-def]
    card = score(_ev({}), kk_se, registry=registry)
    for lookup in (card.__getitem__, card.entry):
        with pytest.raises(KeyError, match="'9'"):
            lookup("9")


def test_every_problem_is_reported_at_once(kk_se: RuleSet, registry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        score(_ev({"1.1": 99, "2.1": 99, "42": 1}), kk_se, registry=registry)
    assert len(info.value.problems) == 3


def test_wrong_ruleset_is_refused(kk_se: RuleSet, registry) -> None:  # type: ignore[no-untyped-def]
    ev = Evaluation(RuleSetRef("kk-no", "2.0"), Municipality("X"))
    with pytest.raises(InputError, match=r"evaluation uses kk-no@2\.0, not kk-se@2\.0"):
        score(ev, kk_se, registry=registry)


def test_unknown_weighting_names_the_known_ones(registry) -> None:  # type: ignore[no-untyped-def]
    known = r"\(known: sum, weighted, weighted-areas, weighted-subareas\)"
    with pytest.raises(InputError, match=r"unknown weighting 'nope' " + known):
        score(_ev({}), weighting="nope", registry=registry)


def test_shipped_ruleset_structure(kk_se: RuleSet) -> None:
    assert kk_se.max == 800
    assert [a.max for a in kk_se.areas] == [100] * 8
    assert [len(a.children) for a in kk_se.areas] == [4, 6, 5, 6, 6, 6, 5, 0]
    subareas = [c for c in kk_se.criteria() if c.level is Level.SUBAREA]
    assert all("max" in c.assumed for c in subareas), "sub-area maxima are not published"
    assert all(c.sources for c in kk_se.criteria())
    assert kk_se.title.translated == {"en"}
    assert all(c.labels.translated == {"en"} for c in kk_se.criteria())
    assert kk_se.criterion("6").labels.texts["sv"].startswith("Kommunen som arbetsgivare")
