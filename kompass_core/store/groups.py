"""Peer groups: versioned group schemes and their memberships, kept in the store.

"Compare with municipalities like us" needs groups of municipalities. A
group scheme (name, version, source, its group names) is data, and so is
who belongs where: memberships come from a CSV of municipality codes, as
published by whoever made the scheme, and are never guessed. kompass ships
no scheme (see docs/formats.md, Peer groups: none has a source in the
project's domain notes yet). A municipality is in a group by its code;
a stored result without a code belongs to none.
"""

from __future__ import annotations

import csv
import io
import unicodedata

import attrs

from kompass_core.model.errors import InputError, Problem
from kompass_core.store.postgres import Connection

COLUMNS = ("code", "group")
"""The memberships CSV's columns, in its header (others are ignored)."""
SINCE = 4
"""The store schema version that added the group tables."""


@attrs.frozen
class GroupScheme:
    """A versioned way of grouping municipalities, with its source and group names."""

    name: str
    version: str
    source: str
    groups: tuple[str, ...]

    @property
    def ref(self) -> str:
        """``name@version``, as ``--group`` takes it."""
        return f"{self.name}@{self.version}"


def read_memberships(text: str, file: str) -> dict[str, str]:
    """Municipality code -> group name from a memberships CSV (``code,group``).

    Codes and names are trimmed, names in NFC; a code given twice with
    different groups, a blank cell or a missing column is an error naming
    the file and line.
    """
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(Problem(f"the header lacks column(s) {', '.join(missing)} (expected "
                                 f"{','.join(COLUMNS)})", file=file, line=1))
    at = [header.index(c) for c in COLUMNS]
    out: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[i].strip() if i < len(row) else "" for i in at]
        code, group = cells[0], unicodedata.normalize("NFC", cells[1])
        if not code or not group:
            problems.append(Problem("a code and a group are both needed", file=file, line=line,
                                    keys=(COLUMNS[0] if not code else COLUMNS[1],)))
        elif out.get(code, group) != group:
            problems.append(Problem(f"code {code} is in {out[code]!r} already, not also "
                                    f"{group!r}", file=file, line=line, keys=("code",)))
        else:
            out[code] = group
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError(Problem("holds no memberships", file=file))
    return out


def save(db: Connection, scheme: GroupScheme, members: dict[str, str]) -> None:
    """Store ``scheme`` with ``members`` (inside the caller's transaction), replacing both."""
    db.execute("DELETE FROM group_members WHERE scheme = ? AND version = ?",
               (scheme.name, scheme.version))
    db.execute("INSERT INTO group_schemes (name, version, source, groups) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (name, version) DO UPDATE SET source = excluded.source, "
               "groups = excluded.groups", (scheme.name, scheme.version, scheme.source,
                                       "\n".join(scheme.groups)))
    db.executemany("INSERT INTO group_members (scheme, version, code, name) VALUES (?, ?, ?, ?)",
                   [(scheme.name, scheme.version, code, group)
                    for code, group in sorted(members.items())])


def schemes(db: Connection) -> list[tuple[GroupScheme, dict[str, int]]]:
    """Every stored scheme with how many municipalities each of its groups has."""
    out = []
    for name, version, source, groups in db.execute(
            "SELECT name, version, source, groups FROM group_schemes ORDER BY name, version"):
        counts = dict(db.execute("SELECT name, count(*) FROM group_members WHERE scheme = ? "
                                 "AND version = ? GROUP BY name", (name, version)).fetchall())
        names = tuple(groups.split("\n")) if groups else ()
        out.append((GroupScheme(name, version, source, names),
                    {g: counts.get(g, 0) for g in names}))
    return out


def find(db: Connection, wanted: str, file: str) -> tuple[GroupScheme, str, set[str]]:
    """The group ``[SCHEME[@VERSION]:]NAME``: its scheme, name and member codes.

    A bare name must be one group of one stored scheme version; otherwise
    the error lists the ones it could mean.
    """
    scheme_part, _, name = wanted.rpartition(":")
    name = unicodedata.normalize("NFC", name.strip())
    hits = [(s, g) for s, _ in schemes(db) for g in s.groups
            if g.casefold() == name.casefold()
            and (not scheme_part or scheme_part in (s.name, s.ref))]
    if len(hits) != 1:
        known = [f"{s.ref}:{g}" for s, _ in schemes(db) for g in s.groups]
        what = "matches several groups" if hits else "is no stored group"
        shown = [f"{s.ref}:{g}" for s, g in hits] if hits else known
        raise InputError(Problem(f"{wanted!r} {what} (" + (
            ", ".join(shown[:12]) if shown else "none stored: `kompass db groups import`")
            + ")", file=file, keys=("--group",)))
    scheme, group = hits[0]
    codes = {c for (c,) in db.execute("SELECT code FROM group_members WHERE scheme = ? AND "
                                      "version = ? AND name = ?",
                                      (scheme.name, scheme.version, group))}
    return scheme, group, codes

