"""The name rules' evidence about spellings, kept from one check to the next while what it read is the same.

``gather`` (resolve/name_evidence.py) reads the first uses of each spelling in the text of the
whole project (a main character's evidence is complete after its first 150 uses) and asks
whether the words beside them are names. After a keystroke in a chapter, the evidence of a
spelling whose first uses all come before that chapter is what it was: the text up to there
is the same, and so are the answers about the names beside them. Such evidence is handed back
as it was; every other spelling's is gathered again. Each spelling's uses are its own: a
spelling's match never hides another's (spellings are whole words of letters), so spellings
gathered apart give what they give together, those that share a form in capitals gathered
together all the same.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit import parallel
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.name_evidence import Uses, gather

# How far past its last use a spelling's evidence may read (gather's windows reach 60
# characters past a use): ample, so that a wider window there stays covered.
_READS_PAST = 1000
# Evidence not asked for is kept this many rounds (a name typed, then taken out again), each
# holding the text it was gathered from.
_ROUNDS = 4


class _Asked(set[str]):
    """The names, answering ``in`` and writing down each answer."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(names)
        self.answers: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        found = super().__contains__(word)
        if isinstance(word, str):
            self.answers[word] = found
        return found


@dataclass(frozen=True)
class _Evidence:
    text: str  # the text it was gathered from
    reach: int  # how much of it the evidence depends on (len(text): all of it)
    language: str
    answers: dict[str, bool]  # what the names said when asked
    uses: dict[str, Uses]

    def holds(self, text: str, names: set[str], language: str) -> bool:
        if language != self.language or any((word in names) != answer for word, answer in self.answers.items()):
            return False
        if self.reach >= len(self.text):
            return text == self.text
        return len(text) >= self.reach and text[: self.reach] == self.text[: self.reach]


def gathered(
    text: str, spellings: Sequence[str], names: set[str], language: str, memo: PartMemo | None = None
) -> dict[str, Uses]:
    """What ``gather`` gives, the evidence of spellings whose text did not change taken from ``memo``."""
    if memo is None:
        return gather(text, spellings, names, language)
    kept: dict[tuple[str, ...], tuple[int, _Evidence]] = memo.carried.get("evidence", {})
    now = max((last for last, _ in kept.values()), default=0) + 1
    keep = {key: (last, evidence) for key, (last, evidence) in kept.items() if last > now - _ROUNDS}
    units: dict[str, list[str]] = {}
    for spelling in spellings:
        units.setdefault(spelling.upper(), []).append(spelling)
    held: dict[tuple[str, ...], _Evidence] = {}
    stale: list[tuple[str, ...]] = []
    for unit in units.values():
        key = tuple(unit)
        evidence = kept[key][1] if key in kept else None
        if evidence is None or not evidence.holds(text, names, language):
            stale.append(key)
        else:
            held[key] = evidence
    if stale:
        # Every spelling gathered again in one scan of the text (a scan per spelling read a
        # million-word text hundreds of times). Each unit keeps every answer the scan asked
        # for, its own and the others': more than it needs, so it is gathered again whenever
        # it would have been, and sometimes more often (with the others, in that same one scan).
        uses, complete, answers = _gathered_together(text, stale, names, language)
        for key in stale:
            ends = [complete[spelling] + _READS_PAST if spelling in complete else len(text) for spelling in key]
            own = {spelling: uses[spelling] for spelling in key}
            held[key] = _Evidence(text, min(max(ends), len(text)), language, answers, own)
    found: dict[str, Uses] = {}
    for unit in units.values():
        key = tuple(unit)
        evidence = held[key]
        keep[key] = (now, evidence)
        found.update({spelling: _copied(uses) for spelling, uses in evidence.uses.items()})
    memo.carried["evidence"] = keep
    return found


_Gathered = tuple[dict[str, Uses], dict[str, int], dict[str, bool]]  # uses, where complete, answers


def _gathered_together(text: str, units: list[tuple[str, ...]], names: set[str], language: str) -> _Gathered:
    """``gather`` of every spelling of ``units``, with where each one's evidence was complete and
    every answer the names gave. On a large text the units are shared out between two processes
    (toolkit/parallel.py), each scanning the whole text for its own: a spelling's uses are its own,
    so the halves give what one scan gives."""
    halves = [units[0::2], units[1::2]]
    if len(text) < parallel.CONCURRENT_CHARACTERS or not halves[1]:
        return _gathered_apart(text, units, names, language)
    done = parallel.each([functools.partial(_gathered_apart, text, half, names, language) for half in halves])
    uses, complete, answers = done[0]
    for more in done[1:]:
        uses.update(more[0])
        complete.update(more[1])
        answers.update(more[2])
    return uses, complete, answers


def _gathered_apart(text: str, units: list[tuple[str, ...]], names: set[str], language: str) -> _Gathered:
    asked = _Asked(names)
    complete: dict[str, int] = {}
    uses = gather(text, [spelling for unit in units for spelling in unit], asked, language, complete)
    return uses, complete, asked.answers


def _copied(uses: Uses) -> Uses:
    """A copy the judge may add to (it adds the bible's company), as ``copy.deepcopy`` makes it:
    sets of words copied as sets, numbers and flags as they are, anything else deep-copied.
    (``copy.deepcopy`` of every spelling's evidence took a tenth of a second on a 1M-word book.)"""
    made = copy.copy(uses)
    for name, value in vars(uses).items():
        if isinstance(value, set) and all(type(item) is str for item in value):
            setattr(made, name, set(value))
        elif not isinstance(value, int | float | str | type(None)):
            setattr(made, name, copy.deepcopy(value))
    return made
