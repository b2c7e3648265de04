"""The evaluation report: a view of one score card, rendered to HTML or Markdown.

:func:`build_report` turns a card, its rule set and evaluation, a reference
and a previous evaluation into plain, pre-formatted values; the Jinja2
templates in ``kompass_core/report/templates`` only lay them out (HTML with
autoescaping, so no text a user wrote can become markup). The HTML page is
self-contained: inline CSS and SVG, no script, no external asset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from kompass_core.model.card import Provenance, ScoreCard, Step
from kompass_core.model.evaluation import AreaNotes, Evaluation
from kompass_core.model.points import Points, comma, plain
from kompass_core.model.ruleset import Criterion, RuleSet
from kompass_core.report import chart
from kompass_core.report.notes import Notes, previous_notes, reference_note, ruleset_notes
from kompass_core.report.reference import Gap, Reference
from kompass_core.report.text import strings

if TYPE_CHECKING:
    from kompass_core.model.migration import Migration
    from kompass_core.registry.registry import Registry


@attrs.frozen
class Line:
    """One row of a points table."""

    key: str
    label: str
    points: str
    max: str
    status: str
    notes: tuple[int, ...]
    level: str


@attrs.frozen
class AreaView:
    """Everything a report shows about one area."""

    line: Line
    low: float
    high: float
    reference: str
    reference_ratio: float | None
    previous: str
    notes: AreaNotes
    comment: str | None
    rows: tuple[Line, ...]


@attrs.frozen
class Report:
    """A report, ready for a template."""

    lang: str
    text: dict[str, str]
    title: str
    ruleset: str
    weighting: str
    municipality: str
    code: str
    country: str
    date: str
    evaluators: str
    total: str
    total_max: str
    open_note: str
    areas: tuple[AreaView, ...]
    overview: tuple[Line, ...]
    chart: dict[str, Any]
    footnotes: tuple[tuple[int, str], ...]
    has_reference: bool
    has_previous: bool


def build_report(card: ScoreCard, ruleset: RuleSet, evaluation: Evaluation, lang: str | None,
                 reference: Reference | Gap | None = None, previous: ScoreCard | None = None,
                 previous_steps: Mapping[Step, Migration] | None = None, *,
                 registry: Registry | None = None) -> Report:
    """The report view of ``card`` (scored from ``evaluation`` with ``ruleset``).

    ``reference`` is the reference average, or why there is none (see
    :func:`~kompass_core.report.reference.reference_gap`). ``previous`` is
    an earlier card already carried to ``card``'s rule set;
    ``previous_steps`` are the migrations of its path, so that the report
    words them (each step otherwise named with its calibration). ``lang``
    is a built-in language or one a plugin of ``registry`` supplies; any
    other is an InputError naming those there are.
    """
    lang = lang or ruleset.languages[0]
    words = strings(lang, registry)
    c = comma(lang)  # text for people: a decimal comma in Swedish, Norwegian, Danish
    notes = Notes()
    marks = ruleset_notes(notes, ruleset, lang, words)
    if reference is not None:
        reference_note(notes, reference, words)
    if isinstance(reference, Gap):
        reference = None
    if previous is not None:
        previous_notes(notes, previous, card.ruleset, previous_steps or {}, words, c)
    lines = {x.key: _line(card, x, ruleset.languages[0], lang, words, marks[x.key])
             for x in ruleset.criteria()}
    r, m, total = card.rounding, card.municipality, card.total
    areas = [card[a.key] for a in ruleset.areas if a.key in card]
    if total.exact and all(a.exact for a in areas) and sum(a.low for a in areas) == total.low:
        parts = sum(r.shown(a.low) for a in areas)
        if parts != r.shown(total.low):  # rounding, not the weighting, breaks the sum
            notes.add(words["rounded"].format(parts=r.show(parts, c), whole=total.show(r, c)))
    return Report(
        lang=lang, text=dict(words), title=ruleset.title.get(lang, ruleset.languages[0])[0],
        ruleset=str(card.ruleset),
        weighting=str(card.weighting), municipality=m.name, code=m.code or "",
        country=m.country or "", date=card.date.isoformat() if card.date else "",
        evaluators=", ".join(evaluation.evaluators), total=total.show(r, c),
        total_max=_max_text(total.max, c),
        open_note="" if card.complete or card.migrated else words["open"].format(
            low=r.show(total.low, c), high=r.show(total.high, c)),
        areas=tuple(_area(card, area, evaluation, lines, reference, previous, c)
                    for area in ruleset.areas),
        overview=tuple(lines.values()),
        chart=_chart(card, [a.key for a in ruleset.areas], reference, previous),
        footnotes=notes.numbered(),
        has_reference=reference is not None, has_previous=previous is not None)


def _max_text(value: Points, c: bool) -> str:
    """A max, exact (``12.5``), with a decimal comma when ``c``."""
    text = plain(value)
    return text.replace(".", ",") if c else text


def _line(card: ScoreCard, criterion: Criterion, own: str, lang: str,
          words: Mapping[str, str], marks: tuple[int, ...]) -> Line:
    """The table row of ``criterion``: its label in ``lang`` (else ``own``), points, max, state."""
    entry = card.entry(criterion.key)
    label, _ = criterion.labels.get(lang, own)
    status = {Provenance.UNSCORED: words["unscored"],
              Provenance.PARTIAL: words["partial"]}.get(entry.provenance, "")
    c = comma(lang)
    return Line(criterion.key, label, entry.score.show(card.rounding, c),
                _max_text(criterion.max, c),
                status, marks, criterion.level.value)


def _area(card: ScoreCard, area: Criterion, evaluation: Evaluation, lines: Mapping[str, Line],
          reference: Reference | None, previous: ScoreCard | None, c: bool = False
          ) -> AreaView:
    """The section of one area: its scores, reference and previous values, notes and rows."""
    score = card[area.key]
    average = reference.areas.get(area.key) if reference else None
    before = previous[area.key].show(previous.rounding, c) \
        if previous is not None and area.key in previous else ""
    return AreaView(
        lines[area.key], _ratio(score.low, score.max), _ratio(score.high, score.max),
        card.rounding.show(average, c) if average is not None else "",
        _ratio(average, area.max) if average is not None else None, before,
        evaluation.notes.get(area.key, AreaNotes()), evaluation.comments.get(area.key),
        tuple(lines[c.key] for c in area.walk() if c.key != area.key))


def _chart(card: ScoreCard, keys: Sequence[str], reference: Reference | None,
           previous: ScoreCard | None) -> dict[str, Any]:
    """The profile chart: a ring grid, one axis per area, and a polygon per series."""
    low, _, band = _profile(card, keys)
    series: dict[str, Any] = {"this": {"low": chart.polygon(low), "band": band}}
    if reference is not None:
        series["reference"] = chart.polygon([_ratio(reference.areas[k], card[k].max)
                                             for k in keys])
    if previous is not None:
        _, high, band = _profile(previous, keys)
        series["previous"] = {"high": chart.polygon(high), "band": band}
    grid = [chart.polygon([ring] * len(keys)) for ring in chart.RINGS]
    return {"size": chart.SIZE, "centre": chart.CENTRE, "grid": grid,
            "axes": chart.axes(keys), "series": series}


def _profile(card: ScoreCard, keys: Sequence[str]) -> tuple[list[float], list[float], str]:
    """Each area's low and high as a share of its max, and the band between ("" when exact)."""
    low = [_ratio(card[k].low, card[k].max) for k in keys]
    high = [_ratio(card[k].high, card[k].max) for k in keys]
    return low, high, chart.band(low, high) if low != high else ""


def _ratio(value: Points, maximum: Points) -> float:
    return float(Fraction(value) / Fraction(maximum)) if maximum else 0.0


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("kompass_core.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_html(report: Report) -> str:
    """The self-contained HTML page of ``report``."""
    return str(_environment().get_template("report.html.j2").render(r=report))


def render_markdown(report: Report) -> str:
    """The Markdown version of ``report`` (user text escaped for Markdown)."""
    env = _environment()
    env.autoescape = False
    env.filters["md"] = _md_escape
    return str(env.get_template("report.md.j2").render(r=report))


def _md_escape(value: object) -> str:
    text = " ".join(str(value).split())
    for ch in "\\`*_{}[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text

