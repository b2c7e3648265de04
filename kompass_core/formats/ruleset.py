"""The rule-set file format (TOML; see docs/formats.md) and its checks.

Rule sets are data and are never executed: this module only parses and
validates them. Checks: required keys and types, unknown keys, key
numbering (``3.2`` lies under area ``3``), positive maxima, children's
maxima adding up to their parent's, labels in every language of the rule
set, declared sources, and assumption marks from a fixed vocabulary. The
optional ``[method]`` table says what the method is, per language, citing
declared sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kompass_core.formats.fields import Fields
from kompass_core.formats.reading import build, build_dict, read_text
from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.points import ROUNDING_MODES, Points, Rounding, plain
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import (
    ASSUMABLE,
    NOT_APPLICABLE_RULES,
    RULESET_ASSUMABLE,
    Criterion,
    Labels,
    Level,
    MissingRule,
    RuleSet,
    Source,
    WeightingSpec,
)

_LANG = re.compile(r"[a-z]{2,3}")
_LEVEL_TABLE = {Level.AREA: "subareas", Level.SUBAREA: "questions"}
_TOP_KEYS = ("id", "version", "organisation", "country", "title", "translated", "note",
             "assumed", "weighting", "rounding", "sources", "method", "missing", "areas")


def load_ruleset(source: str | Path) -> RuleSet:
    """Read and validate a rule-set file (TOML or JSON; ``-`` for stdin)."""
    return parse_ruleset(*read_text(source))


def parse_ruleset(text: str, name: str = "<ruleset>") -> RuleSet:
    """Validate rule-set text; every problem is reported with file, line and key path."""
    return build(text, name, ruleset_from_data)


def ruleset_from_dict(data: Mapping[str, Any], name: str = "<dict>") -> RuleSet:
    """A rule set from a dict of the documented file shape, checked as :func:`parse_ruleset`."""
    return build_dict(data, name, ruleset_from_data)


def ruleset_from_data(data: dict[str, Any]) -> RuleSet:
    """Build a :class:`RuleSet` from a parsed document, or raise every problem."""
    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only(*_TOP_KEYS)
    rid, version = top.text("id", True), top.text("version", True)
    ref = None
    if rid is not None and version is not None:
        try:
            ref = RuleSetRef(rid, version)
        except InputError as err:
            top.problem(err.problems[0].message, "id")
    organisation = top.text("organisation", True)
    country = top.text("country", True)
    if country is not None and (problem := country_problem(country)):
        top.problem(problem, "country")
    translated = _languages(top, "translated")
    title = _labels(top, "title", translated, None)
    languages = tuple(title.texts) if title else ()
    assumed = read_assumed(top, RULESET_ASSUMABLE)
    sources = read_sources(top)
    source_ids = {s.id for s in sources}
    weighting = _weighting(top)
    rounding = _rounding(top)
    missing = _missing(top)
    method, method_sources, method_note = _method(top, translated, source_ids)
    areas = tuple(_criteria(top, "areas", Level.AREA, "", translated, languages, source_ids))
    if top.ok and not areas and not any(p.keys[:1] == ("areas",) for p in problems):
        top.problem("a rule set needs at least one area", "areas")
    if problems or ref is None or title is None or organisation is None or country is None:
        raise InputError(problems)
    return RuleSet(ref=ref, title=title, organisation=organisation, country=country,
                   areas=areas, weighting=weighting, rounding=rounding, sources=sources,
                   assumed=assumed, note=top.text("note"), method=method,
                   method_sources=method_sources, method_note=method_note, missing=missing)


def _languages(fields: Fields, name: str) -> frozenset[str]:
    langs = fields.texts(name)
    for i, lang in enumerate(langs):
        if not _LANG.fullmatch(lang):
            fields.problem(f"{lang!r} is not a language code such as sv or en", name, str(i))
    return frozenset(langs)


def _labels(fields: Fields, name: str, translated: frozenset[str],
            languages: tuple[str, ...] | None) -> Labels | None:
    table = fields.table(name, required=True)
    if table is None:
        return None
    texts: dict[str, str] = {}
    for lang in table.data:
        if not _LANG.fullmatch(lang):
            table.problem(f"{lang!r} is not a language code such as sv or en", lang)
            continue
        text = table.text(lang)
        if text is not None:
            texts[lang] = text
    if table.ok and not table.data:
        table.problem("needs a text in at least one language")
    for lang in languages or ():
        if table.ok and lang not in table.data:
            table.problem(f"missing the {lang!r} text (the rule set's title has one)")
    return Labels(texts, translated & texts.keys()) if texts else None


def read_assumed(fields: Fields, vocabulary: tuple[str, ...]) -> frozenset[str]:
    """The ``assumed`` marks of a table, each one from ``vocabulary``."""
    marks = fields.texts("assumed")
    for i, mark in enumerate(marks):
        if mark not in vocabulary:
            fields.problem(f"{mark!r} cannot be assumed (one of: {', '.join(vocabulary)})",
                           "assumed", str(i))
    return frozenset(m for m in marks if m in vocabulary)


def read_sources(top: Fields) -> tuple[Source, ...]:
    """The ``[sources.ID]`` tables of a rule-set or migration file."""
    out = []
    for sid, table in top.tables("sources"):
        table.only("title", "url", "note")
        title = table.text("title", required=True)
        if title is not None:
            out.append(Source(sid, title, table.text("url"), table.text("note")))
    return tuple(out)


def read_cited(fields: Fields, source_ids: set[str]) -> tuple[str, ...]:
    """The ``sources`` a table cites, each declared under ``[sources]``."""
    cited = fields.texts("sources")
    for i, sid in enumerate(cited):
        if sid not in source_ids:
            fields.problem(f"unknown source {sid!r} (declare it under [sources])", "sources",
                           str(i))
    return cited


def _method(top: Fields, translated: frozenset[str], source_ids: set[str]
            ) -> tuple[Labels | None, tuple[str, ...], str | None]:
    """``[method]``: a text per language code, the ``sources`` it cites and a ``note``."""
    table = top.table("method")
    if table is None:
        return None, (), None
    texts: dict[str, str] = {}
    for key in table.data:
        if key in ("sources", "note"):
            continue
        if not _LANG.fullmatch(key):
            table.problem("unknown key (expected a language code such as sv, sources or note)",
                          key)
        elif (text := table.text(key)) is not None:
            texts[key] = text.strip()
    if table.ok and not texts:
        table.problem("needs a text in at least one language")
    cited = read_cited(table, source_ids)
    return (Labels(texts, translated & texts.keys()) if texts else None), cited, \
        table.text("note")


def _weighting(top: Fields) -> WeightingSpec:
    table = top.table("weighting")
    if table is None:
        return WeightingSpec()
    table.only("name", "params")
    params: dict[str, Points] = {}
    sub = table.table("params")
    if sub is not None:
        for key in sub.data:
            value = sub.number(key)
            if value is not None:
                params[key] = value
    return WeightingSpec(table.text("name") or "sum", params)


def _missing(top: Fields) -> MissingRule:
    """``[missing]``: ``not_applicable`` (one of :data:`NOT_APPLICABLE_RULES`), ``coverage``."""
    table = top.table("missing")
    if table is None:
        return MissingRule()
    table.only("not_applicable", "coverage")
    rule = table.text("not_applicable")
    if rule is not None and rule not in NOT_APPLICABLE_RULES:
        table.problem(f"unknown rule {rule!r} (one of: {', '.join(NOT_APPLICABLE_RULES)})",
                      "not_applicable")
        rule = None
    coverage = table.number("coverage")
    if coverage is not None and not 0 <= coverage <= 1:
        table.problem(f"coverage {plain(coverage)} is outside 0..1", "coverage")
        coverage = None
    return MissingRule(rule or "forbidden",
                       None if coverage is None else Fraction(coverage))


def _rounding(top: Fields) -> Rounding:
    table = top.table("rounding")
    if table is None:
        return Rounding()
    table.only("places", "mode")
    places = table.integer("places")
    mode = table.text("mode")
    if places is not None and not 0 <= places <= 6:
        table.problem(f"{places} decimal places is outside 0..6", "places")
        places = None
    if mode is not None and mode not in ROUNDING_MODES:
        table.problem(f"unknown rounding mode {mode!r} (one of: {', '.join(ROUNDING_MODES)})",
                      "mode")
        mode = None
    return Rounding(places if places is not None else 0,
                    mode or "half-up")


def _criteria(parent: Fields, table_name: str, level: Level, parent_key: str,
              translated: frozenset[str], languages: tuple[str, ...],
              source_ids: set[str]) -> list[Criterion]:
    out = []
    for key, fields in parent.tables(table_name):
        expected = f"{parent_key}." if parent_key else ""
        local = key[len(expected):] if key.startswith(expected) else None
        if local is None or not local.isdigit() or local.startswith("0"):
            shape = f"{parent_key}.N" if parent_key else "N"
            fields.problem(f"key must be {shape} with N a positive whole number")
            continue
        child_table = _LEVEL_TABLE.get(level)
        fields.only("max", "label", "translated", "assumed", "note", "sources",
                    *([child_table] if child_table else []))
        own = _languages(fields, "translated") if fields.has("translated") else translated
        labels = _labels(fields, "label", own, languages)
        top_max = fields.number("max", required=True)
        if top_max is not None and top_max <= 0:
            fields.problem(f"max must be above 0, got {top_max}", "max")
            top_max = None
        cited = read_cited(fields, source_ids)
        children: list[Criterion] = []
        if child_table and level.child is not None:
            before = len(fields.problems)
            children = _criteria(fields, child_table, level.child, key, own, languages,
                                 source_ids)
            total = sum((c.max for c in children), start=0)
            if children and top_max is not None and total != top_max and \
                    len(fields.problems) == before:
                fields.problem(f"maxima of the {child_table} add up to {total}, "
                               f"not the max {top_max}", child_table)
        if labels is not None and top_max is not None:
            out.append(Criterion(key, level, labels, top_max, tuple(children),
                                 read_assumed(fields, ASSUMABLE), fields.text("note"), cited))
    return out


def ruleset_to_data(ruleset: RuleSet) -> dict[str, Any]:
    """The rule-set file's data for ``ruleset`` (the inverse of :func:`ruleset_from_data`).

    Numbers that are not whole are written as decimals where exact, so the
    file reads back to the same rule set; ``translated`` is written per
    criterion only where it differs from the rule set's.
    """
    top_translated = ruleset.title.translated
    data: dict[str, Any] = {
        "id": ruleset.ref.id, "version": ruleset.ref.version,
        "organisation": ruleset.organisation, "country": ruleset.country,
        "title": dict(ruleset.title.texts), "translated": sorted(top_translated)}
    if ruleset.assumed:
        data["assumed"] = sorted(ruleset.assumed)
    if ruleset.note:
        data["note"] = ruleset.note
    data["weighting"] = {"name": ruleset.weighting.name}
    if ruleset.weighting.params:
        data["weighting"]["params"] = {k: _number(v) for k, v in ruleset.weighting.params.items()}
    data["rounding"] = {"places": ruleset.rounding.places, "mode": ruleset.rounding.mode}
    if ruleset.missing != MissingRule():
        data["missing"] = {"not_applicable": ruleset.missing.not_applicable}
        if ruleset.missing.coverage is not None:
            data["missing"]["coverage"] = _number(ruleset.missing.coverage)
    if ruleset.sources:
        data["sources"] = {s.id: {k: v for k, v in (("title", s.title), ("url", s.url),
                                                      ("note", s.note)) if v}
                           for s in ruleset.sources}
    if ruleset.method is not None:
        data["method"] = {**ruleset.method.texts, **({"sources": list(ruleset.method_sources)}
                                                     if ruleset.method_sources else {}),
                          **({"note": ruleset.method_note} if ruleset.method_note else {})}

    def criterion(c: Criterion, inherited: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"max": _number(c.max), "label": dict(c.labels.texts)}
        own = c.labels.translated
        if own != inherited & c.labels.texts.keys():
            out["translated"] = sorted(own)
        for key, value in (("assumed", sorted(c.assumed)), ("sources", list(c.sources))):
            if value:
                out[key] = value
        if c.note:
            out["note"] = c.note
        table = _LEVEL_TABLE.get(c.level)
        if table and c.children:
            child_inherited = own if "translated" in out else inherited
            out[table] = {ch.key: criterion(ch, child_inherited) for ch in c.children}
        return out

    data["areas"] = {a.key: criterion(a, top_translated) for a in ruleset.areas}
    return data


def _number(value: Points) -> int | Decimal:
    if isinstance(value, int):
        return value
    text = plain(value)
    if "/" in text:
        raise InputError(f"{text} has no exact decimal form, so it cannot be written to TOML")
    return Decimal(text)
