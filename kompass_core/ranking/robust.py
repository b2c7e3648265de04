"""Rank figures under weighting uncertainty: seeded, vectorised, in bounded memory.

Each sample draws the areas' shares of the total (a Dirichlet around the
rule set's own shares, or one of several named profiles) and, for a partial
evaluation, each open area's points uniformly within its interval; it
ranks the totals and adds each municipality's rank to a histogram. Only
the histogram (municipalities x ranks) is kept, so memory does not grow
with the number of samples; samples are drawn in chunks of at most
:data:`CHUNK_CELLS` area values. The same seed gives the same figures.
numpy is imported here, never on the scoring path or at the start of the
command line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from kompass_core.model.points import Points
from kompass_core.ranking.bounds import nominal_ranks, rank_bounds

CONCENTRATION = 100.0
"""The default Dirichlet concentration (docs/scoring.md, "Rankings and their uncertainty").

With eight equal areas each share has a standard deviation of about a
quarter of itself, so 90% of sampled weights fall within about 0.6x to
1.5x of the rule set's own: differences of weight that reasonable readers
argue about, not a different method. An assumption: no source states how
uncertain Kommunkompassen's weights are.
"""
CHUNK_CELLS = 1 << 20
"""At most this many sampled area values (8 MB) in memory at once."""
TIE = 1e-9
"""Totals equal to about this fraction of the maximum tie (see :func:`_places`)."""

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@attrs.frozen
class RankContest:
    """What is ranked: each municipality's area points (intervals) and the weightings.

    ``lows`` and ``highs`` are area points (municipalities x areas, each out
    of its area's ``maxes``); ``shares`` holds one or more weightings as each
    area's share of the total (each summing to 1), the first being the rule
    set's own; ``total_max`` scales the totals. ``totals`` are the exact
    total intervals under the first weighting, for the exact bounds.
    """

    names: tuple[str, ...]
    keys: tuple[str, ...]
    lows: tuple[tuple[Points, ...], ...]
    highs: tuple[tuple[Points, ...], ...]
    maxes: tuple[Points, ...]
    total_max: Points
    shares: tuple[tuple[Fraction, ...], ...]
    totals: tuple[tuple[Points, Points], ...]

    @classmethod
    def build(cls, names: Sequence[str], keys: Sequence[str],
              lows: Sequence[Sequence[Points]], highs: Sequence[Sequence[Points]],
              maxes: Sequence[Points], shares: Sequence[Sequence[Fraction]],
              total_max: Points | None = None) -> RankContest:
        """A contest whose exact totals are the area points under the first shares.

        ``total_max`` is the rule set's maximum (default: the areas' maxima added).
        """
        if total_max is None:
            total_max = sum(maxes, start=0)
        own = shares[0]

        def total(points: Sequence[Points]) -> Fraction:
            return sum((Fraction(x) * s * total_max / m
                        for x, s, m in zip(points, own, maxes, strict=True)), start=Fraction(0))

        return cls(tuple(names), tuple(keys), tuple(map(tuple, lows)), tuple(map(tuple, highs)),
                   tuple(maxes), total_max, tuple(map(tuple, shares)),
                   tuple((total(lo), total(hi)) for lo, hi in zip(lows, highs, strict=True)))


@attrs.frozen
class RankFigures:
    """One municipality's rank: nominal, exact bounds, and its spread under uncertainty."""

    name: str
    nominal: int
    best: int
    worst: int
    p5: int
    median: int
    p95: int
    shift: float
    """The mean absolute difference between a sample's rank and the nominal rank."""
    top: float | None
    """The share of samples in which it ranks at most ``top``; None when not asked."""
    first: tuple[float, ...] | None = None
    """First-order Sobol index of each area's weight on this rank (None: not computed)."""
    total: tuple[float, ...] | None = None
    """Total Sobol index of each area's weight on this rank."""


@attrs.frozen
class RobustRanking:
    """Figures for every municipality, and what they were computed over."""

    figures: tuple[RankFigures, ...]
    samples: int
    seed: int
    concentration: float | None
    """The Dirichlet concentration; None when sampled over named weightings."""
    sobol_base: int | None = None
    """Sobol base sample size (evaluations: base x (areas + 2)); None when not computed."""


