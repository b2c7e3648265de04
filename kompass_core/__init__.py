"""kompass: an open engine for Kommunkompassen / Kommunekompasset.

The public API is what this module exports (see docs/api.md); everything else may change.
Names are imported lazily on first use: ``import kompass_core`` costs only what is touched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kompass_core.lazy import exports

if TYPE_CHECKING:
    from kompass_core.analysis.agreement import Agreement, agreement
    from kompass_core.analysis.alpha import Alpha
    from kompass_core.analysis.consensus import consensus_document, consensus_toml
    from kompass_core.analysis.team import Team, read_team, team_of
    from kompass_core.compose.explain import breakdown as explain_breakdown, what_if
    from kompass_core.compose.reference import stored_reference
    from kompass_core.compose.standing import report_standing
    from kompass_core.engine.compare import Difference, Verdict, compare_cards, uncalibrated_between
    from kompass_core.engine.plan import Plan
    from kompass_core.engine.scoring import score_with
    from kompass_core.engine.weighting import SumWeighting, Weighting
    from kompass_core.engine.whatif import Change, apply_changes, parse_change
    from kompass_core.formats.documents import Document, read_document
    from kompass_core.formats.evaluation import (
        evaluation_from_dict,
        evaluation_from_xlsx,
        load_evaluation,
        parse_evaluation,
    )
    from kompass_core.formats.files import write_atomic
    from kompass_core.formats.migration import load_migration, migration_from_dict, parse_migration
    from kompass_core.formats.profile import Profile, load_profile
    from kompass_core.formats.reading import MAX_BYTES as MAX_INPUT_BYTES
    from kompass_core.formats.results import (
        COLUMNS as RESULTS_COLUMNS,
        KINDS as RESULT_KINDS,
        bundled_rows,
        read_rows as read_results,
    )
    from kompass_core.formats.ruleset import load_ruleset, parse_ruleset, ruleset_from_dict
    from kompass_core.formats.schema import evaluation_schema, ruleset_schema
    from kompass_core.formats.serialize import scorecard_from_dict, structure, to_json, unstructure
    from kompass_core.formats.template import render_template
    from kompass_core.formats.xlsx_template import write_template
    from kompass_core.model.card import TOTAL, Entry, Provenance, Score, ScoreCard, Step
    from kompass_core.model.consensus import Consensus, Decision, Reliability
    from kompass_core.model.dates import PartialDate
    from kompass_core.model.errors import InputError, KompassError, PluginError, Problem
    from kompass_core.model.evaluation import AreaNotes, Evaluation, Municipality, Status
    from kompass_core.model.frozen import FrozenDict
    from kompass_core.model.migration import AreaMapping, Interval, Migration
    from kompass_core.model.narrative import Conduct, Fact, Star
    from kompass_core.model.points import Points, Rounding, plain as exact_text
    from kompass_core.model.refs import RuleSetRef
    from kompass_core.model.ruleset import (
        Criterion,
        Labels,
        Level,
        MissingRule,
        RuleSet,
        Source,
        WeightingSpec,
    )
    from kompass_core.ranking.bounds import rank_bounds
    from kompass_core.ranking.contest import area_shares, rank_contest
    from kompass_core.ranking.robust import (
        RankContest,
        RankFigures,
        RobustRanking,
        robust as robust_ranking,
    )
    from kompass_core.ranking.sensitivity import with_sensitivity as rank_sensitivity
    from kompass_core.registry.api import score
    from kompass_core.registry.default import configure_default, current_default, default_registry
    from kompass_core.registry.hookspec import hookimpl
    from kompass_core.registry.registry import PluginInfo, Registry
    from kompass_core.registry.strings import ReportStrings
    from kompass_core.report.build import Report, build_report
    from kompass_core.report.pdf import render_pdf
    from kompass_core.report.reference import (
        Gap,
        Origin,
        Reference,
        reference_for,
        reference_gap,
        select_reference,
    )
    from kompass_core.report.render import render_html, render_markdown
    from kompass_core.report.standing import Standing
    from kompass_core.report.text import report_languages
    from kompass_core.service.app import create_app, serve
    from kompass_core.store.database import Store
    from kompass_core.store.exchange import (
        EXPORT_COLUMNS as STORE_EXPORT_COLUMNS,
        STORE_FORMAT,
        entry_data as store_entry,
        export_data as store_export,
        export_rows as store_export_rows,
        restore as store_restore,
    )
    from kompass_core.store.groups import GroupScheme, read_memberships as read_group_memberships
    from kompass_core.store.importing import records_from_csv
    from kompass_core.store.records import Record, Stored, make_record
    from kompass_core.store.schema import default_path as default_store_path
    from kompass_core.store.stats import (
        average as store_average,
        distinct as store_distinct,
        latest as store_latest,
        rank as store_rank,
    )
    from kompass_core.testing.scaffold import init_variant

    __version__: str

_WHERE = {
    "Agreement": "kompass_core.analysis.agreement",
    "Alpha": "kompass_core.analysis.alpha",
    "AreaMapping": "kompass_core.model.migration",
    "AreaNotes": "kompass_core.model.evaluation",
    "Change": "kompass_core.engine.whatif",
    "Conduct": "kompass_core.model.narrative",
    "Consensus": "kompass_core.model.consensus",
    "Criterion": "kompass_core.model.ruleset",
    "Decision": "kompass_core.model.consensus",
    "Difference": "kompass_core.engine.compare",
    "Document": "kompass_core.formats.documents",
    "Entry": "kompass_core.model.card",
    "Evaluation": "kompass_core.model.evaluation",
    "Status": "kompass_core.model.evaluation",
    "Fact": "kompass_core.model.narrative",
    "FrozenDict": "kompass_core.model.frozen",
    "Gap": "kompass_core.report.reference",
    "GroupScheme": "kompass_core.store.groups",
    "InputError": "kompass_core.model.errors",
    "Interval": "kompass_core.model.migration",
    "KompassError": "kompass_core.model.errors",
    "Labels": "kompass_core.model.ruleset",
    "MissingRule": "kompass_core.model.ruleset",
    "Level": "kompass_core.model.ruleset",
    "Migration": "kompass_core.model.migration",
    "Municipality": "kompass_core.model.evaluation",
    "Origin": "kompass_core.report.reference",
    "PartialDate": "kompass_core.model.dates",
    "Plan": "kompass_core.engine.plan",
    "PluginError": "kompass_core.model.errors",
    "PluginInfo": "kompass_core.registry.registry",
    "Points": "kompass_core.model.points",
    "MAX_INPUT_BYTES": "kompass_core.formats.reading:MAX_BYTES",
    "Problem": "kompass_core.model.errors",
    "Profile": "kompass_core.formats.profile",
    "Provenance": "kompass_core.model.card",
    "RESULTS_COLUMNS": "kompass_core.formats.results:COLUMNS",
    "RESULT_KINDS": "kompass_core.formats.results:KINDS",
    "RankContest": "kompass_core.ranking.robust",
    "RankFigures": "kompass_core.ranking.robust",
    "Record": "kompass_core.store.records",
    "Reference": "kompass_core.report.reference",
    "Registry": "kompass_core.registry.registry",
    "Reliability": "kompass_core.model.consensus",
    "Report": "kompass_core.report.build",
    "ReportStrings": "kompass_core.registry.strings",
    "RobustRanking": "kompass_core.ranking.robust",
    "Rounding": "kompass_core.model.points",
    "RuleSet": "kompass_core.model.ruleset",
    "RuleSetRef": "kompass_core.model.refs",
    "STORE_EXPORT_COLUMNS": "kompass_core.store.exchange:EXPORT_COLUMNS",
    "STORE_FORMAT": "kompass_core.store.exchange",
    "Score": "kompass_core.model.card",
    "ScoreCard": "kompass_core.model.card",
    "Source": "kompass_core.model.ruleset",
    "Standing": "kompass_core.report.standing",
    "Star": "kompass_core.model.narrative",
    "Step": "kompass_core.model.card",
    "Store": "kompass_core.store.database",
    "Stored": "kompass_core.store.records",
    "SumWeighting": "kompass_core.engine.weighting",
    "TOTAL": "kompass_core.model.card",
    "Team": "kompass_core.analysis.team",
    "Verdict": "kompass_core.engine.compare",
    "Weighting": "kompass_core.engine.weighting",
    "WeightingSpec": "kompass_core.model.ruleset",
    "agreement": "kompass_core.analysis.agreement",
    "apply_changes": "kompass_core.engine.whatif",
    "area_shares": "kompass_core.ranking.contest",
    "build_report": "kompass_core.report.build",
    "bundled_rows": "kompass_core.formats.results",
    "compare_cards": "kompass_core.engine.compare",
    "configure_default": "kompass_core.registry.default",
    "consensus_document": "kompass_core.analysis.consensus",
    "consensus_toml": "kompass_core.analysis.consensus",
    "current_default": "kompass_core.registry.default",
    "default_registry": "kompass_core.registry.default",
    "default_store_path": "kompass_core.store.schema:default_path",
    "evaluation_from_dict": "kompass_core.formats.evaluation",
    "evaluation_from_xlsx": "kompass_core.formats.evaluation",
    "evaluation_schema": "kompass_core.formats.schema",
    "exact_text": "kompass_core.model.points:plain",
    "explain_breakdown": "kompass_core.compose.explain:breakdown",
    "hookimpl": "kompass_core.registry.hookspec",
    "init_variant": "kompass_core.testing.scaffold",
    "load_evaluation": "kompass_core.formats.evaluation",
    "load_migration": "kompass_core.formats.migration",
    "load_profile": "kompass_core.formats.profile",
    "load_ruleset": "kompass_core.formats.ruleset",
    "make_record": "kompass_core.store.records",
    "migration_from_dict": "kompass_core.formats.migration",
    "parse_change": "kompass_core.engine.whatif",
    "parse_evaluation": "kompass_core.formats.evaluation",
    "parse_migration": "kompass_core.formats.migration",
    "parse_ruleset": "kompass_core.formats.ruleset",
    "read_document": "kompass_core.formats.documents",
    "rank_bounds": "kompass_core.ranking.bounds",
    "rank_contest": "kompass_core.ranking.contest",
    "rank_sensitivity": "kompass_core.ranking.sensitivity:with_sensitivity",
    "read_group_memberships": "kompass_core.store.groups:read_memberships",
    "read_results": "kompass_core.formats.results:read_rows",
    "read_team": "kompass_core.analysis.team",
    "records_from_csv": "kompass_core.store.importing",
    "reference_for": "kompass_core.report.reference",
    "reference_gap": "kompass_core.report.reference",
    "report_standing": "kompass_core.compose.standing",
    "robust_ranking": "kompass_core.ranking.robust:robust",
    "render_html": "kompass_core.report.render",
    "render_markdown": "kompass_core.report.render",
    "render_pdf": "kompass_core.report.pdf",
    "render_template": "kompass_core.formats.template",
    "report_languages": "kompass_core.report.text",
    "ruleset_from_dict": "kompass_core.formats.ruleset",
    "ruleset_schema": "kompass_core.formats.schema",
    "select_reference": "kompass_core.report.reference",
    "score": "kompass_core.registry.api",
    "team_of": "kompass_core.analysis.team",
    "serve": "kompass_core.service.app",
    "score_with": "kompass_core.engine.scoring",
    "scorecard_from_dict": "kompass_core.formats.serialize",
    "store_average": "kompass_core.store.stats:average",
    "store_distinct": "kompass_core.store.stats:distinct",
    "store_entry": "kompass_core.store.exchange:entry_data",
    "store_export": "kompass_core.store.exchange:export_data",
    "store_export_rows": "kompass_core.store.exchange:export_rows",
    "store_latest": "kompass_core.store.stats:latest",
    "store_rank": "kompass_core.store.stats:rank",
    "store_restore": "kompass_core.store.exchange:restore",
    "stored_reference": "kompass_core.compose.reference",
    "structure": "kompass_core.formats.serialize",
    "to_json": "kompass_core.formats.serialize",
    "uncalibrated_between": "kompass_core.engine.compare",
    "unstructure": "kompass_core.formats.serialize",
    "what_if": "kompass_core.compose.explain",
    "write_atomic": "kompass_core.formats.files",
    "create_app": "kompass_core.service.app",
    "write_template": "kompass_core.formats.xlsx_template",
}

__all__ = [
    "MAX_INPUT_BYTES",
    "RESULTS_COLUMNS",
    "RESULT_KINDS",
    "STORE_EXPORT_COLUMNS",
    "STORE_FORMAT",
    "TOTAL",
    "Agreement",
    "Alpha",
    "AreaMapping",
    "AreaNotes",
    "Change",
    "Conduct",
    "Consensus",
    "Criterion",
    "Decision",
    "Difference",
    "Document",
    "Entry",
    "Evaluation",
    "Fact",
    "FrozenDict",
    "Gap",
    "GroupScheme",
    "InputError",
    "Interval",
    "KompassError",
    "Labels",
    "Level",
    "Migration",
    "MissingRule",
    "Municipality",
    "Origin",
    "PartialDate",
    "Plan",
    "PluginError",
    "PluginInfo",
    "Points",
    "Problem",
    "Profile",
    "Provenance",
    "RankContest",
    "RankFigures",
    "Record",
    "Reference",
    "Registry",
    "Reliability",
    "Report",
    "ReportStrings",
    "RobustRanking",
    "Rounding",
    "RuleSet",
    "RuleSetRef",
    "Score",
    "ScoreCard",
    "Source",
    "Standing",
    "Star",
    "Status",
    "Step",
    "Store",
    "Stored",
    "SumWeighting",
    "Team",
    "Verdict",
    "Weighting",
    "WeightingSpec",
    "agreement",
    "apply_changes",
    "area_shares",
    "build_report",
    "bundled_rows",
    "compare_cards",
    "configure_default",
    "consensus_document",
    "consensus_toml",
    "create_app",
    "current_default",
    "default_registry",
    "default_store_path",
    "evaluation_from_dict",
    "evaluation_from_xlsx",
    "evaluation_schema",
    "exact_text",
    "explain_breakdown",
    "hookimpl",
    "init_variant",
    "load_evaluation",
    "load_migration",
    "load_profile",
    "load_ruleset",
    "make_record",
    "migration_from_dict",
    "parse_change",
    "parse_evaluation",
    "parse_migration",
    "parse_ruleset",
    "rank_bounds",
    "rank_contest",
    "rank_sensitivity",
    "read_document",
    "read_group_memberships",
    "read_results",
    "read_team",
    "records_from_csv",
    "reference_for",
    "reference_gap",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_template",
    "report_languages",
    "report_standing",
    "robust_ranking",
    "ruleset_from_dict",
    "ruleset_schema",
    "score",
    "score_with",
    "scorecard_from_dict",
    "select_reference",
    "serve",
    "store_average",
    "store_distinct",
    "store_entry",
    "store_export",
    "store_export_rows",
    "store_latest",
    "store_rank",
    "store_restore",
    "stored_reference",
    "structure",
    "team_of",
    "to_json",
    "uncalibrated_between",
    "unstructure",
    "what_if",
    "write_atomic",
    "write_template",
]


__getattr__, __dir__ = exports(__name__, _WHERE, __all__, globals())
