"""A catalogue of bad evaluation files: each one is refused the same way.

Every case: exit code 2, exactly one line on stderr (``kompass: error:``
then file, line where known, key path and message), nothing on stdout, no
traceback, and no file written.
"""

from __future__ import annotations

import argparse
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
    ("bom", "e.toml", "\ufeff" + HEAD + "[areas.1]\npoints = 101\n",  # read; lines still right
     "{f}:5: areas.1: 101 points exceeds max 100"),
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
    ("status-maybe", "e.toml", HEAD + '[areas.1]\nstatus = "maybe"\n',
     "{f}:5: areas.1.status: unknown status 'maybe' (one of: not-applicable, withheld)"),
    ("points-and-not-applicable", "e.toml",
     HEAD + '[areas.1]\npoints = 5\nstatus = "not-applicable"\n',
     '{f}:6: areas.1.status: points and status = "not-applicable" exclude each other'),
    ("not-applicable-forbidden", "e.toml",
     HEAD + '[areas.3.subareas."3.2"]\nstatus = "not-applicable"\n',
     "{f}:5: areas.3.subareas.3.2.status: kk-se@2.0 does not allow not-applicable items "
     "(its [missing] not_applicable is forbidden)"),
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
     "{f}:5: areas.2.points: -1 points is negative"),
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
     "{f}:5: areas.1.strenghts: unknown key (expected one of: points, status, comment, subareas, "
     "strengths, improvements, weaknesses, references, gold_star, gold_stars)"),
    ("notes-not-a-list", "e.toml", HEAD + '[areas.1]\nstrengths = "good"\n',
     "{f}:5: areas.1.strengths: expected an array of strings, got a string"),
    ("note-not-a-string", "e.toml", HEAD + "[areas.1]\nweaknesses = [1]\n",
     "{f}:5: areas.1.weaknesses.0: expected a non-empty string, got an integer"),
    ("bad-date-json", "e.json", JSON_HEAD + ', "evaluation": {"date": "2011-13-01"}}',
     "{f}: evaluation.date: '2011-13-01' is not a date: month 13 is not 1 to 12"),
    ("no-such-day", "e.toml", HEAD + '[evaluation]\ndate = "2014-02-30"\n',
     "{f}:5: evaluation.date: '2014-02-30' is not a date: day 30 is not 1 to 28 in 2014-02"),
    ("month-13", "e.toml", HEAD + '[evaluation]\ndate = "2014-13"\n',
     "{f}:5: evaluation.date: '2014-13' is not a date: month 13 is not 1 to 12"),
    ("two-digit-year", "e.json", JSON_HEAD + ', "evaluation": {"date": "21-02"}}',
     "{f}: evaluation.date: '21-02' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("year-out-of-range", "e.toml", HEAD + "[evaluation]\ndate = 20140\n",
     "{f}:5: evaluation.date: 20140 is not a year"),
    ("datetime-not-date", "e.toml", HEAD + "[evaluation]\ndate = 2011-05-30T10:00:00\n",
     "{f}:5: evaluation.date: expected a date, got a date-time"),
    ("areas-not-a-table", "e.toml", 'ruleset = "kk-se@2.0"\nareas = 3\n'
                                    '[municipality]\nname = "X"\n',
     "{f}:2: areas: expected a table, got an integer"),
    ("evaluators-not-a-list", "e.toml", HEAD + '[evaluation]\nevaluators = "A"\n',
     "{f}:5: evaluation.evaluators: expected an array of strings, got a string"),
    ("deep-dotted-key", "e.toml", HEAD + "a" + ".a" * 20 + " = 1\n",
     "{f}:4: a key of 21 dotted parts nests deeper than the limit of 16 levels"),
    ("deep-dotted-header", "e.toml", HEAD + "[" + ".".join(["areas"] * 17) + "]\n",
     "{f}:4: a key of 17 dotted parts nests deeper than the limit of 16 levels"),
    ("lone-surrogate-json", "e.json", JSON_HEAD + ', "areas": {"1": {"comment": "a\\ud800"}}}',
     "{f}: areas.1.comment: holds \\ud800, half of a UTF-16 pair (a lone surrogate), not a "
     "character: write the character itself"),
    ("lone-surrogate-json-key", "e.json", JSON_HEAD + ', "areas": {"\\udc00": {}}}',
     "{f}: areas: a key holds \\udc00, half of a UTF-16 pair (a lone surrogate), not a "
     "character: write the character itself"),
    ("lone-surrogate-toml", "e.toml", HEAD + '[areas.1]\ncomment = "a\\ud800"\n',
     "{f}:5: invalid TOML: Escaped character is not a Unicode scalar value"),
    ("decimal-comma", "e.toml", HEAD + "[areas.1]\npoints = 12,5\n",
     "{f}:5: invalid TOML: Expected newline or end of document after a statement (write "
     "decimals with a point: points = 12.5)"),
    ("nordic-date", "e.toml", HEAD + "[evaluation]\ndate = 05.10.2023\n",
     "{f}:5: invalid TOML: Expected newline or end of document after a statement (write "
     "dates as YYYY-MM-DD: date = 2023-10-05)"),
    ("nordic-date-string", "e.json", JSON_HEAD + ', "evaluation": {"date": "5.10.2023"}}',
     "{f}: evaluation.date: '5.10.2023' is not a date (YYYY, YYYY-MM or YYYY-MM-DD): write "
     "2023-10-05"),
    ("utf-16-bom", "e.toml", (HEAD + 'country = "SE"\n').encode("utf-16"),
     "{f}: is UTF-16 text, not UTF-8: save it as UTF-8"),
    ("utf-16-without-bom", "e.toml", (HEAD + 'code = "0114"\n').encode("utf-16-le"),
     "{f}: is UTF-16 text, not UTF-8: save it as UTF-8"),
    ("windows-1252", "e.toml", ('ruleset = "kk-se@2.0"\n[municipality]\nname = "Bærum"\n'
                                ).encode("cp1252"),
     "{f}:3: is Windows-1252 (Latin-1) text, not UTF-8: save it as UTF-8"),
    ("unknown-evaluation-key", "e.toml", HEAD + "[evaluation]\ninterviews = 40\n",
     "{f}:5: evaluation.interviews: unknown key (expected one of: date, evaluators, summary, "
     "first, interviewed, groups, documents)"),
    ("negative-interviewed", "e.toml", HEAD + "[evaluation]\ninterviewed = -1\n",
     "{f}:5: evaluation.interviewed: expected a number of people (a whole number >= 0), got -1"),
    ("first-not-a-boolean", "e.toml", HEAD + '[evaluation]\nfirst = "yes"\n',
     "{f}:5: evaluation.first: expected true or false, got a string"),
    ("fact-without-label", "e.toml", HEAD + '[[facts]]\nvalue = "40 311"\n',
     "{f}:4: facts.0: missing required key 'label'"),
    ("fact-bad-year", "e.toml", HEAD + '[[facts]]\nlabel = "A"\nvalue = "1"\nyear = 10\n',
     "{f}:4: facts.0.year: expected a year such as 2010, got 10"),
    ("star-on-missing-key", "e.toml", HEAD + '[areas.1.subareas."1.9"]\ngold_star = true\n',
     "{f}:5: areas.1.subareas.1.9.gold_star: a gold star on '1.9', which is no criterion of "
     "kk-se@2.0"),
    ("star-practice-on-missing-key", "e.json",
     JSON_HEAD + ', "areas": {"9": {"gold_stars": ["x"]}}}',
     "{f}: areas.9.gold_stars: a gold star on '9', which is no criterion of kk-se@2.0"),
    ("note-with-line-break", "e.toml", HEAD + '[areas.1]\nstrengths = ["a\\nb"]\n',
     "{f}:5: areas.1.strengths.0: must be one line (no line breaks)"),
    ("comment-control-character", "e.toml", HEAD + '[areas.1]\ncomment = "a\\u001bb"\n',
     "{f}:5: areas.1.comment: holds the control character '\\x1b'"),
    ("summary-too-long", "e.toml", HEAD + '[evaluation]\nsummary = "' + "x" * 50_001 + '"\n',
     "{f}:5: evaluation.summary: is 50001 characters long; the limit is 50000"),
    ("unquoted-subarea-key", "e.toml", HEAD + "[areas.3.subareas.3.2]\npoints = 1\n",
     "{f}:4: areas.3.subareas.3: key must be under 3: 3.N with N a positive whole number; "
     'write it in quotes, subareas."3.2": unquoted, its dots split it into keys'),
    ("unquoted-question-key", "e.toml",
     HEAD + '[areas.3.subareas."3.2".questions.3.2.1]\npoints = 1\n',
     "{f}:4: areas.3.subareas.3.2.questions.3: key must be under 3.2: 3.2.N with N a positive "
     'whole number; write it in quotes, questions."3.2.1": unquoted, its dots split it into keys'),
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
    (["report", "{d}"], "{d}: is a directory, not a file"),
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


