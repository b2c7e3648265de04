"""Reference averages for reports: what other municipalities scored.

A report compares a municipality with the average of the municipalities
evaluated with the same rule set up to then (the seed, p. 5): its cohort is
the rows of that rule set dated in the evaluation's year or earlier, of
other municipalities only, unless a window of years or a list of names is
given. The rows come from a results CSV given with ``--reference``, else
from the results store when there is one, else from the published results
bundled with kompass: a published average of the cohort's time where one
exists, else the mean of the cohort's area-level evaluations, always with
the cohort, the count and the sources, so a reader knows how much the line
on the chart rests on, and why there is none when there is none. What the
reference rests on is kept as facts (:class:`Cohort`, :class:`Origin`) and
worded in the report's language by :meth:`Reference.describe` and
:meth:`Gap.describe`.
Reading the rows is :mod:`kompass_core.formats.results`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction

import attrs

from kompass_core.formats.results import Row, area_positions, holds
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, exact
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet


@attrs.frozen
class Origin:
    """Where the rows of a reference come from: ``kind`` ``bundled``, ``store`` or ``file``.

    ``name`` is the store's or the file's name; the published results bundled
    with kompass need none.
    """

    kind: str = "bundled"
    name: str = ""

    def describe(self, words: Mapping[str, str]) -> str:
        """Where from, in ``words``' language."""
        return words[f"origin_{self.kind}"].format(name=self.name)

    def noun(self, words: Mapping[str, str]) -> str:
        """What its rows are: stored evaluations in a store, else published ones."""
        return words["noun_stored" if self.kind == "store" else "noun_published"]


BUNDLED = Origin()
"""The published results bundled with kompass."""


@attrs.frozen
class Cohort:
    """Which evaluations a reference is taken from: rule set, time, who, and whose not."""

    ruleset: RuleSetRef
    evaluated: str | None = None
    year: int | None = None
    years: tuple[int, int] | None = None
    names: tuple[str, ...] = ()
    group: tuple[str, str] | None = None
    """A peer group's name and its scheme (``name@version``), when the cohort is one."""

    @property
    def chosen(self) -> bool:
        """Whether anything narrows it (else it is every row of the rule set)."""
        return bool(self.evaluated is not None or self.year is not None
                    or self.years is not None or self.names or self.group)

    def describe(self, words: Mapping[str, str]) -> str:
        """The cohort in words; empty when nothing narrows it."""
        if not self.chosen:
            return ""
        if self.years is not None:
            first, last = self.years
            when = words["cohort_year"].format(year=first) if first == last \
                else words["cohort_years"].format(first=first, last=last)
        elif self.year is not None:
            when = words["cohort_until"].format(year=self.year)
        else:
            when = words["cohort_undated"]
        names = words["cohort_names"].format(names=", ".join(self.names)) if self.names else ""
        if self.group:
            names += words["cohort_group"].format(group=self.group[0], scheme=self.group[1])
        own = words["cohort_own"].format(name=self.evaluated) if self.evaluated else ""
        return words["cohort"].format(ruleset=self.ruleset, names=names, when=when, own=own)


@attrs.frozen
class Reference:
    """Average area scores for one rule set, and what they rest on.

    ``average`` names the published average used (its name and year), else
    ``members`` lists the evaluations averaged; ``inferred`` those of them
    whose rule set the source does not state. :meth:`describe` words it.
    """

    ruleset: RuleSetRef
    areas: dict[str, Points]
    total: Points
    count: int | None
    sources: tuple[str, ...]
    cohort: Cohort
    origin: Origin = BUNDLED
    average: tuple[str, int | None] | None = None
    members: tuple[str, ...] = ()
    inferred: tuple[str, ...] = ()

    def describe(self, words: Mapping[str, str]) -> str:
        """What this reference is the mean of, and where from, in ``words``' language."""
        if self.average is not None:
            name, year = self.average
            newest = attrs.evolve(self.cohort, evaluated=None)
            what = words["ref_average"].format(name=name, year=year,
                                               cohort=newest.describe(words))
        else:
            cohort = self.cohort.describe(words).rstrip(",")
            what = words["ref_mean" if cohort else "ref_mean_all"].format(
                count=self.count, noun=self.origin.noun(words), cohort=cohort,
                listed=", ".join(self.members))
        if self.inferred:
            many = len(self.inferred) > 1
            what += words["ref_inferred_many" if many else "ref_inferred_one"].format(
                names=", ".join(self.inferred))
        return words["ref_from"].format(what=what, origin=self.origin.describe(words))


