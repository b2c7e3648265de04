"""The report's sections as plain values: the area chapters, the evaluation's facts, sources.

:mod:`kompass_core.report.build` assembles a report from these; each is
what one part of the seed report (SKL 2011) shows, pre-formatted in the
report's language, so the templates only lay text out. No text a user
wrote is ever marked up here: the templates escape it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from kompass_core.model.card import Provenance, Score, ScoreCard
from kompass_core.model.evaluation import AreaNotes, Evaluation
from kompass_core.model.points import Points, Rounding, plain
from kompass_core.model.ruleset import Criterion, RuleSet

REPORTED_ABOVE = (Provenance.GIVEN, Provenance.MIGRATED)
"""An area scored as a whole: the criteria below it were not reported one by one."""


def _web(url: str | None) -> str:
    """``url`` when it is a web address, else "": a report links to nothing else."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@attrs.frozen
class Link:
    """A source: its title, and its web address when it has one (else no link)."""

    title: str
    url: str = attrs.field(default="", converter=_web)


@attrs.frozen
class Line:
    """One row of a points table; ``reference``, ``previous`` and ``change`` only for areas."""

    key: str
    label: str
    points: str
    max: str
    status: str
    notes: tuple[int, ...]
    level: str
    reference: str = ""
    previous: str = ""
    change: str = ""
    worded: bool = False
    """``points`` is a word (not reported, withheld ...), so no "of max" follows it."""


@attrs.frozen
class Subarea:
    """A sub-area heading in an area's chapter: its row, findings and gold stars."""

    line: Line
    findings: str
    stars: tuple[str, ...]
    rows: tuple[Line, ...]


@attrs.frozen
class AreaView:
    """Everything a report shows about one area: a chapter of the seed's section 3."""

    line: Line
    low: float
    high: float
    reference: str
    reference_ratio: float | None
    previous: str
    notes: AreaNotes
    comment: str | None
    rows: tuple[Line, ...]
    subareas: tuple[Subarea, ...] = ()
    stars: tuple[str, ...] = ()
    change: str = ""
    previous_ratio: float | None = None


@attrs.frozen
class FactView:
    """A fact about the municipality with its source and year in words."""

    label: str
    value: str
    source: str


def max_text(value: Points, c: bool) -> str:
    """A max, exact (``12.5``), with a decimal comma when ``c``."""
    text = plain(value)
    return text.replace(".", ",") if c else text


def ratio(value: Points, maximum: Points) -> float:
    """``value`` as a share of ``maximum`` (0 when the max is 0), for drawing only."""
    return float(Fraction(value) / Fraction(maximum)) if maximum else 0.0


def signed(value: Points, rounding: Rounding, c: bool) -> str:
    """``+5``, ``-2``, ``0``: a change for people."""
    text = rounding.show(value, c)
    return f"+{text}" if value > 0 and not text.startswith("+") else text


def change(now: Score, before: Score, rounding: Rounding, c: bool) -> str:
    """How far ``now`` is from ``before``; an interval when either is one."""
    low, high = now.low - before.high, now.high - before.low
    if low == high:
        return signed(low, rounding, c)
    return f"{signed(low, rounding, c)} – {signed(high, rounding, c)}"


def line(card: ScoreCard, criterion: Criterion, lang: str, own: str,
         words: Mapping[str, str], marks: tuple[int, ...], c: bool, below_whole: bool) -> Line:
    """The table row of ``criterion``: its label in ``lang`` (else ``own``), points, max, state.

    ``below_whole``: the criterion is below an area scored as a whole, so
    when it has no points of its own it was not reported, rather than left
    unscored (its range 0-max says nothing a reader can use).
    """
    entry = card.entry(criterion.key)
    label, _ = criterion.labels.get(lang, own)
    points = entry.score.show(card.rounding, c)
    status = {Provenance.UNSCORED: words["unscored"],
              Provenance.PARTIAL: words["partial"]}.get(entry.provenance, "")
    worded = below_whole and entry.provenance is Provenance.UNSCORED
    if worded:
        points, status = words["not_reported"], ""
    hidden = card.hidden_by(criterion.key) if card.hides else None
    if hidden:
        points, status, worded = hidden_word(hidden, words), "", True
    return Line(criterion.key, label, points, max_text(entry.score.max, c), status, marks,
                criterion.level.value, worded=worded)


def hidden_word(hidden: str, words: Mapping[str, str]) -> str:
    """What a report shows instead of points not to be published (``"withheld"``)."""
    return words[hidden.replace("-", "_")]


