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

import pytest

from kompass_core import PluginError, Registry
from kompass_core.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
BAD_POINTS = ROOT / "examples" / "bad-points.toml"

Install = Callable[..., str]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """``install(source, entry="name", dist="fake-dist")``: a fake installed plugin.

    Returns the module name; the module is forgotten again after the test.
    """
    modules: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))

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
