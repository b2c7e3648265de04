"""Fuzzing every reader: whatever the input, the only exception is kompass's own.

Readers get random bytes, random text, random TOML and JSON documents, and
documents of the right shape with wrong values. A reader may refuse
anything, but only with :class:`~kompass_core.KompassError` (which the
command line turns into one-line messages), never with a crash.
"""

from __future__ import annotations

import contextlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings, strategies as st

from kompass_core import KompassError, Registry, parse_evaluation, parse_ruleset
from kompass_core.formats.migration import parse_migration
from kompass_core.formats.profile import load_profile
from kompass_core.formats.reading import MAX_DEPTH, _depth, decode
from kompass_core.formats.results import COLUMNS, read_rows
from kompass_core.formats.toml_text import deep_key

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

keys = st.sampled_from(["ruleset", "municipality", "name", "evaluation", "date", "areas",
                        "subareas", "questions", "points", "1", "2", "1.1", "1.1.1", "3.2",
                        "strengths", "id", "version", "organisation", "country", "title", "max",
                        "label", "from", "to", "calibration", "status", "total", "profile",
                        "weighting", "params", "exclude", "extends", "sources", "x", ""])
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["kk-se@2.0", "kk-se", "SE", "2011-05-30", "calibrated"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)), max_leaves=25)
shaped = st.fixed_dictionaries({
    "ruleset": st.sampled_from(["kk-se@2.0", "kk-no@2.0", "kk-x", 3]),
    "municipality": st.one_of(st.fixed_dictionaries({"name": scalars}), scalars),
    "areas": st.dictionaries(st.sampled_from(["1", "2", "3", "8", "9", "x"]), st.one_of(
        st.fixed_dictionaries({"points": scalars}),
        st.fixed_dictionaries({"subareas": st.dictionaries(
            st.sampled_from(["1.1", "3.2", "2.1", "9.9"]),
            st.fixed_dictionaries({"points": scalars}))}), scalars), max_size=4)})
points = st.one_of(st.integers(0, 130), st.decimals(0, 130, places=2).map(float))


@st.composite
def scorable(draw: st.DrawFn) -> dict[str, object]:
    """An evaluation the reader accepts: points (maybe out of range) on keys that may not exist.

    Area 9 and sub-areas N.7 exist in neither rule set, so scoring sees
    unknown keys, points out of range and levels that disagree, as well as
    evaluations it can score.
    """
    areas: dict[str, dict[str, object]] = {}
    for key in draw(st.sets(st.sampled_from("123456789"), max_size=4)):
        subareas = {f"{key}.{n}": {"points": draw(points)}
                    for n in draw(st.sets(st.integers(1, 7), max_size=3))}
        areas[key] = {**({"points": draw(points)} if draw(st.booleans()) else {}),
                      **({"subareas": subareas} if subareas else {})}
    return {"ruleset": draw(st.sampled_from(["kk-se@2.0", "kk-no@2.0"])),
            "municipality": {"name": draw(st.text(min_size=1, max_size=12).filter(str.strip))},
            "areas": areas}


def _as_toml(doc: object) -> str:
    """TOML text for a random document, where TOML can say it (else JSON text)."""
    def clean(v: object) -> object:
        if isinstance(v, float):
            return Decimal(str(v)) if v == v and abs(v) != float("inf") else str(v)
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [clean(x) for x in v if x is not None]
        return v
    try:
        return tomli_w.dumps(clean(doc)) if isinstance(doc, dict) else json.dumps(doc)
    except (TypeError, ValueError):
        return json.dumps(doc, default=str)


def _refuses_cleanly(read: object, *args: object) -> None:
    with contextlib.suppress(KompassError):
        read(*args)  # type: ignore[operator]


@FUZZ
@given(st.binary(max_size=200))
def test_decode_random_bytes(data: bytes) -> None:
    _refuses_cleanly(decode, data, "f.toml")


@FUZZ
@given(st.one_of(st.text(max_size=200), documents.map(_as_toml), shaped.map(_as_toml)),
       st.sampled_from(["f.toml", "f.json", "-"]))
def test_evaluation_reader(text: str, name: str) -> None:
    _refuses_cleanly(parse_evaluation, text, name)


