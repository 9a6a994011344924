"""Every chapter passage and screenplay scene on its story day, and the order of story days.

A chapter passage with no marker of its own is undated (no carry-over from the chapter before:
the next chapter may be a flashback or another thread); a scene's mark is the one in force.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from toolkit.model import Action, DayMark, Placement, Project, ResolvedMark, Scene, StoryDay, Timeline, plain, speakers
from toolkit.resolve.calendar import StoryCalendar
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.streams import MarkStream
from toolkit.words import count_words


def build_timeline(
    project: Project, calendar: StoryCalendar, streams: Sequence[MarkStream], memo: PartMemo | None = None
) -> Timeline:
    """Every chapter passage, then every scene, in reading order, each on its story day
    (a scene's words counted once while its elements stay the same, with ``memo``)."""
    memo = memo if memo is not None else PartMemo()

    def day_of(mark: DayMark | None) -> StoryDay | None:
        return None if mark is None else calendar.resolve(mark)

    placements = []
    for chapter in project.chapters:
        day: StoryDay | None = None
        for passage in chapter.passages:
            # An aside (a date about another time) does not move the chapter: its passage stays
            # on the day before it.
            if passage.mark is None or passage.mark not in calendar.asides:
                day = day_of(passage.mark)
            placements.append(
                Placement(
                    span=passage.span,
                    kind="chapter",
                    title=chapter.title,
                    words=passage.words,
                    chapter=chapter,
                    passage=passage,
                    mark=passage.mark,
                    day=day,
                )
            )
    scenes = project.screenplay.scenes if project.screenplay else ()
    placements += [
        Placement(
            span=scene.span,
            kind="scene",
            title=scene.title,
            words=memo.get("scene words", scene.elements, functools.partial(scene_words, scene)),
            scene=scene,
            mark=scene.mark,
            day=day_of(scene.mark),
        )
        for scene in scenes
    ]
    marks = [ResolvedMark(item.mark, calendar.resolve(item.mark)) for stream in streams for item in stream.marks]
    return Timeline(
        day_one=calendar.day_one.to_date() if calendar.day_one else None,
        placements=tuple(placements),
        marks=tuple(marks),
    )


def scene_words(scene: Scene) -> int:
    """Words of action and dialogue (parentheticals included, cues not): what is read."""
    texts: list[str] = []
    for element in scene.elements:
        if isinstance(element, Action):
            texts.extend(plain(line) for line in element.lines)
        texts.extend(plain(line.text) for speaker in speakers(element) for line in speaker.lines)
    # Counted in one go: a line break between texts parts words as the ends of the texts do.
    return count_words("\n".join(texts))


def day_sort_key(day: StoryDay) -> tuple[int, int, tuple[int, int, int, int, int]]:
    """Story order: by DAY number when known, else by date; a year-less date sorts after dated
    ones, by its ``cycle`` (New Years passed) and then month and day."""
    date = day.date
    if date is None:
        date_key = (2, 0, 0, 0, 0)
    else:
        date_key = (int(date.year is None), date.year or 0, date.cycle, date.month, date.day)
    return (0, day.number, date_key) if day.number is not None else (1, 0, date_key)
