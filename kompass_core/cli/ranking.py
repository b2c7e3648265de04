"""``kompass db rank --robust``: each rank with its exact bounds and its spread under weights.

A shell over :func:`kompass_core.robust_ranking` and
:func:`kompass_core.rank_sensitivity`; numpy and SALib (the ``analysis``
extra) are imported only when this runs, so the command line starts
without them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from kompass_core import (
    TOTAL,
    InputError,
    Problem,
    RobustRanking,
    Stored,
    area_shares,
    default_registry,
    load_profile,
    rank_contest,
)
from kompass_core.cli.cards import dump_json, out
from kompass_core.cli.store_open import open_store


def db_rank_robust(args: argparse.Namespace) -> int:
    """The robust ranking of the newest stored evaluation of each municipality."""
    from kompass_core.cli.store_queries import _once_notes, _ranked, _shown

    try:
        import numpy  # noqa: F401
        import SALib  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        raise InputError(Problem("--robust needs numpy and SALib: pip install "
                                 "'kommunkompass[analysis]'", keys=("--robust",))) from None
    from kompass_core import rank_sensitivity, robust_ranking

    if args.samples < 1:
        raise InputError(Problem("must be at least 1", keys=("--samples",)))
    if args.top is not None and args.top < 1:
        raise InputError(Problem("must be at least 1", keys=("--top",)))
    if not args.concentration > 0:  # also refuses nan
        raise InputError(Problem("must be positive (inf: no weighting uncertainty)",
                                 keys=("--concentration",)))
    registry = default_registry()
    with open_store(args.db, registry) as store:
        ruleset, kept, earlier, dropped, group = _ranked(store, registry, args)
    own = area_shares(registry, ruleset, ruleset.weighting, str(ruleset.ref))
    names = []
    shares = [own]
    for path in args.profile or ():
        profile = load_profile(path)
        if profile.ruleset != ruleset.ref:
            raise InputError(Problem(f"profile {profile.name!r} tailors {profile.ruleset}, not "
                                     f"{ruleset.ref}", file=path))
        names.append(profile.name)
        shares.append(area_shares(registry, ruleset, profile.weighting, path))
    contest, ranked, left = rank_contest(kept, ruleset, shares)
    if not ranked:
        raise InputError(Problem(f"no stored evaluation of {ruleset.ref} with area scores to "
                                 "rank", file=str(store.path)))
    concentration = None if names else args.concentration  # profiles: the own and those
    result = robust_ranking(contest, args.samples, args.seed, concentration, args.top)
    result = rank_sensitivity(result, contest)
    order = sorted(range(len(ranked)), key=lambda i: (result.figures[i].nominal,
                                                     result.figures[i].median,
                                                     ranked[i].municipality.name.casefold()))
    ranked = [ranked[i] for i in order]
    result = attrs.evolve(result, figures=tuple(result.figures[i] for i in order))
    over = _over(result, names, len(ranked), args, group)
    rows = _rows(result, ranked, args.top)
    keys = contest.keys
    if args.format == "json":
        dump_json({"ruleset": str(ruleset.ref), "year": args.year,
                   "country": args.country.upper() if args.country else None,
                   "group": args.group, "all": args.all, "samples": result.samples,
                   "seed": result.seed,
                   "concentration": _number(concentration),
                   "profiles": names, "top": args.top, "sobol_base": result.sobol_base,
                   "computed_over": over, "areas": list(keys),
                   "ranking": [dict(r, sobol=_sobol(f, keys))
                               for r, f in zip(rows, result.figures, strict=True)],
                   "not_ranked": [s.id for s in left], "earlier": [s.id for s in earlier],
                   "counted_once": [s.id for s in dropped]})
        return 0
    if args.format == "csv":
        from kompass_core.cli.tables import to_csv

        heads = list(rows[0]) + [f"{kind}_{k}" for kind in ("first", "total") for k in keys]
        out(to_csv(heads, [[_cell(v) for v in r.values()]
                           + [_cell(x) for x in (f.first or (None,) * len(keys))]
                           + [_cell(x) for x in (f.total or (None,) * len(keys))]
                           for r, f in zip(rows, result.figures, strict=True)]))
        return 0
    from kompass_core.cli.tables import table

    top = [f"Top {args.top}"] if args.top else []
    lines = [[str(r["rank"]), r["municipality"], r["code"] or "", _shown(s, ruleset),
              _span(r["best"], r["worst"]), str(r["p5"]), str(r["median"]), str(r["p95"]),
              *([f"{100 * r['p_top']:.0f}%"] if args.top else []), f"{r['shift']:.1f}"]
             for r, s in zip(rows, ranked, strict=True)]
    text = [f"Robust ranking on {ruleset.ref} by total: {over}", "",
            table(["Rank", "Municipality", "Code", "Total", "Bounds", "P5", "Median", "P95",
                   *top, "Shift"], lines, right=(0, 3, 4, 5, 6, 7, 8) + ((9,) if top else ())
                  ).rstrip("\n")]
    text += _sensitivity_lines(result, keys)
    notes = ["Rank: by total (the middle of a range); Bounds: best and worst rank over every "
             "completion of the open points, under the rule set's own weights; P5, Median, "
             "P95: rank percentiles over the samples; Shift: mean distance from Rank."]
    if left:
        notes.append(f"Not ranked: {len(left)} whose areas do not give the total (a published "
                     "total without its areas cannot be re-weighted).")
    if earlier:
        notes.append(f"Earlier evaluations left out: {len(earlier)} (`--all` ranks every "
                     "evaluation).")
    notes += _once_notes(dropped)
    out("\n".join(text) + "\n\n" + "\n".join(notes) + "\n")
    return 0


def _over(result: RobustRanking, profiles: Sequence[str], count: int,
          args: argparse.Namespace, group: str) -> str:
    """What the figures rest on, in one sentence."""
    from kompass_core.cli.store_queries import _filters

    what = _filters(count, args, group) + ("" if args.all else ", each municipality's newest")
    if profiles:
        weights = f"weights: the rule set's own or one of {', '.join(profiles)}, equally likely"
    elif result.concentration is not None and math.isinf(result.concentration):
        weights = "weights: the rule set's own only"
    else:
        weights = (f"weights: a Dirichlet around the rule set's own, concentration "
                   f"{result.concentration:g}")
    return (f"{what}; {result.samples:,} samples, seed {result.seed}; {weights}; open points "
            "uniform within their ranges")


def _rows(result: RobustRanking, ranked: Sequence[Stored], top: int | None
          ) -> list[dict[str, Any]]:
    out = []
    for f, s in zip(result.figures, ranked, strict=True):
        total = s.score(TOTAL)
        m = s.municipality
        row: dict[str, Any] = {
            "rank": f.nominal, "id": s.id, "municipality": m.name, "code": m.code,
            "country": m.country, "year": s.year,
            "low": str(total.low) if total else None, "high": str(total.high) if total else None,
            "best": f.best, "worst": f.worst, "p5": f.p5, "median": f.median, "p95": f.p95,
            "shift": round(f.shift, 4)}
        if top is not None:
            row["p_top"] = round(f.top or 0.0, 4)
        out.append(row)
    return out


def _sobol(f: Any, keys: Sequence[str]) -> dict[str, Any] | None:
    if f.first is None:
        return None
    return {"first": {k: round(x, 4) for k, x in zip(keys, f.first, strict=True)},
            "total": {k: round(x, 4) for k, x in zip(keys, f.total, strict=True)}}


def _sensitivity_lines(result: RobustRanking, keys: Sequence[str]) -> list[str]:
    """Each area's Sobol indices averaged over the municipalities whose rank moves."""
    from kompass_core.cli.tables import table

    moving = [f for f in result.figures if f.first is not None and f.p5 != f.p95]
    if not moving:
        return []
    rows = [[k, f"{sum(f.first[i] for f in moving if f.first) / len(moving):.2f}",
             f"{sum(f.total[i] for f in moving if f.total) / len(moving):.2f}"]
            for i, k in enumerate(keys)]
    return ["", f"Share of rank variance explained by each area's weight (Sobol indices, "
            f"mean over the {len(moving)} municipalities whose rank moves; base sample "
            f"{result.sobol_base}):", "", table(["Area", "First-order", "Total"], rows,
                                                 right=(1, 2)).rstrip("\n")]


def _span(best: int, worst: int) -> str:
    return str(best) if best == worst else f"{best}-{worst}"


def _number(value: float | None) -> float | str | None:
    return "inf" if value is not None and math.isinf(value) else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, str) and "/" in value:
        from kompass_core import exact_text

        return exact_text(Fraction(value))
    return str(value)
