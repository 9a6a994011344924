"""Date rules: each marker's weekday, DAY number and date must agree with the calendar."""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Iterator

from toolkit.config import Config
from toolkit.diagnostics import Diagnostic, Edit, Fix
from toolkit.model import MONTH_NAMES, WEEKDAY_NAMES, DayMark, Span, StoryDate, StoryDay
from toolkit.resolve import Story
from toolkit.resolve.calendar import StoryCalendar
from toolkit.resolve.streams import StreamMark

Stream = tuple[StreamMark, ...]
_WORD = re.compile(r"[^\W\d_]+")


def check_dates(story: Story) -> Iterator[Diagnostic]:
    """Every date finding, marker by marker in reading order. Quiet on a consistent story."""
    calendar, timeline, config = story.calendar, story.timeline, story.config
    days = {resolved.mark: resolved.day for resolved in timeline.marks}
    streams = [tuple(item for item in stream.marks if item.mark not in calendar.asides) for stream in story.streams]
    out_of_span = [found for stream in streams for found in check_out_of_span(stream, days, config)]
    yield from out_of_span
    # A year typed wrong makes the weekday and DAY number look wrong too, and so do those of the
    # year-less dates after it, which take their year from it: report the year only.
    typos = {(found.span.path, found.span.line, found.span.col) for found in out_of_span}
    suspect = {_key(mark) for stream in streams for mark in _inheriting(stream, typos)}
    asides = {_key(mark) for mark in calendar.asides}
    for stream in streams:
        yield from check_date_order(stream, days, suspect | asides)
    for resolved in timeline.marks:
        mark = resolved.mark
        yield from check_month_spelling(mark)
        if _key(mark) not in suspect:
            yield from check_weekday(mark, calendar)
            yield from check_day_number(mark, calendar)
        if _key(mark) not in typos:
            yield from check_impossible_date(mark, calendar)


def _key(mark: DayMark) -> tuple[str, int, int]:
    return (mark.span.path, mark.span.line, mark.span.col)


def _inheriting(stream: Stream, typos: set[tuple[str, int, int]]) -> Iterator[DayMark]:
    """Each mistyped mark and the marks after it up to the next one that writes a year."""
    inside = False
    for item in stream:
        mark = item.mark
        if item.flashback:
            continue
        if _key(mark) in typos:
            inside = True
        elif mark.date is not None and mark.date.year is not None:
            inside = False
        if inside:
            yield mark


def _index(day: StoryDay | None) -> int | None:
    """A running day count for dated days, to measure and order them."""
    return None if day is None or day.date is None else day.date.day_index()


def _place(mark: DayMark) -> str:
    return f"line {mark.span.line}" if mark.kind != "front-matter" else f"front matter, line {mark.span.line}"


def check_date_order(
    stream: Stream, days: dict[DayMark, StoryDay], suspect: set[tuple[str, int, int]]
) -> Iterator[Diagnostic]:
    """D101 date order: a date earlier than the one before it in its stream.

    Chapters, passages, sections and scenes are read in order, each stream on its own: the
    screenplay, the prose, and within the prose each narrator's journal and each writer's
    letters (a title line such as "Dr. Seward’s Diary" or "Letter, Anna to Tom", front matter
    ``stream:``, or a ``<!-- fabula: stream NAME -->`` note opens one). A marker whose day comes
    before the previous marker's day in its stream is reported once, where the story jumps
    back: "6 August" after "5 September" is a slip, not a New Year (a year-less date steps
    back into a new year only when the step is over half a year). A flashback is not an
    error: mark the chapter with ``flashback: true`` in its front matter, or the screenplay
    section or scene with a ``[[flashback]]`` note, and its dates are left out of the order.
    Dates compare by the calendar (DAY numbers where no date is known).
    """
    last: tuple[DayMark, StoryDay] | None = None
    for item in stream:
        mark, day = item.mark, days.get(item.mark)
        if item.flashback or day is None or _key(mark) in suspect:
            continue
        if day.date is None and day.number is None:
            continue
        if last is not None and _earlier(day, last[1]):
            before = last[0]
            where = before.span.path if before.span.path != mark.span.path else ""
            yield Diagnostic(
                mark.span,
                "D101",
                f"'{mark.text}' ({day.label()}) is earlier than '{before.text}' before it "
                f"({where + ', ' if where else ''}{_place(before)}); if this is a flashback, mark it "
                f"(front matter 'flashback: true' or a [[flashback]] note)",
                "error",
            )
        last = (mark, day)


def _same_kind(date: StoryDate | None, other: StoryDate | None) -> bool:
    """Both dated with a year, or both year-less: only such dates compare as dates."""
    return date is not None and other is not None and (date.year is None) == (other.year is None)


def _earlier(day: StoryDay, before: StoryDay) -> bool:
    index, before_index = _index(day), _index(before)
    if index is not None and before_index is not None and _same_kind(day.date, before.date):
        return index < before_index
    if day.number is not None and before.number is not None:
        return day.number < before.number
    return False


