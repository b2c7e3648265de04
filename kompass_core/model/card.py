"""The score card: exact intervals per criterion, and how a card came to be.

A card is a value: it holds its keys, levels and maxima so that it can be
read, compared and serialised without the rule set it was scored under.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from kompass_core.model.dates import PartialDate, as_partial_date
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, Rounding
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level, WeightingSpec

WHOLE_POINTS = Rounding()
TOTAL = "total"
"""The key of the total in a score card."""


def _check_interval(inst: Score, _attr: Any, _value: Any) -> None:
    if not 0 <= inst.low <= inst.high <= inst.max:
        raise ValueError(f"not 0 <= {inst.low} <= {inst.high} <= {inst.max}")


@attrs.frozen
class Score:
    """An exact closed interval of points, ``0 <= low <= high <= max``."""

    low: Points
    high: Points
    max: Points = attrs.field(validator=_check_interval)

    @property
    def exact(self) -> bool:
        """True when the score is known to the point (``low == high``)."""
        return self.low == self.high

    @property
    def width(self) -> Points:
        """How many points are still open."""
        return self.high - self.low

    def show(self, rounding: Rounding = WHOLE_POINTS, comma: bool = False) -> str:
        """``"499"``, ``"9.5"`` or ``"470-520"``, by the display rule of ``rounding``.

        ``comma`` writes a decimal comma (see :meth:`Rounding.show`).
        """
        low, high = rounding.show(self.low, comma), rounding.show(self.high, comma)
        return low if low == high and self.exact else f"{low}-{high}"


class Provenance(enum.Enum):
    """Where a score came from."""

    GIVEN = "given"  # the evaluation gives points here
    COMPUTED = "computed"  # aggregated from fully scored children
    PARTIAL = "partial"  # aggregated, but something below is unscored
    UNSCORED = "unscored"  # nothing given at or below this criterion
    MIGRATED = "migrated"  # carried over from another rule set by a migration
    NOT_APPLICABLE = "not-applicable"  # removed from the maximum: the item does not apply


HIDDEN = ("not-applicable", "withheld", "insufficient-coverage")
"""Why a card's line shows no number (:meth:`ScoreCard.hidden_by`)."""


@attrs.frozen
class Entry:
    """One line of a score card."""

    key: str
    level: Level
    score: Score
    provenance: Provenance


@attrs.frozen(order=True)
class Step:
    """One migration step a card was carried along: from one rule set to another.

    Shown as ``kk-se@2.0 -> kk-se@1.0``, which is also how score-card JSON
    writes it.
    """

    source: RuleSetRef
    target: RuleSetRef

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"

    @classmethod
    def parse(cls, text: str) -> Step:
        """The step written as ``SOURCE -> TARGET``; ValueError if it is not one."""
        source, sep, target = text.partition(" -> ")
        if not sep:
            raise ValueError(f"not a migration step 'SOURCE -> TARGET': {text!r}")
        return cls(RuleSetRef.parse(source.strip()), RuleSetRef.parse(target.strip()))


@attrs.frozen
class ScoreCard:
    """The result of scoring one evaluation: a Score per criterion and the total.

    The card is self-contained (keys, levels and maxima travel with it), so
    it serialises losslessly and can be read without the rule set.
    ``withheld`` are the keys whose points (and those below them) are
    counted but not published; ``coverage`` is the rule set's coverage rule
    (the share of an area's or the total's maximum that must be assessed for
    it to be shown), None when it has none.
    """

    ruleset: RuleSetRef
    weighting: WeightingSpec
    municipality: Municipality
    date: PartialDate | None = attrs.field(converter=as_partial_date)
    rounding: Rounding
    keys: tuple[str, ...]
    levels: tuple[Level, ...]
    maxes: tuple[Points, ...]
    lows: tuple[Points, ...]
    highs: tuple[Points, ...]
    provenance: tuple[Provenance, ...]
    path: tuple[Step, ...] = ()
    uncalibrated: tuple[Step, ...] = ()
    withheld: frozenset[str] = frozenset()
    coverage: Fraction | None = None

    @property
    def migrated(self) -> bool:
        """True when this card was carried over from another rule set."""
        return bool(self.path)

    @property
    def origin(self) -> RuleSetRef:
        """The rule set the card was first scored under (its own unless migrated)."""
        return self.path[0].source if self.path else self.ruleset

    def __getitem__(self, key: str) -> Score:
        return self._score(self._index(key))

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    @property
    def total(self) -> Score:
        """The total score (index 0 of every card)."""
        return self._score(0)

    @property
    def complete(self) -> bool:
        """True when the total is exact: every point is accounted for."""
        return self.lows[0] == self.highs[0]

    def entries(self, level: Level | None = None) -> Iterator[Entry]:
        """Every line of the card (total first, then parents before children)."""
        for i, key in enumerate(self.keys):
            if level is None or self.levels[i] is level:
                yield Entry(key, self.levels[i], self._score(i), self.provenance[i])

    def entry(self, key: str) -> Entry:
        """The line for ``key``; KeyError if the card has none."""
        i = self._index(key)
        return Entry(key, self.levels[i], self._score(i), self.provenance[i])

    @property
    def hides(self) -> bool:
        """True when some line may not be published as a number (see :meth:`hidden_by`)."""
        return bool(self.withheld) or self.coverage is not None or \
            Provenance.NOT_APPLICABLE in self.provenance

    def hidden_by(self, key: str) -> str | None:
        """Why ``key``'s points are not to be published (one of :data:`HIDDEN`), or None.

        Not applicable first; then withheld, at the key or above it (the
        parts of a withheld whole would give it away); then an area or the
        total assessed on less than the coverage share of its maximum.
        """
        i = self._index(key)
        if self.provenance[i] is Provenance.NOT_APPLICABLE:
            return "not-applicable"
        if self.withheld and any(k in (key, TOTAL) or key.startswith(k + ".")
                                 for k in self.withheld):
            return "withheld"
        if self.coverage is not None and self.levels[i] in (Level.TOTAL, Level.AREA) and \
                self.maxes[i] and \
                Fraction(self.maxes[i] - self.highs[i] + self.lows[i], self.maxes[i]) \
                < self.coverage:
            return "insufficient-coverage"
        return None

    def _index(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            raise KeyError(key) from None

    def _score(self, i: int) -> Score:
        return Score(self.lows[i], self.highs[i], self.maxes[i])
