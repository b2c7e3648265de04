"""The public API as an embedding tool uses it (issue 11): every gap found, closed."""

from __future__ import annotations

import copy
import datetime
import enum
import importlib.metadata
import inspect
import json
import pickle
import re
import subprocess
import sys
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import kompass_core as kk
from tests.conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "upplands-vasby-2011.toml"
MIGRATION = ROOT / "rulesets" / "skr" / "kk-se-2.0--kk-se-1.0.migration.toml"
RULESET = ROOT / "rulesets" / "skr" / "kk-se-2.0.toml"


def _document(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)


def _message(call: Any) -> str:
    with pytest.raises(kk.InputError) as info:
        call()
    return str(info.value)


# --- 1. readers from dicts ------------------------------------------------------------

def test_an_evaluation_is_read_from_the_documented_dict_shape() -> None:
    data = _document(EXAMPLE)
    assert kk.evaluation_from_dict(data) == kk.load_evaluation(EXAMPLE)
    as_json = json.loads(json.dumps(data, default=str))  # dates as text, decimals as numbers
    assert kk.evaluation_from_dict(as_json) == kk.load_evaluation(EXAMPLE)


@pytest.mark.parametrize("bad", [
    {"ruleset": "kk-se@2.0", "municipality": {"name": "X"}, "areas": {"1": {"points": "68"}}},
    {"ruleset": "kk-se", "municipality": {}, "areas": {"01": {}, "2": {"points": -1}}},
    {"ruleset": "kk-se@2.0", "municipality": {"name": "X"}, "evaluation": {"date": "May"},
     "areas": {"3": {"subareas": {"3.2": {"points": True, "strengths": []}}}}},
])
def test_a_dict_gets_the_messages_of_a_file(bad: dict[str, Any]) -> None:
    from_file = _message(lambda: kk.parse_evaluation(json.dumps(bad), "form.json"))
    assert _message(lambda: kk.evaluation_from_dict(bad, name="form.json")) == from_file
    assert all(re.fullmatch(r"form\.json: [\w.]+: .+", line) for line in from_file.splitlines())


def test_dicts_that_no_file_could_hold_are_refused_by_key() -> None:
    deep: dict[str, Any] = {}
    deep["areas"] = deep  # a cycle: deeper than any document may be
    assert "levels deep" in _message(lambda: kk.evaluation_from_dict(deep))
    assert _message(lambda: kk.evaluation_from_dict({"ruleset": "kk-se@2.0", "areas": {1: {}}},
                                                    name="d")) == "d: areas: key 1 is not a string"
    assert _message(lambda: kk.evaluation_from_dict([], name="d")) == (  # type: ignore[arg-type]
        "d: expected a mapping, got list")


def test_rule_sets_and_migrations_are_read_from_dicts() -> None:
    assert kk.ruleset_from_dict(_document(RULESET)) == kk.load_ruleset(RULESET)
    assert kk.migration_from_dict(_document(MIGRATION)) == kk.load_migration(MIGRATION)
    bad = {**_document(MIGRATION), "invertible": "yes"}
    assert _message(lambda: kk.migration_from_dict(bad, "m.json")) == _message(
        lambda: kk.parse_migration(json.dumps(bad, default=str), "m.json"))
    assert _message(lambda: kk.ruleset_from_dict({**_document(RULESET), "country": "se"},
                                                 "r")).startswith("r: country: 'se' is not")


def test_a_score_card_is_read_back_from_its_json_shape() -> None:
    card = kk.score(kk.load_evaluation(EXAMPLE))
    data = json.loads(kk.to_json(card))
    assert kk.scorecard_from_dict(data) == card == kk.structure(data, kk.ScoreCard)
    migrated = kk.default_registry().migrate(card, "kk-se@1.0")
    assert kk.scorecard_from_dict(json.loads(kk.to_json(migrated))) == migrated
    data["scores"][1]["low"] = "x"
    data["scores"][2]["level"] = "area!"
    data["rounding"]["places"] = 9
    data["format"] = "kompass.scorecard/9"
    assert _message(lambda: kk.scorecard_from_dict(data, "card.json")).splitlines() == [
        "card.json: format: expected 'kompass.scorecard/1', got 'kompass.scorecard/9'",
        "card.json: rounding.places: 9 decimal places is outside 0..6",
        "card.json: scores.1.low: 'x' is not a number of points",
        "card.json: scores.2.level: unknown level 'area!' (one of: total, area, subarea, "
        "question)",
    ]


# --- 2. a rule-set reference given as text --------------------------------------------

