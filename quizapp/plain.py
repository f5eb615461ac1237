"""Plain records: equality, hash and repr by field for the small slotted classes a
review's first card builds, which would otherwise be dataclasses.

A dataclass compiles its ``__init__``, ``__eq__``, ``__repr__``, ... (``exec``) when its
class is built: ~4 M instructions each on CPython 3.11, some 6 % of the instructions to
a review's first card for the twenty it built (issue 16). A class here writes its own
``__init__`` (the arguments, defaults and frozenness a dataclass would give it) and
takes the rest from these bases, read off its own ``__slots__`` (its fields, in order;
no field is inherited).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, Self

__all__ = ["Frozen", "Plain"]


class Plain:
    """A mutable record: ``==`` and ``repr`` by field, unhashable (as a dataclass)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"


class Frozen(Plain):
    """An immutable record: hashable by field; fields are set in ``__init__`` with
    ``object.__setattr__``, never after (:class:`dataclasses.FrozenInstanceError`)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes``, made by ``__init__`` (as :func:`dataclasses.replace`)."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field(s) {', '.join(unknown)}")
        return type(self)(**{name: getattr(self, name) for name in self.__slots__} | changes)
