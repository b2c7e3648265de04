"""Who kompass is installed as: its distribution, its entry-point group, its version.

Apart from the registry so that ``kompass --version`` loads neither pluggy nor
a plugin, and so that importlib.metadata (about 30 ms) is imported only when
a version is asked for, never on the scoring path.
"""

from __future__ import annotations

ENTRY_POINT_GROUP = "kompass"
DISTRIBUTION = "kommunkompass"
"""The name kompass is installed under (``kompass`` and ``kompass-core`` on the index are
unrelated projects)."""


def version() -> str | None:
    """The installed version of kompass, or None when it runs from an uninstalled tree."""
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:
        return None


def normalise(dist: str) -> str:
    """A distribution's name as the index compares it (``Kommun_Kompass`` is ``kommun-kompass``)."""
    return dist.lower().replace("_", "-").replace(".", "-")
