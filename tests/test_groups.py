"""Peer groups: schemes and memberships in the store, and ``--group`` on queries and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kompass_core import InputError, Store, read_group_memberships
from kompass_core.cli.main import main
from kompass_core.store import schema
from tests.conftest import ROOT
from tests.postgres_server import downgrade

EXAMPLES = ROOT / "examples"
FILES = [str(EXAMPLES / f) for f in ("upplands-vasby-2011.toml", "grastorp-2014.toml",
                                     "orebro-2012.toml")]
MEMBERS = "code,group\n1444,Small towns\n1880,Large towns\n0114,Large towns\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str], store_url: str) -> str:
    path = store_url
    groups = tmp_path / "groups.csv"
    groups.write_text(MEMBERS, encoding="utf-8")
    assert run(capsys, "db", "import", *FILES, "--db", path)[0] == 0
    code, out, _ = run(capsys, "db", "groups", "import", str(groups), "--scheme", "towns@1",
                       "--source", "a test's own grouping", "--db", path)
    assert (code, out) == (0, f"{groups}: stored towns@1: 3 municipalities in 2 group(s)\n")
    return path


@given(st.dictionaries(st.from_regex(r"[0-9]{4}", fullmatch=True),
                       st.sampled_from(["A", "Bé", "C d"]), min_size=1))
def test_memberships_read_back_as_written(members: dict[str, str]) -> None:
    text = "group,code,note\n" + "".join(f"{g},{c},x\n" for c, g in members.items())
    assert read_group_memberships(text, "m.csv") == members


@pytest.mark.parametrize(("text", "error"), [
    ("code\n1444\n", "m.csv:1: the header lacks column(s) group (expected code,group)"),
    ("code,group\n1444,A\n1444,B\n", "m.csv:3: code: code 1444 is in 'A' already, not also 'B'"),
    ("code,group\n1444,\n", "m.csv:2: group: a code and a group are both needed"),
    ("code,group\n", "m.csv: holds no memberships"),
])
def test_a_bad_memberships_file_is_refused_in_one_line(text: str, error: str) -> None:
    with pytest.raises(InputError) as caught:
        read_group_memberships(text, "m.csv")
    assert str(caught.value) == error


def test_groups_are_listed_with_their_source_and_member_counts(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "groups", "list", "--db", db, "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"name": "towns", "version": "1",
                                "source": "a test's own grouping",
                                "groups": [{"name": "Small towns", "members": 1},
                                           {"name": "Large towns", "members": 2}]}]


def test_group_restricts_rank_and_average_to_its_members(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "rank", "kk-se@2.0", "--group", "Large towns", "--db", db,
                       "--format", "json")
    assert code == 0
    assert {r["code"] for r in json.loads(out)["ranking"]} == {"1880", "0114"}
    code, out, _ = run(capsys, "db", "average", "kk-se@2.0", "--group", "towns@1:small towns",
                       "--db", db)
    assert code == 0
    assert "group Small towns (towns@1, by municipality code)" in out.splitlines()[0]
    code, out, _ = run(capsys, "db", "rank", "kk-se@2.0", "--robust", "--samples", "200",
                       "--group", "towns:Large towns", "--db", db, "--format", "json")
    assert code == 0 and len(json.loads(out)["ranking"]) == 2


def test_an_unknown_or_ambiguous_group_is_refused_naming_the_known_ones(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "db", "rank", "kk-se@2.0", "--group", "Villages", "--db", db)
    assert code == 2 and "'Villages' is no stored group (towns@1:Small towns, " in err
    other = tmp_path / "other.csv"
    other.write_text("code,group\n1444,Small towns\n", encoding="utf-8")
    assert run(capsys, "db", "groups", "import", str(other), "--scheme", "towns@2",
               "--source", "x", "--db", db)[0] == 0
    code, _, err = run(capsys, "db", "rank", "kk-se@2.0", "--group", "Small towns", "--db", db)
    assert code == 2 and "matches several groups (towns@1:Small towns, towns@2:Small towns)" \
        in err
    code, _, err = run(capsys, "db", "groups", "import", str(other), "--scheme", "towns",
                       "--source", "x", "--db", db)
    assert code == 2 and "--scheme: 'towns' is not NAME@VERSION" in err


def test_the_reports_reference_is_the_groups_and_says_so(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", FILES[0], "--db", db, "--format", "md", "--lang", "en",
                       "--group", "Large towns", "--reference-years", "2000-2020")
    assert code == 0
    line = next(x for x in out.splitlines() if "Reference" in x and "peer group" in x)
    assert "mean of 1 " in line and "in the peer group Large towns (towns@1)" in line


def test_a_store_of_schema_3_upgrades_in_place_and_takes_groups(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db) as store:
        before = sorted(s.id for s in store.entries())
    downgrade(db, 3, "DROP TABLE group_members", "DROP TABLE group_schemes",
              "ALTER TABLE scores DROP COLUMN hidden")
    with Store.open(db) as store:
        assert store.version == schema.latest() == 5
        assert sorted(s.id for s in store.entries()) == before
        assert store.group_schemes() == []
    groups = tmp_path / "again.csv"
    groups.write_text(MEMBERS, encoding="utf-8")
    assert run(capsys, "db", "groups", "import", str(groups), "--scheme", "towns@1",
               "--source", "a test's own grouping", "--db", db)[0] == 0
    with Store.open(db) as store:
        assert [s.ref for s, _ in store.group_schemes()] == ["towns@1"]
