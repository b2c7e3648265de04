"""The rule set: a versioned tree of criteria with maxima, labels and sources.

One class, :class:`Criterion`, stands for an area, a sub-area or a question
(its ``level`` says which): scoring, weighting and migration then work the
same at every depth, and a rule set that stops at sub-areas (as every
published one does) needs no empty question lists.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from kompass_core.model.frozen import FrozenDict, freeze
from kompass_core.model.points import Points, Rounding
from kompass_core.model.refs import RuleSetRef, as_ref

T = TypeVar("T")


class Level(enum.Enum):
    """Depth of a criterion in the tree (the total sits above the areas)."""

    TOTAL = "total"
    AREA = "area"
    SUBAREA = "subarea"
    QUESTION = "question"

    @property
    def child(self) -> Level | None:
        """The level below this one, or None for questions."""
        order = list(Level)
        i = order.index(self)
        return order[i + 1] if i + 1 < len(order) else None


ASSUMABLE = ("exists", "label", "max", "key")
"""Facts about a criterion that a rule set may mark as assumptions."""

RULESET_ASSUMABLE = ("rounding", "weighting", "structure")
"""Facts about a whole rule set that it may mark as assumptions."""


def _frozen(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen
class Labels:
    """A text in several languages.

    ``translated`` lists the languages whose text is our own translation
    rather than taken from a source, so that reports can mark it.
    """

    texts: Mapping[str, str] = attrs.field(converter=freeze)
    translated: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)

    def get(self, lang: str, fallback: str = "en") -> tuple[str, str]:
        """The text in ``lang`` (else ``fallback``, else the first), with the language used."""
        for candidate in (lang, fallback):
            if candidate in self.texts:
                return self.texts[candidate], candidate
        first = next(iter(self.texts))
        return self.texts[first], first


@attrs.frozen
class Source:
    """A public source a rule set cites."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None


@attrs.frozen
class Criterion:
    """An area, sub-area or question: a key such as ``3.2``, a max and a label.

    ``assumed`` names the facts about it that no source states (see
    :data:`ASSUMABLE`); ``note`` says why they were assumed and how.
    """

    key: str
    level: Level
    labels: Labels
    max: Points
    children: tuple[Criterion, ...] = ()
    assumed: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    note: str | None = None
    sources: tuple[str, ...] = ()

    def walk(self) -> Iterator[Criterion]:
        """This criterion and everything below it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class WeightingSpec:
    """Which weighting model a rule set uses, with its parameters.

    ``params`` maps criterion keys to relative weights among siblings;
    the model decides how to read them (see :mod:`kompass_core.engine.weighting`).
    """

    name: str = "sum"
    params: Mapping[str, Points] = attrs.field(factory=FrozenDict, converter=freeze)

    def __str__(self) -> str:
        if not self.params:
            return self.name
        inner = ",".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({inner})"


NOT_APPLICABLE_RULES = ("forbidden", "shrink", "rescale")
"""What a rule set lets a not-applicable item do (:class:`MissingRule`)."""


def _check_missing(inst: MissingRule, _attr: Any, _value: Any) -> None:
    if inst.not_applicable not in NOT_APPLICABLE_RULES:
        raise ValueError(f"not_applicable must be one of {', '.join(NOT_APPLICABLE_RULES)}")
    if inst.coverage is not None and not 0 <= inst.coverage <= 1:
        raise ValueError(f"coverage {inst.coverage} is outside 0..1")


@attrs.frozen
class MissingRule:
    """A rule set's ``[missing]`` table: what typed missing values may do.

    ``not_applicable``: ``"forbidden"`` (the default: no published source
    lets a Kommunkompass item be left out), ``"shrink"`` (a not-applicable
    item's max leaves its parent's, and so the total's, max) or
    ``"rescale"`` (the parent keeps its max and its points are scaled by
    ``max / (max - removed)``). ``coverage``: the share of an area's (and
    the total's) maximum that must be assessed for it to be shown, or None.
    """

    not_applicable: str = "forbidden"
    coverage: Fraction | None = attrs.field(default=None, validator=_check_missing)


def _ref(value: RuleSetRef | str) -> RuleSetRef:
    return as_ref(value, "ref")


@attrs.frozen
class RuleSet:
    """A complete, validated rule set. Build it with :func:`kompass_core.load_ruleset`.

    ``method`` is what the method is, per language (paragraphs separated by
    blank lines), for a report's first section; ``method_sources`` the ids
    of the sources it rests on and ``method_note`` where in them (pages).
    ``missing`` says what not-applicable items and coverage do.
    """

    ref: RuleSetRef = attrs.field(converter=_ref)
    title: Labels
    organisation: str
    country: str
    areas: tuple[Criterion, ...]
    weighting: WeightingSpec = WeightingSpec()
    rounding: Rounding = Rounding()
    sources: tuple[Source, ...] = ()
    assumed: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    note: str | None = None
    method: Labels | None = None
    method_sources: tuple[str, ...] = ()
    method_note: str | None = None
    missing: MissingRule = MissingRule()
    _index: dict[str, Criterion] = attrs.field(init=False, eq=False, repr=False)
    _cache: dict[object, object] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index = {c.key: c for area in self.areas for c in area.walk()}
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_cache", {})

    @property
    def max(self) -> Points:
        """The maximum total (800 for every published Kommunkompass)."""
        return sum((a.max for a in self.areas), start=0)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages of the title, the original first."""
        return tuple(self.title.texts)

    def criterion(self, key: str) -> Criterion:
        """The area, sub-area or question with this key; KeyError if none."""
        return self._index[key]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def criteria(self) -> Iterator[Criterion]:
        """Every criterion, parents first, in rule-set order."""
        for area in self.areas:
            yield from area.walk()

    def cached(self, key: object, build: Callable[[], T]) -> T:
        """Memoise derived data (compiled scoring plans) on this rule set."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]  # type: ignore[return-value]
