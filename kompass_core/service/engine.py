"""The engine's endpoints: rule sets, schemas, validate, score, explain, migrate, compare, report.

Each answers what the matching command prints with ``--format json`` (a
score card is its documented ``kompass.scorecard/1`` JSON, without the
``file`` the command line adds), through kompass_core's exports only.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import attrs

from kompass_core import (
    Document,
    Evaluation,
    InputError,
    Problem,
    RuleSet,
    ScoreCard,
    WeightingSpec,
    compare_cards,
    evaluation_from_dict,
    evaluation_schema,
    explain_breakdown,
    parse_change,
    parse_evaluation,
    ruleset_schema,
    to_json,
    uncalibrated_between,
    unstructure,
    what_if,
)
from kompass_core.service.endpoints import BODY, Call, Endpoint, Param, Reply, json_reply

T = TypeVar("T")
REF = {"type": "string", "pattern": r"^[a-z][a-z0-9-]*@[0-9][0-9.]*$"}
LANG = Param("lang", {"type": "string"}, "language of labels (default: the rule set's)")
YEAR = {"type": "integer", "minimum": 0, "maximum": 9999}
CARD = {"type": "object", "required": ["format", "ruleset", "keys"]}


def in_body(run: Callable[[], T], name: str = BODY) -> T:
    """Run ``run``; its input errors are placed in the request's body, as in a file."""
    try:
        return run()
    except InputError as err:
        raise InputError([p.located(name) for p in err.problems]) from None


def _with_ruleset(call: Call, evaluation: Evaluation, name: str = BODY) -> RuleSet:
    """The rule set ``evaluation`` names; an unknown one is a problem at key ``ruleset``."""
    try:
        return call.settings.registry.ruleset(evaluation.ruleset)
    except InputError as err:
        raise InputError([Problem(p.message, name, keys=("ruleset",)) for p in err.problems]
                         ) from None


def body_document(call: Call) -> tuple[Document, Evaluation]:
    """The body's evaluation, read as the command line reads a file's text, with the
    document that places later problems (a score's) on its lines, named ``request body``."""
    text = call.text()
    evaluation = parse_evaluation(text, BODY)
    return Document(BODY, "evaluation", text, None), evaluation


def scored(call: Call, weighting: str | WeightingSpec | None = None
           ) -> tuple[Evaluation, RuleSet, ScoreCard]:
    """The body's evaluation, its rule set and its card, errors placed on the body's lines
    as the command line places them on a file's."""
    document, evaluation = body_document(call)
    try:
        ruleset = call.settings.registry.ruleset(evaluation.ruleset)
    except InputError as err:
        raise InputError(document.locate([attrs.evolve(p, keys=("ruleset",))
                                          for p in err.problems])) from None
    card = document.located(lambda: call.settings.registry.score(evaluation, ruleset,
                                                                  weighting=weighting),
                            prefer="points")
    return evaluation, ruleset, card


def _score_in(call: Call, evaluation: Evaluation, ruleset: RuleSet, name: str) -> ScoreCard:
    return in_body(lambda: call.settings.registry.score(evaluation, ruleset), name)


def _rulesets(call: Call) -> Reply:
    registry = call.settings.registry
    return json_reply([{"ref": str(r.ref), "organisation": r.organisation,
                        "country": r.country, "title": dict(r.title.texts),
                        "areas": len(r.areas), "max": str(r.max),
                        "weighting": str(r.weighting), "plugin": registry.provider(r.ref)}
                       for r in registry.rulesets()])


def _ruleset(call: Call) -> Reply:
    registry = call.settings.registry
    ruleset = registry.ruleset(call.path["ref"])
    return json_reply(dict(unstructure(ruleset), plugin=registry.provider(ruleset.ref)))


def _evaluation_schema(call: Call) -> Reply:
    ref = call.one("ruleset")
    ruleset = call.settings.registry.ruleset(ref) if ref else None
    return json_reply(evaluation_schema(ruleset, call.one("lang")))


def _validate(call: Call) -> Reply:
    evaluation, _, card = scored(call)
    consensus = evaluation.consensus
    if consensus is not None and (problems := consensus.problems()):
        raise InputError(body_document(call)[0].locate(problems))  # a team's open decisions
    return json_reply({"ok": True, "ruleset": str(card.ruleset), "complete": card.complete,
                       "total": card.total.show(card.rounding), "max": str(card.total.max)})


