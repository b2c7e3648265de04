"""``kompass db history|average|rank``: questions asked of the results store.

Each counts a result stored more than once (say, published and also
imported from its file) once, says which it left out, and prints a table,
JSON or CSV with exact values as text.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from kompass_core import (
    TOTAL,
    Difference,
    InputError,
    PartialDate,
    Points,
    Problem,
    Registry,
    Rounding,
    RuleSet,
    RuleSetRef,
    ScoreCard,
    Store,
    Stored,
    Verdict,
    compare_cards,
    default_registry,
    exact_text,
    store_average,
    store_distinct,
    store_latest,
    store_rank,
)
from kompass_core.cli.cards import area_rows, dump_json, label, out, span_text
from kompass_core.cli.store_open import open_store

AVERAGE = Rounding(places=1)
"""Averages are shown to one decimal (JSON and CSV give them exactly)."""


def db_history(args: argparse.Namespace) -> int:
    registry = default_registry()
    with open_store(args.db, registry) as store:
        found = store.find(args.municipality)
        where = store.path
    if not found:
        raise InputError(Problem(f"no stored evaluation of {args.municipality!r} (by name or "
                                 "code)", file=str(where)))
    kept, dropped = store_distinct(found)
    kept.sort(key=lambda s: (s.year if s.year is not None else -1,
                             s.date or PartialDate(1), s.seq))
    on = registry.ruleset(args.on) if args.on else registry.ruleset(kept[-1].ruleset)
    rulesets = {s.ruleset: registry.ruleset(s.ruleset) for s in kept}
    own = [s.card(rulesets[s.ruleset]) for s in kept]
    carried = [_carried(registry, c, on.ref) for c in own]
    changes: list[Difference | None] = [None]
    for before, after in itertools.pairwise(own):
        earlier = _carried(registry, before, after.ruleset)
        changes.append(None if earlier is None else compare_cards(earlier, after, (TOTAL,))[0])
    if args.format == "json":
        dump_json({"municipality": args.municipality, "on": str(on.ref), "evaluations": [
            dict(_meta(s), card=_card(c), comparable=m is not None,
                 on_card=None if m is None else _card(m), change=_change_json(d, i))
            for i, (s, c, m, d) in enumerate(zip(kept, own, carried, changes, strict=True))],
            "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.cards import CSV_HEADERS, csv_rows
        from kompass_core.cli.tables import to_csv

        rows = [[s.id, s.origin, s.kind, "" if s.year is None else str(s.year), *row[1:]]
                for s, c, m in zip(kept, own, carried, strict=True)
                for card, ruleset in [(c, rulesets[s.ruleset])]
                + ([(m, on)] if m is not None and m.ruleset != c.ruleset else [])
                for row in csv_rows(s.id, card, ruleset, args.lang)
                if row[8] in ("total", "area")]
        out(to_csv(("id", "origin", "kind", "year", *CSV_HEADERS[1:]), rows))
        return 0
    from kompass_core.cli.migrating import ruleset_lines
    from kompass_core.cli.tables import printable, table

    lang = args.lang or on.languages[0]
    heads = [s.date.isoformat() if s.date else str(s.year) if s.year is not None else "?"
             for s in kept]  # at the precision the source gives
    if len(set(heads)) < len(heads):
        heads = [f"{i}. {h}" for i, h in enumerate(heads, start=1)]
    codes = sorted({s.municipality.code for s in kept if s.municipality.code})
    who = kept[-1].municipality.name + (f" ({', '.join(codes)})" if codes else "")
    lines = [f"History of {who}, each result on its own rule set, and on {on.ref} "
             f"{on.title.get(lang)[0]} where a calibrated path leads there", *ruleset_lines(
                 registry, on, [(f"{s.name}: {s.short} ({s.ruleset}, total "
                                 f"{_shown(s, rulesets[s.ruleset])}, from {s.origin})",
                                 rulesets[s.ruleset]) for s in kept])]
    summary = table(["Date", "Rule set", "Total", f"On {on.ref}", "Change", "ID"],
                    [[h, str(s.ruleset) + " (inferred)" * (s.basis == "inferred"),
                      _shown(s, rulesets[s.ruleset]),
                      "not comparable" if m is None else _total_text(m, on),
                      "" if i == 0 else _change_text(d, rulesets[s.ruleset]), s.short]
                     for i, (h, s, m, d) in enumerate(zip(heads, kept, carried, changes,
                                                          strict=True))],
                    right=(2, 3))
    bodies = []
    for ref, ruleset in rulesets.items():
        picked = [i for i, s in enumerate(kept) if s.ruleset == ref]
        bodies.append(printable(f"On {ref} {ruleset.title.get(lang)[0]}:") + "\n" + table(
            ["Key", "Criterion", *(heads[i] for i in picked), "Max"],
            area_rows(ruleset, [own[i] for i in picked], lang),
            right=tuple(range(2, len(picked) + 3))))
    notes = []
    if any(m is None for m in carried):
        notes.append(f"not comparable: only uncalibrated steps (or none) lead to {on.ref}; no "
                     "source says how scores shift across them, so no interval is shown.")
    if any(d is None for d in changes[1:]):
        notes.append("cannot be judged: the two results are on rule sets with no calibrated "
                     "path between them.")
    if any(s.basis == "inferred" for s in kept):
        notes.append("(inferred): the published source does not state the rule set; it is "
                     "inferred, e.g. from the year.")
    notes += _once_notes(dropped)
    out("\n".join(map(printable, lines)) + "\n\n" + summary + "\n" + "\n".join(bodies)
        + "".join("\n" + n for n in notes) + ("\n" if notes else ""))
    return 0


def _carried(registry: Registry, card: ScoreCard, target: RuleSetRef) -> ScoreCard | None:
    """``card`` on ``target``, or None where no calibrated path leads there."""
    if card.ruleset == target:
        return card
    try:
        moved = registry.migrate(card, target)
    except InputError:  # no path at all
        return None
    return None if len(moved.uncalibrated) > len(card.uncalibrated) else moved


def _total_text(card: ScoreCard, ruleset: RuleSet) -> str:
    score = card[TOTAL]
    return span_text(score.low, score.high, ruleset.rounding)


def _signed(value: Points, rounding: Rounding) -> str:
    text = rounding.show(value)
    return text if text.startswith("-") or value == 0 else "+" + text


def _change_text(change: Difference | None, ruleset: RuleSet) -> str:
    """``+48 (up)``, ``-5 to +12 (within the uncertainty)`` or ``cannot be judged``."""
    if change is None or change.verdict is Verdict.UNJUDGEABLE:
        return "cannot be judged"
    r = ruleset.rounding
    low, high = _signed(change.low, r), _signed(change.high, r)
    span = low if low == high and change.low == change.high else f"{low} to {high}"
    return f"{span} ({change.verdict.value})"


def _change_json(change: Difference | None, index: int) -> dict[str, Any] | None:
    if index == 0:
        return None
    if change is None or change.verdict is Verdict.UNJUDGEABLE:
        return {"verdict": Verdict.UNJUDGEABLE.value, "low": None, "high": None}
    return {"verdict": change.verdict.value, "low": str(change.low), "high": str(change.high)}


def _shown(s: Stored, ruleset: RuleSet) -> str:
    score = s.score(TOTAL)
    return "?" if score is None else span_text(score.low, score.high, ruleset.rounding)


def _meta(s: Stored) -> dict[str, Any]:
    return {"id": s.id, "origin": s.origin, "kind": s.kind, "year": s.year,
            "ruleset": str(s.ruleset), "ruleset_basis": s.basis, "source_url": s.source_url,
            "date": s.date.isoformat() if s.date else None}


def _card(card: ScoreCard) -> Any:
    from kompass_core import unstructure

    return unstructure(card)


def _once_notes(dropped: Sequence[Stored]) -> list[str]:
    """Which results were stored more than once and counted once (names escaped)."""
    from kompass_core.cli.tables import printable

    if not dropped:
        return []
    shown = printable(", ".join(f"{s.short} ({s.name}, from {s.origin})" for s in dropped))
    return [f"Counted once: {shown} left out, as the same result is stored again, more "
            f"completely or more recently (`kompass db list` shows both)."]


def _selection(store: Store, registry: Registry, args: argparse.Namespace
               ) -> tuple[RuleSet, list[Stored], list[Stored], str]:
    """The rule set, the chosen entries each result once, those counted once, and the
    group's description (``--group``; empty without)."""
    from kompass_core.cli.groups import restrict

    if args.year is not None and not 0 <= args.year <= 9999:  # SQLite's integers end at 2**63
        raise InputError(Problem(f"{str(args.year)[:40]} is not a year (0 to 9999)",
                                 keys=("--year",)))
    ruleset = registry.ruleset(args.ref)
    found = store.entries(ruleset.ref, ("evaluation",), args.year, args.country)
    found, group = restrict(store, args.group, found)
    kept, dropped = store_distinct(found)
    return ruleset, kept, dropped, group


