"""Which results a report's total may be compared with, taken from the migrations' data.

A council compares its total with last time's, often made with another
version of the method. Where a source publishes how totals shift between
two versions (SKL 2011, p. 5: add 80 to 100 points to a 2.0 total to
approximate 1.0), that band is a declared migration's calibration; the
report words it from there, with its source, so the figure is never
written twice and a plugin's calibration is worded the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kompass_core.model.migration import AreaMapping, Migration, plain_signed
from kompass_core.model.refs import RuleSetRef


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
                  words: Mapping[str, str], comma: bool = False) -> tuple[str, ...]:
    """The report's comparability note: the general rule, then each published band."""
    notes = [words["comparability"]]
    for step in calibrated_steps(migrations, ref):
        assert step.offset is not None  # calibrated_steps keeps calibrated steps only
        low, high = (-step.offset[1], -step.offset[0]) if step.reverse else step.offset
        low_text, high_text = plain_signed(low), plain_signed(high)
        if comma:
            low_text, high_text = low_text.replace(".", ","), high_text.replace(".", ",")
        source = "; ".join(s.title for s in step.sources)
        notes.append(words["comparability_version"].format(
            version=step.source, other=step.target, low=low_text, high=high_text,
            source=source))
    return tuple(notes)
