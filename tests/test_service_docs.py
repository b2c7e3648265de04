"""The curl examples of docs/service.md run against ``kompass serve`` and print what they say.

A ```curl block holds ``$ curl ...`` lines, each followed by its expected
output, like the ```console blocks of tests/test_docs.py. The server is the
real command, ``kompass serve`` on a free loopback port (the page's port
8000 is replaced), with ``KOMPASS_TOKEN`` set; it is stopped after, and
its log must not hold the token. ``KOMPASS_UPDATE_DOCS=1`` rewrites the
blocks from the real output; review the diff.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_core import load_evaluation
from tests.conftest import EXAMPLES, ROOT
from tests.test_docs import _commands
from tests.test_service_live import free_port

PAGE = ROOT / "docs" / "service.md"
BLOCK = re.compile(r"```curl\n(.*?)```", re.S)
TOKEN = "docs-example-token"
CURL = shutil.which("curl")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    port = free_port()
    env = dict(os.environ, KOMPASS_TOKEN=TOKEN)
    log = (tmp_path / "server.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "kompass_core.cli", "serve", "--port",
                             str(port), "--db", str(tmp_path / "store.db")], cwd=tmp_path,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5):
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "server.log").read_text()
                time.sleep(0.1)
        yield port, tmp_path
    finally:
        proc.terminate()
        proc.wait(20)
        log.seek(0)
        text = log.read()
        log.close()
    assert TOKEN not in text and "Traceback" not in text


def test_curl_examples_print_what_the_page_says(server: tuple[int, Path]) -> None:
    if CURL is None:  # skipped on a developer's machine without curl; CI installs it
        if os.environ.get("CI"):
            pytest.fail("CI must install curl (.ci/run does)")
        pytest.skip("curl is not installed: apt-get install curl to run this test")
    port, cwd = server
    text = PAGE.read_text("utf-8")
    blocks = BLOCK.findall(text)
    assert blocks
    updated = text
    for block in blocks:
        new_block = ""
        for command, expected in _commands(block):
            assert shlex.split(command)[0] == "curl", f"only curl here: {command}"
            real = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            proc = subprocess.run(["bash", "-c", real], cwd=cwd, capture_output=True,
                                  text=True, env=dict(os.environ, KOMPASS_TOKEN=TOKEN),
                                  check=False, timeout=60)
            assert proc.returncode == 0, f"{command}: {proc.stderr}"
            new_block += f"$ {command}\n{proc.stdout}"
            if not os.environ.get("KOMPASS_UPDATE_DOCS"):
                assert proc.stdout == expected, f"`{command}` printed:\n{proc.stdout}"
        updated = updated.replace(block, new_block, 1)
    if os.environ.get("KOMPASS_UPDATE_DOCS") and updated != text:
        PAGE.write_text(updated, encoding="utf-8")


def test_the_json_example_is_the_toml_one() -> None:
    """examples/upplands-vasby-2011.json (the page's body) is the TOML example, as JSON."""
    assert load_evaluation(EXAMPLES / "upplands-vasby-2011.json") == \
        load_evaluation(EXAMPLES / "upplands-vasby-2011.toml")
