"""The report's numbered footnotes: what its labels, numbers and comparisons rest on.

A reader must be able to tell a published number from an assumed one and a
source's label from our translation, so every such caveat becomes a note,
and each table row carries the numbers of the notes that qualify it. Notes
are numbered in the order they are first needed, each text once.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kompass_core.model.card import ScoreCard, Step
from kompass_core.model.refs import RuleSetRef
from kompass_core.model.ruleset import RuleSet
from kompass_core.report.reference import Reference

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
        notes.add(words["assumed_rules"].format(what=", ".join(sorted(ruleset.assumed))))
    if ruleset.sources:
        notes.add(words["sources"].format(sources="; ".join(
            s.title + (f" <{s.url}>" if s.url else "") for s in ruleset.sources)))
    marks: Marks = {}
    for c in ruleset.criteria():
        _, used = c.labels.get(lang)
        marks[c.key] = tuple(n for n in (assumed.get(c.key, 0),
                                         fallback if used != lang else 0) if n)
    return marks


def _language_notes(notes: Notes, ruleset: RuleSet, lang: str, words: Mapping[str, str]
                    ) -> int:
    """Note labels missing in ``lang`` or translated by us; the missing note's number or 0."""
    criteria = list(ruleset.criteria())
    fallback = 0
    if lang not in ruleset.title.texts or any(lang not in c.labels.texts for c in criteria):
        fallback = notes.add(words["fallback"].format(lang=lang))
    if lang in ruleset.title.translated or any(lang in c.labels.translated for c in criteria):
        notes.add(words["translated"].format(lang=lang))
    return fallback


def _assumed_notes(notes: Notes, ruleset: RuleSet, words: Mapping[str, str]
                   ) -> dict[str, int]:
    """One note per kind of assumption and reason, listing its criteria; the number per key."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in ruleset.criteria():
        if c.assumed:
            what = ", ".join(sorted(c.assumed))
            groups.setdefault((what, " ".join((c.note or "").split())), []).append(c.key)
    numbers = {}
    for (what, why), keys in groups.items():
        n = notes.add(words["assumed"].format(what=what, keys=", ".join(keys))
                      + (f" {why}" if why else ""))
        numbers.update(dict.fromkeys(keys, n))
    return numbers


def reference_note(notes: Notes, reference: Reference, words: Mapping[str, str]) -> None:
    """Note what the reference average is the mean of, and its sources."""
    notes.add(words["reference_note"].format(what=reference.description)
              + "".join(f" <{source}>" if "://" in source else f" [{source}]"
                        for source in reference.sources))


def previous_notes(notes: Notes, previous: ScoreCard, target: RuleSetRef,
                   steps: Mapping[Step, str], words: Mapping[str, str]) -> None:
    """Note how a migrated previous card came to ``target``: from its origin, step by step.

    The steps are the card's own path; ``steps`` gives the words for those
    the caller knows more about (a calibration's size, assumptions).
    """
    if not previous.migrated:
        return
    when = previous.date.isoformat() if previous.date else "?"
    said = "; ".join(steps[s] if s in steps else _calibration(s, previous)
                     for s in previous.path)
    notes.add(words["previous_note"].format(when=when, source=previous.origin, target=target,
                                            steps=said))
    if previous.uncalibrated:
        notes.add(words["uncalibrated"])


def _calibration(step: Step, card: ScoreCard) -> str:
    """``kk-se@2.0 -> kk-se@2015: uncalibrated``: a step named with what the card knows."""
    return f"{step}: " + ("uncalibrated" if step in card.uncalibrated else "calibrated")