@attrs.frozen
class Gap:
    """Why there is no reference: no usable rows in ``origin`` for ``cohort``.

    ``unheld`` are areas a results CSV has no column for, when that is why.
    """

    cohort: Cohort
    areas: int
    origin: Origin = BUNDLED
    unheld: tuple[str, ...] = ()

    def describe(self, words: Mapping[str, str]) -> str:
        """Why, in ``words``' language."""
        if self.unheld:
            return words["gap_columns"].format(ruleset=self.cohort.ruleset,
                                               keys=", ".join(self.unheld))
        noun, origin = self.origin.noun(words), self.origin.describe(words)
        if not self.cohort.chosen:
            return words["gap_all"].format(noun=noun, ruleset=self.cohort.ruleset,
                                           count=self.areas, origin=origin)
        return words["gap"].format(noun=noun, cohort=self.cohort.describe(words),
                                   count=self.areas, origin=origin)


def _nfc_key(name: str) -> str:
    """A municipality's name as compared: NFC, case-insensitive."""
    return unicodedata.normalize("NFC", name).casefold()


def _is_own(row: Row, evaluated: Municipality, own: Collection[str]) -> bool:
    """Whether ``row`` is the evaluated municipality's: by code when both have one, else by name.

    A code outlives renamings and spellings (``Upplands-Väsby``); where either
    side has none, the NFC name decides, as do the ``own`` names.
    """
    if row.code and evaluated.code:
        return row.code == evaluated.code
    return _nfc_key(row.municipality) in {_nfc_key(n) for n in (evaluated.name, *own)}


def _in_cohort(row: Row, evaluated: Municipality | None, year: int | None,
               years: tuple[int, int] | None, names: Sequence[str] | None,
               own: Collection[str] = ()) -> bool:
    """Whether ``row`` is of the time and the municipalities the reference is taken from.

    By year, as a results row knows only its year: a row without one is left
    out where a time is asked for. Averages are no municipality's own.
    """
    if years is not None:
        if row.year is None or not years[0] <= row.year <= years[1]:
            return False
    elif year is not None and (row.year is None or row.year > year):
        return False
    if row.kind == "average":
        return not names
    if evaluated is not None and _is_own(row, evaluated, own):
        return False
    return not names or _nfc_key(row.municipality) in {_nfc_key(n) for n in names}


