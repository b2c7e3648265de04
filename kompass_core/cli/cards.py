"""Reading evaluation files for commands, and showing score cards as tables, CSV, JSON.

Every command that takes evaluation files goes through :func:`each_file`,
so one bad file is reported (one line per problem, with its line) and the
others still run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from kompass_core import (
    Document,
    Evaluation,
    InputError,
    Level,
    Points,
    Provenance,
    Registry,
    Rounding,
    RuleSet,
    ScoreCard,
    WeightingSpec,
    exact_text,
    read_document,
)
from kompass_core.cli.tables import printable

ORDER = [Level.TOTAL, Level.AREA, Level.SUBAREA, Level.QUESTION]
DEPTHS = {"area": Level.AREA, "subarea": Level.SUBAREA, "question": Level.QUESTION}
T = TypeVar("T")


@attrs.frozen
class Loaded:
    """One evaluation file, parsed, with the rule set it names."""

    document: Document
    evaluation: Evaluation
    ruleset: RuleSet

    @property
    def file(self) -> str:
        """The file's name as messages show it."""
        return self.document.name

    def located(self, run: Callable[[], T]) -> T:
        """Run ``run``; its input errors are placed on lines of this file."""
        return self.document.located(run, prefer="points")

    def score(self, registry: Registry, weighting: str | WeightingSpec | None = None
              ) -> ScoreCard:
        """The card, under the declared weighting unless told; errors on lines of this file."""
        return self.located(lambda: registry.score(self.evaluation, self.ruleset,
                                                   weighting=weighting))


def load_file(registry: Registry, source: str) -> Loaded:
    """Read and parse an evaluation file (TOML, JSON or .xlsx) and find its rule set."""
    return with_ruleset(registry, read_document(source, "evaluation"))


def load_scored(registry: Registry, source: str) -> tuple[Loaded, ScoreCard]:
    """An evaluation file read and scored under its rule set's declared weighting."""
    loaded = load_file(registry, source)
    return loaded, loaded.score(registry)


def with_ruleset(registry: Registry, document: Document) -> Loaded:
    """The evaluation ``document`` holds, with the rule set it names (or an error on its line)."""
    evaluation = document.evaluation()
    try:
        ruleset = registry.ruleset(evaluation.ruleset)
    except InputError as err:
        problems = [attrs.evolve(p, keys=("ruleset",)) for p in err.problems]
        raise InputError(document.locate(problems)) from None
    return Loaded(document, evaluation, ruleset)


EVALUATION_SUFFIXES = (".toml", ".json", ".xlsx")


def expand(files: Sequence[str], suffixes: Sequence[str] = EVALUATION_SUFFIXES
           ) -> Iterator[str]:
    """The files named, with each folder replaced by its files ending in ``suffixes``, sorted.

    Only regular files (or links to them) are taken from a folder: a FIFO,
    socket or device named ``x.toml`` would block or never end when read.
    A file named on the command line is read whatever it is, as asked.
    """
    for source in files:
        folder = Path(source)
        if source != "-" and folder.is_dir():
            yield from sorted(str(p) for p in folder.iterdir()
                              if p.suffix in suffixes and not p.name.startswith(".")
                              and p.is_file())
        else:
            yield source


def each_file(files: Sequence[str], work: Callable[[str], T],
              suffixes: Sequence[str] = EVALUATION_SUFFIXES) -> Iterator[T | None]:
    """``work(file)`` for each file (folders expanded), or None after printing its errors."""
    for source in expand(files, suffixes):
        try:
            yield work(source)
        except InputError as err:
            for problem in err.problems:
                print(f"kompass: error: {printable(str(problem.located(source)))}",
                      file=sys.stderr)
            yield None


def good_results(files: Sequence[str], work: Callable[[str], T]) -> tuple[list[T], bool]:
    """``work`` for every file: the results of those that worked, and whether any failed.

    For commands that need all results before writing; the errors are already printed.
    """
    results = list(each_file(files, work))
    good = [r for r in results if r is not None]
    return good, len(good) < len(results)


def signed(value: Points, rounding: Rounding) -> str:
    """``+5``, ``-2``, ``0``: a rounded change for people."""
    text = rounding.show(value)
    return text if text.startswith("-") or text.strip("0.") == "" else f"+{text}"