def robust(contest: RankContest, samples: int = 10_000, seed: int = 0,
           concentration: float | None = CONCENTRATION, top: int | None = None) -> RobustRanking:
    """Rank figures of ``contest`` over ``samples`` seeded draws.

    ``concentration`` None samples uniformly over ``contest.shares`` (named
    weightings); a number draws shares from a Dirichlet with that
    concentration around the first weighting (``math.inf``: no weighting
    uncertainty).
    """
    if samples < 1:
        raise ValueError("samples must be at least 1")
    n = len(contest.names)
    counts = histogram(contest, samples, seed, concentration)
    bounds = rank_bounds(contest.totals)
    nominal = nominal_ranks(contest.totals)
    cumulative = np.cumsum(counts, axis=1)
    places = np.arange(1, n + 1)
    figures = []
    for i, name in enumerate(contest.names):
        row = cumulative[i]

        def percentile(q: float, row: Ints = row) -> int:
            """Nearest-rank: the smallest rank reached by at least ``q`` of the samples."""
            return int(np.searchsorted(row, math.ceil(q * samples))) + 1

        shift = float(np.dot(counts[i], np.abs(places - nominal[i]))) / samples
        figures.append(RankFigures(name, nominal[i], *bounds[i], percentile(0.05),
                               percentile(0.5), percentile(0.95), shift,
                               None if top is None else float(row[min(top, n) - 1]) / samples))
    return RobustRanking(tuple(figures), samples, seed, concentration)


def histogram(contest: RankContest, samples: int, seed: int, concentration: float | None) -> Ints:
    """How often each municipality takes each rank: (municipalities x ranks) counts."""
    n, a = len(contest.names), len(contest.keys)
    rng = np.random.default_rng(seed)
    base, open_rows, open_cols, width, starts, partial = _layout(contest)
    counts = np.zeros(n * n, dtype=np.int64)
    chunk = max(1, min(samples, CHUNK_CELLS // max(1, n * a, len(open_rows))))
    done = 0
    while done < samples:
        c = min(chunk, samples - done)
        shares = draw_shares(contest, rng, c, concentration)
        totals = shares @ base.T
        if len(open_rows):
            extra = shares[:, open_cols] * rng.random((c, len(open_rows))) * width
            totals[:, partial] += np.add.reduceat(extra, starts, axis=1)
        order, places = _places(totals, float(contest.total_max))
        counts += np.bincount((order * n + places).ravel(), minlength=n * n)
        done += c
    return counts.reshape(n, n)


def _layout(contest: RankContest) -> tuple[Floats, Ints, Ints, Floats, Ints, Ints]:
    """The lows as fractions of the maxima weighted to the total, and the open cells.

    Open cells are grouped by municipality: ``starts`` are where each of the
    ``partial`` municipalities' cells begin, for :func:`numpy.add.reduceat`.
    """
    scale = np.array([float(contest.total_max) / float(m) for m in contest.maxes])
    lows = np.array(contest.lows, dtype=np.float64).reshape(len(contest.names), -1) * scale
    highs = np.array(contest.highs, dtype=np.float64).reshape(len(contest.names), -1) * scale
    rows, cols = np.nonzero(highs > lows)
    width = (highs - lows)[rows, cols]
    partial, starts = np.unique(rows, return_index=True)
    return lows, rows, cols, width, starts.astype(np.int64), partial


def draw_shares(contest: RankContest, rng: np.random.Generator, count: int,
                concentration: float | None) -> Floats:
    """``count`` rows of area shares: named weightings, a Dirichlet, or the own one."""
    table = np.array(contest.shares, dtype=np.float64)
    if concentration is None:
        return table[rng.integers(len(table), size=count)]
    if math.isinf(concentration):
        return np.repeat(table[:1], count, axis=0)
    if not concentration > 0:
        raise ValueError("the concentration must be positive (inf: no weighting uncertainty)")
    raw = rng.standard_gamma(concentration * table[0], size=(count, len(table[0])))
    return raw / raw.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def _places(totals: Floats, top: float) -> tuple[Ints, Ints]:
    """Per sample row: the municipalities from highest total, and each one's rank - 1.

    Ranks as the store gives them: equal totals share the rank of the first
    of them. Totals are rounded to a power of two near :data:`TIE` of ``top``
    (sums of floats differ in their last bits; a total that is a whole or
    half point lies on the grid, so rounding cannot part equal ones) and
    packed with the municipality's index into one integer, so one plain sort
    of integers ranks a row (much faster than an argsort and a gather).
    """
    n = totals.shape[1]
    bits = max(1, (n - 1).bit_length())
    quantum = 2.0 ** math.floor(math.log2(TIE * top)) if top > 0 else 1.0
    keys = np.rint(totals * (-1 / quantum)).astype(np.int64)  # highest first
    keys <<= bits
    keys |= np.arange(n, dtype=np.int64)
    keys.sort(axis=1)
    order = keys & ((1 << bits) - 1)
    keys >>= bits
    places = np.broadcast_to(np.arange(n), totals.shape).copy()
    places[:, 1:][keys[:, 1:] == keys[:, :-1]] = 0
    np.maximum.accumulate(places, axis=1, out=places)
    return order, places


def ranks(totals: Floats, top: float) -> Ints:
    """Each municipality's rank in each sample row (1 is the highest total)."""
    order, places = _places(totals, top)
    out = np.empty_like(places)
    np.put_along_axis(out, order, places + 1, axis=1)
    return out
