"""The rule sets kompass ships: structure, sources, and honest marking of assumptions.

Every registered rule set is checked against the rules in
``/work/shared/domain/README.md``: eight areas of 100, every criterion
cites a source, every label exists in every language of the title, our own
translations and every unpublished fact are marked as such.

Stricter than the kit's honesty law (``test_ruleset_cites_or_assumes``, where
any cited source covers a criterion): a fact (a criterion's label, max or key;
a migration's mapping or calibration) is covered only by a cited source that
*states it*, as recorded in STATES and in test_shipped_migrations.py's
MIGRATION_STATES from the sources' notes and the research notes; anything
else must be in the element's ``assumed`` list. The table of every assumption
and uncalibrated step in docs/variants.md is generated from the data, and a
test fails when they disagree (``KOMPASS_UPDATE_DOCS=1`` rewrites it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kompass_core import Criterion, Level, Registry, RuleSet, default_registry
from kompass_core.model.migration import AreaMapping

REFS = [str(r.ref) for r in default_registry().rulesets()]

EXPECTED = {
    # ref: (plugin, organisation, country, title languages)
    "kk-se@1.0": ("skr", "SKL", "SE", ("sv", "en")),
    "kk-se@2.0": ("skr", "SKL", "SE", ("sv", "en")),
    "kk-se@2015": ("skr", "SKL", "SE", ("sv", "en")),
    "kk-se@2020": ("skr", "SKR", "SE", ("sv", "en")),
    "kk-no@2.0": ("ks", "KS", "NO", ("nb", "en")),
    "kk-no@2020": ("ks", "KS", "NO", ("nb", "en")),
    "kk-dk@2.0": ("kl", "KL", "DK", ("da", "en")),
    "kk-dk-krevi@2009": ("krevi", "KREVI", "DK", ("da", "en")),
}

WITHOUT_SUBAREAS = {"kk-se@1.0", "kk-se@2020", "kk-no@2020", "kk-dk-krevi@2009"}
"""Rule sets whose sub-areas no source lists: scored at area level only."""


@pytest.fixture(params=REFS)
def ruleset(request: pytest.FixtureRequest, registry: Registry) -> RuleSet:
    return registry.ruleset(request.param)


def _subareas(ruleset: RuleSet) -> list[Criterion]:
    return [c for c in ruleset.criteria() if c.level is Level.SUBAREA]


def test_every_shipped_ruleset_is_registered_and_nothing_else() -> None:
    assert sorted(REFS) == sorted(EXPECTED)


@pytest.mark.parametrize("plugin", sorted({p for p, *_ in EXPECTED.values()}))
def test_each_plugin_provides_exactly_its_rulesets(registry: Registry, plugin: str) -> None:
    provided = {p.name: sorted(str(r) for r in p.rulesets) for p in registry.plugins()}
    expected = sorted(ref for ref, (owner, *_) in EXPECTED.items() if owner == plugin)
    assert provided[plugin] == expected


def test_eight_areas_of_100_and_800_in_all(ruleset: RuleSet) -> None:
    assert [a.key for a in ruleset.areas] == [str(n) for n in range(1, 9)]
    assert all(a.max == 100 for a in ruleset.areas)
    assert ruleset.max == 800


def test_organisation_country_and_languages(registry: Registry, ruleset: RuleSet) -> None:
    plugin, organisation, country, languages = EXPECTED[str(ruleset.ref)]
    assert (ruleset.organisation, ruleset.country) == (organisation, country)
    assert ruleset.languages == languages
    assert registry.provider(ruleset.ref) == plugin


SHOWN_PLACES = {"kk-se@1.0": 1}
"""One decimal on 1.0, so the +10..12.5 per area of the 2.0 -> 1.0 calibration adds up."""


def test_sum_of_whole_points_half_up_with_rounding_marked_assumed(ruleset: RuleSet) -> None:
    assert ruleset.weighting.name == "sum" and not ruleset.weighting.params
    places = SHOWN_PLACES.get(str(ruleset.ref), 0)
    assert (ruleset.rounding.places, ruleset.rounding.mode) == (places, "half-up")
    assert "rounding" in ruleset.assumed


def test_every_criterion_cites_a_declared_source(ruleset: RuleSet) -> None:
    declared = {s.id for s in ruleset.sources}
    assert declared and ruleset.note
    for criterion in ruleset.criteria():
        assert criterion.sources, criterion.key
        assert set(criterion.sources) <= declared, criterion.key


def test_every_label_has_every_title_language(ruleset: RuleSet) -> None:
    for criterion in ruleset.criteria():
        assert tuple(criterion.labels.texts) == ruleset.languages, criterion.key
        assert all(text.strip() for text in criterion.labels.texts.values()), criterion.key


def test_english_is_always_marked_as_our_translation(ruleset: RuleSet) -> None:
    assert "en" in ruleset.title.translated
    for criterion in ruleset.criteria():
        assert "en" in criterion.labels.translated, criterion.key


@pytest.mark.parametrize("ref", [ref for ref, (*_, country, _) in EXPECTED.items()
                                 if country == "DK"])
def test_danish_labels_are_always_our_translation(registry: Registry, ref: str) -> None:
    ruleset = registry.ruleset(ref)
    assert "da" in ruleset.title.translated
    for criterion in ruleset.criteria():
        assert "da" in criterion.labels.translated, criterion.key


def test_every_subarea_max_is_marked_assumed(ruleset: RuleSet) -> None:
    for sub in _subareas(ruleset):
        assert "max" in sub.assumed, sub.key


def test_subareas_only_where_a_source_lists_them(ruleset: RuleSet) -> None:
    ref = str(ruleset.ref)
    if ref in WITHOUT_SUBAREAS:
        assert not _subareas(ruleset)
        return
    with_subareas = [a.key for a in ruleset.areas if a.children]
    assert with_subareas == [str(n) for n in range(1, 8)]  # area 8's list is not available
    assert all(sub.max == int(sub.max) for sub in _subareas(ruleset))


def test_every_area_with_an_assumption_says_why(ruleset: RuleSet) -> None:
    for area in ruleset.areas:
        if area.assumed:
            assert area.note, area.key


@pytest.mark.parametrize("ref", ["kk-se@1.0", "kk-dk-krevi@2009"])
def test_unknown_area_names_are_marked_assumed(registry: Registry, ref: str) -> None:
    ruleset = registry.ruleset(ref)
    for area in ruleset.areas:
        assert "label" in area.assumed, area.key
        assert "unknown" in area.labels.texts["en"]


def test_kk_se_2015_confirms_only_areas_2_and_4(registry: Registry) -> None:
    ruleset = registry.ruleset("kk-se@2015")
    confirmed = [a.key for a in ruleset.areas if "label" not in a.assumed]
    assert confirmed == ["2", "4"]
    assert ruleset.criterion("2").labels.texts["sv"] == "Brukarfokus, tillgänglighet och bemötande"
    for sub in _subareas(ruleset):
        assert {"exists", "max"} <= sub.assumed, sub.key


def test_kk_se_2015_carries_the_2_0_subareas(registry: Registry) -> None:
    old, new = registry.ruleset("kk-se@2.0"), registry.ruleset("kk-se@2015")
    shape = [(s.key, s.max, dict(s.labels.texts)) for s in _subareas(old)]
    assert [(s.key, s.max, dict(s.labels.texts)) for s in _subareas(new)] == shape


@pytest.mark.parametrize("ref", ["kk-no@2.0", "kk-dk@2.0"])
def test_nordic_2_0_has_the_swedish_subareas_in_our_translation(registry: Registry,
                                                                ref: str) -> None:
    swedish, ruleset = registry.ruleset("kk-se@2.0"), registry.ruleset(ref)
    assert [(s.key, s.max) for s in _subareas(ruleset)] == \
        [(s.key, s.max) for s in _subareas(swedish)]
    for sub in _subareas(ruleset):
        assert sub.labels.translated == set(ruleset.languages), sub.key


def test_kk_no_2020_marks_the_two_names_not_seen(registry: Registry) -> None:
    ruleset = registry.ruleset("kk-no@2020")
    for area in ruleset.areas:
        unseen = area.key in {"5", "7"}
        assert ("nb" in area.labels.translated) is unseen, area.key
        assert ("label" in area.assumed) is unseen, area.key
    assert "key" in ruleset.criterion("1").assumed


def test_the_seed_is_cited_with_page_numbers(registry: Registry) -> None:
    """Wherever the 2011 seed report is cited, the citation says on which pages."""
    cited = [(str(r.ref), s) for r in registry.rulesets() for s in r.sources]
    cited += [(f"{m.source} -> {m.target}", s) for m, _ in registry.migrations()
              for s in getattr(m, "sources", ())]
    seeds = [(where, s) for where, s in cited if s.id == "skl-upplands-vasby-2011"]
    assert seeds
    for where, s in seeds:
        assert "p. " in f"{s.title} {s.note or ''}", where


@pytest.mark.parametrize("ref", ["kk-se@2020", "kk-no@2020"])
def test_comparing_within_one_version_is_tomelillas_word(registry: Registry, ref: str) -> None:
    ruleset = registry.ruleset(ref)
    assert "Tomelilla" in (ruleset.note or "") and "SKR says" not in (ruleset.note or "")
    assert "tomelilla" in {s.id for s in ruleset.sources}


VARIANTS = Path(__file__).resolve().parent.parent / "docs" / "variants.md"
BEGIN = "<!-- assumptions table: generated by tests/test_shipped_rulesets.py -->"
END = "<!-- end of assumptions table -->"

AREA, SUB = Level.AREA, Level.SUBAREA
ALL = frozenset({"label", "max", "key"})
NAMED = frozenset({"label", "key"})

STATES: dict[str, dict[str, dict[Level, frozenset[str]]]] = {
    # rule set -> source id -> level -> the facts that source states at that level
    "kk-se@1.0": {
        # eight areas (so keys 1-8 of otherwise unnamed areas); no 1.0 max, no 1.0 names
        "kskonsulent": {AREA: frozenset({"key"})},
    },
    "kk-se@2.0": {
        # area names (p. 5) and "Område n" headings, Rubriker lists in order (pp. 6-23)
        "skl-upplands-vasby-2011": {AREA: NAMED, SUB: NAMED},
        "skl-strangnas-2014": {AREA: frozenset({"label", "key"})},
        "grastorp-2014": {AREA: frozenset({"label", "key"})},
        # identical for Norway and Sweden; eight areas of 100 points
        "kskonsulent": {AREA: frozenset({"max"})},
    },
    "kk-se@2015": {
        "engelholm-2016": {AREA: frozenset({"label"})},  # names areas 2 and 4, no numbers
    },
    "kk-se@2020": {
        "skr-2020": {AREA: frozenset({"label", "key"})},
        "ulricehamn": {AREA: frozenset({"label", "max"})},
        "tomelilla": {AREA: frozenset({"label"})},
    },
    "kk-no@2.0": {
        "kskonsulent": {AREA: frozenset(ALL)},
        "kskonsulent-new": {AREA: frozenset({"label"})},
        "nesodden": {AREA: frozenset({"label", "key"})},
        "rorosnytt": {AREA: frozenset({"label", "max"})},
        # the Swedish sub-areas, in order; nb labels are ours (translated)
        "skl-upplands-vasby-2011": {SUB: frozenset({"label", "key"})},
    },
    "kk-no@2020": {
        "nesseby": {AREA: frozenset({"label"})},  # six names, not numbered
        "skr-2020": {AREA: frozenset({"key"})},  # the Swedish order
    },
    "kk-dk@2.0": {
        # the Swedish 2.0 names and order; da labels are ours (translated)
        "skl-upplands-vasby-2011": {AREA: NAMED, SUB: NAMED},
        "skl-strangnas-2014": {AREA: frozenset({"label", "key"})},
    },
    "kk-dk-krevi@2009": {
        "dknyt-2010": {AREA: frozenset({"key"})},  # eight themes
    },
}

METHOD: dict[str, frozenset[str]] = {
    # rule set -> the sources its method text rests on (its note says what each gives, where)
    "kk-se@1.0": frozenset({"skl-upplands-vasby-2011", "sundbyberg-2010", "kskonsulent"}),
    "kk-se@2.0": frozenset({"skl-upplands-vasby-2011", "sundbyberg-2010", "kskonsulent"}),
    "kk-se@2015": frozenset({"skl-upplands-vasby-2011", "engelholm-2016"}),
    "kk-se@2020": frozenset({"skr-2020", "skr-2020-news", "ulricehamn", "tomelilla", "hoganas",
                             "vallentuna-2021"}),
    "kk-no@2.0": frozenset({"skl-upplands-vasby-2011", "kskonsulent", "kskonsulent-new",
                            "nesodden", "rorosnytt"}),
    "kk-no@2020": frozenset({"skr-2020-news", "kvalitetsmassan-2019", "skr-2020",
                             "vallentuna-2021"}),
    "kk-dk@2.0": frozenset({"skl-upplands-vasby-2011", "sundbyberg-2010", "dknyt-2010",
                            "krevi-2010"}),
    "kk-dk-krevi@2009": frozenset({"krevi-2009", "kora-silkeborg-2009", "krevi-2010",
                                   "dknyt-2010"}),
}


def test_every_method_text_is_in_the_rule_sets_language_and_cites_where(registry: Registry
                                                                        ) -> None:
    """What the method is: written from the sources in the rule set's own language, each cited
    source named in the note with what it gives (the seed with its page), never ours alone."""
    for ruleset in registry.rulesets():
        ref = str(ruleset.ref)
        if ruleset.method is None:
            assert ref not in METHOD, ref
            continue
        assert tuple(ruleset.method.texts) == (ruleset.languages[0],), ref
        # our translation where the rule set's labels are (Danish from Swedish sources)
        assert ruleset.method.translated == ruleset.title.translated & {ruleset.languages[0]}
        assert set(ruleset.method_sources) == METHOD[ref], ref
        assert set(ruleset.method_sources) <= {s.id for s in ruleset.sources}, ref
        note = ruleset.method_note or ""
        assert all(s in note for s in ruleset.method_sources), ref
        if "skl-upplands-vasby-2011" in ruleset.method_sources:
            assert "p. 3" in note, ref
        for paragraph in ruleset.method.texts[ruleset.languages[0]].split("\n\n"):
            assert paragraph.strip() and not paragraph.lstrip().startswith(("#", "<", "-")), ref


def _declared(registry: Registry) -> list[AreaMapping]:
    return [m for m, _ in registry.migrations() if isinstance(m, AreaMapping) and not m.reverse]


def test_every_ruleset_fact_is_stated_by_a_cited_source_or_assumed(registry: Registry) -> None:
    assert sorted(STATES) == sorted(str(r.ref) for r in registry.rulesets())
    uncovered = []
    for ruleset in registry.rulesets():
        states = STATES[str(ruleset.ref)]
        declared = {s.id for s in ruleset.sources}
        assert set(states) <= declared, ruleset.ref
        for c in ruleset.criteria():
            if "exists" in c.assumed:
                continue
            stated = set().union(*(states.get(s, {}).get(c.level, frozenset())
                                   for s in c.sources))
            uncovered += [f"{ruleset.ref} {c.key} {fact}" for fact in sorted(ALL)
                          if fact not in c.assumed and fact not in stated]
    assert not uncovered, "stated by no cited source and not marked assumed: " + \
        ", ".join(uncovered)


def _keys(keys: list[str], every: list[str], what: str) -> str:
    if keys == every:
        return f"all {len(keys)} {what}"
    return ", ".join(keys)


def assumptions_table(registry: Registry) -> str:
    """The table of every assumption and every uncalibrated step, from the data."""
    rows = ["| where | element | assumed or uncalibrated | criteria |",
            "|---|---|---|---|"]
    for ruleset in registry.rulesets():
        ref = f"`{ruleset.ref}`"
        if ruleset.assumed:
            rows.append(f"| {ref} | rule set | {', '.join(sorted(ruleset.assumed))} | |")
        for level, what in ((AREA, "area"), (SUB, "sub-area")):
            at = [c for c in ruleset.criteria() if c.level is level]
            for fact in ("exists", "label", "max", "key"):
                keys = [c.key for c in at if fact in c.assumed]
                if keys:
                    rows.append(f"| {ref} | {what} | {fact} | "
                                f"{_keys(keys, [c.key for c in at], what + 's')} |")
    for m in _declared(registry):
        name = f"`{m.source} -> {m.target}`"
        marks = sorted(m.assumed) + ([] if m.calibrated else ["**uncalibrated**"])
        if marks:
            rows.append(f"| {name} | migration | {', '.join(marks)} | |")
    return "\n".join(rows) + "\n"


def test_variants_md_lists_every_assumption_and_uncalibrated_step() -> None:
    text = VARIANTS.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    table = "\n" + assumptions_table(default_registry())
    if os.environ.get("KOMPASS_UPDATE_DOCS") and body != table:
        VARIANTS.write_text(head + BEGIN + table + END + tail, encoding="utf-8")
        return
    assert body == table, "docs/variants.md's assumptions table disagrees with the data:\n" + table


@pytest.mark.parametrize("ref", ["kk-se@1.0", "kk-dk@2.0"])
def test_area_maxima_no_source_states_are_assumed(registry: Registry, ref: str) -> None:
    assert all("max" in a.assumed for a in registry.ruleset(ref).areas)
