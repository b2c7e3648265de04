"""JSON Schemas: valid for every shipped file, and strict where kompass is strict."""

from __future__ import annotations

import io
import json
import re
import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import tomli_w

from kompass_core import Registry, parse_evaluation, parse_ruleset
from kompass_core.cli.main import main
from kompass_core.formats.schema import evaluation_schema, ruleset_schema
from kompass_core.formats.template import render_template
from kompass_core.formats.xlsx_reading import read_evaluation
from kompass_core.formats.xlsx_template import write_template
from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError
from tests.conftest import EXAMPLES, ROOT


def _toml(path: Path) -> dict[str, Any]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    meta = data.get("evaluation", {})
    if "date" in meta:
        meta["date"] = str(meta["date"])  # JSON Schema sees TOML dates as strings
    return json.loads(json.dumps(data, default=float))


def _errors(schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    jsonschema.Draft202012Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "rulesets").rglob("*.toml")
                                        if not p.name.endswith(".migration.toml")),
                         ids=lambda p: p.name)
def test_shipped_rulesets_match_the_schema(path: Path) -> None:
    assert _errors(ruleset_schema(), _toml(path)) == []


@pytest.mark.parametrize("path", sorted(p for p in EXAMPLES.glob("*.toml")
                                        if p.name != "bad-points.toml"), ids=lambda p: p.name)
def test_examples_match_both_evaluation_schemas(path: Path, registry: Registry) -> None:
    data = _toml(path)
    assert _errors(evaluation_schema(), data) == []
    assert _errors(evaluation_schema(registry.ruleset(data["ruleset"])), data) == []


def test_the_ruleset_specific_schema_knows_keys_and_maxima(registry: Registry) -> None:
    schema = evaluation_schema(registry.ruleset("kk-se@2.0"), "en")
    assert _errors(schema, _toml(EXAMPLES / "bad-points.toml")) == [
        "24 is greater than the maximum of 20.0"]
    unknown = {"ruleset": "kk-se@2.0", "municipality": {"name": "X"},
               "areas": {"8": {"subareas": {"8.1": {"points": 1}}}}}
    assert _errors(schema, unknown) == [
        "Additional properties are not allowed ('8.1' was unexpected)"]
    hint = schema["properties"]["areas"]["properties"]["3"]["properties"]["subareas"]
    assert hint["properties"]["3.2"]["properties"]["points"]["description"] == \
        "3.2 Political goals: 0 to 20 points"


def test_fractional_maxima_are_shown_as_a_user_types_them() -> None:
    from kompass_core import Evaluation, Municipality, SumWeighting, score_with
    from kompass_core.cli.cards import area_rows

    ruleset = parse_ruleset('''
id = "kk-half"
version = "1"
organisation = "Test"
country = "SE"
title = { en = "Halves" }
[areas.1]
max = 12.5
label = { en = "One" }
[areas.2]
max = 20
label = { en = "Two" }
''')
    schema = evaluation_schema(ruleset)
    assert schema["properties"]["areas"]["properties"]["1"]["properties"]["points"][
        "description"] == "1 One: 0 to 12.5 points"
    template = render_template(ruleset)
    assert "total max 32.5." in template
    shown = re.findall(r"# points = {3}# 0 to (\S+)", template)
    assert [Fraction(tomllib.loads(f"points = {m}")["points"]) for m in shown] == [
        c.max for c in ruleset.criteria()]  # each max as TOML reads it back
    card = score_with(Evaluation(ruleset.ref, Municipality("X"), points={"1": 10}), ruleset,
                      SumWeighting())
    rows = area_rows(ruleset, [card], "en")  # the tables of score, compare and db history
    assert [row[-1] for row in rows] == ["12.5", "20", "32.5"]


def test_the_generic_schema_refuses_what_the_reader_refuses() -> None:
    bad = {"ruleset": "kk-se", "municipality": {"name": "X"}, "scores": 1}
    assert len(_errors(evaluation_schema(), bad)) == 2
    assert _errors(ruleset_schema(), {"id": "kk-x"}) == [
        "'version' is a required property", "'organisation' is a required property",
        "'country' is a required property", "'title' is a required property",
        "'areas' is a required property"]


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "evaluation", "--ruleset", "kk-se@2.0"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "kompass evaluation (kk-se@2.0)"
    target = tmp_path / "ruleset.schema.json"
    assert main(["schema", "ruleset", "-o", str(target)]) == 0
    assert json.loads(target.read_text())["title"] == "kompass rule set"


def _refusals(read: Callable[[], object]) -> list[str]:
    """The messages ``read`` raises, none when it reads."""
    try:
        read()
    except InputError as err:
        return [p.message for p in err.problems]
    return []


@pytest.mark.parametrize(("country", "valid"), [
    ("SE", True), ("FI", True), ("se", False), ("Se", False), ("SWE", False), ("S", False),
    ("S1", False), ("ÖL", False)])
def test_one_country_rule_for_files_schemas_and_workbooks(  # type: ignore[no-untyped-def]
        country: str, valid: bool, tmp_path: Path, registry) -> None:
    evaluation = {"ruleset": "kk-se@2.0", "municipality": {"name": "X", "country": country}}
    ruleset_file = tmp_path / "kk-se-2.0.toml"
    ruleset_file.write_text(re.sub(
        r'(?m)^country = "SE"$', f'country = "{country}"',
        (ROOT / "rulesets" / "skr" / "kk-se-2.0.toml").read_text(encoding="utf-8")),
        encoding="utf-8")
    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry.ruleset("kk-se@2.0"))))
    wb["Evaluation"]["B3"], wb["Evaluation"]["B5"] = "X", country
    workbook = io.BytesIO()
    wb.save(workbook)
    problem = country_problem(country)
    assert (problem is None) == valid
    assert (_errors(evaluation_schema(), evaluation) == []) == valid
    assert (_errors(ruleset_schema(), _toml(ruleset_file)) == []) == valid
    for read in (lambda: parse_evaluation(tomli_w.dumps(evaluation)),
                 lambda: parse_ruleset(ruleset_file.read_text(encoding="utf-8")),
                 lambda: read_evaluation(workbook.getvalue(), "x.xlsx")):
        refused = _refusals(read)
        if problem is None:
            assert refused == []
        else:  # the same words, after the workbook's "sheet ... cell B5: "
            assert len(refused) == 1 and refused[0].endswith(problem), refused
