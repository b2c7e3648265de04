"""An evaluation: the points and notes evaluators gave one municipality."""

from __future__ import annotations

import enum
import operator
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from kompass_core.model.consensus import Consensus
from kompass_core.model.dates import PartialDate, as_partial_date
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.frozen import FrozenDict, freeze
from kompass_core.model.narrative import Conduct, Fact, Star
from kompass_core.model.points import Points, from_number, not_points, plain
from kompass_core.model.refs import RuleSetRef, as_ref


def _nfc(name: str) -> str:
    """``name`` in Unicode NFC, so one municipality is one name however its file spelt it.

    ``Örebro`` typed on one system is one character ``Ö``, on another ``O``
    and a combining diaeresis (NFD); compared as they are, they would be two
    municipalities in the store. Every reader builds a :class:`Municipality`.
    """
    return unicodedata.normalize("NFC", name)


@attrs.frozen
class Municipality:
    """Who was evaluated: name (NFC), official code (e.g. ``0114``), country (ISO 3166)."""

    name: str = attrs.field(converter=_nfc)
    code: str | None = None
    country: str | None = None


@attrs.frozen
class AreaNotes:
    """What the evaluators wrote about one area, in the report's four lists."""

    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    references: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.strengths or self.improvements or self.weaknesses or self.references)


NOTE_KINDS = ("strengths", "improvements", "weaknesses", "references")


def _exact_points(points: Mapping[str, object]) -> FrozenDict[str, Points]:
    """Points as exact numbers, integral ones as int: checked once so scoring can trust them.

    Non-negative ints and non-integral Fractions under string keys, the
    usual case, pass as they are; other values are made exact as the file readers make them (a float
    through its repr), and what is not a number of points is refused here,
    naming its key, rather than when scoring.
    """
    out = freeze(points)
    for key, value in out.items():
        kind = type(value)
        if type(key) is not str or not (
                (kind is int and value >= 0) or
                (kind is Fraction and value.denominator != 1 and value.numerator > 0)):
            return _made_exact(out)
    return out


def _made_exact(points: Mapping[object, object]) -> FrozenDict[str, Points]:
    problems: list[Problem] = []
    exact: dict[str, Points] = {}
    for key, value in points.items():
        if not isinstance(key, str):
            problems.append(Problem(f"a criterion key must be a string, got {key!r}",
                                    keys=("points",)))
            continue
        number = _exact_number(value)
        if isinstance(number, str) or number.numerator < 0:  # no slow Fraction comparison
            why = number if isinstance(number, str) else f"{plain(number)} points is negative"
            # placed where the file readers place a bad value
            problems.append(Problem(why, keys=(*evaluation_keys(key), "points")))
        else:
            exact[key] = number
    if problems:
        raise InputError(problems)
    return FrozenDict(exact)


def _exact_number(value: object) -> Points | str:
    """``value`` as exact points, or why it is not a number of points.

    Subclasses and look-alikes (an IntEnum, numpy's integers and floats)
    are taken by their plain int or float value, so that only ints and
    Fractions are ever stored.
    """
    if type(value) is int:
        return value
    if isinstance(value, Fraction):  # ABC checks are slow, so after the int test
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, float | Decimal):
        plain_value = value if isinstance(value, Decimal) else float(value)
        number = from_number(plain_value)
        return not_points(plain_value) if number is None else number
    if hasattr(value, "__index__") and not isinstance(value, bool):
        return operator.index(value)
    return f"expected a number of points (int, Fraction, Decimal), got {value!r}"


class Status(enum.Enum):
    """Why an item has no published points: a typed missing value (docs/scoring.md).

    ``NOT_APPLICABLE``: the item does not apply to this municipality; it is
    removed from the maximum, as the rule set's ``[missing]`` rule says.
    ``WITHHELD``: scored and counted in every total, but its points (and
    those below it) are not published.
    """

    NOT_APPLICABLE = "not-applicable"
    WITHHELD = "withheld"


