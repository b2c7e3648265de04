"""Krippendorff's alpha of an evaluators x items matrix, with a bootstrap interval.

The point estimate is the maintained ``krippendorff`` package's. The
bootstrap resamples items with replacement; alpha's two sums are sums over
items, so every resample is computed at once from per-item sums weighted by
how often it was drawn (a thousand calls of the package would cost seconds).
Tests hold this computation equal to the package's on random matrices.
Points are exact; they become floats only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs
import krippendorff  # type: ignore[import-untyped, unused-ignore]
import numpy as np

from kompass_core.model.points import Points

_METRICS: dict[str, Literal["interval", "ordinal"]] = {"interval": "interval",
                                                       "ordinal": "ordinal"}

Matrix = Sequence[Sequence[Points | None]]
"""Points by evaluator (rows) and item (columns); None where an evaluator gave none."""


@attrs.frozen
class Alpha:
    """Krippendorff's alpha, its bootstrap interval and what it rests on.

    ``value`` is None when alpha is undefined, and ``undefined`` says why;
    ``low``/``high`` are None when no resample had a defined alpha.
    ``items`` counts the items with at least two values, ``pairable`` the
    values in them.
    """

    value: float | None
    low: float | None
    high: float | None
    items: int
    pairable: int
    undefined: str = ""


def value_counts(matrix: Matrix) -> tuple[Any, list[Points]]:
    """Items x values counts of the items with two or more values, and their values (sorted).

    Counted on exact points, so 1/3 and 0.333 are never confused.
    """
    domain = sorted({v for row in matrix for v in row if v is not None})
    index = {v: i for i, v in enumerate(domain)}
    columns = len(matrix[0]) if matrix else 0
    counts = np.zeros((columns, len(domain)), dtype=np.int64)
    for row in matrix:
        for item, v in enumerate(row):
            if v is not None:
                counts[item, index[v]] += 1
    counts = counts[counts.sum(axis=1) >= 2]
    used = counts.sum(axis=0) > 0  # a value only unpaired items have pairs with nothing
    return counts[:, used], [v for v, keep in zip(domain, used, strict=True) if keep]


def compute(matrix: Matrix, metric: str = "interval", bootstrap: int = 1000,
            seed: int = 0) -> Alpha:
    """Alpha of ``matrix`` under ``metric`` (interval or ordinal), with a percentile 95 %
    interval from ``bootstrap`` resamples of the items (seeded: the same every run)."""
    counts, domain = value_counts(matrix)
    items, pairable = int(counts.shape[0]), int(counts.sum())
    undefined = _undefined(matrix, items, domain)
    if undefined:
        return Alpha(None, None, None, items, pairable, undefined)
    values = np.array([float(v) for v in domain])
    value = float(krippendorff.alpha(value_counts=counts, value_domain=values,
                                     level_of_measurement=_METRICS[metric]))
    low = high = None
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, items, size=(bootstrap, items))
        weights = np.zeros((bootstrap, items))
        np.add.at(weights, (np.arange(bootstrap)[:, None], picks), 1)
        alphas = resampled(counts, values, weights, metric)
        alphas = alphas[np.isfinite(alphas)]
        if alphas.size:
            low, high = (float(x) for x in np.percentile(alphas, [2.5, 97.5]))
    return Alpha(value, low, high, items, pairable)


def _undefined(matrix: Matrix, items: int, domain: Sequence[Points]) -> str:
    if len(matrix) < 2:
        return f"{len(matrix)} evaluator: alpha compares two or more"
    if items == 0:
        return "no item has points from two evaluators"
    if len(domain) < 2:
        return f"no variation: every value is {domain[0]}, so agreement cannot be told " \
               "from chance"
    return ""


def resampled(counts: Any, values: Any, weights: Any, metric: str) -> Any:
    """Alpha for each row of ``weights`` (how often each item is drawn), as the package
    computes it for the items repeated so; NaN where it is undefined.

    Both of alpha's sums are sums of squared differences of a value per domain
    value, ``r``: the value itself (interval), or its mid-rank among the
    pairable values, which is what Krippendorff's ordinal distance is (ordinal).
    Item ``u`` with ``m`` values contributes ``2 (m sum(c r^2) - (sum(c r))^2) / (m - 1)``
    to the observed sum; the expected one is the same over all values, over
    ``n - 1``. That is O(resamples x items x values), with no coincidence matrix.
    """
    n_v = weights @ counts  # (B, V): how often each value is pairable in each resample
    if metric == "interval":
        r = np.broadcast_to(values, n_v.shape)
    elif metric == "ordinal":
        r = np.cumsum(n_v, axis=1) - n_v / 2
    else:
        raise ValueError(f"unknown metric {metric!r}")
    m = counts.sum(axis=1)
    linear, square = r @ counts.T, (r * r) @ counts.T  # (B, N): sum(c r), sum(c r^2)
    observed = (weights * 2 * (m * square - linear ** 2) / (m - 1)).sum(axis=1)
    n = n_v.sum(axis=1)
    expected = 2 * (n * (n_v * r * r).sum(axis=1) - (n_v * r).sum(axis=1) ** 2) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Any = 1 - observed / expected
    return out
