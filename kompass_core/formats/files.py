"""Writing files atomically: a reader sees the old file or the new one, never half.

A regular file is replaced by a rename, so the rename must land on the
file the user meant: a symlink is followed to its target, and a device,
FIFO or the like is written in place (renaming over ``/dev/null`` would
replace it). The new file gets the mode the user would get from the shell:
a replaced file keeps its own, a new one follows the umask.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kompass_core.model.errors import InputError, Problem


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A symlink's target is replaced, not the link; anything but a regular
    file (``/dev/null``, a FIFO, a terminal) is written directly, never
    replaced; a socket is refused.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        found: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        found = None  # a new file, or a symlink to one yet to be made
    except OSError as exc:
        raise _cannot(path, exc) from None
    if found is not None and stat.S_ISSOCK(found.st_mode):
        raise InputError(Problem("is a socket, not a file to write", file=str(path)))
    if found is not None and not stat.S_ISREG(found.st_mode) \
            and not stat.S_ISDIR(found.st_mode):
        _write_in_place(path, raw)
    else:
        _replace(Path(os.path.realpath(path)), raw, found, path)


def _write_in_place(path: str | Path, raw: bytes) -> None:
    """Write to a device or FIFO as the shell's ``>`` would (no truncation needed)."""
    try:
        fd = os.open(path, os.O_WRONLY)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
    except OSError as exc:
        raise _cannot(path, exc) from None


def _replace(target: Path, raw: bytes, found: os.stat_result | None, shown: str | Path
             ) -> None:
    """Write a temporary file beside ``target``, then rename it over ``target``.

    The temporary file is created with mode 0666 so that the kernel applies
    the umask (and a folder's default ACL), as for any new file; a file
    that existed gets its old mode back.
    """
    tmp = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _cannot(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if found is not None and stat.S_ISREG(found.st_mode):
                os.fchmod(fh.fileno(), stat.S_IMODE(found.st_mode))
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot(shown, exc) from None
        raise


def _cannot(path: str | Path, exc: OSError) -> InputError:
    return InputError(Problem(f"cannot write: {exc.strerror or exc}", file=str(path)))