def test_a_reference_given_as_text_is_read() -> None:
    evaluation = kk.Evaluation("kk-se@2.0", kk.Municipality("X"), points={"1": 68})
    assert evaluation.ruleset == kk.RuleSetRef("kk-se", "2.0")
    assert kk.score(evaluation)["1"].low == 68
    assert _message(lambda: kk.Evaluation("kk-se", kk.Municipality("X"))) == (
        "ruleset: invalid rule-set reference 'kk-se': expected id@version, e.g. kk-se@2.0")
    assert _message(lambda: kk.Evaluation(2, kk.Municipality("X"))).startswith(  # type: ignore[arg-type]
        "ruleset: expected a rule-set reference")
    mapping = kk.AreaMapping("kk-se@2.0", "kk-se@1.0", {"1": {"1": 1}})  # type: ignore[arg-type]
    assert mapping.target == kk.RuleSetRef("kk-se", "1.0")


# --- 3. points made exact, or refused, when the evaluation is built -------------------

class _Grade(enum.IntEnum):
    GOOD = 3


class _Float(float):
    """What numpy's float64 is: a float subclass (whose repr is not a number)."""

    def __repr__(self) -> str:
        return f"_Float({float(self)})"


@pytest.mark.parametrize(("given", "held"), [
    (Decimal("12.5"), Fraction(25, 2)), (Decimal("12.0"), 12), (Fraction(6, 2), 3), (7, 7),
    (12.5, Fraction(25, 2)), (0.1, Fraction(1, 10)),  # a float by its repr, as readers do
    (_Grade.GOOD, 3), (_Float(2.5), Fraction(5, 2)),
])
def test_points_are_made_exact(given: Any, held: Any) -> None:
    points = kk.Evaluation("kk-se@2.0", kk.Municipality("X"), points={"3.2": given}).points
    assert points["3.2"] == held and type(points["3.2"]) is type(held)


@pytest.mark.parametrize(("given", "message"), [
    ("12", "expected a number of points (int, Fraction, Decimal), got '12'"),
    (True, "expected a number of points (int, Fraction, Decimal), got True"),
    (None, "expected a number of points (int, Fraction, Decimal), got None"),
    (-3, "-3 points is negative"),
    (Fraction(-1, 2), "-0.5 points is negative"),
    (float("nan"), "nan is not a finite number"),
    (Decimal("Infinity"), "Infinity is not a finite number"),
    (Decimal("1e40"), "1E+40 has more than 30 digits before or after its decimal point"),
])
def test_what_is_not_a_number_of_points_is_refused_naming_its_key(given: Any,
                                                                   message: str) -> None:
    assert _message(lambda: kk.Evaluation("kk-se@2.0", kk.Municipality("X"),
                                          points={"1": 5, "3.2": given})
                    ) == f"areas.3.subareas.3.2.points: {message}"


# --- 4. frozen models are values ---------------------------------------------------------

def test_models_are_hashable_and_their_mappings_read_only(kk_se: kk.RuleSet) -> None:
    evaluation = kk.load_evaluation(EXAMPLE)
    card = kk.score(evaluation)
    mapping = kk.load_migration(MIGRATION)
    for value in (evaluation, kk_se, card, mapping, kk_se.weighting, kk_se.title):
        assert hash(value) == hash(copy.deepcopy(value))
        assert pickle.loads(pickle.dumps(value)) == value
    for frozen in (evaluation.points, evaluation.notes, evaluation.comments,
                   kk_se.title.texts, kk_se.areas[0].labels.texts, card.weighting.params,
                   mapping.areas, mapping.areas["1"]):
        assert isinstance(frozen, kk.FrozenDict)
        with pytest.raises(TypeError):
            frozen["1"] = 0  # type: ignore[index]
        for name in ("clear", "popitem"):
            with pytest.raises(TypeError):
                getattr(frozen, name)()
        for call in (lambda f: f.update({}), lambda f: f.pop("1"),
                     lambda f: f.setdefault("1", 0), lambda f: f.__delitem__("1")):
            with pytest.raises(TypeError):
                call(frozen)
    assert kk.score(evaluation) == card


def test_a_frozen_dict_is_still_a_dict_for_tools() -> None:
    frozen = kk.FrozenDict({"1": 68, "2": Fraction(1, 2)})
    assert copy.copy(frozen) is frozen
    assert type(pickle.loads(pickle.dumps(frozen))) is kk.FrozenDict
    assert json.dumps(kk.FrozenDict({"a": 1})) == '{"a": 1}'
    assert frozen | {"3": 1} == {"1": 68, "2": Fraction(1, 2), "3": 1}
    assert hash(frozen) == hash(kk.FrozenDict({"2": Fraction(1, 2), "1": 68}))
    data = kk.unstructure(kk.load_evaluation(EXAMPLE))
    assert type(data["points"]) is dict and type(data["notes"]) is dict
    assert kk.structure(data, kk.Evaluation) == kk.load_evaluation(EXAMPLE)


# --- 5. the plugin contract's names ------------------------------------------------------

