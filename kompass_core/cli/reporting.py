"""``kompass report`` and ``kompass export``: what a municipality receives, and data."""

from __future__ import annotations

import argparse
from pathlib import Path

from kompass_core.cli.cards import (
    Loaded,
    card_json,
    dump_json,
    each_file,
    label,
    load_file,
    out,
)
from kompass_core.cli.migrating import describe_step
from kompass_core.errors import InputError
from kompass_core.reading import read_text
from kompass_core.reference import Reference, bundled_rows, read_rows, reference_for
from kompass_core.registry import Registry, default_registry
from kompass_core.ruleset import Level
from kompass_core.scoring import ScoreCard


def _reference(registry: Registry, loaded: Loaded, source: str | None) -> Reference | None:
    if source:
        text, name = read_text(source)
        rows, origin = read_rows(text, name), Path(name).name
    else:
        rows, origin = bundled_rows(), "published results bundled with kompass"
    year = loaded.evaluation.date.year if loaded.evaluation.date else None
    reference = reference_for(loaded.ruleset, rows, loaded.evaluation.municipality, year,
                              origin)
    if source and reference is None:
        raise InputError(f"{source}: no area-level results for {loaded.ruleset.ref}")
    return reference


def report(args: argparse.Namespace) -> int:
    from kompass_core.report import build_report, render_html, render_markdown

    registry = default_registry()
    loaded = load_file(registry, args.file)
    card = loaded.located(lambda: registry.score(loaded.evaluation))
    previous, steps = None, []
    if args.previous:
        before = load_file(registry, args.previous)
        previous = registry.migrate(before.located(lambda: registry.score(before.evaluation)),
                                    loaded.ruleset.ref)
        steps = [describe_step(s) for s in
                 registry.migration_path(before.ruleset.ref, loaded.ruleset.ref)]
    view = build_report(card, loaded.ruleset, loaded.evaluation, args.lang,
                        _reference(registry, loaded, args.reference), previous, steps)
    text = render_markdown(view) if args.format == "md" else render_html(view)
    if args.output:
        from kompass_core.files import write_atomic

        write_atomic(args.output, text)
    else:
        out(text)
    return 0


EXPORT_HEADERS = ("file", "municipality", "code", "country", "date", "ruleset", "weighting",
                  "area", "label", "low", "high", "max", "provenance")


def export(args: argparse.Namespace) -> int:
    registry = default_registry()

    def run(source: str) -> tuple[Loaded, ScoreCard]:
        loaded = load_file(registry, source)
        return loaded, loaded.located(lambda: registry.score(loaded.evaluation))

    results = list(each_file(args.files, run))
    good = [r for r in results if r is not None]
    if args.format == "json":
        dump_json([card_json(loaded.file, card) for loaded, card in good])
    else:
        from kompass_core.cli.tables import to_csv

        rows = []
        for loaded, card in good:
            lang = args.lang or loaded.ruleset.languages[0]
            m = card.municipality
            for entry in card.entries():
                if entry.level not in (Level.AREA, Level.TOTAL):
                    continue
                rows.append([loaded.file, m.name, m.code or "", m.country or "",
                             card.date.isoformat() if card.date else "", str(card.ruleset),
                             str(card.weighting), entry.key,
                             label(loaded.ruleset, entry.key, lang), str(entry.score.low),
                             str(entry.score.high), str(entry.score.max),
                             entry.provenance.value])
        out(to_csv(EXPORT_HEADERS, rows))
    return 0 if len(good) == len(results) else 2
