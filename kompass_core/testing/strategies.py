"""Hypothesis strategies: random rule sets and evaluations that fit them."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache

import attrs
from hypothesis import strategies as st

from kompass_core import (
    AreaNotes,
    Criterion,
    Evaluation,
    Labels,
    Level,
    Municipality,
    Points,
    RuleSet,
    RuleSetRef,
    WeightingSpec,
)
from kompass_core.engine.plan import Plan
from kompass_core.engine.scoring import score_with
from kompass_core.engine.weighting import SumWeighting
from kompass_core.model.card import ScoreCard
from kompass_core.model.migration import AreaMapping
from kompass_core.model.narrative import CONTROL, Conduct, Fact, Star
from kompass_core.model.points import exact

maxima = st.one_of(st.integers(1, 30),
                   st.builds(lambda n, d: exact(Fraction(n, d)), st.integers(1, 60),
                             st.sampled_from([2, 4, 5, 10])))


_child_counts = st.integers(0, 3)


def _criterion(draw: st.DrawFn, key: str, level: Level) -> Criterion:
    """Draw a criterion and its children with ``draw`` (no strategy object per node)."""
    child_level = level.child
    n = draw(_child_counts) if child_level is not None else 0
    children = tuple(_criterion(draw, f"{key}.{i}", child_level) for i in range(1, n + 1)) \
        if child_level is not None else ()
    top = sum((c.max for c in children), start=0) if children else draw(maxima)
    return Criterion(key, level, Labels({"en": f"Criterion {key}"}), top, children)


@st.composite
def criteria(draw: st.DrawFn, key: str, level: Level) -> Criterion:
    """A criterion ``key`` of ``level``: 0-3 children per level below, random maxima."""
    return _criterion(draw, key, level)


@st.composite
def rulesets(draw: st.DrawFn) -> RuleSet:
    n = draw(st.integers(1, 4))
    areas = tuple(_criterion(draw, str(i), Level.AREA) for i in range(1, n + 1))
    return RuleSet(ref=RuleSetRef("kk-test", "1.0"), title=Labels({"en": "Test"}),
                   organisation="Test", country="SE", areas=areas)


def leaves(ruleset: RuleSet) -> list[Criterion]:
    return [c for c in ruleset.criteria() if not c.children]


@lru_cache(maxsize=1024)
def points_in(maximum: Points) -> st.SearchStrategy[Points]:
    """Whole or half points from 0 to ``maximum``.

    Cached per maximum: building (and validating) a fresh strategy for each
    leaf of each example cost more than drawing from it. Both ranges end at
    or below ``maximum`` (``int`` rounds down), so no filter is needed.
    """
    whole = st.integers(0, int(maximum))
    half = st.integers(0, int(maximum * 2)).map(lambda n: exact(Fraction(n, 2)))
    return st.one_of(whole, half)


@lru_cache(maxsize=1024)
def increases(maximum: Points) -> st.SearchStrategy[tuple[Points, Points]]:
    """Points ``(before, after)`` with ``0 <= before < after <= maximum``: a strict raise."""
    values = st.one_of(points_in(maximum), st.just(maximum))
    return st.lists(values, min_size=2, max_size=2, unique=True).map(
        lambda pair: (min(pair), max(pair)))


@st.composite
def truths(draw: st.DrawFn, ruleset: RuleSet) -> dict[str, Points]:
    """Points for every leaf: a complete, consistent evaluation."""
    return {c.key: draw(points_in(c.max)) for c in leaves(ruleset)}


def aggregate(ruleset: RuleSet, truth: Mapping[str, Points],
              factor: Mapping[str, Points] | None = None) -> dict[str, Points]:
    """Every criterion's points implied by leaf points (independent of the engine)."""
    out: dict[str, Points] = {}

    def visit(c: Criterion) -> Points:
        if not c.children:
            value = truth[c.key]
        else:
            value = sum(((factor or {}).get(ch.key, 1) * visit(ch) for ch in c.children),
                        start=0)
        out[c.key] = exact(Fraction(value))
        return value

    for area in ruleset.areas:
        visit(area)
    return out


