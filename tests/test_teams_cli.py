"""``kompass agree`` and ``kompass consensus`` end to end: output formats, the consensus
file refused while a decision is open, scored on its decided points, and in the report."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w

import kompass_core as kk
from kompass_core.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TEAM = [str(ROOT / "examples" / "team" / f"provby-{name}.toml")
        for name in ("anna", "britt", "carl")]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_agree_prints_alpha_areas_and_the_agenda(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agree", *TEAM, "--bootstrap", "200")
    assert code == 0
    assert "3 evaluators, Provby, 2026-11-20, kk-se@2.0: 39 sub-areas" in out
    assert "Krippendorff's alpha (interval): 0.98" in out and "117 pairable values" in out
    agenda = out.split("Agenda:")[1].splitlines()
    assert agenda[2].startswith("1.3") and agenda[2].rstrip().endswith("4")  # widest first


def test_agree_json_and_csv_say_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "agree", *TEAM, "--format", "json", "--metric", "ordinal",
                    "--bootstrap", "100", "--seed", "3")
    doc = json.loads(out)
    assert doc["metric"] == "ordinal" and doc["level"] == "subarea"
    assert doc["agenda"][0] == {"key": "1.3", "values": {"Anna Berg": "15", "Britt Dahl": "18",
                                                         "Carl Ek": "14"}, "spread": "4"}
    _, text, _ = run(capsys, "agree", *TEAM, "--format", "csv", "--metric", "ordinal",
                     "--bootstrap", "100", "--seed", "3")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert float(rows[0]["alpha"]) == pytest.approx(doc["total"]["alpha"], abs=5e-4)
    assert [r["key"] for r in rows if r["kind"] == "item"] == [i["key"] for i in doc["agenda"]]


def test_a_mixed_team_is_one_line_naming_the_odd_file(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    odd = tmp_path / "odd.toml"
    odd.write_text(Path(TEAM[2]).read_text("utf-8").replace("2026-11-20", "2026-10-01"),
                   "utf-8")
    code, _, err = run(capsys, "agree", TEAM[0], TEAM[1], str(odd))
    assert code == 2 and err.count("\n") == 1
    assert "odd.toml" in err and "date 2026-10-01" in err and "Traceback" not in err


def _filled(path: Path, reason: str | None) -> Path:
    doc = tomllib.loads(path.read_text("utf-8"))
    for decision in doc["decisions"].values():
        decision["points"] = max(decision["values"].values()) + (0 if reason is None else 1)
        if reason:
            decision["reason"] = reason
    out = path.with_name("final.toml")
    out.write_text(tomli_w.dumps(doc), "utf-8")
    return out


def test_consensus_then_decide_then_validate_score_and_report(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "consensus.toml"
    code, out, _ = run(capsys, "consensus", *TEAM, "-o", str(target), "--bootstrap", "200")
    assert code == 0 and "10 open decisions" in out
    code, _, err = run(capsys, "validate", str(target))
    assert code == 2 and "decisions.1.3: open decision" in err and err.count("\n") == 10
    final = _filled(target, None)  # the highest value given: inside the range, no reason
    code, out, _ = run(capsys, "validate", str(final))
    assert code == 0 and "complete" in out
    evaluation = kk.load_evaluation(final)
    assert evaluation.points["1.3"] == 18 and kk.score(evaluation)["1.3"].low == 18
    md = kk.render_markdown(kk.build_report(kk.score(evaluation),
                                            kk.default_registry().ruleset("kk-se@2.0"),
                                            evaluation, "sv"))
    assert "3 utvärderare, samstämmighet alfa = 0,9" in md
    outside = _filled(target, "")
    code, _, err = run(capsys, "validate", str(outside))
    assert code == 2 and "decisions.1.3: 19 points is outside the evaluators' range 14-18" in err
    reasoned = _filled(target, "documents found after the interviews")
    assert run(capsys, "validate", str(reasoned))[0] == 0


def test_consensus_refuses_to_overwrite_a_team_file(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    copy = tmp_path / "a.toml"
    copy.write_text(Path(TEAM[0]).read_text("utf-8"), "utf-8")
    code, _, err = run(capsys, "consensus", str(copy), TEAM[1], "-o", str(copy))
    assert code == 2 and "is an input of this command" in err


def test_the_shipped_consensus_is_final_and_keeps_its_audit_trail() -> None:
    evaluation = kk.load_evaluation(ROOT / "examples" / "team" / "provby-consensus.toml")
    consensus = evaluation.consensus
    assert consensus is not None and consensus.problems() == []
    assert consensus.evaluators == ("Anna Berg", "Britt Dahl", "Carl Ek")
    made = kk.consensus_document(kk.read_team(TEAM))["team"]["files"]
    assert dict(consensus.files) == made  # the content hashes of the files it was made from
    assert kk.score(evaluation).complete


def test_the_store_keeps_a_consensus(capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    """The lossless JSON of the store (unstructure, structure) keeps team and decisions."""
    path = ROOT / "examples" / "team" / "provby-consensus.toml"
    evaluation = kk.load_evaluation(path)
    assert kk.structure(kk.unstructure(evaluation), kk.Evaluation) == evaluation
    db = str(tmp_path / "results.db")
    assert run(capsys, "db", "import", str(path), "--db", db)[0] == 0
    _, out, _ = run(capsys, "db", "export", "--format", "json", "--db", db)
    (stored,) = [e for e in json.loads(out)["evaluations"] if "Provby" in json.dumps(e)]
    assert len(json.dumps(stored).split('"reason"')) == 11  # its ten decisions, with reasons


def test_only_agree_and_consensus_import_numpy() -> None:
    """Validating, scoring and reporting a consensus reads its model value: no numpy."""
    import subprocess
    import sys

    code = ("import sys; from kompass_core.cli.main import main; "
            f"main(['validate', {str(ROOT / 'examples' / 'team' / 'provby-consensus.toml')!r}]); "
            "sys.exit('numpy' in sys.modules or 'krippendorff' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_the_evaluation_schema_knows_team_and_decisions() -> None:
    import jsonschema

    doc = tomllib.loads((ROOT / "examples" / "team" / "provby-consensus.toml")
                        .read_text("utf-8"))
    doc["evaluation"]["date"] = str(doc["evaluation"]["date"])  # JSON has no dates
    schema = kk.evaluation_schema(kk.default_registry().ruleset("kk-se@2.0"))
    jsonschema.validate(doc, schema)
    doc["decisions"]["1.3"]["point"] = 15
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


@pytest.mark.parametrize(("lang", "sentence"), [
    ("sv", "3 utvärderare, samstämmighet alfa = 0,99 [0,91, 1,00]"),
    ("nb", "3 evaluatorer, samstemmighet alfa = 0,99 [0,91, 1,00]"),
    ("da", "3 evaluatorer, enighed alfa = 0,99 [0,91, 1,00]"),
    ("en", "3 evaluators, agreement alpha = 0.99 [0.91, 1.00]"),
])
def test_the_report_states_the_agreement_in_its_language(lang: str, sentence: str) -> None:
    evaluation = kk.load_evaluation(ROOT / "examples" / "team" / "provby-consensus.toml")
    ruleset = kk.default_registry().ruleset("kk-se@2.0")
    html = kk.render_html(kk.build_report(kk.score(evaluation), ruleset, evaluation, lang))
    assert f"<td colspan=\"2\">{sentence}</td>" in html
