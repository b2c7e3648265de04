"""The conformance kit itself, run with pytester: built-ins pass, a broken plugin fails."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

BROKEN = '''
from fractions import Fraction

from kompass_core import hookimpl, parse_ruleset
from kompass_core.model.migration import AreaMapping

RULESET = parse_ruleset(\'\'\'
id = "kk-broken"
version = "1"
organisation = "Test"
country = "SE"
title = { en = "Broken" }
[sources.s]
title = "A source"
[areas.1]
max = 100
label = { en = "One" }
sources = ["s"]
\'\'\')


class Reversed(AreaMapping):
    """Scores run backwards: a high score becomes a low one (breaks law 6)."""

    def apply(self, areas, source, target):
        out = {}
        for key, (low, high) in areas.items():
            out[key] = (100 - high, 100 - low)
        return {k: out.get("1", (0, 100)) for k in (a.key for a in target.areas)}


@hookimpl
def kompass_rulesets():
    return [RULESET]


@hookimpl
def kompass_migrations():
    return [Reversed(RULESET.ref, RULESET.ref.__class__("kk-se", "2.0"),
                     {str(i): {"1": 1} for i in range(1, 9)}, (0, 0), False)]
'''


def test_builtin_plugins_pass_the_kit(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini("[pytest]\nkompass_plugins = skr ks kl krevi\n")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8 * 5 + 8 * 4)


def test_one_test_per_law_and_item(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini("[pytest]\nkompass_plugins = krevi\n")
    result = pytester.runpytest("--collect-only", "-q")
    names = {line.split("::")[-1] for line in result.outlines if "::" in line}
    assert names == {
        "test_ruleset_cites_or_assumes[kk-dk-krevi@2009]", "test_law1_bounds[kk-dk-krevi@2009]",
        "test_law2_monotonicity[kk-dk-krevi@2009]", "test_law3_completeness[kk-dk-krevi@2009]",
        "test_law8_serialisation[kk-dk-krevi@2009]",
        "test_law4_identity[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law5_round_trip[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law6_monotonicity[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law7_path_coherence[kk-se@1.0 -> kk-dk-krevi@2009]"}


def test_a_broken_plugin_fails_the_law_it_breaks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(broken_kompass=BROKEN)
    pytester.makeconftest('pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini("[pytest]\nkompass_plugin_modules = broken_kompass\n")
    pytester.syspathinsert()
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5 + 2, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*FAILED*test_law6_monotonicity*kk-broken@1 -> kk-se@2.0*"])


def test_a_criterion_without_source_or_assumption_fails_honesty(
        pytester: pytest.Pytester) -> None:
    pytester.makepyfile(unsourced_kompass=BROKEN.replace('sources = ["s"]\n', ""))
    pytester.makeconftest('pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini("[pytest]\nkompass_plugin_modules = unsourced_kompass\n")
    pytester.syspathinsert()
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", "-k", "cites_or_assumes")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*criteria neither citing a source nor marked assumed*"])
