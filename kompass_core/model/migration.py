"""Migrations: carrying a score card from one rule set to another.

A migration maps the areas of one rule set onto the areas of another.
Scores move in *ratio space* (points / max): each target area's ratio is a
weighted mix of source-area ratios (shares summing to 1), plus a
calibration offset where a source publishes one (e.g. "add 80 to 100
points to a 2.0 total to approximate 1.0"), spread over the target areas in
proportion to their max. Every step is monotone and works on exact
intervals, so uncertainty is carried, never hidden.

Bounds: results are clipped to ``[0, max]``, and an input that touches a
bound (a possibly clipped value) extends the result to the same bound, so
that a round trip A -> B -> A always contains the original (law 5).

A migration without a published calibration is *uncalibrated*: it maps the
structure only, and every card it produces carries that flag.

Points below areas are unknown (0..max) after a migration, except where a
step provably changes nothing (:meth:`AreaMapping.carries`): one to one
with share 1, calibrated by exactly 0, and below every mapped pair of areas
the same criteria (keys, levels, maxima, nesting), with the same area max.
Such a step is the identity on every value, so points below areas are
carried exactly; it is detected from the data, never declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from math import lcm
from typing import Protocol, runtime_checkable

import attrs

from kompass_core.model.errors import Problem
from kompass_core.model.frozen import FrozenDict, freeze
from kompass_core.model.points import Points, exact, plain
from kompass_core.model.refs import RuleSetRef, as_ref
from kompass_core.model.ruleset import Criterion, Level, RuleSet, Source, _frozen

Interval = tuple[Points, Points]
"""An exact closed interval ``(low, high)`` of points."""


@runtime_checkable
class Migration(Protocol):
    """What the core needs of a migration; :class:`AreaMapping` is the data one.

    A plugin may register a coded migration (any object with these members)
    where data cannot say it; the same laws are tested for it.
    """

    @property
    def source(self) -> RuleSetRef: ...

    @property
    def target(self) -> RuleSetRef: ...

    @property
    def calibrated(self) -> bool: ...

    @property
    def invertible(self) -> bool: ...

    def apply(self, areas: Mapping[str, Interval], source: RuleSet, target: RuleSet
              ) -> dict[str, Interval]:
        """Target-area intervals from source-area intervals."""
        ...

    def inverse(self) -> Migration:
        """The migration back (only called when ``invertible``)."""
        ...

    def check(self, source: RuleSet, target: RuleSet) -> list[Problem]:
        """Problems with this migration against its two rule sets."""
        ...


def _whole(value: Points) -> Points:
    """An integral Fraction as int (cheaper than exact(), which also validates)."""
    return value.numerator if type(value) is Fraction and value.denominator == 1 else value


def plain_signed(value: Points) -> str:
    """``+80`` / ``-12.5``: a signed exact number for people."""
    return ("+" if value >= 0 else "") + plain(value)


def step_name(m: Migration) -> str:
    """``kk-se@2.0 -> kk-se@1.0``: how a step is named in paths and messages."""
    return f"{m.source} -> {m.target}"


def _frozen_mix(value: Mapping[str, Mapping[str, Points]]
                ) -> FrozenDict[str, FrozenDict[str, Points]]:
    return FrozenDict({t: freeze(mix) for t, mix in value.items()})


def _source_ref(value: RuleSetRef | str) -> RuleSetRef:
    return as_ref(value, "source")


def _target_ref(value: RuleSetRef | str) -> RuleSetRef:
    return as_ref(value, "target")


def _shape(criterion: Criterion) -> tuple[object, ...]:
    """What scoring sees of the criteria below ``criterion``: keys, levels, maxima, nesting."""
    return tuple((c.key, c.level, c.max, _shape(c)) for c in criterion.children)


@attrs.frozen
class _Row:
    """One target area of a compiled mapping (see AreaMapping._rows)."""

    key: str
    max: Points
    terms: list[tuple[str, Points, Points]]
    add_low: Points
    add_high: Points


@attrs.frozen
class AreaMapping:
    """A migration declared as data: area shares and an optional calibration.

    ``areas`` maps every target area key to ``{source area key: share}``
    with shares above 0 that sum to 1. ``offset`` is the calibration on the
    total, in target points, as an interval; None means uncalibrated.
    ``reverse`` marks the derived inverse of a declared migration.
    """

    source: RuleSetRef = attrs.field(converter=_source_ref)
    target: RuleSetRef = attrs.field(converter=_target_ref)
    areas: Mapping[str, Mapping[str, Points]] = attrs.field(converter=_frozen_mix)
    offset: Interval | None = None
    invertible: bool = False
    note: str | None = None
    sources: tuple[Source, ...] = ()
    assumed: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    reverse: bool = False
    _compiled: dict[tuple[RuleSetRef, RuleSetRef], tuple[RuleSet, RuleSet, list[_Row]]] = (
        attrs.field(init=False, eq=False, repr=False, factory=dict))
    _carries: dict[tuple[RuleSetRef, RuleSetRef], tuple[RuleSet, RuleSet, bool]] = (
        attrs.field(init=False, eq=False, repr=False, factory=dict))

    @property
    def calibrated(self) -> bool:
        return self.offset is not None

    def carries(self, source: RuleSet, target: RuleSet) -> bool:
        """Whether this step is the identity on every value, points below areas included.

        True when each target area comes from one source area with share 1,
        the calibration is exactly 0, every source area is used, and each
        mapped pair of areas has the same max and the same criteria below
        (keys, levels, maxima, nesting). Then :meth:`apply` returns its input
        and points below areas can be carried unchanged (same key, same max).
        Decided once per pair of rule-set objects.
        """
        key = (source.ref, target.ref)
        found = self._carries.get(key)
        if found is None or found[0] is not source or found[1] is not target:
            found = self._carries[key] = (source, target, self._identical(source, target))
        return found[2]

    def _identical(self, source: RuleSet, target: RuleSet) -> bool:
        if self.offset is None or self.offset != (0, 0) or self.check(source, target):
            return False
        used = [s for mix in self.areas.values() for s in mix]
        if any(len(mix) != 1 for mix in self.areas.values()) or \
                sorted(used) != sorted(a.key for a in source.areas):
            return False
        for area in target.areas:
            (s, share), = self.areas[area.key].items()
            other = source.criterion(s)
            if share != 1 or other.max != area.max or _shape(other) != _shape(area):
                return False
        return True

    def _ratio_offset(self, source: RuleSet, target: RuleSet) -> tuple[Fraction, Fraction]:
        if self.offset is None:
            return Fraction(0), Fraction(0)
        low, high = self.offset
        if self.reverse:  # the declared offset was in points of this step's source total
            return Fraction(-high) / source.max, Fraction(-low) / source.max
        return Fraction(low) / target.max, Fraction(high) / target.max

    def _rows(self, source: RuleSet, target: RuleSet) -> list[_Row]:
        """Per target area: its max, (source key, scale, source max) terms, offsets.

        Compiled once per pair of rule-set objects: another rule set of the
        same reference (a test's, an edited file's) may have other maxima.
        """
        key = (source.ref, target.ref)
        found = self._compiled.get(key)
        if found is None or found[0] is not source or found[1] is not target:
            add_low, add_high = self._ratio_offset(source, target)
            rows = []
            for area in target.areas:
                terms = [(s, exact(Fraction(w) * area.max / source.criterion(s).max),
                          source.criterion(s).max) for s, w in self.areas[area.key].items()]
                rows.append(_Row(area.key, area.max, terms, exact(add_low * area.max),
                                 exact(add_high * area.max)))
            found = self._compiled[key] = (source, target, rows)
        return found[2]

    def apply(self, areas: Mapping[str, Interval], source: RuleSet, target: RuleSet
              ) -> dict[str, Interval]:
        out: dict[str, Interval] = {}
        for row in self._rows(source, target):
            low: Points = row.add_low
            high: Points = row.add_high
            floor = ceiling = True
            for s, scale, smax in row.terms:
                s_low, s_high = areas[s]
                low += scale * s_low
                high += scale * s_high
                floor = floor and s_low == 0
                ceiling = ceiling and s_high == smax
            low = 0 if floor else min(max(low, 0), row.max)
            high = row.max if ceiling else min(max(high, 0), row.max)
            out[row.key] = (_whole(low), _whole(high))
        return out

    def denominator(self, source: RuleSet, target: RuleSet, inputs: int = 1) -> int:
        """A common denominator of every output of :meth:`apply` on inputs over ``inputs``.

        Known when the mapping is compiled, so that a compiled path can add
        its results as integers instead of fractions.
        """
        out = 1
        for row in self._rows(source, target):
            out = lcm(out, row.max.denominator, row.add_low.denominator,
                      row.add_high.denominator,
                      *(inputs * scale.denominator for _s, scale, _m in row.terms))
        return out

    def describe(self) -> str:
        """The calibration in words, as it applies in this direction."""
        if self.offset is None:
            return "uncalibrated"
        low, high = (-self.offset[1], -self.offset[0]) if self.reverse else self.offset
        if low == high == 0:
            return "scores carry over unchanged"
        return f"total {plain_signed(low)} to {plain_signed(high)} points"

    def inverse(self) -> AreaMapping:
        back: dict[str, dict[str, Points]] = {}
        for t, mix in self.areas.items():
            for s in mix:
                back[s] = {t: 1}
        return attrs.evolve(self, source=self.target, target=self.source, areas=back,
                            reverse=not self.reverse)

    def check(self, source: RuleSet, target: RuleSet) -> list[Problem]:
        problems = []
        source_areas = {c.key for c in source.criteria() if c.level is Level.AREA}
        target_areas = [a.key for a in target.areas]
        for key in target_areas:
            if key not in self.areas:
                problems.append(Problem(f"target area {key} of {target.ref} is not mapped",
                                        keys=("areas",)))
        for key, mix in self.areas.items():
            if key not in target_areas:
                problems.append(Problem(f"no area {key!r} in {target.ref}", keys=("areas", key)))
            for s, share in mix.items():
                if s not in source_areas:
                    problems.append(Problem(f"no area {s!r} in {source.ref}",
                                            keys=("areas", key, s)))
                if share <= 0:
                    problems.append(Problem(f"share {share} must be above 0",
                                            keys=("areas", key, s)))
            total = sum(mix.values(), start=0)
            if mix and total != 1:
                problems.append(Problem(f"shares add up to {plain(total)}, not 1",
                                        keys=("areas", key)))
        if self.invertible:
            used = [s for mix in self.areas.values() for s in mix]
            if any(len(mix) != 1 for mix in self.areas.values()) or \
                    sorted(used) != sorted(source_areas):
                problems.append(Problem("an invertible migration must map each source area to "
                                        "exactly one target area with share 1",
                                        keys=("invertible",)))
        if self.offset is not None and self.offset[0] > self.offset[1]:
            problems.append(Problem(f"calibration low {self.offset[0]} is above high "
                                    f"{self.offset[1]}", keys=("calibration", "total")))
        return problems
