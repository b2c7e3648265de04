"""Statistics over stored entries: each result once, exact averages, rankings.

Pure functions of :class:`Stored` lists, apart from the database, so the
command line, reports and tests can ask them of any selection. Averages are
exact fractions, never SQL floats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from kompass_core.model.card import TOTAL
from kompass_core.model.dates import PartialDate
from kompass_core.model.points import Points, exact
from kompass_core.store.records import Stored


def distinct(entries: Sequence[Stored]) -> tuple[list[Stored], list[Stored]]:
    """Each result once, however many times it is stored.

    Published results and an evaluation file may both hold one evaluation;
    their contents differ, so both are stored, but counting both would
    weigh it twice. Two entries are one result when they share rule set,
    kind, municipality (by code where there is one: :func:`_identity`) and
    year, or, where one has no year, when all their scores are equal too
    (an entry without a year joins the result of the first such entry,
    looking at those with a year first).
    The most complete one is kept (most exact scores, then one with a
    year, then the newest import). Returns the kept entries, in their
    order, and the others. Both lookups are by dict: this runs on every
    query and report, over thousands of entries.
    """
    by_year: dict[tuple[object, ...], list[Stored]] = {}
    by_scores: dict[tuple[object, ...], list[Stored]] = {}
    groups: list[list[Stored]] = []
    codes = _codes(entries)
    for s in sorted(entries, key=lambda s: s.year is None):  # stable: with a year first
        identity = _identity(s, codes)
        same = (identity, _values(s))
        group = by_year.get((identity, s.year)) if s.year is not None else by_scores.get(same)
        if group is None:
            groups.append(group := [])
            if s.year is not None:
                by_year[identity, s.year] = group
        by_scores.setdefault(same, group)
        group.append(s)
    kept_ids = {max(group, key=lambda s: (s.exactness(), s.year is not None, s.seq)).id
                for group in groups}
    return ([s for s in entries if s.id in kept_ids],
            [s for s in entries if s.id not in kept_ids])


def latest(entries: Sequence[Stored]) -> tuple[list[Stored], list[Stored]]:
    """Each municipality's newest result, and the earlier ones.

    A municipality is known as :func:`distinct` knows it (rule set, kind,
    and its code where it has one, else its name in NFC without case). The
    newest is the one with the latest year, then the latest date, then the
    newest import; an entry without a year is older than any with one.
    Returns the newest entries and the others, both in the order given.
    """
    codes = _codes(entries)
    newest: dict[tuple[object, ...], Stored] = {}
    for s in entries:
        identity = _identity(s, codes)
        best = newest.get(identity)
        if best is None or _when(s) > _when(best):
            newest[identity] = s
    kept_ids = {s.id for s in newest.values()}
    return ([s for s in entries if s.id in kept_ids],
            [s for s in entries if s.id not in kept_ids])


def _when(s: Stored) -> tuple[int, PartialDate, int]:
    return (s.year if s.year is not None else -1, s.date or PartialDate(1), s.seq)


def _codes(entries: Sequence[Stored]) -> dict[str, set[str]]:
    """The codes each name (casefolded) has among ``entries``."""
    codes: dict[str, set[str]] = {}
    for s in entries:
        if s.municipality.code:
            codes.setdefault(s.municipality.name.casefold(), set()).add(s.municipality.code)
    return codes


def _identity(s: Stored, codes: Mapping[str, set[str]]) -> tuple[object, ...]:
    """Rule set, kind and municipality: by its code where it has one, else by name.

    Two municipalities may share a name (Norway has two Herøy); their codes
    tell them apart. An entry without a code (published results rarely have
    one) is the municipality of the one code its name has among the
    entries, else its name. Names are compared in NFC (the model makes
    them so) and without case.
    """
    name = s.municipality.name.casefold()
    known = codes.get(name, ())
    code = s.municipality.code or (next(iter(known)) if len(known) == 1 else None)
    return (s.ruleset, s.kind, ("code", code) if code else ("name", name))


def _values(s: Stored) -> tuple[tuple[str, Points, Points], ...]:
    return tuple((x.key, x.low, x.high) for x in s.scores)


@attrs.frozen
class Column:
    """The average of one criterion over the evaluations that score it exactly."""

    key: str
    average: Points | None
    count: int
    max: Points


def average(entries: Sequence[Stored], keys: Sequence[str], maxes: Sequence[Points]
            ) -> list[Column]:
    """The exact mean of each key's exact published scores, with how many there are."""
    sums: dict[str, list[Points]] = {key: [] for key in keys}
    for s in entries:
        for x in s.scores:
            if x.low == x.high and x.key in sums and not x.hidden:
                sums[x.key].append(x.low)
    out = []
    for key, top in zip(keys, maxes, strict=True):
        values = sums[key]
        whole = [v for v in values if type(v) is int]  # int sums are cheap; Fractions not
        parts = [v for v in values if type(v) is not int]
        total = sum(map(Fraction, parts), start=Fraction(sum(whole)))
        mean = exact(total / len(values)) if values else None
        out.append(Column(key, mean, len(values), top))
    return out


def rank(entries: Sequence[Stored]) -> list[tuple[int | None, Stored]]:
    """Entries by exact published total, highest first, ties sharing a rank; the rest
    unranked after."""
    def total(s: Stored) -> Points | None:
        score = s.score(TOTAL)
        return score.published if score else None

    ranked = sorted((s for s in entries if total(s) is not None),
                    key=lambda s: (-Fraction(total(s) or 0), s.municipality.name.casefold(),
                                   s.year or 0))
    out: list[tuple[int | None, Stored]] = []
    for i, s in enumerate(ranked):
        tied = i > 0 and total(ranked[i - 1]) == total(s)
        out.append((out[-1][0] if tied else i + 1, s))
    out += [(None, s) for s in entries if total(s) is None]
    return out
