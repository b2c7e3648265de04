"""Every command shown in the docs runs, and prints what the docs say.

A ```console block holds ``$ kompass ...`` lines, each followed by its
expected output (stdout, then stderr). A trailing ``# exits N`` on the
command line states a non-zero exit code. Commands run in a scratch copy of
``examples/``. Set ``KOMPASS_UPDATE_DOCS=1`` to rewrite the blocks from the
real output after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
EXITS = re.compile(r"\s+# exits (\d+)$")


def _commands(block: str) -> list[tuple[str, str]]:
    """(command line, expected output) pairs of one console block."""
    out: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            out.append((line[2:].rstrip("\n"), ""))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line)
    return out


def _run(command: str, cwd: Path) -> tuple[str, int]:
    match = EXITS.search(command)
    argv = shlex.split(EXITS.sub("", command))
    assert argv[0] == "kompass", f"docs may only show kompass commands: {command}"
    env = dict(os.environ, COLUMNS="100")
    proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", *argv[1:]], cwd=cwd,
                          capture_output=True, text=True, env=env, check=False)
    expected_code = int(match.group(1)) if match else 0
    assert proc.returncode == expected_code, f"{command}: exit {proc.returncode}\n{proc.stderr}"
    return proc.stdout + proc.stderr, expected_code


def _scratch(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_commands_in_docs_print_what_the_docs_say(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    cwd = _scratch(tmp_path)
    updated = text
    for block in BLOCK.findall(text):
        new_block = ""
        for command, expected in _commands(block):
            actual, _ = _run(command, cwd)
            new_block += f"$ {command}\n{actual}"
            if not os.environ.get("KOMPASS_UPDATE_DOCS"):
                assert actual == expected, f"{page.name}: `{command}` printed:\n{actual}"
        updated = updated.replace(block, new_block, 1)
    if os.environ.get("KOMPASS_UPDATE_DOCS") and updated != text:
        page.write_text(updated, encoding="utf-8")


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, page.name


def test_python_examples_in_the_readme_run(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out == "499 of 800\n579 to 599 under 1.0\n"
