"""Top-level conveniences over the default registry."""

from __future__ import annotations

from kompass_core.model.card import ScoreCard
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.ruleset import RuleSet, WeightingSpec
from kompass_core.registry.default import default_registry
from kompass_core.registry.registry import Registry


def score(evaluation: Evaluation, ruleset: RuleSet | None = None, *,
          weighting: str | WeightingSpec | None = None,
          registry: Registry | None = None) -> ScoreCard:
    """Score an evaluation into a :class:`ScoreCard` of exact intervals.

    The rule set is looked up by the evaluation's reference unless given;
    the weighting is the rule set's declared one unless named. Raises
    :class:`InputError` listing every problem with its key path.
    """
    return (registry or default_registry()).score(evaluation, ruleset, weighting=weighting)
