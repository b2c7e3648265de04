"""Rule-set files: the loader's checks, each with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_core import InputError, Level, load_ruleset, parse_ruleset
from kompass_core.formats.migration import parse_migration
from tests.conftest import ROOT

GOOD = """\
id = "kk-xx"
version = "1.0"
organisation = "Test"
country = "SE"
title = { sv = "Test", en = "Test" }
translated = ["en"]

[sources.s1]
title = "A source"

[areas.1]
max = 60
label = { sv = "Ett", en = "One" }
sources = ["s1"]

[areas.1.subareas."1.1"]
max = 30
label = { sv = "Ett ett", en = "One one" }
assumed = ["max"]

[areas.1.subareas."1.1".questions."1.1.1"]
max = 30
label = { sv = "Fråga", en = "Question" }

[areas.1.subareas."1.2"]
max = 30
label = { sv = "Ett två", en = "One two" }

[areas.2]
max = 40
label = { sv = "Två", en = "Two" }
"""


def test_good_ruleset_loads() -> None:
    rs = parse_ruleset(GOOD, "good.toml")
    assert str(rs.ref) == "kk-xx@1.0"
    assert rs.max == 100
    assert rs.criterion("1.1.1").level is Level.QUESTION
    assert rs.criterion("1.1").assumed == {"max"}
    assert rs.criterion("1").labels.translated == {"en"}
    assert [c.key for c in rs.criteria()] == ["1", "1.1", "1.1.1", "1.2", "2"]


def test_shipped_rulesets_load_from_disk() -> None:
    paths = [p for p in sorted((ROOT / "rulesets").rglob("*.toml"))
             if not p.name.endswith(".migration.toml")]
    assert paths
    for path in paths:
        assert load_ruleset(path).max > 0


@pytest.mark.parametrize(("old", "new", "message"), [
    ('max = 30\nlabel = { sv = "Ett två"', 'max = 31\nlabel = { sv = "Ett två"',
     "bad.toml:16: areas.1.subareas: maxima of the subareas add up to 61, not the max 60"),
    ('max = 40', 'max = 0', "bad.toml:30: areas.2.max: max must be above 0, got 0"),
    ('max = 40', 'max = "40"', "bad.toml:30: areas.2.max: expected a number, got a string"),
    ('max = 40', 'max = true', "bad.toml:30: areas.2.max: expected a number, got a boolean"),
    ('[areas.2]', '[areas.02]', "bad.toml:29: areas.02: key must be N with N a positive whole "
                                "number"),
    ('"1.2"]', '"2.2"]', "bad.toml:25: areas.1.subareas.2.2: key must be 1.N with N a positive "
                         "whole number"),
    ('label = { sv = "Två", en = "Two" }', 'label = { sv = "Två" }',
     "bad.toml:31: areas.2.label: missing the 'en' text (the rule set's title has one)"),
    ('assumed = ["max"]', 'assumed = ["maximum"]',
     "bad.toml:19: areas.1.subareas.1.1.assumed.0: 'maximum' cannot be assumed (one of: "
     "exists, label, max, key)"),
    ('sources = ["s1"]', 'sources = ["s2"]',
     "bad.toml:14: areas.1.sources.0: unknown source 's2' (declare it under [sources])"),
    ('id = "kk-xx"', 'id = "KK XX"', "bad.toml:1: id: invalid rule-set id 'KK XX'"),
    ('country = "SE"', 'country = "Sweden"',
     "bad.toml:4: country: 'Sweden' is not an ISO 3166 country code such as SE"),
    ('organisation = "Test"\n', '', "bad.toml: missing required key 'organisation'"),
    ('translated = ["en"]', 'translated = ["english"]',
     "bad.toml:6: translated.0: 'english' is not a language code such as sv or en"),
    ('[sources.s1]', '[weighting]\nname = "sum"\nextra = 1\n[sources.s1]',
     "bad.toml:10: weighting.extra: unknown key (expected one of: name, params)"),
    ('[sources.s1]', '[rounding]\nmode = "bankers"\n[sources.s1]',
     "bad.toml:9: rounding.mode: unknown rounding mode 'bankers' (one of: half-up, half-even, "
     "down, up)"),
    ('[sources.s1]', '[rounding]\nplaces = 9\n[sources.s1]',
     "bad.toml:9: rounding.places: 9 decimal places is outside 0..6"),
    ('version = "1.0"', 'version = "1.0"\ncolour = "red"',
     "bad.toml:3: colour: unknown key (expected one of: id, version, organisation, country, "
     "title, translated, note, assumed, weighting, rounding, sources, method, missing, areas)"),
])
def test_bad_ruleset(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(InputError) as info:
        parse_ruleset(GOOD.replace(old, new, 1), "bad.toml")
    assert str(info.value) == message


def test_ruleset_without_areas() -> None:
    head = GOOD[: GOOD.index("[sources.s1]")]
    with pytest.raises(InputError, match="areas: a rule set needs at least one area"):
        parse_ruleset(head, "bad.toml")


def test_json_ruleset_equals_toml(tmp_path: Path) -> None:
    import json
    import tomllib

    data = tomllib.loads(GOOD)
    path = tmp_path / "rs.json"
    path.write_text(json.dumps(data))
    assert load_ruleset(path) == parse_ruleset(GOOD)


MIGRATION = """\
from = "kk-xx@1.0"
to = "kk-xx@2.0"
assumed = ["mapping"]

[sources.s1]
title = "A source"

[calibration]
status = "uncalibrated"
sources = ["s1"]

[areas]
"1" = { "1" = 1 }
"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ('["mapping"]', '["maximum"]',
     "bad.toml:3: assumed.0: 'maximum' cannot be assumed (one of: mapping, calibration)"),
    ('sources = ["s1"]', 'sources = ["s2"]',
     "bad.toml:10: calibration.sources.0: unknown source 's2' (declare it under [sources])"),
])
def test_migration_files_check_marks_and_sources_as_rule_sets_do(old: str, new: str,
                                                                  message: str) -> None:
    assert parse_migration(MIGRATION).assumed == {"mapping"}
    with pytest.raises(InputError) as info:
        parse_migration(MIGRATION.replace(old, new, 1), "bad.toml")
    assert str(info.value) == message