def _score(call: Call) -> Reply:
    wanted = call.one("profile")
    if wanted is None:
        return Reply(to_json(scored(call, call.one("weighting"))[2]))
    profile = call.settings.profiles.get(wanted)
    if profile is None:
        known = ", ".join(sorted(call.settings.profiles)) or "none: start the server with " \
            "--profile FILE"
        raise InputError(Problem(f"unknown profile {wanted!r} (known: {known})",
                                 keys=("profile",)))
    evaluation = parse_evaluation(call.text(), BODY)
    if profile.ruleset != evaluation.ruleset:
        raise InputError(f"profile {profile.name!r} tailors {profile.ruleset}, not "
                         f"{evaluation.ruleset}")
    return Reply(to_json(scored(call, profile.weighting)[2]))


def _explain(call: Call) -> Reply:
    changes = [parse_change(text) for text in call.query.get("what_if", [])]
    evaluation, ruleset, card = scored(call)
    registry = call.settings.registry
    doc: dict[str, Any] = {"card": unstructure(card),
                           "breakdown": explain_breakdown(card, registry.plan(ruleset))}
    if changes:
        after, deltas = what_if(registry, evaluation, card, changes)
        doc["what_if"] = {"changes": [str(c) for c in changes], "card": unstructure(after),
                          "deltas": deltas}
    return json_reply(doc)


def _migrate(call: Call) -> Reply:
    target = call.settings.registry.ruleset(call.one("to") or "")
    card = scored(call)[2]
    return Reply(to_json(call.settings.registry.migrate(card, target.ref)))


def _compare(call: Call) -> Reply:
    registry = call.settings.registry
    items = call.json()
    if not isinstance(items, list) or not items:
        raise InputError(Problem("must be a list of one or more evaluations", BODY))
    cards = []
    for i, item in enumerate(items):
        name = f"{BODY} item {i}"
        if not isinstance(item, dict):
            raise InputError(Problem("is not an evaluation (a JSON object)", name))
        evaluation = evaluation_from_dict(item, name)
        ruleset = _with_ruleset(call, evaluation, name)
        cards.append(_score_in(call, evaluation, ruleset, name))
    wanted = call.one("on")
    if wanted:
        on = registry.ruleset(wanted)
    else:
        refs = [str(c.ruleset) for c in cards]
        on = registry.ruleset(max(refs, key=lambda r: (refs.count(r), -refs.index(r))))
    cards = [registry.migrate(card, on.ref) for card in cards]
    keys = (*(a.key for a in on.areas), "total")
    return json_reply({
        "on": str(on.ref), "evaluations": [unstructure(c) for c in cards],
        "changes": [{"from": i, "to": i + 1,
                     "uncalibrated": [str(s) for s in uncalibrated_between(a, b)],
                     "differences": [{"key": d.key, "low": str(d.low), "high": str(d.high),
                                      "verdict": d.verdict.value}
                                     for d in compare_cards(a, b, keys)]}
                    for i, (a, b) in enumerate(pairwise(cards))]})


def _window(call: Call) -> tuple[int, int] | None:
    """``reference_from`` and ``reference_to``, as ``--reference-years`` gives them."""
    given = [call.year(name) for name in ("reference_from", "reference_to")]
    first, last = given[0] or given[1], given[1] or given[0]
    if first is None or last is None:
        return None
    if last < first:
        raise InputError(Problem(f"{last} is before reference_from {first}",
                                 keys=("reference_to",)))
    return first, last


def _report(call: Call) -> Reply:
    """The report, its reference chosen as ``kompass report`` chooses it (store or bundled)."""
    from kompass_core import (
        Origin,
        build_report,
        bundled_rows,
        default_store_path,
        render_html,
        render_markdown,
        render_pdf,
        report_standing,
        select_reference,
        stored_reference,
    )

    registry = call.settings.registry
    evaluation, ruleset, card = scored(call)
    window, names, wanted = _window(call), call.query.get("reference_names"), call.one("group")
    target = call.settings.db or str(default_store_path())
    who, year = evaluation.municipality, evaluation.date.year if evaluation.date else None
    own: set[str] = set()
    peers = None
    store = target if "://" in target else Path(target)  # a database server's, or a file's
    if isinstance(store, str) or store.exists():
        rows, origin, own, peers = stored_reference(registry, store, ruleset, who, wanted)
    elif wanted is not None:
        raise InputError(Problem("no results store to look the group up in", keys=("group",)))
    else:
        rows, origin = bundled_rows(), Origin()
    reference = select_reference(ruleset, rows, who, year, origin, years=window,
                                 names=names or None, own=own, peers=peers)
    standing = None
    if call.one("robust") == "true":
        standing = report_standing(registry, ruleset, card, store, wanted,
                                   call.number("samples", 10_000, 100_000),
                                   call.number("seed", 0, 2**32 - 1))
    view = build_report(card, ruleset, evaluation, call.one("lang"), reference,
                        registry=registry, standing=standing)
    fmt = call.one("format") or "html"
    if fmt == "pdf":
        return Reply(render_pdf(view), "application/pdf")
    if fmt == "md":
        return Reply(render_markdown(view), "text/markdown; charset=utf-8")
    return Reply(render_html(view), "text/html; charset=utf-8")


