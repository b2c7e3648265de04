"""Country codes: two capital letters, as ISO 3166-1 alpha-2 writes them (``SE``).

The rule lives here once so that the TOML/JSON readers, the workbook reader
and the JSON schemas accept and refuse the same codes with the same words.
"""

from __future__ import annotations

import re

COUNTRY_PATTERN = "[A-Z]{2}"
"""The code as a regular expression, without anchors (schemas add ``^...$``)."""

_COUNTRY = re.compile(COUNTRY_PATTERN)


def country_problem(text: str) -> str | None:
    """Why ``text`` is not a country code (two capitals A-Z), or None when it is one."""
    if _COUNTRY.fullmatch(text):
        return None
    return f"{text!r} is not an ISO 3166 country code such as SE"
