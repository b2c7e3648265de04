"""The conformance kit itself, run with pytester: what only these tests prove.

That the kit generates one test per law and per rule set or migration under
the documented ids, skips a law a migration cannot keep, passes on the
built-in plugins, honours ``--kompass-examples``, and FAILS on a plugin (or,
for the laws no plugin can break, an engine) that breaks each law. The laws
themselves are proven on the shipped data and on random rule sets by
tests/test_laws.py, test_migration_laws.py and test_shipped_*.py, so the kit
runs here on a few examples only (``--kompass-examples``).
"""

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


FEW = ("--kompass-examples", "5", "--hypothesis-seed", "0")
"""Enough to run every law test end to end; the laws' strength is proven elsewhere.
Seeded, so that a case that must fail fails in every run, not in most."""

ONE_AREA_RULESETS = '''
from kompass_core import hookimpl, parse_ruleset


def one_area(ref):
    name, version = ref.split("@")
    return parse_ruleset(f\'\'\'
id = "{name}"
version = "{version}"
organisation = "Test"
country = "SE"
title = {{ en = "{name}" }}
[sources.s]
title = "A source"
[areas.1]
max = 100
label = {{ en = "One" }}
sources = ["s"]
\'\'\')


A, B, C = (one_area(ref) for ref in ("kk-a@1", "kk-b@1", "kk-c@1"))


def up_to_25(x):
    """The next multiple of 25: monotone, and x itself at 0, 25, 50, 75 and 100."""
    return -(-x // 25) * 25


class Coded:
    calibrated = True

    def __init__(self, source, target, f=lambda x: x, inverse=None):
        self.source, self.target, self.f, self._inverse = source.ref, target.ref, f, inverse
        self.invertible = inverse is not None

    def apply(self, areas, source, target):
        return {key: (self.f(low), self.f(high)) for key, (low, high) in areas.items()}

    def inverse(self):
        return self._inverse

    def check(self, source, target):
        return []


@hookimpl
def kompass_rulesets():
    return [A, B, C]
'''

BREAKS_LAW5 = ONE_AREA_RULESETS + '''
@hookimpl
def kompass_migrations():
    """Declared invertible, but the way back rounds up: A -> B -> A loses the original."""
    return [Coded(A, B, inverse=Coded(B, A, up_to_25))]
'''

BREAKS_LAW7 = ONE_AREA_RULESETS + '''
@hookimpl
def kompass_migrations():
    """A -> C rounds up, A -> B -> C does not: the registry's probes (0, 1/4 ... max)
    cannot tell them apart, random cards can."""
    return [Coded(A, B), Coded(B, C), Coded(A, C, up_to_25)]
'''

ENGINE_MUTANTS = {
    # law: conftest code breaking the engine (no plugin can: scoring keeps laws 1-3 and 8
    # by construction and the registry answers law 4 itself), so the kit must catch it.
    "law1_bounds": "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
                   "attrs.evolve(score(self, ev), highs=score(self, ev).maxes[:-1] + (10**6,)))",
    "law2_monotonicity": "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
                         "score(self, attrs.evolve(ev, points={key: self.ruleset(ev.ruleset)"
                         ".criterion(key).max - p for key, p in ev.points.items()})))",
    "law3_completeness": "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
                         "score(self, attrs.evolve(ev, points=dict(sorted(ev.points.items())"
                         "[1:]))))",
    "law4_identity": "monkeypatch.setattr(Registry, 'migrate', lambda self, card, target: "
                     "attrs.evolve(migrate(self, card, target), date=datetime.date(1999, 1, 1)))",
    "law8_serialisation": "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
                          "attrs.evolve(score(self, ev), keys=list(score(self, ev).keys)))",
    "law9_missing_values": "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
                           "score(self, attrs.evolve(ev, status={})))",
}

NO_SHRINKING = '''
import pytest
from hypothesis import Phase, settings

pytest_plugins = ["kompass_core.testing"]


@pytest.fixture(scope="session")
def kompass_settings(kompass_settings):
    """The kit's settings without shrinking: these runs only need to fail, not minimally."""
    return settings(kompass_settings, phases=[Phase.explicit, Phase.generate])
'''
"""The conftest of runs that must fail: the kit's fixture, overridden as a variant may."""

