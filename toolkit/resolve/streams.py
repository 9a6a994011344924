"""The story's day markers as streams in reading order, each mark flagged when it is a flashback.

Prose and screenplay are separate streams: each keeps its own order, so a screenplay that
retells a chapter never contradicts it. Within the prose, a narrator or a document opens a
stream of its own, so that two narrators may tell the same days (a letter-and-diary novel):

- a title line the parser recognised ("Dr. Seward’s Diary", "Letter, Lucy Westenra to Mina
  Murray": ``Block.document``) opens that narrator's or writer's stream, to the next title or
  the end of the chapter; a title inside a block quote opens it for that quotation only;
- front matter ``stream: NAME`` puts a chapter's marks in stream NAME;
- a note ``<!-- fabula: stream NAME -->`` switches to stream NAME from its paragraph on, to
  the end of the chapter (``<!-- fabula: stream -->`` alone goes back to the chapter's own).

Each stream is ordered on its own (D101) and years are worked out per stream; the outline
interleaves all of them by date. A year heading (``# 1903``, ``## Spring 1916``) or front matter
``year`` gives its year to the year-less dates under it, in every stream.

A mark is a flashback when its chapter has ``flashback: true`` in its front matter, or, in the
screenplay, when a ``[[flashback]]`` note follows the mark before the next one. This module is
the only place that decides it: the calendar and the date rules both read these streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from toolkit.model import Block, BlockKind, Chapter, DayMark, Note, Project, Section, Synopsis

PROSE = "prose"
SCREENPLAY = "screenplay"
_STREAM_NOTE = re.compile(r"\s*fabula:\s*stream\b(?P<name>.*)", re.IGNORECASE | re.DOTALL)
YearSource = Literal["heading", "front-matter"]


@dataclass(frozen=True)
class StreamMark:
    mark: DayMark
    flashback: bool
    year: int | None = None  # the year a heading or front matter gives the dates under it
    year_from: YearSource | None = None


@dataclass(frozen=True)
class MarkStream:
    """One stream of day markers in reading order."""

    name: str  # "prose", "screenplay", or a narrator or document: "journal: Dr. Seward"
    marks: tuple[StreamMark, ...]

    @property
    def kind(self) -> Literal["prose", "screenplay"]:
        return "screenplay" if self.name == SCREENPLAY else "prose"


def mark_streams(project: Project) -> tuple[MarkStream, ...]:
    """The prose streams (the main one first, the others as they first appear), then the
    screenplay stream; a stream with no marks is left out."""
    streams = [MarkStream(name, tuple(marks)) for name, marks in _prose(project).items()]
    streams.append(MarkStream(SCREENPLAY, _screenplay(project)))
    return tuple(stream for stream in streams if stream.marks)


@dataclass
class _Reading:
    """Where the reader is: the stream in force and the year a heading gives."""

    streams: dict[str, list[StreamMark]]
    year: int | None = None
    year_level: int = 0

    def heading(self, block: Block) -> None:
        if block.year is not None:
            self.year, self.year_level = block.year, block.level
        elif block.level <= self.year_level:  # a new part or chapter with no year of its own
            self.year, self.year_level = None, 0


def _prose(project: Project) -> dict[str, list[StreamMark]]:
    reading = _Reading({PROSE: []})
    for chapter in project.chapters:
        if chapter.heading is not None:
            reading.heading(chapter.heading)
        _chapter(chapter, reading)
    return reading.streams


def _chapter(chapter: Chapter, reading: _Reading) -> None:
    own = chapter.front.stream or PROSE
    stream, quoted_from = own, None  # quoted_from: the stream to go back to when a quotation ends

    def emit(mark: DayMark) -> None:
        source: YearSource = "front-matter" if chapter.front.year else "heading"
        year = chapter.front.year or reading.year
        item = StreamMark(mark, chapter.front.flashback, year, source if year is not None else None)
        reading.streams.setdefault(stream, []).append(item)

    for passage in chapter.passages:
        mark, blocks = passage.mark, passage.blocks
        in_block = mark is not None and mark.kind == "inline" and bool(blocks) and _holds(blocks[0], mark)
        if mark is not None and not in_block:
            emit(mark)  # a chapter heading's or front matter's mark comes before the blocks
        for index, block in enumerate(blocks):
            if quoted_from is not None and block.kind is not BlockKind.QUOTE and block.kind is not BlockKind.COMMENT:
                stream, quoted_from = quoted_from, None
            if block.kind is BlockKind.HEADING:
                reading.heading(block)
            for comment in block.comments:
                note = _STREAM_NOTE.match(comment.text)
                if note is not None:
                    stream, quoted_from = note["name"].strip() or own, None
            if block.document is not None:
                if block.kind is BlockKind.QUOTE and quoted_from is None:
                    quoted_from = stream
                stream = block.document
            if index == 0 and in_block and mark is not None:
                emit(mark)


def _holds(block: Block, mark: DayMark) -> bool:
    return block.span.path == mark.span.path and block.span.line <= mark.span.line <= max(
        block.last_line, block.span.line
    )


def _screenplay(project: Project) -> tuple[StreamMark, ...]:
    script: list[DayMark] = []
    flashbacks: set[int] = set()  # indexes in ``script`` of marks with a [[flashback]] note under them
    for element in project.screenplay.elements if project.screenplay else ():
        if isinstance(element, Section | Synopsis) and element.mark is not None:
            script.append(element.mark)
        elif _is_flashback_note(element) and script:
            flashbacks.add(len(script) - 1)
    return tuple(StreamMark(mark, index in flashbacks) for index, mark in enumerate(script))


def _is_flashback_note(element: object) -> bool:
    return isinstance(element, Note) and element.text.strip().lower().rstrip(".:") == "flashback"
