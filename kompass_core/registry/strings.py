"""Report words a plugin supplies for a language kompass does not have built in.

A report is in one language, and every fixed word of it must exist in that
language: a plugin's language is refused unless it supplies every key of the
built-in ones with the same ``{placeholders}``, and it may add a language
only, never replace a built-in one (a council's report must not change its
words because a plugin was installed). The built-in words live with the
report (:mod:`kompass_core.report.text`); the registry is handed them.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import attrs

from kompass_core.model.errors import InputError
from kompass_core.model.frozen import freeze

_TAG = frozenset("abcdefghijklmnopqrstuvwxyz-")


@attrs.frozen
class ReportStrings:
    """The fixed words of reports in one language: ``lang`` (e.g. ``fi``) and ``strings`` by key.

    What a plugin's ``kompass_report_strings`` hook returns, one per language
    (a mapping ``{"lang": ..., "strings": {...}}`` is accepted too).
    """

    lang: str
    strings: Mapping[str, str] = attrs.field(converter=freeze)


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` that ``text`` is formatted with."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def words_problems(words: Mapping[str, str], english: Mapping[str, str]) -> list[str]:
    """What keeps ``words`` from wording every report ``english`` words: empty when nothing.

    Every key of ``english``, each value a string with the same placeholders.
    """
    absent = sorted(set(english) - set(words))
    problems = [f"missing keys: {', '.join(absent)}"] if absent else []
    for key in sorted(set(english) & set(words)):
        value = words[key]
        if not isinstance(value, str):
            problems.append(f"{key!r} is {type(value).__name__}, not text")
        elif placeholders(value) != placeholders(english[key]):
            problems.append(f"{key!r} has the placeholders {sorted(placeholders(value))}, "
                            f"the built-in words {sorted(placeholders(english[key]))}")
    return problems


def checked_strings(item: object, builtin: Mapping[str, Mapping[str, str]]) -> ReportStrings:
    """``item`` as :class:`ReportStrings` if it adds a complete language; else InputError."""
    if isinstance(item, Mapping) and set(item) == {"lang", "strings"}:
        item = _from_mapping(item)
    if not isinstance(item, ReportStrings):
        raise InputError(f"{item!r} is not report strings (a ReportStrings, or a mapping "
                         "with 'lang' and 'strings')")
    if not item.lang or not set(item.lang) <= _TAG:
        raise InputError(f"report strings: {item.lang!r} is not a language tag such as 'fi'")
    if item.lang in builtin:
        raise InputError(f"report strings for {item.lang!r}: a built-in language cannot be "
                         "replaced; supply another language")
    problems = words_problems(item.strings, builtin["en"])
    if problems:
        raise InputError(f"report strings for {item.lang!r}: " + "; ".join(problems))
    return item


def _from_mapping(item: Mapping[Any, Any]) -> ReportStrings:
    lang, words = item["lang"], item["strings"]
    if not isinstance(lang, str) or not isinstance(words, Mapping):
        raise InputError(f"report strings: 'lang' must be text and 'strings' a mapping, "
                         f"got {type(lang).__name__} and {type(words).__name__}")
    return ReportStrings(lang, words)
