"""Argument parsing, dispatch and the error boundary of the ``kompass`` command.

Exit codes: 0 success, 1 a check failed (``validate --complete``), 2 bad
input or usage, 3 an internal error (a bug: please report it). Errors are
printed one per line, never as a traceback (set ``KOMPASS_DEBUG=1`` to see
one for an internal error). Modules a command does not need are not
imported, which keeps the start fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence

from kompass_core import KompassError

FORMATS = ("table", "json", "csv")
COMMANDS = {"init-variant": "authoring", "schema": "authoring", "rulesets": "commands",
            "validate": "commands", "score": "commands",
            "template": "commands", "plugins": "commands", "explain": "explaining",
            "migrate": "migrating", "compare": "migrating", "report": "reporting",
            "export": "reporting", "db": "store_commands", "agree": "teams",
            "consensus": "teams", "serve": "serving"}
"""Which module of kompass_core.cli holds each command (imported only when run)."""
FILE_HELP = "evaluation file (TOML, JSON or .xlsx; - for stdin)"
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""Errors of an output that cannot grow: bad luck of the user's disk, never a bug."""
DB_HELP = ("the results store, a file or a postgresql:// URL (default: $KOMPASS_DB, else "
           "$XDG_DATA_HOME/kompass/results.db)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompass",
        description="Score municipalities with Kommunkompassen / Kommunekompasset.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--disable-plugin", metavar="NAME", action="append", default=[],
                        help="do not load this plugin (repeatable; also KOMPASS_DISABLE_PLUGINS="
                             "a,b)")
    parser.add_argument("--strict", action="store_true",
                        help="a plugin that fails is an error, not a warning (also "
                             "KOMPASS_STRICT=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def fmt(p: argparse.ArgumentParser, choices: Sequence[str] = FORMATS) -> None:
        p.add_argument("--format", choices=choices, default="table",
                       help="output format (default: table)")

    def lang(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", metavar="LANG",
                       help="language of labels, e.g. sv, nb, da, en (default: the rule set's)")

    p = sub.add_parser("rulesets", help="list rule sets, or show one")
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    p.add_argument("ref", nargs="?", metavar="REF", help="rule set to show, e.g. kk-se@2.0")
    fmt(p, ("table", "json"))
    lang(p)

    p = sub.add_parser("validate", help="check evaluation, rule-set, migration or profile "
                                        "files")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    p.add_argument("--kind", choices=("evaluation", "ruleset", "migration", "profile"),
                   help="what the files are (default: recognised by their keys)")
    p.add_argument("--complete", action="store_true",
                   help="also fail (exit 1) when an evaluation is not fully scored")

    p = sub.add_parser("score", help="score evaluation files")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    fmt(p)
    lang(p)
    p.add_argument("--weighting", metavar="NAME", action="append",
                   help="score under this registered weighting model (repeat to compare)")
    p.add_argument("--profile", metavar="FILE", action="append",
                   help="score under a profile file (repeat to compare)")
    p.add_argument("--depth", choices=("area", "subarea", "question"),
                   help="deepest level shown in the table (default: the deepest one scored)")

    p = sub.add_parser("explain", help="show how each score is built, and what a change "
                                       "would move")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument("--what-if", metavar="CHANGE", action="append", default=[],
                   help="a change of points: KEY=+N, KEY=-N or KEY=N (repeatable)")
    fmt(p, ("table", "json"))
    lang(p)

    p = sub.add_parser("migrate", help="carry score cards to another rule set")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    p.add_argument("--to", required=True, metavar="REF", help="target rule set, e.g. kk-se@1.0")
    fmt(p)
    lang(p)

    p = sub.add_parser("compare", help="line up evaluations on one rule set, with changes")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    p.add_argument("--on", metavar="REF",
                   help="common rule set (default: the one most files use, else the first's)")
    fmt(p)
    lang(p)

    for name, what in (("agree", "how far a team's evaluators agree: alpha, and the items "
                                 "to decide"),
                       ("consensus", "write a team's evaluation with its open decisions")):
        p = sub.add_parser(name, help=what)
        p.add_argument("files", nargs="+", metavar="FILE",
                       help="one evaluation file per evaluator (TOML, JSON or .xlsx)")
        p.add_argument("--metric", choices=("interval", "ordinal"), default="interval",
                       help="Krippendorff's distance metric (default: interval)")
        p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                       help="resamples of the items for alpha's 95 %% interval (default: 1000)")
        p.add_argument("--seed", type=int, default=0,
                       help="seed of the resampling, for the same interval every run "
                            "(default: 0)")
        if name == "agree":
            fmt(p)
            lang(p)
        else:
            p.add_argument("-o", "--output", metavar="FILE",
                           help="write to FILE (TOML) instead of stdout")

    p = sub.add_parser("report", help="write the evaluation report (HTML, PDF or Markdown)")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--format", choices=("html", "pdf", "md"),
                   help="html (one self-contained page), pdf (A4, needs the pdf extra) or md "
                        "(Markdown); default: by the suffix of -o (.html, .pdf, .md), else html")
    p.add_argument("--previous", metavar="FILE|CODE",
                   help="an earlier evaluation of the municipality, shown for comparison: a "
                        "file, or a municipality code to take the newest earlier one stored")
    p.add_argument("--reference", metavar="CSV",
                   help="published results to average for the reference (default: the "
                        "results store if it exists, else the bundled results)")
    p.add_argument("--reference-years", metavar="YEARS",
                   help="take the reference from evaluations of these years, e.g. 2021-2022 "
                        "or 2021 (default: the evaluation's year or earlier)")
    p.add_argument("--reference-names", metavar="NAMES",
                   help="take the reference from these municipalities only, separated by "
                        "commas, e.g. 'Nacka,Örebro' (default: all others)")
    p.add_argument("--group", metavar="[SCHEME[@VERSION]:]NAME",
                   help="take the reference (and the --robust rank) from this peer group's "
                        "municipalities only (by code; the group is looked up in the results "
                        "store)")
    p.add_argument("--robust", action="store_true",
                   help="show the rank among the stored evaluations of the rule set, with its "
                        "spread under plausible weights (needs the analysis extra)")
    p.add_argument("--samples", type=int, default=10_000,
                   help="with --robust: weight samples (default: 10000)")
    p.add_argument("--seed", type=int, default=0,
                   help="with --robust: seed of the samples (default: 0)")
    p.add_argument("--db", metavar="PATH", help=DB_HELP)
    lang(p)

    p = sub.add_parser("export", help="score cards as data: CSV (one row per area) or JSON")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    p.add_argument("--format", choices=("csv", "json"), default="csv",
                   help="output format (default: csv)")
    lang(p)

    p = sub.add_parser("template", help="write a blank evaluation for a rule set")
    p.add_argument("ref", metavar="REF", help="rule set, e.g. kk-se@2.0")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--format", choices=("toml", "xlsx"),
                   help="toml or xlsx: a workbook for spreadsheets (needs -o); default: by "
                        "the suffix of -o (.toml, .xlsx), else toml")
    lang(p)

    _db_parser(sub.add_parser("db", help="the results store: import, list, history, "
                                          "average, rank, export, remove"), fmt, lang)

    p = sub.add_parser("init-variant", help="scaffold a new national variant as a package")
    p.add_argument("name", metavar="NAME", help="e.g. fi: the package becomes kompass-NAME")
    p.add_argument("--country", metavar="CC",
                   help="the variant's country code (default: NAME when it is one, as fi or "
                        "kk-fi; else the base rule set's, copied and marked in its note)")
    p.add_argument("--based-on", metavar="REF", default="kk-se@2.0",
                   help="the rule set to copy and migrate to (default: kk-se@2.0)")
    p.add_argument("--ruleset-version", metavar="V", default="1.0",
                   help="the new rule set's version (default: 1.0)")
    p.add_argument("-o", "--output", metavar="DIR", default=".",
                   help="folder to create kompass-NAME in (default: here)")

    p = sub.add_parser("schema", help="JSON Schema of rule-set or evaluation files")
    p.add_argument("kind", choices=("ruleset", "evaluation"))
    p.add_argument("--ruleset", metavar="REF",
                   help="for evaluation: the schema of one rule set, with its keys and maxima")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    lang(p)

    p = sub.add_parser("serve", help="the engine over HTTP (needs the service extra)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--db", metavar="PATH", help=DB_HELP)
    p.add_argument("--cors-origin", metavar="ORIGIN", action="append", default=[],
                   help="allow browser pages of this origin to call the service (repeatable; "
                        "default: none)")
    p.add_argument("--time-limit", type=float, default=30.0, metavar="SECONDS",
                   help="longest a request may work before a 503 (default: 30)")
    p.add_argument("--profile", metavar="FILE", action="append", default=[],
                   help="a profile POST /score?profile=NAME may use (repeatable)")

    p = sub.add_parser("plugins", help="list plugins and what they provide")
    fmt(p, ("table", "json"))
    return parser


