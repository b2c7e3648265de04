"""Which results a report's total may be compared with, taken from the migrations' data.

A council compares its total with last time's, often made with another
version of the method. Where a source publishes how totals shift between
two versions (SKL 2011, p. 5: add 80 to 100 points to a 2.0 total to
approximate 1.0), that band is a declared migration's calibration; the
report words it from there, with its source, so the figure is never
written twice and a plugin's calibration is worded the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from kompass_core.model.card import ScoreCard
from kompass_core.model.migration import AreaMapping, Migration
from kompass_core.model.points import plain
from kompass_core.model.refs import RuleSetRef
from kompass_core.report.notes import Notes, step_words


def calibrated_steps(migrations: Iterable[Migration], ref: RuleSetRef) -> list[AreaMapping]:
    """The steps leaving ``ref`` whose calibration shifts the total (a published band).

    Declared steps into ``ref`` that are invertible count in reverse. A
    calibration of exactly 0 says the scores carry over unchanged, and an
    uncalibrated step says nothing about the total: neither needs a note.
    """
    found = []
    for m in migrations:
        if not isinstance(m, AreaMapping) or m.offset is None or m.offset == (0, 0):
            continue
        if m.source == ref:
            found.append(m)
        elif m.target == ref and m.invertible:
            found.append(m.inverse())
    return sorted(found, key=lambda m: str(m.target))


def comparability(migrations: Iterable[Migration], ref: RuleSetRef,
                  words: Mapping[str, str], comma: bool = False,
                  name: Callable[[RuleSetRef], str] = str) -> tuple[str, ...]:
    """The report's comparability note: the general rule, then each published band.

    ``name`` words a rule set for a reader (its title in the report's
    language, e.g. "Kommunkompassen 1.0"); by default its reference.
    """
    notes = [words["comparability"]]
    for step in calibrated_steps(migrations, ref):
        assert step.offset is not None  # calibrated_steps keeps calibrated steps only
        low, high = (-step.offset[1], -step.offset[0]) if step.reverse else step.offset
        lower, higher = step.source, step.target  # the source's words: how far below
        if high <= 0:  # this rule set scores higher: say it of the other
            lower, higher, low, high = step.target, step.source, -high, -low
        texts = [plain(low), plain(high)]
        if comma:
            texts = [t.replace(".", ",") for t in texts]
        notes.append(words["comparability_version"].format(
            version=name(lower), other=name(higher), low=texts[0], high=texts[1],
            source="; ".join(s.title for s in step.sources)))
    return tuple(notes)


def migrated_notes(notes: Notes, card: ScoreCard, migrations: Iterable[Migration],
                   words: Mapping[str, str], c: bool = False) -> None:
    """Note how a card read on its own came to its rule set (e.g. Swedish to Norwegian).

    Each step of the card's own path is worded with its migration where
    ``migrations`` has it (calibration, assumptions), else by its flag.
    """
    if not card.migrated:
        return
    known = {(m.source, m.target): m for m in migrations}
    known.update({(m.target, m.source): m.inverse() for m in list(known.values())
                  if m.invertible and (m.target, m.source) not in known})
    said = "; ".join(
        step_words(known[(s.source, s.target)], words, c) if (s.source, s.target) in known
        else words["step"].format(source=s.source, target=s.target, what=words[
            "step_uncalibrated" if s in card.uncalibrated else "step_calibrated"])
        for s in card.path)
    notes.add(words["migrated_note"].format(source=card.origin, target=card.ruleset,
                                            steps=said))
    if card.uncalibrated:
        notes.add(words["uncalibrated"])