def evaluation(ruleset: RuleSet, points: Mapping[str, Points]) -> Evaluation:
    return Evaluation(ruleset.ref, Municipality("Testby", "0000", "SE"), None, (), points)


@st.composite
def scenarios(draw: st.DrawFn, any_level: bool = False
              ) -> tuple[RuleSet, dict[str, Points], dict[str, Points]]:
    """A rule set, the full truth at every level, and the subset an evaluator gave.

    With ``any_level`` the given subset may include sub-areas and areas
    (consistent with the truth); otherwise only leaves are given.
    """
    ruleset = draw(rulesets())
    full = aggregate(ruleset, draw(truths(ruleset)))
    pool = sorted(full) if any_level else [c.key for c in leaves(ruleset)]
    chosen = draw(st.sets(st.sampled_from(pool))) if pool else set()
    return ruleset, full, {k: full[k] for k in sorted(chosen)}


def plan_for(ruleset: RuleSet) -> Plan:
    return Plan.build(ruleset, SumWeighting(), WeightingSpec())


@st.composite
def area_rulesets(draw: st.DrawFn, ref: RuleSetRef, n: int | None = None) -> RuleSet:
    """A rule set of ``n`` (1-6) areas with random maxima, some with sub-areas."""
    count = n if n is not None else draw(st.integers(1, 6))
    areas = tuple(_criterion(draw, str(i), Level.AREA) for i in range(1, count + 1))
    return RuleSet(ref=ref, title=Labels({"en": str(ref)}), organisation="Test",
                   country="SE", areas=areas)


_mix_weights = st.integers(1, 4)
_offsets = st.one_of(st.none(), st.tuples(st.integers(-40, 40), st.integers(0, 30))
                     .map(lambda p: (p[0], p[0] + p[1])))


@st.composite
def area_mappings(draw: st.DrawFn, source: RuleSet, target: RuleSet,
                  invertible: bool = False) -> AreaMapping:
    """A valid migration from ``source`` to ``target`` (a permutation if invertible)."""
    keys = [a.key for a in source.areas]
    areas: dict[str, dict[str, Points]]
    if invertible:
        order = draw(st.permutations(keys))
        areas = {t.key: {s: 1} for t, s in zip(target.areas, order, strict=True)}
    else:
        areas = {}
        for t in target.areas:
            chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
            weights = [draw(_mix_weights) for _ in chosen]
            areas[t.key] = {s: exact(Fraction(w, sum(weights)))
                            for s, w in zip(chosen, weights, strict=True)}
    offset = draw(_offsets)
    return AreaMapping(source.ref, target.ref, areas, offset, invertible)


@st.composite
def cards_for(draw: st.DrawFn, ruleset: RuleSet) -> ScoreCard:
    """A random card of ``ruleset``, scored from random leaf and parent points."""
    full = aggregate(ruleset, draw(truths(ruleset)))
    chosen = draw(st.sets(st.sampled_from(sorted(full))))
    return score_with(evaluation(ruleset, {k: full[k] for k in chosen}), ruleset,
                      SumWeighting())


texts = st.text(min_size=1, max_size=20)
text_lists = st.lists(texts, max_size=3).map(tuple)
area_notes = st.builds(AreaNotes, text_lists, text_lists, text_lists, text_lists).filter(bool)


@st.composite
def evaluations_for(draw: st.DrawFn, ruleset: RuleSet) -> Evaluation:
    """A random evaluation of ``ruleset``: points at any level, consistent, maybe partial.

    Date, evaluators, area notes, comments and what evaluators write beside
    the points are random too, so that the serialisation law sees every
    field an evaluation file can fill.
    """
    full = aggregate(ruleset, draw(truths(ruleset)))
    chosen = draw(st.sets(st.sampled_from(sorted(full))))
    return with_narrative(ruleset, attrs.evolve(
        evaluation(ruleset, {k: full[k] for k in sorted(chosen)}),
        date=draw(st.none() | st.dates()), evaluators=draw(text_lists),
        notes=draw(st.dictionaries(st.sampled_from([a.key for a in ruleset.areas]), area_notes,
                                   max_size=2)),
        comments=draw(st.dictionaries(st.sampled_from(sorted(full)), texts, max_size=3))),
        draw)


