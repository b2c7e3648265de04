"""The evaluation report: a view of one score card, in the seed report's sections.

:func:`build_report` turns a card, its rule set and evaluation, a reference
and a previous evaluation into plain, pre-formatted values, section by
section in the order of SKL's own reports (title page and contents; what
Kommunkompassen is; the summary with its charts; one chapter per area; the
points overview; facts about the municipality; notes and sources). The
templates in ``kompass_core/report/templates`` only lay them out (see
:mod:`kompass_core.report.render`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from kompass_core.model.card import TOTAL, Score, ScoreCard, Step
from kompass_core.model.errors import KompassError
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.points import comma, exact
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.report import chart
from kompass_core.report.comparability import comparability, migrated_notes
from kompass_core.report.notes import Notes, previous_notes, reference_note, ruleset_notes
from kompass_core.report.reference import Gap, Reference
from kompass_core.report.sections import (
    AreaView,
    FactView,
    Line,
    Link,
    area_lines,
    area_view,
    change,
    conduct_lines,
    facts,
    hidden_word,
    max_text,
    method_sources,
    ratio,
    sources,
)
from kompass_core.report.standing import Standing
from kompass_core.report.text import strings

if TYPE_CHECKING:
    from kompass_core.model.migration import Migration
    from kompass_core.registry.registry import Registry

Entry = tuple[str, str, tuple[Any, ...]]
"""A line of the contents: the section's id, its heading, and the lines under it."""


@attrs.frozen
class Report:
    """A report, ready for a template: every section's values, in the report's language."""

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
    contents: tuple[Entry, ...] = ()
    method: str = ""
    method_lang: str = ""
    method_note: str = ""
    method_sources: tuple[Link, ...] = ()
    summary_heading: str = ""
    narrative: str = ""
    conduct: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    comparability: tuple[str, ...] = ()
    bars: dict[str, Any] = attrs.field(factory=dict)
    legend: dict[str, str] = attrs.field(factory=dict)
    reference_total: str = ""
    previous_total: str = ""
    total_change: str = ""
    facts: tuple[FactView, ...] = ()
    sources: tuple[Link, ...] = ()
    card_only: bool = False
    has_stars: bool = False
    total_worded: bool = False
    """``total`` is a word (insufficient coverage, withheld), so no "of max" follows it."""
    standing: str = ""
    """The rank among a cohort with its spread (``3 of 20; 2-5 under plausible weights``)."""


