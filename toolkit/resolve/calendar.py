"""Resolves the story's day markers into a calendar: years filled in, DAY numbers tied to dates.

Rules (chosen where the issue is silent):

- Prose and screenplay are two streams, each with its own "year so far". A year-less date takes
  the year so far, plus one when its month is earlier than the previous dated mark's (30 Dec,
  then 2 Jan). Year-less dates before a stream's first written year are counted back from it.
  A stream that never writes a year starts from the other stream's first year, else
  ``calendar.year``, else the year of ``calendar.day_one``; failing all, dates stay year-less,
  and each New Year passed (a month earlier than the one before) adds one to their ``cycle``,
  so that story order still runs from December into January.
- Flashback marks (a ``flashback: true`` chapter, a screenplay mark with a ``[[flashback]]``
  note: see streams.py) keep their written year (or none) and neither move nor read the year
  so far: a flashback is elsewhere in time.
- Day one is ``calendar.day_one``, else inferred from the first mark in reading order with both
  a DAY number and a possible date (year-less only where the story never gives a year; year-less
  arithmetic runs in a common year, so a year-less 29 February cannot be placed).
- A mark resolves to ``StoryDay(number, date)`` with the values as written (year filled in);
  what it lacks comes from day one when known. An impossible date (30 February) resolves as if
  absent: the DAY number if written, its date by the calendar, else undated; D104 reports it.
- DAY numbers before day one may be 0 or negative: a prologue is still on the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from toolkit.config import Config
from toolkit.model import DayMark, StoryDate, StoryDay
from toolkit.resolve.streams import MarkStream, StreamMark


@dataclass(frozen=True)
class StoryCalendar:
    """Day one and the year-filled date of every mark: what turns marks into story days."""

    day_one: StoryDate | None
    dates: dict[DayMark, StoryDate | None]  # each mark's written date with its year filled in

    def date_of(self, number: int) -> StoryDate | None:
        """The date of DAY ``number``; year-less when day one is."""
        base = self.day_one.day_index() if self.day_one is not None else None
        if self.day_one is None or base is None:
            return None
        return StoryDate.from_day_index(base + number - 1, yearless=self.day_one.year is None)

    def number_of(self, date: StoryDate) -> int | None:
        """The DAY number of ``date``; None when day one is unknown or the two cannot be compared."""
        if self.day_one is None or (self.day_one.year is None) != (date.year is None):
            return None
        base, index = self.day_one.day_index(), date.day_index()
        return None if base is None or index is None else index - base + 1

    def date_in_story(self, mark: DayMark) -> StoryDate | None:
        """The mark's date as written, with the year the story gives it filled in."""
        return self.dates.get(mark, mark.date)

    def resolve(self, mark: DayMark) -> StoryDay:
        date = self.date_in_story(mark)
        if date is not None and date.day_index() is None:
            date = None
        number = mark.day
        if number is None and date is not None:
            number = self.number_of(date)
        if date is None and number is not None:
            date = self.date_of(number)
        return StoryDay(number, date)


def story_calendar(streams: Sequence[MarkStream], config: Config) -> StoryCalendar:
    """Fill in years and find day one, from every mark of every stream."""
    by_name = {stream.name: stream.marks for stream in streams}
    prose, script = by_name.get("prose", ()), by_name.get("screenplay", ())
    prose_year, script_year = _first_year(prose), _first_year(script)
    fallback = config.calendar.year or (config.calendar.day_one.year if config.calendar.day_one else None)
    dates = {
        **_fill_years(prose, prose_year or script_year or fallback),
        **_fill_years(script, script_year or prose_year or fallback),
    }
    story_has_years = any(date is not None and date.year is not None for date in dates.values())
    if config.calendar.day_one is not None:
        day_one: StoryDate | None = StoryDate.from_date(config.calendar.day_one)
    else:
        day_one = _infer_day_one([item.mark for item in (*prose, *script)], dates, story_has_years)
    return StoryCalendar(day_one, dates)


def _first_year(stream: Sequence[StreamMark]) -> int | None:
    return next(
        (item.mark.date.year for item in stream if not item.flashback and item.mark.date and item.mark.date.year),
        None,
    )


def _fill_years(stream: Sequence[StreamMark], start_year: int | None) -> dict[DayMark, StoryDate | None]:
    filled: dict[DayMark, StoryDate | None] = {item.mark: item.mark.date for item in stream}
    dated = [(item.mark, item.mark.date) for item in stream if item.mark.date is not None and not item.flashback]
    first = next((k for k, (_, date) in enumerate(dated) if date.year is not None), None)
    if first is not None:  # count back from the first written year
        year = dated[first][1].year
        assert year is not None
        for k in range(first - 1, -1, -1):
            if dated[k][1].month > dated[k + 1][1].month:
                year -= 1
            filled[dated[k][0]] = replace(dated[k][1], year=year)
    year_so_far = start_year
    previous_month = None
    cycle = 0  # New Years passed, for a stream that never has a year
    for mark, date in dated[first or 0 :]:
        rolled = previous_month is not None and date.month < previous_month
        if date.year is not None:
            year_so_far = date.year
        elif year_so_far is not None:
            year_so_far += rolled
            filled[mark] = replace(date, year=year_so_far)
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
        if date is None or mark.day is None or (story_has_years and date.year is None):
            continue
        index = date.day_index()
        if index is not None:
            return StoryDate.from_day_index(index - (mark.day - 1), yearless=date.year is None)
    return None
