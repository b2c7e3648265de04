"""What the store holds: records going in, stored entries coming out.

A :class:`Record` is an evaluation with its score card, keyed by the hash
of its canonical JSON so that one result imported twice is stored once; a
:class:`Stored` entry is what queries give back, without the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from json.encoder import encode_basestring as _quote  # what json.dumps uses
from typing import NamedTuple

import attrs

from kompass_core.formats.results import AREA_COLUMNS, BASES, KINDS, Row, area_positions
from kompass_core.formats.serialize import canonical, unstructure
from kompass_core.model.card import TOTAL, Provenance, ScoreCard
from kompass_core.model.dates import PartialDate
from kompass_core.model.errors import InputError
from kompass_core.model.evaluation import Evaluation, Municipality
from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import Level, RuleSet

SHORT = 12
"""Hex digits of the content hash shown as an evaluation's ID."""
LEVELS = (Level.TOTAL, Level.AREA)
"""The levels of the score lines stored: the total and the areas."""


class StoredScore(NamedTuple):
    """One stored score line (the total or an area), exact.

    A named tuple rather than an attrs class: queries build one per stored
    score, and tuples cost a fraction to create.
    """

    key: str
    level: Level
    low: Points
    high: Points
    max: Points
    provenance: Provenance
    hidden: str | None = None
    """Why the line is not to be published (:meth:`ScoreCard.hidden_by`), None when it is."""

    @property
    def exact(self) -> Points | None:
        """The score when it is known to the point, else None."""
        return self.low if self.low == self.high else None

    @property
    def published(self) -> Points | None:
        """The score when it is known to the point and may be published, else None."""
        return None if self.hidden else self.exact


@attrs.frozen
class Record:
    """An evaluation ready to store: its content key, where it came from, its score card."""

    id: str
    evaluation: Evaluation
    document: str
    origin: str
    kind: str
    year: int | None
    source_url: str
    card: ScoreCard
    basis: str | None = None
    """Whether the source states the rule set (``stated``) or it was ``inferred``; None for
    an evaluation file, whose rule set the file states, and for rows that do not say."""

    @property
    def scores(self) -> tuple[StoredScore, ...]:
        """The score lines stored for queries: the total and the areas."""
        c = self.card
        hides = c.hides
        return tuple(StoredScore(c.keys[i], level, c.lows[i], c.highs[i], c.maxes[i],
                                 c.provenance[i], c.hidden_by(c.keys[i]) if hides else None)
                     for i, level in enumerate(c.levels) if level in LEVELS)


@attrs.frozen
class Stored:
    """An evaluation as the store holds it (without its document, which queries skip)."""

    id: str
    origin: str
    ruleset: RuleSetRef
    municipality: Municipality
    date: PartialDate | None
    year: int | None
    kind: str
    source_url: str
    scores: tuple[StoredScore, ...]
    seq: int = attrs.field(eq=False)  # import order: newer wins among duplicates
    basis: str | None = None
    """``stated`` or ``inferred``, as its results row said (see :attr:`Record.basis`)."""

    @property
    def short(self) -> str:
        """The ID people type: the first hex digits of the content hash."""
        return self.id[:SHORT]

    @property
    def name(self) -> str:
        """``Grästorp 2014``: municipality and year, for lists and notes."""
        return self.municipality.name + (f" {self.year}" if self.year is not None else "")

    def score(self, key: str) -> StoredScore | None:
        """The stored score for ``key`` (``total`` or an area), if any."""
        return next((s for s in self.scores if s.key == key), None)

    def exactness(self) -> int:
        """How many of its scores are exact: the more, the more complete."""
        return sum(s.low == s.high for s in self.scores)

    def card(self, ruleset: RuleSet) -> ScoreCard:
        """A score card of the total and areas, enough to show or migrate it.

        Withheld lines stay withheld; the rule set's coverage rule is applied
        to the stored lines as when they were scored.
        """
        if ruleset.ref != self.ruleset:
            raise ValueError(f"{self.short} is scored on {self.ruleset}, not {ruleset.ref}")
        s = self.scores
        return ScoreCard(self.ruleset, ruleset.weighting, self.municipality, self.date,
                         ruleset.rounding, tuple(x.key for x in s), tuple(x.level for x in s),
                         tuple(x.max for x in s), tuple(x.low for x in s),
                         tuple(x.high for x in s), tuple(x.provenance for x in s),
                         withheld=frozenset(x.key for x in s if x.hidden == "withheld"),
                         coverage=ruleset.missing.coverage)

    def row(self) -> Row:
        """This evaluation as a results-CSV row (exact published scores only), for references.

        Each stored area goes to its column; an area the format has no column
        for is an error, not a score left out (see :func:`area_positions`).
        """
        areas = [s for s in self.scores if s.level is Level.AREA]
        values: list[Points | None] = [None] * len(AREA_COLUMNS)
        for at, s in zip(area_positions(self.ruleset, [s.key for s in areas]), areas,
                         strict=True):
            values[at] = s.published
        total = self.score(TOTAL)
        m = self.municipality
        return Row(self.ruleset, self.kind, m.country or "", m.name, self.year, tuple(values),
                   total.published if total else None, self.source_url, basis=self.basis or "",
                   code=m.code or "")