def check_out_of_span(stream: Stream, days: dict[DayMark, StoryDay], config: Config) -> Iterator[Diagnostic]:
    """D105 out of span: a date far from both the dates before and after it.

    "7 March 2032" between "6 March 2023" and "8 March 2023" is reported, with the year that
    would fit: a typo in the year. A date is out of span when it is more than
    ``[check] out_of_span_days`` (default 365) from the dated markers on both sides of it in
    reading order while those two are within that distance of each other; a story that
    really moves on ("a year later") moves its next date too, and is not reported. Only dates
    that write their year count, and flashbacks are left out. The weekday, DAY number and
    order of such a date, and of the year-less dates after it (which take their year from
    it), are not checked (D101-D103): they are judged once the year is right.
    """
    limit = config.check.out_of_span_days
    # Only years as written: a year-less date takes its year from the story, typo or not.
    dated = [
        (item.mark, days[item.mark])
        for item in stream
        if not item.flashback
        and item.mark.date is not None
        and item.mark.date.year is not None
        and _index(days.get(item.mark)) is not None
    ]
    for (before, before_day), (mark, day), (after, after_day) in zip(dated, dated[1:], dated[2:], strict=False):
        here, prev, nxt = _index(day), _index(before_day), _index(after_day)
        assert here is not None and prev is not None and nxt is not None
        if abs(here - prev) <= limit or abs(here - nxt) <= limit or abs(prev - nxt) > limit:
            continue
        assert day.date is not None and before_day.date is not None and after_day.date is not None
        yield Diagnostic(
            mark.span,
            "D105",
            f"{day.date.label()} is over {limit} days from the dates around it "
            f"({before_day.date.label()}, {_place(before)}; {after_day.date.label()}, {_place(after)})"
            f"{_year_hint(day.date, before_day.date, after_day.date, limit)}",
            "warning",
        )


def _year_hint(date: StoryDate, before: StoryDate, after: StoryDate, limit: int) -> str:
    """ "; did you mean 2023?" when the neighbours' year puts the date between them."""
    for year in dict.fromkeys((before.year, after.year)):
        if year is None or year == date.year:
            continue
        fixed = StoryDate(year, date.month, date.day).day_index()
        ends = (before.day_index(), after.day_index())
        if fixed is not None and all(end is not None and abs(fixed - end) <= limit for end in ends):
            return f"; did you mean {year}?"
    return ""


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
    date = calendar.date_in_story(mark)
    if mark.weekday is None or date is None or date.weekday is None or date.weekday == mark.weekday:
        return
    yield Diagnostic(
        mark.span,
        "D102",
        f"{date.label()} is a {WEEKDAY_NAMES[date.weekday]}, but the text says "
        f"{WEEKDAY_NAMES[mark.weekday]} ('{mark.text}'){_year_note(mark, date)}",
        "error",
        _weekday_fix(mark, date.weekday),
    )


def _weekday_fix(mark: DayMark, weekday: int) -> Fix | None:
    """The weekday as written replaced by the date's, in the same form ("Sat" -> "Sun",
    "SATURDAY" -> "SUNDAY"). Safe when the text writes the date in full, year included; with
    the year inferred from the story, the year may be what is wrong."""
    assert mark.weekday is not None
    wrong = WEEKDAY_NAMES[mark.weekday].lower()
    for match in _WORD.finditer(mark.text):
        written = match.group()
        if not (wrong.startswith(written.lower()) and len(written) >= 3):
            continue
        right = WEEKDAY_NAMES[weekday]
        right = right if len(written) >= len(wrong) else right[: max(3, len(written))]
        right = right.upper() if written.isupper() else right.lower() if written.islower() else right
        before = mark.text[: match.start()]
        line = mark.span.line + before.count("\n")
        col = mark.span.col + match.start() if "\n" not in before else match.start() - before.rfind("\n")
        edit = Edit(Span(mark.span.path, line, col), written, right)
        safe = mark.date is not None and mark.date.year is not None
        return Fix(f"Replace {written} with {right}", (edit,), safe)
    return None


def check_day_number(mark: DayMark, calendar: StoryCalendar) -> Iterator[Diagnostic]:
    """D103 day number: a ``DAY N`` written with a date must be that date by the calendar.

    Day one is ``calendar.day_one`` in fabula.toml, else the first marker in reading order
    that gives both a DAY number and a date. "DAY 4 – 11 March 2023" with day one
    2023-03-07 is reported: DAY 4 is 10 March 2023.
    """
    date = calendar.date_in_story(mark)
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
    date = calendar.date_in_story(mark)
    if date is None or date.is_valid:
        return
    month = MONTH_NAMES[date.month - 1]
    if date.year is not None and not 1 <= date.year <= 9999:
        length = f"the calendar runs from year 1 to 9999, and has no year {date.year}"
    elif date.year is None:
        length = f"{month} has at most {_stdlib_calendar.monthrange(2000, date.month)[1]} days"
    else:
        length = f"{month} {date.year} has {_stdlib_calendar.monthrange(date.year, date.month)[1]} days"
    yield Diagnostic(
        mark.span,
        "D104",
        f"{date.label()} is not a date: {length} ('{mark.text}'){_year_note(mark, date)}",
        "error",
    )


def check_month_spelling(mark: DayMark) -> Iterator[Diagnostic]:
    """D106 month spelling: a date whose month name is one letter from a real month's.

    "9 Novmber" is read as 9 November, so that the entry is placed on its day rather than
    merged silently into the day before, and reported: the text should say what it means.
    A name one edit away (a letter added, dropped, changed, or two letters swapped) from a
    full month name of five letters or more, in the chapter's language, is read this way;
    shorter names (May, June, mai) are too close to ordinary words to guess at.
    """
    if mark.misspelt is None or mark.date is None:
        return
    written, meant = mark.misspelt
    yield Diagnostic(
        mark.span,
        "D106",
        f"'{written}' is not a month name: read as {meant} ('{mark.text}'); correct the spelling",
        "warning",
    )