@FUZZ
@given(st.one_of(shaped, documents))
def test_scoring_whatever_the_reader_accepts(registry: Registry, doc: object) -> None:
    try:
        evaluation = parse_evaluation(json.dumps(doc, default=str), "f.json")
        registry.score(evaluation)
    except KompassError:
        pass


@FUZZ
@given(scorable())
def test_scoring_evaluations_of_the_right_shape(registry: Registry,
                                                doc: dict[str, object]) -> None:
    """The reader accepts every such document; scoring may refuse it, but only as kompass does."""
    evaluation = parse_evaluation(json.dumps(doc), "f.json")
    _refuses_cleanly(registry.score, evaluation)


@FUZZ
@given(st.one_of(st.text(max_size=200), documents.map(_as_toml)))
def test_ruleset_and_migration_readers(text: str) -> None:
    _refuses_cleanly(parse_ruleset, text, "r.toml")
    _refuses_cleanly(parse_migration, text, "m.toml")


@FUZZ
@given(st.one_of(st.text(max_size=200), documents.map(_as_toml)))
def test_profile_reader(tmp_path_factory: object, text: str) -> None:
    folder: Path = tmp_path_factory.mktemp("p")  # type: ignore[attr-defined]
    path = folder / "p.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _refuses_cleanly(load_profile, path)


@FUZZ
@given(st.lists(st.lists(st.one_of(st.text(max_size=8), st.integers().map(str)),
                         min_size=0, max_size=18), max_size=5))
def test_results_csv_reader(rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    _refuses_cleanly(read_rows, buf.getvalue(), "r.csv")


@FUZZ
@given(st.binary(max_size=300))
def test_xlsx_reader_random_bytes(data: bytes) -> None:
    from kompass_core.formats.xlsx_reading import read_evaluation

    _refuses_cleanly(read_evaluation, b"PK\x03\x04" + data, "f.xlsx")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.one_of(st.binary(min_size=1, max_size=400),
                 st.binary(max_size=300).map(lambda b: b"SQLite format 3\x00" + b)))
def test_store_file_of_random_bytes(tmp_path_factory: object, data: bytes) -> None:
    """A store file that is not ours (or is damaged) is refused, never a crash."""
    from kompass_core.store import Store

    folder: Path = tmp_path_factory.mktemp("s")  # type: ignore[attr-defined]
    path = folder / "results.db"
    path.write_bytes(data)
    _refuses_cleanly(lambda: Store.open(path, seed=False).close())


segments = st.one_of(st.sampled_from(["a", "3", "b-c", "_"]),
                     st.text(alphabet="a.3 #'=[]", max_size=4).map(lambda s: json.dumps(s)),
                     st.text(alphabet='a.3 #"=[]', max_size=4).map(lambda s: f"'{s}'"))


KEY_FORMS = ("{} = 1\n", "[{}]\n", "[[{}]]\n", "x = {{ {} = 1 }}\n")
NOT_KEY_FORMS = ("x = '{}'\n", 'x = """\n{} = 1\n"""\n', "# {} = 1\n")


@FUZZ
@given(st.lists(segments, min_size=1, max_size=MAX_DEPTH + 4),
       st.sampled_from(KEY_FORMS + NOT_KEY_FORMS), st.booleans())
def test_the_depth_prescan_refuses_only_what_nests_too_deep(parts: list[str], form: str,
                                                            spaced: bool) -> None:
    """The pre-scan counts a dotted key's parts exactly: quoted dots, strings and comments aside."""
    text = form.format((" . " if spaced else ".").join(parts))
    try:
        depth = _depth(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return  # refused by the parser anyway; which message comes first does not matter
    refused = deep_key(text, MAX_DEPTH) is not None
    assert refused == (form in KEY_FORMS and len(parts) > MAX_DEPTH)
    assert not refused or depth > MAX_DEPTH


@FUZZ
@given(st.text(alphabet="a.\"'#\\ \n=[]{}", max_size=300))
def test_the_depth_prescan_never_fails_on_any_text(text: str) -> None:
    problem = deep_key(text, MAX_DEPTH)
    assert problem is None or problem.line is not None
