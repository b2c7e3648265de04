"""``-o FILE`` for every command that has it: the format its suffix names, and
never an input file overwritten (``kompass report x.toml -o x.toml``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from kompass_core import InputError, Problem, write_atomic


def output_format(given: str | None, output: str | None, suffixes: Mapping[str, str],
                  default: str) -> str:
    """``--format`` if given, else the format ``-o``'s suffix names, else ``default``."""
    if given:
        return given
    if output:
        return suffixes.get(Path(output).suffix.lower(), default)
    return default


def write_output(output: str, data: str | bytes, inputs: Iterable[str | None] = ()) -> None:
    """Write ``-o`` atomically, refusing a file the command reads (same file, any name)."""
    for source in inputs:
        if source and source != "-" and _same(output, source):
            raise InputError(Problem(f"is an input of this command ({source}); -o would "
                                     "overwrite it: name another output file", file=output))
    write_atomic(output, data)


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): not the same file
        return False
