"""The files plugins name, read at load and parsed on first use.

A plugin may ship eight rule sets while a command needs one, so a rule-set
file is read when its plugin loads but only its header is parsed then: the
``id@version`` it names is enough to index it, refuse duplicates and list
it. The rest is parsed (and checked) when something asks for that rule set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from kompass_core.formats.reading import MAX_BYTES, decode
from kompass_core.formats.ruleset import parse_ruleset
from kompass_core.model.errors import InputError, KompassError, Problem
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet


@runtime_checkable
class Readable(Protocol):
    """A file a plugin names: a :class:`~pathlib.Path` or an ``importlib.resources`` Traversable.

    Checked by its one method, so the CLI does not import importlib.resources (6 ms) to
    recognise the paths the built-in plugins give.
    """

    def read_bytes(self) -> bytes: ...


RuleSetSource = RuleSet | Readable | str
"""What ``kompass_rulesets`` may return: a rule set or the path of its file."""


@attrs.frozen
class Pending:
    """A rule-set file read but not yet parsed; its reference comes from its header."""

    ref: RuleSetRef
    text: str
    name: str


def readable(item: object) -> Readable | None:
    """The file ``item`` names (a path, a path string or a Traversable), or None."""
    if isinstance(item, str | os.PathLike):
        return Path(item)
    return item if isinstance(item, Readable) else None


def read_resource(item: Readable) -> tuple[str, str]:
    """The text of ``item`` and the name to give it in errors, within the size limit."""
    name = str(item)
    try:
        data = item.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"cannot read: {exc.strerror or exc}", file=name)) from None
    if len(data) > MAX_BYTES:
        raise InputError(Problem(f"file is larger than the limit of {MAX_BYTES} bytes",
                                 file=name))
    return decode(data, name), name


def peek_ruleset(item: object) -> RuleSet | Pending:
    """A rule set, or a file to parse on first use when its header names it."""
    file = readable(item)
    if file is not None:
        text, name = read_resource(file)
        ref = _header_ref(text)
        return Pending(ref, text, name) if ref is not None else parse_ruleset(text, name)
    if isinstance(item, RuleSet):
        return item
    raise InputError(f"{item!r} is neither a RuleSet nor the path of a rule-set file")


def _header_ref(text: str) -> RuleSetRef | None:
    """``id@version`` from the top-level keys before the first table, if plainly there."""
    import tomllib

    head = []
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            break
        head.append(line)
    try:
        data = tomllib.loads("\n".join(head))
        return RuleSetRef(data["id"], data["version"])
    except (tomllib.TOMLDecodeError, KeyError, KompassError):
        return None


def checked_object(ruleset: RuleSet) -> RuleSet:
    """``ruleset``, built in code by a plugin, if it passes the checks its file would.

    It is written out in the file's shape and read back with the rule-set reader:
    keys, maxima, labels, sources and all are checked as for a file, and what
    the file shape cannot say (so nothing could read it back) is refused.
    """
    from kompass_core.formats.ruleset import ruleset_from_dict, ruleset_to_data

    name = f"RuleSet object {ruleset.ref}"
    try:
        data = ruleset_to_data(ruleset)
    except KompassError:
        raise
    except Exception as exc:  # a malformed object: whatever the writer tripped on
        raise InputError(Problem(f"cannot be written as a rule set: {type(exc).__name__}: "
                                 f"{exc}", file=name)) from None
    if ruleset_from_dict(data, name) != ruleset:
        raise InputError(Problem("does not read back as itself from its file form "
                                 "(it holds what a rule-set file cannot say)", file=name))
    return ruleset
