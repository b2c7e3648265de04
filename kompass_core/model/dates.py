"""A date known to the year, the month or the day: as precise as its source.

Sources state when an evaluation was made as "i slutet av oktober 2014" or
"februari 2021"; writing those as 2014-10-01 or 2021-02-01 would invent a
precision no source gives (docs/formats.md). :class:`PartialDate` keeps
what is known and nothing more, prints at its precision, and orders so that
sorting its ISO text (as the store's ``ORDER BY`` does) sorts the values.
"""

from __future__ import annotations

import calendar
import datetime
import re

import attrs

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
"""How a partial date is written, for messages."""


def _check(inst: PartialDate, _attr: attrs.Attribute[int], _value: int) -> None:
    year, month, day = inst.year, inst.month, inst.day
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise ValueError(f"year {year!r} is not 1 to 9999")
    if month is not None and (isinstance(month, bool) or not isinstance(month, int)
                              or not 1 <= month <= 12):
        raise ValueError(f"month {month!r} is not 1 to 12")
    if day is not None:
        if month is None:
            raise ValueError("a day needs a month")
        last = calendar.monthrange(year, month)[1]
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= last:
            raise ValueError(f"day {day!r} is not 1 to {last} in {year:04d}-{month:02d}")


@attrs.frozen(order=False)
class PartialDate:
    """A year, a year and month, or a day: ``2014``, ``2014-10`` or ``2014-10-01``.

    Ordered by first day, and a coarser date before a finer one with the same
    first day: ``2014 < 2014-01 < 2014-01-01 < 2014-01-02 < 2014-02``. That is
    the order of :meth:`isoformat` texts too, so a store sorts them as text.
    """

    year: int = attrs.field(validator=_check)  # checks all three, once they are set
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, day: datetime.date) -> PartialDate:
        """The day ``day`` (not a date-time: that is more than a date)."""
        if isinstance(day, datetime.datetime):
            raise TypeError("expected a date, got a date-time")
        return cls(day.year, day.month, day.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``2014``, ``2014-10`` or ``2014-10-01``; ValueError with a one-line reason otherwise."""
        match = _ISO.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text[:40]!r} is not a date ({FORMS})")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None  # the pattern requires it
        try:
            return cls(year, month, day)
        except ValueError as err:
            raise ValueError(f"{text.strip()!r} is not a date: {err}") from None

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``: what the source stated."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    @property
    def first_day(self) -> datetime.date:
        """The first day it may be (for comparing with ranges)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        """The last day it may be."""
        month = self.month or 12
        return datetime.date(self.year, month,
                             self.day or calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        """``2014``, ``2014-10`` or ``2014-10-01``: at its precision, never more."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def _key(self) -> tuple[datetime.date, int]:
        return self.first_day, ("year", "month", "day").index(self.precision)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()


def as_partial_date(value: PartialDate | datetime.date | None) -> PartialDate | None:
    """What models store as a date: a :class:`PartialDate`; a ``datetime.date`` is a day."""
    if value is None or isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate.of(value)
    raise TypeError(f"expected a date, got {type(value).__name__}")


def read_date(value: object) -> PartialDate:
    """A date as a file gives it: a date (TOML, a spreadsheet cell), a year, or ISO text.

    ValueError with a one-line reason for anything else (a date-time is more
    than a date; a boolean is no year).
    """
    if isinstance(value, datetime.datetime | datetime.time):
        raise ValueError("expected a date, got a date-time")
    if isinstance(value, datetime.date):
        return PartialDate.of(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 9999:
            raise ValueError(f"{value} is not a year")
        return PartialDate(value)
    if isinstance(value, str):
        return PartialDate.parse(value)
    raise ValueError(f"expected a date ({FORMS}), got {type(value).__name__}")
