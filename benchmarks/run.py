"""kompass benchmarks: every figure is a ratio to a baseline measured in the same run.

Usage: ``python benchmarks/run.py [--quick]`` from the project root, with
kompass installed. Nothing here asserts on time; it prints, and the
figures go into the issue notes and docs. Each timing is the best of
several repeats, which filters out noise from other processes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "upplands-vasby-2011.toml"


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_command(argv: list[str]) -> Callable[[], object]:
    def call() -> object:
        return subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return call


def kompass_exe() -> list[str]:
    exe = Path(sys.executable).with_name("kompass")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kompass_core.cli"]


# --- 1. start-up of `kompass score` ----------------------------------------------

def bench_startup(repeats: int) -> None:
    commands = [run_command([sys.executable, "-c", "pass"]),
                run_command([sys.executable, "-c", "import attrs, tomllib, fractions"]),
                run_command([*kompass_exe(), "score", str(EXAMPLE)])]
    # as installed: bytecode written once (pip compiles it; PYTHONDONTWRITEBYTECODE
    # in a development shell would otherwise have every start compile kompass anew)
    subprocess.run([*kompass_exe(), "score", str(EXAMPLE)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    # interleaved, so that a busy moment of the machine weighs on all three alike
    runs = [[best_of(command, 1) for command in commands] for _ in range(repeats * 2)]
    base, floor, cmd = (min(times) for times in zip(*runs, strict=True))
    print("1. `kompass score examples/upplands-vasby-2011.toml` vs `python -c pass`")
    print(f"   python -c pass                       {base * 1000:7.1f} ms   1.0x")
    print(f"   import attrs, tomllib, fractions     {floor * 1000:7.1f} ms  {floor / base:4.1f}x")
    print(f"   kompass score (one file)             {cmd * 1000:7.1f} ms  {cmd / base:4.1f}x"
          "   (target <= 5x)")
    print("   import-time breakdown (cumulative, top 12 modules):")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "kompass_core.cli",
                           "score", str(EXAMPLE)], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and len(m.group(3)) <= 3:  # top-level imports only
            rows.append((int(m.group(2)), m.group(4)))
    for cumulative, name in sorted(rows, reverse=True)[:12]:
        print(f"     {cumulative / 1000:7.1f} ms  {name}")


# --- 2. score() throughput ----------------------------------------------------------

def question_ruleset():  # type: ignore[no-untyped-def]
    """8 areas x 5 sub-areas x 4 questions of 5 points: 160 questions, 800 points."""
    from kompass_core import Criterion, Labels, Level, RuleSet, RuleSetRef

    def node(key: str, level: Level, children: tuple[Criterion, ...], top: int) -> Criterion:
        return Criterion(key, level, Labels({"en": key}), top, children)

    areas = tuple(
        node(f"{a}", Level.AREA, tuple(
            node(f"{a}.{s}", Level.SUBAREA, tuple(
                node(f"{a}.{s}.{q}", Level.QUESTION, (), 5) for q in range(1, 5)), 20)
            for s in range(1, 6)), 100)
        for a in range(1, 9))
    return RuleSet(ref=RuleSetRef("kk-bench", "1.0"), title=Labels({"en": "Bench"}),
                   organisation="Bench", country="SE", areas=areas)


def bench_scoring(n: int, repeats: int) -> None:
    from kompass_core import Evaluation, Municipality, SumWeighting, score_with

    ruleset = question_ruleset()
    rng = random.Random(20261127)
    nested = []
    evaluations = []
    for i in range(n):
        tree = {str(a): {f"{a}.{s}": {f"{a}.{s}.{q}": rng.randint(0, 5) for q in range(1, 5)}
                         for s in range(1, 6)} for a in range(1, 9)}
        nested.append(tree)
        flat = {q: p for subs in tree.values() for qs in subs.values() for q, p in qs.items()}
        evaluations.append(Evaluation(ruleset.ref, Municipality(f"M{i}"), points=flat))

    def baseline() -> None:
        # The same outputs as a card: every sub-area, area and the total.
        for tree in nested:
            total = 0
            sums = {}
            for area, subs in tree.items():
                area_sum = 0
                for sub, questions in subs.items():
                    s = 0
                    for p in questions.values():
                        s += p
                    sums[sub] = s
                    area_sum += s
                sums[area] = area_sum
                total += area_sum
            sums["total"] = total

    model = SumWeighting()

    def engine() -> None:
        for ev in evaluations:
            score_with(ev, ruleset, model)

    engine()  # compile the plan once, as a long-running tool would
    runs = [(best_of(baseline, 1), best_of(engine, 1)) for _ in range(repeats)]  # interleaved
    base, ours = (min(times) for times in zip(*runs, strict=True))
    print(f"2. score() on {n:,} question-level evaluations (160 questions each)")
    print(f"   plain loop summing nested dicts      {base * 1000:7.1f} ms   1.0x")
    print(f"   kompass_core.score_with              {ours * 1000:7.1f} ms  {ours / base:4.1f}x"
          f"   (target <= 1.5x)   {n / ours:,.0f} cards/s")


# --- 3. migration throughput ---------------------------------------------------------

def bench_migration(n: int, repeats: int) -> None:
    from kompass_core import Evaluation, Municipality, Registry
    from kompass_core.engine.migration_graph import migrate

    registry = Registry()
    source = registry.ruleset("kk-dk@2.0")
    path = registry.migration_path("kk-dk@2.0", "kk-dk-krevi@2009")
    rulesets = {r: registry.ruleset(r) for m in path for r in (m.source, m.target)}
    rng = random.Random(20261128)
    subareas = [c for c in source.criteria() if not c.children]
    evaluations = [Evaluation(source.ref, Municipality(f"M{i}"),
                              points={c.key: rng.randint(0, int(c.max)) for c in subareas})
                   for i in range(n)]
    cards = [registry.score(ev) for ev in evaluations]
    target = path[-1].target

    def scoring() -> None:
        for ev in evaluations:
            registry.score(ev)

    def migrating() -> None:
        for card in cards:
            registry.migrate(card, target)

    base = best_of(scoring, repeats)
    first = best_of(migrating, 1)  # the compiled path learns each area's values here
    ours = best_of(migrating, repeats)
    steps = " -> ".join([str(path[0].source), *(str(m.target) for m in path)])
    print(f"3. migration of {n:,} cards over {len(path)} steps ({steps})")
    print(f"   scoring the same evaluations         {base * 1000:7.1f} ms   1.0x")
    print(f"   registry.migrate, first pass         {first * 1000:7.1f} ms  {first / base:4.1f}x")
    print(f"   registry.migrate                     {ours * 1000:7.1f} ms  {ours / base:4.1f}x"
          f"   (target <= 2x)   {n / ours:,.0f} cards/s")
    exact = [migrate(card, path, rulesets, registry.plan) for card in cards[:n // 10]]
    step = best_of(lambda: [migrate(card, path, rulesets, registry.plan)
                            for card in cards[:n // 10]], repeats) * 10
    assert exact == [registry.migrate(card, target) for card in cards[:n // 10]]
    print(f"   step by step, exact fractions        {step * 1000:7.1f} ms  {step / base:4.1f}x"
          "   (what every card costs on a path that mixes areas)")


# --- 4. the results store -----------------------------------------------------------------

def _results_csv(n: int) -> str:
    """A results CSV of ``n`` area-level kk-se@2020 evaluations, the same every time."""
    from kompass_core.formats.results import COLUMNS

    rng = random.Random(20261129)
    lines = [",".join(COLUMNS)]
    for i in range(n):
        areas = [rng.randint(0, 100) for _ in range(8)]
        lines.append(f"kk-se@2020,evaluation,{rng.choice(['SE', 'NO'])},Kommun {i},"
                     f"{2010 + i % 12},{','.join(map(str, areas))},{sum(areas)},"
                     f"https://example.org/{i},")
    return "\n".join(lines) + "\n"


def bench_store(n: int, repeats: int) -> None:
    """``db import`` of a results CSV and ``db average``, against plain executemany.

    The timings are interleaved (baseline, import, average, ...), so that a
    busy disk or processor weighs on all of them alike.
    """
    import sqlite3
    import tempfile

    from kompass_core import Registry
    from kompass_core.model.card import TOTAL
    from kompass_core.store import Store, average, distinct, records_from_csv
    from kompass_core.store.schema import MIGRATIONS
    from kompass_core.store.tables import _evaluation_row, _score_rows

    registry = Registry()
    ruleset = registry.ruleset("kk-se@2020")
    text = _results_csv(n)
    records, _ = records_from_csv(text, "bench.csv", registry, "bench.csv")
    numbered = list(enumerate(records, start=1))
    evaluation_rows = [_evaluation_row(i, r) for i, r in numbered]
    score_rows = list(_score_rows(numbered))
    folder = Path(tempfile.mkdtemp())
    count = iter(range(10**6))

    def fresh() -> Path:
        return folder / f"{next(count)}.db"

    def baseline() -> float:
        db = sqlite3.connect(fresh(), isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        for step in MIGRATIONS:
            for statement in step:
                db.execute(statement)
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO evaluations (id, hash, origin, ruleset, municipality, code, "
                       "country, date, year, kind, source_url, ruleset_basis, document) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", evaluation_rows)
        db.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", score_rows)
        db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
        return elapsed

    def importing() -> float:
        with Store.open(fresh(), registry, seed=False) as store:
            start = time.perf_counter()
            found, _ = records_from_csv(text, "bench.csv", registry, "bench.csv")
            store.add(found)
            return time.perf_counter() - start

    with Store.open(fresh(), registry, seed=False) as store:
        store.add(records)

        def averaging() -> float:
            start = time.perf_counter()
            kept, _ = distinct(store.entries(ruleset.ref, ("evaluation",)))
            average(kept, [TOTAL, *(a.key for a in ruleset.areas)],
                    [ruleset.max, *(a.max for a in ruleset.areas)])
            return time.perf_counter() - start

        def sql_avg() -> float:
            db = sqlite3.connect(store.path)
            start = time.perf_counter()
            db.execute("SELECT key, avg(CAST(low AS REAL)), count(*) FROM scores JOIN "
                       "evaluations ON evaluations.id = scores.evaluation WHERE ruleset = ? "
                       "AND kind = 'evaluation' AND low = high GROUP BY key",
                       (str(ruleset.ref),)).fetchall()
            elapsed = time.perf_counter() - start
            db.close()
            return elapsed

        runs = [(baseline(), importing(), averaging(), sql_avg()) for _ in range(repeats)]
        base, ours, mean, plain = (min(times) for times in zip(*runs, strict=True))
    import shutil

    shutil.rmtree(folder)
    print(f"4. the results store: {n:,} area-level evaluations (kk-se@2020, a results CSV)")
    print(f"   plain sqlite3 executemany, same rows {base * 1000:7.1f} ms   1.0x")
    print(f"   db import (read, score, store)       {ours * 1000:7.1f} ms  {ours / base:4.1f}x"
          f"   (target <= 2x)   {n / ours:,.0f} evaluations/s")
    print(f"   db average (exact, per area+total)   {mean * 1000:7.1f} ms  {mean / base:4.1f}x")
    print(f"   plain SQL avg() of floats, for scale {plain * 1000:7.1f} ms  {plain / base:4.1f}x")


def bench_store_postgres(n: int, repeats: int) -> None:
    """``db import`` into PostgreSQL, against plain psycopg of the same rows.

    A throwaway cluster (tests/postgres_server.py) on a unix socket, fsync off
    for both; each run imports into a fresh schema. The baselines insert the
    rows ``db import`` writes, ready-made, in one transaction: ``executemany``
    both tables, and ``COPY`` both tables (the fastest psycopg has).
    """
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import bindir, cluster

    programs = bindir()
    try:
        import psycopg
    except ImportError:
        programs = None
    print(f"4b. the results store on PostgreSQL: {n:,} area-level evaluations")
    if programs is None:
        print("   skipped: needs psycopg and PostgreSQL's server programs (initdb, pg_ctl)")
        return
    from kompass_core import Registry
    from kompass_core.store import Store, records_from_csv
    from kompass_core.store.tables import _evaluation_row, _score_rows

    registry = Registry()
    text = _results_csv(n)
    records, _ = records_from_csv(text, "bench.csv", registry, "bench.csv")
    numbered = list(enumerate(records, start=1))
    evaluation_rows = [_evaluation_row(i, r) for i, r in numbered]
    score_rows = list(_score_rows(numbered))
    count = iter(range(10**6))
    columns = ("id, hash, origin, ruleset, municipality, code, country, date, year, kind, "
               "source_url, ruleset_basis, document")
    with cluster(programs) as server:
        def fresh() -> str:
            name = f"b{next(count)}"
            with psycopg.connect(server, autocommit=True) as db:
                db.execute(f"CREATE SCHEMA {name}")  # type: ignore[arg-type]
            url = f"{server}&options=-csearch_path%3D{name}"
            Store.open(url, registry, seed=False).close()
            return url

        def plain(copy: bool) -> float:
            with psycopg.connect(fresh()) as db:
                start = time.perf_counter()
                with db.cursor() as cur:
                    if copy:
                        with cur.copy(f"COPY evaluations ({columns}) FROM STDIN") as out:
                            for row in evaluation_rows:
                                out.write_row(row)
                        with cur.copy("COPY scores FROM STDIN") as out:
                            for row in score_rows:
                                out.write_row(row)
                    else:
                        cur.executemany(f"INSERT INTO evaluations ({columns}) VALUES "
                                        f"({', '.join(['%s'] * 13)})", evaluation_rows)
                        cur.executemany(f"INSERT INTO scores VALUES ({', '.join(['%s'] * 8)})",
                                        score_rows)
                db.commit()
                return time.perf_counter() - start

        def importing() -> float:
            with Store.open(fresh(), registry, seed=False) as store:
                start = time.perf_counter()
                found, _ = records_from_csv(text, "bench.csv", registry, "bench.csv")
                store.add(found)
                return time.perf_counter() - start

        runs = [(plain(False), plain(True), importing()) for _ in range(repeats)]
        many, copy, ours = (min(times) for times in zip(*runs, strict=True))
    print(f"   plain psycopg executemany, same rows {many * 1000:7.1f} ms   1.0x")
    print(f"   plain psycopg COPY, same rows        {copy * 1000:7.1f} ms  {copy / many:4.1f}x")
    print(f"   db import (read, score, store)       {ours * 1000:7.1f} ms  {ours / many:4.1f}x"
          f"   (target <= 2x)   {ours / copy:4.1f}x COPY   {n / ours:,.0f} evaluations/s")


# --- 5. a folder of files in one call --------------------------------------------------------

FOLDER_PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
took = time.perf_counter() - start
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def bench_folder(n: int) -> None:
    import tempfile

    text = EXAMPLE.read_text(encoding="utf-8")
    print("5. `kompass score FOLDER --format csv` on folders of files, one call each")
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for count in (n // 10, n):
            folder = Path(tmp) / str(count)
            folder.mkdir()
            for i in range(count):
                (folder / f"e{i:05d}.toml").write_text(text, encoding="utf-8")
            probe = subprocess.run([sys.executable, "-c", FOLDER_PROBE, *kompass_exe(),
                                    "score", str(folder), "--format", "csv"],
                                   capture_output=True, text=True, check=True)
            took, peak_kib = probe.stdout.split()
            results.append((count, float(took), int(peak_kib)))
            print(f"   {count:6,} files   {float(took):7.2f} s   {count / float(took):6,.0f} "
                  f"files/s   peak memory {int(peak_kib) / 1024:6.1f} MiB")
        growth = results[1][2] / results[0][2]
        print(f"   peak memory, {n:,} vs {n // 10:,} files: {growth:4.2f}x"
              "   (target: flat, about 1x)")


# --- 6. the report as PDF ---------------------------------------------------------------

def bench_pdf(repeats: int) -> None:
    """``kompass report --format pdf`` against the HTML report of the same evaluation.

    Both are whole commands (start, scoring, layout, writing), interleaved;
    the PDF adds WeasyPrint's import and its page layout.
    """
    import tempfile

    print("6. `kompass report examples/upplands-vasby-2011.toml`: PDF vs HTML")
    try:
        subprocess.run([sys.executable, "-c", "import weasyprint"], check=True,
                       capture_output=True)
    except subprocess.CalledProcessError:
        print("   report --format pdf                  not measured: no pdf extra"
              "   (target <= 10x)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        html, pdf = (run_command([*kompass_exe(), "report", str(EXAMPLE), "--format", fmt,
                                  "-o", str(Path(tmp) / f"report.{fmt}")])
                     for fmt in ("html", "pdf"))
        runs = [(best_of(html, 1), best_of(pdf, 1)) for _ in range(repeats)]
        base, ours = (min(times) for times in zip(*runs, strict=True))
    print(f"   report --format html                 {base * 1000:7.1f} ms   1.0x")
    print(f"   report --format pdf                  {ours * 1000:7.1f} ms  {ours / base:4.1f}x"
          "   (target <= 10x)")


# --- 7. a team's agreement --------------------------------------------------------------

def bench_agree(repeats: int) -> None:
    """``kompass agree`` (alpha with 1,000 bootstrap resamples) against ``kompass score`` on
    the same 10 evaluators' files, at the finest level kk-se@2.0 has (sub-areas: it has no
    questions; an area without sub-areas is scored whole). Both are whole commands."""
    import tempfile

    from kompass_core import default_registry

    print("7. `kompass agree` on 10 evaluators (kk-se@2.0, finest level, 1,000 resamples)")
    try:
        subprocess.run([sys.executable, "-c", "import krippendorff, numpy"], check=True,
                       capture_output=True)
    except subprocess.CalledProcessError:
        print("   agree                                not measured: no analysis extra"
              "   (target <= 3x)")
        return
    ruleset = default_registry().ruleset("kk-se@2.0")
    items = [c for c in ruleset.criteria() if c.level.value == "subarea"
             or (c.level.value == "area" and not c.children)]
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(10):
            lines = ['ruleset = "kk-se@2.0"', '[municipality]', 'name = "Benchby"',
                     '[evaluation]', 'date = 2026-11-20', f'evaluators = ["Evaluator {i}"]']
            for c in items:
                table = f"areas.{c.key}" if c.level.value == "area" else \
                    f'areas.{c.key.split(".")[0]}.subareas."{c.key}"'
                lines += [f"[{table}]", f"points = {rng.randint(0, int(c.max))}"]
            path = Path(tmp) / f"evaluator-{i}.toml"
            path.write_text("\n".join(lines) + "\n", "utf-8")
            files.append(str(path))
        score, agree = (run_command([*kompass_exe(), command, *files, *extra])
                        for command, extra in (("score", []),
                                               ("agree", ["--bootstrap", "1000"])))
        runs = [(best_of(score, 1), best_of(agree, 1)) for _ in range(repeats)]
        base, ours = (min(times) for times in zip(*runs, strict=True))
    print(f"   score (10 files)                     {base * 1000:7.1f} ms   1.0x")
    print(f"   agree (10 files, 1,000 resamples)    {ours * 1000:7.1f} ms  {ours / base:4.1f}x"
          "   (target <= 3x)")


# --- 8. the robust ranking ---------------------------------------------------------------

def bench_ranking(samples: int, repeats: int) -> None:
    """``robust_ranking`` of 300 municipalities against argsort ranking the same totals.

    The baseline is handed the sampled totals (drawn the same way, untimed) and
    ranks each sample with two argsorts; the robust ranking draws the weights
    and open points, ranks with ties shared, and keeps a rank histogram.
    Peak memory (tracemalloc, which sees numpy's buffers) at ten times the
    samples shows that the samples are never all held at once.
    """
    import tracemalloc
    from fractions import Fraction

    try:
        import numpy as np

        from kompass_core import RankContest, robust_ranking
        from kompass_core.ranking.robust import draw_shares
    except ImportError:
        print("8. robust ranking: not measured: no analysis extra (numpy, SALib)"
              "   (target <= 1.5x)")
        return
    rng = np.random.default_rng(0)
    lows = rng.integers(0, 90, size=(300, 8))
    highs = lows + np.where(np.arange(300)[:, None] < 30, rng.integers(0, 10, (300, 8)), 0)
    contest = RankContest.build([str(i) for i in range(300)], [str(k) for k in range(1, 9)],
                                lows.tolist(), highs.tolist(), [100] * 8,
                                [[Fraction(1, 8)] * 8])
    middle = (lows + highs) / 2 * 1.0
    totals = draw_shares(contest, rng, samples, 100.0) @ middle.T

    def baseline() -> None:
        np.argsort(np.argsort(-totals, axis=1), axis=1)

    def ours() -> None:
        robust_ranking(contest, samples, 1)

    runs = [(best_of(baseline, 1), best_of(ours, 1)) for _ in range(repeats)]
    base, took = (min(times) for times in zip(*runs, strict=True))
    print(f"8. robust ranking of 300 municipalities x {samples:,} samples (8 areas, 30 partial)")
    print(f"   argsort ranking of the same totals   {base * 1000:7.1f} ms   1.0x")
    print(f"   robust_ranking (bounds, percentiles) {took * 1000:7.1f} ms  {took / base:4.1f}x"
          "   (target <= 1.5x)")
    peaks = []
    for count in (samples, samples * 10):
        tracemalloc.start()
        robust_ranking(contest, count, 1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    print(f"   peak memory, {samples * 10:,} vs {samples:,} samples: {peaks[0] / 2**20:.1f} and "
          f"{peaks[1] / 2**20:.1f} MiB, {peaks[1] / peaks[0]:4.2f}x   (target: flat, about 1x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller inputs")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print(f"kompass benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"(best of {repeats} runs each)\n")
    bench_startup(repeats)
    print()
    bench_scoring(1_000 if args.quick else 10_000, max(3, repeats // 2))
    print()
    bench_migration(1_000 if args.quick else 10_000, max(3, repeats // 2))
    print()
    bench_store(1_000 if args.quick else 10_000, max(3, repeats // 2))
    print()
    bench_store_postgres(1_000 if args.quick else 10_000, max(3, repeats // 2))
    print()
    bench_folder(300 if args.quick else 10_000)  # quick: the test that keeps the script working
    print()
    bench_pdf(1 if args.quick else max(3, repeats // 2))
    print()
    bench_agree(max(3, repeats // 2))
    print()
    bench_ranking(1_000 if args.quick else 10_000, max(3, repeats // 2))
    print()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from service import bench_service  # the service extra: Starlette, uvicorn

    bench_service(2.0 if args.quick else 5.0)


if __name__ == "__main__":
    main()