def _statuses(value: Mapping[str, Status | str]) -> FrozenDict[str, Status]:
    """Statuses by criterion key, written values (``"withheld"``) taken as :class:`Status`."""
    out: dict[str, Status] = {}
    problems: list[Problem] = []
    for key, status in value.items():
        try:
            out[key] = Status(status)
        except ValueError:
            problems.append(Problem(
                f"unknown status {status!r} (one of: {', '.join(s.value for s in Status)})",
                keys=(*evaluation_keys(key), "status")))
    if problems:
        raise InputError(problems)
    return FrozenDict(out)


def _facts(value: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple(value)


def _stars(value: Iterable[Star]) -> tuple[Star, ...]:
    return tuple(value)


def _ruleset_ref(value: RuleSetRef | str) -> RuleSetRef:
    return as_ref(value, "ruleset")


@attrs.frozen
class Evaluation:
    """Points given at any level (area, sub-area or question) plus what evaluators wrote.

    ``points`` maps criterion keys (``"3"``, ``"3.2"``, ``"3.2.1"``) to exact
    points; what is missing is unscored, not zero. Numbers and signs are
    checked here (InputError); whether the keys exist and the points fit is
    checked against the rule set when scoring. The mappings are read-only,
    so an evaluation is a hashable value.

    ``comments`` hold texts per criterion key: an area's is its general text
    ("Allmänt"), a sub-area's its findings. ``notes`` hold each area's four
    lists, ``summary`` the overall summary ("Sammanfattande genomgång"),
    ``conduct`` how the evaluation was made, ``facts`` facts about the
    municipality and ``stars`` the gold stars of best practice. ``status``
    marks items not applicable or withheld (:class:`Status`); an item with
    points cannot be not applicable. ``consensus`` is the audit trail of a
    team's evaluation (docs/teams.md), else None.
    """

    ruleset: RuleSetRef = attrs.field(converter=_ruleset_ref)
    municipality: Municipality
    date: PartialDate | None = attrs.field(default=None, converter=as_partial_date)
    evaluators: tuple[str, ...] = ()
    points: Mapping[str, Points] = attrs.field(factory=FrozenDict, converter=_exact_points)
    notes: Mapping[str, AreaNotes] = attrs.field(factory=FrozenDict, converter=freeze)
    comments: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=freeze)
    summary: str = ""
    conduct: Conduct = attrs.field(factory=Conduct)
    facts: tuple[Fact, ...] = attrs.field(default=(), converter=_facts)
    stars: tuple[Star, ...] = attrs.field(default=(), converter=_stars)
    status: Mapping[str, Status] = attrs.field(factory=FrozenDict, converter=_statuses)
    consensus: Consensus | None = None
    _lookup: dict[str, Points] = attrs.field(init=False, eq=False, repr=False)
    """The points as a plain dict, for the scoring engine only: never change it.

    CPython subscripts a dict subclass through a Python-level slot, which
    makes the scoring fast path's 160 itemgetter lookups 2x slower; one
    copy when the evaluation is built keeps scoring at plain-dict speed.
    """

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_lookup", dict(self.points))
        if self.status:
            _check_status(self.points, self.status)


def _check_status(points: Mapping[str, Points], status: Mapping[str, Status]) -> None:
    """Points on a not-applicable item, or a not-applicable total, are nonsense: refused."""
    problems = [Problem("an item with points cannot be not-applicable"
                        if key in points else "the total cannot be not-applicable",
                        keys=(*evaluation_keys(key), "status"))
                for key, s in sorted(status.items())
                if s is Status.NOT_APPLICABLE and (key in points or key == "total")]
    if problems:
        raise InputError(problems)


_LEVEL_TABLES = ("areas", "subareas", "questions")


def evaluation_keys(key: str) -> tuple[str, ...]:
    """Where criterion ``key`` sits in an evaluation file.

    ``"3.2"`` -> ``("areas", "3", "subareas", "3.2")``, so that errors name
    the key path a user sees in their TOML or JSON.
    """
    if key == "total":
        return ("total",)
    parts = key.split(".")
    out: list[str] = []
    for depth in range(1, len(parts) + 1):
        table = _LEVEL_TABLES[depth - 1] if depth <= len(_LEVEL_TABLES) else "children"
        out += [table, ".".join(parts[:depth])]
    return tuple(out)