# --- the other readers: rule sets, migrations, profiles, results CSV, xlsx ------------------

RS = ('id = "kk-xx"\nversion = "1.0"\norganisation = "T"\ncountry = "SE"\n'
      'title = { en = "T" }\n[areas.1]\nmax = 100\nlabel = { en = "One" }\n')
MIG = ('from = "kk-se@2.0"\nto = "kk-no@2.0"\n[calibration]\nstatus = "uncalibrated"\n'
       '[areas]\n' + "".join(f'"{i}" = {{ "{i}" = 1 }}\n' for i in range(1, 9)))
PRO = 'profile = "p"\nruleset = "kk-se@2.0"\n'
CSV_HEAD = ("ruleset,kind,country,municipality,year,a1,a2,a3,a4,a5,a6,a7,a8,total,"
            "source_url,notes\n")

# (id, file name, content, command before the path, expected message; {f} is the file)
OTHER_CASES: list[tuple[str, str, str | bytes, list[str], str]] = [
    ("ruleset-max-sum", "r.toml",
     RS + '[areas.1.subareas."1.1"]\nmax = 50\nlabel = { en = "a" }\n', ["validate"],
     "{f}:9: areas.1.subareas: maxima of the subareas add up to 50, not the max 100"),
    ("ruleset-bad-id", "r.toml", RS.replace('"kk-xx"', '"KK"'), ["validate"],
     "{f}:1: id: invalid rule-set id 'KK'"),
    ("ruleset-negative-max", "r.toml", RS.replace("max = 100", "max = -1"), ["validate"],
     "{f}:7: areas.1.max: max must be above 0, got -1"),
    ("ruleset-unknown-key", "r.toml", RS + "colour = 1\n", ["validate"],
     "{f}:9: areas.1.colour: unknown key (expected one of: max, label, translated, assumed, "
     "note, sources, subareas)"),
    ("ruleset-bad-assumption", "r.toml", RS + 'assumed = ["everything"]\n', ["validate"],
     "{f}:9: areas.1.assumed.0: 'everything' cannot be assumed (one of: exists, label, max, "
     "key)"),
    ("ruleset-label-language", "r.toml",
     RS.replace('{ en = "One" }', '{ en = "One", english = "One" }'),
     ["validate"], "{f}:8: areas.1.label.english: 'english' is not a language code such as "
                   "sv or en"),
    ("ruleset-coverage-above-one", "r.toml", RS + '[missing]\ncoverage = 1.5\n', ["validate"],
     "{f}:10: missing.coverage: coverage 1.5 is outside 0..1"),
    ("ruleset-coverage-negative", "r.toml", RS + '[missing]\ncoverage = -0.1\n', ["validate"],
     "{f}:10: missing.coverage: coverage -0.1 is outside 0..1"),
    ("ruleset-unknown-missing-rule", "r.toml", RS + '[missing]\nnot_applicable = "drop"\n',
     ["validate"], "{f}:10: missing.not_applicable: unknown rule 'drop' (one of: forbidden, "
                   "shrink, rescale)"),
    ("migration-unknown-ruleset", "m.toml", MIG.replace("kk-no@2.0", "kk-zz@1"), ["validate"],
     "{f}: unknown rule set 'kk-zz@1' (known: {known})"),
    ("migration-shares", "m.toml", MIG.replace('"1" = { "1" = 1 }', '"1" = { "1" = 0.5 }'),
     ["validate"], "{f}:6: areas.1: shares add up to 0.5, not 1"),
    ("migration-no-status", "m.toml", MIG.replace('status = "uncalibrated"\n', ""),
     ["validate"], "{f}:3: calibration: missing required key 'status'"),
    ("migration-uncalibrated-total", "m.toml",
     MIG.replace('status = "uncalibrated"', 'status = "uncalibrated"\ntotal = [1, 2]'),
     ["validate"], "{f}:5: calibration.total: an uncalibrated migration has no total"),
    ("migration-unmapped-area", "m.toml", MIG.replace('"8" = { "8" = 1 }\n', ""),
     ["validate"], "{f}:5: areas: target area 8 of kk-no@2.0 is not mapped"),
    ("migration-reversed-interval", "m.toml",
     MIG.replace('status = "uncalibrated"', 'status = "calibrated"\ntotal = [10, 5]'),
     ["validate"], "{f}:5: calibration.total: calibration low 10 is above high 5"),
    ("profile-negative-weight", "p.toml", PRO + '[weighting]\nparams = { "1" = -2 }\n',
     ["validate"], "{f}:4: weighting.params.1: weight -2 is negative"),
    ("profile-unknown-model", "p.toml", PRO + '[weighting]\nname = "heavy"\n', ["validate"],
     "unknown weighting 'heavy' (known: sum, weighted, weighted-areas, weighted-subareas)"),
    ("profile-missing-extends", "p.toml", PRO + 'extends = "nope.toml"\n', ["validate"],
     "{d}/nope.toml: no such file"),
    ("profile-wrong-level", "p.toml", PRO + '[weighting]\nname = "weighted-subareas"\n'
                                            'params = { "3" = 2 }\n', ["validate"],
     "weighting.params.3: '3' is not a sub-area of kk-se@2.0"),
    ("csv-missing-columns", "r.csv", "ruleset,kind\nkk-se@2.0,evaluation\n",
     ["report", "{uv}", "--reference"],
     "{f}:1: missing columns: country, municipality, year, total, source_url, notes"),
    ("csv-bad-kind", "r.csv", CSV_HEAD + "kk-se@2.0,guess,SE,X,2014,1,1,1,1,1,1,1,1,8,,\n",
     ["report", "{uv}", "--reference"],
     "{f}:2: kind: 'guess' is not one of: evaluation, average, derived"),
    ("csv-bad-year", "r.csv", CSV_HEAD + "kk-se@2.0,evaluation,SE,X,20x4,1,1,1,1,1,1,1,1,8,,\n",
     ["report", "{uv}", "--reference"], "{f}:2: year: '20x4' is not a year"),
    ("csv-extra-cells", "r.csv", CSV_HEAD + "kk-se@2.0,evaluation,SE,X,2014" + ",1" * 12 + "\n",
     ["report", "{uv}", "--reference"], "{f}:2: 17 cells, but 16 columns"),
    ("csv-line-after-a-blank", "r.csv",
     CSV_HEAD + "kk-se@2.0,evaluation,SE,X,2014,1,1,1,1,1,1,1,1,8,,\n\n"
     "kk-se@2.0,evaluation,SE,Y,2014,1,1,1,1,1,1,1,1x,8,,\n",
     ["report", "{uv}", "--reference"], "{f}:4: a8: '1x' is not a number of points"),
    ("xlsx-not-a-workbook", "e.xlsx", b"PK\x03\x04 this is no zip", ["validate"],
     "{f}: is not a readable .xlsx workbook"),
    ("bad-kind-argument", "e.toml", "", ["validate", "--kind", "recipe"], "usage"),
]