def test_the_plugin_contract_names_public_types() -> None:
    mapping = kk.load_migration(MIGRATION)
    assert isinstance(mapping, kk.Migration) and isinstance(mapping, kk.AreaMapping)
    assert kk.Interval == tuple[kk.Points, kk.Points]
    assert str(kk.Step.parse("kk-se@2.0 -> kk-se@1.0")) == "kk-se@2.0 -> kk-se@1.0"
    hookspec = (ROOT / "kompass_core" / "registry" / "hookspec.py").read_text("utf-8")
    for name in re.findall(r"kompass_core\.([A-Z]\w+)", hookspec):
        assert name in kk.__all__, name
    assert {"Weighting", "Profile"} <= set(kk.__all__)


# --- 6. what the command line uses is public ------------------------------------------

COMMAND_LINE_NAMES = (
    "build_report", "render_html", "render_markdown", "Reference", "reference_for", "reference_gap",
    "compare_cards", "Difference", "Verdict", "apply_changes", "parse_change", "Change",
    "render_template", "write_template", "evaluation_from_xlsx", "load_migration",
    "load_profile", "evaluation_schema", "ruleset_schema", "Store", "init_variant",
    "write_atomic")


def test_what_the_command_line_uses_is_public() -> None:
    assert set(COMMAND_LINE_NAMES) <= set(kk.__all__)


def test_every_public_name_resolves_is_documented_and_listed_in_api_md() -> None:
    assert len(set(kk.__all__)) == len(kk.__all__) and set(kk.__all__) == set(kk._WHERE)
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    aliases = {"Points", "Interval"}  # type aliases: documented where they are defined
    for name in kk.__all__:
        value = getattr(kk, name)
        assert f"`{name}`" in page, name
        if name not in aliases:
            assert inspect.getdoc(value), name
            defined = kk._WHERE[name].partition(":")[2] or name  # "module:attr" where renamed
            assert getattr(value, "__name__", defined) == defined, name
    assert set(dir(kk)) >= set(kk.__all__)
    with pytest.raises(AttributeError):
        kk.no_such_name  # noqa: B018


def test_an_xlsx_workbook_is_read_by_its_public_name(kk_se: kk.RuleSet) -> None:
    pytest.importorskip("openpyxl")
    blank = kk.write_template(kk_se)
    assert _message(lambda: kk.evaluation_from_xlsx(blank, "t.xlsx")) == (
        "t.xlsx: municipality.name: sheet 'Evaluation' cell B3: missing the municipality's name")


# --- 7. __version__, lazily -------------------------------------------------------------

def test_version_comes_from_the_distribution_only_when_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    code = ("import sys, kompass_core; before = 'importlib.metadata' in sys.modules; "
            "print(before, kompass_core.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", importlib.metadata.version("kommunkompass")]

    def missing(_name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(_name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    vars(kk).pop("__version__", None)  # computed once, then kept: forget it around the check
    try:
        assert kk.__version__ == "0+unknown"
    finally:
        vars(kk).pop("__version__", None)


# --- 8. score() and Registry.score() agree --------------------------------------------

def test_score_and_registry_score_take_the_same_arguments(kk_se: kk.RuleSet) -> None:
    top = inspect.signature(kk.score).parameters
    method = inspect.signature(kk.Registry.score).parameters
    assert list(top)[:3] == ["evaluation", "ruleset", "weighting"] == list(method)[1:]
    for name in ("ruleset", "weighting"):
        assert top[name].kind == method[name].kind and top[name].default is None
    assert top["registry"].kind is inspect.Parameter.KEYWORD_ONLY

    registry = kk.default_registry()
    evaluation = kk.load_evaluation(EXAMPLE)
    spec = kk.WeightingSpec("weighted", {"1": 2})
    for args, kwargs in (((), {}), ((kk_se,), {}), ((), {"weighting": "weighted"}),
                         ((kk_se,), {"weighting": spec})):
        card = registry.score(evaluation, *args, **kwargs)
        assert kk.score(evaluation, *args, **kwargs) == card
        assert kk.score(evaluation, *args, registry=registry, **kwargs) == card
    assert kk.score(evaluation, weighting=spec).weighting == spec


# --- docs/api.md -------------------------------------------------------------------------

def test_the_code_in_api_md_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    page = (ROOT / "docs" / "api.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(blocks) >= 5
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/api.md, block {i + 1}", "exec"), {})


def test_dates_in_dicts_may_be_dates() -> None:
    data = {"ruleset": "kk-se@2.0", "municipality": {"name": "X"},
            "evaluation": {"date": datetime.date(2011, 5, 30), "evaluators": ("A", "B")}}
    evaluation = kk.evaluation_from_dict(data)
    assert evaluation.date == kk.PartialDate(2011, 5, 30) and evaluation.evaluators == ("A", "B")
