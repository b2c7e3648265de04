"""Mutation testing of the core modules, run by hand (not in CI).

    .venv/bin/python benchmarks/mutation.py                       # every core module
    .venv/bin/python benchmarks/mutation.py --modules scoring points --sample 200

The script copies the package, the tests and the examples to a scratch
directory, writes a ``[mutmut]`` section there (so the repository holds no
mutmut state) and runs mutmut 3 over the chosen modules with a focused test
selection: the test files that exercise the core, under the derandomised
``ci`` hypothesis profile. mutmut forks a worker per mutant and runs only the
tests that reach the mutated function, so the run stays in minutes.

It then prints killed / survived / equivalent per module and the score:
killed over every mutant that is not a known equivalent (a mutant with no
test reaching it or one that times out counts as not killed, except that a
timeout is a kill: the tests noticed). Known equivalent mutants, that cannot
change behaviour, are listed in :data:`EQUIVALENT` below with the reason;
their names are mutmut's (``module.x_function__mutmut_N``), stable as long as
the function's source does not change. A surviving mutant that is not listed
is printed with its diff: either a test is missing, or it belongs in the list.

Needs ``mutmut>=3.3`` (the ``mutation`` extra: ``pip install '.[mutation]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES = {
    "scoring": "kompass_core/engine/scoring.py",
    "plan": "kompass_core/engine/plan.py",
    "weighting": "kompass_core/engine/weighting.py",
    "migration": "kompass_core/model/migration.py",
    "migration_graph": "kompass_core/engine/migration_graph.py",
    "migration_plan": "kompass_core/engine/migration_plan.py",
    "points": "kompass_core/model/points.py",
    "card": "kompass_core/model/card.py",
}

# The tests that exercise the core: laws, golden examples, the shipped migrations and
# the mutation-killing tests. The rest (CLI, formats, store, report, fuzzing) is slow
# per mutant and reaches the core only through these paths.
TESTS = [
    "tests/test_mutants.py",
    "tests/test_scoring.py",
    "tests/test_laws.py",
    "tests/test_migration_laws.py",
    "tests/test_shipped_migrations.py",
    "tests/test_tailoring.py",
]

# Mutants that cannot change what any caller observes, each with the reason.
EQUIVALENT: dict[str, str] = {
    "kompass_core.model.points.x_not_points__mutmut_2":
        "math.isfinite accepts a Decimal too, so the Decimal branch is only a shortcut",
    "kompass_core.engine.scoring.x__children_word__mutmut_10":
        "'children' is unreachable: only a question has no child level, and it has no children",
    "kompass_core.engine.scoring.x__children_word__mutmut_11":
        "'children' is unreachable: only a question has no child level, and it has no children",
    "kompass_core.engine.scoring.x__order__mutmut_6":
        "every problem scoring words has a key path, so the fallback key is never used",
    "kompass_core.engine.migration_graph.x__probe_areas__mutmut_30":
        "zip(strict=None): areas and ratios always have the same length",
    "kompass_core.engine.migration_graph.x__probe_areas__mutmut_34":
        "zip(strict=False): areas and ratios always have the same length",
    "kompass_core.engine.migration_plan.xǁPathPlanǁ_total__mutmut_2":
        "the memo of totals is only a speed-up: a miss recomputes the same value",
    "kompass_core.engine.migration_plan.xǁPathPlanǁ_total__mutmut_16":
        "the memo of totals is only a speed-up: storing None makes every lookup a miss",
    "kompass_core.engine.migration_plan.x__denominator__mutmut_2":
        "a multiple of a common denominator is a common denominator too",
    "kompass_core.model.migration.xǁAreaMappingǁcheck__mutmut_42":
        "sum() starts at 0 by default",
    "kompass_core.model.points.x_from_number__mutmut_3":
        "Decimal(repr(x)) of an infinite or NaN float is not finite, and is refused just after",
    "kompass_core.engine.plan.xǁPlanǁcached__mutmut_6":
        "the last-plan shortcut never hits (model is not spec): the rule set's cache answers",
    "kompass_core.engine.plan.xǁPlanǁcached__mutmut_13":
        "'PLAN': another constant tag of the cache key, which nothing else uses",
    "kompass_core.engine.scoring.x__leaf_sums__mutmut_18":
        "whole = False only makes _norm look at values that are all ints",
    "kompass_core.engine.scoring.x__partial_sums__mutmut_89":
        "zip without strict: the four sequences always have the plan's length",
    "kompass_core.engine.scoring.x__tree_walk__mutmut_28":
        "highs starts at 1s: the walk sets every entry before it is read",
    "kompass_core.engine.migration_graph.xǁMigrationGraphǁincoherence__mutmut_68":
        "an eighth probe, n = 7, is the graded probe again",
    "kompass_core.engine.migration_plan.xǁPathPlanǁ__init____mutmut_4":
        "_fast = None: falsy like False, and set to True wherever it is read as true",
    "kompass_core.model.points.x_plain__mutmut_26":
        "d /= f: the loop only divides by 2, 5 and 10 while d <= 10**12 matters, exact in floats",
    "kompass_core.model.points.x_plain__mutmut_56":
        "rstrip('XX.XX') strips the characters X and ., and the text has no X",
    "kompass_core.model.points.x_plain__mutmut_55":
        "rstrip('XX0XX') strips the characters X and 0, and the text has no X",
    "kompass_core.model.card.xǁStepǁparse__mutmut_3":
        "rpartition: a text with two arrows is refused either way (only the quoted half differs)",
}

KILLED = {"killed", "timeout", "caught by type check"}


def _copy(scratch: Path) -> None:
    for name in ("kompass_core", "tests", "examples"):
        shutil.copytree(ROOT / name, scratch / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy2(ROOT / "pyproject.toml", scratch / "pyproject.toml")


def _setup_cfg(scratch: Path, modules: list[str]) -> None:
    def block(items: list[str]) -> str:
        return "".join(f"\n    {item}" for item in items)

    (scratch / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = kompass_core\n"
        f"only_mutate ={block([MODULES[m] for m in modules])}\n"
        "also_copy =\n    examples\n"
        # a mutant that loops (plain's digit loop, the plan's walk to the root) is a kill;
        # mutmut's default waits 30 CPU seconds for each
        "timeout_multiplier = 4\n"
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -q\n"
        f"pytest_add_cli_args_test_selection ={block([t for t in TESTS if (ROOT / t).exists()])}\n")


def _names(scratch: Path) -> dict[str, str]:
    """Every generated mutant, by name, with the module it mutates."""
    out: dict[str, str] = {}
    for short, path in MODULES.items():
        meta = scratch / "mutants" / (path + ".meta")
        if meta.exists():
            for name in json.loads(meta.read_text())["exit_code_by_key"]:
                out[name] = short
    return out


def _results(scratch: Path) -> dict[str, tuple[str, int | None]]:
    out: dict[str, tuple[str, int | None]] = {}
    for short, path in MODULES.items():
        meta = scratch / "mutants" / (path + ".meta")
        if meta.exists():
            for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                out[name] = (short, code)
    return out


def _generate(scratch: Path, env: dict[str, str]) -> None:
    """Write the mutants without running them (mutmut's own generation step)."""
    code = ("import sys; sys.argv = ['mutmut']\n"
            "from mutmut.__main__ import copy_src_dir, copy_also_copy_files, create_mutants\n"
            "from pathlib import Path\n"
            "Path('mutants').mkdir(exist_ok=True)\n"
            "copy_src_dir(); copy_also_copy_files(); create_mutants(2)\n")
    subprocess.run([sys.executable, "-c", code], cwd=scratch, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", nargs="+", choices=sorted(MODULES), default=list(MODULES))
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run only N mutants, drawn at random (seeded) over the modules")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--workdir", type=Path,
                        help="scratch directory (kept; default: a temporary one, removed)")
    parser.add_argument("--show", action="store_true", help="print the diff of every survivor")
    parser.add_argument("--report-only", action="store_true",
                        help="with --workdir: report the mutants run there so far, run nothing")
    parser.add_argument("--recheck", action="store_true",
                        help="with --workdir: run each survivor again against the repository's "
                             "tests/test_mutants.py (tests added since the run); a mutant it "
                             "kills counts as killed")
    args = parser.parse_args(argv)
    if (args.report_only or args.recheck) and args.workdir is None:
        parser.error("--report-only and --recheck need --workdir")

    try:
        from mutmut.stats import status_by_exit_code
    except ImportError:
        print("mutmut is not installed: pip install 'mutmut>=3.3'", file=sys.stderr)
        return 2

    keep = args.workdir is not None
    scratch = args.workdir or Path(tempfile.mkdtemp(prefix="kompass-mutation-"))
    scratch.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        if not (scratch / "kompass_core").exists():
            _copy(scratch)
        _setup_cfg(scratch, args.modules)
        command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.jobs)]
        chosen: list[str] | None = None
        if args.report_only or args.recheck:
            results = _results(scratch)
            if args.recheck:
                results = _recheck(scratch, results, status_by_exit_code, env)
            return _report(scratch, results, status_by_exit_code, time.monotonic() - started,
                           args, env)
        if args.sample is not None:
            _generate(scratch, env)
            every = sorted(_names(scratch))
            chosen = sorted(random.Random(args.seed).sample(every, min(args.sample, len(every))))
            print(f"sample: {len(chosen)} of {len(every)} mutants (seed {args.seed})")
            command += chosen
        subprocess.run(command, cwd=scratch, env=env, check=False,
                       stdout=subprocess.DEVNULL if not os.environ.get("MUTATION_VERBOSE")
                       else None)
        results = _results(scratch)
        if chosen is not None:
            results = {k: v for k, v in results.items() if k in set(chosen)}
        elapsed = time.monotonic() - started
        return _report(scratch, results, status_by_exit_code, elapsed, args, env)
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _recheck(scratch: Path, results: dict[str, tuple[str, int | None]],
             status_by_exit_code: object, env: dict[str, str]
             ) -> dict[str, tuple[str, int | None]]:
    """Survivors run again, each applied to a fresh copy, against tests/test_mutants.py only.

    The run's other test files are unchanged, so a survivor that these tests
    kill is killed by the selection as it is now.
    """
    status = status_by_exit_code
    out = dict(results)
    copy = Path(tempfile.mkdtemp(prefix="kompass-recheck-"))
    try:
        _copy(copy)
        for name, (module, code) in sorted(results.items()):
            if name in EQUIVALENT or status[code] in KILLED | {"not checked"}:  # type: ignore[index]
                continue
            shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=scratch,
                                   env=env, capture_output=True, text=True).stdout
            diff = shown[shown.index("--- "):] if "--- " in shown else ""
            path = copy / MODULES[module]
            original = path.read_text()
            try:
                if not _apply(diff, path):
                    print(f"recheck: could not apply {name}")
                    continue
                run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q",
                                      "-p", "no:cacheprovider", "tests/test_mutants.py"],
                                     cwd=copy, env={**env, "PYTHONPATH": str(copy)},
                                     capture_output=True, text=True, timeout=300)
                if run.returncode == 1:
                    out[name] = (module, 1)
                    print(f"recheck: {name} killed")
                else:
                    print(f"recheck: {name} survives")
            except subprocess.TimeoutExpired:
                out[name] = (module, 36)
            finally:
                path.write_text(original)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return out


