"""What evaluators write beside the points reaches every format, the same (issue 14).

TOML, JSON files, the stored JSON and the workbook carry the summary,
conduct, facts, gold stars, area texts and findings; evaluations without
them are written exactly as before, so stored content keys do not move.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import openpyxl
import pytest
import tomli_w
from hypothesis import given, strategies as st

from kompass_core import (
    Evaluation,
    Registry,
    RuleSet,
    evaluation_from_dict,
    load_evaluation,
    parse_evaluation,
    structure,
    unstructure,
    write_template,
)
from kompass_core.cli.main import main
from kompass_core.formats.schema import evaluation_schema
from kompass_core.formats.serialize import canonical
from kompass_core.model.errors import InputError
from kompass_core.model.narrative import Conduct, Fact, Star
from kompass_core.store.records import document_text
from kompass_core.testing import strategies as ks
from tests.conftest import EXAMPLES
from tests.test_xlsx import fill

UV = EXAMPLES / "upplands-vasby-2011.toml"
_TABLES = ("areas", "subareas", "questions")


def file_data(ev: Evaluation) -> dict[str, Any]:
    """``ev`` in the evaluation file's shape (docs/formats.md), as TOML or JSON hold it."""
    m = ev.municipality
    data: dict[str, Any] = {"ruleset": str(ev.ruleset), "municipality": {
        k: v for k, v in (("name", m.name), ("code", m.code), ("country", m.country)) if v}}
    c = ev.conduct
    meta = {k: v for k, v in (
        ("evaluators", list(ev.evaluators)), ("summary", ev.summary), ("first", c.first),
        ("interviewed", c.interviewed), ("groups", list(c.groups)),
        ("documents", list(c.documents))) if v not in (None, "", [])}
    if meta:
        data["evaluation"] = meta
    if ev.facts:
        data["facts"] = [{k: v for k, v in attrs.asdict(f).items() if v is not None}
                         for f in ev.facts]
    keys = {*ev.points, *ev.comments, *ev.notes, *(s.key for s in ev.stars)}
    for key in sorted(keys, key=lambda k: [int(p) for p in k.split(".")]):
        table = _table(data, key)
        if key in ev.points:
            table["points"] = ev.points[key]
        if key in ev.comments:
            table["comment"] = ev.comments[key]
        if key in ev.notes:
            table.update({k: list(v) for k, v in attrs.asdict(ev.notes[key]).items() if v})
        if any(s.key == key and not s.practice for s in ev.stars):
            table["gold_star"] = True
        if practices := [s.practice for s in ev.stars if s.key == key and s.practice]:
            table["gold_stars"] = practices
    return data


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    parts = key.split(".")
    table = data
    for depth in range(len(parts)):
        table = table.setdefault(_TABLES[depth], {}).setdefault(".".join(parts[:depth + 1]), {})
    return table


@given(ks.rulesets(), st.data())
def test_toml_json_and_stored_json_give_the_same_evaluation(ruleset: RuleSet,
                                                           data: st.DataObject) -> None:
    ev = data.draw(ks.file_evaluations_for(ruleset))
    shaped = file_data(ev)
    from_toml = parse_evaluation(tomli_w.dumps(shaped))
    assert from_toml == ev
    assert evaluation_from_dict(json.loads(json.dumps(shaped))) == ev
    stored = json.loads(json.dumps(unstructure(from_toml)))
    assert structure(stored, Evaluation) == ev
    assert document_text(ev) == canonical(unstructure(ev))


@given(ks.rulesets(), st.data())
def test_fields_left_empty_are_not_written(ruleset: RuleSet, data: st.DataObject) -> None:
    ev = data.draw(ks.evaluations_for(ruleset))
    plain = attrs.evolve(ev, summary="", conduct=Conduct(), facts=(), stars=())
    written = unstructure(plain)
    assert not {"summary", "conduct", "facts", "stars"} & set(written)
    assert canonical(written) == document_text(plain)
    assert structure(written, Evaluation) == plain


