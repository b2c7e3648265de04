"""A read-only dict: what frozen models hold, so that they are values.

A ``dict`` subclass rather than :class:`types.MappingProxyType`: lookups
stay C-speed (the scoring fast path picks points with
:func:`operator.itemgetter`), it hashes (so models hash), and it pickles,
copies and serialises as a dict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def _read_only(self: object, *_args: object, **_kwargs: object) -> NoReturn:
    raise TypeError(f"{type(self).__name__} is read-only; build a new one instead")


class FrozenDict(dict[K, V]):
    """A dict whose mutators raise TypeError; hashable when its values are."""

    __slots__ = ()

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # the default would rebuild it item by item through __setitem__
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict[K, V]:
        return self

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    @classmethod
    def fromkeys(cls, keys: Iterable[Any], value: Any = None) -> FrozenDict[Any, Any]:
        return cls(dict.fromkeys(keys, value))


def freeze(value: Any) -> FrozenDict[Any, Any]:
    """``value`` (a mapping or pairs) as a FrozenDict; one already frozen is kept as is."""
    return value if type(value) is FrozenDict else FrozenDict(value)
