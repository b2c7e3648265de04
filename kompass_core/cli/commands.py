"""The ``kompass`` sub-commands, one function each (``args`` from argparse)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

import attrs

from kompass_core import (
    Document,
    InputError,
    Plan,
    Problem,
    Provenance,
    Registry,
    RuleSet,
    ScoreCard,
    WeightingSpec,
    default_registry,
    exact_text,
    read_document,
)
from kompass_core.cli.cards import (
    CSV_HEADERS,
    ORDER,
    Loaded,
    card_json,
    card_rows,
    card_table,
    csv_rows,
    dump_json,
    each_file,
    heading,
    json_text,
    label,
    load_file,
    notes,
    out,
    say,
    shown_levels,
    with_ruleset,
)

if TYPE_CHECKING:
    from kompass_core import Profile

# --- validate ---------------------------------------------------------------

@attrs.frozen
class _Scored:
    """An evaluation that validated, with the card it scores to."""

    loaded: Loaded
    card: ScoreCard


@attrs.frozen
class _Described:
    """A rule set, migration or profile that validated, and the ``ok`` text for it."""

    source: str
    text: str


def _check(registry: Registry, source: str, asked: str | None) -> _Scored | _Described:
    """Validate one file, read and parsed once."""
    document = read_document(source, asked)
    if document.kind == "evaluation":
        loaded = with_ruleset(registry, document)
        card = loaded.score(registry)
        consensus = loaded.evaluation.consensus
        if consensus is not None and (problems := consensus.problems()):
            raise InputError(document.locate(problems))  # a team's open decisions
        return _Scored(loaded, card)
    return _Described(source, _describe(registry, document))


def _describe(registry: Registry, document: Document) -> str:
    """Validate a rule set, migration or profile; the ``ok`` text for it."""
    if document.kind == "ruleset":
        ruleset = document.ruleset()
        assumed = sum(1 for c in ruleset.criteria() if c.assumed)
        return (f"rule set {ruleset.ref}, {len(ruleset.areas)} areas, "
                f"max {exact_text(ruleset.max)}, {assumed} criteria with assumptions")
    if document.kind == "migration":
        migration = document.migration()
        rulesets = [registry.ruleset(r) for r in (migration.source, migration.target)]
        problems = migration.check(*rulesets)
        if problems:
            raise InputError(document.locate(problems))
        return (f"migration {migration.source} -> {migration.target}, "
                f"{'calibrated' if migration.calibrated else 'uncalibrated'}")
    if document.kind == "profile":
        profile = document.profile()
        ruleset = registry.ruleset(profile.ruleset)
        Plan.build(ruleset, registry.weighting(profile.weighting.name), profile.weighting)
        return f"profile {profile.name} for {profile.ruleset}, weighting {profile.weighting}"
    raise InputError(Problem(f"is {document.what}: validate checks "
                             "evaluations, rule sets, migrations and profiles",
                             file=document.name))


def validate(args: argparse.Namespace) -> int:
    registry = default_registry()
    bad = incomplete = False
    for result in each_file(args.files, lambda source: _check(registry, source, args.kind)):
        match result:
            case None:
                bad = True
            case _Described(source, text):
                say(f"{source}: ok ({text})")
            case _Scored(loaded, card):
                state = "complete" if card.complete else "partial"
                say(f"{loaded.file}: ok ({card.ruleset}, {state}, total "
                    f"{card.total.show(card.rounding)} of {card.total.max})")
                if args.complete and not card.complete:
                    incomplete = True
                    unscored = sum(1 for p in card.provenance if p is Provenance.UNSCORED)
                    print(f"kompass: check failed: {loaded.file}: not fully scored "
                          f"({unscored} criteria unscored, total open by {card.total.width} "
                          "points)", file=sys.stderr)
    return 2 if bad else 1 if incomplete else 0


# --- score ------------------------------------------------------------------

def _models(args: argparse.Namespace) -> list[tuple[str, str | Profile | None]]:
    """The weightings asked for, in order: names, then profiles; none means declared."""
    models: list[tuple[str, str | Profile | None]] = [
        (name, name) for name in args.weighting or ()]
    if args.profile:
        from kompass_core import load_profile

        models += [(f"profile {p.name}", p) for p in map(load_profile, args.profile)]
    return models or [("declared", None)]


def _spec(model: str | Profile | None, ruleset: RuleSet) -> str | WeightingSpec | None:
    """What Registry.score takes: a model name, a profile's weighting, or None (declared)."""
    if model is None or isinstance(model, str):
        return model
    if model.ruleset != ruleset.ref:
        raise InputError(f"profile {model.name!r} tailors {model.ruleset}, not {ruleset.ref}")
    return model.weighting


