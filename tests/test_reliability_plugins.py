"""Plugins that misbehave in ways a hook's ``except Exception`` does not see (issue 12).

Each test installs a small fake distribution in a temporary folder put first
on ``sys.path``: an ``entry_points.txt`` in a ``*.dist-info`` folder and the
plugin's module next to it, exactly what ``pip install`` leaves behind.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from kompass_core import PluginError, Registry, RuleSet, hookimpl, parse_ruleset
from kompass_core.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BAD_POINTS = ROOT / "examples" / "bad-points.toml"

Install = Callable[..., str]


def _plugin(**hooks: object) -> object:
    import types

    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """``install(source, entry="name", dist="fake-dist")``: a fake installed plugin.

    Returns the module name; the module is forgotten again after the test.
    """
    import kompass_core.registry.default as default

    modules: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(default, "_default", None)  # the command line must find them afresh

    def make(source: str, entry: str = "fake", dist: str = "fake-dist") -> str:
        module = f"kompass_fake_{len(modules)}_{entry.replace('-', '_')}"
        modules.append(module)
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source))
        info = tmp_path / f"{dist.replace('-', '_')}-1.0.dist-info"
        info.mkdir(exist_ok=True)
        points = info / "entry_points.txt"
        old = points.read_text() if points.exists() else "[kompass]\n"
        points.write_text(old + f"{entry} = {module}\n")
        return module

    yield make
    for module in modules:
        sys.modules.pop(module, None)
    default._default = None  # nor may a later test find them


# --- case 13: sys.exit in a plugin is a plugin failure -----------------------------------

EXIT_AT_IMPORT = "import sys\nsys.exit(0)\n"
EXIT_IN_HOOK = """\
import sys
from kompass_core import hookimpl

@hookimpl
def kompass_rulesets():
    sys.exit(0)
"""


@pytest.mark.parametrize(("source", "reason"), [
    (EXIT_AT_IMPORT, "cannot import {module}: SystemExit: 0"),
    (EXIT_IN_HOOK, "kompass_rulesets() raised SystemExit: 0"),
], ids=["at-import", "in-hook"])
def test_sys_exit_in_a_plugin_disables_it_by_name(
        install: Install, capsys: pytest.CaptureFixture[str], source: str, reason: str) -> None:
    module = install(source, entry="quitter")
    assert main(["validate", str(BAD_POINTS)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "kompass: error: " in err  # the file is still judged
    assert (f"kompass: warning: plugin 'quitter' disabled: {reason.format(module=module)}"
            in err.splitlines())
    assert main(["--strict", "validate", str(BAD_POINTS)]) == 2
    assert "kompass: error: plugin 'quitter': " in capsys.readouterr().err


def test_ctrl_c_in_a_plugin_still_stops_kompass(install: Install) -> None:
    install("raise KeyboardInterrupt\n", entry="interrupted")
    with pytest.raises(KeyboardInterrupt):
        Registry().rulesets()


def test_sys_exit_in_a_registered_plugin_is_named() -> None:
    import types

    from kompass_core import hookimpl

    def leave() -> list[object]:
        raise SystemExit(3)

    reg = Registry(entry_points=False)
    reg.register(types.SimpleNamespace(kompass_weightings=hookimpl(leave)), "quitter")
    assert reg.rulesets() == []
    assert reg.problems == {"quitter": "disabled: kompass_weightings() raised SystemExit: 3"}
    with pytest.raises(PluginError, match="plugin 'quitter'"):
        strict = Registry(entry_points=False, strict=True)
        strict.register(types.SimpleNamespace(kompass_weightings=hookimpl(leave)), "quitter")
        strict.rulesets()


# --- case 21: a third-party entry point named like a built-in plugin ----------------------

IMPOSTOR = """\
from pathlib import Path
from kompass_core import hookimpl

@hookimpl
def kompass_rulesets():
    return [Path(__file__).with_name("impostor.toml")]
