"""Typed, path-aware access to parsed TOML/JSON tables.

Parsed documents are plain dicts; :class:`Fields` reads one table, checks
the type of each value it is asked for, refuses unknown keys, and records
every problem with its key path instead of stopping at the first, so a
user fixes a file in one round.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from kompass_core.formats.toml_text import iso_date
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.narrative import prose, text_problem
from kompass_core.model.points import Points, from_number, not_points
from kompass_core.model.refs import RuleSetRef


def type_name(value: object) -> str:
    """How a parsed value is named in messages ("a string", "a boolean", ...)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, Decimal | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime | datetime.time):
        return "a date-time"
    if isinstance(value, datetime.date):
        return "a date"
    if value is None:
        return "null"
    return type(value).__name__


class Fields:
    """One table of a document at ``keys``, appending problems to ``problems``."""

    def __init__(self, data: object, keys: tuple[str, ...], problems: list[Problem]) -> None:
        self.keys = keys
        self.problems = problems
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.ok = isinstance(data, dict)
        if not self.ok:
            self.problem(f"expected a table, got {type_name(data)}")

    def problem(self, message: str, *key: str) -> None:
        """Record a problem at this table (or at ``key`` below it)."""
        self.problems.append(Problem(message, keys=self.keys + key))

    def has(self, name: str) -> bool:
        return name in self.data

    def _get(self, name: str, required: bool) -> Any:
        if name not in self.data:
            if required and self.ok:
                self.problem(f"missing required key {name!r}")
            return None
        return self.data[name]

    def text(self, name: str, required: bool = False) -> str | None:
        """A non-empty string."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(f"expected a string, got {type_name(value)}", name)
            return None
        if not value.strip():
            self.problem("must not be empty", name)
            return None
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        """An array of non-empty strings (missing means empty)."""
        value = self._get(name, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"expected an array of strings, got {type_name(value)}", name)
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                what = "an empty string" if isinstance(item, str) else type_name(item)
                self.problem(f"expected a non-empty string, got {what}", name, str(i))
            else:
                out.append(item)
        return tuple(out)

    def prose(self, name: str) -> str | None:
        """A long text: paragraphs and line breaks kept (CRLF as LF), no other control
        characters, at most :data:`~kompass_core.model.narrative.MAX_PROSE` characters."""
        text = self.text(name)
        if text is None:
            return None
        text = prose(text)
        if why := text_problem(text, long=True):
            self.problem(why, name)
            return None
        return text

    def line(self, name: str, required: bool = False) -> str | None:
        """A short one-line text (a fact's field, a gold star's practice), within the limit."""
        text = self.text(name, required)
        if text is not None and (why := text_problem(text, long=False)):
            self.problem(why, name)
            return None
        return text

    def lines(self, name: str) -> tuple[str, ...]:
        """An array of short one-line texts (missing means empty), each within the limit."""
        texts = self.texts(name)
        raw: list[Any] = self.data[name] if texts else []
        bad = {i: why for i, item in enumerate(raw)
               if isinstance(item, str) and (why := text_problem(item, long=False))}
        for i, why in bad.items():
            self.problem(why, name, str(i))
        return texts if not bad else tuple(t for t in texts if text_problem(t, long=False) is None)

    def boolean(self, name: str) -> bool | None:
        """``true`` or ``false``."""
        value = self._get(name, False)
        if value is not None and not isinstance(value, bool):
            self.problem(f"expected true or false, got {type_name(value)}", name)
            return None
        return value

    def number(self, name: str, required: bool = False) -> Points | None:
        """An exact number (integer or decimal; never boolean, NaN, infinite or absurdly long)."""
        value = self._get(name, required)
        if value is None:
            return None
        points = from_number(value)
        if points is None:
            if isinstance(value, Decimal | float) or type(value) is int:
                self.problem(not_points(value), name)
            else:
                self.problem(f"expected a number, got {type_name(value)}", name)
        return points

    def integer(self, name: str) -> int | None:
        """An integer (not a boolean)."""
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"expected an integer, got {type_name(value)}", name)
            return None
        return value

    def date(self, name: str) -> datetime.date | None:
        """A TOML date, or an ISO ``YYYY-MM-DD`` string (JSON has no dates)."""
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, datetime.datetime | datetime.time):
            self.problem(f"expected a date, got {type_name(value)}", name)
            return None
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                iso = iso_date(value)
                self.problem(f"{value!r} is not a date (YYYY-MM-DD)"
                             + (f": write {iso}" if iso else ""), name)
                return None
        self.problem(f"expected a date, got {type_name(value)}", name)
        return None

    def ref(self, name: str, required: bool = False) -> RuleSetRef | None:
        """A rule-set reference ``id@version``."""
        text = self.text(name, required)
        if text is None:
            return None
        try:
            return RuleSetRef.parse(text)
        except InputError as err:
            self.problem(err.problems[0].message, name)
            return None

    def table(self, name: str, required: bool = False) -> Fields | None:
        """A sub-table."""
        value = self._get(name, required)
        if value is None:
            return None
        sub = Fields(value, self.keys + (name,), self.problems)
        return sub if sub.ok else None

    def tables(self, name: str) -> list[tuple[str, Fields]]:
        """A table of sub-tables, in file order (missing means none)."""
        outer = self.table(name)
        if outer is None:
            return []
        out = []
        for key, value in outer.data.items():
            sub = Fields(value, outer.keys + (key,), self.problems)
            if sub.ok:
                out.append((key, sub))
        return out

    def only(self, *allowed: str) -> None:
        """Refuse keys not in ``allowed`` (a typo must not be silently ignored)."""
        for key in self.data:
            if key not in allowed:
                self.problem(f"unknown key (expected one of: {', '.join(allowed)})", key)
