"""The story's day markers as streams in reading order, each mark flagged when it is a flashback.

Prose and screenplay are two streams: each keeps its own "year so far" and its own order, so a
screenplay that retells a chapter never contradicts it. A mark is a flashback when its chapter
has ``flashback: true`` in its front matter, or, in the screenplay, when a ``[[flashback]]``
note follows the mark before the next one. This module is the only place that decides it: the
calendar and the date rules both read these streams.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toolkit.model import DayMark, Note, Project, Section, Synopsis


@dataclass(frozen=True)
class StreamMark:
    mark: DayMark
    flashback: bool


@dataclass(frozen=True)
class MarkStream:
    """One stream of day markers in reading order."""

    name: Literal["prose", "screenplay"]
    marks: tuple[StreamMark, ...]


def mark_streams(project: Project) -> tuple[MarkStream, ...]:
    """The prose stream, then the screenplay stream; a stream with no marks is left out."""
    prose = tuple(
        StreamMark(passage.mark, chapter.front.flashback)
        for chapter in project.chapters
        for passage in chapter.passages
        if passage.mark is not None
    )
    script: list[DayMark] = []
    flashbacks: set[int] = set()  # indexes in ``script`` of marks with a [[flashback]] note under them
    for element in project.screenplay.elements if project.screenplay else ():
        if isinstance(element, Section | Synopsis) and element.mark is not None:
            script.append(element.mark)
        elif _is_flashback_note(element) and script:
            flashbacks.add(len(script) - 1)
    screenplay = tuple(StreamMark(mark, index in flashbacks) for index, mark in enumerate(script))
    streams = (MarkStream("prose", prose), MarkStream("screenplay", screenplay))
    return tuple(stream for stream in streams if stream.marks)


def _is_flashback_note(element: object) -> bool:
    return isinstance(element, Note) and element.text.strip().lower().rstrip(".:") == "flashback"
