"""Reading TOML text without parsing it: deep keys, lines of keys, hints on errors.

``tomllib`` gives no positions for values and costs time quadratic in a
dotted key's length, and its messages say what is wrong, not what to
write; these scans of the text fill those gaps.
"""

from __future__ import annotations

import datetime
import re

from kompass_core.model.errors import Problem

_SEGMENT = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_TOKENS = re.compile(
    r'"""(?:[^\\]|\\[\s\S])*?"""""?|"""[\s\S]*'       # multi-line strings (unterminated: all)
    r"|'''[\s\S]*?'''(?:''?)?|'''[\s\S]*"
    r"|#[^\n]*"                                           # comments
    rf"|(?P<chain>{_SEGMENT}(?:[ \t]*\.[ \t]*{_SEGMENT})*)"   # a key (maybe dotted) or a value
    r"""|"(?:[^"\\\n]|\\.)*|'[^'\n]*"""                  # unterminated strings: the line
    r"""|[^"'#A-Za-z0-9_\-]+""")
_SEGMENTS = re.compile(_SEGMENT)


def deep_key(text: str, limit: int) -> Problem | None:
    """A dotted key or table header of more than ``limit`` parts, found before parsing.

    ``tomllib`` takes time and memory quadratic in a dotted key's length
    (200 KB of ``a.a.a…`` exhausts memory), so such keys are refused from
    the text. Strings and comments are skipped whole, so a quoted key with
    dots (``"3.2"``) is one part; a value has at most two parts (``12.5``),
    so only a key is this long, and its document would nest at least as deep.
    """
    for match in _TOKENS.finditer(text):
        chain = match.group("chain")
        if chain and chain.count(".") >= limit:
            parts = len(_SEGMENTS.findall(chain))
            if parts > limit:
                line = text.count("\n", 0, match.start()) + 1
                return Problem(f"a key of {parts} dotted parts nests deeper than the limit of "
                               f"{limit} levels", line=line)
    return None


_DECIMAL_COMMA = re.compile(r"([^=]+?)\s*=\s*([+-]?\d+),(\d+)\s*(?:#.*)?")
_DATE = re.compile(r"(?:(\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})[./](\d{1,2})[./](\d{1,2}))")
_DATE_VALUE = re.compile(rf"([^=]+?)\s*=\s*{_DATE.pattern}\s*(?:#.*)?")


def toml_hint(lines: list[str]) -> str | None:
    """What to write instead of a Nordic decimal comma or date on the line TOML refused.

    Lines longer than any such statement are not looked at, which keeps the
    patterns' backtracking short.
    """
    line = lines[0].strip() if lines else ""
    if len(line) > 200:
        return None
    if match := _DECIMAL_COMMA.fullmatch(line):
        key, whole, fraction = match.groups()
        return f"write decimals with a point: {key} = {whole}.{fraction}"
    if (match := _DATE_VALUE.fullmatch(line)) and (iso := iso_date(line.partition("=")[2])):
        return f"write dates as YYYY-MM-DD: {match.group(1)} = {iso}"
    return None


def iso_date(text: str) -> str | None:
    """``05.10.2023`` (day first, as Nordic dates are written) or ``2023.10.05`` as ISO."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    day, month, year = (match.group(1, 2, 3) if match.group(3) else match.group(6, 5, 4))
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> tuple[list[str], str] | None:
    """Split a dotted TOML key at the start of ``text``; return keys and the rest."""
    keys: list[str] = []
    rest = text.lstrip()
    while True:
        if rest.startswith('"'):
            end = 1
            while end < len(rest) and rest[end] != '"':
                end += 2 if rest[end] == "\\" else 1
            if end >= len(rest):
                return None
            keys.append(rest[1:end].encode().decode("unicode_escape", "replace")
                        if "\\" in rest[1:end] else rest[1:end])
            rest = rest[end + 1:]
        elif rest.startswith("'"):
            end = rest.find("'", 1)
            if end < 0:
                return None
            keys.append(rest[1:end])
            rest = rest[end + 1:]
        else:
            match = _BARE.match(rest)
            if not match:
                return None
            keys.append(match.group(0))
            rest = rest[match.end():]
        rest = rest.lstrip()
        if not rest.startswith("."):
            return keys, rest
        rest = rest[1:].lstrip()


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The first line on which each key path (and each of its prefixes) appears."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            array = line.startswith("[[")
            parsed = _split_key(line[2 if array else 1:])
            if parsed is None:
                continue
            table = tuple(parsed[0])
            _record(lines, table, number)
            continue
        parsed = _split_key(line)
        if parsed is None or not parsed[1].startswith("="):
            continue
        _record(lines, table + tuple(parsed[0]), number)
        value = parsed[1][1:].strip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                in_multiline = quote
    return lines


def _record(lines: dict[tuple[str, ...], int], keys: tuple[str, ...], number: int) -> None:
    for depth in range(1, len(keys) + 1):
        lines.setdefault(keys[:depth], number)
