"""The results store's endpoints: import, list, history, average, rank, export, remove.

The store is opened per request through its public API (``Store.open``),
so whichever backend it runs on is invisible here, and no connection is
shared between the threads requests run in. Writes need the server's
token (:mod:`kompass_core.service.endpoints`).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from kompass_core import (
    TOTAL,
    Difference,
    InputError,
    PartialDate,
    Problem,
    RuleSetRef,
    ScoreCard,
    Store,
    Stored,
    Verdict,
    compare_cards,
    make_record,
    store_average,
    store_distinct,
    store_entry,
    store_export,
    store_latest,
    store_rank,
    unstructure,
)
from kompass_core.service.endpoints import Call, Endpoint, Param, Reply, json_reply
from kompass_core.service.engine import REF, scored

OBJ: dict[str, Any] = {"type": "object"}
FILTERS = (Param("year", {"type": "integer", "minimum": 0, "maximum": 9999},
                 "only evaluations of this year"),
           Param("country", {"type": "string"}, "only evaluations of this country"))


def _open(call: Call) -> Store:
    return Store.open(call.settings.db, call.settings.registry)  # None: the default store


def _list(call: Call) -> Reply:
    wanted = call.one("ruleset")
    ref = call.settings.registry.ruleset(wanted).ref if wanted else None
    with _open(call) as store:
        entries = store.entries(ref)
    entries.sort(key=lambda s: (s.municipality.name.casefold(), s.year or 0, str(s.ruleset),
                                s.id))
    return json_reply([store_entry(s) for s in entries])


def _import(call: Call) -> Reply:
    evaluation, _, card = scored(call)
    record = make_record(evaluation, card, "http")
    with _open(call) as store:
        [(_, new)] = store.add([record])
    return json_reply({"id": record.id, "stored": new})


def _remove(call: Call) -> Reply:
    with _open(call) as store:
        return json_reply(store_entry(store.remove(call.path["id"])))


def _export(call: Call) -> Reply:
    with _open(call) as store:
        return json_reply(store_export(store))


def _year(call: Call) -> int | None:
    text = call.one("year")
    if text is None:
        return None
    if not text.isdigit() or int(text) > 9999:
        raise InputError(Problem(f"{text[:40]} is not a year (0 to 9999)", keys=("year",)))
    return int(text)


def _selection(call: Call) -> tuple[Any, list[Stored], list[Stored]]:
    """The rule set, its stored evaluations each counted once, and those left out."""
    ruleset = call.settings.registry.ruleset(call.path["ref"])
    country = call.one("country")
    with _open(call) as store:
        found = store.entries(ruleset.ref, ("evaluation",), _year(call), country)
    kept, dropped = store_distinct(found)
    return ruleset, kept, dropped


def _average(call: Call) -> Reply:
    ruleset, kept, dropped = _selection(call)
    keys = [TOTAL, *(a.key for a in ruleset.areas)]
    columns = store_average(kept, keys, [ruleset.max, *(a.max for a in ruleset.areas)])
    country = call.one("country")
    return json_reply({
        "ruleset": str(ruleset.ref), "kind": "evaluation", "year": _year(call),
        "country": country.upper() if country else None, "group": None,
        "columns": [{"key": c.key, "average": None if c.average is None
                     else str(unstructure(c.average)), "count": c.count, "max": str(c.max)}
                    for c in columns],
        "evaluations": [s.id for s in kept], "counted_once": [s.id for s in dropped]})


def _rank(call: Call) -> Reply:
    ruleset, kept, dropped = _selection(call)
    every = call.one("all") == "true"
    earlier: list[Stored] = []
    if not every:
        kept, earlier = store_latest(kept)
    ranking = []
    for place, s in store_rank(kept):
        total, m = s.score(TOTAL), s.municipality
        ranking.append({"rank": place, "id": s.id, "municipality": m.name, "code": m.code,
                        "country": m.country, "year": s.year,
                        "low": str(total.low) if total else None,
                        "high": str(total.high) if total else None,
                        "max": str(total.max) if total else None})
    country = call.one("country")
    return json_reply({"ruleset": str(ruleset.ref), "year": _year(call),
                       "country": country.upper() if country else None, "group": None,
                       "all": every, "ranking": ranking, "earlier": [s.id for s in earlier],
                       "counted_once": [s.id for s in dropped]})


def _carried(call: Call, card: ScoreCard, target: RuleSetRef) -> ScoreCard | None:
    """``card`` on ``target``, or None where no calibrated path leads there."""
    if card.ruleset == target:
        return card
    try:
        moved = call.settings.registry.migrate(card, target)
    except InputError:  # no path at all
        return None
    return None if len(moved.uncalibrated) > len(card.uncalibrated) else moved


def _change(change: Difference | None) -> dict[str, Any]:
    if change is None or change.verdict is Verdict.UNJUDGEABLE:
        return {"verdict": Verdict.UNJUDGEABLE.value, "low": None, "high": None}
    return {"verdict": change.verdict.value, "low": str(change.low), "high": str(change.high)}


def _history(call: Call) -> Reply:
    registry, who = call.settings.registry, call.path["municipality"]
    with _open(call) as store:
        found = store.find(who)
    if not found:
        raise InputError(Problem(f"no stored evaluation of {who!r} (by name or code)"))
    kept, dropped = store_distinct(found)
    kept.sort(key=lambda s: (s.year if s.year is not None else -1,
                             s.date or PartialDate(1), s.seq))
    wanted = call.one("on")
    on = registry.ruleset(wanted) if wanted else registry.ruleset(kept[-1].ruleset)
    own = [s.card(registry.ruleset(s.ruleset)) for s in kept]
    carried = [_carried(call, c, on.ref) for c in own]
    changes: list[dict[str, Any] | None] = [None]
    for before, after in pairwise(own):
        earlier = _carried(call, before, after.ruleset)
        changes.append(_change(None if earlier is None
                               else compare_cards(earlier, after, (TOTAL,))[0]))
    return json_reply({"municipality": who, "on": str(on.ref), "evaluations": [
        {"id": s.id, "origin": s.origin, "kind": s.kind, "year": s.year,
         "ruleset": str(s.ruleset), "ruleset_basis": s.basis, "source_url": s.source_url,
         "date": s.date.isoformat() if s.date else None, "card": unstructure(c),
         "comparable": m is not None, "on_card": None if m is None else unstructure(m),
         "change": d} for s, c, m, d in zip(kept, own, carried, changes, strict=True)],
        "counted_once": [s.id for s in dropped]})


def endpoints() -> list[Endpoint]:
    """The store's operations; import and remove are writes."""
    from kompass_core import evaluation_schema

    return [
        Endpoint("GET", "/store/entries", "store_list", "The stored evaluations (db list)",
                 _list, (Param("ruleset", REF, "only this rule set"),),
                 answers={"application/json": {"type": "array", "items": OBJ}}),
        Endpoint("POST", "/store/entries", "store_import",
                 "Score and store an evaluation (db import; needs the token)", _import,
                 body=evaluation_schema(), answers={"application/json": OBJ}, write=True),
        Endpoint("DELETE", "/store/entries/{id}", "store_remove",
                 "Remove a stored evaluation by its id or a unique prefix (needs the token)",
                 _remove, answers={"application/json": OBJ}, write=True),
        Endpoint("GET", "/store/history/{municipality}", "store_history",
                 "Every stored evaluation of one municipality (by name or code), each on its "
                 "own rule set and carried to one", _history,
                 (Param("on", REF, "rule set to carry results to (default: the newest's)"),),
                 answers={"application/json": OBJ}),
        Endpoint("GET", "/store/export", "store_export", "The whole store (kompass.store/1)",
                 _export, answers={"application/json": OBJ}),
        Endpoint("GET", "/store/average/{ref}", "store_average",
                 "Average per area and total of a rule set's stored evaluations", _average,
                 FILTERS, answers={"application/json": OBJ}),
        Endpoint("GET", "/store/rank/{ref}", "store_rank",
                 "A rule set's stored evaluations ranked by total", _rank,
                 (*FILTERS, Param("all", {"type": "string", "enum": ["true", "false"]},
                                  "every evaluation, not only each municipality's newest")),
                 answers={"application/json": OBJ}),
    ]
