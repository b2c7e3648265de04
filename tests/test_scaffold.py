"""The variant tutorial runs as written: scaffold, install beside kompass, use, test.

Every ``sh`` block of docs/writing-a-variant.md is run in order in a scratch
folder. ``pip install`` installs into a private folder on PYTHONPATH (so
this test never changes the environment it runs in), and ``kompass`` and
``python`` are this interpreter's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kompass_core.cli.main import main
from tests.conftest import ROOT

TUTORIAL = ROOT / "docs" / "writing-a-variant.md"
SHIMS = """\
set -euo pipefail
export PYTHONPATH="$SITE"
pip() { "$PY" -m pip "$@" --target "$SITE" --no-build-isolation --quiet; }
kompass() { "$PY" -m kompass_core.cli "$@"; }
python() { "$PY" "$@"; }
"""


def test_tutorial_commands_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```sh\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)
    commands = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert commands[0] == "kompass init-variant demo"
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    script = SHIMS + "\n".join(f"echo '$ {c}'\n{c}" for c in commands) + "\n"
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, check=False,
                          env={"PATH": "/usr/bin:/bin", "PY": sys.executable,
                               "SITE": str(tmp_path / "site"), "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert re.search(r"kk-demo@1\.0\s+DEMO\s+SE\s+8\s+800", out)  # listed, from plugin demo
    assert "kk-demo@1.0 -> kk-se@2.0: scores carry over unchanged" in out
    assert "Migrated from kk-se@2.0 in 1 step(s)" in out
    assert re.search(r"\d+ passed", out) and "failed" not in out


def test_scaffold_refuses_bad_names_and_existing_folders(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["init-variant", "Bad_Name", "-o", str(tmp_path)]) == 2
    assert "invalid variant name 'Bad_Name'" in capsys.readouterr().err
    assert main(["init-variant", "fi", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["init-variant", "fi", "-o", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_scaffolded_ruleset_is_valid_and_round_trips(tmp_path: Path) -> None:
    from kompass_core import load_ruleset
    from kompass_core.formats.migration import load_migration

    assert main(["init-variant", "fi", "--based-on", "kk-no@2.0", "-o", str(tmp_path)]) == 0
    package = tmp_path / "kompass-fi" / "kompass_fi"
    ruleset = load_ruleset(package / "kk-fi-1.0.toml")
    assert (str(ruleset.ref), ruleset.organisation, ruleset.country) == ("kk-fi@1.0", "FI",
                                                                          "FI")
    assert ruleset.criterion("1.1").assumed == {"max"}  # assumption marks carried over
    migration = load_migration(package / "kk-fi-1.0--kk-no-2.0.migration.toml")
    assert (str(migration.target), migration.invertible) == ("kk-no@2.0", True)
