"""What evaluators write beside the points: the summary, the facts, the gold stars.

A council reads the report for these as much as for the numbers (the seed
report, SKL 2011, spends most of its pages on them). Area texts and
sub-area findings are the evaluation's ``comments`` of the area and
sub-area keys; what has no key of its own lives here. Texts are plain
strings whose paragraphs and simple lists are kept (see
:mod:`kompass_core.report.markup`); nothing in them is ever rendered as
raw HTML.
"""

from __future__ import annotations

import re

import attrs

from kompass_core.model.errors import InputError, Problem

MAX_ITEM = 2_000
"""Most characters in one short text: a list item, a group, a document, a fact's field."""

MAX_PROSE = 50_000
"""Most characters in one long text (the summary, an area's text, a sub-area's findings):
room for pages of prose, not for a pasted book."""

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters no text may hold (tab and line feed aside): a terminal, a workbook
(XML 1.0) or a report would act on them or fail."""


def text_problem(text: str, long: bool) -> str | None:
    """Why ``text`` is not a valid evaluator's text (long: paragraphs allowed), or None.

    Long texts keep their line breaks (paragraphs, list items); short ones
    are one line.
    """
    limit = MAX_PROSE if long else MAX_ITEM
    if len(text) > limit:
        return f"is {len(text)} characters long; the limit is {limit}"
    if not long and "\n" in text:
        return "must be one line (no line breaks)"
    if found := CONTROL.search(text):
        return f"holds the control character {found.group()!r}"
    return None


def prose(text: str) -> str:
    """``text`` with Windows and old Mac line ends as ``\\n``, so paragraphs split one way."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _texts(value: object) -> tuple[str, ...]:
    return tuple(value) if not isinstance(value, str) else (value,)  # type: ignore[arg-type]


def _count(value: int | None) -> int | None:
    if value is not None and (type(value) is not int or value < 0):
        raise InputError([Problem(f"expected a number of people (a whole number >= 0), "
                                  f"got {value!r}", keys=("evaluation", "interviewed"))])
    return value


@attrs.frozen
class Conduct:
    """How the evaluation was made: first or repeat, who was interviewed, what was read.

    ``first`` is ``None`` when the file does not say. ``interviewed`` is the
    number of people interviewed (the seed: about 40), ``groups`` who they
    were (politicians, managers, union representatives ...), ``documents``
    what the evaluators read.
    """

    first: bool | None = None
    interviewed: int | None = attrs.field(default=None, converter=_count)
    groups: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    documents: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    def __bool__(self) -> bool:
        return bool(self.first is not None or self.interviewed is not None
                    or self.groups or self.documents)


@attrs.frozen
class Fact:
    """One fact about the municipality (population and the like), with its source and year.

    ``value`` is text as the source states it (``"40 000"``, ``"2,3 %"``):
    kompass does not compute with it, only shows it.
    """

    label: str
    value: str
    source: str | None = None
    year: int | None = None


@attrs.frozen
class Star:
    """A gold star ("gullstjerne"): the evaluators' mark of best practice.

    Norwegian evaluations mark a sub-area, or a practice within it, as the
    absolute best in the country (research-notes.md, section 7). ``key`` is
    the criterion marked; ``practice`` names the practice, or is empty when
    the criterion itself is marked.
    """

    key: str
    practice: str = ""
