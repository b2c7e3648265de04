"""Lossless conversion of model objects to JSON-ready data and back (cattrs).

Exact numbers travel as text (``"499"``, ``"997/2"``) so no tool reading
our JSON ever sees a rounded float; parse them with ``fractions.Fraction``.
A score card is written in the documented ``kompass.scorecard/1`` shape
(see docs/formats.md), which also carries derived conveniences
(``complete``, ``display``) that are ignored when reading it back, and,
only where there are some, ``withheld`` keys and the ``coverage`` rule, so
older cards read as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar, get_origin

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.v import format_exception

from kompass_core.formats.evaluation import municipality_from
from kompass_core.formats.fields import Fields
from kompass_core.formats.reading import build_dict
from kompass_core.model.card import TOTAL, Provenance, ScoreCard, Step
from kompass_core.model.dates import PartialDate, read_date
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.narrative import Conduct, Fact, Star
from kompass_core.model.points import ROUNDING_MODES, Points, Rounding, from_text, to_text
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
    conv.register_structure_hook_func(  # a consensus's alpha and decided points
        lambda t: t == Points | None,
        lambda v, t: None if v is None else _structure_points(v, t))
    conv.register_unstructure_hook(Fraction, to_text)
    conv.register_structure_hook(Fraction, lambda v, _t: Fraction(_structure_points(v, _t)))
    conv.register_unstructure_hook(RuleSetRef, str)
    conv.register_structure_hook(RuleSetRef, lambda v, _t: RuleSetRef.parse(v))
    conv.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    conv.register_structure_hook(PartialDate, lambda v, _t: read_date(v))
    conv.register_unstructure_hook_func(_is_frozenset, sorted)
    conv.register_unstructure_hook(Labels, lambda lb: {
        "texts": dict(lb.texts), "translated": sorted(lb.translated)})
    conv.register_unstructure_hook(WeightingSpec, lambda w: {
        "name": w.name, "params": {k: to_text(v) for k, v in w.params.items()}})
    _narrative_hooks(conv)
    conv.register_unstructure_hook(ScoreCard, _unstructure_card)
    conv.register_structure_hook(ScoreCard, lambda v, _t: scorecard_from_dict(v, "<scorecard>"))
    return conv


def _narrative_hooks(conv: cattrs.Converter) -> None:
    """What evaluators write beside the points, and statuses, are written only where there are
    some, so an evaluation without them keeps the canonical JSON, and the content key, it had
    before."""
    for cls in (Conduct, Fact, Star):  # first: the evaluation's hook takes theirs when made
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True))
    omit = override(omit_if_default=True)
    conv.register_unstructure_hook(Evaluation, make_dict_unstructure_fn(
        Evaluation, conv, summary=omit, conduct=omit, facts=omit, stars=omit, status=omit,
        consensus=omit))


def _unstructure_card(card: ScoreCard) -> dict[str, Any]:
    scores = []
    for entry in card.entries():
        s = entry.score
        scores.append({"key": entry.key, "level": entry.level.value, "low": to_text(s.low),
                       "high": to_text(s.high), "max": to_text(s.max),
                       "provenance": entry.provenance.value,
                       "display": card.hidden_by(entry.key) or s.show(card.rounding)})
    extra: dict[str, Any] = {}
    if card.withheld:
        extra["withheld"] = sorted(card.withheld)
    if card.coverage is not None:
        extra["coverage"] = to_text(card.coverage)
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
        **extra,
    }


_CARD_KEYS = ("format", "ruleset", "weighting", "rounding", "municipality", "date", "complete",
              "migration", "scores", "withheld", "coverage", "file")
_SCORE_KEYS = ("key", "level", "low", "high", "max", "provenance", "display")


def scorecard_from_dict(data: Mapping[str, Any], name: str = "<dict>") -> ScoreCard:
    """A score card from its documented ``kompass.scorecard/1`` shape (what ``json.load`` gives).

    Every problem is reported with its key path, as the file readers do;
    the derived ``complete`` and ``display`` (and the ``file`` the command
    line adds) are ignored.
    """
    return build_dict(data, name, scorecard_from_data)


def scorecard_from_data(data: dict[str, Any]) -> ScoreCard:
    """Build a :class:`ScoreCard` from a parsed document, or raise every problem."""
    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only(*_CARD_KEYS)
    form = top.text("format", required=True)
    if form is not None and form != CARD_FORMAT:
        top.problem(f"expected {CARD_FORMAT!r}, got {form!r}", "format")
    ref = top.ref("ruleset", required=True)
    weighting = _card_weighting(top)
    rounding = _card_rounding(top)
    municipality = municipality_from(top)
    date = top.date("date")
    path, uncalibrated = _card_migration(top)
    rows = _card_scores(top)
    withheld = frozenset(top.texts("withheld"))
    coverage = _exact_text(top, "coverage") if top.has("coverage") else None
    if coverage is not None and coverage > 1:
        top.problem(f"coverage {to_text(coverage)} is outside 0..1", "coverage")
    if problems or ref is None or weighting is None or rounding is None \
            or municipality is None:
        raise InputError(problems)
    keys, levels, maxes, lows, highs, provenance = (
        tuple(column) for column in zip(*rows, strict=True))
    return ScoreCard(ref, weighting, municipality, date, rounding, keys, levels, maxes, lows,
                     highs, provenance, path, uncalibrated, withheld,
                     None if coverage is None else Fraction(coverage))


def _exact_text(fields: Fields, name: str) -> Points | None:
    """Exact points written as text (``"499"``, ``"997/2"``), as cards write them."""
    value = fields.data.get(name)
    if name not in fields.data:
        fields.problem(f"missing required key {name!r}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        fields.problem(f"expected exact points as text, e.g. \"997/2\", got {value!r}", name)
        return None
    try:
        return from_text(str(value))
    except (ValueError, ZeroDivisionError):
        fields.problem(f"{value!r} is not a number of points", name)
        return None


def _card_weighting(top: Fields) -> WeightingSpec | None:
    table = top.table("weighting", required=True)
    if table is None:
        return None
    table.only("name", "params")
    name = table.text("name", required=True)
    params = table.table("params")
    values = {key: _exact_text(params, key) for key in params.data} if params else {}
    exact = {key: value for key, value in values.items() if value is not None}
    return WeightingSpec(name, exact) if name is not None else None


def _card_rounding(top: Fields) -> Rounding | None:
    table = top.table("rounding", required=True)
    if table is None:
        return None
    table.only("places", "mode")
    places, mode = table.integer("places"), table.text("mode")
    if places is not None and not 0 <= places <= 6:
        table.problem(f"{places} decimal places is outside 0..6", "places")
        return None
    if mode is not None and mode not in ROUNDING_MODES:
        table.problem(f"unknown rounding mode {mode!r} (one of: {', '.join(ROUNDING_MODES)})",
                      "mode")
        return None
    return Rounding(places or 0, mode or "half-up")


def _card_migration(top: Fields) -> tuple[tuple[Step, ...], tuple[Step, ...]]:
    table = top.table("migration")  # only migrated cards need it
    if table is None:
        return (), ()
    table.only("path", "uncalibrated")
    out: list[tuple[Step, ...]] = []
    for name in ("path", "uncalibrated"):
        steps = []
        for i, text in enumerate(table.texts(name)):
            try:
                steps.append(Step.parse(text))
            except (ValueError, InputError) as err:
                message = err.problems[0].message if isinstance(err, InputError) else str(err)
                table.problem(message, name, str(i))
        out.append(tuple(steps))
    return out[0], out[1]


_Row = tuple[str, Level, Points, Points, Points, Provenance]


def _card_scores(top: Fields) -> list[_Row]:
    raw = top.data.get("scores")
    if not isinstance(raw, list) or not raw:
        if top.ok:
            top.problem("expected a non-empty array of scores, the total first", "scores")
        return []
    rows: list[_Row] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        row = Fields(item, ("scores", str(i)), top.problems)
        if not row.ok:
            continue
        row.only(*_SCORE_KEYS)
        key = row.text("key", required=True)
        level = _choice(row, "level", Level)
        provenance = _choice(row, "provenance", Provenance)
        low, high, top_max = (_exact_text(row, name) for name in ("low", "high", "max"))
        if key is not None and (key in seen or (i == 0) != (key == TOTAL)):
            row.problem("the total comes first and every key once", "key")
        if low is not None and high is not None and top_max is not None and \
                not 0 <= low <= high <= top_max:
            row.problem(f"not 0 <= low <= high <= max: {low}, {high}, {top_max}")
        elif key is not None and level is not None and provenance is not None and \
                low is not None and high is not None and top_max is not None:
            seen.add(key)
            rows.append((key, level, top_max, low, high, provenance))
    return rows


E = TypeVar("E", Level, Provenance)


def _choice(fields: Fields, name: str, kind: type[E]) -> E | None:
    text = fields.text(name, required=True)
    if text is None:
        return None
    try:
        return kind(text)
    except ValueError:
        fields.problem(f"unknown {name} {text!r} (one of: {', '.join(m.value for m in kind)})",
                       name)
        return None


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
    except InputError:
        raise
    except Exception as exc:  # cattrs raises exception groups; flatten them to one line each
        messages = cattrs.transform_error(exc, format_exception=_reason) \
            if isinstance(exc, cattrs.BaseValidationError) else [f"{type(exc).__name__}: {exc}"]
        raise InputError([Problem(m) for m in messages]) from None


def _reason(exc: BaseException, kind: type | None) -> str:
    """Why a value was refused: a model check's own message, else cattrs' wording."""
    if isinstance(exc, InputError):
        return "; ".join(p.message for p in exc.problems)
    return format_exception(exc, kind)


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
