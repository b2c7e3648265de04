"""A team's consensus: who scored, how far they agreed, and what they decided where they differed.

``kompass consensus`` writes it beside the points of a team's evaluation
(``[team]`` and ``[decisions]``, docs/teams.md), so the final file keeps its
own audit trail. Decided points are scored like any other points; this value
keeps the record and says what still blocks the evaluation (open decisions,
a decision outside the evaluators' range without a reason).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kompass_core.model.errors import Problem
from kompass_core.model.frozen import FrozenDict, freeze
from kompass_core.model.points import Points, plain

METRICS = ("interval", "ordinal")
"""Krippendorff's distance metrics an agreement may be computed with."""


@attrs.frozen
class Decision:
    """One criterion the evaluators scored differently: each one's points, and the team's.

    ``points`` is None while the decision is open; ``reason`` says why the
    team decided as it did (required when the points lie outside the
    evaluators' range).
    """

    values: Mapping[str, Points] = attrs.field(converter=freeze)
    points: Points | None = None
    reason: str = ""

    def problem(self) -> str | None:
        """What makes this decision unfit for a final evaluation, or None."""
        shown = ", ".join(f"{name} {plain(v)}" for name, v in self.values.items())
        if not self.values:
            return "a decision lists the evaluators' values"
        if self.points is None:
            return f"open decision: the evaluators gave {shown}; set points (and a reason)"
        low, high = min(self.values.values()), max(self.values.values())
        if not low <= self.points <= high and not self.reason.strip():
            return (f"{plain(self.points)} points is outside the evaluators' range "
                    f"{plain(low)}-{plain(high)} ({shown}): give a reason")
        return None


@attrs.frozen
class Reliability:
    """Krippendorff's alpha as computed when the consensus was made.

    ``alpha``, ``low`` and ``high`` (the bootstrap interval) are the decimals
    written in the file, or None with ``undefined`` saying why;
    ``items`` and ``pairable`` count what the alpha rests on.
    """

    metric: str
    alpha: Points | None
    low: Points | None
    high: Points | None
    items: int
    pairable: int
    bootstrap: int = 0
    seed: int = 0
    undefined: str = ""


@attrs.frozen
class Consensus:
    """The team behind an evaluation: its evaluators, their files, agreement and decisions.

    ``files`` maps each evaluator to the content hash of the file they
    scored in (``sha256:`` of its canonical JSON, as the store keys it).
    """

    evaluators: tuple[str, ...]
    files: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=freeze)
    agreement: Reliability | None = None
    decisions: Mapping[str, Decision] = attrs.field(factory=FrozenDict, converter=freeze)

    def problems(self) -> list[Problem]:
        """Every decision a final evaluation cannot have, at ``decisions.KEY``."""
        problems = []
        for key, decision in self.decisions.items():
            strangers = [name for name in decision.values if name not in self.evaluators]
            why = decision.problem() or (f"values of {', '.join(strangers)}, not of the team "
                                         f"({', '.join(self.evaluators)})" if strangers else None)
            if why is not None:
                problems.append(Problem(why, keys=("decisions", key)))
        return problems

    @property
    def decided(self) -> dict[str, Points]:
        """The points of every closed decision, by criterion key."""
        return {key: d.points for key, d in self.decisions.items() if d.points is not None}
