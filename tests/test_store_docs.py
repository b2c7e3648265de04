"""docs/store.md's commands run against a real PostgreSQL server (the test's throwaway one).

The page names an example server (``db.example.org``); here every URL of
it is the test cluster's, with a schema of the test's own, its folder of
evaluations and its report file are examples shipped with kompass, and
each ``kompass`` line must succeed as the page shows it.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from kompass_core.cli.main import main
from tests.conftest import ROOT
from tests.postgres_server import fresh_schema

PAGE = ROOT / "docs" / "store.md"
URL = re.compile(r"postgres(?:ql)?://[^'\s]*db\.example\.org[^'\s]*")


def test_the_pages_commands_run_against_a_server(
        postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (first, *_) = re.findall(r"```sh\n(.*?)```", PAGE.read_text("utf-8"), re.S)
    url = fresh_schema(postgres_server)
    folder = tmp_path / "evaluations"
    folder.mkdir()
    for name in ("upplands-vasby-2011.toml", "grastorp-2014.toml", "orebro-2012.toml"):
        shutil.copy(ROOT / "examples" / name, folder / name)
    shutil.copy(ROOT / "examples" / "upplands-vasby-2011.toml", tmp_path / "uv.toml")
    monkeypatch.chdir(tmp_path)
    said = []
    for line in first.splitlines():
        words = shlex.split(URL.sub(url, line.split("#")[0]))
        if words[:1] == ["export"]:
            name, _, value = words[1].partition("=")
            monkeypatch.setenv(name, value)
        elif words[:1] == ["kompass"]:
            assert main(words[1:]) == 0, line
            said.append(capsys.readouterr().out)
    imported, average, report = said
    assert imported.count(": stored ") == 3
    assert re.match(r"Average of kk-se@2.0 .*: \d+ stored evaluation\(s\)", average)
    assert "<title>" in report and "Upplands Väsby" in report
    assert "db.example.org" not in "".join(said)
