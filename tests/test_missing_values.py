"""Typed missing values: not-applicable items, withheld points and the coverage rule.

The laws of issue 15 over random rule sets and evaluations: not-applicable
never makes a score exceed its (rescaled) maximum; marking an item
not-applicable and then applicable again gives the original card; withheld
changes no number, only what is published; an area below the coverage
share is never shown as a number; a forbidden not-applicable is refused
with its key path. Plus the file formats, the card's JSON and the store.
"""

from __future__ import annotations

import json
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, strategies as st

from kompass_core import (
    Evaluation,
    InputError,
    MissingRule,
    Provenance,
    RuleSet,
    Status,
    load_evaluation,
    load_ruleset,
    parse_evaluation,
    score,
    scorecard_from_dict,
    structure,
    to_json,
    unstructure,
)
from kompass_core.cli.cards import published
from kompass_core.formats.serialize import canonical
from kompass_core.store.records import document_text
from kompass_core.testing.strategies import evaluation, scenarios

NA, WITHHELD = Status.NOT_APPLICABLE, Status.WITHHELD


@st.composite
def marked(draw: st.DrawFn, rule: str) -> tuple[RuleSet, Evaluation, Evaluation]:
    """A rule set under ``rule``, an evaluation, and the same with unscored items not applicable.

    Points on a not-applicable item or below it are refused, and points
    above it must fit what is left, so the items marked are drawn from those
    with nothing given at, below or above them.
    """
    ruleset, _full, given_points = draw(scenarios(any_level=True))
    ruleset = attrs.evolve(ruleset, missing=MissingRule(rule))
    free = [c.key for c in ruleset.criteria()
            if not any(k == c.key or k.startswith(c.key + ".") or c.key.startswith(k + ".")
                       for k in given_points)]
    gone = draw(st.sets(st.sampled_from(free))) if free else set()
    plain = evaluation(ruleset, given_points)
    return ruleset, plain, attrs.evolve(plain, status=dict.fromkeys(gone, NA))


@given(marked("shrink"))
def test_shrink_never_exceeds_the_shrunk_maximum(case: tuple[RuleSet, Evaluation, Evaluation]
                                                 ) -> None:
    ruleset, plain, marked_ev = case
    before, card = score(plain, ruleset), score(marked_ev, ruleset)
    removed = sum((ruleset.criterion(k).max for k in marked_ev.status
                   if not any(k.startswith(o + ".") for o in marked_ev.status)), start=0)
    assert card.total.max == ruleset.max - removed
    for entry in card.entries():  # Score checks 0 <= low <= high <= max
        assert entry.score.high <= before[entry.key].high
        if entry.provenance is Provenance.NOT_APPLICABLE:
            assert entry.score.max == 0


@given(marked("rescale"))
def test_rescale_keeps_the_maximum_and_never_exceeds_it(
        case: tuple[RuleSet, Evaluation, Evaluation]) -> None:
    ruleset, _plain, marked_ev = case
    card = score(marked_ev, ruleset)
    for entry in card.entries():
        if entry.provenance is not Provenance.NOT_APPLICABLE:
            full = ruleset.max if entry.key == "total" else ruleset.criterion(entry.key).max
            assert entry.score.max == full
            assert 0 <= entry.score.low <= entry.score.high <= full


@given(marked("rescale"), st.sampled_from(["shrink", "rescale"]))
def test_applicable_again_gives_the_original_card(
        case: tuple[RuleSet, Evaluation, Evaluation], rule: str) -> None:
    ruleset, plain, marked_ev = case
    ruleset = attrs.evolve(ruleset, missing=MissingRule(rule))
    score(marked_ev, ruleset)
    assert score(attrs.evolve(marked_ev, status={}), ruleset) == score(plain, ruleset)


@given(scenarios(any_level=True), st.data())
def test_withheld_changes_no_number(case: tuple[RuleSet, dict[str, object], dict[str, object]],
                                   data: st.DataObject) -> None:
    ruleset, _full, given_points = case
    plain = evaluation(ruleset, given_points)  # type: ignore[arg-type]
    keys = [c.key for c in ruleset.criteria()]
    hidden = data.draw(st.sets(st.sampled_from(keys)))
    card = score(attrs.evolve(plain, status=dict.fromkeys(hidden, WITHHELD)), ruleset)
    before = score(plain, ruleset)
    assert (card.maxes, card.lows, card.highs, card.provenance) == \
        (before.maxes, before.lows, before.highs, before.provenance)
    for key in card.keys:
        under = any(key == h or key.startswith(h + ".") for h in hidden)
        assert (card.hidden_by(key) == "withheld") is under
        assert (published(card, key) == "withheld") is under


@given(scenarios(any_level=True), st.fractions(0, 1))
def test_below_coverage_no_area_is_a_number(
        case: tuple[RuleSet, dict[str, object], dict[str, object]], share: Fraction) -> None:
    ruleset, _full, given_points = case
    ruleset = attrs.evolve(ruleset, missing=MissingRule(coverage=share))
    card = score(evaluation(ruleset, given_points), ruleset)  # type: ignore[arg-type]
    for area in [*ruleset.areas]:
        s = card[area.key]
        assessed = Fraction(s.max - s.width, s.max)
        assert (card.hidden_by(area.key) == "insufficient-coverage") is (assessed < share)
        if assessed < share:
            assert published(card, area.key) == "insufficient coverage"


