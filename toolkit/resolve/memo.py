"""Results worked out from parts of the model (a chapter, a scene's elements), kept while the parts live on.

A language server checks the project again after every keystroke, and every chapter and scene
but one is the very same object as before (toolkit.pipeline.Session keeps each file's parse):
what was worked out from them need not be worked out again. A result is kept under the
identities of the parts it was made from (and any plain values it depends on); the memo holds
the parts themselves, so that no other object can take their place under the same identity.
Parts are frozen: a changed file is a new parse, new objects, a miss.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class PartMemo:
    """What was worked out from which parts; ``turn`` lets go of what the last round did not use."""

    def __init__(self) -> None:
        self._kept: dict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = {}
        self._used: dict[tuple[Any, ...], tuple[tuple[object, ...], Any]] = {}
        # Results kept by rules that judge for themselves whether they still hold (the name
        # evidence: checks/evidence_memo.py), by kind; each keeps what its last round used.
        self.carried: dict[str, Any] = {}

    def get(self, kind: str, parts: Sequence[object], work: Callable[[], T], extra: Hashable = ()) -> T:
        """``work()``, or what it gave before for the same ``kind``, ``parts`` (by identity) and ``extra``."""
        key = (kind, extra, *map(id, parts))
        entry = self._used.get(key)
        if entry is None:
            entry = self._kept.get(key)
            if entry is None:
                entry = (tuple(parts), work())
            self._used[key] = entry
        value: T = entry[1]
        return value

    def put(self, kind: str, parts: Sequence[object], value: object, extra: Hashable = ()) -> None:
        """Keep ``value`` as what ``get`` of ``kind``, ``parts`` and ``extra`` works out (worked out
        elsewhere: name words counted where the file was parsed, toolkit/loader.py)."""
        self._used[(kind, extra, *map(id, parts))] = (tuple(parts), value)

    def peek(self, kind: str, parts: Sequence[object], extra: Hashable = ()) -> Any:
        """What ``get`` would hand back without working it out, or None; the round's use of it
        is not counted (another rule's result looked at, not used)."""
        key = (kind, extra, *map(id, parts))
        entry = self._used.get(key) or self._kept.get(key)
        return None if entry is None else entry[1]

    def holds(self, kind: str, parts: Sequence[object], extra: Hashable = ()) -> bool:
        """Whether ``get`` would hand back what it gave before, without working it out."""
        key = (kind, extra, *map(id, parts))
        return key in self._used or key in self._kept

    def turn(self) -> None:
        """Start a new round: what the round before did not ask for is let go."""
        self._kept, self._used = self._used, {}
