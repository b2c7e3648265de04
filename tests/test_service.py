"""``kompass serve``: endpoints, problem details, the token, limits, and one card everywhere.

The app runs in-process under Starlette's TestClient; the live server and
its OpenAPI document are tested in tests/test_service_live.py.
"""

from __future__ import annotations

import json
import logging
import textwrap
import time
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from kompass_core import (
    MAX_INPUT_BYTES,
    Registry,
    create_app,
    evaluation_from_dict,
    hookimpl,
    score,
    to_json,
)
from kompass_core.cli.main import main
from tests.conftest import EXAMPLES

TOKEN = "t0ken-that-must-never-leak"


def evaluation(name: str = "upplands-vasby-2011") -> dict[str, Any]:
    """An example evaluation as the JSON document a client sends."""
    data = tomllib.loads((EXAMPLES / f"{name}.toml").read_text("utf-8"))
    return json.loads(json.dumps(data, default=str))


def body(name: str = "upplands-vasby-2011") -> bytes:
    return json.dumps(evaluation(name), ensure_ascii=False).encode()


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(db=tmp_path / "store.db", token=TOKEN))


def is_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is a problem detail of ``status``, without a traceback."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    doc: dict[str, Any] = response.json()
    assert doc["status"] == status and doc["title"] and doc["type"] == "about:blank"
    assert "Traceback" not in response.text
    return doc


