"""A real, non-editable install: build the wheel, install it into a fresh
virtual environment, and run ``kompass`` from another directory.

This needs the package index for the build backend and dependencies, so it
runs in CI (``CI`` set) or when ``KOMPASS_WHEEL_TEST=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("KOMPASS_WHEEL_TEST")),
    reason="builds and installs a wheel from the package index; runs in CI "
           "or with KOMPASS_WHEEL_TEST=1")


def test_wheel_installs_and_runs_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True)
    (wheel,) = wheels.glob("kommunkompass-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    listing = subprocess.run([str(bin_dir / "kompass"), "rulesets"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, check=True)
    assert "kk-se@2.0" in listing.stdout
    scored = subprocess.run([str(bin_dir / "kompass"), "score", "--format", "csv",
                             str(EXAMPLES / "upplands-vasby-2011.toml")], cwd=elsewhere,
                            env=env, capture_output=True, text=True, check=True)
    assert ",total,total,Kommunkompassen 2.0,499,499,800,computed,," in scored.stdout
    where = subprocess.run([str(bin_dir / "python"), "-c",
                            "import kompass_core, kompass_skr; print(kompass_core.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout

