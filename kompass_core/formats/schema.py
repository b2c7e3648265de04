"""JSON Schemas of the file formats, so editors can check files while a user types.

The schemas are built from the same vocabularies the readers use (keys,
assumption marks, rounding modes, note kinds), so they cannot drift from
what ``kompass validate`` accepts. Given a rule set, the evaluation schema
also knows its keys and maxima: an editor then flags ``points = 24`` on a
sub-area of max 20 before the file is ever scored.
"""

from __future__ import annotations

from typing import Any

from kompass_core.model.consensus import METRICS
from kompass_core.model.country import COUNTRY_PATTERN
from kompass_core.model.evaluation import NOTE_KINDS, Status
from kompass_core.model.narrative import MAX_ITEM, MAX_PROSE
from kompass_core.model.points import ROUNDING_MODES, plain
from kompass_core.model.refs import _ID, _VERSION
from kompass_core.model.ruleset import (
    ASSUMABLE,
    NOT_APPLICABLE_RULES,
    RULESET_ASSUMABLE,
    Criterion,
    RuleSet,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_LANG = {"type": "string", "pattern": "^[a-z]{2,3}$"}
_TEXT = {"type": "string", "minLength": 1}
_TEXTS = {"type": "array", "items": _TEXT}
_NUMBER = {"type": "number", "minimum": 0}
_COUNTRY = {"type": "string", "pattern": f"^{COUNTRY_PATTERN}$"}
_REF = {"type": "string", "pattern": f"^{_ID.pattern}@{_VERSION.pattern}$"}
_TABLES = ("areas", "subareas", "questions")
_PROSE = {"type": "string", "minLength": 1, "maxLength": MAX_PROSE}
_LINE = {"type": "string", "minLength": 1, "maxLength": MAX_ITEM, "pattern": "^[^\n]*$"}
_LINES = {"type": "array", "items": _LINE}
_FACT = {"type": "object", "required": ["label", "value"], "additionalProperties": False,
         "properties": {"label": _LINE, "value": _LINE, "source": _LINE,
                        "year": {"type": "integer", "minimum": 1000, "maximum": 9999}}}

_DATE = {"description": "as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD", "anyOf": [
    {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"},
    {"type": "integer", "minimum": 1, "maximum": 9999}]}
"""A date at the precision known (a day the pattern allows may still not exist: 02-30)."""

def _key_pattern(depth: int) -> str:
    return "^" + r"\.".join(["[1-9][0-9]*"] * (depth + 1)) + "$"


def ruleset_schema() -> dict[str, Any]:
    """The schema of rule-set files (docs/formats.md, "Rule-set files")."""
    def level(depth: int) -> dict[str, Any]:
        props: dict[str, Any] = {
            "max": {"type": "number", "exclusiveMinimum": 0},
            "label": {"type": "object", "propertyNames": _LANG,
                      "additionalProperties": _TEXT, "minProperties": 1},
            "translated": {"type": "array", "items": _LANG},
            "assumed": {"type": "array", "items": {"enum": list(ASSUMABLE)}},
            "note": _TEXT, "sources": _TEXTS}
        if depth + 1 < len(_TABLES):
            props[_TABLES[depth + 1]] = {
                "type": "object", "propertyNames": {"pattern": _key_pattern(depth + 1)},
                "additionalProperties": level(depth + 1)}
        return {"type": "object", "required": ["max", "label"], "properties": props,
                "additionalProperties": False}

    return {
        "$schema": DRAFT, "title": "kompass rule set", "type": "object",
        "required": ["id", "version", "organisation", "country", "title", "areas"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": f"^{_ID.pattern}$"},
            "version": {"type": "string", "pattern": f"^{_VERSION.pattern}$"},
            "organisation": _TEXT, "country": _COUNTRY,
            "title": {"type": "object", "propertyNames": _LANG, "additionalProperties": _TEXT,
                      "minProperties": 1},
            "translated": {"type": "array", "items": _LANG},
            "assumed": {"type": "array", "items": {"enum": list(RULESET_ASSUMABLE)}},
            "note": _TEXT,
            "weighting": {"type": "object", "additionalProperties": False,
                          "properties": {"name": _TEXT, "params": {
                              "type": "object", "additionalProperties": _NUMBER}}},
            "rounding": {"type": "object", "additionalProperties": False, "properties": {
                "places": {"type": "integer", "minimum": 0, "maximum": 6},
                "mode": {"enum": list(ROUNDING_MODES)}}},
            "sources": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["title"], "additionalProperties": False,
                "properties": {"title": _TEXT, "url": _TEXT, "note": _TEXT}}},
            "method": {"type": "object", "minProperties": 1, "additionalProperties": False,
                       "patternProperties": {_LANG["pattern"]: _TEXT},
                       "properties": {"sources": _TEXTS, "note": _TEXT}},
            "missing": {"type": "object", "additionalProperties": False, "properties": {
                "not_applicable": {"enum": list(NOT_APPLICABLE_RULES)},
                "coverage": {"type": "number", "minimum": 0, "maximum": 1}}},
            "areas": {"type": "object", "minProperties": 1,
                      "propertyNames": {"pattern": _key_pattern(0)},
                      "additionalProperties": level(0)},
        },
    }


def evaluation_schema(ruleset: RuleSet | None = None, lang: str | None = None
                      ) -> dict[str, Any]:
    """The schema of evaluation files; with ``ruleset``, its keys, labels and maxima."""
    def table(depth: int, criterion: Criterion | None) -> dict[str, Any]:
        points: dict[str, Any] = dict(_NUMBER)
        props: dict[str, Any] = {"points": points, "comment": _PROSE,
                                 "status": {"enum": [st.value for st in Status]},
                                 "gold_star": {"type": "boolean"}, "gold_stars": _LINES}
        if criterion is not None:
            points["maximum"] = float(criterion.max)
            label, _ = criterion.labels.get(lang or (ruleset.languages[0] if ruleset else "en"))
            points["description"] = f"{criterion.key} {label}: 0 to {plain(criterion.max)} points"
        if depth == 0:
            props.update(dict.fromkeys(NOTE_KINDS, _LINES))
        if depth + 1 < len(_TABLES):
            props[_TABLES[depth + 1]] = children(depth + 1, criterion)
        return {"type": "object", "properties": props, "additionalProperties": False,
                "not": {"required": ["points", "status"],  # points exclude not-applicable
                        "properties": {"status": {"const": Status.NOT_APPLICABLE.value}}}}

    def children(depth: int, parent: Criterion | None) -> dict[str, Any]:
        if ruleset is None:
            return {"type": "object", "propertyNames": {"pattern": _key_pattern(depth)},
                    "additionalProperties": table(depth, None)}
        below = ruleset.areas if parent is None else parent.children
        return {"type": "object", "additionalProperties": False,
                "properties": {c.key: table(depth, c) for c in below}}

    return {
        "$schema": DRAFT, "type": "object", "additionalProperties": False,
        "title": f"kompass evaluation ({ruleset.ref})" if ruleset else "kompass evaluation",
        "required": ["ruleset", "municipality"],
        "properties": {
            "ruleset": {"const": str(ruleset.ref)} if ruleset else _REF,
            "municipality": {"type": "object", "required": ["name"],
                             "additionalProperties": False, "properties": {
                                 "name": _TEXT, "code": _TEXT,
                                 "country": _COUNTRY}},
            "evaluation": {"type": "object", "additionalProperties": False, "properties": {
                "date": _DATE, "evaluators": _TEXTS,
                "summary": _PROSE, "first": {"type": "boolean"},
                "interviewed": {"type": "integer", "minimum": 0},
                "groups": _LINES, "documents": _LINES}},
            "areas": children(0, None),
            "facts": {"type": "array", "items": _FACT},
            **_CONSENSUS,
        },
    }


_COUNT = {"type": "integer", "minimum": 0}
_POINTS_BY_NAME = {"type": "object", "additionalProperties": _NUMBER, "minProperties": 1}
_CONSENSUS = {  # what `kompass consensus` writes (formats/consensus.py, docs/teams.md)
    "team": {"type": "object", "required": ["evaluators"], "additionalProperties": False,
             "properties": {
                 "evaluators": {**_TEXTS, "minItems": 1},
                 "files": {"type": "object", "additionalProperties": _TEXT},
                 "agreement": {"type": "object", "required": ["metric"],
                               "additionalProperties": False, "properties": {
                                   "metric": {"enum": list(METRICS)},
                                   "alpha": {"type": "number"}, "low": {"type": "number"},
                                   "high": {"type": "number"},
                                   "items": _COUNT, "pairable": _COUNT,
                                   "bootstrap": _COUNT, "seed": _COUNT,
                                   "undefined": _TEXT}}}},
    "decisions": {"type": "object", "additionalProperties": {
        "type": "object", "required": ["values"], "additionalProperties": False,
        "properties": {"values": _POINTS_BY_NAME, "points": _NUMBER, "reason": _PROSE}}},
}