@pytest.mark.parametrize(("name", "content", "command", "expected"),
                         [pytest.param(*c[1:], id=c[0]) for c in OTHER_CASES])
def test_bad_file_of_every_reader_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             name: str, content: str | bytes,
                                             command: list[str], expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = sorted(tmp_path.iterdir())
    uv = str(Path(__file__).resolve().parent.parent / "examples" / "upplands-vasby-2011.toml")
    argv = [a.format(uv=uv) for a in command] + [str(path)]
    if expected == "usage":
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        return
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    message = expected.format(f=path, d=tmp_path, known=_known())
    assert err.splitlines() == ["kompass: error: " + (
        message if message.startswith(str(tmp_path)) else
        f"{path}: {message}" if not message.startswith("unknown rule set") else
        message.replace("{f}: ", ""))], err
    assert sorted(tmp_path.iterdir()) == before


def test_whole_catalogue_has_at_least_60_cases() -> None:
    assert len(CASES) + len(OTHER_CASES) >= 60


def _commands_with_lang() -> list[list[str]]:
    """Every command and ``db`` action that takes ``--lang``, found in the parser itself."""
    from kompass_core.cli.main import _parser

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
        found = [prefix] if any("--lang" in a.option_strings for a in parser._actions) else []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += walk(sub, [*prefix, name])
        return found

    return walk(_parser(), [])


