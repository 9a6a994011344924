"""Resolves the story's day markers into a calendar: years filled in, DAY numbers tied to dates.

Rules (chosen where the issues are silent):

- Years are worked out per stream (streams.py: the prose's narrators and documents, the
  screenplay). A date that writes its year has it. A year-less date under a year heading
  (``# 1903``) or in a chapter with front matter ``year`` takes that year. Any other year-less
  date takes the year that puts it nearest AFTER the previous date of its stream: the story
  goes on. Only a step back of more than half a year (183 days) is a New Year ("30 December",
  then "2 January"); a shorter step back stays in the year, and is a slip (D101) or a
  flashback, never a new year. Year-less dates before a stream's first known year are counted
  back from it the same way, unless ``[calendar] year`` sets where the story starts.
- Which dates are the story's: only datelines (a date that stands apart: a heading, "*10
  March.*", "January 3") and headings set the year for the dates after them. A date that opens
  a running sentence ("On 3 March 1805 the party wintered at Fort Mandan") and writes a year more
  than half a year from the story's dates around it is narration about another time: an
  *aside*, not placed and not in the order; its text stays checked for weekday and existence.
- A stream that never has a year starts from the story's first year (another stream's), else
  ``calendar.year``, else the year of ``calendar.day_one``; failing all, dates stay year-less and
  each New Year passed adds one to their ``cycle``, so that story order still runs from
  December into January.
- Flashback marks (see streams.py) keep their written year (or none) and neither move nor
  read the year so far: a flashback is elsewhere in time.
- Day one is ``calendar.day_one``, else inferred from the first mark in reading order with both
  a DAY number and a possible date (year-less only where the story never gives a year; year-less
  arithmetic runs in a common year, so a year-less 29 February cannot be placed).
- A mark resolves to ``StoryDay(number, date)`` with the values as written (year filled in);
  what it lacks comes from day one when known. An impossible date (30 February) resolves as if
  absent: the DAY number if written, its date by the calendar, else undated; D104 reports it.
- DAY numbers before day one may be 0 or negative: a prologue is still on the calendar.
- A range ("12–13 June") is on its first day and spans to its last: the next date follows the last.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from toolkit.config import Config
from toolkit.model import DayMark, StoryDate, StoryDay
from toolkit.resolve.streams import MarkStream, StreamMark

HALF_YEAR = 183  # days: a step back longer than this is a New Year; shorter, a slip or a flashback
YearOrigin = Literal["written", "heading", "front-matter", "config", "inferred"]


@dataclass(frozen=True)
class StoryCalendar:
    """Day one and the year-filled date of every mark: what turns marks into story days."""

    day_one: StoryDate | None
    dates: dict[DayMark, StoryDate | None]  # each mark's written date with its year filled in
    origins: dict[DayMark, YearOrigin] = field(default_factory=dict)  # where each filled year came from
    asides: frozenset[DayMark] = frozenset()  # sentence dates about another time: not the story's days
    until: dict[DayMark, StoryDate] = field(default_factory=dict)  # the last day of each range

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

    def year_origin(self, mark: DayMark) -> YearOrigin | None:
        """Where the year of the mark's date comes from; None when it has none."""
        date = self.date_in_story(mark)
        if date is None or date.year is None:
            return None
        return self.origins.get(mark, "written")

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
    first_years = [year for stream in streams if (year := _first_year(stream.marks)) is not None]
    day_one_year = config.calendar.day_one.year if config.calendar.day_one else None
    story_first = first_years[0] if first_years else day_one_year
    filled = _Filled()
    for stream in streams:
        borrowed = story_first if _first_year(stream.marks) is None else None
        _fill_years(stream.marks, config.calendar.year, borrowed, filled)
    story_has_years = any(date is not None and date.year is not None for date in filled.dates.values())
    if config.calendar.day_one is not None:
        day_one: StoryDate | None = StoryDate.from_date(config.calendar.day_one)
    else:
        marks = [item.mark for stream in streams for item in stream.marks if item.mark not in filled.asides]
        day_one = _infer_day_one(marks, filled.dates, story_has_years)
    return StoryCalendar(day_one, filled.dates, filled.origins, frozenset(filled.asides), filled.until)


@dataclass
class _Filled:
    dates: dict[DayMark, StoryDate | None] = field(default_factory=dict)
    origins: dict[DayMark, YearOrigin] = field(default_factory=dict)
    asides: set[DayMark] = field(default_factory=set)
    until: dict[DayMark, StoryDate] = field(default_factory=dict)


def _first_year(stream: Sequence[StreamMark]) -> int | None:
    """The first year a stream's datelines write or its headings give."""
    known = _known_years([item for item in stream if item.mark.date is not None and not item.flashback])
    return next((year for year in known.values() if year is not None), None)


