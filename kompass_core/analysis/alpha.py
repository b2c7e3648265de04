"""Krippendorff's alpha of an evaluators x items matrix, with a bootstrap interval.

The point estimate is the maintained ``krippendorff`` package's. The
bootstrap resamples items with replacement; alpha is a ratio of sums over
coincidence matrices, and a resample's coincidence matrix is the sum of its
items' ones, so all resamples are one matrix product here (a thousand calls
of the package would cost seconds). Tests hold this computation equal to the
package's on random matrices. Points are exact; they become floats only here.
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
    computes it for the items repeated so; NaN where it is undefined."""
    v = counts.shape[1]
    totals = counts.sum(axis=1)
    per_item = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(v)) \
        / (totals - 1)[:, None, None]
    observed = (weights @ per_item.reshape(len(counts), v * v)).reshape(-1, v, v)
    n_v = observed.sum(axis=1)
    n = n_v.sum(axis=1)
    expected = (n_v[:, :, None] * n_v[:, None, :] - n_v[:, :, None] * np.eye(v)) \
        / (n - 1)[:, None, None]
    if metric == "interval":
        distance = ((values[:, None] - values[None, :]) ** 2)[None, :, :]
    elif metric == "ordinal":
        idx = np.arange(v)
        lo, hi = np.minimum.outer(idx, idx), np.maximum.outer(idx, idx)
        cum = np.cumsum(n_v, axis=1)
        between = cum[:, hi] - cum[:, lo] + n_v[:, lo]
        distance = (between - (n_v[:, lo] + n_v[:, hi]) / 2) ** 2
    else:
        raise ValueError(f"unknown metric {metric!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out: Any = 1 - (observed * distance).sum(axis=(1, 2)) \
            / (expected * distance).sum(axis=(1, 2))
    return out
