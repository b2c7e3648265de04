"""A report's rank among the stored evaluations (``kompass report --robust``, ``/report?robust``).

The rank is taken among the newest stored evaluation of every other
municipality on the report's rule set (of a peer group when one is named)
and this one's card, with the same figures as ``kompass db rank --robust``:
the exact bounds over open points, and the 5th to 95th percentile under
weights drawn around the rule set's own. numpy (the ``analysis`` extra) is
imported only when asked for.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from kompass_core.model.card import ScoreCard
from kompass_core.model.errors import InputError, Problem
from kompass_core.model.evaluation import Municipality
from kompass_core.model.ruleset import RuleSet
from kompass_core.registry.registry import Registry
from kompass_core.report.standing import Standing
from kompass_core.store.database import Store
from kompass_core.store.stats import distinct, latest


def _same(a: Municipality, b: Municipality) -> bool:
    """One municipality: by code where both have one, else by name (NFC, any case)."""
    if a.code and b.code:
        return a.code == b.code
    return unicodedata.normalize("NFC", a.name).casefold() == \
        unicodedata.normalize("NFC", b.name).casefold()


def report_standing(registry: Registry, ruleset: RuleSet, card: ScoreCard, path: Path | str,
             group: str | None, samples: int, seed: int) -> Standing:
    """The card's rank among the stored evaluations at ``path`` (a file, or a server's URL),
    with its spread under plausible weights; ``group`` names a stored peer group."""
    try:
        from kompass_core.ranking.contest import area_shares, rank_contest
        from kompass_core.ranking.robust import RankContest, robust
    except ImportError:  # numpy, in the analysis extra
        raise InputError(Problem("needs numpy: pip install 'kommunkompass[analysis]'",
                                 keys=("--robust",))) from None
    if samples < 1:
        raise InputError(Problem("must be at least 1", keys=("--samples",)))
    if isinstance(path, Path) and not path.exists():
        raise InputError(Problem("ranks among the stored evaluations, and there is no results "
                                 f"store at {path}: `kompass db import` them first",
                                 keys=("--robust",)))
    named = ""
    with Store.open(path, registry) as store:
        found = store.entries(ruleset.ref, ("evaluation",), None, None)
        if group is not None:
            scheme, name, codes = store.group(group)
            found = [s for s in found if s.municipality.code in codes]
            named = f"{name} ({scheme.ref})"
    kept, _ = distinct(found)
    newest, _ = latest(kept)
    others = [s for s in newest if not _same(s.municipality, card.municipality)]
    own = area_shares(registry, ruleset, ruleset.weighting, str(ruleset.ref))
    _, ranked, _ = rank_contest(others, ruleset, [own])
    keys = [a.key for a in ruleset.areas]
    lows, highs = [], []
    for entry in ranked:
        scores = [entry.score(k) for k in keys]
        lows.append([s.low for s in scores if s])
        highs.append([s.high for s in scores if s])
    lows.append([card[k].low for k in keys])
    highs.append([card[k].high for k in keys])
    contest = RankContest.build([s.id for s in ranked] + [card.municipality.name], keys, lows,
                                highs, [a.max for a in ruleset.areas], [own], ruleset.max)
    result = robust(contest, samples, seed)
    mine = result.figures[-1]
    return Standing(mine.nominal, len(ranked) + 1, mine.p5, mine.p95, mine.best, mine.worst,
                    samples, result.concentration, str(ruleset.ref), named)
