"""``kompass init-variant``: a new national variant as its own installable package.

The scaffold is a working starting point, not a stub: a rule set copied
from an existing one (so it validates and scores at once), a migration
joining it to that rule set, a plugin module registering both, packaging
with the ``kompass`` entry point, an example evaluation, and tests that run
the conformance kit. The author then edits the data to describe the
variant; the tests keep proving the laws while they do.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import tomli_w

from kompass_core.formats.files import write_atomic
from kompass_core.formats.ruleset import ruleset_to_data
from kompass_core.model.country import country_problem
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Labels, RuleSet

NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def init_variant(name: str, folder: Path, base: RuleSet, version: str = "1.0",
                 country: str | None = None) -> list[Path]:
    """Write package ``kompass-NAME`` into ``folder``; returns the files written.

    ``name`` may be given as the package's name (``kompass-is`` is ``is``).
    ``country`` is the variant's country code; without one, the base rule
    set's is copied and the rule set's note says to set it, as a copied
    country would otherwise pass for a fact.
    """
    name = name.removeprefix("kompass-")
    if country is not None and (problem := country_problem(country)):
        raise InputError(Problem(problem, keys=("country",)))
    if not NAME.fullmatch(name) or len(name) > 40:
        raise InputError(f"invalid variant name {name!r}: use lower-case letters, digits and "
                         "single hyphens, starting with a letter (e.g. kk-fi or municipal-fi)")
    package = "kompass_" + name.replace("-", "_")
    root = folder / f"kompass-{name}"
    if root.exists():
        raise InputError(f"{root} already exists; choose another name or folder")
    ref = RuleSetRef(f"kk-{name}" if not name.startswith("kk-") else name, version)
    stem = f"{ref.id}-{ref.version}"
    base_stem = f"{base.ref.id}-{base.ref.version}"
    title = Labels({lang: f"{text} ({name})" for lang, text in base.title.texts.items()},
                   base.title.translated)
    copied = "" if country else (f" The country {base.country} is copied from {base.ref}: "
                                 "set this variant's own.")
    ruleset = attrs.evolve(base, ref=ref, organisation=name.upper(), title=title,
                           country=country or base.country, note=(
        f"Scaffolded from {base.ref} by kompass init-variant. Edit the labels, maxima, "
        "sources and assumption marks to describe this variant; every fact no source "
        "states must stay marked as assumed." + copied))
    ruleset_data = ruleset_to_data(ruleset)
    migration = {
        "from": str(ref), "to": str(base.ref), "invertible": True,
        "assumed": ["calibration"],
        "note": f"Scaffolded: {ref} starts as a copy of {base.ref}, so areas map one to one "
                "and scores carry over unchanged. Replace this with what your sources say, "
                "or mark the calibration uncalibrated.",
        "calibration": {"status": "calibrated", "total": [0, 0]},
        "areas": {a.key: {a.key: 1} for a in base.areas},
    }
    example = {
        "ruleset": str(ref),
        "municipality": {"name": "Example municipality", "country": ruleset.country},
        "areas": {a.key: {"points": int(a.max) // 2} for a in base.areas},
    }
    files = {
        "pyproject.toml": _pyproject(name, package),
        "README.md": _readme(name, package, ref, base.ref),
        f"{package}/__init__.py": _plugin(name, package, stem, base_stem),
        f"{package}/{stem}.toml": f"# The {ref} rule set: data, never executed.\n"
                                  + tomli_w.dumps(ruleset_data),
        f"{package}/{stem}--{base_stem}.migration.toml":
            f"# From {ref} to {base.ref}: data, never executed.\n" + tomli_w.dumps(migration),
        "examples/example.toml": "# An example evaluation (invented points, area level).\n"
                                 + tomli_w.dumps(example),
        "tests/test_conformance.py": _tests(ref),
    }
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        written.append(path)
    return written


def _pyproject(name: str, package: str) -> str:
    return tomli_w.dumps({
        "build-system": {"requires": ["setuptools>=61"],
                         "build-backend": "setuptools.build_meta"},
        "project": {"name": f"kompass-{name}", "version": "0.1.0",
                    "description": f"The {name} variant of Kommunkompassen, as a kompass plugin",
                    "requires-python": ">=3.11", "dependencies": ["kommunkompass"],
                    "entry-points": {"kompass": {name: package}}},
        "tool": {"setuptools": {"packages": [package],
                                "package-data": {package: ["*.toml"]}},
                 "pytest": {"ini_options": {"testpaths": ["tests"],
                                            "kompass_plugins": [name]}}},
    })


def _plugin(name: str, package: str, stem: str, base_stem: str) -> str:
    return f'''"""The {name} variant: its rule set and its migration, registered with kompass."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from kompass_core import hookimpl

_DATA = files("{package}")


@hookimpl
def kompass_rulesets() -> list[Traversable]:
    return [_DATA / "{stem}.toml"]


@hookimpl
def kompass_migrations() -> list[Traversable]:
    return [_DATA / "{stem}--{base_stem}.migration.toml"]
'''


def _tests(ref: RuleSetRef) -> str:
    return f'''"""The conformance kit (one test per law) and a check of the example evaluation."""

from pathlib import Path

from kompass_core import default_registry, load_evaluation

pytest_plugins = ["kompass_core.testing"]

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "example.toml"


def test_example_scores_with_the_variant() -> None:
    card = default_registry().score(load_evaluation(EXAMPLE))
    assert str(card.ruleset) == "{ref}"
    assert card.complete
'''


def _readme(name: str, package: str, ref: RuleSetRef, base: RuleSetRef) -> str:
    return f"""# kompass-{name}

The `{ref}` rule set for kompass, scaffolded from `{base}` by
`kompass init-variant {name}`.

- `{package}/{ref.id}-{ref.version}.toml`: the rule set (edit it: labels,
  maxima, sources, assumption marks);
- `{package}/*.migration.toml`: how scores carry over to `{base}`;
- `{package}/__init__.py`: the plugin that registers both;
- `tests/`: the conformance kit, one test per law.

```sh
pip install .            # then: kompass rulesets
python -m pytest         # the laws, for this plugin
```
"""