def test_content_keys_of_evaluations_without_texts_stay_as_they_were(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Grästorp's key as before these fields existed (docs/cli.md; dated 2014-10)."""
    assert main(["db", "import", str(EXAMPLES / "grastorp-2014.toml"), "--db",
                 str(tmp_path / "r.db")]) == 0
    assert "stored bc334df4b5b3 (Grästorp 2014" in capsys.readouterr().out


def test_the_example_carries_its_texts_and_scores_as_published(registry: Registry) -> None:
    ev = load_evaluation(UV)
    assert [ev.points[str(a)] for a in range(1, 9)] == [68, 63, 84, 60, 69, 41, 51, 63]
    assert ev.conduct == Conduct(True, 40, ("politiker", "ledande tjänstemän",
                                            "fackliga representanter"), ev.conduct.documents)
    assert ev.summary.count("\n\n") == 3  # four paragraphs
    assert sorted(k for k in ev.comments if "." not in k) == [str(a) for a in range(1, 8)]
    assert "8" not in ev.notes and not any(k.startswith("8") for k in ev.comments)
    assert not any(k.startswith("7.") for k in ev.comments)  # its findings are not available
    assert ev.notes["1"].references[0].startswith("Borås – sociala medier")
    ruleset = registry.ruleset("kk-se@2.0")
    assert all(k in ruleset for k in ev.comments)


def test_a_workbook_carries_every_text(tmp_path: Path, registry: Registry) -> None:
    ruleset = registry.ruleset("kk-se@2.0")
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(ruleset))
    ev = attrs.evolve(load_evaluation(UV), stars=(Star("1.2"), Star("1.2", "Mitt Väsby"),
                                                  Star("3")),
                      facts=(Fact("Invånare", "40 000", None, None), Fact("A", "1", "B", 2010)),
                      conduct=Conduct(False, 0, ("a",), ()))
    assert load_evaluation(fill(template, tmp_path / "f.xlsx", ev)) == ev


@pytest.mark.parametrize(("item", "cells", "expected"), [
    ("interviewed", ("-1",), "sheet 'Texts' cell B4: expected a number of people (a whole "
                             "number >= 0), got '-1'"),
    ("first", ("kanske",), "sheet 'Texts' cell B3: expected yes or no, got 'kanske'"),
    ("fact", (None, "40 000"), "sheet 'Texts' cell B25: a fact needs its label"),
    ("gold star", ("1.9",), None),
    ("summary", ("a\x7fb",), "sheet 'Texts' cell B2: holds the control character '\\x7f'"),
])
def test_bad_texts_in_a_workbook_are_refused_in_one_line(
        tmp_path: Path, registry: Registry, item: str, cells: tuple[object, ...],
        expected: str | None) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry.ruleset("kk-se@2.0"))))
    wb["Evaluation"]["B3"] = "X"
    ws = wb["Texts"]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == item)
    for column, value in enumerate(cells, start=2):
        ws.cell(row, column, value)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    if expected is None:  # a star on a key the rule set lacks: scoring refuses it
        with pytest.raises(InputError, match=r"areas\.1\.subareas\.1\.9\.gold_star: a gold star"):
            from kompass_core import score
            score(load_evaluation(path), registry=registry)
        return
    with pytest.raises(InputError) as err:
        load_evaluation(path)
    assert [p.message for p in err.value.problems] == [expected]


def test_the_schema_knows_the_new_fields(registry: Registry) -> None:
    schema = evaluation_schema(registry.ruleset("kk-se@2.0"))
    good = {"ruleset": "kk-se@2.0", "municipality": {"name": "X"},
            "evaluation": {"summary": "a\n\nb", "first": True, "interviewed": 3,
                           "groups": ["g"], "documents": ["d"]},
            "facts": [{"label": "L", "value": "V", "source": "S", "year": 2010}],
            "areas": {"1": {"comment": "c\n\nd", "gold_star": True,
                            "subareas": {"1.2": {"gold_stars": ["p"]}}}}}
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(good)) == []
    assert evaluation_from_dict(good).stars == (Star("1"), Star("1.2", "p"))
    for bad in ({"evaluation": {"interviewed": -1}}, {"facts": [{"value": "V"}]},
                {"areas": {"1": {"strengths": ["two\nlines"]}}},
                {"evaluation": {"interviews": 4}}):
        assert list(validator.iter_errors({**good, **bad})), bad


def test_a_stored_document_with_a_bad_count_says_why_in_one_line() -> None:
    data = unstructure(load_evaluation(UV))
    data["conduct"]["interviewed"] = -1
    with pytest.raises(InputError) as err:
        structure(data, Evaluation)
    assert [p.message for p in err.value.problems] == [
        "expected a number of people (a whole number >= 0), got -1 @ $.conduct"]
