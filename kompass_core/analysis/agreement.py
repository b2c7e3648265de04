"""How far a team's evaluators agree: per item, per area, and Krippendorff's alpha.

The items are the criteria of the finest level every file scored at
(question, sub-area or area), each evaluator's value the exact points their
score card gives it (None where it stays open). Alpha comes overall and per
area; the items with the widest spread come first in :meth:`Agreement.agenda`,
the agenda of the consensus meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from kompass_core.analysis.alpha import Alpha, compute
from kompass_core.analysis.team import Team
from kompass_core.model.consensus import METRICS
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.frozen import FrozenDict, freeze
from kompass_core.model.points import Points
from kompass_core.model.ruleset import Level

_ORDER = (Level.AREA, Level.SUBAREA, Level.QUESTION)


@attrs.frozen
class Item:
    """One criterion: each evaluator's points (None where not given), in team order."""

    key: str
    values: tuple[Points | None, ...]

    @property
    def given(self) -> list[Points]:
        """The points evaluators gave."""
        return [v for v in self.values if v is not None]

    @property
    def spread(self) -> Points | None:
        """Highest minus lowest points given, or None when fewer than two gave any."""
        given = self.given
        return max(given) - min(given) if len(given) >= 2 else None


@attrs.frozen
class Agreement:
    """A team's agreement: items at ``level``, area totals, and alpha overall and per area."""

    evaluators: tuple[str, ...]
    level: Level
    metric: str
    bootstrap: int
    seed: int
    items: tuple[Item, ...]
    areas: tuple[Item, ...]
    alpha: Alpha
    area_alpha: Mapping[str, Alpha] = attrs.field(factory=FrozenDict, converter=freeze)

    def agenda(self) -> list[Item]:
        """Items the evaluators scored differently, the widest spread first (then in
        rule-set order): what the consensus meeting must decide."""
        differ = [item for item in self.items if len(set(item.given)) > 1]
        return sorted(differ, key=lambda item: -(item.spread or 0))


def shared_level(team: Team) -> Level:
    """The finest level every file scored at (a file without points does not count)."""
    levels = []
    for member in team.members:
        scored = [team.ruleset.criterion(k).level for k in member.evaluation.points
                  if k in team.ruleset]
        if scored:
            levels.append(max(_ORDER.index(level) for level in scored))
    return _ORDER[min(levels)] if levels else Level.AREA


def agreement(team: Team, metric: str = "interval", bootstrap: int = 1000,
              seed: int = 0) -> Agreement:
    """The agreement of ``team`` under ``metric`` (``interval`` or ``ordinal``) with a
    ``bootstrap``-resample, ``seed``-ed 95 % interval for each alpha."""
    if metric not in METRICS:
        raise InputError(Problem(f"metric {metric!r}: choose one of {', '.join(METRICS)}"))
    if bootstrap < 0:
        raise InputError(Problem(f"bootstrap {bootstrap}: a number of resamples, 0 or more"))
    level = shared_level(team)
    deepest = _ORDER.index(level)
    keys = [c.key for c in team.ruleset.criteria()  # an area without sub-areas is its own item
            if c.level is level or (not c.children and _ORDER.index(c.level) < deepest)]
    items = tuple(_item(team, key) for key in keys)
    areas = tuple(_item(team, area.key) for area in team.ruleset.areas)

    def alpha_of(chosen: Sequence[Item]) -> Alpha:
        matrix = [[item.values[i] for item in chosen] for i in range(len(team.members))]
        return compute(matrix, metric, bootstrap, seed)

    by_area = {area.key: alpha_of([i for i in items if _area(i.key) == area.key])
               for area in team.ruleset.areas}
    return Agreement(team.evaluators, level, metric, bootstrap, seed, items, areas,
                     alpha_of(items), by_area)


def _area(key: str) -> str:
    return key.split(".", 1)[0]


def _item(team: Team, key: str) -> Item:
    values = []
    for member in team.members:
        score = member.card[key]
        values.append(score.low if score.exact else None)
    return Item(key, tuple(values))
