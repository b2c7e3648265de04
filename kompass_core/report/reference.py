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
on the chart rests on, and why there is none when there is none. Reading the rows is
:mod:`kompass_core.formats.results`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from fractions import Fraction

import attrs

from kompass_core.formats.results import Row, area_positions, holds
from kompass_core.model.errors import InputError
from kompass_core.model.evaluation import Municipality
from kompass_core.model.points import Points, exact
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet


@attrs.frozen
class Reference:
    """Average area scores for one rule set, and what they rest on."""

    ruleset: RuleSetRef
    areas: dict[str, Points]
    total: Points
    count: int | None
    description: str
    sources: tuple[str, ...]
    cohort: tuple[str, ...] = ()
    """Who the reference is taken from, each with its year: a legend names them."""


def _nfc_key(name: str) -> str:
    """A municipality's identity in a results CSV: its NFC name, case-insensitive."""
    return unicodedata.normalize("NFC", name).casefold()


def _cohort_words(ruleset: RuleSetRef, evaluated: Municipality | None, year: int | None,
                  years: tuple[int, int] | None, names: Sequence[str] | None) -> str:
    """Which evaluations the reference is taken from, in words: rule set, time, who."""
    if evaluated is None and year is None and years is None and not names:
        return ""  # every row of the rule set: the words of before cohorts
    if years is not None:
        when = (f"dated {years[0]}" if years[0] == years[1]
                else f"dated {years[0]}-{years[1]}")
    elif year is not None:
        when = f"dated {year} or earlier"
    else:
        when = "of any year (the evaluation has no date)"
    who = f" of {', '.join(names)}" if names else ""
    own = f", other than {evaluated.name}'s own," if evaluated else ""
    return f"of {ruleset}{who} {when}{own}"


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
    key = _nfc_key(row.municipality)
    if evaluated is not None and key in {_nfc_key(n) for n in (evaluated.name, *own)}:
        return False
    return not names or key in {_nfc_key(n) for n in names}


def reference_for(ruleset: RuleSet, rows: Sequence[Row], evaluated: Municipality | None = None,
                  year: int | None = None, origin: str = "published results bundled with "
                                                        "kompass",
                  noun: str = "published evaluation(s)", *,
                  years: tuple[int, int] | None = None,
                  names: Sequence[str] | None = None,
                  own: Collection[str] = ()) -> Reference | None:
    """The reference for ``ruleset``: a published average, else the mean of evaluations.

    The cohort is the rows of the same rule set dated ``year`` (the evaluation's)
    or earlier, or within ``years`` (first and last, inclusive) when given; of
    other municipalities than ``evaluated`` only (by NFC name, case-insensitive,
    as a results row has no code), and of ``names`` only when given. A published
    average of the cohort's time is preferred (the newest), except when
    ``names`` are given. None when the cohort holds no area scores for the rule
    set: :func:`reference_gap` says why. ``own`` are other names the evaluated
    municipality's results go by (e.g. stored under its code), also left out.
    """
    keys = [a.key for a in ruleset.areas]
    if not holds(keys):  # a results CSV has no column for some area
        return None
    at = area_positions(ruleset.ref, keys)
    usable = [r for r in rows if r.ruleset == ruleset.ref
              and all(r.areas[i] is not None for i in at)
              and _in_cohort(r, evaluated, year, years, names, own)]
    cohort = _cohort_words(ruleset.ref, evaluated, year, years, names)
    averages = [r for r in usable if r.kind == "average"]
    if averages:
        chosen = [max(averages, key=lambda r: r.year or 0)]
        what = (f"published average ({chosen[0].municipality}, {chosen[0].year}), the newest "
                f"average {_cohort_words(ruleset.ref, None, year, years, names)}, used as "
                "published rather than computed")
        count = None
        members: tuple[str, ...] = (f"{chosen[0].municipality} {chosen[0].year}",)
    else:
        chosen = [r for r in usable if r.kind == "evaluation"]
        if not chosen:
            return None
        members = tuple(r.municipality + (f" {r.year}" if r.year is not None else "")
                        for r in chosen)
        listed = ", ".join(members)
        what = f"mean of {len(chosen)} {noun}{' ' * bool(cohort)}{cohort.rstrip(',')}: {listed}"
        count = len(chosen)
    inferred = [r.municipality + (f" {r.year}" if r.year is not None else "")
                for r in chosen if r.basis == "inferred"]
    if inferred:
        what += (f"; the rule set{'s' if len(inferred) > 1 else ''} of {', '.join(inferred)} "
                 f"{'are' if len(inferred) > 1 else 'is'} inferred (e.g. from the year), "
                 "not stated by the source")
    areas = {k: exact(sum((Fraction(r.areas[i] or 0) for r in chosen), start=Fraction(0))
                      / len(chosen)) for i, k in zip(at, keys, strict=True)}
    return Reference(ruleset.ref, areas, exact(sum((Fraction(v) for v in areas.values()),
                                                   start=Fraction(0))),
                     count, f"{what}; from {origin}",
                     tuple(dict.fromkeys(r.source for r in chosen if r.source)), members)


def reference_gap(ruleset: RuleSet, origin: str = "published results bundled with kompass",
                  noun: str = "published evaluation(s)", evaluated: Municipality | None = None,
                  year: int | None = None, *, years: tuple[int, int] | None = None,
                  names: Sequence[str] | None = None) -> str:
    """Why :func:`reference_for` found no reference in ``origin``, for the report's notes.

    A reader should not take a missing line on the chart for an oversight.
    """
    keys = [a.key for a in ruleset.areas]
    try:
        area_positions(ruleset.ref, keys)
    except InputError as err:
        return err.problems[0].message
    words = _cohort_words(ruleset.ref, evaluated, year, years, names)
    what = f"{noun} {words}" if words else f"other {noun} of {ruleset.ref}"
    return (f"there is no average and no {what} with a score for "
            f"each of its {len(keys)} areas in {origin}")
