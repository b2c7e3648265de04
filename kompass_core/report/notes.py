"""The report's numbered footnotes: what its labels, numbers and comparisons rest on.

A reader must be able to tell a published number from an assumed one and a
source's label from our translation, so every such caveat becomes a note,
and each table row carries the numbers of the notes that qualify it. Notes
are numbered in the order they are first needed, each text once. Every
word of a note comes from the report's language (``words``), numbers with
its decimal sign.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kompass_core.model.card import ScoreCard, Step
from kompass_core.model.migration import AreaMapping, Migration, plain_signed
from kompass_core.model.points import Points
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.report.reference import Gap, Reference

Marks = dict[str, tuple[int, ...]]
"""The notes that qualify each criterion's row, by criterion key."""


@attrs.define
class Notes:
    """Numbered footnotes, each text once."""

    items: dict[str, int] = attrs.field(factory=dict)

    def add(self, text: str) -> int:
        """The number of ``text``, given the next one if it is new."""
        return self.items.setdefault(text, len(self.items) + 1)

    def numbered(self) -> tuple[tuple[int, str], ...]:
        """Every note as ``(number, text)``, in order."""
        return tuple((n, text) for text, n in self.items.items())


def ruleset_notes(notes: Notes, ruleset: RuleSet, lang: str, words: Mapping[str, str]
                  ) -> Marks:
    """Note where the rule set's labels and maxima come from; the marks of each row."""
    fallback = _language_notes(notes, ruleset, lang, words)
    assumed = _assumed_notes(notes, ruleset, words)
    if ruleset.assumed:
        notes.add(words["assumed_rules"].format(what=_assumed(ruleset.assumed, words)))
    if ruleset.sources:
        notes.add(words["sources"].format(sources="; ".join(
            s.title + (f" <{s.url}>" if s.url else "") for s in ruleset.sources)))
    marks: Marks = {}
    for c in ruleset.criteria():
        _, used = c.labels.get(lang, ruleset.languages[0])
        marks[c.key] = tuple(n for n in (assumed.get(c.key, 0),
                                         fallback if used != lang else 0) if n)
    return marks


def _language_notes(notes: Notes, ruleset: RuleSet, lang: str, words: Mapping[str, str]
                    ) -> int:
    """Note labels missing in ``lang`` or translated by us; the missing note's number or 0.

    A label missing in ``lang`` is shown in the rule set's own language.
    """
    criteria = list(ruleset.criteria())
    fallback = 0
    if lang not in ruleset.title.texts or any(lang not in c.labels.texts for c in criteria):
        fallback = notes.add(words["fallback"].format(lang=lang, used=ruleset.languages[0]))
    if lang in ruleset.title.translated or any(lang in c.labels.translated for c in criteria):
        notes.add(words["translated"].format(lang=lang))
    return fallback


def _assumed_notes(notes: Notes, ruleset: RuleSet, words: Mapping[str, str]
                   ) -> dict[str, int]:
    """One note per kind of assumption and reason, listing its criteria; the number per key."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in ruleset.criteria():
        if c.assumed:
            what = _assumed(c.assumed, words)
            groups.setdefault((what, " ".join((c.note or "").split())), []).append(c.key)
    numbers = {}
    for (what, why), keys in groups.items():
        n = notes.add(words["assumed"].format(what=what, keys=", ".join(keys))
                      + (f" {why}" if why else ""))
        numbers.update(dict.fromkeys(keys, n))
    return numbers


def _assumed(facts: frozenset[str], words: Mapping[str, str]) -> str:
    """The facts assumed (``max``, ``rounding``...), in ``words``' language."""
    return ", ".join(words[f"assumed_{fact}"] for fact in sorted(facts))


def reference_note(notes: Notes, reference: Reference | Gap, words: Mapping[str, str]
                   ) -> None:
    """Note what the reference average is the mean of, and its sources; or why there is none."""
    if isinstance(reference, Gap):
        notes.add(words["reference_none"].format(why=reference.describe(words)))
        return
    notes.add(words["reference_note"].format(what=reference.describe(words))
              + "".join(f" <{source}>" if "://" in source else f" [{source}]"
                        for source in reference.sources))


def previous_notes(notes: Notes, previous: ScoreCard, target: RuleSetRef,
                   steps: Mapping[Step, Migration], words: Mapping[str, str],
                   c: bool = False) -> None:
    """Note how a migrated previous card came to ``target``: from its origin, step by step.

    The steps are the card's own path; ``steps`` gives the migrations of
    those the caller knows (their calibration and assumptions are worded),
    the others are named with their calibration only. ``c``: a decimal comma.
    """
    if not previous.migrated:
        return
    when = previous.date.isoformat() if previous.date else words["undated"]
    said = "; ".join(step_words(steps[s], words, c) if s in steps else
                     words["step"].format(source=s.source, target=s.target, what=words[
                         "step_uncalibrated" if s in previous.uncalibrated
                         else "step_calibrated"])
                     for s in previous.path)
    notes.add(words["previous_note"].format(when=when, source=previous.origin, target=target,
                                            steps=said))
    if previous.uncalibrated:
        notes.add(words["uncalibrated"])


def step_words(step: Migration, words: Mapping[str, str], c: bool = False) -> str:
    """``kk-se@2.0 -> kk-se@1.0: total +80 to +100 points``: one step, in ``words``' language.

    A calibrated area mapping says by how much (with a decimal comma when
    ``c``); a coded migration's own ``describe()`` is its author's words.
    """
    if isinstance(step, AreaMapping) and step.offset is not None:
        low, high = (-step.offset[1], -step.offset[0]) if step.reverse else step.offset
        what = words["step_unchanged"] if low == high == 0 else words["step_shift"].format(
            low=_signed(low, c), high=_signed(high, c))
    elif not isinstance(step, AreaMapping) and callable(getattr(step, "describe", None)):
        what = str(step.describe())  # type: ignore[attr-defined]
    else:
        what = words["step_calibrated" if step.calibrated else "step_uncalibrated"]
    assumed = frozenset(getattr(step, "assumed", ()))
    if assumed:
        what = words["step_assumed"].format(what=what, assumed=_assumed(assumed, words))
    return words["step"].format(source=step.source, target=step.target, what=what)


def _signed(value: Points, c: bool) -> str:
    text = plain_signed(value)
    return text.replace(".", ",") if c else text