SE = load_ruleset("rulesets/skr/kk-se-2.0.toml")
HEAD = 'ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n'


def test_forbidden_not_applicable_names_its_key_path() -> None:
    ev = parse_evaluation(HEAD + '[areas.3.subareas."3.2"]\nstatus = "not-applicable"\n')
    with pytest.raises(InputError) as err:
        score(ev, SE)
    assert err.value.problems[0].keys == ("areas", "3", "subareas", "3.2", "status")
    assert "does not allow not-applicable" in err.value.problems[0].message


def test_points_below_a_not_applicable_item_are_refused() -> None:
    rs = attrs.evolve(SE, missing=MissingRule("shrink"))
    ev = parse_evaluation(HEAD + '[areas.3]\nstatus = "not-applicable"\n'
                                 '[areas.3.subareas."3.2"]\npoints = 5\n')
    with pytest.raises(InputError, match="points under a not-applicable item"):
        score(ev, rs)


def test_the_model_refuses_points_with_not_applicable_and_unknown_statuses() -> None:
    ev = evaluation(SE, {"3.2": 5})
    with pytest.raises(InputError, match="cannot be not-applicable"):
        attrs.evolve(ev, status={"3.2": NA})
    with pytest.raises(InputError, match="unknown status 'maybe'"):
        attrs.evolve(ev, status={"3.2": "maybe"})


def test_rescale_scales_the_parent_exactly() -> None:
    rs = attrs.evolve(SE, missing=MissingRule("rescale"))
    subs = list(SE.criterion("1").children)
    points = {c.key: 1 for c in subs[1:]}
    card = score(attrs.evolve(evaluation(rs, points), status={subs[0].key: NA}), rs)
    area = SE.criterion("1").max
    assert card["1"].low == Fraction(len(subs) - 1) * area / (area - subs[0].max)
    assert card["1"].max == area


def test_statuses_travel_through_files_json_and_the_store() -> None:
    text = HEAD + ('[areas.1]\nstatus = "withheld"\n[areas.1.subareas."1.1"]\npoints = 3\n'
                   '[areas.2.subareas."2.1"]\nstatus = "not-applicable"\n')
    ev = parse_evaluation(text)
    assert dict(ev.status) == {"1": WITHHELD, "2.1": NA}
    data = unstructure(ev)
    assert data["status"] == {"1": "withheld", "2.1": "not-applicable"}
    assert structure(data, Evaluation) == ev
    assert document_text(ev) == canonical(data)
    assert "status" not in unstructure(attrs.evolve(ev, status={}))  # old content keys hold
    rs = attrs.evolve(SE, missing=MissingRule("shrink", Fraction(1, 2)))
    card = score(ev, rs)
    back = json.loads(to_json(card))
    assert back["withheld"] == ["1"] and back["coverage"] == "1/2"
    assert back["scores"][1]["display"] == "withheld"
    assert scorecard_from_dict(back) == card


def test_old_cards_still_read() -> None:
    card = score(load_evaluation("examples/exempelby-partial.toml"), SE)
    data = json.loads(to_json(card))
    assert "withheld" not in data and "coverage" not in data
    assert scorecard_from_dict(data) == card


def test_ruleset_missing_table_round_trips() -> None:
    from kompass_core.formats.ruleset import ruleset_from_data, ruleset_to_data

    rs = attrs.evolve(SE, missing=MissingRule("rescale", Fraction(3, 4)))
    data = ruleset_to_data(rs)
    assert data["missing"] == {"not_applicable": "rescale", "coverage": pytest.approx(0.75)}
    assert ruleset_from_data(data).missing == rs.missing
    assert "missing" not in ruleset_to_data(SE)  # shipped rule sets forbid, by default



