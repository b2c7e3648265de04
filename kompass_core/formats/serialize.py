"""Lossless conversion of model objects to JSON-ready data and back (cattrs).

Exact numbers travel as text (``"499"``, ``"997/2"``) so no tool reading
our JSON ever sees a rounded float; parse them with ``fractions.Fraction``.
A score card is written in the documented ``kompass.scorecard/1`` shape
(see docs/formats.md), which also carries derived conveniences
(``complete``, ``display``) that are ignored when reading it back.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar, get_origin

import cattrs

from kompass_core.model.card import Provenance, ScoreCard, Step
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, Rounding, from_text, to_text
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Labels, Level, WeightingSpec

T = TypeVar("T")
CARD_FORMAT = "kompass.scorecard/1"


def _structure_points(value: object, _type: object) -> Points:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"expected exact points as text, got {value!r}")
    return from_text(str(value))


def _is_frozenset(t: Any) -> bool:
    return t is frozenset or get_origin(t) is frozenset


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    is_points = lambda t: t == Points  # noqa: E731 - a predicate for the union type
    conv.register_unstructure_hook_func(is_points, to_text)
    conv.register_structure_hook_func(is_points, _structure_points)
    conv.register_unstructure_hook(Fraction, to_text)
    conv.register_unstructure_hook(RuleSetRef, str)
    conv.register_structure_hook(RuleSetRef, lambda v, _t: RuleSetRef.parse(v))
    conv.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    conv.register_structure_hook(datetime.date, lambda v, _t: datetime.date.fromisoformat(v))
    conv.register_unstructure_hook_func(_is_frozenset, sorted)
    conv.register_unstructure_hook(Labels, lambda lb: {
        "texts": dict(lb.texts), "translated": sorted(lb.translated)})
    conv.register_unstructure_hook(WeightingSpec, lambda w: {
        "name": w.name, "params": {k: to_text(v) for k, v in w.params.items()}})
    conv.register_unstructure_hook(ScoreCard, _unstructure_card)
    conv.register_structure_hook(ScoreCard, lambda v, _t: _structure_card(conv, v))
    return conv


def _unstructure_card(card: ScoreCard) -> dict[str, Any]:
    scores = []
    for entry in card.entries():
        s = entry.score
        scores.append({"key": entry.key, "level": entry.level.value, "low": to_text(s.low),
                       "high": to_text(s.high), "max": to_text(s.max),
                       "provenance": entry.provenance.value,
                       "display": s.show(card.rounding)})
    return {
        "format": CARD_FORMAT,
        "ruleset": str(card.ruleset),
        "weighting": converter.unstructure(card.weighting),
        "rounding": converter.unstructure(card.rounding),
        "municipality": converter.unstructure(card.municipality),
        "date": card.date.isoformat() if card.date else None,
        "complete": card.complete,
        "migration": {"path": [str(s) for s in card.path],
                      "uncalibrated": [str(s) for s in card.uncalibrated]},
        "scores": scores,
    }


def _structure_card(conv: cattrs.Converter, data: Mapping[str, Any]) -> ScoreCard:
    if data.get("format") != CARD_FORMAT:
        raise ValueError(f"not a {CARD_FORMAT} document")
    rows = data["scores"]
    migration = data.get("migration", {})  # only migrated cards need it
    return ScoreCard(
        ruleset=RuleSetRef.parse(data["ruleset"]),
        weighting=conv.structure(data["weighting"], WeightingSpec),
        municipality=conv.structure(data["municipality"], Municipality),
        date=datetime.date.fromisoformat(data["date"]) if data["date"] else None,
        rounding=conv.structure(data["rounding"], Rounding),
        keys=tuple(r["key"] for r in rows),
        levels=tuple(Level(r["level"]) for r in rows),
        maxes=tuple(from_text(r["max"]) for r in rows),
        lows=tuple(from_text(r["low"]) for r in rows),
        highs=tuple(from_text(r["high"]) for r in rows),
        provenance=tuple(Provenance(r["provenance"]) for r in rows),
        path=tuple(map(Step.parse, migration.get("path", ()))),
        uncalibrated=tuple(map(Step.parse, migration.get("uncalibrated", ()))),
    )


converter = _make_converter()


def unstructure(obj: object) -> Any:
    """JSON-ready data for any model object."""
    return converter.unstructure(obj)


def structure(data: Any, cls: type[T]) -> T:
    """The model object of type ``cls`` from :func:`unstructure` output.

    Raises :class:`InputError` with the path of the first bad value.
    """
    try:
        return converter.structure(data, cls)
    except Exception as exc:  # cattrs raises exception groups; flatten them to one line each
        messages = cattrs.transform_error(exc) if isinstance(exc, cattrs.BaseValidationError) \
            else [f"{type(exc).__name__}: {exc}"]
        raise InputError([Problem(m) for m in messages]) from None


def to_json(obj: object) -> str:
    """Deterministic, indented JSON for any model object."""
    return json.dumps(unstructure(obj), ensure_ascii=False, indent=2) + "\n"


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(data: object) -> str:
    """Canonical JSON of JSON-ready data: sorted keys, no spaces, UTF-8 text as is.

    The one encoder of record for content keys (the results store hashes it,
    docs/formats.md); one encoder for all calls, as ``json.dumps`` with
    options builds a new one each time.
    """
    return _CANONICAL.encode(data)
