"""The plugin registry: hooks, validation, conflicts, and plugin names in errors."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from kompass_core import PluginError, Registry, RuleSet, hookimpl, parse_ruleset
from kompass_core.weighting import SumWeighting
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
    reg = Registry(entry_points=False)
    reg.register(_rulesets(rs), "first")
    reg.register(_rulesets(rs), "second")
    with pytest.raises(PluginError, match=r"rule set kk-xx@1\.0 is provided by both plugin "
                                          "'first' and plugin 'second'"):
        reg.rulesets()


def test_two_plugins_claiming_one_weighting_are_both_named() -> None:
    reg = Registry(entry_points=False)
    reg.register(_plugin(kompass_weightings=lambda: [SumWeighting()]), "copycat")
    with pytest.raises(PluginError, match="weighting sum is provided by both plugin 'copycat' "
                                          "and plugin 'core'"):
        reg.rulesets()


def test_invalid_ruleset_file_names_plugin_file_and_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("max = 40", "max = -4"))
    reg = Registry(entry_points=False)
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
    reg = Registry(entry_points=False)
    reg.register(_plugin(**hooks), "bad")
    with pytest.raises(PluginError) as info:
        reg.rulesets()
    assert str(info.value).startswith(message)


def test_misspelled_hook_is_an_error() -> None:
    reg = Registry(entry_points=False)
    def kompass_rulesetz() -> list[object]:
        return []

    reg.register(_plugin(kompass_rulesetz=kompass_rulesetz), "typo")
    with pytest.raises(PluginError, match="plugin 'typo': unknown hook 'kompass_rulesetz'"):
        reg.rulesets()


def test_ruleset_naming_an_unknown_weighting_is_refused() -> None:
    rs = parse_ruleset(GOOD.replace('[sources.s1]', '[weighting]\nname = "nope"\n[sources.s1]'))
    reg = Registry(entry_points=False)
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
