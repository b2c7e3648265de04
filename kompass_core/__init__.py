"""kompass: an open engine for Kommunkompassen / Kommunekompasset.

The public API is what this module exports (see docs/api.md); everything
else may change. Names are imported lazily on first use, so that
``import kompass_core`` (and the ``kompass`` command's start) costs only
what a caller touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kompass_core.engine.compare import Difference, Verdict, compare_cards
    from kompass_core.engine.scoring import score_with
    from kompass_core.engine.weighting import SumWeighting, Weighting
    from kompass_core.engine.whatif import Change, apply_changes, parse_change
    from kompass_core.formats.evaluation import (
        evaluation_from_dict,
        evaluation_from_xlsx,
        load_evaluation,
        parse_evaluation,
    )
    from kompass_core.formats.files import write_atomic
    from kompass_core.formats.migration import load_migration, migration_from_dict, parse_migration
    from kompass_core.formats.profile import Profile, load_profile
    from kompass_core.formats.results import bundled_rows
    from kompass_core.formats.ruleset import load_ruleset, parse_ruleset, ruleset_from_dict
    from kompass_core.formats.schema import evaluation_schema, ruleset_schema
    from kompass_core.formats.serialize import scorecard_from_dict, structure, to_json, unstructure
    from kompass_core.formats.template import render_template
    from kompass_core.formats.xlsx_template import write_template
    from kompass_core.model.card import Entry, Provenance, Score, ScoreCard, Step
    from kompass_core.model.errors import InputError, KompassError, PluginError, Problem
    from kompass_core.model.evaluation import AreaNotes, Evaluation, Municipality
    from kompass_core.model.frozen import FrozenDict
    from kompass_core.model.migration import AreaMapping, Interval, Migration
    from kompass_core.model.points import Points, Rounding
    from kompass_core.model.refs import RuleSetRef
    from kompass_core.model.ruleset import Criterion, Labels, Level, RuleSet, Source, WeightingSpec
    from kompass_core.registry.api import score
    from kompass_core.registry.default import default_registry
    from kompass_core.registry.hookspec import hookimpl
    from kompass_core.registry.registry import PluginInfo, Registry
    from kompass_core.report.build import Report, build_report, render_html, render_markdown
    from kompass_core.report.reference import Reference, reference_for
    from kompass_core.store.database import Store
    from kompass_core.testing.scaffold import init_variant

    __version__: str

_WHERE = {
    "AreaMapping": "kompass_core.model.migration",
    "AreaNotes": "kompass_core.model.evaluation",
    "Change": "kompass_core.engine.whatif",
    "Criterion": "kompass_core.model.ruleset",
    "Difference": "kompass_core.engine.compare",
    "Entry": "kompass_core.model.card",
    "Evaluation": "kompass_core.model.evaluation",
    "FrozenDict": "kompass_core.model.frozen",
    "InputError": "kompass_core.model.errors",
    "Interval": "kompass_core.model.migration",
    "KompassError": "kompass_core.model.errors",
    "Labels": "kompass_core.model.ruleset",
    "Level": "kompass_core.model.ruleset",
    "Migration": "kompass_core.model.migration",
    "Municipality": "kompass_core.model.evaluation",
    "PluginError": "kompass_core.model.errors",
    "PluginInfo": "kompass_core.registry.registry",
    "Points": "kompass_core.model.points",
    "Problem": "kompass_core.model.errors",
    "Profile": "kompass_core.formats.profile",
    "Provenance": "kompass_core.model.card",
    "Reference": "kompass_core.report.reference",
    "Registry": "kompass_core.registry.registry",
    "Report": "kompass_core.report.build",
    "Rounding": "kompass_core.model.points",
    "RuleSet": "kompass_core.model.ruleset",
    "RuleSetRef": "kompass_core.model.refs",
    "Score": "kompass_core.model.card",
    "ScoreCard": "kompass_core.model.card",
    "Source": "kompass_core.model.ruleset",
    "Step": "kompass_core.model.card",
    "Store": "kompass_core.store.database",
    "SumWeighting": "kompass_core.engine.weighting",
    "Verdict": "kompass_core.engine.compare",
    "Weighting": "kompass_core.engine.weighting",
    "WeightingSpec": "kompass_core.model.ruleset",
    "apply_changes": "kompass_core.engine.whatif",
    "build_report": "kompass_core.report.build",
    "bundled_rows": "kompass_core.formats.results",
    "compare_cards": "kompass_core.engine.compare",
    "default_registry": "kompass_core.registry.default",
    "evaluation_from_dict": "kompass_core.formats.evaluation",
    "evaluation_from_xlsx": "kompass_core.formats.evaluation",
    "evaluation_schema": "kompass_core.formats.schema",
    "hookimpl": "kompass_core.registry.hookspec",
    "init_variant": "kompass_core.testing.scaffold",
    "load_evaluation": "kompass_core.formats.evaluation",
    "load_migration": "kompass_core.formats.migration",
    "load_profile": "kompass_core.formats.profile",
    "load_ruleset": "kompass_core.formats.ruleset",
    "migration_from_dict": "kompass_core.formats.migration",
    "parse_change": "kompass_core.engine.whatif",
    "parse_evaluation": "kompass_core.formats.evaluation",
    "parse_migration": "kompass_core.formats.migration",
    "parse_ruleset": "kompass_core.formats.ruleset",
    "reference_for": "kompass_core.report.reference",
    "render_html": "kompass_core.report.build",
    "render_markdown": "kompass_core.report.build",
    "render_template": "kompass_core.formats.template",
    "ruleset_from_dict": "kompass_core.formats.ruleset",
    "ruleset_schema": "kompass_core.formats.schema",
    "score": "kompass_core.registry.api",
    "score_with": "kompass_core.engine.scoring",
    "scorecard_from_dict": "kompass_core.formats.serialize",
    "structure": "kompass_core.formats.serialize",
    "to_json": "kompass_core.formats.serialize",
    "unstructure": "kompass_core.formats.serialize",
    "write_atomic": "kompass_core.formats.files",
    "write_template": "kompass_core.formats.xlsx_template",
}

__all__ = [
    "AreaMapping",
    "AreaNotes",
    "Change",
    "Criterion",
    "Difference",
    "Entry",
    "Evaluation",
    "FrozenDict",
    "InputError",
    "Interval",
    "KompassError",
    "Labels",
    "Level",
    "Migration",
    "Municipality",
    "PluginError",
    "PluginInfo",
    "Points",
    "Problem",
    "Profile",
    "Provenance",
    "Reference",
    "Registry",
    "Report",
    "Rounding",
    "RuleSet",
    "RuleSetRef",
    "Score",
    "ScoreCard",
    "Source",
    "Step",
    "Store",
    "SumWeighting",
    "Verdict",
    "Weighting",
    "WeightingSpec",
    "apply_changes",
    "build_report",
    "bundled_rows",
    "compare_cards",
    "default_registry",
    "evaluation_from_dict",
    "evaluation_from_xlsx",
    "evaluation_schema",
    "hookimpl",
    "init_variant",
    "load_evaluation",
    "load_migration",
    "load_profile",
    "load_ruleset",
    "migration_from_dict",
    "parse_change",
    "parse_evaluation",
    "parse_migration",
    "parse_ruleset",
    "reference_for",
    "render_html",
    "render_markdown",
    "render_template",
    "ruleset_from_dict",
    "ruleset_schema",
    "score",
    "score_with",
    "scorecard_from_dict",
    "structure",
    "to_json",
    "unstructure",
    "write_atomic",
    "write_template",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from kompass_core.registry.distribution import version  # importlib.metadata: on ask

        value: Any = version() or "0+unknown"  # "0+unknown": an uninstalled source tree
    else:
        try:
            module = _WHERE[name]
        except KeyError:
            raise AttributeError(f"module 'kompass_core' has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