def area_lines(card: ScoreCard, ruleset: RuleSet, lang: str, words: Mapping[str, str],
               marks: Mapping[str, tuple[int, ...]], c: bool) -> dict[str, Line]:
    """Every criterion's row, by key, in the rule set's order."""
    lines = {}
    for area in ruleset.areas:
        whole = area.key in card and card.entry(area.key).provenance in REPORTED_ABOVE
        for criterion in area.walk():
            lines[criterion.key] = line(card, criterion, lang, ruleset.languages[0], words,
                                        marks[criterion.key], c,
                                        whole and criterion.key != area.key)
    return lines


def stars_of(evaluation: Evaluation | None, key: str) -> tuple[str, ...]:
    """The gold stars given at ``key``: each practice named, or ``""`` for the criterion."""
    if evaluation is None:
        return ()
    return tuple(s.practice for s in evaluation.stars if s.key == key)


def area_view(card: ScoreCard, area: Criterion, evaluation: Evaluation | None,
              lines: Mapping[str, Line], reference: Mapping[str, Points] | None,
              previous: ScoreCard | None, c: bool) -> AreaView:
    """The chapter of one area: its scores against the reference and previous, its texts."""
    score = card[area.key]
    if card.hidden_by(area.key):  # no bar, no change: they would give the points away
        score = Score(0, 0, score.max)
    average = reference.get(area.key) if reference else None
    before = previous[area.key] if previous is not None and area.key in previous \
        and not previous.hidden_by(area.key) else None  # what was not published stays so
    comments: Mapping[str, str] = evaluation.comments if evaluation else {}
    subareas = tuple(
        Subarea(lines[s.key], comments.get(s.key, ""), stars_of(evaluation, s.key),
                tuple(lines[q.key] for q in s.walk() if q.key != s.key))
        for s in area.children)
    row = attrs.evolve(
        lines[area.key],
        reference=card.rounding.show(average, c) if average is not None else "",
        previous=before.show(previous.rounding, c) if before and previous else "",
        change=change(score, before, card.rounding, c) if before and
        not card.hidden_by(area.key) else "")
    return AreaView(
        row, ratio(score.low, score.max), ratio(score.high, score.max), row.reference,
        ratio(average, area.max) if average is not None else None, row.previous,
        evaluation.notes.get(area.key, AreaNotes()) if evaluation else AreaNotes(),
        comments.get(area.key), tuple(lines[x.key] for x in area.walk() if x.key != area.key),
        subareas, stars_of(evaluation, area.key), row.change,
        ratio(before.low, before.max) if before else None)


def conduct_lines(evaluation: Evaluation | None, municipality: str,
                  words: Mapping[str, str], decimal_comma: bool = False) -> tuple[str, ...]:
    """The facts of the evaluation that are sentences: first or repeat, how many interviewed,
    and a team's agreement (Krippendorff's alpha with its interval, two decimals)."""
    if evaluation is None:
        return ()
    conduct = evaluation.conduct
    out = []
    if conduct.first is True:
        out.append(words["first_evaluation"].format(municipality=municipality))
    elif conduct.first is False:
        out.append(words["repeat_evaluation"].format(municipality=municipality))
    if conduct.interviewed is not None:
        out.append(words["interviewed"].format(n=conduct.interviewed))
    team = evaluation.consensus
    if team is not None and team.agreement is not None:
        agreed, n = team.agreement, len(team.evaluators)
        if agreed.alpha is None:
            out.append(words["team_agreement_undefined"].format(n=n))
        else:
            def two(x: Points) -> str:
                text = f"{float(x):.2f}"
                return text.replace(".", ",") if decimal_comma else text

            interval = f" [{two(agreed.low)}, {two(agreed.high)}]" \
                if agreed.low is not None and agreed.high is not None else ""
            out.append(words["team_agreement"].format(n=n, alpha=two(agreed.alpha)) + interval)
    return tuple(out)


def facts(evaluation: Evaluation | None, words: Mapping[str, str]) -> tuple[FactView, ...]:
    """The facts about the municipality, each with its source and year as the seed gives them."""
    if evaluation is None:
        return ()
    out = []
    for fact in evaluation.facts:
        if fact.source and fact.year is not None:
            source = words["fact_source"].format(source=fact.source, year=fact.year)
        else:
            source = fact.source or ("" if fact.year is None else str(fact.year))
        out.append(FactView(fact.label, fact.value, source))
    return tuple(out)


def sources(ruleset: RuleSet, more: Sequence[Link] = ()) -> tuple[Link, ...]:
    """The rule set's sources, then ``more`` (the reference's), each once."""
    found = [Link(s.title, s.url) for s in ruleset.sources]
    return tuple(dict.fromkeys([*found, *more]))


def method_sources(ruleset: RuleSet) -> tuple[Link, ...]:
    """The sources the rule set's method text rests on; all its sources when it names none."""
    cited = set(ruleset.method_sources)
    return tuple(Link(s.title, s.url) for s in ruleset.sources if not cited or s.id in cited)
