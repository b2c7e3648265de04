"""The command line: outputs tools parse, the template round trip, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tomllib
import types
from fractions import Fraction
from pathlib import Path

import pytest

from kompass_core import (
    Registry,
    ScoreCard,
    hookimpl,
    load_evaluation,
    parse_evaluation,
    score,
    structure,
)
from kompass_core.cli.main import COMMANDS, main
from tests.conftest import EXAMPLES, ROOT

UV = str(EXAMPLES / "upplands-vasby-2011.toml")
PARTIAL = str(EXAMPLES / "exempelby-partial.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_is_a_list_of_lossless_cards(capsys: pytest.CaptureFixture[str],
                                                registry) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "score", UV, PARTIAL, "--format", "json")
    assert (code, err) == (0, "")
    docs = json.loads(out)
    assert [d["file"] for d in docs] == [UV, PARTIAL]
    assert docs[0]["format"] == "kompass.scorecard/1"
    assert docs[0]["scores"][0] == {"key": "total", "level": "total", "low": "499",
                                    "high": "499", "max": "800", "provenance": "computed",
                                    "display": "499"}
    assert docs[1]["complete"] is False
    for doc, path in zip(docs, (UV, PARTIAL), strict=True):
        del doc["file"]
        assert structure(doc, ScoreCard) == score(load_evaluation(path), registry=registry)


def test_score_csv_has_one_row_per_evaluation_and_criterion(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", UV, PARTIAL, "--format", "csv", "--lang", "en")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 * (1 + 46)  # total + 8 areas + 38 sub-areas, per file
    total = next(r for r in rows if r["file"] == PARTIAL and r["key"] == "total")
    assert (total["low"], total["high"], total["max"]) == ("212.5", "678.5", "800")
    area6 = next(r for r in rows if r["file"] == UV and r["key"] == "6")
    assert area6["label"] == "The municipality as employer – personnel policy"
    assert area6["provenance"] == "given"
    assert Fraction(total["low"]) == Fraction(425, 2)


def test_one_bad_file_does_not_stop_the_others(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("ruleset = 1\n")
    code, out, err = run(capsys, "score", UV, str(bad), "--format", "json")
    assert code == 2
    assert len(json.loads(out)) == 1
    assert err.startswith(f"kompass: error: {bad}:1: ruleset: expected a string")


def test_template_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                             registry) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "t.toml"
    assert run(capsys, "template", "kk-se@2.0", "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    ruleset = registry.ruleset("kk-se@2.0")
    # every criterion has its table and its max in a comment
    for c in ruleset.criteria():
        assert f"# points =   # 0 to {c.max}" in text
    assert set(data["areas"]) == {a.key for a in ruleset.areas}
    header = '[areas.3.subareas."3.2"]  # Politiska mål\n'
    filled = text.replace('name = ""', 'name = "Testby"').replace(
        header + "# points =   # 0 to 20 (assumed: max)", header + "points = 17")
    card = score(parse_evaluation(filled, "filled.toml"), registry=registry)
    assert card["3.2"].low == 17
    assert (card.total.low, card.total.high) == (17, 800 - 3)


def test_template_to_stdout_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "template", "kk-se@2.0", "--lang", "en")
    assert code == 0
    assert "[areas.6]  # The municipality as employer – personnel policy" in out


def test_rulesets_show_marks_every_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rulesets", "show", "kk-se@2.0")
    assert code == 0
    assert out.count("[assumed: max]") == 38
    assert "Assumed for the whole rule set: rounding" in out
    assert "Sources:" in out
    code, out, _ = run(capsys, "rulesets", "show", "kk-se@2.0", "--format", "json")
    doc = json.loads(out)
    assert doc["ref"] == "kk-se@2.0"
    assert doc["plugin"] == "skr"
    assert doc["areas"][0]["children"][0]["assumed"] == ["max"]


def test_rulesets_and_plugins_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rulesets", "--format", "json")
    assert code == 0
    assert "kk-se@2.0" in [r["ref"] for r in json.loads(out)]
    code, out, _ = run(capsys, "plugins", "--format", "json")
    names = {p["name"]: p for p in json.loads(out)}
    assert names["skr"]["rulesets"] == ["kk-se@1.0", "kk-se@2.0", "kk-se@2015", "kk-se@2020"]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "rulesets", "show")[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["score"])
    assert info.value.code == 2
    assert main([]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("kompass ")


def test_internal_errors_are_one_line(tmp_path: Path) -> None:
    """A bug must not print a traceback; KOMPASS_DEBUG shows one."""
    code = ("import kompass_core.cli.commands as c, sys\n"
            "def boom(args): raise RuntimeError('boom')\n"
            "c.plugins = boom\n"
            "from kompass_core.cli.main import main\n"
            "sys.exit(main(['plugins']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 3
    assert proc.stderr.startswith("kompass: internal error: RuntimeError: boom")
    assert "Traceback" not in proc.stderr


def _faulty_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's registry gets a plugin that fails, so it is disabled with a warning."""
    import kompass_core.registry.default as registry_module

    def configure(*, disabled: object = (), strict: bool = False) -> None:
        reg = Registry(strict=strict)
        reg.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda: 1 / 0)), "faulty")
        monkeypatch.setattr(registry_module, "_default", reg)

    import kompass_core  # the command line takes it from the public API

    monkeypatch.setattr(kompass_core, "configure_default", configure)


