"""``kompass explain``: how each score is built, and what a change would move."""

from __future__ import annotations

import argparse

from kompass_core import (
    Level,
    Plan,
    Provenance,
    RuleSet,
    ScoreCard,
    default_registry,
    exact_text,
    explain_breakdown,
    parse_change,
    what_if,
)
from kompass_core.cli.cards import (
    ORDER,
    card_json,
    dump_json,
    heading,
    label,
    load_scored,
    out,
    shown_levels,
    signed,
    span_text,
)


def explain(args: argparse.Namespace) -> int:
    registry = default_registry()
    changes = [parse_change(text) for text in args.what_if]
    loaded, card = load_scored(registry, args.file)
    ruleset, evaluation = loaded.ruleset, loaded.evaluation
    plan = registry.plan(ruleset)
    after, deltas = what_if(registry, evaluation, card, changes) if changes else (None, [])
    if args.format == "json":
        doc = {"card": card_json(loaded.file, card), "breakdown": explain_breakdown(card, plan)}
        if after is not None:
            doc["what_if"] = {"changes": [str(c) for c in changes],
                              "card": card_json(loaded.file, after), "deltas": deltas}
        dump_json(doc)
        return 0
    lang = args.lang or ruleset.languages[0]
    shown = shown_levels(ruleset, [evaluation], None)
    text = "\n".join(heading(card, ruleset, lang)) + "\n\n" + _breakdown(card, plan, ruleset,
                                                                        shown, lang)
    if after is not None:
        text += "\n" + _what_if(card, after, ruleset, [c.key for c in changes], lang)
    out(text)
    return 0


def _parent_given(card: ScoreCard, plan: Plan, i: int) -> bool:
    p = plan.parents[i]
    return p >= 0 and card.provenance[p] is Provenance.GIVEN


def _breakdown(card: ScoreCard, plan: Plan, ruleset: RuleSet, shown: list[Level],
               lang: str) -> str:
    from kompass_core.cli.tables import table

    r = card.rounding
    rows = []
    for i, key in enumerate(card.keys):
        if card.levels[i] not in shown:
            continue
        indent = "  " * max(ORDER.index(card.levels[i]) - 1, 0)
        factor = plan.factors[i]
        if plan.parents[i] < 0:
            counts = ""
        elif _parent_given(card, plan, i):
            counts = "(parent given)"
        else:
            counts = span_text(factor * card.lows[i], factor * card.highs[i], r)
        rows.append(["" if key == "total" else key, indent + label(ruleset, key, lang),
                     span_text(card.lows[i], card.highs[i], r), exact_text(card.maxes[i]),
                     card.provenance[i].value, "" if plan.parents[i] < 0 else str(factor),
                     counts])
    body = table(["Key", "Criterion", "Points", "Max", "From", "Factor", "Counts"], rows,
                 right=(2, 3, 5, 6))
    return body + (
        "\nEach score is its own points where given, else the sum of its children's points "
        "times their factor\n(the weighting keeps every parent's max; 'sum' makes every "
        "factor 1). A child of a given\nscore does not count: the given score stands.\n")


def _what_if(before: ScoreCard, after: ScoreCard, ruleset: RuleSet, keys: list[str],
             lang: str) -> str:
    from kompass_core.cli.tables import table

    r = before.rounding
    wanted: list[str] = []
    for key in keys:
        parts = key.split(".")
        wanted += [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
    wanted.append("total")
    rows = []
    for key in dict.fromkeys(wanted):
        b, a = before[key], after[key]
        low, high = a.low - b.low, a.high - b.high
        delta = signed(low, r) if low == high else \
            f"low {signed(low, r)}, high {signed(high, r)}"
        note = "given: changes below it do not move it" if after.entry(key).provenance is \
            Provenance.GIVEN and key not in keys else ""
        rows.append(["" if key == "total" else key, label(ruleset, key, lang),
                     span_text(b.low, b.high, r), span_text(a.low, a.high, r), delta, note])
    return "What if " + ", ".join(keys) + " changed as asked:\n\n" + table(
        ["Key", "Criterion", "Before", "After", "Change", "Note"], rows, right=(2, 3, 4))

