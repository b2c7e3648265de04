"""Errors users see: one line each, naming file, line and key path.

Every reader and check raises :class:`KompassError` (or its subclass
:class:`InputError` for several problems at once) and nothing else, so the
command line can turn any failure into one-line messages and exit code 2
without ever printing a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs


def _as_tuple(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(keys)


@attrs.frozen
class Problem:
    """One thing wrong with one input, located as precisely as we know."""

    message: str
    file: str | None = None
    line: int | None = None
    keys: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple)

    @property
    def path(self) -> str:
        """The key path as users write it: ``areas.3.subareas.3.2``."""
        return ".".join(self.keys)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        key = f"{self.path}: " if self.path else ""
        return f"{where}{key}{self.message}"

    def located(self, file: str | None, line: int | None = None) -> Problem:
        """The same problem, placed in a file (keeps a more precise place)."""
        return attrs.evolve(
            self,
            file=self.file if self.file is not None else file,
            line=self.line if self.line is not None else line,
        )


class KompassError(Exception):
    """Base of every error kompass raises on purpose.

    ``problems`` holds one or more located :class:`Problem`; ``str(err)`` is
    one line per problem.
    """

    def __init__(self, problems: Problem | Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(KompassError):
    """A file, string or argument that is not valid input."""


class PluginError(KompassError):
    """A plugin that failed to load or returned something invalid."""