def _fill_years(stream: Sequence[StreamMark], start: int | None, borrowed: int | None, filled: _Filled) -> None:
    """Years for one stream's dates (see the module's rules). ``start`` is ``[calendar] year``;
    ``borrowed`` the story's first year, for a stream that has none of its own."""
    for item in stream:
        filled.dates[item.mark] = item.mark.date
    dated = [item for item in stream if item.mark.date is not None and not item.flashback]
    known = _known_years(dated)
    story = [item for item in dated if not _is_sentence_with_year(item)]  # the marks that carry the year on
    seed = start if start is not None else borrowed
    first = next((k for k, item in enumerate(story) if known[item.mark] is not None), None)
    begin = 0
    if seed is None and first is not None:  # count back from the first known year
        following = _with_year(story[first], known)
        for item in reversed(story[:first]):
            date = item.mark.date
            assert date is not None
            following = _before(following, date)
            filled.dates[item.mark], filled.origins[item.mark] = following, "inferred"
            _range_end(item, following, filled)
        begin = first
    previous: StoryDate | None = None
    for item in story[begin:]:
        mark, date = item.mark, item.mark.date
        assert date is not None
        year = known[mark]
        if year is not None:
            here = replace(date, year=year)
            if date.year is None:
                filled.origins[mark] = "heading" if item.year_from == "heading" else "front-matter"
        elif previous is not None:
            here = _after(previous, date)
            filled.origins[mark] = "inferred"
        elif seed is not None:
            here = replace(date, year=seed)
            filled.origins[mark] = "config" if start is not None else "inferred"
        else:
            here = date
        filled.dates[mark] = here
        if here.day_index() is not None:  # an impossible date (31 June) says nothing of the year
            previous = _range_end(item, here, filled)
    _find_asides(dated, filled)


def _known_years(dated: Sequence[StreamMark]) -> dict[DayMark, int | None]:
    """Each mark's year as written (datelines) or as a heading or front matter gives it."""
    known: dict[DayMark, int | None] = {}
    for item in dated:
        date = item.mark.date
        assert date is not None
        if date.year is not None:
            known[item.mark] = None if item.mark.form == "sentence" else date.year
        else:
            known[item.mark] = item.year
    return known


def _with_year(item: StreamMark, known: dict[DayMark, int | None]) -> StoryDate:
    date = item.mark.date
    assert date is not None
    year = known.get(item.mark)
    return replace(date, year=year) if year is not None else date


def _is_sentence_with_year(item: StreamMark) -> bool:
    return item.mark.form == "sentence" and item.mark.date is not None and item.mark.date.year is not None


def _range_end(item: StreamMark, here: StoryDate, filled: _Filled) -> StoryDate:
    """The last day of the mark's range (its own date when it is not a range)."""
    until = item.mark.until
    if until is None:
        return here
    end = _after(here, until) if until.year is None else until
    filled.until[item.mark] = end
    return end


def _day_of_year(date: StoryDate) -> int:
    """The date's day in a leap year (29 February counts): for steps between year-less dates."""
    try:
        return _dt.date(2000, date.month, date.day).timetuple().tm_yday
    except ValueError:
        return 366  # an impossible day (31 April) sorts at the year's end; D104 reports it


def _after(previous: StoryDate, date: StoryDate) -> StoryDate:
    """``date`` in the year (or cycle) nearest after ``previous``: the same year, unless it steps
    back more than half a year, which is a New Year."""
    step_back = _day_of_year(previous) - _day_of_year(date)
    rolls = step_back > HALF_YEAR
    if previous.year is None:
        return replace(date, year=None, cycle=previous.cycle + rolls)
    return replace(date, year=previous.year + rolls)


def _before(following: StoryDate, date: StoryDate | None) -> StoryDate:
    """``date`` in the year nearest before ``following``: counted back the way ``_after`` counts on."""
    assert date is not None
    step = _day_of_year(date) - _day_of_year(following)
    back = step > HALF_YEAR
    if following.year is None:
        return replace(date, cycle=following.cycle - back)
    return replace(date, year=following.year - back)


def _find_asides(dated: Sequence[StreamMark], filled: _Filled) -> None:
    """Sentence dates with a year more than half a year from the story's dates on both sides."""
    story = [(k, filled.dates.get(item.mark)) for k, item in enumerate(dated) if not _is_sentence_with_year(item)]
    for k, item in enumerate(dated):
        date = item.mark.date
        if not _is_sentence_with_year(item) or date is None or date.day_index() is None:
            continue
        before = next((d for j, d in reversed(story) if j < k and d is not None and d.year is not None), None)
        after = next((d for j, d in story if j > k and d is not None and d.year is not None), None)
        gaps = [abs((date.day_index() or 0) - (d.day_index() or 0)) for d in (before, after) if d is not None]
        if gaps and all(gap > HALF_YEAR for gap in gaps):
            filled.asides.add(item.mark)


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