def _ranked(store: Store, registry: Registry, args: argparse.Namespace
            ) -> tuple[RuleSet, list[Stored], list[Stored], list[Stored], str]:
    """What ``db rank`` ranks: :func:`_selection`, each municipality by its newest unless
    ``--all``; also the earlier ones left out."""
    ruleset, kept, dropped, group = _selection(store, registry, args)
    earlier: list[Stored] = []
    if not args.all:
        kept, earlier = store_latest(kept)
    return ruleset, kept, earlier, dropped, group


def _filters(count: int, args: argparse.Namespace, group: str = "") -> str:
    """``5 stored evaluation(s), year 2014, country SE``: what a query rests on."""
    parts = [f"{count} stored evaluation(s)"]
    if args.year is not None:
        parts.append(f"year {args.year}")
    if args.country:
        parts.append(f"country {args.country.upper()}")
    return ", ".join(parts) + group


def db_average(args: argparse.Namespace) -> int:
    from kompass_core import unstructure

    registry = default_registry()
    with open_store(args.db, registry) as store:
        ruleset, kept, dropped, group = _selection(store, registry, args)
    keys = [TOTAL, *(a.key for a in ruleset.areas)]
    columns = store_average(kept, keys, [ruleset.max, *(a.max for a in ruleset.areas)])
    lang = args.lang or ruleset.languages[0]

    def text(value: Points | None) -> str:
        """Exact text, written past the 4300 digits to which ``str`` guards an int."""
        return "" if value is None else str(unstructure(value))

    if args.format == "json":
        dump_json({"ruleset": str(ruleset.ref), "kind": "evaluation", "year": args.year,
                   "country": args.country.upper() if args.country else None,
                   "group": args.group,
                   "columns": [{"key": c.key, "average": text(c.average) or None,
                                "count": c.count,
                                "max": str(c.max)} for c in columns],
                   "evaluations": [s.id for s in kept],
                   "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(("key", "label", "average", "count", "max"),
                   [[c.key, label(ruleset, c.key, lang),
                     "" if c.average is None else exact_text(c.average), str(c.count),
                     exact_text(c.max)] for c in columns]))
        return 0
    from kompass_core.cli.tables import table

    rows = [[c.key, label(ruleset, c.key, lang),
             "-" if c.average is None else AVERAGE.show(c.average), str(c.count), exact_text(c.max)]
            for c in columns[1:]]
    t = columns[0]
    rows.append(["", "Total", "-" if t.average is None else AVERAGE.show(t.average),
                 str(t.count), exact_text(t.max)])
    head = (f"Average of {ruleset.ref} {ruleset.title.get(lang)[0]}: "
            f"{_filters(len(kept), args, group)}")
    notes = ["Each column averages the evaluations that score it exactly; Count says how "
             "many.", *_once_notes(dropped)]
    out(head + "\n\n" + table(["Key", "Criterion", "Average", "Count", "Max"], rows,
                              right=(2, 3, 4)) + "\n" + "\n".join(notes) + "\n")
    return 0


