"""A plugin's weighting model, checked each time it gives weights.

A weighting is code: its ``weights`` runs when a rule set is first checked
or scored under it, not when its plugin loads. What it returns is checked
then, before the engine uses it: a mapping of known criterion keys to exact
(``int`` or ``Fraction``) non-negative numbers. Anything else, or an
exception other than :class:`InputError` (which says the *parameters* do not
fit, the user's mistake), disables the plugin and names it, instead of
surfacing as an internal error or a problem of the evaluation file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from fractions import Fraction
from typing import Any

from kompass_core.engine.weighting import Weighting
from kompass_core.model.errors import InputError, PluginError
from kompass_core.model.points import Points
from kompass_core.model.ruleset import RuleSet


class WeightingFault(PluginError):
    """A plugin's weighting model misbehaved; :attr:`plugin` names the plugin."""

    def __init__(self, plugin: str, message: str) -> None:
        super().__init__(f"plugin {plugin!r}: {message}")
        self.plugin = plugin
        self.message = message


class CheckedWeighting:
    """``model`` of plugin ``plugin``, whose weights are checked on every call.

    ``fail(plugin, message)`` is told first (the registry disables the plugin),
    then :class:`WeightingFault` is raised.
    """

    def __init__(self, model: Weighting, plugin: str,
                 fail: Callable[[str, str], None]) -> None:
        self.model = model
        self.plugin = plugin
        self._fail = fail

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def description(self) -> str:
        return self.model.description

    def __getattr__(self, attr: str) -> Any:  # what else the plugin's model offers
        return getattr(self.model, attr)

    def __repr__(self) -> str:
        return f"CheckedWeighting({self.model!r}, plugin={self.plugin!r})"

    def weights(self, ruleset: RuleSet, params: Mapping[str, Points]) -> Mapping[str, Points]:
        try:
            weights = self.model.weights(ruleset, params)
        except InputError:
            raise  # the parameters do not fit: the caller's problem, already worded
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # named whatever it raised, sys.exit() included
            self._refuse(f"weights() raised {type(exc).__name__}: {exc}")
        problem = weights_problem(weights, ruleset)
        if problem is not None:
            self._refuse(problem)
        return weights

    def _refuse(self, problem: str) -> None:
        message = f"weighting {self.name!r}: {problem}"
        with suppress(PluginError):  # strict: the fault below says the same
            self._fail(self.plugin, message)
        raise WeightingFault(self.plugin, message)


def weights_problem(weights: object, ruleset: RuleSet) -> str | None:
    """What is wrong with ``weights`` given for ``ruleset``, or None.

    Weights are a mapping of criterion keys of ``ruleset`` to exact
    non-negative numbers (``int`` or ``Fraction``, not ``bool`` or ``float``).
    """
    if not isinstance(weights, Mapping):
        return f"weights() must return a mapping, got {type(weights).__name__}"
    for key, weight in weights.items():
        if not isinstance(key, str) or key not in ruleset:
            return f"weights() gave a weight for {key!r}, not a criterion of {ruleset.ref}"
        if type(weight) is not int and not isinstance(weight, Fraction):
            return (f"weights() gave {weight!r} ({type(weight).__name__}) for {key!r}; "
                    "weights must be exact numbers (int or fractions.Fraction)")
        if weight < 0:
            return f"weights() gave {weight} for {key!r}; weights must not be negative"
    return None