def span_text(low: Points, high: Points, rounding: Rounding) -> str:
    """``68`` or ``22-88``: a rounded interval for people."""
    a, b = rounding.show(low), rounding.show(high)
    return a if a == b and low == high else f"{a}-{b}"


def out(text: str) -> None:
    sys.stdout.write(text)


def say(line: str) -> None:
    """One line of a message for people (``ok``, ``stored``), escaped by :func:`printable`."""
    out(printable(line) + "\n")


def label(ruleset: RuleSet, key: str, lang: str) -> str:
    """A criterion's label in ``lang``, marked ``[en]`` where it falls back."""
    if key == "total":
        return "Total"
    text, used = ruleset.criterion(key).labels.get(lang)
    return text if used == lang else f"{text} [{used}]"


def shown_levels(ruleset: RuleSet, evaluations: Sequence[Evaluation], depth: str | None
                 ) -> list[Level]:
    """Levels to show: ``depth``, else down to the deepest one any evaluation scores."""
    if depth is not None:
        return ORDER[: ORDER.index(DEPTHS[depth]) + 1]
    deepest = max((ORDER.index(ruleset.criterion(k).level) for ev in evaluations
                   for k in ev.points if k in ruleset), default=1)
    return ORDER[: max(deepest, 1) + 1]


def heading(card: ScoreCard, ruleset: RuleSet, lang: str) -> list[str]:
    """Who, when, and by which rule set and weighting."""
    m = card.municipality
    who = ", ".join(x for x in (m.code, m.country) if x)
    return [printable(f"{m.name}{f' ({who})' if who else ''}"
                      f"{f', {card.date.isoformat()}' if card.date else ''}"),
            printable(f"{card.ruleset} {ruleset.title.get(lang)[0]}, "
                      f"weighting: {card.weighting}")]


def card_rows(ruleset: RuleSet, cards: Sequence[ScoreCard], shown: Sequence[Level],
              lang: str, status: bool) -> list[list[str]]:
    """One row per criterion shown (total last): key, label, points per card, max."""
    first = cards[0]
    rows = []
    for i, key in enumerate(first.keys):
        level = first.levels[i]
        if level not in shown or level is Level.TOTAL:
            continue
        indent = "  " * (ORDER.index(level) - 1)
        row = [key, indent + label(ruleset, key, lang)]
        row += [published(c, key) for c in cards] + [exact_text(first.maxes[i])]
        if status:
            row.append(_status(first.provenance[i]))
        rows.append(row)
    total = ["", "Total", *(published(c, "total") for c in cards), exact_text(first.total.max)]
    if status:
        total.append(_status(first.provenance[0]))
    rows.append(total)
    return rows


def published(card: ScoreCard, key: str) -> str:
    """``key``'s points as published: a number, or why there is none (``withheld``)."""
    hidden = card.hidden_by(key)
    return hidden.replace("-", " ") if hidden else card[key].show(card.rounding)


def area_rows(ruleset: RuleSet, cards: Sequence[ScoreCard], lang: str) -> list[list[str]]:
    """One row per area, then the total: key, label, points per card, max (cards on ``ruleset``)."""
    return card_rows(ruleset, cards, ORDER[:2], lang, status=False)


def _status(provenance: Provenance) -> str:
    return "" if provenance in (Provenance.GIVEN, Provenance.COMPUTED) else provenance.value


def card_table(card: ScoreCard, ruleset: RuleSet, scored: Sequence[Evaluation],
               lang: str | None, depth: str | None, extra: Sequence[str] = ()) -> str:
    """The score table of one card, with notes on bounds, migration and assumptions.

    ``scored`` are the evaluations whose given points decide the default depth.
    """
    from kompass_core.cli.tables import table

    lang = lang or ruleset.languages[0]
    shown = shown_levels(ruleset, scored, depth)
    body = table(["Key", "Criterion", "Points", "Max", "Status"],
                 card_rows(ruleset, [card], shown, lang, status=True), right=(2, 3))
    return ("\n".join([*heading(card, ruleset, lang), *extra]) + "\n\n" + body
            + notes(card, ruleset, shown))


