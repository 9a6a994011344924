"""Resolves the story's day markers into a calendar: years filled in, DAY numbers tied to dates.

Rules (chosen where the issue is silent):

- Prose and screenplay are two streams, each with its own "year so far". A year-less date takes
  the year so far, plus one when its month is earlier than the previous dated mark's (30 Dec,
  then 2 Jan). Year-less dates before a stream's first written year are counted back from it.
  A stream that never writes a year starts from the other stream's first year, else
  ``calendar.year``, else the year of ``calendar.day_one``; failing all, dates stay year-less,
  and each New Year passed (a month earlier than the one before) adds one to their ``cycle``,
  so that story order still runs from December into January.
- Marks in a ``flashback: true`` chapter keep their written year (or none) and neither move nor
  read the year so far: a flashback is elsewhere in time.
- Day one is ``calendar.day_one``, else inferred from the first mark in reading order with both
  a DAY number and a possible date (year-less only where the story never gives a year; year-less
  arithmetic runs in a common year, so a year-less 29 February cannot be placed).
- A mark resolves to ``StoryDay(number, date)`` with the values as written (year filled in);
  what it lacks comes from day one when known. An impossible date (30 February) resolves as if
  absent: the DAY number if written, its date by the calendar, else undated; D104 reports it.
- DAY numbers before day one may be 0 or negative: a prologue is still on the calendar.
- A chapter passage with no marker of its own is undated (no carry-over from the chapter before:
  the next chapter may be a flashback or another thread); a scene's mark is the one in force.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from toolkit.config import Config
from toolkit.model import (
    Action,
    DayMark,
    Placement,
    Project,
    ResolvedMark,
    Scene,
    Section,
    StoryDate,
    StoryDay,
    Synopsis,
    Timeline,
    plain,
    speakers,
)
from toolkit.parsers.markdown import count_words


@dataclass(frozen=True)
class StoryCalendar:
    """Day one and the year-filled date of every mark: what turns marks into story days."""

    day_one: StoryDate | None
    dates: dict[DayMark, StoryDate | None]  # each mark's written date with its year filled in

    def date_of(self, number: int) -> StoryDate | None:
        """The date of DAY ``number``; year-less when day one is."""
        base = self.day_one.day_index() if self.day_one is not None else None
        if base is None:
            return None
        return StoryDate.from_day_index(base + number - 1, yearless=self.day_one.year is None)

    def number_of(self, date: StoryDate) -> int | None:
        """The DAY number of ``date``; None when day one is unknown or the two cannot be compared."""
        if self.day_one is None or (self.day_one.year is None) != (date.year is None):
            return None
        base, index = self.day_one.day_index(), date.day_index()
        return None if base is None or index is None else index - base + 1

    def resolve(self, mark: DayMark) -> StoryDay:
        date = self.dates.get(mark, mark.date)
        if date is not None and date.day_index() is None:
            date = None
        number = mark.day
        if number is None and date is not None:
            number = self.number_of(date)
        if date is None and number is not None:
            date = self.date_of(number)
        return StoryDay(number, date)


def story_calendar(project: Project, config: Config) -> StoryCalendar:
    """Fill in years and find day one, from every mark of the project."""
    prose = [(p.mark, c.front.flashback) for c in project.chapters for p in c.passages if p.mark]
    script = [(mark, False) for mark in _screenplay_marks(project)]
    prose_year, script_year = _first_year(prose), _first_year(script)
    fallback = config.calendar.year or (config.calendar.day_one.year if config.calendar.day_one else None)
    dates = {
        **_fill_years(prose, prose_year or script_year or fallback),
        **_fill_years(script, script_year or prose_year or fallback),
    }
    story_has_years = any(date is not None and date.year is not None for date in dates.values())
    if config.calendar.day_one is not None:
        day_one = StoryDate.from_date(config.calendar.day_one)
    else:
        day_one = _infer_day_one([mark for mark, _ in prose + script], dates, story_has_years)
    return StoryCalendar(day_one, dates)


def _screenplay_marks(project: Project) -> list[DayMark]:
    if project.screenplay is None:
        return []
    return [
        element.mark
        for element in project.screenplay.elements
        if isinstance(element, (Section, Synopsis)) and element.mark is not None
    ]


def _first_year(stream: list[tuple[DayMark, bool]]) -> int | None:
    return next((m.date.year for m, flashback in stream if not flashback and m.date and m.date.year), None)


def _fill_years(stream: list[tuple[DayMark, bool]], start_year: int | None) -> dict[DayMark, StoryDate | None]:
    filled: dict[DayMark, StoryDate | None] = {mark: mark.date for mark, _ in stream}
    dated = [mark for mark, flashback in stream if mark.date is not None and not flashback]
    first = next((k for k, mark in enumerate(dated) if mark.date.year is not None), None)
    if first is not None:  # count back from the first written year
        year = dated[first].date.year
        for k in range(first - 1, -1, -1):
            if dated[k].date.month > dated[k + 1].date.month:
                year -= 1
            filled[dated[k]] = replace(dated[k].date, year=year)
    year = start_year
    previous_month = None
    cycle = 0  # New Years passed, for a stream that never has a year
    for mark in dated[first or 0 :]:
        date = mark.date
        rolled = previous_month is not None and date.month < previous_month
        if date.year is not None:
            year = date.year
        elif year is not None:
            year += rolled
            filled[mark] = replace(date, year=year)
        else:
            cycle += rolled
            filled[mark] = replace(date, cycle=cycle)
        previous_month = date.month
    return filled


def _infer_day_one(
    marks: list[DayMark], dates: dict[DayMark, StoryDate | None], story_has_years: bool
) -> StoryDate | None:
    for mark in marks:
        date = dates.get(mark)
        index = date.day_index() if date is not None else None
        if mark.day is None or index is None or (story_has_years and date.year is None):
            continue
        return StoryDate.from_day_index(index - (mark.day - 1), yearless=date.year is None)
    return None


def build_timeline(project: Project, config: Config) -> Timeline:
    """Every chapter passage, then every scene, in reading order, each on its story day."""
    calendar = story_calendar(project, config)

    def day_of(mark: DayMark | None) -> StoryDay | None:
        return None if mark is None else calendar.resolve(mark)

    placements = [
        Placement(
            span=passage.span,
            kind="chapter",
            title=chapter.title,
            words=passage.words,
            chapter=chapter,
            passage=passage,
            mark=passage.mark,
            day=day_of(passage.mark),
        )
        for chapter in project.chapters
        for passage in chapter.passages
    ]
    scenes = project.screenplay.scenes if project.screenplay else ()
    placements += [
        Placement(
            span=scene.span,
            kind="scene",
            title=scene.title,
            words=scene_words(scene),
            scene=scene,
            mark=scene.mark,
            day=day_of(scene.mark),
        )
        for scene in scenes
    ]
    prose_marks = [p.mark for c in project.chapters for p in c.passages if p.mark is not None]
    marks = [ResolvedMark(mark, calendar.resolve(mark)) for mark in prose_marks + _screenplay_marks(project)]
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
    return sum(count_words(text) for text in texts)


def day_sort_key(day: StoryDay) -> tuple[int, int, tuple[int, int, int, int, int]]:
    """Story order: by DAY number when known, else by date; a year-less date sorts after dated
    ones, by its ``cycle`` (New Years passed) and then month and day."""
    date = day.date
    if date is None:
        date_key = (2, 0, 0, 0, 0)
    else:
        date_key = (int(date.year is None), date.year or 0, date.cycle, date.month, date.day)
    return (0, day.number, date_key) if day.number is not None else (1, 0, date_key)
