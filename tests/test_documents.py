"""read_document: every documented kind told apart by reading once, problems on their lines."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from kompass_core import InputError, default_registry, load_evaluation, to_json
from kompass_core.formats.documents import KINDS, read_document
from kompass_core.formats.ruleset import ruleset_from_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "upplands-vasby-2011.toml"


def test_each_shipped_kind_is_told_by_its_content(tmp_path: Path) -> None:
    card = default_registry().score(load_evaluation(EXAMPLE))
    (tmp_path / "card.json").write_text(to_json(card), "utf-8")
    (tmp_path / "results.txt").write_text(
        (ROOT / "kompass_core" / "data" / "published-results.csv").read_text("utf-8"), "utf-8")
    (tmp_path / "export.json").write_text('{"format": "kompass.store/1", "evaluations": []}',
                                          "utf-8")
    cases = {
        EXAMPLE: "evaluation",
        ROOT / "rulesets" / "skr" / "kk-se-2.0.toml": "ruleset",
        ROOT / "rulesets" / "skr" / "kk-se-2.0--kk-se-1.0.migration.toml": "migration",
        ROOT / "examples" / "profiles" / "democracy-first.toml": "profile",
        tmp_path / "card.json": "scorecard",
        tmp_path / "results.txt": "results",
        tmp_path / "export.json": "store",
    }
    assert sorted(set(cases.values())) == sorted(KINDS)
    assert {path: read_document(path).kind for path in cases} == cases


def test_an_evaluation_document_gives_the_evaluation_the_loader_gives() -> None:
    assert read_document(EXAMPLE).evaluation() == load_evaluation(EXAMPLE)


def test_stdin_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    data = EXAMPLE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    document = read_document("-")
    assert (document.name, document.kind) == ("<stdin>", "evaluation")
    assert document.evaluation() == load_evaluation(EXAMPLE)


def test_problems_land_on_the_line_of_their_key(tmp_path: Path) -> None:
    text = (ROOT / "rulesets" / "skr" / "kk-se-2.0.toml").read_text("utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('organisation = "SKL"', 'organisation = 7', 1), "utf-8")
    line = next(n for n, row in enumerate(bad.read_text("utf-8").splitlines(), 1)
                if row.startswith("organisation"))
    with pytest.raises(InputError) as err:
        read_document(bad).build(ruleset_from_data)
    assert (err.value.problems[0].file, err.value.problems[0].line) == (str(bad), line)


def test_asking_for_the_wrong_thing_is_one_clear_error(tmp_path: Path) -> None:
    ruleset = ROOT / "rulesets" / "skr" / "kk-se-2.0.toml"
    with pytest.raises(InputError, match="is a rule set, not an evaluation"):
        read_document(ruleset).evaluation()
    with pytest.raises(InputError, match="unknown kind 'recipe'"):
        read_document(ruleset, kind="recipe")
    csv = tmp_path / "r.csv"
    csv.write_text("ruleset,kind\n", "utf-8")
    with pytest.raises(InputError, match="is a results table, not a TOML or JSON document"):
        read_document(csv).build(ruleset_from_data)


def test_a_score_cards_municipality_follows_the_evaluations_rules() -> None:
    """The card reader had its own municipality reader, which let ``country = "se"`` pass."""
    from kompass_core import scorecard_from_dict, unstructure

    data = unstructure(default_registry().score(load_evaluation(EXAMPLE)))
    assert scorecard_from_dict(data).municipality.country == "SE"
    data["municipality"]["country"] = "se"
    with pytest.raises(InputError, match=r"municipality\.country: 'se' is not an ISO 3166"):
        scorecard_from_dict(data)
