"""The rows a report's reference is taken from in a results store, for every shell.

``kompass report`` and ``POST /report`` both read the store's rows of the
rule set, the names the evaluated municipality's own results go by (the
same code under another spelling), and a peer group's members; the
reference is then chosen by :func:`kompass_core.select_reference`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from kompass_core.formats.results import Row
from kompass_core.model.evaluation import Municipality
from kompass_core.model.ruleset import RuleSet
from kompass_core.registry.registry import Registry
from kompass_core.report.reference import Origin
from kompass_core.store.database import Store

Peers = tuple[tuple[str, str], set[str]]
"""A peer group: (its name, its scheme ``name@version``) and its member codes."""


def store_name(store: Path | str) -> str:
    """The store as a report names it: its file's name, or a server's database (not its URL,
    which may carry a password)."""
    if isinstance(store, Path):
        return store.name
    return f"{urlsplit(store).path.strip('/') or 'default'} (PostgreSQL)"


def stored_reference(registry: Registry, path: Path | str, ruleset: RuleSet,
                     evaluated: Municipality, group: str | None = None
                     ) -> tuple[list[Row], Origin, set[str], Peers | None]:
    """The store's rows of ``ruleset``, where they come from, the other names ``evaluated``'s
    results are stored under (by code), and the peer ``group`` when one is named."""
    with Store.open(path, registry) as store:
        rows = store.reference_rows(ruleset.ref)
        code = evaluated.code
        own = {s.municipality.name for s in store.entries(ruleset.ref)
               if code and s.municipality.code == code}  # the same code: the same one
        peers = None
        if group is not None:
            scheme, name, codes = store.group(group)
            peers = ((name, scheme.ref), codes)
        where = store.path
    return rows, Origin("store", store_name(where)), own, peers
