"""The evaluation file format (TOML or JSON; see docs/formats.md).

An evaluator writes points at whatever level they have (area, sub-area or
question) under ``[areas.N]``, ``[areas.N.subareas."N.M"]`` and
``[areas.N.subareas."N.M".questions."N.M.K"]``, plus notes per area, a
text per criterion (``comment``), a ``status`` (``"not-applicable"`` or
``"withheld"``), gold stars, the summary, conduct and facts of
:mod:`kompass_core.formats.narrative`, and a team's ``[team]`` and
``[decisions]`` (:mod:`kompass_core.formats.consensus`).
Parsing checks the file's own shape; whether keys exist and points fit is
checked against the rule set by scoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kompass_core.formats.consensus import TABLES as CONSENSUS_TABLES, consensus_from
from kompass_core.formats.fields import Fields
from kompass_core.formats.narrative import (
    CONDUCT_KEYS,
    STAR_KEYS,
    conduct_from,
    facts_from,
    stars_from,
)
from kompass_core.formats.reading import build, build_dict, decode, is_workbook, read_bytes
from kompass_core.model.country import country_problem
from kompass_core.model.dates import PartialDate
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import (
    NOTE_KINDS,
    AreaNotes,
    Evaluation,
    Municipality,
    Status,
)
from kompass_core.model.narrative import Star
from kompass_core.model.points import Points, plain

_LEVELS = ("areas", "subareas", "questions")


def load_evaluation(source: str | Path) -> Evaluation:
    """Read an evaluation file: TOML or JSON by content, or a ``.xlsx`` workbook; ``-``: stdin."""
    name, data = read_bytes(source)
    return evaluation_from_bytes(name, data)[0]


def evaluation_from_bytes(name: str, data: bytes) -> tuple[Evaluation, str | None]:
    """An evaluation from a file's bytes, and its text (None for a workbook) to place errors."""
    if is_workbook(name, data):
        return evaluation_from_xlsx(data, name), None
    text = decode(data, name)
    return parse_evaluation(text, name), text


def evaluation_from_xlsx(data: bytes, name: str = "<workbook>") -> Evaluation:
    """An evaluation from a filled scoring workbook's bytes (needs the ``xlsx`` extra)."""
    from kompass_core.formats.xlsx_reading import read_evaluation  # openpyxl: workbooks only

    return read_evaluation(data, name)


def parse_evaluation(text: str, name: str = "<evaluation>") -> Evaluation:
    """Parse evaluation text; problems are reported with file, line and key path."""
    return build(text, name, evaluation_from_data)


def evaluation_from_dict(data: Mapping[str, Any], name: str = "<dict>") -> Evaluation:
    """An evaluation from a dict of the documented file shape (what ``json.load`` gives).

    The checks and messages are those of :func:`parse_evaluation`, placed
    in ``name``; dates may be ``datetime.date``, a year or ``"YYYY[-MM[-DD]]"``.
    """
    return build_dict(data, name, evaluation_from_data)


def evaluation_from_data(data: dict[str, Any]) -> Evaluation:
    """Build an :class:`Evaluation` from a parsed document, or raise every problem."""
    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only("ruleset", "municipality", "evaluation", "areas", "facts", *CONSENSUS_TABLES)
    ref = top.ref("ruleset", required=True)
    municipality = municipality_from(top)
    meta = top.table("evaluation")
    date: PartialDate | None = None
    evaluators: tuple[str, ...] = ()
    if meta is not None:
        meta.only("date", "evaluators", *CONDUCT_KEYS)
        date, evaluators = meta.date("date"), meta.texts("evaluators")
    summary, conduct = conduct_from(meta)
    facts = facts_from(top)
    points: dict[str, Points] = {}
    notes: dict[str, AreaNotes] = {}
    comments: dict[str, str] = {}
    stars: list[Star] = []
    status: dict[str, Status] = {}
    _levels(top, 0, "", _Found(points, notes, comments, stars, status))
    consensus = consensus_from(top, points)
    if problems or ref is None or municipality is None:
        raise InputError(problems)
    return Evaluation(ref, municipality, date, evaluators, points, notes, comments,
                      summary=summary, conduct=conduct, facts=facts, stars=stars,
                      status=status, consensus=consensus)


class _Found(NamedTuple):
    """What the criterion tables give, by key, gathered while walking them."""

    points: dict[str, Points]
    notes: dict[str, AreaNotes]
    comments: dict[str, str]
    stars: list[Star]
    status: dict[str, Status]


_STATUSES = ", ".join(s.value for s in Status)


def municipality_from(top: Fields) -> Municipality | None:
    """The ``municipality`` table of an evaluation or score card, checked the same way."""
    table = top.table("municipality", required=True)
    if table is None:
        return None
    table.only("name", "code", "country")
    name = table.text("name", required=True)
    code = table.text("code")
    country = table.text("country")
    if country is not None and (problem := country_problem(country)):
        table.problem(problem, "country")
    return Municipality(name, code, country) if name is not None else None


def _levels(parent: Fields, depth: int, parent_key: str, found: _Found) -> None:
    table = _LEVELS[depth]
    for key, fields in parent.tables(table):
        prefix = f"{parent_key}." if parent_key else ""
        local = key[len(prefix):] if key.startswith(prefix) else ""
        if not local.isdigit() or local.startswith("0"):
            where = f"under {parent_key}: {parent_key}.N" if parent_key else "N"
            fields.problem(f"key must be {where} with N a positive whole number"
                           + _unquoted_hint(table, key, fields.data, depth, prefix))
            continue
        child = _LEVELS[depth + 1] if depth + 1 < len(_LEVELS) else None
        allowed = ["points", "status", "comment", *([child] if child else [])]
        if depth == 0:
            allowed += NOTE_KINDS
        allowed += STAR_KEYS
        fields.only(*allowed)
        value = fields.number("points")
        if value is not None and value < 0:
            fields.problem(f"{plain(value)} points is negative", "points")
        elif value is not None:
            found.points[key] = value
        status = fields.text("status")
        if status is not None and status not in _STATUSES.split(", "):
            fields.problem(f"unknown status {status!r} (one of: {_STATUSES})", "status")
        elif status == Status.NOT_APPLICABLE.value and fields.has("points"):
            fields.problem('points and status = "not-applicable" exclude each other', "status")
        elif status is not None:
            found.status[key] = Status(status)
        comment = fields.prose("comment")
        if comment is not None:
            found.comments[key] = comment
        found.stars.extend(stars_from(fields, key))
        if depth == 0:
            area_notes = AreaNotes(*(fields.lines(kind) for kind in NOTE_KINDS))
            if area_notes:
                found.notes[key] = area_notes
        if child:
            _levels(fields, depth + 1, key, found)


def _unquoted_hint(table: str, key: str, data: dict[str, Any], depth: int, prefix: str) -> str:
    """Say to quote ``"3.2"`` where ``[areas.3.subareas.3.2]`` was read as tables 3 -> 2.

    Unquoted, TOML splits a key at its dots; the nesting this leaves (one
    number table inside another, ``depth`` deep) is the mark of it.
    """
    parts = [key]
    while len(parts) <= depth and (numbers := [k for k, v in data.items()
                                               if k.isdigit() and isinstance(v, dict)]):
        parts.append(numbers[0])
        data = data[numbers[0]]
    dotted = ".".join(parts)
    if depth == 0 or len(parts) != depth + 1 or not dotted.startswith(prefix):
        return ""
    return f'; write it in quotes, {table}."{dotted}": unquoted, its dots split it into keys'
