"""Rule-set references: ``id@version``, parsed once and compared exactly."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from kompass_core.model.errors import InputError, Problem

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}")


def _check(pattern: re.Pattern[str], what: str) -> Callable[[Any, Any, str], None]:
    def validate(_inst: Any, _attr: Any, value: str) -> None:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise InputError(f"invalid rule-set {what} {value!r}")

    return validate


@attrs.frozen(order=True)
class RuleSetRef:
    """Names one rule set, e.g. ``kk-se@2.0`` (id ``kk-se``, version ``2.0``)."""

    id: str = attrs.field(validator=_check(_ID, "id"))
    version: str = attrs.field(validator=_check(_VERSION, "version"))

    @classmethod
    def parse(cls, text: str) -> RuleSetRef:
        """Parse ``id@version``; raises :class:`InputError` naming the text."""
        if not isinstance(text, str) or text.count("@") != 1:
            raise InputError(f"invalid rule-set reference {text!r}: expected id@version, "
                             "e.g. kk-se@2.0")
        rid, version = text.split("@")
        return cls(rid, version)

    def __str__(self) -> str:
        return f"{self.id}@{self.version}"




def as_ref(value: RuleSetRef | str, key: str) -> RuleSetRef:
    """``value`` as a reference, ``id@version`` text read; anything else refused naming ``key``.

    Model fields convert with it, so that a model built with
    ``ruleset="kk-se@2.0"`` does not hold a string that never equals the
    rule set's reference.
    """
    if type(value) is RuleSetRef:
        return value
    try:
        if isinstance(value, str):
            return RuleSetRef.parse(value)
        raise InputError(f"expected a rule-set reference such as kk-se@2.0, got {value!r}")
    except InputError as err:
        raise InputError(Problem(err.problems[0].message, keys=(key,))) from None
