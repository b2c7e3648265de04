"""Finding the ``kompass`` entry points without importing ``importlib.metadata``.

``importlib.metadata`` costs about 30 ms to import (it pulls in the email
package) and scans every distribution's metadata; the command line starts
on every call, so we read only what plugin discovery needs: the
``entry_points.txt`` of each ``*.dist-info`` / ``*.egg-info`` folder on
``sys.path``, first distribution of a name wins, as importlib.metadata does.
"""

from __future__ import annotations

import importlib
import os
import re
import sys

import attrs

_DIST = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)\.(dist|egg)-info$")


@attrs.frozen
class EntryPoint:
    """One entry point of one installed distribution."""

    name: str
    value: str
    dist: str
    version: str

    def load(self) -> object:
        """Import the module (and attribute) the entry point names."""
        module, _, attr = self.value.partition(":")
        obj: object = importlib.import_module(module.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
        return obj


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of every distribution on ``sys.path``."""
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for entry in names:
            match = _DIST.match(entry)
            if not match:
                continue
            dist = match["name"].lower().replace("_", "-").replace(".", "-")
            if dist in seen:
                continue
            seen.add(dist)
            path = os.path.join(folder or ".", entry, "entry_points.txt")
            try:
                with open(path, encoding="utf-8") as file:
                    items = _section(file.read(), group)
            except (OSError, UnicodeDecodeError):
                continue
            found += [EntryPoint(name, value, match["name"], match["version"])
                      for name, value in items]
    return found


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` lines of section ``[group]`` of an ``entry_points.txt``.

    The format is a plain INI file (no continuation lines, ``#``/``;``
    comments), which is all importlib.metadata reads in it too.
    """
    items: list[tuple[str, str]] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line[0] == "[" and line[-1] == "]":
            inside = line[1:-1].strip() == group
        elif inside and "=" in line:
            name, _, value = line.partition("=")
            items.append((name.strip(), value.strip()))
    return items
