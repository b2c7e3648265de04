"""Which area's weight moves a municipality's rank: Sobol indices, with SALib.

Sobol indices need independent inputs, and a Dirichlet's shares are not
(they sum to 1). A Dirichlet is, though, independent Gamma variables
divided by their sum; so each area's raw Gamma weight is one input,
sampled by SALib's Sobol sequence through the Gamma's inverse CDF, and the
shares are those weights normalised. The output is each municipality's
rank, open points at the middle of their intervals. SALib's Saltelli
estimators take the outputs of all municipalities at once (one column
each). The base sample is fixed (:data:`SOBOL_BASE`, a power of two as the
Sobol sequence wants), so memory stays bounded however many samples the
ranking draws; estimates of an index near 0 may come out slightly below 0.
"""

from __future__ import annotations

import math
import warnings

import attrs
import numpy as np

from kompass_core.ranking.robust import Floats, RankContest, RobustRanking, ranks

SOBOL_BASE = 1024
"""The Sobol base sample: the ranks are computed base x (areas + 2) times."""


def with_sensitivity(ranking: RobustRanking, contest: RankContest) -> RobustRanking:
    """``ranking`` with first-order and total Sobol indices of each area's weight.

    Only for a Dirichlet with a finite concentration (named weightings are
    not independent inputs; without uncertainty there is nothing to
    apportion). An area of weight 0 stays 0 and gets indices of 0.
    """
    from SALib.analyze.sobol import first_order, total_order  # type: ignore[import-untyped]
    from SALib.sample.sobol import sample  # type: ignore[import-untyped]
    from scipy.special import gammaincinv  # type: ignore[import-untyped]  # SALib needs scipy

    kappa = ranking.concentration
    if kappa is None or math.isinf(kappa):
        return ranking
    own = np.array(contest.shares[0], dtype=np.float64)
    live = np.flatnonzero(own > 0)
    d = len(live)
    if d < 2:
        return ranking
    base = SOBOL_BASE
    problem = {"num_vars": d, "names": [contest.keys[i] for i in live], "bounds": [[0, 1]] * d}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when the base is small
        u = sample(problem, base, calc_second_order=False, seed=ranking.seed)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    raw = np.zeros((len(u), len(own)))
    raw[:, live] = gammaincinv(kappa * own[live], u)
    shares: Floats = raw / raw.sum(axis=1, keepdims=True)
    scale = np.array([float(contest.total_max) / float(m) for m in contest.maxes])
    middle = (np.array(contest.lows, dtype=np.float64) + np.array(contest.highs, dtype=np.float64)
              ).reshape(len(contest.names), -1) / 2 * scale
    y = ranks(shares @ middle.T, float(contest.total_max)).astype(np.float64)
    step = d + 2
    a, b = y[0::step], y[step - 1::step]
    first = np.zeros((len(own), y.shape[1]))
    total = np.zeros_like(first)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a rank that never moves: indices 0, with a warning
        for j, area in enumerate(live):
            ab = y[j + 1::step]
            first[area] = first_order(a, ab, b)
            total[area] = total_order(a, ab, b)
    figures = tuple(attrs.evolve(f, first=tuple(map(float, first[:, i])),
                                 total=tuple(map(float, total[:, i])))
                    for i, f in enumerate(ranking.figures))
    return attrs.evolve(ranking, figures=figures, sobol_base=base)
