"""One hook's answers from every plugin, merged: each item checked, each claim owned once.

Fault isolation lives here: a plugin whose hook raises, returns something that
is not a list, or returns an item that fails its check is handed to ``fail``
and none of its items are kept, so one broken plugin never hides the others.
Two plugins claiming one key are never settled by load order: a third-party
plugin loses to the built-in one, and two third-party plugins both lose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from kompass_core.model.errors import KompassError, PluginError

if TYPE_CHECKING:
    from pluggy import HookCaller

T = TypeVar("T")


def collect(hook: HookCaller, check: Callable[[object], T], key: Callable[[T], Any], *,
            what: str, fail: Callable[[str, str], None], builtin: Callable[[str], bool],
            label: Callable[[Any], str] = str) -> dict[Any, tuple[T, str]]:
    """Every item of ``hook``, checked, by key, with the name of the plugin that gave it.

    ``fail`` disables a plugin (or only what this hook gives); ``builtin``
    tells the plugins of kompass itself, which win a conflict.
    """
    claims: dict[Any, list[tuple[T, str]]] = {}
    failed: set[str] = set()

    def reject(plugin: str, message: str) -> None:
        failed.add(plugin)
        fail(plugin, message)

    for impl in hook.get_hookimpls():  # registration order; conflicts never rely on it
        name = impl.plugin_name
        try:
            items = impl.function()
            if not isinstance(items, list | tuple):
                raise PluginError(f"{hook.name}() must return a list, "
                                  f"got {type(items).__name__}")
            values = [check(item) for item in items]
        except KompassError as err:
            reject(name, "; ".join(str(p) for p in err.problems))
            continue
        except KeyboardInterrupt:  # Ctrl-C is the user's, not the plugin's
            raise
        except BaseException as exc:  # named whatever it raised, sys.exit() included
            reject(name, f"{hook.name}() raised {type(exc).__name__}: {exc}")
            continue
        for value in values:
            claims.setdefault(key(value), []).append((value, name))
    found: dict[Any, tuple[T, str]] = {}
    for k, claimants in claims.items():
        owners = sorted({name for _, name in claimants})
        if len(claimants) == 1:
            found[k] = claimants[0]
            continue
        intruders = [o for o in owners if not builtin(o)] or owners
        keep = [c for c in claimants if c[1] not in intruders]
        both = " and ".join(f"plugin {o!r}" for o in owners) if len(owners) > 1 \
            else f"plugin {owners[0]!r} (twice)"
        for o in intruders:
            reject(o, f"{what} {label(k)} is provided by both {both}")
        if len(keep) == 1:
            found[k] = keep[0]
    return {k: v for k, v in found.items() if v[1] not in failed}
