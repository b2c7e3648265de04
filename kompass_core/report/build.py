"""The evaluation report: a view of one score card, rendered to HTML or Markdown.

:func:`build_report` turns a card, its rule set and evaluation, a reference
and a previous evaluation into plain, pre-formatted values; the Jinja2
templates in ``kompass_core/report/templates`` only lay them out (HTML with
autoescaping, so no text a user wrote can become markup). The HTML page is
self-contained: inline CSS and SVG, no script, no external asset.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from kompass_core.model.card import Provenance, ScoreCard
from kompass_core.model.evaluation import AreaNotes, Evaluation
from kompass_core.model.points import Points, plain
from kompass_core.model.ruleset import Criterion, RuleSet
from kompass_core.report import chart
from kompass_core.report.reference import Reference
from kompass_core.report.text import strings


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


def _ratio(value: Points, maximum: Points) -> float:
    return float(Fraction(value) / Fraction(maximum)) if maximum else 0.0


class _Notes:
    """Numbered footnotes, each text once."""

    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.items.setdefault(text, len(self.items) + 1)


def build_report(card: ScoreCard, ruleset: RuleSet, evaluation: Evaluation, lang: str | None,
                 reference: Reference | None = None, previous: ScoreCard | None = None,
                 previous_steps: Sequence[str] = ()) -> Report:
    """The report view of ``card`` (scored from ``evaluation`` with ``ruleset``)."""
    lang = lang or ruleset.languages[0]
    text = strings(lang)
    notes = _Notes()
    r = card.rounding
    fallback_note = notes.add(text["fallback"].format(lang=lang)) if any(
        lang not in c.labels.texts for c in ruleset.criteria()) or \
        lang not in ruleset.title.texts else 0
    translated = lang in ruleset.title.translated or any(
        lang in c.labels.translated for c in ruleset.criteria())
    if translated:
        notes.add(text["translated"].format(lang=lang))
    groups: dict[tuple[str, str], list[str]] = {}
    for c in ruleset.criteria():
        if c.assumed:
            what = ", ".join(sorted(c.assumed))
            groups.setdefault((what, " ".join((c.note or "").split())), []).append(c.key)
    assumed_note = {}
    for (what, why), keys in groups.items():
        n = notes.add(text["assumed"].format(what=what, keys=", ".join(keys))
                      + (f" {why}" if why else ""))
        for key in keys:
            assumed_note[key] = n
    if ruleset.assumed:
        notes.add(text["assumed_rules"].format(what=", ".join(sorted(ruleset.assumed))))
    if ruleset.sources:
        notes.add(text["sources"].format(sources="; ".join(
            s.title + (f" <{s.url}>" if s.url else "") for s in ruleset.sources)))
    if reference is not None:
        notes.add(text["reference_note"].format(what=reference.description)
                  + (" " + " ".join(f"<{u}>" for u in reference.sources)
                     if reference.sources else ""))
    if previous is not None and previous.path:
        when = previous.date.isoformat() if previous.date else "?"
        notes.add(text["previous_note"].format(when=when, source=previous.origin,
                                               target=card.ruleset,
                                               steps="; ".join(previous_steps)))
        if previous.uncalibrated:
            notes.add(text["uncalibrated"])

    def line(c: Criterion) -> Line:
        entry = card.entry(c.key)
        shown, used = c.labels.get(lang)
        status = {Provenance.UNSCORED: text["unscored"],
                  Provenance.PARTIAL: text["partial"]}.get(entry.provenance, "")
        marks = tuple(n for n in (assumed_note.get(c.key, 0),
                                  fallback_note if used != lang else 0) if n)
        return Line(c.key, shown, entry.score.show(r), plain(c.max), status, marks,
                    c.level.value)

    lines = {c.key: line(c) for c in ruleset.criteria()}
    areas = []
    for area in ruleset.areas:
        s = card[area.key]
        ref_value = reference.areas.get(area.key) if reference else None
        prev = previous[area.key].show(previous.rounding) if previous is not None and \
            area.key in previous else ""
        areas.append(AreaView(
            lines[area.key], _ratio(s.low, s.max), _ratio(s.high, s.max),
            r.show(ref_value) if ref_value is not None else "",
            _ratio(ref_value, area.max) if ref_value is not None else None, prev,
            evaluation.notes.get(area.key, AreaNotes()), evaluation.comments.get(area.key),
            tuple(lines[c.key] for c in area.walk() if c.key != area.key)))
    keys = [a.key for a in ruleset.areas]
    grid = [chart.polygon([ring] * len(keys)) for ring in chart.RINGS]
    low, high, band = _profile(card, keys)
    series: dict[str, Any] = {"this": {"low": chart.polygon(low), "band": band}}
    if reference is not None:
        series["reference"] = chart.polygon([_ratio(reference.areas[k], card[k].max)
                                             for k in keys])
    if previous is not None:
        low, high, band = _profile(previous, keys)
        series["previous"] = {"high": chart.polygon(high), "band": band}
    axes = chart.axes(keys)
    total = card.total
    m = card.municipality
    title = ruleset.title.get(lang)[0]
    return Report(
        lang=lang, text=text, title=title, ruleset=str(card.ruleset),
        weighting=str(card.weighting), municipality=m.name, code=m.code or "",
        country=m.country or "", date=card.date.isoformat() if card.date else "",
        evaluators=", ".join(evaluation.evaluators), total=total.show(r),
        total_max=plain(total.max),
        open_note="" if card.complete or card.migrated else text["open"].format(
            low=r.show(total.low), high=r.show(total.high)),
        areas=tuple(areas),
        overview=tuple(lines.values()),
        chart={"size": chart.SIZE, "centre": chart.CENTRE, "grid": grid, "axes": axes,
               "series": series},
        footnotes=tuple((n, t) for t, n in notes.items.items()),
        has_reference=reference is not None, has_previous=previous is not None)


def _profile(card: ScoreCard, keys: Sequence[str]) -> tuple[list[float], list[float], str]:
    """Each area's low and high as a share of its max, and the band between ("" when exact)."""
    low = [_ratio(card[k].low, card[k].max) for k in keys]
    high = [_ratio(card[k].high, card[k].max) for k in keys]
    return low, high, chart.band(low, high) if low != high else ""


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

