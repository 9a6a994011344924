"""Date rules: each marker's weekday, DAY number and date must agree with the calendar."""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterator

from toolkit.calendar import StoryCalendar, story_calendar
from toolkit.config import Config
from toolkit.diagnostics import Diagnostic
from toolkit.model import MONTH_NAMES, WEEKDAY_NAMES, DayMark, Project, StoryDate, Timeline


def check_dates(project: Project, config: Config, timeline: Timeline) -> Iterator[Diagnostic]:
    """Every date finding, marker by marker in reading order. Quiet on a consistent story."""
    calendar = story_calendar(project, config)
    for resolved in timeline.marks:
        mark = resolved.mark
        yield from check_weekday(mark, calendar)
        yield from check_day_number(mark, calendar)
        yield from check_impossible_date(mark, calendar)


def _year_note(mark: DayMark, date: StoryDate) -> str:
    """Say so when the year was not written but worked out from the story around it."""
    inferred = mark.date is not None and mark.date.year is None and date.year is not None
    return f" (year {date.year} inferred from the story so far)" if inferred else ""


def check_weekday(mark: DayMark, calendar: StoryCalendar) -> Iterator[Diagnostic]:
    """D102 weekday: a weekday named with a date must be the weekday of that date.

    "Saturday, 5 March 2023" is reported: 5 March 2023 is a Sunday. A year-less date is
    checked against the year the story is in by then; where the story never gives a year
    (and fabula.toml sets none), the weekday cannot be known and is not checked.
    """
    date = calendar.dates.get(mark, mark.date)
    if mark.weekday is None or date is None or date.weekday is None or date.weekday == mark.weekday:
        return
    yield Diagnostic(
        mark.span,
        "D102",
        f"{date.label()} is a {WEEKDAY_NAMES[date.weekday]}, but the text says "
        f"{WEEKDAY_NAMES[mark.weekday]} ('{mark.text}'){_year_note(mark, date)}",
        "error",
    )


def check_day_number(mark: DayMark, calendar: StoryCalendar) -> Iterator[Diagnostic]:
    """D103 day number: a ``DAY N`` written with a date must be that date by the calendar.

    Day one is ``calendar.day_one`` in fabula.toml, else the first marker in reading order
    that gives both a DAY number and a date. "DAY 4 – 11 March 2023" with day one
    2023-03-07 is reported: DAY 4 is 10 March 2023.
    """
    date = calendar.dates.get(mark, mark.date)
    if mark.day is None or date is None or not date.is_valid or calendar.day_one is None:
        return
    expected = calendar.date_of(mark.day)
    if expected is None or (expected.year is None) != (date.year is None) or expected == date:
        return
    yield Diagnostic(
        mark.span,
        "D103",
        f"DAY {mark.day} is {expected.label()} by the calendar (day one {calendar.day_one.iso()}), "
        f"but the text says {date.label()}{_year_note(mark, date)}",
        "error",
    )


def check_impossible_date(mark: DayMark, calendar: StoryCalendar) -> Iterator[Diagnostic]:
    """D104 impossible date: a date that no calendar has, such as "30 February 2023".

    A year-less "29 February" is reported only once the story puts it in a common year.
    """
    date = calendar.dates.get(mark, mark.date)
    if date is None or date.is_valid:
        return
    month = MONTH_NAMES[date.month - 1]
    if date.year is None:
        length = f"{month} has at most {_stdlib_calendar.monthrange(2000, date.month)[1]} days"
    else:
        length = f"{month} {date.year} has {_stdlib_calendar.monthrange(date.year, date.month)[1]} days"
    yield Diagnostic(
        mark.span,
        "D104",
        f"{date.label()} is not a date: {length} ('{mark.text}'){_year_note(mark, date)}",
        "error",
    )
