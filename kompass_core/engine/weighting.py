"""Weighting models: how children's points aggregate into their parent's.

A model only says how much each criterion weighs *relative to its
siblings*; the core turns those weights into factors so that every parent
keeps its own max (an area stays out of 100, the total out of 800):

    factor(c) = w(c) * max(parent) / sum(w(s) * max(s) for s in siblings)

Aggregation is then a non-negative linear sum, which is why bounds,
monotonicity and exact interval widening (the laws in docs/design.md) hold
for every model by construction. The plain Kommunkompass rule ("sum") gives
every criterion weight 1, so every factor is exactly 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Protocol, runtime_checkable

import attrs

from kompass_core.model.errors import InputError, Problem
from kompass_core.model.points import Points, exact
from kompass_core.model.ruleset import Criterion, Level, RuleSet


@runtime_checkable
class Weighting(Protocol):
    """A named weighting model, as plugins register them.

    ``weights`` returns relative weights per criterion key (a key left out
    weighs 1); it raises :class:`~kompass_core.model.errors.InputError` when the
    parameters do not fit the model or the rule set.
    """

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    def weights(self, ruleset: RuleSet, params: Mapping[str, Points]) -> Mapping[str, Points]: ...


@attrs.frozen
class SumWeighting:
    """The standard Kommunkompass rule: points add up, each area out of 100."""

    name: str = "sum"
    description: str = "points are summed; every criterion weighs 1 (the published rule)"

    def weights(self, ruleset: RuleSet, params: Mapping[str, Points]) -> Mapping[str, Points]:
        if params:
            raise InputError(f"weighting {self.name!r} takes no parameters, "
                             f"got {', '.join(sorted(params))}")
        return {}


@attrs.frozen
class KeyWeighting:
    """Relative weights given per criterion key, optionally only at one level.

    ``weighted`` takes any key (profiles use it, with weight 0 to leave a
    criterion out); ``weighted-areas`` and ``weighted-subareas`` accept
    keys of that level only, so a typo in a profile cannot silently weight
    the wrong thing.
    """

    name: str
    description: str
    level: Level | None = None

    def weights(self, ruleset: RuleSet, params: Mapping[str, Points]) -> Mapping[str, Points]:
        if self.level is not None:
            wrong = [Problem(f"{key!r} is not {_article(self.level)} of {ruleset.ref}",
                             keys=("weighting", "params", key))
                     for key in params
                     if key not in ruleset or ruleset.criterion(key).level is not self.level]
            if wrong:
                raise InputError(wrong)
        return params


def _article(level: Level) -> str:
    return {Level.AREA: "an area", Level.SUBAREA: "a sub-area",
            Level.QUESTION: "a question"}.get(level, "a criterion")


BUILTIN_WEIGHTINGS: tuple[Weighting, ...] = (
    SumWeighting(),
    KeyWeighting("weighted", "relative weights per criterion key (0 leaves one out)"),
    KeyWeighting("weighted-areas", "relative weights per area; below areas points add up",
                 Level.AREA),
    KeyWeighting("weighted-subareas", "relative weights per sub-area within each area",
                 Level.SUBAREA),
)


def factors(ruleset: RuleSet, weights: Mapping[str, Points]) -> dict[str, Points]:
    """The factor of every criterion key under ``weights`` (see module doc)."""
    problems = [Problem(f"weight for unknown criterion {key!r}", keys=("weighting", "params", key))
                for key in weights if key not in ruleset]
    problems += [Problem(f"weight {w} is negative", keys=("weighting", "params", key))
                 for key, w in weights.items() if w < 0]
    if problems:
        raise InputError(problems)
    out: dict[str, Points] = {}

    def spread(parent_key: str, parent_max: Points, children: tuple[Criterion, ...]) -> None:
        if not children:
            return
        denominator = sum((weights.get(c.key, 1) * c.max for c in children), start=0)
        if denominator == 0:
            raise InputError(Problem("every child weighs 0, so nothing can be scored",
                                     keys=("weighting", parent_key)))
        for c in children:
            w = weights.get(c.key, 1)
            out[c.key] = exact(Fraction(w * parent_max) / denominator) if w != 1 or \
                denominator != parent_max else 1
            spread(c.key, c.max, c.children)

    spread("total", ruleset.max, ruleset.areas)
    return out