MUTANT_CONFTEST = NO_SHRINKING + '''
import datetime

import attrs

from kompass_core import Registry

score, migrate = Registry.score, Registry.migrate


@pytest.fixture(autouse=True)
def mutant(monkeypatch):
    {}
'''


@pytest.fixture(autouse=True)
def _whole_summary_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs behave as on CI: pytest cuts summary lines at the terminal's width elsewhere,
    and the tests match those lines whole."""
    monkeypatch.setenv("CI", "true")


def _kit(pytester: pytest.Pytester, ini: str, plugin: str | None = None) -> None:
    pytester.makeconftest(NO_SHRINKING if plugin else 'pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini(f"[pytest]\n{ini}\n")
    if plugin is not None:
        pytester.makepyfile(broken_kompass=plugin)
        pytester.syspathinsert()


def test_builtin_plugins_pass_the_kit(pytester: pytest.Pytester) -> None:
    _kit(pytester, "kompass_plugins = skr ks kl krevi")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.assert_outcomes(passed=4 + 8 * 6 + 8 * 4)


def test_the_kit_tries_as_many_examples_as_it_is_told(pytester: pytest.Pytester) -> None:
    """``--kompass-examples`` beats ``kompass_examples`` in the configuration; 0 is refused."""
    _kit(pytester, "kompass_plugins = krevi\nkompass_examples = 3")
    pytester.makeconftest(MUTANT_CONFTEST.format(
        "monkeypatch.setattr(Registry, 'score', lambda self, ev, *a, **k: "
        "print('SCORED') or score(self, ev))"))
    for options, scored in (((), 3), (("--kompass-examples", "7"), 7)):
        result = pytester.runpytest("-q", "-p", "no:cacheprovider", "-s", "-k", "law1_bounds",
                                    *options)
        result.assert_outcomes(passed=1)
        assert "\n".join(result.outlines).count("SCORED") == scored
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", "--kompass-examples", "0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*kompass_examples must be a whole number of at least 1*"])

def test_one_test_per_law_and_item(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["kompass_core.testing"]\n')
    pytester.makeini("[pytest]\nkompass_plugins = krevi\n")
    result = pytester.runpytest("--collect-only", "-q")
    names = {line.split("::")[-1] for line in result.outlines if "::" in line}
    assert names == {
        "test_plugin_loads[krevi]", "test_ruleset_cites_or_assumes[kk-dk-krevi@2009]",
        "test_law1_bounds[kk-dk-krevi@2009]",
        "test_law2_monotonicity[kk-dk-krevi@2009]", "test_law3_completeness[kk-dk-krevi@2009]",
        "test_law8_serialisation[kk-dk-krevi@2009]",
        "test_law9_missing_values[kk-dk-krevi@2009]",
        "test_law4_identity[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law5_round_trip[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law6_monotonicity[kk-se@1.0 -> kk-dk-krevi@2009]",
        "test_law7_path_coherence[kk-se@1.0 -> kk-dk-krevi@2009]"}


def test_a_broken_plugin_fails_the_law_it_breaks(pytester: pytest.Pytester) -> None:
    """Law 6 (monotone migrations): a migration that turns scores upside down."""
    _kit(pytester, "kompass_plugin_modules = broken_kompass", BROKEN)
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.assert_outcomes(passed=1 + 6 + 2, failed=1, skipped=1)
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


@pytest.mark.parametrize(("plugin", "law", "steps"), [
    (BREAKS_LAW5, "law5_round_trip", ["kk-a@1 -> kk-b@1"]),
    (BREAKS_LAW7, "law7_path_coherence", ["kk-a@1 -> kk-b@1", "kk-a@1 -> kk-c@1"]),
], ids=["law5", "law7"])
def test_a_plugin_breaking_a_migration_law_fails_it(pytester: pytest.Pytester, plugin: str,
                                                    law: str, steps: list[str]) -> None:
    """Coded migrations the registry accepts (its probes miss the fault); the kit does not."""
    _kit(pytester, "kompass_plugin_modules = broken_kompass", plugin)
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.stdout.fnmatch_lines_random([f"*FAILED*test_{law}*{step}*" for step in steps])
    failed = [line for line in result.outlines if line.startswith("FAILED")]
    assert len(failed) == len(steps) and all(law in line for line in failed), failed


@pytest.mark.parametrize("law", sorted(ENGINE_MUTANTS))
def test_an_engine_breaking_a_law_fails_it(pytester: pytest.Pytester, law: str) -> None:
    _kit(pytester, "kompass_plugins = krevi")
    pytester.makeconftest(MUTANT_CONFTEST.format(ENGINE_MUTANTS[law]))
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", "-k", law, *FEW)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*FAILED*test_{law}*"])


WEIGHTINGS = '''
from fractions import Fraction

from kompass_core import hookimpl


class Fixed:
    description = "one weight for area 1"

    def __init__(self, name, weight):
        self.name, self.weight = name, weight

    def weights(self, ruleset, params):
        return {"1": self.weight}


@hookimpl
def kompass_weightings():
    return [Fixed("half-one", Fraction(1, 2)), Fixed("float-one", 0.5)]
'''


def test_the_kit_checks_weightings(pytester: pytest.Pytester) -> None:
    """Two laws per weighting: exact weights pass both, a float weight fails both, by name."""
    _kit(pytester, "kompass_plugin_modules = broken_kompass", WEIGHTINGS)
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.assert_outcomes(passed=1 + 2, failed=2)
    result.stdout.fnmatch_lines_random([
        "*FAILED*test_weighting_gives_exact_weights?float-one?*weights() gave 0.5 (float)*",
        "*FAILED*test_weighting_keeps_laws_1_and_2?float-one?*weights() gave 0.5 (float)*"])


def _install(pytester: pytest.Pytester, entry: str, source: str) -> None:
    """An installed plugin: its module and a dist-info naming it in the kompass group."""
    module = f"kit_{entry.replace('-', '_')}_kompass"
    pytester.makepyfile(**{module: source})
    info = pytester.path / f"kit_{entry.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(f"[kompass]\n{entry} = {module}\n")
    pytester.syspathinsert()


def test_a_broken_installed_plugin_fails_only_its_own_test(pytester: pytest.Pytester) -> None:
    """It is named and fails; every other plugin is checked as usual (no INTERNALERROR)."""
    _install(pytester, "crashing", "raise RuntimeError('cannot start')\n")
    _kit(pytester, "kompass_plugins = krevi crashing")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.assert_outcomes(passed=1 + 6 + 4, failed=1)
    result.stdout.fnmatch_lines(["*FAILED*test_plugin_loads?crashing?*plugin 'crashing' "
                                 "disabled: cannot import kit_crashing_kompass: RuntimeError: "
                                 "cannot start*"])
    _kit(pytester, "kompass_plugins = krevi")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    result.assert_outcomes(passed=1 + 6 + 4)


def test_the_kit_honours_the_disable_list(pytester: pytest.Pytester,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _install(pytester, "exiting", "import sys\nsys.exit(0)\n")
    _kit(pytester, "kompass_disable_plugins = skr ks kl")
    monkeypatch.setenv("KOMPASS_DISABLE_PLUGINS", "exiting")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", "-k", "plugin_loads")
    result.assert_outcomes(passed=2)  # core and krevi: the disabled are not checked
    result.stdout.no_fnmatch_line("*exiting*")


@pytest.mark.parametrize(("ini", "message"), [
    ("kompass_plugins = nosuch", "plugin 'nosuch' is not installed*"),
    ("kompass_plugins = krevi\nkompass_disable_plugins = krevi",
     "plugin 'krevi' is disabled, so nothing of it is checked"),
], ids=["not-installed", "disabled"])
def test_the_kit_fails_when_it_checks_nothing(pytester: pytest.Pytester, ini: str,
                                              message: str) -> None:
    _kit(pytester, ini)
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", *FEW)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*FAILED*test_plugin_loads*{message}*"])
