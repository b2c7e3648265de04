"""The ``kompass`` sub-commands, one function each (``args`` from argparse)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

import attrs

from kompass_core.errors import InputError, KompassError
from kompass_core.evaluation import Evaluation
from kompass_core.evaluation_format import parse_evaluation
from kompass_core.reading import locate, read_text
from kompass_core.registry import Registry, default_registry
from kompass_core.ruleset import Level, RuleSet
from kompass_core.scoring import Provenance, ScoreCard

_DEPTHS = {"area": Level.AREA, "subarea": Level.SUBAREA, "question": Level.QUESTION}
_ORDER = [Level.TOTAL, Level.AREA, Level.SUBAREA, Level.QUESTION]


@attrs.frozen
class Scored:
    """One evaluation file, read and scored."""

    file: str
    evaluation: Evaluation
    ruleset: RuleSet
    card: ScoreCard


def _score_file(registry: Registry, source: str, weighting: str | None) -> Scored:
    text, name = read_text(source)
    evaluation = parse_evaluation(text, name)
    try:
        try:
            ruleset = registry.ruleset(evaluation.ruleset)
        except InputError as err:
            raise InputError([attrs.evolve(p, keys=("ruleset",)) for p in err.problems]
                             ) from None
        card = registry.score(evaluation, weighting)
    except InputError as err:
        raise InputError(locate(err.problems, text, name, prefer="points")) from None
    return Scored(name, evaluation, ruleset, card)


def _score_files(files: list[str], weighting: str | None = None) -> Iterator[Scored | None]:
    """Each file scored, or None after printing its errors (the others still run)."""
    registry = default_registry()
    for source in files:
        try:
            yield _score_file(registry, source, weighting)
        except InputError as err:
            for problem in err.problems:
                print(f"kompass: error: {problem.located(source)}", file=sys.stderr)
            yield None


def _out(text: str) -> None:
    sys.stdout.write(text)


def _label(ruleset: RuleSet, key: str, lang: str) -> str:
    text, used = ruleset.criterion(key).labels.get(lang)
    return text if used == lang else f"{text} [{used}]"


# --- validate ---------------------------------------------------------------

def validate(args: argparse.Namespace) -> int:
    bad = incomplete = False
    for scored in _score_files(args.files):
        if scored is None:
            bad = True
            continue
        card = scored.card
        state = "complete" if card.complete else "partial"
        unscored = sum(1 for p in card.provenance if p is Provenance.UNSCORED)
        _out(f"{scored.file}: ok ({card.ruleset}, {state}, total "
             f"{card.total.show(card.rounding)} of {card.total.max})\n")
        if args.complete and not card.complete:
            incomplete = True
            print(f"kompass: check failed: {scored.file}: not fully scored "
                  f"({unscored} criteria unscored, total open by {card.total.width} points)",
                  file=sys.stderr)
    return 2 if bad else 1 if incomplete else 0


# --- score ------------------------------------------------------------------

def score(args: argparse.Namespace) -> int:
    results = list(_score_files(args.files, args.weighting))
    good = [r for r in results if r is not None]
    if args.format == "json":
        from kompass_core.serialize import unstructure

        docs = [dict(unstructure(r.card), file=r.file) for r in good]
        _out(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        from kompass_core.cli.tables import to_csv

        _out(to_csv(CSV_HEADERS, [row for r in good for row in _csv_rows(r, args.lang)]))
    else:
        _out("\n".join(_score_table(r, args.lang, args.depth) for r in good))
    return 0 if len(good) == len(results) else 2


CSV_HEADERS = ("file", "municipality", "code", "country", "date", "ruleset", "weighting",
               "key", "level", "label", "low", "high", "max", "provenance")


def _csv_rows(scored: Scored, lang: str | None) -> Iterator[list[str]]:
    card, ruleset = scored.card, scored.ruleset
    lang = lang or ruleset.languages[0]
    m = card.municipality
    for entry in card.entries():
        label = ruleset.title.get(lang)[0] if entry.level is Level.TOTAL \
            else _label(ruleset, entry.key, lang)
        yield [scored.file, m.name, m.code or "", m.country or "",
               card.date.isoformat() if card.date else "", str(card.ruleset),
               str(card.weighting), entry.key, entry.level.value, label,
               str(entry.score.low), str(entry.score.high), str(entry.score.max),
               entry.provenance.value]


def _score_table(scored: Scored, lang: str | None, depth: str | None) -> str:
    from kompass_core.cli.tables import table

    card, ruleset, ev = scored.card, scored.ruleset, scored.evaluation
    lang = lang or ruleset.languages[0]
    if depth is None:
        deepest = max((_ORDER.index(ruleset.criterion(k).level) for k in ev.points), default=1)
        shown = _ORDER[: max(deepest, 1) + 1]
    else:
        shown = _ORDER[: _ORDER.index(_DEPTHS[depth]) + 1]
    m = card.municipality
    who = ", ".join(x for x in (m.code, m.country) if x)
    head = [f"{m.name}{f' ({who})' if who else ''}"
            f"{f', {card.date.isoformat()}' if card.date else ''}",
            f"{card.ruleset} {ruleset.title.get(lang)[0]}, weighting: {card.weighting}", ""]
    rows = []
    for entry in card.entries():
        if entry.level not in shown or entry.level is Level.TOTAL:
            continue
        indent = "  " * (_ORDER.index(entry.level) - 1)
        status = "" if entry.provenance in (Provenance.GIVEN, Provenance.COMPUTED) \
            else entry.provenance.value
        rows.append([entry.key, indent + _label(ruleset, entry.key, lang),
                     entry.score.show(card.rounding), str(entry.score.max), status])
    total = card.total
    rows.append(["", "Total", total.show(card.rounding), str(total.max),
                 "" if card.complete else "partial"])
    body = table(["Key", "Criterion", "Points", "Max", "Status"], rows, right=(2, 3))
    notes = []
    if not card.complete:
        r = card.rounding
        notes.append(f"Not fully scored: the total lies between {r.show(total.low)} and "
                     f"{r.show(total.high)} (unscored items count from 0 to their max).")
    assumed = [c for c in ruleset.criteria() if c.level in shown and c.assumed]
    if assumed:
        notes.append(f"Assumptions: {len(assumed)} of the criteria shown have a max or label "
                     f"that no source publishes (see `kompass rulesets show {ruleset.ref}`).")
    return "\n".join(head) + "\n" + body + ("\n" + "\n".join(notes) + "\n" if notes else "")


# --- rulesets ---------------------------------------------------------------

def rulesets(args: argparse.Namespace) -> int:
    registry = default_registry()
    if args.action == "show" or args.ref:
        if not args.ref:
            raise InputError("rulesets show needs a rule set, e.g. kompass rulesets show kk-se@2.0")
        ruleset = registry.ruleset(args.ref)
        if args.format == "json":
            from kompass_core.serialize import unstructure

            doc = dict(unstructure(ruleset), plugin=registry.provider(ruleset.ref))
            _out(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            _out(_ruleset_text(ruleset, registry.provider(ruleset.ref), args.lang))
        return 0
    items = registry.rulesets()
    if args.format == "json":
        _out(json.dumps([_ruleset_summary(r, registry) for r in items],
                        ensure_ascii=False, indent=2) + "\n")
        return 0
    from kompass_core.cli.tables import table

    rows = [[str(r.ref), r.organisation, r.country, str(len(r.areas)), str(r.max),
             r.title.get(args.lang or r.languages[0])[0], registry.provider(r.ref)]
            for r in items]
    _out(table(["Rule set", "Organisation", "Country", "Areas", "Max", "Title", "Plugin"],
               rows, right=(3, 4)))
    return 0


def _ruleset_summary(ruleset: RuleSet, registry: Registry) -> dict[str, Any]:
    return {"ref": str(ruleset.ref), "organisation": ruleset.organisation,
            "country": ruleset.country, "title": dict(ruleset.title.texts),
            "areas": len(ruleset.areas), "max": str(ruleset.max),
            "weighting": str(ruleset.weighting), "plugin": registry.provider(ruleset.ref)}


def _ruleset_text(ruleset: RuleSet, plugin: str, lang: str | None) -> str:
    lang = lang or ruleset.languages[0]
    title, _ = ruleset.title.get(lang)
    lines = [f"{ruleset.ref}: {title}",
             f"Organisation: {ruleset.organisation} ({ruleset.country}); plugin: {plugin}",
             f"Languages: {', '.join(ruleset.languages)}"
             + (f" (own translation: {', '.join(sorted(ruleset.title.translated))})"
                if ruleset.title.translated else ""),
             f"Weighting: {ruleset.weighting}; rounding: {ruleset.rounding.places} decimals, "
             f"{ruleset.rounding.mode}"
             + (" (assumed)" if "rounding" in ruleset.assumed else ""),
             f"Total max: {ruleset.max}", ""]
    for c in ruleset.criteria():
        indent = "  " * (_ORDER.index(c.level) - 1)
        marks = f"  [assumed: {', '.join(sorted(c.assumed))}]" if c.assumed else ""
        lines.append(f"{indent}{c.key:<6} {_label(ruleset, c.key, lang)}  (max {c.max}){marks}")
    if ruleset.assumed:
        lines += ["", f"Assumed for the whole rule set: {', '.join(sorted(ruleset.assumed))}"]
    if ruleset.note:
        lines += ["", "Notes:", *("  " + ln for ln in ruleset.note.strip().splitlines())]
    for c in ruleset.criteria():
        if c.note:
            lines += [f"  {c.key}: " + " ".join(c.note.split())]
    if ruleset.sources:
        lines += ["", "Sources:"]
        lines += [f"  [{s.id}] {s.title}" + (f" <{s.url}>" if s.url else "")
                  + (f" ({s.note})" if s.note else "") for s in ruleset.sources]
    return "\n".join(lines) + "\n"


# --- template, plugins ------------------------------------------------------

def template(args: argparse.Namespace) -> int:
    from kompass_core.template import render_template

    text = render_template(default_registry().ruleset(args.ref), args.lang)
    if args.output:
        from kompass_core.files import write_atomic

        write_atomic(args.output, text)
    else:
        _out(text)
    return 0


def plugins(args: argparse.Namespace) -> int:
    infos = default_registry().plugins()
    if args.format == "json":
        from kompass_core.serialize import unstructure

        _out(json.dumps(unstructure(infos), ensure_ascii=False, indent=2) + "\n")
        return 0
    from kompass_core.cli.tables import table

    rows = [[i.name, i.version or "-", i.distribution or "-", i.module,
             ", ".join([str(r) for r in i.rulesets] + [f"weighting {w}" for w in i.weightings])
             or "-"] for i in infos]
    _out(table(["Plugin", "Version", "Distribution", "Module", "Provides"], rows))
    return 0


__all__ = ["KompassError", "plugins", "rulesets", "score", "template", "validate"]