LANG_ARGS = {"rulesets": ["show", "kk-se@2.0"], "score": ["{uv}"], "explain": ["{uv}"],
             "migrate": ["{uv}", "--to", "kk-se@1.0"], "compare": ["{uv}", "{uv}"],
             "report": ["{uv}"], "export": ["{uv}"], "template": ["kk-se@2.0"],
             "schema": ["evaluation"], "db history": ["X"], "db average": ["kk-se@2.0"],
             "agree": ["{team}", "--bootstrap", "10"]}


def test_every_command_with_lang_is_checked() -> None:
    assert sorted(" ".join(c) for c in _commands_with_lang()) == sorted(LANG_ARGS)


@pytest.mark.parametrize("command", sorted(LANG_ARGS))
def test_unknown_language_is_refused_by_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    uv = str(Path(__file__).resolve().parent.parent / "examples" / "upplands-vasby-2011.toml")
    db = ["--db", str(tmp_path / "s.db")] if command.startswith("db") else []
    team = str(Path(uv).parent / "team" / "provby-anna.toml")
    argv = [*command.split(), *(a.format(uv=uv, team=team) for a in LANG_ARGS[command]), *db]
    code = main([*argv, "--lang", "xx"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines() == (
        ["kompass: error: --lang 'xx': no report language of that name (available: sv, nb, "
         "da, en)"] if command == "report" else
        ["kompass: error: --lang 'xx': no rule set has labels in this language (known: da, en, "
         "nb, sv)"])
    assert not (tmp_path / "s.db").exists()
    if not command.startswith("db"):
        assert main([*argv, "--lang", "nb"]) == 0


# --- Reliability round 2 (issue 12): where each case is held ----------------------------
# Bad evaluation files are in CASES above; the other bad inputs (output paths, stores,
# plugins, workbooks, CSVs) need their own set-up and live beside the part they test. This
# index keeps the catalogue whole: every case names the tests that failed before its fix.

ROUND_2 = {
    1: ["test_output_files.py::test_symlink_is_followed_and_its_target_replaced",
        "test_output_files.py::test_device_is_written_not_replaced",
        "test_output_files.py::test_fifo_is_written_not_replaced",
        "test_output_files.py::test_socket_is_refused"],
    2: ["test_output_files.py::test_new_file_follows_the_umask",
        "test_output_files.py::test_replaced_file_keeps_its_mode"],
    3: ["test_output_files.py::test_report_refuses_to_overwrite_its_evaluation",
        "test_output_files.py::test_report_refuses_to_overwrite_its_other_inputs"],
    4: ["test_output_files.py::test_report_format_follows_the_suffix",
        "test_output_files.py::test_template_format_follows_the_suffix"],
    5: ["test_reliability_reading.py::test_a_huge_dotted_key_is_refused_before_parsing_in_"
        "bounded_memory", "test_bad_inputs.py::deep-dotted-key"],
    6: ["test_xlsx.py::test_cells_far_to_the_right_cost_no_memory", "test_xlsx.py::too-wide"],
    7: ["test_reliability_limits.py::test_results_csv_with_huge_denominators_is_refused_per_cell",
        "test_reliability_limits.py::test_average_of_many_unlike_fractions_is_written_exactly_"
        "as_json"],
    8: ["test_reliability_limits.py::test_overlong_cell_is_one_line_naming_file_and_line"],
    9: ["test_injection.py::test_store_csv_neutralises_names_and_reads_back",
        "test_injection.py::test_template_labels_are_text_not_formulas"],
    10: ["test_injection.py::test_validate_and_import_lines_are_escaped",
         "test_injection.py::test_error_lines_are_escaped"],
    11: ["test_xlsx.py::formula-without-value"],
    12: ["test_reliability_limits.py::test_unclosed_quote_names_the_line_where_its_row_begins"],
    13: ["test_reliability_plugins.py::test_sys_exit_in_a_plugin_disables_it_by_name"],
    14: ["test_reliability_reading.py::test_a_lone_surrogate_is_refused_by_every_command",
         "test_bad_inputs.py::lone-surrogate-json"],
    15: ["test_reliability_store.py::test_a_name_in_nfc_and_nfd_is_one_municipality"],
    16: ["test_output_files.py::test_full_stdout_is_a_one_line_error",
         "test_reliability_limits.py::test_huge_year_argument_is_one_line",
         "test_reliability_limits.py::test_what_if_beyond_the_digit_limit_is_one_line",
         "test_xlsx.py::test_fractional_maxima_are_written_as_exact_decimals"],
    17: ["test_reliability_store.py::test_a_read_only_store_file_is_read_and_not_written"],
    18: ["test_reliability_store.py::test_another_programs_sqlite_file_is_refused_unchanged"],
    19: ["test_reliability_store.py::test_a_fifo_in_a_folder_is_not_read"],
    20: ["test_reliability_store.py::test_a_restored_export_is_checked_as_evaluation_files_are",
         "test_reliability_store.py::test_a_results_csv_country_follows_the_country_rule",
         "test_reliability_store.py::test_notes_and_comments_stand_at_criteria_of_the_rule_set"],
    21: ["test_reliability_plugins.py::test_an_impostor_never_displaces_a_builtin_plugin"],
    22: ["test_reliability_plugins.py::test_a_ruleset_object_is_checked_like_its_file",
         "test_reliability_plugins.py::test_markdown_escapes_criterion_keys"],
    23: ["test_reliability_plugins.py::test_a_bad_weighting_is_blamed_on_its_plugin",
         "test_conformance_kit.py::test_the_kit_checks_weightings"],
    24: ["test_conformance_kit.py::test_a_broken_installed_plugin_fails_only_its_own_test",
         "test_conformance_kit.py::test_the_kit_honours_the_disable_list",
         "test_conformance_kit.py::test_the_kit_fails_when_it_checks_nothing"],
    25: ["test_reliability_plugins.py::test_an_unknown_name_in_the_disable_list_is_warned_about"],
    26: ["test_bad_inputs.py::decimal-comma", "test_bad_inputs.py::nordic-date",
         "test_bad_inputs.py::utf-16-bom", "test_bad_inputs.py::windows-1252",
         "test_bad_inputs.py::unquoted-subarea-key", "test_reliability_reading.py::"
         "test_a_utf8_bom_is_read"],
    27: ["test_reliability_limits.py::test_semicolon_file_with_decimal_commas_reads"],
    28: ["test_bad_inputs.py::test_unknown_language_is_refused_by_every_command"],
    29: ["test_reliability_limits.py::test_six_area_results_csv_needs_only_its_six_area_columns",
         "test_reliability_limits.py::test_report_says_why_it_has_no_reference"],
}


def test_every_case_of_round_2_is_held_by_a_test() -> None:
    """Each named test function or catalogue case id exists, and no case is left out."""
    here = Path(__file__).resolve().parent
    assert sorted(ROUND_2) == list(range(1, 30))
    for case, tests in ROUND_2.items():
        for ref in tests:
            file, name = ref.split("::")
            text = (here / file).read_text("utf-8")
            assert f"def {name}(" in text or f'("{name}",' in text, (case, ref)