def _check_language(lang: str | None, command: str | None = None) -> None:
    """``--lang``: a language some rule set in use is written in, or one line and exit 2.

    An unknown language used to fall back to English without a word, so a
    typo (``--lang se``) went unnoticed. Checked once plugins are configured,
    so a disabled plugin's languages do not count; rule sets are asked only
    when the option is given. A report's language is one it has words in:
    the built-in ones and those plugins supply.
    """
    if lang is None:
        return
    from kompass_core import InputError, Problem, default_registry

    if command == "report":
        from kompass_core import report_languages

        available = list(report_languages(default_registry()))
        if lang not in available:
            raise InputError(Problem(f"--lang {lang!r}: no report language of that name "
                                     f"(available: {', '.join(available)})"))
        return
    known = sorted({x for ruleset in default_registry().rulesets() for x in ruleset.languages})
    if lang not in known:
        raise InputError(Problem(f"--lang {lang!r}: no rule set has labels in this language "
                                 f"(known: {', '.join(known)})"))


def _plugin_warnings() -> None:
    """Say which plugins were disabled and which migrations skipped (one line each)."""
    from kompass_core import current_default

    registry = current_default()
    if registry is None or sys.stderr.closed:  # closed: the reader of a pipe went away
        return
    for name, reason in sorted(registry.problems.items()):
        print(f"kompass: warning: plugin {name!r} {reason}", file=sys.stderr)
    for note in registry.skipped:
        print(f"kompass: warning: {note}", file=sys.stderr)


