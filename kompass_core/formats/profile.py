"""Profiles: validated data that tailors a rule set's weighting without forking it.

A profile names its rule set, optionally ``extends`` another profile file,
and sets a weighting model, weights, and criteria to leave out. Leaving a
criterion out gives it weight 0, so its siblings share its parent's max,
which is what "not counting" it means when every area stays out of 100.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from kompass_core.formats.fields import Fields
from kompass_core.formats.reading import build, build_parsed, read_text
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import WeightingSpec

MAX_EXTENDS = 16
"""How deep ``extends`` may chain before we call it a mistake."""


@attrs.frozen
class Profile:
    """A resolved profile: its name, rule set and the weighting it amounts to."""

    name: str
    ruleset: RuleSetRef
    weighting: WeightingSpec
    description: str | None = None
    chain: tuple[str, ...] = ()  # the files read, this one first


@attrs.frozen
class _Declared:
    name: str
    ruleset: RuleSetRef
    model: str | None
    params: dict[str, Points]
    exclude: tuple[str, ...]
    description: str | None
    extends: str | None


def load_profile(source: str | Path, first: tuple[dict[str, Any], str, str] | None = None
                 ) -> Profile:
    """Read a profile file and the files it extends, into one weighting.

    ``first`` is the file's ``(document, text, name)`` when the caller has
    parsed it already (``validate`` tells a profile by its keys; stdin
    cannot be read twice). Extended files are found relative to ``source``.
    """
    chain: list[_Declared] = []
    files: list[str] = []
    current: str | Path | None = source
    while current is not None:
        path = Path(current)
        if str(path.resolve()) in files:
            raise InputError(Problem(f"extends forms a cycle: {' -> '.join(files)}",
                                     file=str(source), keys=("extends",)))
        if len(files) >= MAX_EXTENDS:
            raise InputError(Problem(f"extends chains more than {MAX_EXTENDS} profiles",
                                     file=str(source), keys=("extends",)))
        if first is not None and not chain:
            document, text, name = first
            declared = build_parsed(document, text, name, _declared_from_data)
        else:
            text, name = read_text(path)
            declared = build(text, name, _declared_from_data)
        if chain and declared.ruleset != chain[-1].ruleset:
            raise InputError(Problem(f"extends a profile for {declared.ruleset}, not "
                                     f"{chain[-1].ruleset}", file=files[-1], keys=("extends",)))
        chain.append(declared)
        files.append(str(path.resolve()))
        current = path.parent / declared.extends if declared.extends else None
    model: str | None = None
    params: dict[str, Points] = {}
    for declared in reversed(chain):  # the base first, each profile overriding it
        model = declared.model or model
        params.update(declared.params)
        params.update(dict.fromkeys(declared.exclude, 0))
    excluded = any(d.exclude for d in chain)
    if excluded and model not in (None, "weighted"):
        raise InputError(Problem(f"leaving criteria out needs the 'weighted' model, not "
                                 f"{model!r}", file=str(source), keys=("weighting", "name")))
    name = model or ("weighted" if params else "sum")
    top = chain[0]
    return Profile(top.name, top.ruleset, WeightingSpec(name, params), top.description,
                   tuple(files))


def _declared_from_data(data: dict[str, Any]) -> _Declared:
    problems: list[Problem] = []
    top = Fields(data, (), problems)
    top.only("profile", "ruleset", "description", "extends", "weighting")
    name = top.text("profile", required=True)
    ref = top.ref("ruleset", required=True)
    description, extends = top.text("description"), top.text("extends")
    model: str | None = None
    params: dict[str, Points] = {}
    exclude: tuple[str, ...] = ()
    table = top.table("weighting")
    if table is not None:
        table.only("name", "params", "exclude")
        model = table.text("name")
        weights = table.table("params")
        if weights is not None:
            for key in weights.data:
                value = weights.number(key)
                if value is not None and value < 0:
                    weights.problem(f"weight {value} is negative", key)
                elif value is not None:
                    params[key] = value
        exclude = table.texts("exclude")
    if problems or name is None or ref is None:
        raise InputError(problems)
    return _Declared(name, ref, model, params, exclude, description, extends)