def _apply(diff: str, path: Path) -> bool:
    """Apply mutmut's diff of one function to ``path``; False if it does not fit once.

    mutmut shows a method dedented and numbers lines within the function, so
    each changed run of lines is found by its text and re-indented.
    """
    lines = path.read_text().split("\n")
    groups: list[tuple[list[str], list[str]]] = []
    minus: list[str] = []
    plus: list[str] = []
    for line in diff.splitlines()[2:] + [" "]:
        if line.startswith("-"):
            minus.append(line[1:])
        elif line.startswith("+"):
            plus.append(line[1:])
        elif minus or plus:
            groups.append((minus, plus))
            minus, plus = [], []
    for old, new in groups:
        if not old:
            return False
        want = [o.strip() for o in old]
        at = [i for i in range(len(lines) - len(old) + 1)
              if [x.strip() for x in lines[i:i + len(old)]] == want]
        if len(at) != 1:
            return False
        i = at[0]
        shift = (len(lines[i]) - len(lines[i].lstrip())) - (len(old[0]) - len(old[0].lstrip()))
        lines[i:i + len(old)] = [" " * shift + n for n in new]
    path.write_text("\n".join(lines))
    return True


def _report(scratch: Path, results: dict[str, tuple[str, int | None]], status_by_exit_code: object,
            elapsed: float, args: argparse.Namespace, env: dict[str, str]) -> int:
    status = status_by_exit_code  # mutmut's exit code -> status
    counts: dict[str, Counter[str]] = {m: Counter() for m in args.modules}
    survivors: list[str] = []
    for name, (module, code) in sorted(results.items()):
        if module not in counts:
            continue
        verdict = status[code]  # type: ignore[index]
        if verdict == "not checked":
            continue
        if name in EQUIVALENT:
            if verdict in KILLED:
                print(f"note: {name} is listed as equivalent but was killed")
            counts[module]["equivalent"] += 1
        elif verdict in KILLED:
            counts[module]["killed"] += 1
        else:
            counts[module]["survived"] += 1
            survivors.append(name)
    print(f"\n{'module':<16} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} "
          f"{'score':>6}")
    worst = 100.0
    for module, c in counts.items():
        scored = c["killed"] + c["survived"]
        pct = 100.0 * c["killed"] / scored if scored else 100.0
        worst = min(worst, pct)
        print(f"{module:<16} {scored + c['equivalent']:>7} {c['killed']:>6} {c['survived']:>8} "
              f"{c['equivalent']:>6} {pct:>5.1f}%")
    print(f"\n{elapsed:.0f} s with {args.jobs} workers")
    if survivors:
        print(f"\nsurvivors ({len(survivors)}): " + ("" if args.show else
                                                     "(--show prints the diffs)"))
        for name in survivors:
            print(f"  {name}: {status[results[name][1]]}")  # type: ignore[index]
            if args.show:
                diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                                      cwd=scratch, env=env, capture_output=True, text=True)
                print("    " + diff.stdout.strip().replace("\n", "\n    "))
    return 0 if worst >= 90.0 else 1


if __name__ == "__main__":
    sys.exit(main())