"""


def test_an_impostor_never_displaces_a_builtin_plugin(
        install: Install, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kompass_core.registry import DISTRIBUTION
    from tests.test_ruleset_format import GOOD

    (tmp_path / "impostor.toml").write_text(
        GOOD.replace('id = "kk-xx"', 'id = "kk-se"').replace('version = "1.0"',
                                                             'version = "2.0"'))
    install(IMPOSTOR, entry="skr", dist="evil-dist")
    reg = Registry()
    skr = {p.name: p for p in reg.plugins()}["skr"]
    assert (skr.distribution, skr.status) == (DISTRIBUTION, "ok")
    assert reg.provider(reg.ruleset("kk-se@2.0").ref) == "skr"
    assert reg.ruleset("kk-se@2.0").title != parse_ruleset(GOOD).title
    assert reg.problems == {"skr (evil_dist)": "disabled: entry point 'skr' of distribution "
                            "'evil_dist' is ignored: plugin 'skr' is that of distribution "
                            "'kommunkompass'"}
    assert main(["rulesets"]) == 0
    assert "kompass: warning: plugin 'skr (evil_dist)' disabled: entry point 'skr' of " \
           "distribution 'evil_dist' is ignored" in capsys.readouterr().err
    with pytest.raises(PluginError, match="distribution 'evil_dist'"):
        Registry(strict=True).rulesets()
    assert main(["--strict", "rulesets"]) == 2


def test_two_third_party_plugins_with_one_name_the_second_is_named(install: Install) -> None:
    install("", entry="twin", dist="first-dist")
    install("", entry="twin", dist="second-dist")
    reg = Registry()
    reg.rulesets()
    assert list(reg.problems) == ["twin (second_dist)"]


# --- case 25: names in the disable list that no plugin has --------------------------------

NOT_INSTALLED = ("not installed: the disable list (--disable-plugin, KOMPASS_DISABLE_PLUGINS) "
                 "names it, but no plugin has that name")


def test_an_unknown_name_in_the_disable_list_is_warned_about(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    reg = Registry(disabled=["kl", "nosuch"])
    assert "kk-dk@2.0" not in {str(r.ref) for r in reg.rulesets()}
    assert reg.problems == {"nosuch": NOT_INSTALLED}
    status = {p.name: p.status for p in reg.plugins()}
    assert (status["kl"], status["nosuch"]) == ("blocked", NOT_INSTALLED)
    assert Registry(disabled=["nosuch"], strict=True).rulesets()  # a warning, even so
    assert main(["--disable-plugin", "skrr", "rulesets"]) == 0
    assert capsys.readouterr().err == f"kompass: warning: plugin 'skrr' {NOT_INSTALLED}\n"
    monkeypatch.setenv("KOMPASS_DISABLE_PLUGINS", "kl,typo")
    assert main(["rulesets"]) == 0
    assert capsys.readouterr().err == f"kompass: warning: plugin 'typo' {NOT_INSTALLED}\n"


def test_a_disabled_name_registered_explicitly_is_known() -> None:

    reg = Registry(entry_points=False, disabled=["mine"])
    reg.register(object(), "mine")
    reg.rulesets()
    assert reg.problems == {}


# --- case 22: rule sets built in code are checked as files are -----------------------------

def _bad_key_ruleset() -> RuleSet:
    from tests.test_ruleset_format import GOOD

    good = parse_ruleset(GOOD)
    area = good.areas[0]
    return attrs.evolve(good, areas=(attrs.evolve(area, key="1|*x*"), *good.areas[1:]))


def test_a_ruleset_object_is_checked_like_its_file(capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bad_key_ruleset()
    reg = Registry(entry_points=False)
    reg.register(_plugin(kompass_rulesets=lambda: [bad]), "coded")
    assert reg.rulesets() == []
    assert reg.problems == {"coded": "disabled: RuleSet object kk-xx@1.0: areas.1|*x*: key "
                                     "must be N with N a positive whole number"}
    strict = Registry(entry_points=False, strict=True)
    strict.register(_plugin(kompass_rulesets=lambda: [bad]), "coded")
    with pytest.raises(PluginError, match=r"plugin 'coded': RuleSet object kk-xx@1\.0"):
        strict.ruleset("kk-xx@1.0")


def test_a_ruleset_object_that_passes_is_served_as_it_is(kk_se: RuleSet) -> None:
    reg = Registry(entry_points=False)
    reg.register(_plugin(kompass_rulesets=lambda: [kk_se]), "coded")
    assert reg.ruleset("kk-se@2.0") is kk_se and reg.problems == {}


def test_markdown_escapes_criterion_keys(registry: Registry) -> None:
    from kompass_core import load_evaluation
    from kompass_core.report.build import build_report
    from kompass_core.report.render import render_markdown

    evaluation = load_evaluation(ROOT / "examples" / "upplands-vasby-2011.toml")
    report = build_report(registry.score(evaluation), registry.ruleset(evaluation.ruleset),
                          evaluation, "en")
    first = report.areas[0]
    line = attrs.evolve(first.line, key="1|*x*")
    rows = tuple(attrs.evolve(r, key=r.key + "|_y_") for r in first.rows)
    report = attrs.evolve(report, areas=(attrs.evolve(first, line=line, rows=rows),
                                         *report.areas[1:]))
    text = render_markdown(report)
    assert "1|*x*" not in text and "|_y_" not in text
    assert "| 1\\|\\*x\\* |" in text and f"{first.rows[0].key}\\|\\_y\\_" in text


# --- case 23: weightings are checked when they give weights, and blamed by name ------------

class _Fixed:
    description = "fixed weights, for tests"

    def __init__(self, name: str, weights: object) -> None:
        self.name = name
        self._weights = weights

    def weights(self, ruleset: RuleSet, params: object) -> object:
        return self._weights


@pytest.mark.parametrize(("weights", "problem"), [
    ({"1": 0.1}, "weights() gave 0.1 (float) for '1'; weights must be exact numbers "
                 "(int or fractions.Fraction)"),
    ({"1": -1}, "weights() gave -1 for '1'; weights must not be negative"),
    ({"9": 1}, "weights() gave a weight for '9', not a criterion of kk-se@2.0"),
    ({"1": True}, "weights() gave True (bool) for '1'; weights must be exact numbers "
                  "(int or fractions.Fraction)"),
    ([1], "weights() must return a mapping, got list"),
], ids=["float", "negative", "unknown-key", "bool", "not-a-mapping"])
def test_a_bad_weighting_is_blamed_on_its_plugin(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        weights: object, problem: str) -> None:
    import kompass_core
    import kompass_core.registry.default as registry_module

    def configure(*, disabled: object = (), strict: bool = False) -> None:
        reg = Registry(strict=strict)
        reg.register(_plugin(kompass_weightings=lambda: [_Fixed("odd", weights)]), "oddw")
        monkeypatch.setattr(registry_module, "_default", reg)

    monkeypatch.setattr(kompass_core, "configure_default", configure)
    example = str(ROOT / "examples" / "upplands-vasby-2011.toml")
    assert main(["score", example, "--weighting", "odd"]) == 2
    out, err = capsys.readouterr()
    message = f"plugin 'oddw': weighting 'odd': {problem}"
    assert out == ""
    assert err.splitlines() == [f"kompass: error: {message}",
                                f"kompass: warning: plugin 'oddw' disabled: weighting 'odd': "
                                f"{problem}"]
    assert main(["--strict", "score", example, "--weighting", "odd"]) == 2
    assert capsys.readouterr().err == f"kompass: error: {message}\n"


def test_a_weighting_that_exits_is_named() -> None:
    class Quitter(_Fixed):
        def weights(self, ruleset: RuleSet, params: object) -> object:
            raise SystemExit(0)

    from kompass_core import load_evaluation

    reg = Registry()
    reg.register(_plugin(kompass_weightings=lambda: [Quitter("q", {})]), "quits")
    evaluation = load_evaluation(ROOT / "examples" / "upplands-vasby-2011.toml")
    with pytest.raises(PluginError, match=r"plugin 'quits': weighting 'q': weights\(\) raised "
                                          r"SystemExit: 0"):
        reg.score(evaluation, weighting="q")
    assert reg.problems == {"quits": "disabled: weighting 'q': weights() raised SystemExit: 0"}
    assert [w.name for w in reg.weightings()] == ["sum", "weighted", "weighted-areas",
                                                  "weighted-subareas"]


def test_a_rule_set_of_another_plugin_is_not_blamed_for_a_bad_weighting(tmp_path: Path) -> None:
    from tests.test_ruleset_format import GOOD

    path = tmp_path / "xx.toml"
    path.write_text(GOOD + '\n[weighting]\nname = "odd"\n')
    reg = Registry(entry_points=False)
    reg.register(_plugin(kompass_rulesets=lambda: [path]), "rules")
    reg.register(_plugin(kompass_weightings=lambda: [_Fixed("odd", {"1": 0.5})]), "oddw")
    with pytest.raises(PluginError, match="plugin 'oddw'"):
        reg.ruleset("kk-xx@1.0")
    assert list(reg.problems) == ["oddw"]


def test_a_good_plugin_weighting_scores(kk_se: RuleSet) -> None:
    from fractions import Fraction

    reg = Registry()
    reg.register(_plugin(kompass_weightings=lambda: [_Fixed("half", {"1": Fraction(1, 2)})]),
                 "halves")
    from kompass_core import load_evaluation

    card = reg.score(load_evaluation(ROOT / "examples" / "upplands-vasby-2011.toml"),
                     weighting="half")
    assert card["1"].max == 100 and reg.problems == {}
