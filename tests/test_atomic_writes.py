"""Files kompass writes are complete or not there: a process killed mid-write
leaves the old file as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

WRITER = """
import os, sys, time
from kompass_core.formats import files

real_fsync = os.fsync

def slow_fsync(fd):
    print("writing", flush=True)   # the data is in the temporary file, not yet renamed
    time.sleep(60)
    real_fsync(fd)

os.fsync = slow_fsync
files.write_atomic(sys.argv[1], "new " * 200_000)
"""


@pytest.mark.parametrize("existing", [True, False])
def test_killed_mid_write_leaves_the_old_file(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "report.html"
    if existing:
        target.write_text("old report")
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if existing:
        assert target.read_text() == "old report"
    else:
        assert not target.exists()


def test_every_writing_command_goes_through_write_atomic() -> None:
    """No module but files.py opens a file for writing (reports, exports, templates,
    scaffolds and schemas all call write_atomic)."""
    import re

    root = Path(__file__).resolve().parent.parent / "kompass_core"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "files.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"open\([^)]*[\"'][wa]b?[\"']|\.write_(text|bytes)\(", text):
            offenders.append(path.name)
    assert offenders == []


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """The rename fails onto a folder: the temporary file beside it is removed again."""
    from kompass_core import InputError
    from kompass_core.formats.files import write_atomic

    (tmp_path / "out").mkdir()
    with pytest.raises(InputError, match="cannot write: Is a directory"):
        write_atomic(tmp_path / "out", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
