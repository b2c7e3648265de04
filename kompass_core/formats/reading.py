"""Reading user files: bytes, text, TOML and JSON, with located errors.

Readers never trust their input: size is capped before parsing, text must
be UTF-8 (a byte-order mark is dropped), numbers are parsed exactly
(``Decimal``, never ``float``), JSON duplicate keys and NaN are refused, and
every failure is an :class:`~kompass_core.model.errors.InputError` naming the
file and, where the parser knows it, the line.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from kompass_core.formats.toml_text import deep_key, key_lines, toml_hint
from kompass_core.model.errors import InputError, Problem

MAX_BYTES = 4 * 1024 * 1024
"""Largest evaluation or rule-set file we read (4 MiB; real ones are < 100 KiB)."""

STDIN = "-"
T = TypeVar("T")


def read_bytes(source: str | Path) -> tuple[str, bytes]:
    """The display name and bytes of a file, or of stdin for ``-``."""
    name = str(source)
    try:
        if name == STDIN:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
            name = "<stdin>"
        else:
            with open(source, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(Problem("no such file", file=name)) from None
    except IsADirectoryError:
        raise InputError(Problem("is a directory, not a file", file=name)) from None
    except OSError as exc:
        raise InputError(Problem(f"cannot read: {exc.strerror or exc}", file=name)) from None
    if len(data) > MAX_BYTES:
        raise InputError(Problem(f"file is larger than the limit of {MAX_BYTES} bytes",
                                 file=name))
    return name, data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` (a leading BOM dropped); other encodings are named and refused.

    Windows tools write a UTF-8 byte-order mark, so it is accepted. A file
    saved as UTF-16 or Windows-1252 is told apart from a binary one, so the
    message can say how to save it instead of calling it binary.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    if _is_utf16(data):
        raise InputError(Problem("is UTF-16 text, not UTF-8: save it as UTF-8", file=name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = ("is Windows-1252 (Latin-1) text, not UTF-8: save it as UTF-8"
                   if _is_cp1252(data) else "is not valid UTF-8 text (binary file?)")
        raise InputError(Problem(message, file=name, line=line)) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(Problem("contains NUL bytes (binary file?)", file=name, line=line))
    if not text.strip():
        raise InputError(Problem("is empty", file=name))
    return text


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or NUL as every other byte (how UTF-16 stores Latin text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:1024]
    even, odd = sample[0::2], sample[1::2]
    return len(sample) >= 4 and any(
        nuls.count(0) >= 0.75 * len(nuls) and others.count(0) <= 0.1 * len(others)
        for nuls, others in ((even, odd), (odd, even)))


_NORDIC = frozenset("åäöæøÅÄÖÆØ")


def _is_cp1252(data: bytes) -> bool:
    """Bytes that read as Windows-1252 text with Nordic letters (how older tools save)."""
    try:
        return not _NORDIC.isdisjoint(data.decode("cp1252"))
    except UnicodeDecodeError:
        return False


_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """Parse TOML 1.0, numbers with a fraction as exact ``Decimal``."""
    if problem := deep_key(text, MAX_DEPTH):
        raise InputError(problem.located(name))
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_AT.search(message)
        line = int(match.group(1)) if match and match.group(1) else None
        if match and not match.group(1):
            line = text.count("\n") + 1
        detail = _TOML_AT.sub("", message)
        if line is not None and (hint := toml_hint(text.split("\n")[line - 1:line])):
            detail += f" ({hint})"
        raise InputError(Problem(f"invalid TOML: {detail}", file=name, line=line)) from None
    except RecursionError:
        raise InputError(Problem("invalid TOML: nested too deeply", file=name)) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


def is_workbook(name: str, data: bytes) -> bool:
    """Whether a file is to be read as a workbook: named ``*.xlsx``, or a zip archive.

    Sniffing the zip signature lets a workbook come through stdin, and gives
    a clear message for other zip-based files (.ods) instead of "not UTF-8".
    """
    return name.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04")


def parse_json(text: str, name: str) -> Any:
    """Parse strict JSON: no duplicate keys, no NaN/Infinity, exact decimals."""
    import json  # on first use: TOML files, the usual input, never pay for it

    try:
        parsed = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=Decimal,
                            parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"invalid JSON: {exc.msg}", file=name,
                                 line=exc.lineno)) from None
    except ValueError as exc:
        raise InputError(Problem(f"invalid JSON: {exc}", file=name)) from None
    except RecursionError:
        raise InputError(Problem("invalid JSON: nested too deeply", file=name)) from None
    if "\\u" in text and (problem := _lone_surrogate(parsed)):
        raise InputError(problem.located(name))
    return parsed


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_problem(text: str, keys: tuple[str, ...], what: str = "holds "
                       ) -> Problem | None:
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return Problem(f"{what}\\u{ord(found.group()):04x}, half of a UTF-16 pair (a lone "
                   "surrogate), not a character: write the character itself", keys=keys)


def _lone_surrogate(document: object) -> Problem | None:
    """The first string or key holding a lone surrogate, which JSON's ``\\ud800`` allows.

    Such a string cannot be written as UTF-8, so it passes validation and
    breaks every later output (scores, exports, the store); it is refused
    where it is read, at its key path. TOML cannot hold one.
    """
    stack: list[tuple[object, tuple[str, ...]]] = [(document, ())]
    while stack:
        value, keys = stack.pop()
        if isinstance(value, str):
            problem = _surrogate_problem(value, keys)
        elif isinstance(value, dict):
            problem = next(filter(None, (_surrogate_problem(k, keys, "a key holds ")
                                         for k in value)), None)
            stack.extend((v, keys + (k,)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            problem = None
            stack.extend((v, keys + (str(i),)) for i, v in reversed(list(enumerate(value))))
        else:
            problem = None
        if problem:
            return problem
    return None


def parse_document(text: str, name: str) -> dict[str, Any]:
    """Parse JSON when the file is ``*.json`` or looks like a JSON object, else TOML.

    Documents nested deeper than :data:`MAX_DEPTH` are refused: no kompass
    file needs more than a handful of levels, and deep nesting is how a
    hostile file makes a parser or a later walk exhaust the stack.
    """
    data: dict[str, Any]
    if name.endswith(".json") or (not name.endswith(".toml") and text.lstrip().startswith("{")):
        parsed = _one_card(parse_json(text, name))
        if not isinstance(parsed, dict):
            raise InputError(Problem("expected a JSON object at the top", file=name))
        data = parsed
    else:
        data = parse_toml(text, name)
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise InputError(Problem(f"nested {depth} levels deep; the limit is {MAX_DEPTH}",
                                 file=name))
    return data


def _one_card(parsed: object) -> object:
    """The card of a list holding one score card (what ``kompass migrate`` prints for a file)."""
    if isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict) \
            and str(parsed[0].get("format", "")).startswith("kompass.scorecard/"):
        return parsed[0]
    return parsed


MAX_DEPTH = 16
"""Deepest nesting of tables and arrays a document may have (kompass files use 8)."""


def _depth(value: object) -> int:
    """How deeply tables and arrays nest in ``value`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((child, depth + 1) for child in
                         (item.values() if isinstance(item, dict) else item))
    return deepest


def read_text(source: str | Path) -> tuple[str, str]:
    """The text of a file (``-`` for stdin) and its display name, checked as :func:`decode`."""
    name, data = read_bytes(source)
    return decode(data, name), name


def build(text: str, name: str, from_data: Callable[[dict[str, Any]], T]) -> T:
    """Parse ``text`` and build a model object, every problem placed on its line."""
    return build_parsed(parse_document(text, name), text, name, from_data)


def build_parsed(document: dict[str, Any], text: str, name: str,
                 from_data: Callable[[dict[str, Any]], T]) -> T:
    """Build from ``document``, parsed from ``text`` already (to look at it first, or stdin)."""
    try:
        return from_data(document)
    except InputError as err:
        raise InputError(locate(err.problems, text, name)) from None



def build_dict(data: Mapping[str, Any], name: str, from_data: Callable[[dict[str, Any]], T]
               ) -> T:
    """Build from a document given as Python data, with the checks and messages of a file.

    Tools that embed kompass hold documents as dicts; they are copied into
    the parsed shape (string keys, lists for tuples, at most
    :data:`MAX_DEPTH` deep) and every problem is placed in ``name``.
    """
    problems: list[Problem] = []
    document = _plain(data, (), problems, name)
    if problems:
        raise InputError(problems)
    try:
        return from_data(document)
    except InputError as err:
        raise InputError([p.located(name) for p in err.problems]) from None


def _plain(value: object, keys: tuple[str, ...], problems: list[Problem], name: str) -> Any:
    if not keys and not isinstance(value, Mapping):
        problems.append(Problem(f"expected a mapping, got {type(value).__name__}", file=name))
        return {}
    if isinstance(value, Mapping | list | tuple) and len(keys) >= MAX_DEPTH:
        raise InputError(Problem(f"nested more than {MAX_DEPTH} levels deep; the limit is "
                                 f"{MAX_DEPTH}", file=name))
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and (bad := _surrogate_problem(key, keys, "a key holds ")):
                problems.append(bad.located(name))
            elif isinstance(key, str):
                out[key] = _plain(item, keys + (key,), problems, name)
            else:
                problems.append(Problem(f"key {key!r} is not a string", file=name, keys=keys))
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, keys + (str(i),), problems, name) for i, item in enumerate(value)]
    if isinstance(value, str) and (bad := _surrogate_problem(value, keys)):
        problems.append(bad.located(name))
    return value

def locate(problems: Iterable[Problem], text: str | None, name: str,
           prefer: str | None = None) -> list[Problem]:
    """Place ``problems`` in file ``name``, finding lines in TOML ``text``.

    A problem's line is that of its key path, or of the nearest enclosing
    table; with ``prefer`` (e.g. ``"points"``) the line of that key inside
    the table is taken first, as it is where the bad value stands.
    """
    table = key_lines(text) if text is not None and not name.endswith(".json") else {}
    out = []
    for problem in problems:
        line = problem.line
        if line is None and problem.keys:
            keys = tuple(problem.keys)
            if prefer and keys + (prefer,) in table:
                keys += (prefer,)
            while keys and keys not in table:
                keys = keys[:-1]
            line = table.get(keys) if keys else None
        out.append(problem.located(name, line))
    return out
