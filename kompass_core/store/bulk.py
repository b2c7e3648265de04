"""Pausing Python's cyclic garbage collector while the store builds many small objects.

Kept apart because imports and queries both need it, and the reason is a
measurement (benchmarks/run.py), not a part of either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk imports and queries make tens of thousands of acyclic objects
    (freed by reference counting anyway); the collector's repeated passes
    over them cost up to a tenth of an import of 10,000 evaluations and a
    fifth of averaging them (benchmarks/run.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