def db_rank(args: argparse.Namespace) -> int:
    if args.robust:
        from kompass_core.cli.ranking import db_rank_robust

        return db_rank_robust(args)
    registry = default_registry()
    with open_store(args.db, registry) as store:
        ruleset, kept, earlier, dropped, group = _ranked(store, registry, args)
    ranked = store_rank(kept)
    data = []
    for place, s in ranked:
        total = s.score(TOTAL)
        m = s.municipality
        data.append({"rank": place, "id": s.id, "municipality": m.name, "code": m.code,
                     "country": m.country, "year": s.year,
                     "low": str(total.low) if total else None,
                     "high": str(total.high) if total else None,
                     "max": str(total.max) if total else None})
    if args.format == "json":
        dump_json({"ruleset": str(ruleset.ref), "year": args.year,
                   "country": args.country.upper() if args.country else None,
                   "group": args.group, "all": args.all, "ranking": data,
                   "earlier": [s.id for s in earlier],
                   "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        keys = ("rank", "id", "municipality", "code", "country", "year", "low", "high", "max")
        numbers = ("low", "high", "max")  # decimals where finite (docs/formats.md, Numbers)
        out(to_csv(keys, [["" if d[k] is None else exact_text(Fraction(str(d[k])))
                           if k in numbers else str(d[k]) for k in keys] for d in data]))
        return 0
    from kompass_core.cli.tables import table

    rows = [["-" if place is None else str(place), s.municipality.name,
             s.municipality.code or "", s.municipality.country or "",
             "" if s.year is None else str(s.year), _shown(s, ruleset), s.short]
            for place, s in ranked]
    head = f"Ranking on {ruleset.ref} by total: {_filters(len(kept), args, group)}"
    if not args.all:
        head += ", each municipality's newest"
    notes = []
    if any(place is None for place, _ in ranked):
        notes.append("-: not fully scored, so the total is a range and is not ranked.")
    if earlier:
        notes.append(f"Earlier evaluations left out: {len(earlier)} (`--all` ranks every "
                     "evaluation).")
    notes += _once_notes(dropped)
    out(head + "\n\n" + table(["Rank", "Municipality", "Code", "Country", "Year", "Total",
                               "ID"], rows, right=(0, 4, 5))
        + "".join(n + "\n" for n in (["", *notes] if notes else [])))
    return 0