def test_plugin_warning_is_printed_when_the_command_fails(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The warning that a plugin was disabled explains the error it causes."""
    _faulty_plugin(monkeypatch)
    code, out, err = run(capsys, "rulesets", "show", "kk-xx@1.0")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith("kompass: error: unknown rule set 'kk-xx@1.0'")
    assert lines[1:] == ["kompass: warning: plugin 'faulty' disabled: kompass_rulesets() "
                         "raised ZeroDivisionError: division by zero"]


def test_no_warning_is_written_after_a_broken_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken pipe closes stderr: the warnings are left out, without a traceback."""
    import kompass_core.cli.commands as commands
    from kompass_core.registry.default import default_registry

    def broken(args: object) -> int:
        default_registry().rulesets()  # loads the plugins: one is disabled
        raise BrokenPipeError

    _faulty_plugin(monkeypatch)
    monkeypatch.setattr(commands, "plugins", broken)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["plugins"]) == 0
    assert sys.stderr.closed


def test_a_command_that_cannot_be_imported_is_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(COMMANDS, "plugins", "no_such_module")
    code, out, err = run(capsys, "plugins")
    assert (code, out) == (3, "")
    assert err.startswith("kompass: internal error: ModuleNotFoundError: ")
    assert len(err.splitlines()) == 1


def test_quiet_exit_when_stdout_is_closed() -> None:
    proc = subprocess.run(f"{sys.executable} -m kompass_core.cli rulesets show kk-se@2.0 "
                          "| head -1", shell=True, capture_output=True, text=True, check=False)
    assert proc.stdout.startswith("kk-se@2.0")
    assert "Traceback" not in proc.stderr


ORE = str(EXAMPLES / "orebro-2012.toml")
GRA = str(EXAMPLES / "grastorp-2014.toml")
VAL = str(EXAMPLES / "vallentuna-2021.toml")


def test_migrate_json_carries_path_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "migrate", UV, "--to", "kk-se@2020", "--format", "json")
    assert code == 0
    (doc,) = json.loads(out)
    assert doc["ruleset"] == "kk-se@2020"
    assert doc["migration"] == {"path": ["kk-se@2.0 -> kk-se@2015", "kk-se@2015 -> kk-se@2020"],
                                "uncalibrated": ["kk-se@2.0 -> kk-se@2015",
                                                 "kk-se@2015 -> kk-se@2020"]}
    assert doc["scores"][0]["provenance"] == "migrated"


def test_migrate_to_unknown_ruleset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "migrate", UV, "--to", "kk-se@9")
    assert (code, out) == (2, "")
    assert err.startswith("kompass: error: unknown rule set 'kk-se@9'")


def test_compare_same_version_gives_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", UV, ORE, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["on"] == "kk-se@2.0"
    (change,) = doc["changes"]
    diffs = {d["key"]: d for d in change["differences"]}
    assert (diffs["total"]["low"], diffs["total"]["verdict"]) == ("116", "up")
    assert diffs["1"]["verdict"] == "same"
    assert change["uncalibrated"] == []


