"""Where the evaluated municipality ranks, and how surely: the report's words for it.

Readers of a report ask "would we still be third?" (issue 16). The figures
come from a robust ranking (:func:`kompass_core.robust_ranking`, numpy,
the ``analysis`` extra) computed by the caller over a cohort it chose; the
report, which imports no numpy, only words them and says what they rest on.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


@attrs.frozen
class Standing:
    """One municipality's rank among ``count`` evaluations, with its spread.

    ``rank`` is by total under the rule set's own weights; ``low``-``high``
    the 5th to 95th percentile of the rank over ``samples`` draws of the
    areas' weights (Dirichlet with ``concentration`` around the rule set's
    own; None: over named weightings) and of open points; ``best``-``worst``
    the exact bounds over every completion of open points. The cohort is
    the newest stored evaluation of each municipality on ``ruleset``, of the
    peer ``group`` only when one is named (e.g. ``Large towns (towns@1)``).
    """

    rank: int
    count: int
    low: int
    high: int
    best: int
    worst: int
    samples: int
    concentration: float | None
    ruleset: str
    group: str = ""

    def words(self, words: Mapping[str, str], comma: bool = False) -> tuple[str, str]:
        """The line under the total, and the note saying what it was computed over."""
        line = words["standing"].format(rank=self.rank, count=self.count,
                                        spread=_span(self.low, self.high))
        k = "∞" if self.concentration is None or self.concentration == float("inf") \
            else f"{self.concentration:g}"
        if comma:
            k = k.replace(".", ",")
        note = words["standing_note"].format(
            count=self.count, cohort=words["standing_cohort"].format(ruleset=self.ruleset) + (
                ", " + words["standing_group"].format(group=self.group) if self.group else ""),
            samples=f"{self.samples:,}".replace(
                ",", "\u00a0" if comma else ","), concentration=k,
            spread=_span(self.low, self.high), bounds=_span(self.best, self.worst))
        return line, note
