"""``kompass report`` and ``kompass export``: what a municipality receives, and data.

The report's reference average comes from ``--reference``, else from the
results store when it exists, else from the results bundled with kompass;
``--previous`` takes a file, or a municipality code looked up in the store.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from kompass_core import (
    Evaluation,
    InputError,
    Level,
    Municipality,
    PartialDate,
    Problem,
    Registry,
    RuleSet,
    ScoreCard,
    Step,
    default_registry,
    default_store_path,
    exact_text,
    read_document,
    read_results,
)
from kompass_core.cli.cards import (
    card_json,
    dump_json,
    good_results,
    label,
    load_scored,
    out,
    with_ruleset,
)
from kompass_core.cli.output import output_format, write_output

if TYPE_CHECKING:
    from kompass_core import Gap, Migration, Reference, Stored


def _years(text: str | None) -> tuple[int, int] | None:
    """``--reference-years``: ``2021-2022`` or ``2021``, as first and last year."""
    if not text:
        return None
    found = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not found or int(found[2] or found[1]) < int(found[1]):
        raise InputError(f"--reference-years {text!r}: give a year or a range such as "
                         "2021-2022")
    return int(found[1]), int(found[2] or found[1])


def _names(text: str | None) -> tuple[str, ...] | None:
    """``--reference-names``: municipalities separated by commas."""
    names = tuple(n.strip() for n in (text or "").split(",") if n.strip())
    return names or None


def _reference(registry: Registry, loaded: Subject, source: str | None, db: str | None,
               years: str | None = None, names: str | None = None,
               group: str | None = None) -> Reference | Gap:
    """The reference average: ``--reference`` CSV, else the store if it exists, else bundled.

    Where none of the latter two has one, why not, for the report's notes. With
    ``group`` (``--group``), only that peer group's evaluations count, by code.
    """
    from kompass_core import (
        Gap,
        Origin,
        bundled_rows,
        reference_for,
        select_reference,
        stored_reference,
    )

    own: set[str] = set()
    if source:
        document = read_document(source, "results")
        text, name = document.text or "", document.name
        rows, origin = read_results(text, name), Origin("file", Path(name).name)
        peers = _group(registry, group, db)
    elif _exists(path := _store_path(db)):
        rows, origin, own, peers = stored_reference(registry, path, loaded.ruleset,
                                                    loaded.municipality, group)
    else:
        rows, origin = bundled_rows(), Origin()
        peers = _group(registry, group, db)  # refused: no store to look it up in
    year = loaded.date.year if loaded.date else None
    chosen = select_reference(loaded.ruleset, rows, loaded.municipality, year, origin,
                              years=_years(years), names=_names(names), own=own, peers=peers)
    if isinstance(chosen, Gap) and source and reference_for(loaded.ruleset, rows) is None:
        raise InputError(f"{source}: no area-level results for {loaded.ruleset.ref}")
    return chosen


def _group(registry: Registry, wanted: str | None, db: str | None
           ) -> tuple[tuple[str, str], set[str]] | None:
    """``--group``: (its name, its scheme) and its member codes, from the store."""
    if wanted is None:
        return None
    path = _store_path(db)
    if not _exists(path):
        raise InputError(Problem(f"no results store at {path} to look the group up in",
                                 keys=("--group",)))
    from kompass_core import Store

    with Store.open(path, registry) as store:
        scheme, name, codes = store.group(wanted)
    return (name, scheme.ref), codes


def _store_path(db: str | None) -> Path | str:
    """``--db``, else the default store: a file's path, or a server's URL as given."""
    if not db:
        return default_store_path()
    return db if "://" in db else Path(db)  # a server's URL: Store.open tells which


def _exists(store: Path | str) -> bool:
    """Whether there is a store to read: a file, or any server (its store is made on open)."""
    return isinstance(store, str) or store.exists()


_CODE = re.compile(r"[\w-]+")


def _previous(registry: Registry, loaded: Subject, previous: str, db: str | None
              ) -> tuple[ScoreCard, dict[Step, Migration]]:
    """The earlier evaluation on this one's rule set, and each migration step it took.

    ``previous`` is a file (an evaluation or a score card), or a municipality
    code: then the newest evaluation of that code in the store dated before
    this one.
    """
    if previous == "-" or Path(previous).exists() or not _CODE.fullmatch(previous):
        before, card = _subject(registry, previous)  # an evaluation or a score card
        source = before.ruleset
    else:
        stored = _stored_previous(registry, loaded, previous, _store_path(db))
        source = registry.ruleset(stored.ruleset)
        card = stored.card(source)
    steps = {Step(m.source, m.target): m
             for m in registry.migration_path(source.ref, loaded.ruleset.ref)}
    return registry.migrate(card, loaded.ruleset.ref), steps


def _stored_previous(registry: Registry, loaded: Subject, code: str, path: Path | str
                     ) -> Stored:
    from kompass_core import Store

    if not _exists(path):
        raise InputError(Problem(f"no such file, and no results store at {path} to look up "
                                 "a municipality code in", file=code))
    when = loaded.date
    if when is None:
        raise InputError(Problem("has no date, so no stored evaluation is known to be earlier: "
                                 "give --previous the earlier evaluation's file",
                                 file=loaded.file, keys=("evaluation", "date")))
    with Store.open(path, registry) as store:
        found = store.find(code)
    earlier = [s for s in found if s.kind == "evaluation" and  # surely earlier, at any precision
               (s.date.last_day < when.first_day if s.date
                else s.year is not None and s.year < when.year)]
    if not earlier:
        raise InputError(Problem(f"neither a file nor the code of a municipality with a "
                                 f"stored evaluation dated before {when.isoformat()}",
                                 file=code))
    return max(earlier, key=lambda s: (s.year or 0, s.date or PartialDate(1),
                                       s.exactness(), s.seq))


REPORT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                   ".pdf": "pdf"}
"""The report's format by ``-o``'s suffix, when ``--format`` is not given."""


@attrs.frozen
class Subject:
    """What a report is of: its file, rule set, municipality and date.

    An evaluation has all four; so has a score card (what ``kompass
    migrate`` prints), which a report takes too, e.g. a Swedish result on
    the Norwegian rule set. A card has no evaluation: no texts.
    """

    file: str
    ruleset: RuleSet
    municipality: Municipality
    date: PartialDate | None
    evaluation: Evaluation | None


def _subject(registry: Registry, source: str) -> tuple[Subject, ScoreCard]:
    """The evaluation or score card in ``source``, and its card."""
    document = read_document(source)
    if document.kind == "scorecard":
        card = document.scorecard()
        ruleset = document.located(lambda: registry.ruleset(card.ruleset), prefer="ruleset")
        return Subject(document.name, ruleset, card.municipality, card.date, None), card
    loaded = with_ruleset(registry, document)
    card = loaded.score(registry)
    evaluation = loaded.evaluation
    return Subject(loaded.file, loaded.ruleset, evaluation.municipality, evaluation.date,
                   evaluation), card


def report(args: argparse.Namespace) -> int:
    from kompass_core import build_report, render_html, render_markdown, render_pdf

    registry = default_registry()
    subject, card = _subject(registry, args.file)
    previous: ScoreCard | None = None
    steps: dict[Step, Migration] = {}
    if args.previous:
        previous, steps = _previous(registry, subject, args.previous, args.db)
    rank = None
    if args.robust:
        from kompass_core import report_standing

        rank = report_standing(registry, subject.ruleset, card, _store_path(args.db), args.group,
                        args.samples, args.seed)
    view = build_report(card, subject.ruleset, subject.evaluation, args.lang,
                        _reference(registry, subject, args.reference, args.db,
                                   args.reference_years, args.reference_names, args.group),
                        previous, steps,
                        registry=registry, standing=rank)
    fmt = output_format(args.format, args.output, REPORT_SUFFIXES, "html")
    if fmt == "pdf" and not args.output and sys.stdout.isatty():
        raise InputError("a PDF is not for the terminal: give -o FILE.pdf, or redirect the "
                         "output to a file")
    data: str | bytes = render_pdf(view) if fmt == "pdf" else render_markdown(view) \
        if fmt == "md" else render_html(view)
    if args.output:
        write_output(args.output, data, (args.file, args.previous, args.reference,
                                         str(_store_path(args.db))))
    elif isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        out(data)
    return 0


EXPORT_HEADERS = ("file", "municipality", "code", "country", "date", "ruleset", "weighting",
                  "area", "label", "low", "high", "max", "provenance")


def export(args: argparse.Namespace) -> int:
    registry = default_registry()
    good, failed = good_results(args.files, lambda source: load_scored(registry, source))
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
                             label(loaded.ruleset, entry.key, lang),
                             exact_text(entry.score.low), exact_text(entry.score.high),
                             exact_text(entry.score.max),
                             entry.provenance.value])
        out(to_csv(EXPORT_HEADERS, rows))
    return 2 if failed else 0
