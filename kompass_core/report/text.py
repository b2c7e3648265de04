"""The fixed words of a report, in every language kompass reports in.

A report is in one language: every heading, note and legend comes from
here, the labels of areas and sub-areas from the rule set. The four
built-in languages (sv, nb, da, en) are data files in ``words/``, our own
translations, each with the same keys and the same ``{placeholders}``;
plugins add languages through the ``kompass_report_strings`` hook (see
docs/writing-a-variant.md). A language that is neither is refused, naming
the ones there are, never silently shown in English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import TYPE_CHECKING

from kompass_core.model.errors import InputError

if TYPE_CHECKING:
    from kompass_core.registry.registry import Registry

BUILTIN = ("sv", "nb", "da", "en")
"""The languages kompass reports in by itself, the first being the method's own."""


def _load(lang: str) -> dict[str, str]:
    text = (files("kompass_core.report") / "words" / f"{lang}.toml").read_text("utf-8")
    return {k: str(v) for k, v in tomllib.loads(text).items()}


STRINGS: dict[str, dict[str, str]] = {lang: _load(lang) for lang in BUILTIN}
"""The report's words by language and key."""

KEYS = frozenset(STRINGS["en"])
"""Every key a language must supply."""


def report_languages(registry: Registry | None = None) -> dict[str, Mapping[str, str]]:
    """Every language a report can be in: the built-in ones, and those plugins supply."""
    found: dict[str, Mapping[str, str]] = dict(STRINGS)
    if registry is not None:
        found.update(registry.report_strings(STRINGS))
    return found


def strings(lang: str, registry: Registry | None = None) -> Mapping[str, str]:
    """The report's words in ``lang``; InputError naming the languages there are if none."""
    known = report_languages(registry)
    if lang not in known:
        raise InputError(f"no report language {lang!r} (available: {', '.join(known)})")
    return known[lang]
