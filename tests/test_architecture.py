"""The house rules that no linter checks: hooks documented, modules small, docs runnable.

The import layering itself is checked by ``lint-imports`` (contracts in
pyproject.toml) in .ci/run.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from kompass_core import Registry, load_evaluation, report_languages
from kompass_core.registry import hookspec

ROOT = Path(__file__).resolve().parent.parent
HOOKS_DOC = ROOT / "docs" / "hooks.md"
MAX_LINES = 400


def _hookspecs() -> dict[str, object]:
    return {name: f for name, f in inspect.getmembers(hookspec, inspect.isfunction)
            if name.startswith("kompass_") and hasattr(f, "kompass_spec")}


def test_every_hookspec_is_documented_and_every_documented_hook_exists() -> None:
    """datasette keeps this test: a hook nobody can read about is not a contract."""
    documented = set(re.findall(r"^## (kompass_\w+)$", HOOKS_DOC.read_text("utf-8"), re.M))
    specs = set(_hookspecs())
    assert specs, "no hookspecs found: the marker attribute changed?"
    assert documented == specs


@pytest.mark.parametrize("name", sorted(_hookspecs()))
def test_every_hookspec_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(_hookspecs()[name]) or ""
    assert "Example::" in doc and "versionadded" in doc


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


def test_the_hook_examples_in_the_docs_work(tmp_path: Path) -> None:
    """Each example is a plugin: registered, it serves what it says."""
    data = tmp_path / "data"
    data.mkdir()
    src = ROOT / "rulesets" / "skr"
    ruleset = (src / "kk-se-2.0.toml").read_text("utf-8")
    ruleset = ruleset.replace('id = "kk-se"', 'id = "kk-xx"')
    (data / "kk-xx-1.0.toml").write_text(ruleset.replace('version = "2.0"', 'version = "1.0"'),
                                         "utf-8")
    migration = (src / "kk-se-2.0--kk-se-2015.migration.toml").read_text("utf-8")
    (data / "kk-xx-1.0--kk-se-2.0.migration.toml").write_text(
        migration.replace('"kk-se@2.0"', '"kk-xx@1.0"').replace('"kk-se@2015"', '"kk-se@2.0"'),
        "utf-8")
    finnish = (ROOT / "kompass_core" / "report" / "words" / "en.toml").read_text("utf-8")
    (data / "fi.toml").write_text(finnish.replace('summary = "Summary"',
                                                  'summary = "Yhteenveto"'), "utf-8")
    blocks = _python_blocks(HOOKS_DOC.read_text("utf-8"))
    assert len(blocks) == len(_hookspecs())
    registry = Registry()
    for n, block in enumerate(blocks):
        namespace: dict[str, object] = {"__file__": str(tmp_path / "plugin.py"),
                                        "__name__": f"doc_plugin_{n}"}
        exec(compile(block, f"{HOOKS_DOC}:block{n}", "exec"), namespace)
        plugin = type(f"DocPlugin{n}", (), {k: staticmethod(v) for k, v in namespace.items()
                                            if k.startswith("kompass_")})
        registry.register(plugin, f"doc{n}")
    assert "kk-xx@1.0" in {str(r.ref) for r in registry.rulesets()}
    assert registry.problems == {}
    evaluation = load_evaluation(ROOT / "examples" / "upplands-vasby-2011.toml")
    assert registry.score(evaluation, weighting="equal-areas").total == \
        registry.score(evaluation).total  # kk-se@2.0's areas all weigh 100
    assert registry.migration_path("kk-xx@1.0", "kk-se@2.0")
    assert report_languages(registry)["fi"]["summary"] == "Yhteenveto"


def test_no_module_is_too_long_to_read_in_one_sitting() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "kompass_core").rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_says_why_it_exists() -> None:
    bare = [str(p.relative_to(ROOT)) for p in (ROOT / "kompass_core").rglob("*.py")
            if p.name != "__main__.py" and not p.read_text("utf-8").lstrip().startswith('"""')]
    assert bare == []