def test_compare_across_uncalibrated_steps_cannot_be_judged(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", ORE, VAL)
    assert code == 0
    assert "cannot be judged" in out
    assert "Change 1->2 cannot be judged: only one of the two crossed" in out
    code, out, _ = run(capsys, "compare", ORE, VAL, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["verdict"] for r in rows} == {"cannot be judged"}


def test_compare_on_1_0_shows_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", UV, GRA, "--on", "kk-se@1.0", "--format", "json")
    assert code == 0
    total = next(d for d in json.loads(out)["changes"][0]["differences"] if d["key"] == "total")
    # 506 - 499 = 7, widened by both cards' +80..100 calibration
    assert (total["low"], total["high"], total["verdict"]) == ("-13", "27",
                                                               "within the uncertainty")


def test_score_a_folder_streams_every_evaluation_in_it(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    for name in ("b.toml", "a.toml"):
        (tmp_path / name).write_text(Path(UV).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an evaluation")
    code, out, _ = run(capsys, "score", str(tmp_path), "--format", "json")
    assert code == 0
    assert [d["file"] for d in json.loads(out)] == [str(tmp_path / "a.toml"),
                                                   str(tmp_path / "b.toml")]
    code, out, _ = run(capsys, "score", str(tmp_path / "missing"), "--format", "json")
    assert (code, json.loads(out)) == (2, [])


RULESET = ROOT / "rulesets" / "skr" / "kk-se-2.0.toml"
MIGRATION = ROOT / "rulesets" / "skr" / "kk-se-2.0--kk-se-2015.migration.toml"


def test_validate_parses_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Its kind is told from the parsed document, which is then built without a second parse."""
    paths = []
    for name, source in (("e.toml", Path(UV)), ("r.toml", RULESET), ("m.toml", MIGRATION),
                         ("p.toml", EXAMPLES / "profiles" / "democracy-first.toml")):
        paths.append(tmp_path / name)  # a comment of its own: no other file has this text
        paths[-1].write_text(f"# {name}\n" + source.read_text(encoding="utf-8"),
                             encoding="utf-8")
    parsed: list[str] = []
    loads = tomllib.loads

    def counting(text: str, **options: object) -> object:
        parsed.append(text)
        return loads(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(tomllib, "loads", counting)
    code, out, err = run(capsys, "validate", *map(str, paths))
    assert (code, err) == (0, "")
    assert [line.split(": ok (")[1].split()[0] for line in out.splitlines()] == [
        "kk-se@2.0,", "rule", "migration", "profile"]
    assert [parsed.count(p.read_text(encoding="utf-8")) for p in paths] == [1, 1, 1, 1]


def test_validate_tells_the_kind_of_stdin_by_its_keys(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def stdin(path: Path) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))

    stdin(RULESET)
    assert run(capsys, "validate", "-") == (
        0, "-: ok (rule set kk-se@2.0, 8 areas, max 800, 38 criteria with assumptions)\n", "")
    stdin(MIGRATION)
    assert run(capsys, "validate", "-") == (
        0, "-: ok (migration kk-se@2.0 -> kk-se@2015, uncalibrated)\n", "")
    stdin(EXAMPLES / "profiles" / "democracy-first.toml")  # the loader takes it as parsed
    code, out, err = run(capsys, "validate", "-")
    assert (code, err) == (0, "")
    assert out.startswith("-: ok (profile democracy-first for kk-se@2.0, weighting weighted(")


def test_validate_says_ok_per_kind_and_complete_fails_a_partial_card(
        capsys: pytest.CaptureFixture[str]) -> None:
    files = [UV, PARTIAL, str(RULESET), str(MIGRATION)]
    code, out, err = run(capsys, "validate", "--complete", *files)
    assert code == 1
    assert out.splitlines() == [
        f"{UV}: ok (kk-se@2.0, complete, total 499 of 800)",
        f"{PARTIAL}: ok (kk-se@2.0, partial, total 212.5-678.5 of 800)",
        f"{RULESET}: ok (rule set kk-se@2.0, 8 areas, max 800, 38 criteria with assumptions)",
        f"{MIGRATION}: ok (migration kk-se@2.0 -> kk-se@2015, uncalibrated)"]
    assert err == (f"kompass: check failed: {PARTIAL}: not fully scored "
                   "(30 criteria unscored, total open by 466 points)\n")
    assert run(capsys, "validate", *files)[0] == 0
    code, _, err = run(capsys, "validate", "--complete", PARTIAL, str(EXAMPLES / "bad-points.toml"))
    assert code == 2  # a file that does not validate outweighs one that is only partial
    assert err.count("kompass: error: ") == 1
