"""A catalogue of bad evaluation files: each one is refused the same way.

Every case: exit code 2, exactly one line on stderr (``kompass: error:``
then file, line where known, key path and message), nothing on stdout, no
traceback, and no file written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kompass_core.cli.main import main

HEAD = 'ruleset = "kk-se@2.0"\n[municipality]\nname = "X"\n'
JSON_HEAD = '{"ruleset": "kk-se@2.0", "municipality": {"name": "X"}'

# (id, file name, content, expected message after "kompass: error: "; {f} is the file)
CASES: list[tuple[str, str, str | bytes, str]] = [
    ("malformed-toml", "e.toml", 'ruleset = "kk-se@2.0"\n[municipality\n',
     "{f}:2: invalid TOML: Expected ']' at the end of a table declaration"),
    ("unterminated-string", "e.toml", 'ruleset = "kk-se@2.0\n',
     "{f}:1: invalid TOML: Illegal character '\\n'"),
    ("empty-file", "e.toml", "", "{f}: is empty"),
    ("only-whitespace", "e.toml", "\n  \n\t\n", "{f}: is empty"),
    ("binary-garbage", "e.toml", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
     "{f}:1: is not valid UTF-8 text (binary file?)"),
    ("nul-byte", "e.toml", HEAD + "\x00",
     "{f}:4: contains NUL bytes (binary file?)"),
    ("bom", "e.toml", "\ufeff" + HEAD,
     "{f}:1: starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"),
    ("duplicate-key-toml", "e.toml", HEAD + "[areas.1]\npoints = 1\npoints = 2\n",
     "{f}:6: invalid TOML: Cannot overwrite a value"),
    ("duplicate-table-toml", "e.toml", HEAD + "[areas.1]\npoints = 1\n[areas.1]\n",
     "{f}:6: invalid TOML: Cannot declare ('areas', '1') twice"),
    ("duplicate-key-json", "e.json", JSON_HEAD + ', "ruleset": "kk-se@2.0"}',
     "{f}: invalid JSON: duplicate key 'ruleset'"),
    ("nan-json", "e.json", JSON_HEAD + ', "areas": {"1": {"points": NaN}}}',
     "{f}: invalid JSON: NaN is not a number JSON allows"),
    ("truncated-json", "e.json", JSON_HEAD, "{f}:1: invalid JSON: Expecting ',' delimiter"),
    ("json-not-object", "e.json", "[1, 2]", "{f}: expected a JSON object at the top"),
    ("missing-ruleset", "e.toml", '[municipality]\nname = "X"\n',
     "{f}: missing required key 'ruleset'"),
    ("ruleset-not-a-string", "e.toml", 'ruleset = 2.0\n[municipality]\nname = "X"\n',
     "{f}:1: ruleset: expected a string, got a number"),
    ("ruleset-without-version", "e.toml", 'ruleset = "kk-se"\n[municipality]\nname = "X"\n',
     "{f}:1: ruleset: invalid rule-set reference 'kk-se': expected id@version, e.g. kk-se@2.0"),
    ("unknown-version", "e.toml", 'ruleset = "kk-se@9.9"\n[municipality]\nname = "X"\n',
     "{f}:1: ruleset: unknown rule set 'kk-se@9.9' (known: {known})"),
    ("unknown-ruleset", "e.toml", 'ruleset = "kk-xx@2.0"\n[municipality]\nname = "X"\n',
     "{f}:1: ruleset: unknown rule set 'kk-xx@2.0' (known: {known})"),
    ("missing-municipality", "e.toml", 'ruleset = "kk-se@2.0"\n',
     "{f}: missing required key 'municipality'"),
    ("missing-name", "e.toml", 'ruleset = "kk-se@2.0"\n[municipality]\ncode = "0114"\n',
     "{f}:2: municipality: missing required key 'name'"),
    ("empty-name", "e.toml", 'ruleset = "kk-se@2.0"\n[municipality]\nname = " "\n',
     "{f}:3: municipality.name: must not be empty"),
    ("bad-country", "e.toml", HEAD + 'country = "se"\n',
     "{f}:4: municipality.country: 'se' is not an ISO 3166 country code such as SE"),
    ("points-above-max", "e.toml", HEAD + '[areas.3.subareas."3.2"]\npoints = 24\n',
     "{f}:5: areas.3.subareas.3.2: 24 points exceeds max 20"),
    ("area-above-max", "e.toml", HEAD + "[areas.1]\npoints = 100.5\n",
     "{f}:5: areas.1: 100.5 points exceeds max 100"),
    ("negative-points", "e.toml", HEAD + "[areas.2]\npoints = -1\n",
     "{f}:5: areas.2: -1 points is negative"),
    ("nan-points", "e.toml", HEAD + "[areas.1]\npoints = nan\n",
     "{f}:5: areas.1.points: NaN is not a finite number"),
    ("infinite-points", "e.toml", HEAD + "[areas.1]\npoints = inf\n",
     "{f}:5: areas.1.points: Infinity is not a finite number"),
    ("boolean-points", "e.toml", HEAD + "[areas.1]\npoints = true\n",
     "{f}:5: areas.1.points: expected a number, got a boolean"),
    ("string-points", "e.toml", HEAD + '[areas.1]\npoints = "68"\n',
     "{f}:5: areas.1.points: expected a number, got a string"),
    ("boolean-points-json", "e.json", JSON_HEAD + ', "areas": {"1": {"points": false}}}',
     "{f}: areas.1.points: expected a number, got a boolean"),
    ("unknown-area", "e.toml", HEAD + "[areas.9]\npoints = 1\n",
     "{f}:5: areas.9: no criterion '9' in kk-se@2.0"),
    ("unknown-question", "e.toml",
     HEAD + '[areas.1.subareas."1.1".questions."1.1.1"]\npoints = 1\n',
     "{f}:5: areas.1.subareas.1.1.questions.1.1.1: no criterion '1.1.1' in kk-se@2.0"),
    ("subarea-under-wrong-area", "e.toml", HEAD + '[areas.1.subareas."2.1"]\npoints = 1\n',
     "{f}:4: areas.1.subareas.2.1: key must be under 1: 1.N with N a positive whole number"),
    ("area-key-not-a-number", "e.toml", HEAD + "[areas.one]\npoints = 1\n",
     "{f}:4: areas.one: key must be N with N a positive whole number"),
    ("levels-disagree", "e.toml",
     HEAD + '[areas.3]\npoints = 30\n[areas.3.subareas."3.1"]\npoints = 20\n'
            '[areas.3.subareas."3.2"]\npoints = 20\n[areas.3.subareas."3.3"]\npoints = 20\n',
     "{f}:5: areas.3: 30 points disagrees with its sub-areas (sum between 60 and 100)"),
    ("unknown-top-key", "e.toml", HEAD + "scores = [1]\n",
     "{f}:4: municipality.scores: unknown key (expected one of: name, code, country)"),
    ("typo-in-notes", "e.toml", HEAD + '[areas.1]\nstrenghts = ["x"]\n',
     "{f}:5: areas.1.strenghts: unknown key (expected one of: points, comment, subareas, "
     "strengths, improvements, weaknesses, references)"),
    ("notes-not-a-list", "e.toml", HEAD + '[areas.1]\nstrengths = "good"\n',
     "{f}:5: areas.1.strengths: expected an array of strings, got a string"),
    ("note-not-a-string", "e.toml", HEAD + "[areas.1]\nweaknesses = [1]\n",
     "{f}:5: areas.1.weaknesses.0: expected a non-empty string, got an integer"),
    ("bad-date-json", "e.json", JSON_HEAD + ', "evaluation": {"date": "2011-13-01"}}',
     "{f}: evaluation.date: '2011-13-01' is not a date (YYYY-MM-DD)"),
    ("datetime-not-date", "e.toml", HEAD + "[evaluation]\ndate = 2011-05-30T10:00:00\n",
     "{f}:5: evaluation.date: expected a date, got a date-time"),
    ("areas-not-a-table", "e.toml", 'ruleset = "kk-se@2.0"\nareas = 3\n'
                                    '[municipality]\nname = "X"\n',
     "{f}:2: areas: expected a table, got an integer"),
    ("evaluators-not-a-list", "e.toml", HEAD + '[evaluation]\nevaluators = "A"\n',
     "{f}:5: evaluation.evaluators: expected an array of strings, got a string"),
]


def _known() -> str:
    from kompass_core import default_registry

    return ", ".join(str(r.ref) for r in default_registry().rulesets())


@pytest.mark.parametrize(("name", "content", "expected"),
                         [pytest.param(c[1], c[2], c[3], id=c[0]) for c in CASES])
def test_bad_evaluation_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   name: str, content: str | bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = sorted(tmp_path.iterdir())
    for command in (["validate"], ["score"], ["score", "--format", "json"]):
        code = main([*command, str(path)])
        out, err = capsys.readouterr()
        assert code == 2, command
        assert out.strip() in ("", "[]"), command
        assert err.splitlines() == ["kompass: error: " + expected.format(f=path, known=_known())]
    assert sorted(tmp_path.iterdir()) == before


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", "{d}/missing.toml"], "{d}/missing.toml: no such file"),
    (["validate", "{d}"], "{d}: is a directory, not a file"),
    (["validate", "{d}/big.toml"], "{d}/big.toml: file is larger than the limit of 4194304 bytes"),
    (["rulesets", "show", "kk-se"], "invalid rule-set reference 'kk-se': expected id@version, "
                                    "e.g. kk-se@2.0"),
    (["template", "nope@1"], "unknown rule set 'nope@1' (known: {known})"),
])
def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                       expected: str) -> None:
    (tmp_path / "big.toml").write_bytes(b"#" * (4 * 1024 * 1024 + 1))
    code = main([a.format(d=tmp_path) for a in args])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines() == ["kompass: error: " + expected.format(d=tmp_path, known=_known())]


def test_template_to_a_file_writes_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "t.toml"
    assert main(["template", "nope@1", "-o", str(target)]) == 2
    assert not target.exists()


@pytest.mark.parametrize("case", ["binary-garbage", "levels-disagree", "nan-json"])
def test_real_process_prints_no_traceback(tmp_path: Path, case: str) -> None:
    _, name, content, _ = next(c for c in CASES if c[0] == case)
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", "score", str(path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_stdin_is_read_for_dash() -> None:
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", "validate", "-"],
                          input=HEAD + "[areas.1]\npoints = 101\n", capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "kompass: error: <stdin>:5: areas.1: 101 points exceeds max 100\n"
