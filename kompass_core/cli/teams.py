"""``kompass agree`` and ``kompass consensus``: a team's agreement, and its consensus file.

Both need the ``analysis`` extra (numpy and krippendorff); this module is
imported only when one of them runs, so no other command loads numpy.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kompass_core import InputError, Problem, exact_text, read_team
from kompass_core.cli.cards import dump_json, expand, label, out, say
from kompass_core.cli.output import write_output
from kompass_core.cli.tables import table, to_csv

if TYPE_CHECKING:
    from kompass_core import Agreement, Alpha, Team

MISSING = "kompass agree and consensus need the analysis extra: " \
          "pip install 'kommunkompass[analysis]'"


def _agreement(args: argparse.Namespace) -> tuple[Team, Agreement]:
    team = read_team(list(expand(args.files)))
    try:
        from kompass_core import agreement
    except ImportError:
        raise InputError(Problem(MISSING)) from None
    return team, agreement(team, args.metric, args.bootstrap, args.seed)


def _alpha_text(alpha: Alpha) -> str:
    if alpha.value is None:
        return f"undefined ({alpha.undefined})"
    interval = f" [{alpha.low:.3f}, {alpha.high:.3f}]" if alpha.low is not None \
        and alpha.high is not None else ""
    return f"{alpha.value:.3f}{interval}"


def _points(value: Any) -> str:
    return "" if value is None else exact_text(value)


def _alpha_json(alpha: Alpha) -> dict[str, Any]:
    return {"alpha": alpha.value, "low": alpha.low, "high": alpha.high, "items": alpha.items,
            "pairable": alpha.pairable, "undefined": alpha.undefined or None}


def agree(args: argparse.Namespace) -> int:
    team, agreed = _agreement(args)
    names = list(agreed.evaluators)
    lang = args.lang or team.ruleset.languages[0]
    if args.format == "json":
        dump_json({
            "ruleset": str(team.ruleset.ref), "municipality": team.first.municipality.name,
            "date": team.first.date.isoformat() if team.first.date else None,
            "evaluators": names, "level": agreed.level.value, "metric": agreed.metric,
            "bootstrap": agreed.bootstrap, "seed": agreed.seed,
            "total": _alpha_json(agreed.alpha),
            "areas": [dict(key=a.key, values=dict(zip(names, map(_json_points, a.values),
                                                      strict=True)),
                           spread=_json_points(a.spread),
                           **_alpha_json(agreed.area_alpha[a.key])) for a in agreed.areas],
            "agenda": [{"key": i.key, "values": dict(zip(names, map(_json_points, i.values),
                                                         strict=True)),
                        "spread": _json_points(i.spread)} for i in agreed.agenda()],
        })
        return 0
    headers = ["kind", "key", "label", *names, "spread", "alpha", "low", "high", "items",
               "pairable"]
    rows = [["total", "total", "Total", *[""] * len(names), "",
             *_alpha_cells(agreed.alpha)]]
    rows += [["area", a.key, label(team.ruleset, a.key, lang), *map(_points, a.values),
              _points(a.spread), *_alpha_cells(agreed.area_alpha[a.key])] for a in agreed.areas]
    agenda = [[i.key, label(team.ruleset, i.key, lang), *map(_points, i.values),
               _points(i.spread)] for i in agreed.agenda()]
    if args.format == "csv":
        out(to_csv(headers, rows + [["item", *row, "", "", "", "", ""] for row in agenda]))
        return 0
    first = team.first
    level = {"area": "areas", "subarea": "sub-areas", "question": "questions"}
    out(f"{len(names)} evaluators, {first.municipality.name}"
        f"{', ' + first.date.isoformat() if first.date else ''}, {team.ruleset.ref}: "
        f"{len(agreed.items)} {level[agreed.level.value]}\n"
        f"Krippendorff's alpha ({agreed.metric}): {_alpha_text(agreed.alpha)}, 95 % bootstrap "
        f"interval of {agreed.bootstrap} resamples (seed {agreed.seed}); "
        f"{agreed.alpha.items} items, {agreed.alpha.pairable} pairable values\n\n")
    n = len(names)
    out(table(["Area", "", *names, "Spread", "Alpha [95 %]"],
              [[a.key, label(team.ruleset, a.key, lang), *map(_points, a.values),
                _points(a.spread), _alpha_text(agreed.area_alpha[a.key])]
               for a in agreed.areas], right=range(2, n + 3)))
    if agenda:
        out(f"\nAgenda: {len(agenda)} items scored differently, the widest spread first\n")
        out(table(["Key", "Criterion", *names, "Spread"], agenda, right=range(2, n + 3)))
    else:
        out("\nEvery item scored alike: nothing to decide.\n")
    return 0


def _alpha_cells(alpha: Alpha) -> list[str]:
    return [("" if x is None else f"{x:.3f}") for x in (alpha.value, alpha.low, alpha.high)] \
        + [str(alpha.items), str(alpha.pairable)]


def _json_points(value: Any) -> str | None:
    return None if value is None else exact_text(value)


def consensus(args: argparse.Namespace) -> int:
    team, agreed = _agreement(args)
    from kompass_core import consensus_toml

    text = consensus_toml(team, agreed)
    if args.output:
        write_output(args.output, text, [m.file for m in team.members])
        say(f"{args.output}: {len(agreed.agenda())} open decisions for "
            f"{len(team.members)} evaluators")
    else:
        out(text)
    return 0