def _db_parser(parser: argparse.ArgumentParser,
               fmt: Callable[[argparse.ArgumentParser, Sequence[str]], None],
               lang: Callable[[argparse.ArgumentParser], None]) -> None:
    """``kompass db ACTION``: one sub-parser per action, each taking ``--db``."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help: str, formats: Sequence[str] = ()) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help)
        p.add_argument("--db", metavar="PATH", help=DB_HELP)
        if formats:
            fmt(p, formats)
        return p

    p = action("import", "store evaluation files (TOML, JSON, .xlsx), results CSVs or an export")
    p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP + ", or a results CSV")
    p = action("list", "list the stored evaluations", FORMATS)
    p.add_argument("--ruleset", metavar="REF", help="only those of this rule set")
    p = action("history", "every stored evaluation of one municipality, each on its own "
               "rule set", FORMATS)
    p.add_argument("municipality", metavar="MUNICIPALITY", help="its name or code")
    p.add_argument("--on", metavar="REF",
                   help="rule set to carry results to where a calibrated path leads "
                        "(default: that of the newest evaluation)")
    lang(p)
    for name, what in (("average", "the average per area and total of the stored "
                                   "evaluations of a rule set"),
                       ("rank", "the stored evaluations of a rule set, ranked by total")):
        p = action(name, what, FORMATS)
        p.add_argument("ref", metavar="REF", help="rule set, e.g. kk-se@2.0")
        p.add_argument("--year", type=int, metavar="YEAR", help="only evaluations of this year")
        p.add_argument("--country", metavar="CC", help="only evaluations of this country")
        p.add_argument("--group", metavar="[SCHEME[@VERSION]:]NAME",
                       help="only municipalities of this peer group (by code; "
                            "`kompass db groups list`)")
        if name == "average":
            lang(p)
        else:
            p.add_argument("--all", action="store_true",
                           help="every evaluation, not only each municipality's newest")
            _robust_options(p)
    p = action("groups", "peer groups: import a group scheme's memberships, or list them")
    kinds = p.add_subparsers(dest="groups_action", metavar="import|list", required=True)
    q = kinds.add_parser("import", help="store a scheme and its memberships from a CSV "
                                       "(code,group)")
    q.add_argument("file", metavar="FILE", help="memberships CSV: code,group")
    q.add_argument("--scheme", required=True, metavar="NAME@VERSION",
                   help="the scheme's name and version, e.g. my-groups@2023")
    q.add_argument("--source", required=True, metavar="TEXT",
                   help="where the scheme and memberships come from (a URL or a title)")
    q.add_argument("--db", metavar="PATH", help=DB_HELP)
    q = kinds.add_parser("list", help="the stored schemes, groups and member counts")
    q.add_argument("--db", metavar="PATH", help=DB_HELP)
    fmt(q, ("table", "json"))
    p = action("export", "everything stored: CSV (results columns) or JSON (lossless)")
    p.add_argument("--format", choices=("csv", "json"), default="csv",
                   help="output format (default: csv)")
    p = action("remove", "remove one stored evaluation")
    p.add_argument("id", metavar="ID", help="its ID as `kompass db list` shows it")


def _robust_options(p: argparse.ArgumentParser) -> None:
    """``db rank --robust`` and its options (docs/scoring.md, Rankings and their uncertainty)."""
    p.add_argument("--robust", action="store_true",
                   help="exact rank bounds, rank percentiles under plausible weights, and "
                        "each area weight's share of the rank variance (the analysis extra)")
    p.add_argument("--samples", type=int, default=10_000, metavar="N",
                   help="weightings sampled (default: 10000)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="random seed: the same seed gives the same figures (default: 0)")
    p.add_argument("--concentration", type=float, default=100.0, metavar="K",
                   help="Dirichlet concentration around the rule set's weights; larger is "
                        "closer, inf is no uncertainty (default: 100)")
    p.add_argument("--profile", metavar="FILE", action="append",
                   help="sample over the rule set's own weighting and these profiles instead "
                        "(repeat)")
    p.add_argument("--top", type=int, metavar="N",
                   help="also give the probability of a place in the top N")


def _internal(exc: Exception) -> int:
    """Report a bug in one line (exit 3), or re-raise it under ``KOMPASS_DEBUG``."""
    if os.environ.get("KOMPASS_DEBUG"):
        raise exc
    print(f"kompass: internal error: {type(exc).__name__}: {exc} "
          "(a bug; set KOMPASS_DEBUG=1 for a traceback and please report it)",
          file=sys.stderr)
    return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        import kompass_core

        print(f"kompass {kompass_core.__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    import importlib

    from kompass_core import configure_default

    disabled = args.disable_plugin + [n.strip() for n in os.environ.get(
        "KOMPASS_DISABLE_PLUGINS", "").split(",") if n.strip()]
    strict = args.strict or os.environ.get("KOMPASS_STRICT", "") in ("1", "true", "yes")
    try:
        module = importlib.import_module(f"kompass_core.cli.{COMMANDS[args.command]}")
        configure_default(disabled=disabled, strict=strict)
        _check_language(getattr(args, "lang", None), args.command)
        code = int(getattr(module, args.command.replace("-", "_"))(args))
        sys.stdout.flush()  # now, so that a full disk is reported here and not at exit
        return code
    except KompassError as err:
        from kompass_core.cli.tables import printable  # names and files may hold ESC, CR

        for problem in err.problems:
            print(f"kompass: error: {printable(str(problem))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); not an error of ours
        return 0
    except OSError as exc:
        if exc.errno not in FULL:
            return _internal(exc)
        # the output cannot be written (`> /dev/full`): the user's disk, not a bug; what
        # is left in the buffer goes nowhere, so that exit does not fail on it again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"kompass: error: standard output: cannot write: {exc.strerror}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kompass: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        return _internal(exc)
    finally:
        _plugin_warnings()  # also when the command failed: a disabled plugin may be why
        configure_default()  # an embedding caller's registry keeps the default settings
