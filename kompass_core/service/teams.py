"""A team's agreement and consensus (``kompass agree``, ``consensus``) over HTTP.

The body is a JSON list of the evaluators' evaluations, one each, named
``request body item N`` in messages where the command line names files.
Both need the ``analysis`` extra (numpy, krippendorff), imported on the
first call only.
"""

from __future__ import annotations

from typing import Any

from kompass_core import (
    Evaluation,
    InputError,
    Problem,
    evaluation_from_dict,
    evaluation_schema,
    exact_text,
    team_of,
)
from kompass_core.service.endpoints import BODY, Call, Endpoint, Param, Reply, json_reply

MISSING = "agree and consensus need the analysis extra: pip install 'kommunkompass[analysis]'"
OPTIONS = (Param("metric", {"type": "string", "enum": ["interval", "ordinal"]},
                 "Krippendorff's distance metric (default: interval)"),
           Param("bootstrap", {"type": "integer", "minimum": 0, "maximum": 10000},
                 "resamples of the items for alpha's 95 % interval (default: 1000)"),
           Param("seed", {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
                 "seed of the resampling (default: 0)"))


def _agreement(call: Call) -> tuple[Any, Any]:
    items = call.json()
    if not isinstance(items, list) or not items:
        raise InputError(Problem("must be a list of the evaluators' evaluations", BODY))
    members: list[tuple[str, Evaluation]] = []
    for i, item in enumerate(items):
        name = f"{BODY} item {i}"
        if not isinstance(item, dict):
            raise InputError(Problem("is not an evaluation (a JSON object)", name))
        members.append((name, evaluation_from_dict(item, name)))
    team = team_of(members, call.settings.registry)
    try:
        from kompass_core import agreement
    except ImportError:
        raise InputError(Problem(MISSING)) from None
    return team, agreement(team, call.one("metric") or "interval",
                           call.number("bootstrap", 1000, 10000),
                           call.number("seed", 0, 2**32 - 1))


def _points(value: Any) -> str | None:
    return None if value is None else exact_text(value)


def _alpha(alpha: Any) -> dict[str, Any]:
    return {"alpha": alpha.value, "low": alpha.low, "high": alpha.high, "items": alpha.items,
            "pairable": alpha.pairable, "undefined": alpha.undefined or None}


def _agree(call: Call) -> Reply:
    team, agreed = _agreement(call)
    names = list(agreed.evaluators)
    first = team.first
    return json_reply({
        "ruleset": str(team.ruleset.ref), "municipality": first.municipality.name,
        "date": first.date.isoformat() if first.date else None,
        "evaluators": names, "level": agreed.level.value, "metric": agreed.metric,
        "bootstrap": agreed.bootstrap, "seed": agreed.seed, "total": _alpha(agreed.alpha),
        "areas": [dict(key=a.key, values=dict(zip(names, map(_points, a.values), strict=True)),
                       spread=_points(a.spread), **_alpha(agreed.area_alpha[a.key]))
                  for a in agreed.areas],
        "agenda": [{"key": i.key,
                    "values": dict(zip(names, map(_points, i.values), strict=True)),
                    "spread": _points(i.spread)} for i in agreed.agenda()]})


def _consensus(call: Call) -> Reply:
    from kompass_core import consensus_toml

    team, agreed = _agreement(call)
    return Reply(consensus_toml(team, agreed), "application/toml; charset=utf-8")


def endpoints() -> list[Endpoint]:
    """The team's operations (as ``kompass agree --format json`` and ``kompass consensus``)."""
    team = {"type": "array", "items": evaluation_schema(), "minItems": 1}
    return [
        Endpoint("POST", "/agree", "agree", "How far a team's evaluators agree: alpha, agenda",
                 _agree, OPTIONS, body=team, answers={"application/json": {"type": "object"}}),
        Endpoint("POST", "/consensus", "consensus",
                 "The team's consensus evaluation (TOML) with its open decisions", _consensus,
                 OPTIONS, body=team, answers={"application/toml": {"type": "string"}}),
    ]