def build_report(card: ScoreCard, ruleset: RuleSet, evaluation: Evaluation | None,
                 lang: str | None, reference: Reference | Gap | None = None,
                 previous: ScoreCard | None = None,
                 previous_steps: Mapping[Step, Migration] | None = None, *,
                 registry: Registry | None = None, standing: Standing | None = None
                 ) -> Report:
    """The report view of ``card`` (scored from ``evaluation`` with ``ruleset``).

    ``evaluation`` is None for a card read on its own (what ``kompass
    migrate`` prints): the report then shows the scores and says the texts
    are in the original evaluation. ``reference`` is the reference average,
    or why there is none (see
    :func:`~kompass_core.report.reference.reference_gap`). ``previous`` is
    an earlier card already carried to ``card``'s rule set;
    ``previous_steps`` are the migrations of its path, so that the report
    words them (each step otherwise named with its calibration). ``lang``
    is a built-in language or one a plugin of ``registry`` supplies; any
    other is an InputError naming those there are. The comparability note
    takes the published bands between versions from ``registry``'s
    migrations. ``standing`` is the municipality's rank among a cohort with
    its spread under plausible weights, computed by the caller
    (:func:`kompass_core.robust_ranking`); the report words it and notes
    what it rests on.
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
    migrations = [m for m, _ in registry.migrations()] if registry else []
    migrated_notes(notes, card, migrations, words, c)
    if previous is not None:
        previous_notes(notes, previous, card.ruleset, previous_steps or {}, words, c)
    standing_line = ""
    if standing is not None:
        standing_line, said = standing.words(words, c)
        notes.add(said)
    lines = area_lines(card, ruleset, lang, words, marks, c)
    r, m, total = card.rounding, card.municipality, card.total
    scored = [card[a.key] for a in ruleset.areas if a.key in card]
    hidden = card.hidden_by(TOTAL)
    if total.exact and all(a.exact for a in scored) and sum(a.low for a in scored) == total.low \
            and not any(map(card.hidden_by, card.keys)):
        parts = sum(r.shown(a.low) for a in scored)
        if parts != r.shown(total.low):  # rounding, not the weighting, breaks the sum
            notes.add(words["rounded"].format(parts=r.show(parts, c), whole=total.show(r, c)))
    areas = tuple(area_view(card, area, evaluation, lines, reference.areas if reference else None,
                            previous, c) for area in ruleset.areas)
    overview = tuple(attrs.evolve(lines[k.key], reference=a.line.reference,
                                  previous=a.line.previous, change=a.line.change)
                     if k.key == a.line.key else lines[k.key]
                     for a, area in zip(areas, ruleset.areas, strict=True)
                     for k in area.walk())
    year = str(card.date.year) if card.date else ""
    method, method_lang = (ruleset.method.get(lang, ruleset.languages[0]) if ruleset.method
                           else ("", lang))
    conduct = evaluation.conduct if evaluation else None
    return Report(
        lang=lang, text=dict(words), title=ruleset.title.get(lang, ruleset.languages[0])[0],
        ruleset=str(card.ruleset),
        weighting=str(card.weighting), municipality=m.name, code=m.code or "",
        country=m.country or "", date=card.date.isoformat() if card.date else "",
        evaluators=", ".join(evaluation.evaluators) if evaluation else "",
        total=hidden_word(hidden, words) if hidden else total.show(r, c),
        total_worded=bool(hidden),
        total_max=max_text(total.max, c),
        open_note="" if card.complete or card.migrated or hidden else words["open"].format(
            low=r.show(total.low, c), high=r.show(total.high, c)),
        areas=areas, overview=overview,
        chart=_radar(card, ruleset, lang, reference, previous, c, words),
        footnotes=notes.numbered(), has_reference=reference is not None,
        has_previous=previous is not None,
        contents=_contents(areas, words),
        method=method, method_lang=method_lang, method_note=ruleset.method_note or "",
        method_sources=method_sources(ruleset),
        summary_heading=words["summary_heading"].format(municipality=m.name),
        narrative=evaluation.summary if evaluation else "",
        conduct=conduct_lines(evaluation, m.name, words, c),
        groups=conduct.groups if conduct else (), documents=conduct.documents if conduct else (),
        comparability=comparability(migrations, card.ruleset, words, c,
                                    _titles(registry, lang)),
        bars=_bars(areas), legend=_legend(m.name, year, reference, previous, words),
        reference_total=r.show(reference.total, c) if reference else "",
        previous_total=previous.total.show(previous.rounding, c)
        if previous and not previous.hidden_by(TOTAL) else "",
        total_change=change(total, previous.total, r, c)
        if previous and not previous.hidden_by(TOTAL) and not hidden else "",
        facts=facts(evaluation, words),
        sources=sources(ruleset, [Link(s, s) for s in (reference.sources if reference else ())]),
        card_only=evaluation is None, has_stars=bool(evaluation and evaluation.stars),
        standing=standing_line)


def _contents(areas: Sequence[AreaView], words: Mapping[str, str]) -> tuple[Entry, ...]:
    """The contents: each section's id and heading, the area chapters under theirs."""
    chapters = tuple((f"area-{a.line.key}", f"{words['area']} {a.line.key} {a.line.label}", ())
                     for a in areas)
    return (("method", words["method"], ()), ("summary", words["summary"], ()),
            ("areas", words["areas_heading"], chapters), ("overview", words["overview"], ()),
            ("facts", words["facts_heading"], ()), ("sources", words["sources_heading"], ()))


def _legend(name: str, year: str, reference: Reference | None, previous: ScoreCard | None,
            words: Mapping[str, str]) -> dict[str, str]:
    """What each line of the charts stands for: who, which cohort, which year."""
    legend = {"this": f"{name} {year}".strip()}
    if reference is not None:
        if reference.average is not None:
            name, published = reference.average
            cohort = [f"{name} {published}" if published is not None else name]
        else:
            cohort = list(reference.members)
        if len(cohort) > 5:
            cohort = [*cohort[:4], f"… ({len(cohort)})"]
        legend["reference"] = words["legend_reference"].format(cohort=", ".join(cohort))
    if previous is not None:
        legend["previous"] = words["legend_previous"].format(
            year=previous.date.year if previous.date else "?")
    return legend


