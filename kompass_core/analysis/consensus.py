"""The team's evaluation, with its audit trail, as ``kompass consensus`` writes it.

Items all evaluators agree on carry over as points; items they scored
differently become open decisions that list each evaluator's value, for the
team to fill (``points`` and ``reason``). ``[team]`` records who scored (their
files' content hashes) and the agreement at the time, so the final file
says who scored what, what was decided and why (docs/teams.md).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import tomli_w

from kompass_core.analysis.agreement import Agreement, agreement
from kompass_core.analysis.team import Team, content_hash
from kompass_core.model.points import Points, plain

ALPHA_PLACES = 3
"""Decimals alpha and its interval are written with: more would be false precision."""


def consensus_document(team: Team, agreed: Agreement | None = None) -> dict[str, Any]:
    """The consensus evaluation as a document (the dict a TOML or JSON file holds).

    ``agreed`` defaults to :func:`~kompass_core.analysis.agreement.agreement`
    with its defaults. Where some evaluators left an item open, the points of
    those who gave it decide: agreed if they agree, a decision if not.
    """
    agreed = agreed or agreement(team)
    first = team.first
    municipality = {k: v for k, v in (("name", first.municipality.name),
                                      ("code", first.municipality.code),
                                      ("country", first.municipality.country)) if v}
    meta: dict[str, Any] = {"evaluators": list(team.evaluators)}
    if (when := first.date) is not None:  # a TOML date where the day is known
        meta["date"] = datetime.date(when.year, when.month, when.day) \
            if when.month and when.day else when.isoformat()
    areas: dict[str, Any] = {}
    decisions: dict[str, Any] = {}
    for item in agreed.items:
        given = {name: v for name, v in zip(team.evaluators, item.values, strict=True)
                 if v is not None}
        if len(set(given.values())) > 1:
            decisions[item.key] = {"values": {n: _number(v) for n, v in given.items()}}
        elif given:
            _place(areas, item.key)["points"] = _number(next(iter(given.values())))
    doc: dict[str, Any] = {"ruleset": str(first.ruleset), "municipality": municipality,
                           "evaluation": meta, "team": _team(team, agreed)}
    if areas:
        doc["areas"] = areas
    if decisions:
        doc["decisions"] = decisions
    return doc


def consensus_toml(team: Team, agreed: Agreement | None = None) -> str:
    """The consensus evaluation as TOML, with a comment saying how to close it."""
    doc = consensus_document(team, agreed)
    head = ("# The consensus of a team's evaluation, written by `kompass consensus`.\n"
            "# Each [decisions.\"KEY\"] is open: the team writes `points` (and `reason`,\n"
            "# required outside the evaluators' values) until `kompass validate` passes.\n")
    return head + tomli_w.dumps(doc)


def _team(team: Team, agreed: Agreement) -> dict[str, Any]:
    alpha = agreed.alpha
    record: dict[str, Any] = {"metric": agreed.metric}
    for name, value in (("alpha", alpha.value), ("low", alpha.low), ("high", alpha.high)):
        if value is not None:
            record[name] = round(value, ALPHA_PLACES)
    record |= {"items": alpha.items, "pairable": alpha.pairable,
               "bootstrap": agreed.bootstrap, "seed": agreed.seed}
    if alpha.undefined:
        record["undefined"] = alpha.undefined
    return {"evaluators": list(team.evaluators),
            "files": {m.evaluator: content_hash(m.evaluation) for m in team.members},
            "agreement": record}


def _place(areas: dict[str, Any], key: str) -> dict[str, Any]:
    """The table of ``key`` in the nested ``areas`` of an evaluation document."""
    parts = key.split(".")
    table: dict[str, Any] = areas.setdefault(parts[0], {})
    for depth, name in ((1, "subareas"), (2, "questions")):
        if len(parts) > depth:
            table = table.setdefault(name, {}).setdefault(".".join(parts[:depth + 1]), {})
    return table


def _number(value: Points) -> int | Decimal | str:
    """Points as TOML writes them: an int or exact decimal (points read from files always
    are one); a fraction no decimal writes, such as 1/3, as its text."""
    if isinstance(value, int):
        return value
    text = plain(value)
    return Decimal(text) if "/" not in text else text
