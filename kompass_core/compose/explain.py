"""What ``explain`` answers on every shell: how each score counts, and what a change would do.

The command line (``kompass explain``) and the service (``POST /explain``)
give the same rows and the same what-if card; only how they print a card
differs.
"""

from __future__ import annotations

from collections.abc import Sequence

from kompass_core.engine.plan import Plan
from kompass_core.engine.whatif import Change, apply_changes
from kompass_core.model.card import Provenance, ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.registry.registry import Registry


def breakdown(card: ScoreCard, plan: Plan) -> list[dict[str, str | None]]:
    """Each criterion's factor and what it adds to its parent (None where the parent's
    points were given, so the parts do not count)."""
    rows: list[dict[str, str | None]] = []
    for i, key in enumerate(card.keys):
        p = plan.parents[i]
        counted = p >= 0 and card.provenance[p] is not Provenance.GIVEN
        rows.append({"key": key, "factor": str(plan.factors[i]),
                     "counts_low": str(plan.factors[i] * card.lows[i]) if counted else None,
                     "counts_high": str(plan.factors[i] * card.highs[i]) if counted else None})
    return rows


def what_if(registry: Registry, evaluation: Evaluation, card: ScoreCard,
            changes: Sequence[Change]) -> tuple[ScoreCard, list[dict[str, str]]]:
    """The card after ``changes`` and each criterion's shift from ``card``; a change that
    makes the evaluation invalid is an InputError naming the changes."""
    try:
        after = registry.score(apply_changes(evaluation, changes))
    except InputError as err:
        what = " ".join(str(c) for c in changes)
        raise InputError([Problem(f"what-if {what}: {p}") for p in err.problems]) from None
    return after, [{"key": k, "low": str(after[k].low - card[k].low),
                    "high": str(after[k].high - card[k].high)} for k in card.keys]