def _radar(card: ScoreCard, ruleset: RuleSet, lang: str, reference: Reference | None,
           previous: ScoreCard | None, c: bool, words: Mapping[str, str]) -> dict[str, Any]:
    """The profile chart: a scale, one named axis per area, a polygon per series, values."""
    keys = [a.key for a in ruleset.areas]
    low, high = _profile(card, keys)
    series: dict[str, Any] = {
        "this": {"low": chart.polygon(low),
                 "band": chart.band(low, high) if low != high else ""}}
    if reference is not None:
        series["reference"] = chart.polygon([ratio(reference.areas[k], card[k].max)
                                             for k in keys])
    if previous is not None:
        before_low, before_high = _profile(previous, keys)
        series["previous"] = {"high": chart.polygon(before_high),
                              "band": chart.band(before_low, before_high)
                              if before_low != before_high else ""}
    maxima = {ruleset.criterion(k).max for k in keys}
    if len(maxima) == 1:  # one scale in points for every spoke
        (top,) = maxima
        rings = [max_text(exact(Fraction(ring).limit_denominator(100) * top), c)
                 for ring in chart.RINGS]
    else:  # spokes of different maxima: the scale is a share of each one's max
        rings = [f"{round(ring * 100)} %" for ring in chart.RINGS]
    names = [_short(ruleset, k, lang) for k in keys]
    scale = chart.rings(rings, len(keys))
    return {"width": chart.WIDTH, "height": chart.HEIGHT, "cx": chart.CX, "cy": chart.CY,
            "rings": scale,
            "grid": [ring.points for ring in scale], "axes": chart.axes(keys, names),
            "numbers": chart.values(low, [hidden_word(h, words) if (h := card.hidden_by(k))
                                          else card[k].show(card.rounding, c) for k in keys]),
            "series": series}


def _short(ruleset: RuleSet, key: str, lang: str) -> tuple[str, ...]:
    """An area's short name in ``lang`` on one or two lines, its key first."""
    label, _ = ruleset.criterion(key).labels.get(lang, ruleset.languages[0])
    first, *more = chart.short_name(label)
    return (f"{key} {first}", *more)


def _profile(card: ScoreCard, keys: Sequence[str]) -> tuple[list[float], list[float]]:
    """Each area's low and high as a share of its max (0 where not published)."""
    shown = [card[k] if not card.hidden_by(k) else Score(0, 0, 0) for k in keys]
    return [ratio(s.low, s.max) for s in shown], [ratio(s.high, s.max) for s in shown]


def _bars(areas: Sequence[AreaView]) -> dict[str, Any]:
    """The bar chart: one bar per area, the reference and the previous as markers."""
    rows = chart.bars([chart.bar_name(a.line.key, a.line.label) for a in areas],
                      [a.low for a in areas], [a.high for a in areas],
                      [a.reference_ratio for a in areas], [a.previous_ratio for a in areas],
                      [a.line.points for a in areas])
    return {"width": chart.BAR_WIDTH, "height": chart.BAR_ROW * len(rows) + 24,
            "left": chart.BAR_LEFT, "length": chart.BAR_LENGTH, "row": chart.BAR_ROW,
            "rows": rows, "ticks": [(round(chart.BAR_LEFT + chart.BAR_LENGTH * t, 2),
                                     f"{round(t * 100)} %") for t in (0, 0.5, 1)]}


def _titles(registry: Registry | None, lang: str) -> Callable[[RuleSetRef], str]:
    """A rule set's title in ``lang`` ("Kommunkompassen 1.0"), or its reference if unknown."""
    def title(ref: RuleSetRef) -> str:
        try:
            return registry.ruleset(ref).title.get(lang)[0] if registry else str(ref)
        except KompassError:  # not registered (or its plugin broken): say which it is
            return str(ref)
    return title
