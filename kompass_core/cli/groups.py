"""``kompass db groups import|list`` and ``--group``: peer groups from the store.

A group scheme and its memberships are imported from a CSV of municipality
codes (docs/formats.md, Peer groups); ``--group [SCHEME[@VERSION]:]NAME``
then restricts ``db average``, ``db rank`` and the report's reference to
that group's municipalities, by code.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TypeVar

from kompass_core import GroupScheme, InputError, Problem, Store, Stored, read_group_memberships
from kompass_core.cli.cards import dump_json, out, say
from kompass_core.cli.store_open import open_store

S = TypeVar("S", bound=Stored)


def db_groups(args: argparse.Namespace) -> int:
    """``db groups import FILE --scheme NAME@VERSION --source TEXT`` or ``db groups list``."""
    if args.groups_action == "import":
        return _import(args)
    with open_store(args.db) as store:
        found = store.group_schemes()
    if args.format == "json":
        dump_json([{"name": s.name, "version": s.version, "source": s.source,
                    "groups": [{"name": g, "members": counts[g]} for g in s.groups]}
                   for s, counts in found])
        return 0
    from kompass_core.cli.tables import table

    if not found:
        out("No group schemes stored (`kompass db groups import FILE --scheme NAME@VERSION "
            "--source TEXT`).\n")
        return 0
    out(table(["Scheme", "Group", "Members", "Source"],
              [[s.ref, g, str(counts[g]), s.source] for s, counts in found for g in s.groups],
              right=(2,)))
    return 0


def _import(args: argparse.Namespace) -> int:
    try:
        with open(args.file, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"cannot read: {exc}", file=args.file)) from None
    members = read_group_memberships(text, args.file)
    name, _, version = (part.strip() for part in args.scheme.partition("@"))
    if not name or not version or ":" in name + version:
        raise InputError(Problem(f"{args.scheme!r} is not NAME@VERSION (without ':')",
                                 keys=("--scheme",)))
    if not args.source.strip():
        raise InputError(Problem("must not be blank: say where the groups come from",
                                 keys=("--source",)))
    scheme = GroupScheme(name, version, args.source.strip(),
                         tuple(dict.fromkeys(members.values())))
    with open_store(args.db) as store:
        store.save_groups(scheme, members)
    say(f"{args.file}: stored {scheme.ref}: {len(members)} municipalities in "
        f"{len(scheme.groups)} group(s)")
    return 0


def restrict(store: Store, wanted: str | None, entries: Sequence[S]) -> tuple[list[S], str]:
    """``entries`` of the group ``wanted`` (by code), and ``, group X (scheme)`` to say so."""
    if wanted is None:
        return list(entries), ""
    scheme, group, codes = store.group(wanted)
    return ([s for s in entries if s.municipality.code in codes],
            f", group {group} ({scheme.ref}, by municipality code)")