def score(args: argparse.Namespace) -> int:
    registry = default_registry()
    models = _models(args)

    def run(source: str) -> tuple[Loaded, list[ScoreCard]]:
        loaded = load_file(registry, source)
        specs = [_spec(model, loaded.ruleset) for _, model in models]
        return loaded, [loaded.score(registry, s) for s in specs]

    # Each file is written as soon as it is scored, so memory stays flat however many
    # files (or folders of them) a call gets; the output is the same as all at once.
    bad, first = False, True
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        out(to_csv(CSV_HEADERS, []))
    for result in each_file(args.files, run):
        if result is None:
            bad = True
            continue
        loaded, cards = result
        if args.format == "json":
            for card in cards:
                text = json_text(card_json(loaded.file, card))
                out(("[\n" if first else ",\n") + "\n".join("  " + ln
                                                            for ln in text.splitlines()))
                first = False
            continue
        if args.format == "csv":
            out(to_csv(CSV_HEADERS, [row for card in cards for row in csv_rows(
                loaded.file, card, loaded.ruleset, args.lang)], header=False))
        else:
            out(("" if first else "\n") + (
                card_table(cards[0], loaded.ruleset, [loaded.evaluation], args.lang,
                           args.depth) if len(models) == 1 else
                _side_by_side(loaded, cards, [m for m, _ in models], args)))
        first = False
    if args.format == "json":
        out("[]\n" if first else "\n]\n")
    return 2 if bad else 0


def _side_by_side(loaded: Loaded, cards: list[ScoreCard], names: list[str],
                  args: argparse.Namespace) -> str:
    """One evaluation under several weightings, one column each."""
    from kompass_core.cli.tables import table

    ruleset = loaded.ruleset
    lang = args.lang or ruleset.languages[0]
    shown = shown_levels(ruleset, [loaded.evaluation], args.depth)
    headers = ["Key", "Criterion", *names, "Max"]
    rows = card_rows(ruleset, cards, shown, lang, status=False)
    legend = [f"  {name}: {card.weighting}" for name, card in zip(names, cards, strict=True)]
    return ("\n".join([heading(cards[0], ruleset, lang)[0], "Weightings:", *legend]) + "\n\n"
            + table(headers, rows, right=tuple(range(2, len(headers))))
            + notes(cards[0], ruleset, shown))


# --- rulesets ---------------------------------------------------------------

def rulesets(args: argparse.Namespace) -> int:
    registry = default_registry()
    if args.action == "show" or args.ref:
        if not args.ref:
            raise InputError("rulesets show needs a rule set, e.g. kompass rulesets show kk-se@2.0")
        ruleset = registry.ruleset(args.ref)
        if args.format == "json":
            from kompass_core import unstructure

            doc = dict(unstructure(ruleset), plugin=registry.provider(ruleset.ref))
            dump_json(doc)
        else:
            out(_ruleset_text(ruleset, registry.provider(ruleset.ref), args.lang))
        return 0
    items = registry.rulesets()
    if args.format == "json":
        dump_json([_ruleset_summary(r, registry) for r in items])
        return 0
    from kompass_core.cli.tables import table

    rows = [[str(r.ref), r.organisation, r.country, str(len(r.areas)), exact_text(r.max),
             r.title.get(args.lang or r.languages[0])[0], registry.provider(r.ref)]
            for r in items]
    out(table(["Rule set", "Organisation", "Country", "Areas", "Max", "Title", "Plugin"],
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
        indent = "  " * (ORDER.index(c.level) - 1)
        marks = f"  [assumed: {', '.join(sorted(c.assumed))}]" if c.assumed else ""
        if lang in c.labels.translated and lang not in ruleset.title.translated:
            marks += f"  [label: our {lang} translation]"
        lines.append(f"{indent}{c.key:<6} {label(ruleset, c.key, lang)}  "
                     f"(max {exact_text(c.max)}){marks}")
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
    from kompass_core.cli.output import output_format, write_output

    if output_format(args.format, args.output, {".toml": "toml", ".xlsx": "xlsx"},
                     "toml") == "xlsx":
        if not args.output:
            raise InputError("a workbook is binary, not for a terminal: write it to a file "
                             "with -o FILE, e.g. -o evaluation.xlsx")
        from kompass_core import write_template

        write_output(args.output, write_template(default_registry().ruleset(args.ref),
                                                 args.lang))
        return 0
    from kompass_core import render_template

    text = render_template(default_registry().ruleset(args.ref), args.lang)
    if args.output:
        write_output(args.output, text)
    else:
        out(text)
    return 0


def plugins(args: argparse.Namespace) -> int:
    infos = default_registry().plugins()
    if args.format == "json":
        from kompass_core import unstructure

        dump_json(unstructure(infos))
        return 0
    from kompass_core.cli.tables import table

    rows = [[i.name, i.version or "-", i.distribution or "-", i.module, i.status,
             ", ".join([str(r) for r in i.rulesets] + [f"weighting {w}" for w in i.weightings]
                       + ([f"{len(i.migrations)} migration(s)"] if i.migrations else []))
             or "-"] for i in infos]
    out(table(["Plugin", "Version", "Distribution", "Module", "Status", "Provides"], rows))
    return 0

