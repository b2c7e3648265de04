"""Shared fixtures and the hypothesis profiles (``ci`` is derandomised)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _private_results_store(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's results store: KOMPASS_DB names a fresh temporary file."""
    monkeypatch.setenv("KOMPASS_DB", str(tmp_path_factory.mktemp("store") / "results.db"))


@pytest.fixture(scope="session")
def registry():  # type: ignore[no-untyped-def]
    from kompass_core import Registry

    return Registry()


@pytest.fixture(scope="session")
def kk_se(registry):  # type: ignore[no-untyped-def]
    return registry.ruleset("kk-se@2.0")


from tests.postgres_server import fresh_schema, postgres_server  # noqa: E402,F401


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's store lives: a new SQLite file, or a new schema on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "r.db")
    return fresh_schema(request.getfixturevalue("postgres_server"))
