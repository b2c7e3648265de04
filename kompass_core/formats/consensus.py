"""The ``[team]`` and ``[decisions]`` tables of a team's evaluation (docs/teams.md).

``kompass consensus`` writes them; the evaluation reader calls
:func:`consensus_from` so a consensus reads from TOML and JSON alike. A
decided criterion's points join the evaluation's points (a criterion is
either agreed, under ``[areas]``, or decided, never both), so scoring needs
no special case; open decisions are left for ``validate`` to refuse.
"""

from __future__ import annotations

from kompass_core.formats.fields import Fields
from kompass_core.model.consensus import METRICS, Consensus, Decision, Reliability
from kompass_core.model.evaluation import evaluation_keys
from kompass_core.model.points import Points

TABLES = ("team", "decisions")
"""The top-level tables this module reads."""


def consensus_from(top: Fields, points: dict[str, Points]) -> Consensus | None:
    """The consensus a document holds (None if it has no ``[team]``); decided points join
    ``points``. Problems are appended to ``top``'s list."""
    team = top.table("team")
    decisions = _decisions(top, team is not None)
    if team is None:
        return None
    team.only("evaluators", "files", "agreement")
    evaluators = team.texts("evaluators")
    if not evaluators:
        team.problem("a team names at least one evaluator", "evaluators")
    files: dict[str, str] = {}
    table = team.table("files")
    if table is not None:
        for name in table.data:
            text = table.text(name)
            if text is not None:
                files[name] = text
    consensus = Consensus(evaluators, files, _agreement(team), decisions)
    for key, points_ in consensus.decided.items():
        if key in points:
            top.problem(f"{key} is both agreed (under {'.'.join(evaluation_keys(key))}) and "
                        "decided: keep one", "decisions", key)
        else:
            points[key] = points_
    return consensus


def _decisions(top: Fields, has_team: bool) -> dict[str, Decision]:
    out: dict[str, Decision] = {}
    tables = top.tables("decisions")
    if tables and not has_team:
        top.problem("decisions need the [team] that made them", "decisions")
    for key, fields in tables:
        fields.only("values", "points", "reason")
        values: dict[str, Points] = {}
        table = fields.table("values", required=True)
        if table is not None:
            for name in table.data:
                value = table.number(name)
                if value is not None:
                    values[name] = value
        if table is not None and not values:
            fields.problem("a decision lists the evaluators' values", "values")
        points = fields.number("points")
        if points is not None and points < 0:
            fields.problem("points is negative", "points")
            points = None
        if values:
            out[key] = Decision(values, points, fields.prose("reason") or "")
    return out


def _agreement(team: Fields) -> Reliability | None:
    table = team.table("agreement")
    if table is None:
        return None
    table.only("metric", "alpha", "low", "high", "items", "pairable", "bootstrap", "seed",
               "undefined")
    metric = table.text("metric", required=True)
    if metric is not None and metric not in METRICS:
        table.problem(f"metric must be one of: {', '.join(METRICS)}", "metric")
    alpha, low, high = (table.number(name) for name in ("alpha", "low", "high"))
    undefined = table.text("undefined") or ""
    if alpha is None and not undefined:
        table.problem("give alpha, or say why it is undefined", "alpha")
    return Reliability(metric or "interval", alpha, low, high, table.integer("items") or 0,
                       table.integer("pairable") or 0, table.integer("bootstrap") or 0,
                       table.integer("seed") or 0, undefined)
