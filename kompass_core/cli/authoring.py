"""``kompass init-variant`` and ``kompass schema``: tools for variant authors."""

from __future__ import annotations

import argparse
from pathlib import Path

from kompass_core import default_registry
from kompass_core.cli.cards import json_text, out


def init_variant(args: argparse.Namespace) -> int:
    from kompass_core import init_variant as scaffold

    base = default_registry().ruleset(args.based_on)
    country = args.country.upper() if args.country else _country_in(args.name)
    written = scaffold(args.name, Path(args.output), base, args.ruleset_version, country)
    root = written[0].parent
    out(f"Wrote {root}/ ({len(written)} files), a copy of {base.ref}:\n")
    out("".join(f"  {p.relative_to(root.parent)}\n" for p in written))
    if country is None:
        out(f"Country: {base.country}, copied from {base.ref}; set the variant's own in "
            "its rule set (or scaffold again with --country CC).\n")
    out(f"Next: pip install ./{root.name} && kompass rulesets; "
        f"then python -m pytest {root.name}\n")
    return 0


def _country_in(name: str) -> str | None:
    """The country a name is the code of (``fi``, ``kk-fi``, ``kompass-fi``: FI), if any."""
    code = name.removeprefix("kompass-").removeprefix("kk-")
    return code.upper() if len(code) == 2 and code.isascii() and code.isalpha() else None


def schema(args: argparse.Namespace) -> int:
    from kompass_core import evaluation_schema, ruleset_schema

    if args.kind == "ruleset":
        doc = ruleset_schema()
    else:
        ruleset = default_registry().ruleset(args.ruleset) if args.ruleset else None
        doc = evaluation_schema(ruleset, args.lang)
    text = json_text(doc) + "\n"
    if args.output:
        from kompass_core.cli.output import write_output

        write_output(args.output, text)
    else:
        out(text)
    return 0
