"""kompass: an open engine for Kommunkompassen / Kommunekompasset.

The public API is what this module exports; everything else may change.
Names are imported lazily on first use, so that ``import kompass_core``
(and the ``kompass`` command's start) costs only what a caller touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompass_core.api import score
    from kompass_core.errors import InputError, KompassError, PluginError, Problem
    from kompass_core.evaluation import AreaNotes, Evaluation, Municipality
    from kompass_core.evaluation_format import load_evaluation, parse_evaluation
    from kompass_core.hookspec import hookimpl
    from kompass_core.points import Points, Rounding
    from kompass_core.refs import RuleSetRef
    from kompass_core.registry import PluginInfo, Registry, default_registry
    from kompass_core.ruleset import Criterion, Labels, Level, RuleSet, Source, WeightingSpec
    from kompass_core.ruleset_format import load_ruleset, parse_ruleset
    from kompass_core.scoring import Entry, Provenance, Score, ScoreCard, score_with
    from kompass_core.serialize import structure, to_json, unstructure
    from kompass_core.weighting import SumWeighting, Weighting

_WHERE = {
    "AreaNotes": "kompass_core.evaluation",
    "Criterion": "kompass_core.ruleset",
    "Entry": "kompass_core.scoring",
    "Evaluation": "kompass_core.evaluation",
    "InputError": "kompass_core.errors",
    "KompassError": "kompass_core.errors",
    "Labels": "kompass_core.ruleset",
    "Level": "kompass_core.ruleset",
    "Municipality": "kompass_core.evaluation",
    "PluginError": "kompass_core.errors",
    "PluginInfo": "kompass_core.registry",
    "Points": "kompass_core.points",
    "Problem": "kompass_core.errors",
    "Provenance": "kompass_core.scoring",
    "Registry": "kompass_core.registry",
    "Rounding": "kompass_core.points",
    "RuleSet": "kompass_core.ruleset",
    "RuleSetRef": "kompass_core.refs",
    "Score": "kompass_core.scoring",
    "ScoreCard": "kompass_core.scoring",
    "Source": "kompass_core.ruleset",
    "SumWeighting": "kompass_core.weighting",
    "Weighting": "kompass_core.weighting",
    "WeightingSpec": "kompass_core.ruleset",
    "default_registry": "kompass_core.registry",
    "hookimpl": "kompass_core.hookspec",
    "load_evaluation": "kompass_core.evaluation_format",
    "load_ruleset": "kompass_core.ruleset_format",
    "parse_evaluation": "kompass_core.evaluation_format",
    "parse_ruleset": "kompass_core.ruleset_format",
    "score": "kompass_core.api",
    "score_with": "kompass_core.scoring",
    "structure": "kompass_core.serialize",
    "to_json": "kompass_core.serialize",
    "unstructure": "kompass_core.serialize",
}

__all__ = [
    "AreaNotes",
    "Criterion",
    "Entry",
    "Evaluation",
    "InputError",
    "KompassError",
    "Labels",
    "Level",
    "Municipality",
    "PluginError",
    "PluginInfo",
    "Points",
    "Problem",
    "Provenance",
    "Registry",
    "Rounding",
    "RuleSet",
    "RuleSetRef",
    "Score",
    "ScoreCard",
    "Source",
    "SumWeighting",
    "Weighting",
    "WeightingSpec",
    "default_registry",
    "hookimpl",
    "load_evaluation",
    "load_ruleset",
    "parse_evaluation",
    "parse_ruleset",
    "score",
    "score_with",
    "structure",
    "to_json",
    "unstructure",
]


def __getattr__(name: str) -> Any:
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'kompass_core' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