def endpoints() -> list[Endpoint]:
    """The engine's operations (the schemas of bodies come from kompass's own)."""
    evaluation = evaluation_schema()
    obj: dict[str, Any] = {"type": "object"}
    return [
        Endpoint("GET", "/rulesets", "rulesets", "List the registered rule sets", _rulesets,
                 answers={"application/json": {"type": "array", "items": obj}}),
        Endpoint("GET", "/rulesets/{ref}", "ruleset", "One rule set, whole", _ruleset,
                 answers={"application/json": obj}),
        Endpoint("GET", "/schemas/ruleset", "ruleset_schema", "JSON Schema of rule-set files",
                 lambda call: json_reply(ruleset_schema()), answers={"application/json": obj}),
        Endpoint("GET", "/schemas/evaluation", "evaluation_schema",
                 "JSON Schema of evaluation files, of one rule set if asked",
                 _evaluation_schema, (Param("ruleset", REF, "the rule set, e.g. kk-se@2.0"),
                                      LANG), answers={"application/json": obj}),
        Endpoint("POST", "/validate", "validate", "Check an evaluation (kompass validate)",
                 _validate, body=evaluation, answers={"application/json": obj}),
        Endpoint("POST", "/score", "score", "Score an evaluation into a score card",
                 _score, (Param("weighting", {"type": "string"},
                                "a registered weighting model (default: the declared one)"),
                          Param("profile", {"type": "string"},
                                "a profile the server was started with (--profile FILE), "
                                "by name")),
                 body=evaluation, answers={"application/json": CARD}),
        Endpoint("POST", "/explain", "explain", "How each score is built, and what-if changes",
                 _explain, (Param("what_if", {"type": "array", "items": {"type": "string"}},
                                  "a change of points: KEY=+N, KEY=-N or KEY=N", repeat=True),),
                 body=evaluation, answers={"application/json": obj}),
        Endpoint("POST", "/migrate", "migrate", "Score, then carry the card to another rule set",
                 _migrate, (Param("to", REF, "the target rule set", required=True),),
                 body=evaluation, answers={"application/json": CARD}),
        Endpoint("POST", "/compare", "compare", "Line up evaluations on one rule set",
                 _compare, (Param("on", REF, "the common rule set (default: the most used)"),),
                 body={"type": "array", "items": evaluation, "minItems": 1},
                 answers={"application/json": obj}),
        Endpoint("POST", "/report", "report", "The evaluation report: HTML, Markdown or PDF",
                 _report, (Param("format", {"type": "string", "enum": ["html", "md", "pdf"]},
                                 "html (default), md, or pdf (needs the pdf extra)"), LANG,
                           Param("reference_from", YEAR, "the reference cohort's first year "
                                 "(default: none; with reference_to, a window)"),
                           Param("reference_to", YEAR, "the reference cohort's last year "
                                 "(default: the evaluation's year)"),
                           Param("reference_names", {"type": "array", "items": {
                               "type": "string"}}, "take the reference from these "
                                 "municipalities only", repeat=True),
                           Param("group", {"type": "string"}, "take the reference (and the "
                                 "robust rank) from this stored peer group only: "
                                 "[SCHEME[@VERSION]:]NAME"),
                           Param("robust", {"type": "string", "enum": ["true", "false"]},
                                 "true: the rank among the stored evaluations with its spread "
                                 "under plausible weights (the analysis extra)"),
                           Param("samples", {"type": "integer", "minimum": 1,
                                             "maximum": 100_000},
                                 "with robust: weight samples (default 10000)"),
                           Param("seed", {"type": "integer", "minimum": 0,
                                          "maximum": 2**32 - 1},
                                 "with robust: the samples' seed (default 0)")),
                 body=evaluation, answers={"text/html": {"type": "string"},
                                           "text/markdown": {"type": "string"},
                                           "application/pdf": {"type": "string"}}),
    ]
