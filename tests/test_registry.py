"""The plugin registry: hooks, validation, conflicts, and plugin names in errors."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from kompass_core import (
    InputError,
    PluginError,
    Registry,
    RuleSet,
    RuleSetRef,
    ScoreCard,
    hookimpl,
    parse_ruleset,
)
from kompass_core.engine.weighting import SumWeighting
from kompass_core.model.migration import AreaMapping
from tests.test_ruleset_format import GOOD


def _plugin(**hooks: object) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


def _rulesets(*items: object) -> types.SimpleNamespace:
    return _plugin(kompass_rulesets=lambda: list(items))


def test_builtin_plugins_come_from_entry_points(registry: Registry) -> None:
    names = {p.name: p for p in registry.plugins()}
    assert {"core", "skr", "ks", "kl", "krevi"} <= names.keys()
    assert [str(r) for r in names["skr"].rulesets] == ["kk-se@1.0", "kk-se@2.0", "kk-se@2015",
                                                       "kk-se@2020"]
    assert names["core"].weightings == ("sum", "weighted", "weighted-areas",
                                        "weighted-subareas")
    assert names["skr"].version


def test_entry_points_are_not_loaded_until_needed() -> None:
    reg = Registry()
    assert reg._rulesets is None  # nothing read at construction
    reg.rulesets()
    assert reg._rulesets is not None


def test_explicit_registration_of_a_ruleset_object_and_a_path(tmp_path: Path) -> None:
    path = tmp_path / "xx.toml"
    path.write_text(GOOD)
    other = parse_ruleset(GOOD.replace('version = "1.0"', 'version = "2.0"'))
    reg = Registry(entry_points=False)
    reg.register(_rulesets(path, other), "xx")
    assert [str(r.ref) for r in reg.rulesets()] == ["kk-xx@1.0", "kk-xx@2.0"]
    assert reg.provider(other.ref) == "xx"


def test_two_plugins_claiming_one_ruleset_are_both_named() -> None:
    rs = parse_ruleset(GOOD)
    reg = Registry(entry_points=False, strict=True)
    reg.register(_rulesets(rs), "first")
    reg.register(_rulesets(rs), "second")
    with pytest.raises(PluginError, match=r"rule set kk-xx@1\.0 is provided by both plugin "
                                          "'first' and plugin 'second'"):
        reg.rulesets()


def test_two_plugins_claiming_one_weighting_are_both_named() -> None:
    reg = Registry(entry_points=False, strict=True)
    reg.register(_plugin(kompass_weightings=lambda: [SumWeighting()]), "copycat")
    with pytest.raises(PluginError, match="weighting sum is provided by both plugin 'copycat' "
                                          "and plugin 'core'"):
        reg.rulesets()


def test_invalid_ruleset_file_names_plugin_file_and_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("max = 40", "max = -4"))
    reg = Registry(entry_points=False, strict=True)
    reg.register(_rulesets(path), "broken")
    with pytest.raises(PluginError) as info:
        reg.rulesets()
    assert str(info.value) == (f"plugin 'broken': {path}:30: areas.2.max: max must be above 0, "
                               "got -4")


@pytest.mark.parametrize(("hooks", "message"), [
    ({"kompass_rulesets": lambda: 1 / 0},
     "plugin 'bad': kompass_rulesets() raised ZeroDivisionError: division by zero"),
    ({"kompass_rulesets": lambda: "not a list"},
     "plugin 'bad': kompass_rulesets() must return a list, got str"),
    ({"kompass_rulesets": lambda: [42]},
     "plugin 'bad': 42 is neither a RuleSet nor the path of a rule-set file"),
    ({"kompass_weightings": lambda: [object()]},
     "plugin 'bad': <object object at"),
    ({"kompass_rulesets": lambda: [Path("/nonexistent/x.toml")]},
     "plugin 'bad': /nonexistent/x.toml: cannot read"),
])
def test_misbehaving_plugin_is_named(hooks: dict, message: str) -> None:  # type: ignore[type-arg]
    reg = Registry(entry_points=False, strict=True)
    reg.register(_plugin(**hooks), "bad")
    with pytest.raises(PluginError) as info:
        reg.rulesets()
    assert str(info.value).startswith(message)


def test_misspelled_hook_is_an_error() -> None:
    reg = Registry(entry_points=False, strict=True)
    def kompass_rulesetz() -> list[object]:
        return []

    reg.register(_plugin(kompass_rulesetz=kompass_rulesetz), "typo")
    with pytest.raises(PluginError, match="plugin 'typo': unknown hook 'kompass_rulesetz'"):
        reg.rulesets()


def test_ruleset_naming_an_unknown_weighting_is_refused() -> None:
    rs = parse_ruleset(GOOD.replace('[sources.s1]', '[weighting]\nname = "nope"\n[sources.s1]'))
    reg = Registry(entry_points=False, strict=True)
    reg.register(_rulesets(rs), "w")
    with pytest.raises(PluginError, match=r"plugin 'w': kk-xx@1.0: unknown weighting 'nope' "
                                          r"\(known: sum, weighted, weighted-areas, "
                                          r"weighted-subareas\)"):
        reg.rulesets()


def test_registering_after_use_is_refused() -> None:
    reg = Registry(entry_points=False)
    reg.rulesets()
    with pytest.raises(PluginError, match="register plugins before the registry is used"):
        reg.register(_rulesets(), "late")


def test_ruleset_objects_pass_through(kk_se: RuleSet) -> None:
    reg = Registry(entry_points=False)
    reg.register(_rulesets(kk_se), "mine")
    assert reg.ruleset("kk-se@2.0") is kk_se


# --- fault isolation: a failing plugin is disabled, the others keep working -----------------

def _good(tmp_path: Path) -> types.SimpleNamespace:
    path = tmp_path / "xx.toml"
    path.write_text(GOOD)
    return _rulesets(path)


@pytest.mark.parametrize(("plugin", "reason"), [
    (_plugin(kompass_rulesets=lambda: 1 / 0),
     "kompass_rulesets() raised ZeroDivisionError: division by zero"),
    (_plugin(kompass_rulesets=lambda: [42]),
     "42 is neither a RuleSet nor the path of a rule-set file"),
    (_plugin(kompass_weightings=lambda: "nope"),
     "kompass_weightings() must return a list, got str"),
])
def test_faulty_plugin_is_disabled_by_name(tmp_path: Path, plugin: object, reason: str) -> None:
    reg = Registry(entry_points=False)
    reg.register(_good(tmp_path), "good")
    reg.register(plugin, "faulty")
    assert [str(r.ref) for r in reg.rulesets()] == ["kk-xx@1.0"]
    assert reg.problems == {"faulty": f"disabled: {reason}"}
    status = {p.name: p.status for p in reg.plugins()}
    assert status == {"core": "ok", "good": "ok", "faulty": f"disabled: {reason}"}


def test_duplicate_ruleset_disables_both_third_party_plugins(tmp_path: Path) -> None:
    rs = parse_ruleset(GOOD)
    reg = Registry(entry_points=False)
    reg.register(_rulesets(rs), "first")
    reg.register(_rulesets(rs), "second")
    reg.register(_rulesets(parse_ruleset(GOOD.replace('version = "1.0"', 'version = "2"'))),
                 "third")
    assert [str(r.ref) for r in reg.rulesets()] == ["kk-xx@2"]
    message = "rule set kk-xx@1.0 is provided by both plugin 'first' and plugin 'second'"
    assert reg.problems == {"first": f"disabled: {message}", "second": f"disabled: {message}"}


def test_a_third_party_plugin_cannot_take_a_builtin_ruleset(registry: Registry,
                                                            kk_se: RuleSet) -> None:
    reg = Registry()
    reg.register(_rulesets(kk_se), "impostor")
    assert reg.provider(kk_se.ref) == "skr"
    assert reg.problems == {"impostor": "disabled: rule set kk-se@2.0 is provided by both "
                                        "plugin 'impostor' and plugin 'skr'"}


def test_incoherent_migration_disables_only_that_plugin(registry: Registry) -> None:
    bogus = AreaMapping(registry.ruleset("kk-no@2020").ref, registry.ruleset("kk-se@1.0").ref,
                        {str(i): {str(i): 1} for i in range(1, 9)}, (300, 300), False)
    reg = Registry()
    reg.register(_plugin(kompass_migrations=lambda: [bogus]), "bogus")
    assert len(reg.migrations()) == 8
    assert reg.problems["bogus"].startswith("migrations disabled: incoherent migrations")
    assert reg.migrate(score_uv(reg), "kk-se@1.0").total.low == 579


def _kk_se_2_to_1() -> AreaMapping:
    return AreaMapping(RuleSetRef("kk-se", "2.0"), RuleSetRef("kk-se", "1.0"),
                       {str(i): {str(i): 1} for i in range(1, 9)}, (80, 100), False)


@pytest.mark.parametrize(("migrations", "reason"), [
    (lambda: [_kk_se_2_to_1()],
     "migration kk-se@2.0 -> kk-se@1.0 is provided by both plugin 'mine' and plugin 'skr'"),
    (lambda: 1 / 0, "kompass_migrations() raised ZeroDivisionError: division by zero"),
])
def test_failing_migrations_disable_only_the_plugins_migrations(
        registry: Registry, migrations: object, reason: str) -> None:
    reg = Registry()
    reg.register(_plugin(kompass_rulesets=lambda: [parse_ruleset(GOOD)],
                         kompass_migrations=migrations), "mine")
    assert len(reg.migrations()) == 8
    assert reg.problems == {"mine": f"migrations disabled: {reason}"}
    assert reg.ruleset("kk-xx@1.0").ref == RuleSetRef("kk-xx", "1.0")
    mine = next(p for p in reg.plugins() if p.name == "mine")
    assert (mine.rulesets, mine.migrations, mine.status) == (
        (RuleSetRef("kk-xx", "1.0"),), (), f"migrations disabled: {reason}")


def test_a_disabled_plugin_serves_nothing_it_provided() -> None:
    mine = SumWeighting(name="mine")
    reg = Registry(entry_points=False)
    reg.register(_plugin(kompass_weightings=lambda: [mine], kompass_rulesets=lambda: 1 / 0),
                 "half")
    reg.register(_rulesets(parse_ruleset(GOOD),
                           parse_ruleset(GOOD.replace('version = "1.0"', 'version = "2"'))),
                 "first")
    reg.register(_rulesets(parse_ruleset(GOOD)), "second")
    assert reg.rulesets() == []
    assert "mine" not in {w.name for w in reg.weightings()}
    assert reg.problems.keys() == {"half", "first", "second"}


def test_a_target_spelt_either_way_shares_one_compiled_path(registry: Registry) -> None:
    reg = Registry()
    card = score_uv(reg)
    assert reg.migrate(card, "kk-se@1.0") == reg.migrate(card, RuleSetRef("kk-se", "1.0"))
    assert len({id(plan) for plan in reg._path_plans.values()}) == 1


def test_no_migration_between_two_rulesets_is_a_one_line_input_error() -> None:
    """Not a ValueError from min() over no paths: the message names both rule sets."""
    older = parse_ruleset(GOOD)
    newer = parse_ruleset(GOOD.replace('version = "1.0"', 'version = "2.0"'))
    reg = Registry(entry_points=False)
    reg.register(_rulesets(older, newer), "xx")
    assert reg.migration_paths("kk-xx@1.0", "kk-xx@2.0") == []
    with pytest.raises(InputError) as caught:
        reg.migration_path("kk-xx@1.0", "kk-xx@2.0")
    assert str(caught.value) == "no migration path from kk-xx@1.0 to kk-xx@2.0"
    assert reg.migration_path(newer.ref, newer.ref) == ()


def test_blocking_the_plugin_between_two_rulesets_leaves_no_path() -> None:
    """kk-no and kk-dk meet only through kk-se: without skr, asking says so in one line."""
    reg = Registry(disabled=["skr"])
    with pytest.raises(InputError, match=r"^no migration path from kk-no@2\.0 to kk-dk@2\.0$"):
        reg.migration_path("kk-no@2.0", "kk-dk@2.0")


def score_uv(reg: Registry) -> ScoreCard:
    from kompass_core import load_evaluation
    from tests.conftest import EXAMPLES

    return reg.score(load_evaluation(EXAMPLES / "upplands-vasby-2011.toml"))


def test_blocked_plugins_are_not_loaded() -> None:
    reg = Registry(disabled=["ks", "kl"])
    refs = {str(r.ref) for r in reg.rulesets()}
    assert "kk-no@2.0" not in refs and "kk-dk@2.0" not in refs and "kk-se@2.0" in refs
    status = {p.name: p.status for p in reg.plugins()}
    assert status["ks"] == status["kl"] == "blocked"
    assert "kk-dk-krevi@2009" in refs
    with pytest.raises(PluginError, match="the core plugin cannot be disabled"):
        Registry(disabled=["core"])


def test_blocking_a_plugin_skips_the_migrations_that_need_it(kk_se: RuleSet) -> None:
    reg = Registry(disabled=["skr"])
    assert "kk-se@2.0" not in {str(r.ref) for r in reg.rulesets()}
    assert [f"{m.source} -> {m.target}" for m, _ in reg.migrations()] == [
        "kk-no@2.0 -> kk-no@2020"]
    assert "plugin 'kl': migration kk-se@2.0 -> kk-dk@2.0 skipped: no rule set kk-se@2.0 is " \
           "registered" in reg.skipped
    assert reg.problems == {}
    with pytest.raises(PluginError, match="skipped: no rule set"):
        Registry(disabled=["skr"], strict=True).migrations()


def test_cli_warns_about_disabled_plugins_and_keeps_working(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kompass_core
    import kompass_core.registry.default as registry_module
    from kompass_core.cli.main import main

    def configure(*, disabled: object = (), strict: bool = False) -> None:
        reg = Registry(strict=strict)
        reg.register(_plugin(kompass_rulesets=lambda: 1 / 0), "faulty")
        monkeypatch.setattr(registry_module, "_default", reg)

    monkeypatch.setattr(kompass_core, "configure_default", configure)
    assert main(["rulesets"]) == 0
    out, err = capsys.readouterr()
    assert "kk-se@2.0" in out
    assert err == ("kompass: warning: plugin 'faulty' disabled: kompass_rulesets() raised "
                   "ZeroDivisionError: division by zero\n")
    assert main(["--strict", "rulesets"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "kompass: error: plugin 'faulty': kompass_rulesets() raised "
                              "ZeroDivisionError: division by zero\n")


def test_cli_disable_plugin_flag_and_environment(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from kompass_core.cli.main import main

    assert main(["--disable-plugin", "kl", "rulesets", "--format", "json"]) == 0
    assert "kk-dk@2.0" not in capsys.readouterr().out
    monkeypatch.setenv("KOMPASS_DISABLE_PLUGINS", "ks, krevi")
    assert main(["rulesets", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "kk-no@2.0" not in out and "kk-dk-krevi@2009" not in out and "kk-dk@2.0" in out


def test_entry_point_scan_matches_importlib_metadata() -> None:
    """The fast scan finds what importlib.metadata finds (it only avoids its import cost)."""
    import importlib.metadata

    from kompass_core.registry.entrypoints import entry_points

    ours = sorted((e.name, e.value) for e in entry_points("kompass"))
    theirs = sorted((e.name, e.value) for e in importlib.metadata.entry_points(group="kompass"))
    assert ours == theirs
    assert {e.dist for e in entry_points("kompass")} == {"kommunkompass"}
    assert entry_points("kompass")[0].load().__name__.startswith("kompass_")


def test_entry_point_file_reading_matches_importlib_metadata(tmp_path: Path) -> None:
    """Comments, blank lines, spacing and other groups are read as importlib.metadata reads them."""
    import importlib.metadata

    from kompass_core.registry.entrypoints import _section

    text = ("# written by hand\n[console_scripts]\nkompass = kompass_core.cli:main\n\n"
            "[kompass]\n# a comment\n  skr=kompass_skr.plugin  \nks = kompass_ks.plugin:Plugin.x\n"
            "\n[kompass.other]\nnot = this\n[kompass]\nagain = kompass_again\n")
    folder = tmp_path / "demo-1.0.dist-info"
    folder.mkdir()
    (folder / "entry_points.txt").write_text(text, encoding="utf-8")
    (folder / "METADATA").write_text("Name: demo\nVersion: 1.0\n", encoding="utf-8")
    theirs = [(e.name, e.value) for e in
              importlib.metadata.Distribution.at(folder).entry_points.select(group="kompass")]
    assert _section(text, "kompass") == theirs


def test_the_package_exports_its_names_lazily_and_scoring_stays_light() -> None:
    """``import kompass_core.registry`` loads no pluggy; ``kompass score`` loads no metadata.

    The registry scans entry points and rule-set headers itself so that scoring
    never imports configparser, json, importlib.metadata/resources or migrations.
    """
    import subprocess
    import sys

    from tests.conftest import EXAMPLES

    code = (
        "import io, sys, contextlib\n"
        "import kompass_core.registry as registry\n"
        "assert 'pluggy' not in sys.modules\n"
        "assert sorted(registry.__all__) == sorted(dir(registry))\n"
        "from kompass_core.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['score', {str(EXAMPLES / 'upplands-vasby-2011.toml')!r}]) == 0\n"
        "heavy = ['configparser', 'json', 'importlib.metadata', 'importlib.resources',\n"
        "         'kompass_core.registry.migrations']\n"
        "print([name for name in heavy if name in sys.modules])\n"
        "print([name for name in registry.__all__ if not hasattr(registry, name)])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout == "[]\n[]\n"


def test_version_is_that_of_the_installed_distribution() -> None:
    import importlib.metadata

    from kompass_core.registry import DISTRIBUTION, version

    assert version() == importlib.metadata.version(DISTRIBUTION)


def test_registry_score_and_top_level_score_take_the_same_arguments() -> None:
    """``Registry.score`` and ``kompass_core.score`` differ only by the registry to use."""
    import inspect

    from kompass_core.registry.api import score

    ours = list(inspect.signature(Registry.score).parameters.values())[1:]  # without self
    theirs = [p for p in inspect.signature(score).parameters.values() if p.name != "registry"]
    assert [(p.name, p.kind, p.default) for p in ours] == \
        [(p.name, p.kind, p.default) for p in theirs]
