"""Reference averages for reports: what other municipalities scored.

A report compares a municipality with the average of municipalities
evaluated with the same rule set. The rows come from a results CSV given
with ``--reference``, else from the results store when there is one, else
from the published results bundled with kompass: a published average where
one exists, else the mean of the area-level evaluations made with that rule
set, always with the count and the sources, so a reader knows how much the
line on the chart rests on. Reading the rows is :mod:`kompass_core.formats.results`.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def reference_for(ruleset: RuleSet, rows: Sequence[Row], evaluated: Municipality | None = None,
                  year: int | None = None, origin: str = "published results bundled with "
                                                        "kompass",
                  noun: str = "published evaluation(s)") -> Reference | None:
    """The reference for ``ruleset``: a published average, else the mean of evaluations.

    The evaluation being reported (same municipality and year) is left out.
    None when the rows hold no area scores for the rule set.
    """
    keys = [a.key for a in ruleset.areas]
    if not holds(keys):  # a results CSV has no column for some area
        return None
    at = area_positions(ruleset.ref, keys)
    usable = [r for r in rows if r.ruleset == ruleset.ref
              and all(r.areas[i] is not None for i in at)
              and not (evaluated and r.municipality.casefold() == evaluated.name.casefold()
                       and r.year == year)]
    averages = [r for r in usable if r.kind == "average"]
    if averages:
        chosen = [max(averages, key=lambda r: r.year or 0)]
        what = f"published average ({chosen[0].municipality}, {chosen[0].year})"
        count = None
    else:
        chosen = [r for r in usable if r.kind == "evaluation"]
        if not chosen:
            return None
        names = ", ".join(r.municipality + (f" {r.year}" if r.year is not None else "")
                          for r in chosen)
        what = f"mean of {len(chosen)} {noun}: {names}"
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
                     tuple(dict.fromkeys(r.source for r in chosen if r.source)))


def reference_gap(ruleset: RuleSet, origin: str = "published results bundled with kompass",
                  noun: str = "published evaluation(s)") -> str:
    """Why :func:`reference_for` found no reference in ``origin``, for the report's notes.

    A reader should not take a missing line on the chart for an oversight.
    """
    keys = [a.key for a in ruleset.areas]
    try:
        area_positions(ruleset.ref, keys)
    except InputError as err:
        return err.problems[0].message
    return (f"there is no average and no other {noun} of {ruleset.ref} with a score for "
            f"each of its {len(keys)} areas in {origin}")