def document_text(evaluation: Evaluation) -> str:
    """The canonical JSON of ``evaluation``: ``canonical(unstructure(evaluation))``.

    :func:`kompass_core.formats.serialize.canonical` is the encoder of
    record; this is the same text written out by hand, because bulk imports
    build one per evaluation and the generic way (a dict, then the encoder)
    costs three times more. A property test (tests/test_store.py) holds the
    two equal. Keys are in sorted order throughout. An evaluation that sets
    any field this writer does not write (a summary, conduct, facts, gold
    stars, statuses, a consensus: few, and long texts anyway) takes the
    generic way; a field added to :class:`Evaluation` later does too.
    """
    if any(getattr(evaluation, name) for name in _NOT_WRITTEN):
        return canonical(unstructure(evaluation))
    m = evaluation.municipality
    notes = ",".join(
        f'{_quote(k)}:{{"improvements":{_strings(n.improvements)},"references":'
        f'{_strings(n.references)},"strengths":{_strings(n.strengths)},"weaknesses":'
        f'{_strings(n.weaknesses)}}}' for k, n in sorted(evaluation.notes.items())
    ) if evaluation.notes else ""
    comments = ",".join(f"{_quote(k)}:{_quote(v)}" for k, v in sorted(evaluation.comments.items())
                        ) if evaluation.comments else ""
    points = ",".join([f'{_quote(k)}:"{v}"' for k, v in sorted(evaluation.points.items())])
    date = f'"{evaluation.date.isoformat()}"' if evaluation.date else "null"
    return (f'{{"comments":{{{comments}}},"date":{date},"evaluators":'
            f'{_strings(evaluation.evaluators)},"municipality":{{"code":{_nullable(m.code)},'
            f'"country":{_nullable(m.country)},"name":{_quote(m.name)}}},"notes":{{{notes}}},'
            f'"points":{{{points}}},"ruleset":{_quote(str(evaluation.ruleset))}}}')


_WRITTEN = frozenset({"ruleset", "municipality", "date", "evaluators", "points", "notes",
                      "comments"})
_NOT_WRITTEN = tuple(f.name for f in attrs.fields(Evaluation) if f.init and f.name not in _WRITTEN)
"""The fields :func:`document_text` leaves to the generic encoder (each empty by default)."""


def _strings(items: Sequence[str]) -> str:
    return f"[{','.join(map(_quote, items))}]"


def _nullable(text: str | None) -> str:
    return "null" if text is None else _quote(text)


def make_record(evaluation: Evaluation, card: ScoreCard, origin: str,
                kind: str = "evaluation", year: int | None = None,
                source_url: str = "", basis: str | None = None) -> Record:
    """A record of ``evaluation`` scored as ``card``.

    The key is the sha256 of the canonical JSON of the evaluation with its
    kind and year (a results-CSV row carries those outside the evaluation),
    so the same result imported twice, from any file, is stored once. ``basis``
    (``stated`` or ``inferred``) says how the rule set is known; like the source,
    it is kept beside the result, not in its key.
    """
    if kind not in KINDS:
        raise InputError(f"{kind!r} is not one of: {', '.join(KINDS)}")
    if year is None and evaluation.date is not None:
        year = evaluation.date.year
    text = document_text(evaluation)
    # canonical({"evaluation": ..., "kind": ..., "year": ...}) without encoding text twice
    keyed = f'{{"evaluation":{text},"kind":"{kind}","year":{"null" if year is None else year}}}'
    key = hashlib.sha256(keyed.encode()).hexdigest()
    if basis is not None and basis not in BASES:
        raise InputError(f"{basis!r} is not one of: {', '.join(BASES)}")
    return Record(key, evaluation, text, origin, kind, year, source_url, card, basis)