def test_the_same_card_through_http_the_command_line_and_python(
        client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Byte for byte: the HTTP body is ``to_json`` of the API's card, and the command line's
    ``--format json`` prints that same JSON, indented in its list and with its ``file`` added."""
    source = tmp_path / "upplands-vasby-2011.json"
    source.write_text(json.dumps(evaluation(), ensure_ascii=False), "utf-8")
    http = client.post("/score", content=body())
    assert http.status_code == 200 and http.headers["content-type"] == "application/json"
    api = to_json(score(evaluation_from_dict(evaluation())))
    assert http.content == api.encode()
    assert main(["score", "--format", "json", str(source)]) == 0
    cli = capsys.readouterr().out
    doc = json.loads(http.text)
    doc["file"] = str(source)
    expected = "[\n" + textwrap.indent(json.dumps(doc, ensure_ascii=False, indent=2), "  ") \
        + "\n]\n"
    assert cli == expected


def test_weighting_explain_migrate_compare_validate(client: TestClient) -> None:
    weighted = client.post("/score?weighting=sum", content=body()).json()
    assert weighted["weighting"]["name"] == "sum"
    explained = client.post("/explain?what_if=1=%2B5", content=body()).json()
    assert explained["what_if"]["changes"] == ["1=+5"]
    assert {d["key"] for d in explained["what_if"]["deltas"]} >= {"1", "total"}
    migrated = client.post("/migrate?to=kk-se@2.0", content=body()).json()
    assert migrated["ruleset"] == "kk-se@2.0"
    pair = b"[" + body("upplands-vasby-2011") + b"," + body("orebro-2012") + b"]"
    compared = client.post("/compare", content=pair).json()
    assert len(compared["evaluations"]) == 2 and len(compared["changes"]) == 1
    valid = client.post("/validate", content=body()).json()
    assert valid["ok"] is True and valid["ruleset"] == "kk-se@2.0"


def test_rulesets_schemas_and_reports(client: TestClient) -> None:
    refs = [r["ref"] for r in client.get("/rulesets").json()]
    assert "kk-se@2.0" in refs
    assert client.get("/rulesets/kk-se@2.0").json()["plugin"]
    assert client.get("/schemas/ruleset").json()["type"] == "object"
    schema = client.get("/schemas/evaluation?ruleset=kk-se@2.0").json()
    assert schema["type"] == "object"
    html = client.post("/report", content=body())
    assert html.headers["content-type"].startswith("text/html")
    assert "Upplands Väsby" in html.text
    md = client.post("/report?format=md&lang=en", content=body())
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("#")


def test_input_errors_carry_the_command_lines_lines_and_key_paths(
        client: TestClient) -> None:
    bad = evaluation()
    bad["ruleset"] = "kk-se@9.9"
    doc = is_problem(client.post("/score", content=json.dumps(bad)), 422)
    [error] = doc["errors"]
    assert error["path"] == "ruleset" and "unknown rule set 'kk-se@9.9'" in error["message"]
    assert error["text"] == f"request body: ruleset: {error['message']}" == doc["detail"]
    broken = is_problem(client.post("/score", content=b'{\n  "ruleset": }'), 422)
    assert broken["errors"][0]["line"] == 2
    not_text = is_problem(client.post("/score", content=b"\xff\xfe\xfa"), 422)
    assert "request body" in not_text["detail"]
    missing = is_problem(client.post("/migrate", content=body()), 422)
    assert "'to' is required" in missing["detail"]
    choice = is_problem(client.post("/report?format=odt", content=body()), 422)
    assert "'odt' is not one of html, md, pdf" in choice["detail"]
    is_problem(client.get("/no/such/path"), 404)
    is_problem(client.put("/score"), 405)


def test_a_body_over_the_file_limit_is_refused_unread(client: TestClient) -> None:
    doc = is_problem(client.post("/score", content=b" " * (MAX_INPUT_BYTES + 1)), 413)
    assert str(MAX_INPUT_BYTES) in doc["detail"]

    def chunks() -> Any:  # no Content-Length: counted as it streams
        for _ in range(MAX_INPUT_BYTES // 65536 + 1):
            yield b" " * 65536
    is_problem(client.post("/score", content=chunks()), 413)


def test_writes_need_the_token_and_it_never_leaks(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    read_only = TestClient(create_app(db=tmp_path / "a.db"))
    assert "KOMPASS_TOKEN" in is_problem(read_only.post("/store/entries", content=body()),
                                         403)["detail"]
    client = TestClient(create_app(db=tmp_path / "b.db", token=TOKEN))
    answers = [client.post("/store/entries", content=body()),
               client.post("/store/entries", content=body(),
                           headers={"Authorization": "Bearer wrong"}),
               client.post("/store/entries", content=body(),
                           headers={"Authorization": f"Basic {TOKEN}"}),
               client.delete("/store/entries/abc")]
    for answer in answers:
        assert is_problem(answer, 401)["detail"].startswith("writing needs the server's token")
        assert answer.headers["www-authenticate"] == "Bearer"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    stored = client.post("/store/entries", content=body(), headers=auth)
    assert stored.status_code == 200 and stored.json()["stored"] is True
    again = client.post("/store/entries", content=body(), headers=auth).json()
    assert again == {"id": stored.json()["id"], "stored": False}
    ids = [e["id"] for e in client.get("/store/entries?ruleset=kk-se@2.0").json()]
    assert stored.json()["id"] in ids
    removed = client.delete(f"/store/entries/{stored.json()['id'][:12]}", headers=auth)
    assert removed.json()["id"] == stored.json()["id"]
    gone = is_problem(client.delete(f"/store/entries/{stored.json()['id'][:12]}",
                                    headers=auth), 422)
    everything = [a.text for a in answers] + [stored.text, removed.text, gone["detail"]]
    assert not any(TOKEN in text for text in [*everything, caplog.text])
    assert TOKEN not in repr(create_app(token=TOKEN))


def test_store_queries(client: TestClient) -> None:
    average = client.get("/store/average/kk-se@2020").json()
    assert average["columns"][0]["key"] == "total" and average["evaluations"]
    ranked = client.get("/store/rank/kk-se@2020?all=true&year=2022").json()
    assert ranked["all"] is True and all(r["year"] == 2022 for r in ranked["ranking"])
    assert client.get("/store/export").json()["format"].startswith("kompass.store/")
    is_problem(client.get("/store/rank/kk-se@2020?year=20x"), 422)


class _Slow(Registry):
    def score(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return super().score(*args, **kwargs)


class _Broken(Registry):
    def score(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"a bug, with user data: {args[0].municipality.name}")


def test_the_time_limit_answers_503(tmp_path: Path) -> None:
    client = TestClient(create_app(_Slow(), db=tmp_path / "s.db", time_limit=0.1))
    doc = is_problem(client.post("/score", content=body()), 503)
    assert "limit of 0.1 s" in doc["detail"]


def test_an_internal_error_is_a_500_logged_without_user_data(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(create_app(_Broken(), db=tmp_path / "s.db"))
    doc = is_problem(client.post("/score", content=body()), 500)
    assert doc["detail"].startswith("an internal error happened")
    assert "RuntimeError" in caplog.text and "POST /score" in caplog.text
    assert "Upplands" not in caplog.text and "Upplands" not in json.dumps(doc)


def test_a_failing_plugin_is_disabled_and_health_says_so(tmp_path: Path) -> None:
    def boom() -> list[object]:
        raise RuntimeError("broken on purpose")

    registry = Registry()
    registry.register(types.SimpleNamespace(kompass_weightings=hookimpl(boom)), "broken")
    client = TestClient(create_app(registry, db=tmp_path / "s.db"))
    health = client.get("/health").json()
    assert health["status"] == "ok"
    [broken] = [p for p in health["plugins"] if p["name"] == "broken"]
    assert broken["status"] != "ok"
    assert any("'broken'" in line for line in health["problems"])
    assert client.post("/score", content=body()).status_code == 200


def test_cors_is_off_unless_an_origin_is_given(tmp_path: Path) -> None:
    origin = {"Origin": "https://example.org"}
    closed = TestClient(create_app(db=tmp_path / "s.db")).get("/health", headers=origin)
    assert "access-control-allow-origin" not in closed.headers
    opened = TestClient(create_app(db=tmp_path / "s.db", cors_origins=("https://example.org",)))
    assert opened.get("/health", headers=origin).headers["access-control-allow-origin"] == \
        "https://example.org"


def test_the_openapi_document_is_the_routes(client: TestClient) -> None:
    """Every route of the app is in /openapi.json with its method, and nothing else is."""
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    declared = {(path, method.upper()) for path, ops in document["paths"].items()
                for method in ops}
    routes = {(r.path, m) for r in client.app.routes  # type: ignore[attr-defined]
              if isinstance(r, Route) for m in r.methods or () if m != "HEAD"}
    assert declared == routes
    body_schema = document["paths"]["/score"]["post"]["requestBody"]["content"]
    from kompass_core import evaluation_schema

    assert body_schema["application/json"]["schema"] == evaluation_schema()


def test_serve_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "not a port" in capsys.readouterr().err
    assert main(["serve", "--time-limit", "0"]) == 2


@pytest.mark.parametrize("name", ["bad-points.toml", "upplands-vasby-2011.toml"])
def test_errors_are_the_command_lines_lines(client: TestClient, tmp_path: Path, name: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A bad body gives the lines ``kompass score`` prints for the file, the file's name
    replaced by ``request body``; a good one none."""
    source = EXAMPLES / name
    data = source.read_bytes() if name.startswith("bad") else \
        source.read_bytes().replace(b'ruleset = "kk-se@2.0"', b'ruleset = "kk-se@7"')
    (tmp_path / name).write_bytes(data)
    assert main(["score", str(tmp_path / name)]) == 2
    printed = capsys.readouterr().err.replace(str(tmp_path / name), "request body")
    doc = is_problem(client.post("/score", content=data), 422)
    assert printed == "".join(f"kompass: error: {e['text']}\n" for e in doc["errors"])
    assert all(e["line"] for e in doc["errors"])


def test_a_teams_agreement_is_the_command_lines(client: TestClient,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (EXAMPLES / "team").glob("provby-*.toml")
                   if "consensus" not in p.name)
    team = json.dumps([evaluation(f"team/{Path(f).stem}") for f in files])
    http = client.post("/agree?bootstrap=200&seed=3", content=team)
    assert http.status_code == 200, http.text
    assert main(["agree", "--format", "json", "--bootstrap", "200", "--seed", "3",
                 *files]) == 0
    assert http.json() == json.loads(capsys.readouterr().out)
    consensus = client.post("/consensus?bootstrap=200", content=team)
    assert consensus.headers["content-type"].startswith("application/toml")
    assert "decisions" in tomllib.loads(consensus.text)
    alone = is_problem(client.post("/agree", content=json.dumps([evaluation()] * 2)), 422)
    assert alone["errors"][0]["text"].startswith("request body item ")


def test_store_queries_answer_what_the_command_line_prints(
        client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "store.db")
    for path, argv in [("/store/history/Nacka", ["history", "Nacka"]),
                       ("/store/average/kk-se@2020?year=2022", ["average", "kk-se@2020",
                                                                "--year", "2022"]),
                       ("/store/rank/kk-se@2.0", ["rank", "kk-se@2.0"]),
                       ("/store/entries?ruleset=kk-no@2.0", ["list", "--ruleset", "kk-no@2.0"]),
                       ("/store/export", ["export"])]:
        http = client.get(path)
        assert http.status_code == 200, http.text
        assert main(["db", *argv, "--db", db, "--format", "json"]) == 0
        assert http.json() == json.loads(capsys.readouterr().out), path
    missing = is_problem(client.get("/store/history/Nowhere"), 422)
    assert "no stored evaluation of 'Nowhere'" in missing["detail"]


def test_a_profile_the_server_was_started_with(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from kompass_core import load_profile

    path = EXAMPLES / "profiles" / "democracy-first.toml"
    client = TestClient(create_app(db=tmp_path / "s.db", profiles=[load_profile(path)]))
    http = client.post("/score?profile=democracy-first", content=body())
    assert http.status_code == 200, http.text
    source = EXAMPLES / "upplands-vasby-2011.toml"
    assert main(["score", "--format", "json", "--profile", str(path), str(source)]) == 0
    [cli] = json.loads(capsys.readouterr().out)
    assert dict(http.json(), file=str(source)) == cli
    unknown = is_problem(client.post("/score?profile=nope", content=body()), 422)
    assert unknown["errors"][0]["path"] == "profile"
    other = is_problem(client.post("/score?profile=democracy-first",
                                   content=body("vallentuna-2021")), 422)
    assert "tailors kk-se@2.0" in other["detail"]


def test_the_pdf_report(client: TestClient) -> None:
    pdf = client.post("/report?format=pdf", content=body())
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_serve_binds_loopback_and_loads_no_heavy_library() -> None:
    """The default address is this machine's only; making the app imports no numpy, no
    WeasyPrint (the analysis and pdf extras load on the first call that needs them)."""
    import subprocess
    import sys

    from kompass_core.cli.main import _parser

    args = _parser().parse_args(["serve"])
    assert (args.host, args.port, args.cors_origin) == ("127.0.0.1", 8000, [])
    code = ("import sys; from kompass_core import create_app; create_app(); "
            "print(sorted(m for m in ('numpy', 'krippendorff', 'SALib', 'weasyprint', "
            "'openpyxl') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout == "[]\n"


@pytest.mark.parametrize("stored", [False, True])
def test_the_report_is_the_command_lines(tmp_path: Path, stored: bool,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The same Markdown report, its reference from the store where one exists, else from
    the bundled results."""
    db = tmp_path / "store.db"
    source = EXAMPLES / "upplands-vasby-2011.toml"
    if stored:
        assert main(["db", "import", str(EXAMPLES / "orebro-2012.toml"), "--db", str(db)]) == 0
    capsys.readouterr()
    client = TestClient(create_app(db=db))
    http = client.post("/report?format=md&lang=en", content=body())
    assert main(["report", str(source), "--format", "md", "--lang", "en", "--db", str(db)]) == 0
    assert http.text == capsys.readouterr().out
    assert db.exists() == stored  # a report never creates the store


@pytest.mark.parametrize(("query", "options"), [
    ("reference_from=2011&reference_to=2014", ["--reference-years", "2011-2014"]),
    ("reference_to=2012", ["--reference-years", "2012"]),
    ("reference_names=%C3%96rebro&reference_names=Nacka", ["--reference-names", "Örebro,Nacka"]),
    ("group=Towns", ["--group", "Towns"]),
])
def test_the_reports_reference_options_are_the_command_lines(
        tmp_path: Path, query: str, options: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    """The cohort chosen over HTTP is the one `kompass report` chooses with the same options."""
    db = tmp_path / "store.db"
    groups = tmp_path / "g.csv"
    groups.write_text("code,group\n1880,Towns\n1444,Towns\n", "utf-8")
    assert main(["db", "import", *(str(EXAMPLES / f) for f in (
        "orebro-2012.toml", "grastorp-2014.toml")), "--db", str(db)]) == 0
    assert main(["db", "groups", "import", str(groups), "--scheme", "t@1", "--source", "a test",
                 "--db", str(db)]) == 0
    capsys.readouterr()
    http = TestClient(create_app(db=db)).post(f"/report?format=md&lang=en&{query}",
                                              content=body())
    assert http.status_code == 200
    assert main(["report", str(EXAMPLES / "upplands-vasby-2011.toml"), "--format", "md",
                 "--lang", "en", "--db", str(db), *options]) == 0
    assert http.text == capsys.readouterr().out


def test_a_reference_window_backwards_is_refused(client: TestClient) -> None:
    problem = is_problem(client.post("/report?reference_from=2014&reference_to=2011",
                                     content=body()), 422)
    assert "reference_to: 2011 is before reference_from 2014" in json.dumps(problem)


def test_the_reports_robust_rank_is_the_command_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`robust=true` puts the same rank under the total as `kompass report --robust`."""
    db = tmp_path / "store.db"
    assert main(["db", "import", *(str(EXAMPLES / f) for f in (
        "orebro-2012.toml", "grastorp-2014.toml", "exempelby-partial.toml")),
        "--db", str(db)]) == 0
    capsys.readouterr()
    http = TestClient(create_app(db=db)).post(
        "/report?format=md&lang=en&robust=true&samples=500&seed=3", content=body())
    assert http.status_code == 200 and "Rank: " in http.text
    assert main(["report", str(EXAMPLES / "upplands-vasby-2011.toml"), "--format", "md",
                 "--lang", "en", "--db", str(db), "--robust", "--samples", "500",
                 "--seed", "3"]) == 0
    assert http.text == capsys.readouterr().out
    bad = TestClient(create_app(db=db)).post("/report?robust=true&samples=x", content=body())
    assert bad.status_code == 422 and "samples: x is not a whole number" in bad.text