def reference_for(ruleset: RuleSet, rows: Sequence[Row], evaluated: Municipality | None = None,
                  year: int | None = None, origin: Origin = BUNDLED, *,
                  years: tuple[int, int] | None = None,
                  names: Sequence[str] | None = None,
                  own: Collection[str] = (),
                  group: tuple[str, str] | None = None) -> Reference | None:
    """The reference for ``ruleset``: a published average, else the mean of evaluations.

    The cohort is the rows of the same rule set dated ``year`` (the evaluation's)
    or earlier, or within ``years`` (first and last, inclusive) when given; of
    other municipalities than ``evaluated`` only (by code where the row and
    ``evaluated`` both have one, else by NFC name, case-insensitive), and of
    ``names`` only when given. A published
    average of the cohort's time is preferred (the newest), except when
    ``names`` are given. None when the cohort holds no area scores for the rule
    set: :func:`reference_gap` says why. ``own`` are other names the evaluated
    municipality's results go by (e.g. stored under its code), also left out.
    ``group`` (name, scheme) says the rows are a peer group's, for the note.
    """
    keys = [a.key for a in ruleset.areas]
    if not holds(keys):  # a results CSV has no column for some area
        return None
    at = area_positions(ruleset.ref, keys)
    usable = [r for r in rows if r.ruleset == ruleset.ref
              and all(r.areas[i] is not None for i in at)
              and _in_cohort(r, evaluated, year, years, names, own)]
    cohort = _cohort(ruleset, evaluated, year, years, names, group)
    averages = [r for r in usable if r.kind == "average"]
    if averages:
        chosen = [max(averages, key=lambda r: r.year or 0)]
        average: tuple[str, int | None] | None = (chosen[0].municipality, chosen[0].year)
        count = None
    else:
        chosen = [r for r in usable if r.kind == "evaluation"]
        if not chosen:
            return None
        average, count = None, len(chosen)
    areas = {k: exact(sum((Fraction(r.areas[i] or 0) for r in chosen), start=Fraction(0))
                      / len(chosen)) for i, k in zip(at, keys, strict=True)}
    return Reference(ruleset.ref, areas, exact(sum((Fraction(v) for v in areas.values()),
                                                   start=Fraction(0))),
                     count, tuple(dict.fromkeys(r.source for r in chosen if r.source)),
                     cohort, origin, average,
                     () if average else tuple(_named(r) for r in chosen),
                     tuple(_named(r) for r in chosen if r.basis == "inferred"))


def _named(row: Row) -> str:
    """``Grästorp 2014``: a row as a reader knows it."""
    return row.municipality + (f" {row.year}" if row.year is not None else "")


def _cohort(ruleset: RuleSet, evaluated: Municipality | None, year: int | None,
            years: tuple[int, int] | None, names: Sequence[str] | None,
            group: tuple[str, str] | None = None) -> Cohort:
    return Cohort(ruleset.ref, evaluated.name if evaluated else None, year, years,
                  tuple(names or ()), group)


def reference_gap(ruleset: RuleSet, origin: Origin = BUNDLED,
                  evaluated: Municipality | None = None, year: int | None = None, *,
                  years: tuple[int, int] | None = None,
                  names: Sequence[str] | None = None,
                  group: tuple[str, str] | None = None) -> Gap:
    """Why :func:`reference_for` found no reference in ``origin``, for the report's notes.

    A reader should not take a missing line on the chart for an oversight.
    """
    keys = [a.key for a in ruleset.areas]
    return Gap(_cohort(ruleset, evaluated, year, years, names, group), len(keys), origin,
               tuple(k for k in keys if not holds([k])))


def select_reference(ruleset: RuleSet, rows: Sequence[Row],
                     evaluated: Municipality | None = None, year: int | None = None,
                     origin: Origin = BUNDLED, *, years: tuple[int, int] | None = None,
                     names: Sequence[str] | None = None, own: Collection[str] = (),
                     peers: tuple[tuple[str, str], Collection[str]] | None = None
                     ) -> Reference | Gap:
    """A report's reference from ``rows``, or why there is none: what every shell asks.

    :func:`reference_for` with the same arguments, the rows first narrowed to a
    peer group's evaluations when ``peers`` ((name, scheme), member codes) is
    given; else :func:`reference_gap`. The command line and the service both
    take their reference here, from the rows they read (a CSV, a store or the
    bundled results).
    """
    label = None
    if peers is not None:
        rows = [r for r in rows if r.kind == "evaluation" and r.code in peers[1]]
        label = peers[0]
    found = reference_for(ruleset, rows, evaluated, year, origin, years=years, names=names,
                          own=own, group=label)
    if found is not None:
        return found
    return reference_gap(ruleset, origin, evaluated, year, years=years, names=names,
                         group=label)
