"""A team: one evaluation file per evaluator, all of one municipality, date and rule set.

Agreement and consensus compare the evaluators' points item by item; that
is meaningful only when every file is one evaluator's independent scoring
of the same evaluation. :func:`read_team` reads the files with the ordinary
readers (TOML, JSON or the xlsx workbook) and refuses a set that is not
such a team, naming the odd file (the majority decides which one is odd).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from kompass_core.formats.documents import Document, read_document
from kompass_core.formats.serialize import canonical, unstructure
from kompass_core.model.card import ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Evaluation
from kompass_core.model.ruleset import RuleSet
from kompass_core.registry.default import default_registry
from kompass_core.registry.registry import Registry


def content_hash(evaluation: Evaluation) -> str:
    """``sha256:`` of the evaluation's canonical JSON: the text the store keys it by."""
    return "sha256:" + hashlib.sha256(canonical(unstructure(evaluation)).encode()).hexdigest()


@attrs.frozen
class Member:
    """One evaluator's file: its name as given, the evaluation and its score card."""

    file: str
    evaluation: Evaluation
    card: ScoreCard

    @property
    def evaluator(self) -> str:
        """The one evaluator the file names."""
        return self.evaluation.evaluators[0]


@attrs.frozen
class Team:
    """Evaluators' files of one municipality, date and rule set, in the order given."""

    ruleset: RuleSet
    members: tuple[Member, ...]

    @property
    def evaluators(self) -> tuple[str, ...]:
        """Each member's evaluator, in file order."""
        return tuple(m.evaluator for m in self.members)

    @property
    def first(self) -> Evaluation:
        """The first file's evaluation: municipality, date and rule set are the team's."""
        return self.members[0].evaluation


def read_team(files: Sequence[str | Path], registry: Registry | None = None) -> Team:
    """Read a team's files and check they are one (InputError naming the odd file).

    Each file names exactly one evaluator and no two the same; all share
    municipality, date and rule set. Each is scored under its rule set, so
    points that do not fit are refused on their file's line.
    """
    registry = registry or default_registry()
    named: list[tuple[str, Evaluation, Callable[[], ScoreCard]]] = []
    for source in files:
        document = read_document(source, "evaluation")
        evaluation = document.evaluation()
        named.append((document.name, evaluation, _scorer(document, evaluation, registry)))
    if not named:
        raise InputError(Problem("a team needs at least one evaluation file"))
    _check_team([(name, evaluation) for name, evaluation, _ in named])
    ruleset = registry.ruleset(named[0][1].ruleset)
    return Team(ruleset, tuple(Member(name, evaluation, run())
                               for name, evaluation, run in named))


def team_of(members: Sequence[tuple[str, Evaluation]], registry: Registry | None = None) -> Team:
    """A team from evaluations already read (named as messages should name them)."""
    registry = registry or default_registry()
    _check_team(members)
    if not members:
        raise InputError(Problem("a team needs at least one evaluation"))
    ruleset = registry.ruleset(members[0][1].ruleset)
    return Team(ruleset, tuple(Member(name, e, registry.score(e, ruleset))
                               for name, e in members))


def _scorer(document: Document, evaluation: Evaluation,
            registry: Registry) -> Callable[[], ScoreCard]:
    """Scoring put off until the team is checked, its errors placed on the file's lines."""
    return lambda: document.located(lambda: registry.score(evaluation), prefer="points")


def _check_team(members: Sequence[tuple[str, Evaluation]]) -> None:
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for name, evaluation in members:
        if evaluation.consensus is not None:
            problems.append(Problem("is a team's consensus, not one evaluator's file",
                                    file=name, keys=("team",)))
            continue
        if len(evaluation.evaluators) != 1:
            problems.append(Problem(
                f"names {len(evaluation.evaluators)} evaluators: a team member's file names "
                "exactly one (evaluation.evaluators = [\"...\"])",
                file=name, keys=("evaluation", "evaluators")))
            continue
        who = evaluation.evaluators[0]
        if who in seen:
            problems.append(Problem(f"evaluator {who!r} also scored {seen[who]}: one file "
                                    "per evaluator", file=name, keys=("evaluation", "evaluators")))
        seen.setdefault(who, name)
    facts: tuple[tuple[str, Callable[[Evaluation], str], tuple[str, ...]], ...] = (
        ("municipality", lambda e: e.municipality.name, ("municipality", "name")),
        ("date", lambda e: e.date.isoformat() if e.date else "none", ("evaluation", "date")),
        ("rule set", lambda e: str(e.ruleset), ("ruleset",)))
    for what, get, keys in facts:
        values = [get(e) for _, e in members]
        common = Counter(values).most_common(1)[0][0] if values else None
        problems += [Problem(f"{what} {value}, but the team's (most files') is {common}: "
                             "not the same evaluation", file=name, keys=keys)
                     for (name, _), value in zip(members, values, strict=True)
                     if value != common]
    if problems:
        raise InputError(problems)
