"""The story day by day: a Timeline regrouped into days in story order, with gaps and who is present."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from toolkit.model import (
    WEEKDAY_NAMES,
    DayMark,
    Element,
    Note,
    PageBreak,
    Placement,
    Project,
    Section,
    StoryDate,
    StoryDay,
    Synopsis,
    Timeline,
)
from toolkit.resolve.calendar import StoryCalendar
from toolkit.resolve.presence import CharacterIndex, canonical_name
from toolkit.resolve.timeline import day_sort_key

# How the outline says where a year came from, when the marker did not write it.
_YEAR_NOTES = {
    "inferred": "year inferred",
    "heading": "year from the heading",
    "front-matter": "year from front matter",
    "config": "year from fabula.toml",
}


@dataclass(frozen=True)
class OutlineMarker:
    """The marker that placed an entry on its day, as written, and what the calendar added."""

    text: str  # as written: "January 3", "DAY 4 – 10 March"
    location: str  # "path:line" of the marker
    year: str | None  # "year inferred", "year from the heading", ...; None when written or year-less


@dataclass(frozen=True)
class OutlineEntry:
    """One piece of material on a day: a chapter passage or a screenplay scene."""

    kind: Literal["chapter", "scene"]
    title: str
    location: str  # "path:line" of the passage or scene
    words: int
    characters: tuple[str, ...]
    summary: str | None  # chapter front-matter summary (first passage only), or scene synopsis
    marker: OutlineMarker | None = None  # the marker that placed it


@dataclass(frozen=True)
class OutlineDay:
    day: StoryDay
    weekday: str | None  # from the date; else the weekday a marker on this day names
    entries: tuple[OutlineEntry, ...]
    characters: tuple[str, ...]  # everyone present that day, in order of first appearance
    words: int
    until: StoryDate | None = None  # the last day a range on this day spans to ("12–13 June")

    @property
    def label(self) -> str:
        """``DAY 3 — Thursday, 9 March 2023``; either half alone when the other is unknown; a range
        spans to its last day (``12 June 1916 – 13 June 1916``)."""
        parts = []
        if self.day.number is not None:
            parts.append(f"DAY {self.day.number}")
        if self.day.date is not None:
            prefix = f"{self.weekday}, " if self.weekday else ""
            parts.append(prefix + self.day.date.label() + (f" – {self.until.label()}" if self.until else ""))
        return " — ".join(parts)

    @property
    def short_label(self) -> str:
        """A column header for the character grid: ``DAY 3``, else ``9 March``."""
        if self.day.number is not None:
            return f"DAY {self.day.number}"
        assert self.day.date is not None  # an OutlineDay always has a number or a date
        return self.day.date.label()


@dataclass(frozen=True)
class OutlineGap:
    """Consecutive story days with no material between two days that have some."""

    first: StoryDay
    last: StoryDay

    @property
    def label(self) -> str:
        """``DAY 13–49``, ``DAY 13``, or by dates when the days have no numbers."""
        if self.first.number is not None and self.last.number is not None:
            if self.first.number == self.last.number:
                return f"DAY {self.first.number}"
            return f"DAY {self.first.number}–{self.last.number}"
        first, last = self.first.date, self.last.date
        assert first is not None and last is not None
        if first == last:
            return first.label()
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{last.label()}"  # "11–12 March 2023"
        if first.year == last.year:
            return f"{StoryDate(None, first.month, first.day).label()} – {last.label()}"
        return f"{first.label()} – {last.label()}"


@dataclass(frozen=True)
class Outline:
    title: str
    rows: tuple[OutlineDay | OutlineGap, ...]  # in story order
    undated: tuple[OutlineEntry, ...]  # material no day could be given, in reading order
    characters: tuple[str, ...]  # everyone, in order of first appearance in story order
    words: int

    @property
    def days(self) -> tuple[OutlineDay, ...]:
        return tuple(row for row in self.rows if isinstance(row, OutlineDay))


def build_outline(
    project: Project,
    timeline: Timeline,
    presence: tuple[tuple[str, ...], ...],
    cast: CharacterIndex,
    title: str,
    calendar: StoryCalendar | None = None,
) -> Outline:
    """Group the timeline's placements by story day, sort the days, and mark the gaps.

    ``presence`` holds the characters of each placement, in the timeline's order. Days sort by
    DAY number where they have one, then days known only by date, by date (a year-less date
    sorts by month and day). Within a day, chapters come before scenes, each in reading
    order. Placements without a day go to ``undated`` and are never dropped.
    """
    leading = _leading_synopses(project)
    by_day: dict[StoryDay, list[OutlineEntry]] = {}
    undated: list[OutlineEntry] = []
    for placement, present in _chapters_then_scenes(timeline.placements, presence):
        entry = _entry(placement, present, cast, leading, calendar)
        day = placement.day
        if day is None or (day.number is None and day.date is None):
            undated.append(entry)
        else:
            by_day.setdefault(day, []).append(entry)

    spans = _spans(timeline, calendar)
    days = [
        _outline_day(day, entries, timeline, spans.get(day))
        for day, entries in sorted(by_day.items(), key=lambda item: day_sort_key(item[0]))
    ]
    undated_entries = tuple(undated)
    characters: dict[str, None] = {}
    for entry in [e for day in days for e in day.entries] + list(undated_entries):
        characters.update(dict.fromkeys(entry.characters))
    return Outline(
        title=title,
        rows=tuple(_with_gaps(days)),
        undated=undated_entries,
        characters=tuple(characters),
        words=sum(day.words for day in days) + sum(entry.words for entry in undated_entries),
    )


def _chapters_then_scenes(
    placements: Iterable[Placement], presence: Iterable[tuple[str, ...]]
) -> list[tuple[Placement, tuple[str, ...]]]:
    # sorted() is stable: reading order survives inside each kind.
    return sorted(zip(placements, presence, strict=True), key=lambda pair: pair[0].kind != "chapter")


def _spans(timeline: Timeline, calendar: StoryCalendar | None) -> dict[StoryDay, StoryDate]:
    """The furthest last day of the ranges placed on each day."""
    spans: dict[StoryDay, StoryDate] = {}
    if calendar is None or not calendar.until:
        return spans
    for placement in timeline.placements:
        until = calendar.until.get(placement.mark) if placement.mark is not None else None
        day = placement.day
        if until is None or day is None or day.date is None or until.day_index() is None:
            continue
        known = spans.get(day)
        if known is None or (until.day_index() or 0) > (known.day_index() or 0):
            spans[day] = until
    return spans


def _outline_day(
    day: StoryDay, entries: list[OutlineEntry], timeline: Timeline, until: StoryDate | None = None
) -> OutlineDay:
    characters: dict[str, None] = {}
    for entry in entries:
        characters.update(dict.fromkeys(entry.characters))
    return OutlineDay(
        day=day,
        weekday=_weekday(day, timeline),
        entries=tuple(entries),
        characters=tuple(characters),
        words=sum(entry.words for entry in entries),
        until=until if day.date is not None and until is not None and until != day.date else None,
    )


def _weekday(day: StoryDay, timeline: Timeline) -> str | None:
    if day.date is not None and day.date.weekday is not None:
        return WEEKDAY_NAMES[day.date.weekday]
    # A year-less story cannot compute weekdays, but its markers may name them ("Thursday, 9
    # March"); show what the text says. Disagreements are the dates check's business.
    for resolved in timeline.marks:
        if resolved.day == day and resolved.mark.weekday is not None:
            return WEEKDAY_NAMES[resolved.mark.weekday]
    return None


def _entry(
    placement: Placement,
    present: tuple[str, ...],
    cast: CharacterIndex,
    leading: dict[int, tuple[str, ...]],
    calendar: StoryCalendar | None,
) -> OutlineEntry:
    if placement.kind == "scene":
        summary, title = _scene_facts(placement, leading)
        characters = present
    else:
        characters, summary, title = _chapter_facts(placement, present, cast)
    return OutlineEntry(
        kind=placement.kind,
        title=title,
        location=f"{placement.span.path}:{placement.span.line}",
        words=placement.words,
        characters=characters,
        summary=summary,
        marker=_marker(placement.mark, calendar) if placement.day is not None else None,
    )


def _marker(mark: DayMark | None, calendar: StoryCalendar | None) -> OutlineMarker | None:
    if mark is None:
        return None
    origin = calendar.year_origin(mark) if calendar is not None and mark not in calendar.asides else None
    return OutlineMarker(
        text=" ".join(mark.text.split()),
        location=f"{mark.span.path}:{mark.span.line}",
        year=_YEAR_NOTES.get(origin) if origin is not None else None,
    )


def _scene_facts(placement: Placement, leading: dict[int, tuple[str, ...]]) -> tuple[str | None, str]:
    if placement.scene is None:
        return None, placement.title
    synopses = [*leading.get(id(placement.scene), ()), *_synopsis_texts(placement.scene.elements)]
    return " ".join(synopses) or None, placement.title


def _synopsis_texts(elements: Iterable[Element]) -> list[str]:
    return [
        element.text.strip()
        for element in elements
        if isinstance(element, Synopsis) and element.text.strip() and not _is_only_a_mark(element)
    ]


def _leading_synopses(project: Project) -> dict[int, tuple[str, ...]]:
    """Synopses that belong to no scene, given to the scene they lead into (keyed by id).

    Writers put "= what happens" under a section ("# DAY 1") before its first heading; that
    synopsis is in no scene's elements, and the scene it introduces is the natural place to show it.
    """
    screenplay = project.screenplay
    if screenplay is None:
        return {}
    in_scene = {id(element) for scene in screenplay.scenes for element in scene.elements}
    position = {id(element): index for index, element in enumerate(screenplay.elements)}
    leading: dict[int, tuple[str, ...]] = {}
    for scene in screenplay.scenes:
        index = position.get(id(scene.elements[0])) if scene.elements else None
        if index is None:
            continue
        start = index
        while (
            start > 0
            and id(screenplay.elements[start - 1]) not in in_scene
            and isinstance(screenplay.elements[start - 1], Synopsis | Section | Note | PageBreak)
        ):
            start -= 1
        texts = _synopsis_texts(screenplay.elements[start:index])
        if texts:
            leading[id(scene)] = tuple(texts)
    return leading


def _chapter_facts(
    placement: Placement, present: tuple[str, ...], cast: CharacterIndex
) -> tuple[tuple[str, ...], str | None, str]:
    chapter, passage = placement.chapter, placement.passage
    characters = present
    if chapter is None:
        return characters, None, placement.title
    # The point-of-view character is in every passage of the chapter, named or not ("I").
    pov = canonical_name(chapter.front.pov, cast) if chapter.front.pov else None
    if pov is not None:
        characters = (pov, *(name for name in characters if name != pov))
    # The front-matter summary describes the chapter: show it once, on its first passage.
    first = passage is None or not chapter.passages or chapter.passages[0] == passage
    summary = (chapter.front.summary or None) if first else None
    # A front-matter title beats the chapter heading, which is often only a day marker.
    return characters, summary, chapter.front.title or placement.title


def _is_only_a_mark(synopsis: Synopsis) -> bool:
    """A synopsis such as ``= DAY 3`` dates the scene; it says nothing about what happens."""
    return synopsis.mark is not None and synopsis.mark.text.strip() == synopsis.text.strip()


# ---------------------------------------------------------------- gaps


def _with_gaps(days: list[OutlineDay]) -> Iterable[OutlineDay | OutlineGap]:
    for index, day in enumerate(days):
        if index:
            before = days[index - 1]
            spans = before.until is not None and before.day.number is None
            last = StoryDay(None, before.until) if spans else before.day
            gap = _gap_between(last, day.day)
            if gap is not None:
                yield gap
        yield day


def _gap_between(before: StoryDay, after: StoryDay) -> OutlineGap | None:
    if before.number is not None and after.number is not None:
        if after.number - before.number <= 1:
            return None
        first, last = before.number + 1, after.number - 1
        return OutlineGap(
            StoryDay(first, _shift(before.date, first - before.number)),
            StoryDay(last, _shift(before.date, last - before.number)),
        )
    # Day numbers on one side only: the two orders cannot be compared, so no gap is claimed.
    if before.number is not None or after.number is not None or before.date is None or after.date is None:
        return None
    if (before.date.year is None) != (after.date.year is None):
        return None
    start, end = before.date.day_index(), after.date.day_index()
    if start is None or end is None or end - start <= 1:
        return None
    yearless = before.date.year is None
    return OutlineGap(
        StoryDay(None, StoryDate.from_day_index(start + 1, yearless)),
        StoryDay(None, StoryDate.from_day_index(end - 1, yearless)),
    )


def _shift(date: StoryDate | None, days: int) -> StoryDate | None:
    """The date ``days`` after ``date``; None when the date cannot be placed."""
    if date is None:
        return None
    index = date.day_index()
    return None if index is None else StoryDate.from_day_index(index + days, date.year is None)
