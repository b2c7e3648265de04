"""``kompass migrate`` and ``kompass compare``: score cards across rule sets."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from kompass_core import (
    Difference,
    Migration,
    Points,
    Registry,
    Rounding,
    RuleSet,
    ScoreCard,
    Verdict,
    compare_cards,
    default_registry,
    exact_text,
    uncalibrated_between,
)
from kompass_core.cli.cards import (
    CSV_HEADERS,
    Loaded,
    area_rows,
    card_json,
    card_table,
    csv_rows,
    dump_json,
    good_results,
    load_scored,
    out,
    signed,
)


def describe_step(step: Migration) -> str:
    """One line per migration step: its name, calibration and assumptions."""
    describe = getattr(step, "describe", None)
    text = describe() if callable(describe) else ("calibrated" if step.calibrated
                                                  else "uncalibrated")
    assumed = sorted(getattr(step, "assumed", ()))
    shown = f" (assumed: {', '.join(assumed)})" if assumed else ""
    return f"{step.source} -> {step.target}: {text}{shown}"


def path_lines(registry: Registry, source: RuleSet, target: RuleSet) -> list[str]:
    steps = registry.migration_path(source.ref, target.ref)
    if not steps:
        return [f"Not migrated: already {target.ref}."]
    lines = [f"Migrated from {source.ref} in {len(steps)} step(s):"]
    lines += [f"  {describe_step(s)}" for s in steps]
    if any(not s.calibrated for s in steps):
        lines.append("  An uncalibrated step maps the structure only: no source says how "
                     "scores shift across it.")
    return lines


def ruleset_lines(registry: Registry, on: RuleSet, items: Sequence[tuple[str, RuleSet]]
                  ) -> list[str]:
    """``  1. text`` per item, each followed by the steps that carry its rule set to ``on``."""
    lines = []
    for i, (text, own) in enumerate(items, start=1):
        lines.append(f"  {i}. {text}")
        if own.ref != on.ref:
            lines += ["     " + line for line in path_lines(registry, own, on)[1:]]
    return lines


def migrate(args: argparse.Namespace) -> int:
    registry = default_registry()
    target = registry.ruleset(args.to)

    def run(source: str) -> tuple[Loaded, ScoreCard]:
        loaded, card = load_scored(registry, source)
        return loaded, registry.migrate(card, target.ref)

    good, failed = good_results(args.files, run)
    if args.format == "json":
        dump_json([card_json(loaded.file, card) for loaded, card in good])
    elif args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(CSV_HEADERS, [row for loaded, card in good
                                 for row in csv_rows(loaded.file, card, target, args.lang)]))
    else:
        out("\n".join(card_table(card, target, [], args.lang, "area",
                                 path_lines(registry, loaded.ruleset, target))
                      for loaded, card in good))
    return 2 if failed else 0


def common_ruleset(registry: Registry, loaded: list[Loaded], chosen: str | None) -> RuleSet:
    """``--on``, else the rule set most files use (ties: the first file's)."""
    if chosen:
        return registry.ruleset(chosen)
    counts = Counter(item.ruleset.ref for item in loaded)
    best = max(counts.values())
    return next(item.ruleset for item in loaded if counts[item.ruleset.ref] == best)


def _change_text(low: Points, high: Points, verdict: Verdict, rounding: Rounding) -> str:
    if verdict is Verdict.UNJUDGEABLE:
        return "cannot be judged"
    lo, hi = signed(low, rounding), signed(high, rounding)
    shown = lo if lo == hi else f"{lo}..{hi}"
    return f"{shown} (within the uncertainty)" if verdict is Verdict.WITHIN else shown


def compare(args: argparse.Namespace) -> int:
    registry = default_registry()
    good, failed = good_results(args.files, lambda source: load_scored(registry, source))
    if not good:
        return 2
    on = common_ruleset(registry, [loaded for loaded, _ in good], args.on)
    cards = [registry.migrate(card, on.ref) for _, card in good]
    names = [_name(card) for card in cards]
    keys = (*(a.key for a in on.areas), "total")
    pairs = list(pairwise(cards))
    diffs = [compare_cards(a, b, keys) for a, b in pairs]
    if args.format == "json":
        dump_json({"on": str(on.ref),
                   "evaluations": [card_json(loaded.file, c)
                                   for (loaded, _), c in zip(good, cards, strict=True)],
                   "changes": [{"from": good[i][0].file, "to": good[i + 1][0].file,
                                "uncalibrated": [str(s) for s in uncalibrated_between(a, b)],
                                "differences": [{"key": d.key, "low": str(d.low),
                                                 "high": str(d.high),
                                                 "verdict": d.verdict.value} for d in ds]}
                               for i, ((a, b), ds) in enumerate(zip(pairs, diffs,
                                                                    strict=True))]})
    elif args.format == "csv":
        from kompass_core.cli.tables import to_csv

        rows = [[good[i][0].file, good[i + 1][0].file, str(on.ref), d.key, exact_text(d.low),
                 exact_text(d.high), d.verdict.value]
                for i, ds in enumerate(diffs) for d in ds]
        out(to_csv(("from", "to", "ruleset", "key", "low", "high", "verdict"), rows))
    else:
        out(_compare_table(registry, on, good, cards, names, diffs, args.lang))
    return 2 if failed else 0


def _name(card: ScoreCard) -> str:
    year = f" {card.date.year}" if card.date else ""
    return f"{card.municipality.name}{year}"


def _compare_table(registry: Registry, on: RuleSet, good: list[tuple[Loaded, ScoreCard]],
                   cards: list[ScoreCard], names: list[str], diffs: list[list[Difference]],
                   lang: str | None) -> str:
    from kompass_core.cli.tables import printable, table

    lang = lang or on.languages[0]
    headers = ["Key", "Criterion", *names, "Max"]
    headers += [f"Change {i + 1}->{i + 2}" for i in range(len(diffs))]
    rows = area_rows(on, cards, lang)
    for key, row in zip([*(a.key for a in on.areas), "total"], rows, strict=True):
        for ds in diffs:
            d = next(x for x in ds if x.key == key)
            row.append(_change_text(d.low, d.high, d.verdict, on.rounding))
    lines = [f"Compared on {on.ref} {on.title.get(lang)[0]}", *ruleset_lines(
        registry, on, [(f"{name}: {loaded.file} ({loaded.ruleset.ref})", loaded.ruleset)
                       for name, (loaded, _) in zip(names, good, strict=True)])]
    body = table(headers, rows, right=tuple(range(2, len(headers))))
    notes = []
    for i in range(len(diffs)):
        blind = uncalibrated_between(cards[i], cards[i + 1])
        if blind:
            notes.append(f"Change {i + 1}->{i + 2} cannot be judged: only one of the two "
                         f"crossed the uncalibrated step(s) {', '.join(map(str, blind))}, and no "
                         "source says how scores shift across them.")
    if any(d.verdict is not Verdict.UNJUDGEABLE for ds in diffs for d in ds):
        notes.append("A change shown as low..high is the range it can have given the "
                     "uncertainty of both scores; 'within the uncertainty' means it may be 0.")
    return ("\n".join(map(printable, lines)) + "\n\n" + body
            + ("\n" + "\n".join(notes) + "\n" if notes else ""))
