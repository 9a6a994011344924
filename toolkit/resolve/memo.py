"""Results worked out from parts of the model (a chapter, a scene's elements), kept while the parts live on.

A language server checks the project again after every keystroke, and every chapter and scene
but one is the very same object as before (toolkit.pipeline.Session keeps each file's parse):
what was worked out from them need not be worked out again. A result is kept under the
identities of the parts it was made from (and any plain values it depends on); the memo holds
the parts themselves, so that no other object can take their place under the same identity.
Parts are frozen: a changed file is a new parse, new objects, a miss.
"""

from __future__ import annotations

import array
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def _key(kind: str, parts: Sequence[object], extra: Hashable) -> tuple[Any, ...]:
    """The identities of ``parts`` as machine integers in one bytes object, not a tuple of int
    objects: a scene's words are kept under each of its elements' identities, a whole script's
    elements in all (over 40 bytes an element as a tuple of ints: 8 MB of a 5 MB script's
    check; issue 16)."""
    return (kind, extra, array.array("Q", map(id, parts)).tobytes())


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
        key = _key(kind, parts, extra)
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
        self._used[_key(kind, parts, extra)] = (tuple(parts), value)

    def peek(self, kind: str, parts: Sequence[object], extra: Hashable = ()) -> Any:
        """What ``get`` would hand back without working it out, or None; the round's use of it
        is not counted (another rule's result looked at, not used)."""
        key = _key(kind, parts, extra)
        entry = self._used.get(key) or self._kept.get(key)
        return None if entry is None else entry[1]

    def holds(self, kind: str, parts: Sequence[object], extra: Hashable = ()) -> bool:
        """Whether ``get`` would hand back what it gave before, without working it out."""
        key = _key(kind, parts, extra)
        return key in self._used or key in self._kept

    def turn(self) -> None:
        """Start a new round: what the round before did not ask for is let go."""
        self._kept, self._used = self._used, {}
