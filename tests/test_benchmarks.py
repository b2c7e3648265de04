"""The benchmark script keeps working (its figures are read by people, not asserted)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_benchmarks_run_and_print_ratios() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert "kompass score (one file)" in proc.stdout
    assert "kompass_core.score_with" in proc.stdout
    assert "db import (read, score, store)" in proc.stdout
    assert "4b. the results store on PostgreSQL" in proc.stdout
    if os.environ.get("CI"):  # .ci/run installs the server: the import into it is measured
        assert "plain psycopg COPY, same rows" in proc.stdout
    # 7 targets (the robust ranking added the seventh), and the import into PostgreSQL
    assert proc.stdout.count("(target <=") == 7 + ("plain psycopg COPY" in proc.stdout)
    assert "report --format pdf" in proc.stdout
    assert "agree (10 files, 1,000 resamples)" in proc.stdout
    assert "(target: flat, about 1x)" in proc.stdout
    assert "robust_ranking (bounds, percentiles)" in proc.stdout
    assert proc.stdout.count("(target: flat, about 1x)") == 3
    assert "POST /score (the bundled example)" in proc.stdout
    assert proc.stdout.count("(target >= 0.5x)") == 1
