"""Reading stays within bounds and says what to write instead (issue 12).

Hostile or merely foreign files (a huge dotted key, a lone surrogate, a
Windows encoding, Nordic decimals and dates) are refused on one line, or
read, never left to fail later or exhaust the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kompass_core import InputError, evaluation_from_dict
from kompass_core.cli.main import main
from kompass_core.formats.reading import MAX_DEPTH, parse_document
from kompass_core.formats.toml_text import iso_date

LIMIT = "import resource; resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20)); "


def test_a_huge_dotted_key_is_refused_before_parsing_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a" + ".a" * 100_000 + " = 1\n")  # 200 KB: tomllib alone needs gigabytes
    code = (LIMIT + "import sys; from kompass_core.cli.main import main; "
            f"sys.exit(main(['validate', {str(path)!r}]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        f"kompass: error: {path}:1: a key of 100001 dotted parts nests deeper than the limit "
        f"of {MAX_DEPTH} levels"]


@pytest.mark.parametrize("text", [
    "a" + ".a" * (MAX_DEPTH - 1) + " = 1\n",                       # exactly at the limit
    '"' + ".".join("abcdefghijklmnopqrst") + '" = 1\n',            # dots inside a quoted key
    "'" + ".".join("abcdefghijklmnopqrst") + "' = 1\n",
    'x = "' + ".".join("abcdefghijklmnopqrst") + '"\n',            # ... or a string value
    "x = '''\n" + ".".join("abcdefghijklmnopqrst") + " = 1\n'''\n",
    'x = """\\"""\n' + ".".join("abcdefghijklmnopqrst") + ' = 1\n"""\n',
    "# " + ".".join("abcdefghijklmnopqrst") + "\n",                 # ... or a comment
    "[" + ".".join(['"3.2"'] * (MAX_DEPTH - 1)) + "]\n",            # quoted parts count once
])
def test_no_valid_file_is_refused_by_the_prescan(text: str) -> None:
    assert isinstance(parse_document(text, "ok.toml"), dict)


LONE = ('{"ruleset": "kk-se@2.0", "municipality": {"name": "X"}, '
        '"areas": {"1": {"points": 5, "comment": "a\\ud800"}}}')
LONE_MESSAGE = ("areas.1.comment: holds \\ud800, half of a UTF-16 pair (a lone surrogate), "
                "not a character: write the character itself")


@pytest.mark.parametrize("command", [["validate"], ["score"], ["export"], ["report"],
                                     ["explain"], ["migrate", "--to", "kk-se@1.0"]])
def test_a_lone_surrogate_is_refused_by_every_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    path = tmp_path / "lone.json"
    path.write_text(LONE)
    assert main([*command, str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"kompass: error: {path}: {LONE_MESSAGE}"]


def test_a_lone_surrogate_leaves_out_only_its_file_from_an_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text(LONE)
    good = Path(__file__).resolve().parent.parent / "examples" / "upplands-vasby-2011.toml"
    db = str(tmp_path / "s.db")
    assert main(["db", "import", "--db", db, str(good), str(tmp_path / "bad.json")]) == 2
    _, err = capsys.readouterr()
    assert f"kompass: error: {tmp_path / 'bad.json'}: {LONE_MESSAGE}" in err.splitlines()
    assert main(["db", "list", "--db", db, "--format", "csv"]) == 0
    assert "upplands-vasby-2011.toml" in capsys.readouterr().out


def test_a_lone_surrogate_in_a_dict_is_refused_too() -> None:
    with pytest.raises(InputError, match=r"<dict>: municipality.name: holds \\ud800"):
        evaluation_from_dict({"ruleset": "kk-se@2.0", "municipality": {"name": "X\ud800"}})


@pytest.mark.parametrize(("name", "text"), [
    ("bom.toml", (Path(__file__).resolve().parent.parent / "examples" /
                  "upplands-vasby-2011.toml").read_text(encoding="utf-8")),
    ("bom.json", '{"ruleset": "kk-se@2.0", "municipality": {"name": "Bærum"}}'),
])
def test_a_utf8_bom_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                            text: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["score", "--format", "csv", str(path)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("text", "iso"), [("05.10.2023", "2023-10-05"), ("5/1/2024", "2024-01-05"),
                                           ("2023.10.05", "2023-10-05"), ("31.02.2023", None),
                                           ("10.5", None)])
def test_nordic_dates_are_turned_into_iso_only_when_real(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso
