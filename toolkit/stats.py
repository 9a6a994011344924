"""Numbers about a project: screenplay length, who speaks how much, words per chapter and story day."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from toolkit.layout import scene_numbers
from toolkit.model import Project, Scene, StoryDay, Timeline
from toolkit.resolve import Story
from toolkit.resolve.outline import OutlineDay, OutlineGap
from toolkit.resolve.timeline import scene_words
from toolkit.stats_counts import ChapterCounts, ScreenplayCounts, StatsParts, chapter_counts, stats_parts
from toolkit.stats_counts import quotations as quotations
from toolkit.stats_counts import scene_lengths as scene_lengths

# Screenplay lengths come from the same pagination as the PDF (toolkit.layout): Courier 12 pt,
# 6 lines to the inch, 54 lines a page on letter and A4 alike. One page is about one minute.
READING_WORDS_PER_MINUTE = 250  # adult silent reading of fiction (Brysbaert 2019: 238–260)


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Appearance:
    page: int
    scene: str  # the scene's number as the PDF prints it ("" before the first heading)
    day: str | None  # story day, short: "DAY 3", else "9 March 2023"


@dataclass(frozen=True)
class SceneStats:
    number: str  # as the PDF prints it with scene numbers on: "12", a forced "12A"; "" before the first heading
    heading: str
    location: str
    setting: str  # INT, EXT, INT/EXT or "" when the heading does not say
    time: str  # DAY, NIGHT, CONTINUOUS... as written, or ""
    page: int  # the page the scene starts on
    eighths: int
    words: int
    day: str | None  # "DAY 3 — Friday, 29 December 2023"
    day_short: str | None  # "DAY 3"
    characters: tuple[str, ...]


@dataclass(frozen=True)
class CharacterStats:
    name: str
    scenes: int  # scenes where the character speaks or is named in the action
    speeches: int
    words: int  # words spoken, parentheticals left out
    share: float  # of all words spoken, 0..1
    first: Appearance
    last: Appearance


@dataclass(frozen=True)
class LocationStats:
    name: str
    scenes: int
    eighths: int
    characters: tuple[str, ...]


@dataclass(frozen=True)
class ScreenplayStats:
    pages: int
    eighths: int
    runtime_minutes: int  # a page a minute
    scenes: tuple[SceneStats, ...]
    settings: tuple[tuple[str, int], ...]  # (INT/EXT/..., scenes), most first
    times: tuple[tuple[str, int], ...]  # (time of day as written: DAY, DUSK, LATER..., scenes), most first
    day_night: tuple[tuple[str, int], ...]  # (DAY, n), (NIGHT, n), (other, n): see day_or_night()
    characters: tuple[CharacterStats, ...]  # most words first
    locations: tuple[LocationStats, ...]  # most scenes first


@dataclass(frozen=True)
class ChapterStats:
    title: str
    location: str  # path:line
    words: int
    reading_minutes: float
    dialogue_share: float  # words inside quotation marks, 0..1
    pov: str | None


@dataclass(frozen=True)
class ProseStats:
    words: int
    reading_minutes: float
    chapters: tuple[ChapterStats, ...]


@dataclass(frozen=True)
class DayStats:
    label: str
    short_label: str
    scenes: int
    eighths: int
    words: int  # prose and screenplay
    prose_words: int
    characters: tuple[str, ...]
    presence: tuple[tuple[str, int], ...]  # (character, pieces of material they are in that day)
    gap_before: str | None = None  # the empty story days just before this one: "DAY 9–10"
    gap_days: int = 0  # how many


@dataclass(frozen=True)
class ProjectStats:
    title: str
    screenplay: ScreenplayStats | None
    prose: ProseStats | None
    days: tuple[DayStats, ...]  # story order, days with material only
    characters: tuple[str, ...]  # everyone, in order of first appearance in story order


# ---------------------------------------------------------------- computing


def project_stats(story: Story, parts: StatsParts | None = None) -> ProjectStats:
    """The numbers of a resolved story: its screenplay's pages (the PDF's own), chapters, days;
    ``parts`` holds the counts already made (``stats_parts``)."""
    project, timeline = story.project, story.timeline
    if parts is None or len(parts.chapters) != len(project.chapters):
        parts = stats_parts(story)
    scene_days = {id(p.scene): p.day for p in timeline.placements if p.scene is not None}
    scene_presence = {id(p.scene): present for p, present in zip(timeline.placements, story.presence, strict=True)}
    screenplay = None
    if project.screenplay is not None and parts.screenplay is not None:
        screenplay = screenplay_stats(story, parts.screenplay, scene_days, scene_presence)
    prose = prose_stats(project, parts.chapters) if project.chapters else None
    eighths = {id(scene): s.eighths for scene, s in _pairs(project, screenplay)}
    return ProjectStats(
        title=story.meta.title,
        screenplay=screenplay,
        prose=prose,
        days=_days_with_gaps(story.outline.rows, timeline, eighths),
        characters=story.outline.characters,
    )


def _pairs(project: Project, screenplay: ScreenplayStats | None) -> list[tuple[Scene, SceneStats]]:
    if project.screenplay is None or screenplay is None:
        return []
    return list(zip(project.screenplay.scenes, screenplay.scenes, strict=True))


def _day_label(day: StoryDay | None) -> str | None:
    return None if day is None or (day.number is None and day.date is None) else day.label()


def _day_short(day: StoryDay | None) -> str | None:
    if day is None or (day.number is None and day.date is None):
        return None
    return f"DAY {day.number}" if day.number is not None else day.date.label() if day.date else None


def screenplay_stats(
    story: Story,
    counts: ScreenplayCounts,
    scene_days: dict[int, StoryDay | None],
    presence: dict[int, tuple[str, ...]],
) -> ScreenplayStats:
    screenplay = story.project.screenplay
    assert screenplay is not None
    lengths = counts.lengths
    numbers = scene_numbers(screenplay)
    scenes: list[SceneStats] = []
    for number, scene, (page, eighths) in zip(numbers, screenplay.scenes, lengths, strict=True):
        setting, location, time = split_heading(scene.title if scene.heading else "")
        scenes.append(
            SceneStats(
                number=number or "",
                heading=scene.title,
                location=location,
                setting=setting,
                time=time,
                page=page,
                eighths=eighths,
                words=scene_words(scene),
                day=_day_label(scene_days.get(id(scene))),
                day_short=_day_short(scene_days.get(id(scene))),
                characters=presence[id(scene)],
            )
        )
    spoken: Counter[str] = Counter()
    speeches: Counter[str] = Counter()
    for cue, count, words in counts.speeches:
        name = story.cast.speaker(cue)
        speeches[name] += count
        spoken[name] += words
    total_eighths = sum(s.eighths for s in scenes)
    return ScreenplayStats(
        pages=counts.pages,
        eighths=total_eighths,
        runtime_minutes=round(total_eighths / 8),
        scenes=tuple(scenes),
        settings=_tally(s.setting or "none" for s in scenes),
        times=_tally(s.time or "none" for s in scenes),
        day_night=tuple((kind, sum(day_or_night(s.time) == kind for s in scenes)) for kind in DAY_NIGHT),
        characters=_character_stats(scenes, spoken, speeches),
        locations=_location_stats(scenes),
    )


_SETTING = re.compile(r"^\.?(INT\.?/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]\s*", re.IGNORECASE)


def split_heading(heading: str) -> tuple[str, str, str]:
    """``INT. KITTIWAKE - WHEELHOUSE - DAY`` -> (``INT``, ``KITTIWAKE - WHEELHOUSE``, ``DAY``)."""
    text = heading.strip()
    match = _SETTING.match(text)
    setting = ""
    if match:
        raw = match.group(1).upper().replace(".", "")
        setting = "INT/EXT" if "/" in raw else raw
        text = text[match.end() :]
    parts = _split_at_dashes(text)
    time = parts.pop().strip().upper() if len(parts) > 1 else ""
    return setting, " - ".join(parts).strip().upper(), time


_DASHES = re.compile("[-–—]+")


def _split_at_dashes(text: str) -> list[str]:
    """``text`` split at dashes with white space on both sides (" - ", " — "), each separator
    taken whole; one pass over the runs of dashes, where a pattern with white space on both
    sides of the dashes backtracked over every run of spaces."""
    parts = []
    start = 0  # where the current part starts: the end of the last separator
    for dashes in _DASHES.finditer(text):
        before, after = dashes.start(), dashes.end()
        if before <= start or not text[before - 1].isspace() or after >= len(text) or not text[after].isspace():
            continue
        left = before
        while left > start and text[left - 1].isspace():
            left -= 1
        right = after
        while right < len(text) and text[right].isspace():
            right += 1
        parts.append(text[start:left])
        start = right
    parts.append(text[start:])
    return parts


DAY_NIGHT = ("DAY", "NIGHT", "other")
_NIGHT = re.compile(r"\b(NIGHT|MIDNIGHT|EVENING|DUSK)\b")
_DAY = re.compile(r"\b(DAY|MORNING|AFTERNOON|NOON|DAWN|SUNRISE|SUNSET)\b")


def day_or_night(time: str) -> str:
    """The DAY/NIGHT split of a heading's time: ``NIGHT (1973)`` is NIGHT, ``MORNING`` DAY, and
    what names neither (CONTINUOUS, LATER, MOMENTS LATER, none) is "other"."""
    if _NIGHT.search(time):
        return "NIGHT"
    return "DAY" if _DAY.search(time) else "other"


def _tally(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(values)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _character_stats(
    scenes: list[SceneStats], spoken: Counter[str], speeches: Counter[str]
) -> tuple[CharacterStats, ...]:
    total = sum(spoken.values())
    appearances: dict[str, list[SceneStats]] = {}
    for scene in scenes:
        for name in scene.characters:
            appearances.setdefault(name, []).append(scene)
    result = []
    for name, seen in appearances.items():  # a speaker is always present in the scene
        first, last = seen[0], seen[-1]
        result.append(
            CharacterStats(
                name=name,
                scenes=len(seen),
                speeches=speeches[name],
                words=spoken[name],
                share=spoken[name] / total if total else 0.0,
                first=Appearance(first.page, first.number, first.day_short),
                last=Appearance(last.page, last.number, last.day_short),
            )
        )
    return tuple(sorted(result, key=lambda c: (-c.words, -c.scenes, c.name)))


def _location_stats(scenes: list[SceneStats]) -> tuple[LocationStats, ...]:
    by_place: dict[str, list[SceneStats]] = {}
    for scene in scenes:
        by_place.setdefault(scene.location or scene.heading, []).append(scene)
    result = [
        LocationStats(
            name=name,
            scenes=len(group),
            eighths=sum(s.eighths for s in group),
            characters=tuple(dict.fromkeys(c for s in group for c in s.characters)),
        )
        for name, group in by_place.items()
    ]
    return tuple(sorted(result, key=lambda loc: (-loc.scenes, -loc.eighths, loc.name)))


def prose_stats(project: Project, counts: Sequence[ChapterCounts] | None = None) -> ProseStats:
    chapters = []
    if counts is None or len(counts) != len(project.chapters):
        counts = [chapter_counts(chapter) for chapter in project.chapters]
    for chapter, count in zip(project.chapters, counts, strict=True):
        words, quoted = count.words, count.quoted
        chapters.append(
            ChapterStats(
                title=chapter.front.title or chapter.title,
                location=f"{chapter.span.path}:{chapter.span.line}",
                words=chapter.words,
                reading_minutes=chapter.words / READING_WORDS_PER_MINUTE,
                dialogue_share=min(1.0, quoted / words) if words else 0.0,
                pov=chapter.front.pov,
            )
        )
    total = sum(c.words for c in chapters)
    return ProseStats(words=total, reading_minutes=total / READING_WORDS_PER_MINUTE, chapters=tuple(chapters))


def _days_with_gaps(
    rows: tuple[OutlineDay | OutlineGap, ...], timeline: Timeline, eighths: dict[int, int]
) -> tuple[DayStats, ...]:
    """The story days with material, each knowing the run of empty days before it."""
    days: list[DayStats] = []
    gap: OutlineGap | None = None
    for row in rows:
        if isinstance(row, OutlineGap):
            gap = row
            continue
        stats = _day_stats(row, timeline, eighths)
        if gap is not None:
            stats = replace(stats, gap_before=gap.label, gap_days=_days_in(gap))
        days.append(stats)
        gap = None
    return tuple(days)


def _days_in(gap: OutlineGap) -> int:
    if gap.first.number is not None and gap.last.number is not None:
        return gap.last.number - gap.first.number + 1
    first = gap.first.date.day_index() if gap.first.date else None
    last = gap.last.date.day_index() if gap.last.date else None
    return last - first + 1 if first is not None and last is not None else 0


def _day_stats(row: OutlineDay, timeline: Timeline, eighths: dict[int, int]) -> DayStats:
    placements = [p for p in timeline.placements if p.day == row.day]
    scenes = [p.scene for p in placements if p.scene is not None]
    presence: Counter[str] = Counter(name for entry in row.entries for name in entry.characters)
    return DayStats(
        label=row.label,
        short_label=row.short_label,
        scenes=len(scenes),
        eighths=sum(eighths.get(id(scene), 0) for scene in scenes),
        words=row.words,
        prose_words=sum(p.words for p in placements if p.kind == "chapter"),
        characters=row.characters,
        presence=tuple((name, presence[name]) for name in row.characters),
    )


def eighths_label(eighths: int) -> str:
    """Page-eighths as screenwriters write them: ``2 3/8``, ``7/8``, ``1``."""
    pages, rest = divmod(eighths, 8)
    if not rest:
        return str(pages)
    return f"{pages} {rest}/8" if pages else f"{rest}/8"