_prose_chars = st.characters(codec="utf-8",
                             blacklist_characters=[c for c in map(chr, range(0x80))
                                                   if CONTROL.match(c)])
prose_texts = st.text(_prose_chars, min_size=1, max_size=120).filter(str.strip)
"""Long texts a file may hold: paragraphs (``\\n``) but no other control character."""
line_texts = st.text(st.characters(codec="utf-8", blacklist_characters=[
    c for c in map(chr, range(0x80)) if CONTROL.match(c) or c == "\n"]),
    min_size=1, max_size=30).filter(str.strip)
"""Short one-line texts a file may hold (list items, groups, a fact's fields)."""
line_lists = st.lists(line_texts, max_size=3).map(tuple)


def with_narrative(ruleset: RuleSet, ev: Evaluation, draw: st.DrawFn) -> Evaluation:
    """``ev`` with a random summary, conduct, facts and gold stars drawn with ``draw``; the
    stars on criteria of ``ruleset``, in the order a file lists them."""
    keys = [c.key for c in ruleset.criteria()]
    marked = draw(st.dictionaries(st.sampled_from(keys),
                                  st.tuples(st.booleans(), line_lists), max_size=3))
    stars = [star for key in keys if key in marked
             for star in ([Star(key)] if marked[key][0] else [])
             + [Star(key, p) for p in marked[key][1]]]
    return attrs.evolve(
        ev, summary=draw(st.just("") | prose_texts),
        conduct=Conduct(draw(st.none() | st.booleans()), draw(st.none() | st.integers(0, 99)),
                        draw(line_lists), draw(line_lists)),
        facts=draw(st.lists(st.builds(Fact, line_texts, line_texts, st.none() | line_texts,
                                      st.none() | st.integers(1000, 9999)), max_size=3)),
        stars=stars)


@st.composite
def file_evaluations_for(draw: st.DrawFn, ruleset: RuleSet) -> Evaluation:
    """A random evaluation of ``ruleset`` that an evaluation file can hold exactly: whole
    points, long texts as comments, one-line notes, and what evaluators write beside."""
    full = aggregate(ruleset, draw(truths(ruleset)))
    chosen = draw(st.sets(st.sampled_from(sorted(full))))
    notes = st.builds(AreaNotes, line_lists, line_lists, line_lists, line_lists).filter(bool)
    return with_narrative(ruleset, attrs.evolve(
        evaluation(ruleset, {k: full[k] for k in sorted(chosen) if type(full[k]) is int}),
        evaluators=draw(line_lists),
        notes=draw(st.dictionaries(st.sampled_from([a.key for a in ruleset.areas]), notes,
                                   max_size=2)),
        comments=draw(st.dictionaries(st.sampled_from(sorted(full)), prose_texts, max_size=3))),
        draw)


@lru_cache(maxsize=1024)
def _four_points(maximum: Points) -> st.SearchStrategy[list[Points]]:
    return st.lists(points_in(maximum), min_size=4, max_size=4)


@st.composite
def ordered_area_cards(draw: st.DrawFn, ruleset: RuleSet, plan: Plan
                       ) -> tuple[ScoreCard, ScoreCard]:
    """Two area-level cards Y <= X, bound by bound, area by area."""
    from kompass_core.engine.migration_graph import card_from_areas

    low: dict[str, tuple[Points, Points]] = {}
    high: dict[str, tuple[Points, Points]] = {}
    for area in ruleset.areas:
        values = sorted(draw(_four_points(area.max)))
        low[area.key] = (values[0], values[2])
        high[area.key] = (values[1], values[3])
    return card_from_areas(ruleset, plan, low, None), card_from_areas(ruleset, plan, high, None)
