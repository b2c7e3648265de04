"""kompass: an open engine for Kommunkompassen / Kommunekompasset.

The public API is what this module exports; everything else may change.
Names are imported lazily on first use, so that ``import kompass_core``
(and the ``kompass`` command's start) costs only what a caller touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompass_core.engine.scoring import score_with
    from kompass_core.engine.weighting import SumWeighting, Weighting
    from kompass_core.formats.evaluation import load_evaluation, parse_evaluation
    from kompass_core.formats.ruleset import load_ruleset, parse_ruleset
    from kompass_core.formats.serialize import structure, to_json, unstructure
    from kompass_core.model.card import Entry, Provenance, Score, ScoreCard
    from kompass_core.model.errors import InputError, KompassError, PluginError, Problem
    from kompass_core.model.evaluation import AreaNotes, Evaluation, Municipality
    from kompass_core.model.points import Points, Rounding
    from kompass_core.model.refs import RuleSetRef
    from kompass_core.model.ruleset import Criterion, Labels, Level, RuleSet, Source, WeightingSpec
    from kompass_core.registry.api import score
    from kompass_core.registry.default import default_registry
    from kompass_core.registry.hookspec import hookimpl
    from kompass_core.registry.registry import PluginInfo, Registry

_WHERE = {
    "AreaNotes": "kompass_core.model.evaluation",
    "Criterion": "kompass_core.model.ruleset",
    "Entry": "kompass_core.model.card",
    "Evaluation": "kompass_core.model.evaluation",
    "InputError": "kompass_core.model.errors",
    "KompassError": "kompass_core.model.errors",
    "Labels": "kompass_core.model.ruleset",
    "Level": "kompass_core.model.ruleset",
    "Municipality": "kompass_core.model.evaluation",
    "PluginError": "kompass_core.model.errors",
    "PluginInfo": "kompass_core.registry.registry",
    "Points": "kompass_core.model.points",
    "Problem": "kompass_core.model.errors",
    "Provenance": "kompass_core.model.card",
    "Registry": "kompass_core.registry.registry",
    "Rounding": "kompass_core.model.points",
    "RuleSet": "kompass_core.model.ruleset",
    "RuleSetRef": "kompass_core.model.refs",
    "Score": "kompass_core.model.card",
    "ScoreCard": "kompass_core.model.card",
    "Source": "kompass_core.model.ruleset",
    "SumWeighting": "kompass_core.engine.weighting",
    "Weighting": "kompass_core.engine.weighting",
    "WeightingSpec": "kompass_core.model.ruleset",
    "default_registry": "kompass_core.registry.default",
    "hookimpl": "kompass_core.registry.hookspec",
    "load_evaluation": "kompass_core.formats.evaluation",
    "load_ruleset": "kompass_core.formats.ruleset",
    "parse_evaluation": "kompass_core.formats.evaluation",
    "parse_ruleset": "kompass_core.formats.ruleset",
    "score": "kompass_core.registry.api",
    "score_with": "kompass_core.engine.scoring",
    "structure": "kompass_core.formats.serialize",
    "to_json": "kompass_core.formats.serialize",
    "unstructure": "kompass_core.formats.serialize",
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