def _workbook(cells: dict[str, object]) -> bytes:
    """The kk-se@2.0 template with column G (status) and D (points) filled by key."""
    openpyxl = pytest.importorskip("openpyxl")
    from io import BytesIO

    from kompass_core import write_template

    book = openpyxl.load_workbook(BytesIO(write_template(SE)))
    book["Evaluation"]["B3"] = "X"
    for sheet in book.worksheets[1:-1]:
        for row in sheet.iter_rows(min_row=2):
            for (key, column), value in cells.items():  # type: ignore[misc]
                if row[0].value == key:
                    sheet.cell(row[0].row, column, value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_has_a_status_column() -> None:
    from kompass_core import evaluation_from_xlsx

    data = _workbook({("3.2", 7): "Not applicable", ("4", 7): "withheld", ("4", 4): 50})
    assert dict(evaluation_from_xlsx(data).status) == {"3.2": NA, "4": WITHHELD}
    with pytest.raises(InputError) as err:
        evaluation_from_xlsx(_workbook({("3.2", 7): "maybe"}))
    assert err.value.problems[0].keys == ("areas", "3", "subareas", "3.2", "status")
    with pytest.raises(InputError, match="exclude each other"):
        evaluation_from_xlsx(_workbook({("3.2", 7): "not-applicable", ("3.2", 4): 5}))


def test_the_store_keeps_statuses_and_publishes_only_what_may_be(store_url: str) -> None:
    """On SQLite and on PostgreSQL alike."""
    from kompass_core import Store, make_record, store_export_rows

    rs = attrs.evolve(SE, missing=MissingRule(coverage=Fraction(1, 2)))
    points = {str(a): 50 for a in range(1, 8)}  # area 8 unscored: below the coverage
    ev = Evaluation(SE.ref, parse_evaluation(HEAD).municipality, points=points,
                    status={"2": WITHHELD})
    card = score(ev, rs)
    with Store.open(store_url, seed=False) as store:
        store.add([make_record(ev, card, "t.toml")])
        (stored,) = store.entries()
        assert store.evaluation(stored.id) == ev
    lines = {x.key: x.hidden for x in stored.scores}
    assert lines == {"total": None, "2": "withheld", "8": "insufficient-coverage",
                     **{str(a): None for a in (1, 3, 4, 5, 6, 7)}}
    again = stored.card(rs)  # what history and a report's previous column read
    assert again.hidden_by("2") == "withheld" and again.hidden_by("8") == "insufficient-coverage"
    (row,) = store_export_rows([stored])
    assert row[5:14] == ["50", "", "50", "50", "50", "50", "50", "", ""]  # total is open



def test_migration_carries_withheld_and_refuses_not_applicable() -> None:
    from kompass_core import default_registry

    registry = default_registry()
    step = next(m for m, _ in registry.migrations() if m.source == SE.ref)
    ev = Evaluation(SE.ref, parse_evaluation(HEAD).municipality,
                    points={str(a): 50 for a in range(1, 9)}, status={"2": WITHHELD})
    moved = registry.migrate(score(ev, SE), step.target)
    fed = {t for t, mix in step.areas.items() if "2" in mix}
    assert fed and moved.withheld == fed
    assert all(moved.hidden_by(k) == "withheld" for k in fed)
    assert moved.hidden_by("total") is None  # the total is still published
    shrinking = attrs.evolve(SE, missing=MissingRule("shrink"))
    gone = score(attrs.evolve(ev, points={k: v for k, v in ev.points.items() if k != "3"},
                              status={"3": NA}), shrinking)
    with pytest.raises(InputError, match="no migration carries a not-applicable item") as err:
        registry.migrate(gone, step.target)
    assert err.value.problems[0].keys == ("areas", "3")


def test_a_ruleset_with_a_missing_rule_round_trips_through_json() -> None:
    rs = attrs.evolve(SE, missing=MissingRule("rescale", Fraction(3, 4)))
    assert structure(json.loads(json.dumps(unstructure(rs))), RuleSet) == rs


@pytest.mark.parametrize("lang", ["sv", "nb", "da", "en"])
def test_the_report_words_what_it_does_not_publish(lang: str) -> None:
    from kompass_core import build_report, render_markdown
    from kompass_core.report.text import strings

    words = strings(lang)
    rs = attrs.evolve(SE, missing=MissingRule("shrink", Fraction(1, 2)))
    points = {"1": 50, "2": 77, **{str(a): 50 for a in (5, 6, 7)}}  # 8 unscored
    ev = Evaluation(SE.ref, parse_evaluation(HEAD).municipality, points=points,
                    status={"2": WITHHELD, "3": NA, "4": NA})
    text = render_markdown(build_report(score(ev, rs), rs, ev, lang))
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip() in {"2", "3", "8"}}
    assert words["withheld"] in rows["2"] and "77" not in rows["2"]
    assert words["not_applicable"] in rows["3"]
    assert words["insufficient_coverage"] in rows["8"]
    assert "277" in text  # the total (277-377) is published, the withheld part counted in it


def test_a_status_on_no_criterion_is_refused() -> None:
    ev = attrs.evolve(evaluation(SE, {}), status={"3.9": WITHHELD})
    with pytest.raises(InputError, match=r"no criterion '3\.9'"):
        score(ev, SE)


def test_a_previous_evaluations_withheld_points_stay_unpublished() -> None:
    """The previous column and the change show nothing for what the earlier report withheld."""
    from kompass_core import build_report, render_markdown

    municipality = parse_evaluation(HEAD).municipality
    now = Evaluation(SE.ref, municipality, points={str(a): 60 for a in range(1, 9)})
    before = Evaluation(SE.ref, municipality, points={str(a): 50 for a in range(1, 8)} | {
        "8": 83}, status={"8": WITHHELD})
    text = render_markdown(build_report(score(now, SE), SE, now, "en", None,
                                        score(before, SE)))
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip() in {"1", "8"}}
    assert "50" in rows["1"] and "+10" in rows["1"]
    assert "83" not in rows["8"] and "-23" not in rows["8"]
    assert "433" in text  # the previous total is published, the withheld part counted in it
