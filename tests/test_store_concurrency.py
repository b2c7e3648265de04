"""Several processes at one store, on SQLite and on PostgreSQL: importers and readers.

Importers of the same content at once store it once and none fails; a reader
during an import sees the store before it or after it, never half of it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kompass_core import Store
from kompass_core.formats.results import COLUMNS
from tests.conftest import ROOT


def _csv(path: Path, first: int, count: int) -> str:
    """A results CSV of ``count`` area-level evaluations, numbered from ``first``."""
    lines = [",".join(COLUMNS)]
    for i in range(first, first + count):
        areas = [(i * 7 + k * 13) % 101 for k in range(8)]
        lines.append(f"kk-se@2020,evaluation,SE,Kommun {i},{2000 + i % 20},"
                     f"{','.join(map(str, areas))},{sum(areas)},https://example.org/{i},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _importer(store: str, csv: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "kompass_core.cli", "db", "import", csv,
                             "--db", store], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def test_importers_at_once_store_each_result_once(store_url: str, tmp_path: Path) -> None:
    same = _csv(tmp_path / "same.csv", 0, 150)
    other = _csv(tmp_path / "other.csv", 100, 150)  # overlaps the first by 50
    procs = [_importer(store_url, f) for f in (same, same, other, same, other)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read())  # type: ignore[union-attr]
               for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert ": " in out and "stored" in out
    stored = sum(int(out.split(": ")[1].split(" stored")[0]) for _, out, _ in results)
    assert stored == 250  # each new result counted by the one importer that stored it
    created = [err for *_, err in results if "created the results store" in err]
    assert len(created) == 1  # one process made (and seeded) the store
    with Store.open(store_url, seed=False) as s:
        entries = s.entries()
        assert len(entries) == 31 + 250
        assert len({e.id for e in entries}) == len(entries)


def test_a_reader_during_an_import_sees_all_before_or_all_after(store_url: str,
                                                                 tmp_path: Path) -> None:
    with Store.open(store_url) as s:
        before = len(s.entries())
    big = _csv(tmp_path / "big.csv", 0, 1500)
    proc = _importer(store_url, big)
    seen = set()
    with Store.open(store_url) as s:
        while proc.poll() is None:
            entries = s.entries()
            assert all(e.scores for e in entries)  # no evaluation without its scores
            seen.add(len(entries))
        seen.add(len(s.entries()))
    assert proc.returncode == 0, proc.stderr.read()  # type: ignore[union-attr]
    assert seen <= {before, before + 1500} and before + 1500 in seen
