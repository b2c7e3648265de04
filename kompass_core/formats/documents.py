"""Any kompass file, read and parsed once: what kind it is, and how to place its problems.

``validate`` and ``db import`` take files whose kind they learn only by
reading them (stdin cannot be read twice), and every error must land on a
line of the file it came from. :func:`read_document` does both once, for
the command line and for embedding tools alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from kompass_core.formats.reading import (
    build_parsed,
    decode,
    is_workbook,
    locate,
    parse_document,
    read_bytes,
)
from kompass_core.model.errors import InputError, Problem

if TYPE_CHECKING:  # the kinds a command does not read stay unimported
    from kompass_core.formats.profile import Profile
    from kompass_core.model.card import ScoreCard
    from kompass_core.model.evaluation import Evaluation
    from kompass_core.model.migration import AreaMapping
    from kompass_core.model.ruleset import RuleSet

T = TypeVar("T")

NAMES = {"evaluation": "an evaluation", "ruleset": "a rule set", "migration": "a migration",
         "profile": "a profile", "scorecard": "a score card", "store": "a store export",
         "results": "a results table"}
"""What a document can be (the documented formats, docs/formats.md), as messages say it."""
KINDS = tuple(NAMES)


@attrs.frozen
class Document:
    """One file's parsed content, with its name and text so problems can name lines."""

    name: str
    kind: str
    text: str | None  # None for a workbook: its problems name sheet and cell instead
    data: dict[str, Any] | None  # None for a workbook and a results CSV
    raw: bytes = attrs.field(repr=False, default=b"")

    @property
    def what(self) -> str:
        """What the document is, as a message says it: ``"a rule set"``."""
        return NAMES[self.kind]

    def build(self, from_data: Callable[[dict[str, Any]], T]) -> T:
        """A value built from the parsed document, every problem placed on its line."""
        if self.data is None or self.text is None:
            raise InputError(Problem(f"is {NAMES[self.kind]}, not a TOML or JSON document",
                                     file=self.name))
        return build_parsed(self.data, self.text, self.name, from_data)

    def evaluation(self) -> Evaluation:
        """The evaluation this document holds: from a workbook, TOML or JSON."""
        self._expect("evaluation")
        from kompass_core.formats.evaluation import evaluation_from_data, evaluation_from_xlsx

        if self.text is None:
            return evaluation_from_xlsx(self.raw, self.name)
        return self.build(evaluation_from_data)

    def scorecard(self) -> ScoreCard:
        """The score card this document holds (``kompass.scorecard/1``, what ``migrate`` prints)."""
        from kompass_core.formats.serialize import scorecard_from_data

        self._expect("scorecard")
        return self.build(scorecard_from_data)

    def ruleset(self) -> RuleSet:
        """The rule set this document holds, checked as ``kompass validate`` checks it."""
        from kompass_core.formats.ruleset import ruleset_from_data

        self._expect("ruleset")
        return self.build(ruleset_from_data)

    def migration(self) -> AreaMapping:
        """The migration this document holds (not yet checked against its rule sets)."""
        from kompass_core.formats.migration import migration_from_data

        self._expect("migration")
        return self.build(migration_from_data)

    def profile(self) -> Profile:
        """The profile this document holds, with the files it ``extends`` read beside it."""
        from kompass_core.formats.profile import load_profile

        self._expect("profile")
        assert self.data is not None and self.text is not None  # a profile is always parsed
        return load_profile(self.name, (self.data, self.text, self.name))

    def _expect(self, kind: str) -> None:
        if self.kind != kind:
            raise InputError(Problem(f"is {NAMES[self.kind]}, not {NAMES[kind]}",
                                     file=self.name))

    def locate(self, problems: Iterable[Problem], prefer: str | None = None) -> list[Problem]:
        """``problems`` (key paths of this document) with this file and their lines."""
        return locate(problems, self.text, self.name, prefer=prefer)

    def located(self, run: Callable[[], T], prefer: str | None = None) -> T:
        """Run ``run``; the input errors it raises are placed on lines of this file."""
        try:
            return run()
        except InputError as err:
            raise InputError(self.locate(err.problems, prefer)) from None


def kind_of(keys: Set[str], fmt: object = None) -> str:
    """What a parsed document is by its top-level keys (an evaluation by default)."""
    if isinstance(fmt, str):
        if fmt.startswith("kompass.store/"):
            return "store"
        if fmt.startswith("kompass.scorecard/"):
            return "scorecard"
    if {"from", "to"} <= keys:
        return "migration"
    if "profile" in keys:
        return "profile"
    return "ruleset" if {"id", "areas"} <= keys else "evaluation"


def read_document(source: str | Path, kind: str | None = None) -> Document:
    """Read ``source`` (``-``: stdin) once and tell its kind, unless ``kind`` is given.

    A workbook (``*.xlsx`` or a zip archive) is an evaluation; a ``*.csv``
    file or text starting with the results header is a results table; any
    other file is parsed as TOML or JSON and told by its keys.
    """
    if kind is not None and kind not in KINDS:
        raise InputError(Problem(f"unknown kind {kind!r}; one of {', '.join(KINDS)}",
                                 file=str(source)))
    name, data = read_bytes(source)
    if kind in (None, "evaluation") and is_workbook(name, data):
        return Document(name, "evaluation", None, None, data)
    text = decode(data, name)
    if kind == "results" or (kind is None and (name.lower().endswith(".csv")
                                               or text.startswith("ruleset,kind,"))):
        return Document(name, "results", text, None)
    document = parse_document(text, name)
    return Document(name, kind or kind_of(document.keys(), document.get("format")), text,
                    document)