def sum_notes(card: ScoreCard, ruleset: RuleSet, shown: Sequence[Level]) -> list[str]:
    """A note for each shown whole whose shown parts do not add up to it after rounding.

    Parts and wholes are compared as shown (:meth:`Rounding.shown`); a note appears only
    where rounding changed a figure and the shown parts miss the shown whole.
    """
    r = card.rounding
    lines = []
    for i, key in enumerate(card.keys):
        level = card.levels[i]
        below = ORDER.index(level) + 1
        if level not in shown or below >= len(ORDER) or ORDER[below] not in shown:
            continue
        below_keys = [a.key for a in ruleset.areas] if level is Level.TOTAL \
            else [c.key for c in ruleset.criterion(key).children] if key in ruleset else []
        parts = [card[k] for k in below_keys if k in card]
        whole = card[key]
        if not parts or not whole.exact or not all(p.exact for p in parts) or \
                (card.hides and any(map(card.hidden_by, [key, *(k for k in below_keys
                                                                   if k in card)]))) \
                or sum(p.low for p in parts) != whole.low:  # weighted: parts never add up
            continue
        shown_parts = [r.shown(p.low) for p in parts]
        if sum(shown_parts) != r.shown(whole.low):
            name = "the total" if level is Level.TOTAL else key
            lines.append(f"Rounded: the {ORDER[below].value} figures shown under {name} add "
                         f"up to {r.show(sum(shown_parts))}, not {r.show(whole.low)}, as each "
                         "is rounded on its own; the exact figures add up.")
    return lines


def notes(card: ScoreCard, ruleset: RuleSet, shown: Sequence[Level]) -> str:
    """Lines under a table: open bounds, migration path, assumptions."""
    lines = []
    total, r = card.total, card.rounding
    if card.hidden_by("total"):
        pass  # its bounds would give the total away
    elif card.migrated and not card.complete:
        lines.append(f"Migrated: the total lies between {r.show(total.low)} and "
                     f"{r.show(total.high)}, the uncertainty of the score and of the steps.")
    elif not card.complete:
        lines.append(f"Not fully scored: the total lies between {r.show(total.low)} and "
                     f"{r.show(total.high)} (unscored items count from 0 to their max).")
    lines += sum_notes(card, ruleset, shown)
    assumed = [c for c in ruleset.criteria() if c.level in shown and c.assumed]
    if assumed:
        lines.append(f"Assumptions: {len(assumed)} of the criteria shown have a max or label "
                     f"that no source publishes (see `kompass rulesets show {ruleset.ref}`).")
    return "\n" + "\n".join(lines) + "\n" if lines else ""


CSV_HEADERS = ("file", "municipality", "code", "country", "date", "ruleset", "weighting",
               "key", "level", "label", "low", "high", "max", "provenance", "migrated_via",
               "uncalibrated")


def csv_rows(file: str, card: ScoreCard, ruleset: RuleSet, lang: str | None
             ) -> Iterator[list[str]]:
    """One CSV row per criterion of ``card`` (see docs/cli.md)."""
    lang = lang or ruleset.languages[0]
    m = card.municipality
    for entry in card.entries():
        text = ruleset.title.get(lang)[0] if entry.level is Level.TOTAL \
            else label(ruleset, entry.key, lang)
        yield [file, m.name, m.code or "", m.country or "",
               card.date.isoformat() if card.date else "", str(card.ruleset),
               str(card.weighting), entry.key, entry.level.value, text,
               exact_text(entry.score.low), exact_text(entry.score.high),
               exact_text(entry.score.max),
               entry.provenance.value, "; ".join(map(str, card.path)),
               "; ".join(map(str, card.uncalibrated))]


def card_json(file: str, card: ScoreCard) -> dict[str, Any]:
    """The documented JSON of a card, with the file it came from."""
    from kompass_core import unstructure

    return dict(unstructure(card), file=file)


def json_text(docs: Any) -> str:
    """``docs`` as indented JSON (json is imported here: table output never needs it)."""
    import json

    return json.dumps(docs, ensure_ascii=False, indent=2)


def dump_json(docs: Any) -> None:
    out(json_text(docs) + "\n")
