"""The live server: uvicorn on a free loopback port, checked by schemathesis against its
own OpenAPI document (no 5xx, every answer as declared), bounded in examples and time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from kompass_core import create_app

TOKEN = "live-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Live:
    """A uvicorn server in a thread of this process, stopped by :meth:`stop`."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        config = uvicorn.Config(create_app(db=db, token=TOKEN, time_limit=20),
                                host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Live(tmp_path_factory.mktemp("live") / "store.db")
    yield server
    server.stop()
    assert not server.thread.is_alive()


def test_every_answer_is_declared_and_none_is_a_server_error(live: Live) -> None:
    api = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == len(api)  # every operation of the document loaded
    started = time.monotonic()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=4, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(
                base_url=live.url, headers={"Authorization": f"Bearer {TOKEN}"},
                checks=[not_a_server_error, status_code_conformance,
                        content_type_conformance, response_schema_conformance], timeout=30)

        check()
    assert time.monotonic() - started < 120
