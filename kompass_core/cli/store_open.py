"""Opening the results store for a ``kompass db`` command, saying when it is new.

Shared by the store's commands and queries: a store is created (and seeded)
on first use, and the user is told where and with what.
"""

from __future__ import annotations

import sys

from kompass_core import Registry, Store, default_store_path


def open_store(path: str | None, registry: Registry | None = None) -> Store:
    """Open the store at ``path`` (default: :func:`kompass_core.default_store_path`), saying
    so if it is new."""
    store = Store.open(path or default_store_path(), registry)
    if store.created:
        what = f" with {store.seeded} published result(s) bundled with kompass" \
            if store.seeded else ""
        skipped = f" ({store.skipped} row(s) without a known rule set left out)" \
            if store.skipped else ""
        print(f"kompass: created the results store {store.path}{what}{skipped}", file=sys.stderr)
    return store
