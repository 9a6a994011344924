"""Numbers about a project: screenplay length, who speaks how much, words per chapter and story day."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from toolkit.characters import character_index, characters_in_scene
from toolkit.config import Config
from toolkit.model import (
    Action,
    DialogueLine,
    DualDialogue,
    Element,
    Project,
    Scene,
    SceneHeading,
    Screenplay,
    StoryDay,
    Timeline,
    Transition,
    plain,
    speakers,
)
from toolkit.outline import OutlineDay, build_outline
from toolkit.parsers.markdown import count_words

# Screenplay page arithmetic, as in Final Draft / Trelby / afterwriting: Courier 12 pt, 10
# characters to the inch, 6 lines to the inch, a page of 55 lines on US letter; A4's extra
# 0.69 inch of height gives it 59. One page is about one minute of screen time.
LINES_PER_PAGE = {"letter": 55, "a4": 59}
ACTION_WIDTH = 60  # 6.0 in
DIALOGUE_WIDTH = 35  # 3.5 in
PARENTHETICAL_WIDTH = 25  # 2.5 in
DUAL_WIDTH = 28  # each column of dual dialogue
READING_WORDS_PER_MINUTE = 250  # adult silent reading of fiction (Brysbaert 2019: 238–260)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def scene_lengths(screenplay: Screenplay, paper: str) -> list[int]:
    """Length of each scene in eighths of a page (at least 1), by counting typeset lines.

    An estimate from element widths, not a pagination: page breaks that split a speech
    (MORE/CONT'D) are not counted. Kept behind this one function so that it can read the
    real paginator's page breaks instead once there is one.
    """
    per_page = LINES_PER_PAGE.get(paper, LINES_PER_PAGE["letter"])
    return [max(1, round(_scene_lines(scene) * 8 / per_page)) for scene in screenplay.scenes]


def _scene_lines(scene: Scene) -> int:
    return sum(_element_lines(element) for element in scene.elements)


def _element_lines(element: Element) -> int:
    if isinstance(element, SceneHeading):
        return 2 + _wrapped(plain(element.text), ACTION_WIDTH)  # a blank line above and below
    if isinstance(element, Action):
        return 1 + sum(_wrapped(plain(line), ACTION_WIDTH) for line in element.lines)
    if isinstance(element, Transition):
        return 2
    if isinstance(element, DualDialogue):
        return 1 + max(_speech_lines(side.lines, DUAL_WIDTH) for side in (element.left, element.right))
    return sum(1 + _speech_lines(speech.lines, DIALOGUE_WIDTH) for speech in speakers(element))


def _speech_lines(lines: tuple[DialogueLine, ...], width: int) -> int:
    """The cue, then each line of dialogue or parenthetical wrapped to its column."""
    return 1 + sum(_wrapped(plain(line.text), PARENTHETICAL_WIDTH if line.parenthetical else width) for line in lines)


def _wrapped(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped at word boundaries to ``width`` characters (at least 1)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        if used > width:  # a word longer than the line is broken across lines
            lines += (used - 1) // width
            used = (used - 1) % width + 1
    return lines


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Appearance:
    page: int
    scene: int  # 1-based scene number
    day: str | None  # story day, short: "DAY 3", else "9 March 2023"


@dataclass(frozen=True)
class SceneStats:
    number: int
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


@dataclass(frozen=True)
class ProjectStats:
    title: str
    screenplay: ScreenplayStats | None
    prose: ProseStats | None
    days: tuple[DayStats, ...]  # story order, days with material only
    characters: tuple[str, ...]  # everyone, in order of first appearance in story order


# ---------------------------------------------------------------- computing


def project_stats(project: Project, timeline: Timeline, config: Config, title: str) -> ProjectStats:
    outline = build_outline(project, timeline, title)
    scene_days = {id(p.scene): p.day for p in timeline.placements if p.scene is not None}
    screenplay = None
    if project.screenplay is not None:
        screenplay = screenplay_stats(project, scene_days, config.screenplay.paper)
    prose = prose_stats(project) if project.chapters else None
    eighths = {id(scene): s.eighths for scene, s in _pairs(project, screenplay)}
    return ProjectStats(
        title=title,
        screenplay=screenplay,
        prose=prose,
        days=tuple(_day_stats(day, timeline, eighths) for day in outline.days),
        characters=outline.characters,
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


def screenplay_stats(project: Project, scene_days: dict[int, StoryDay | None], paper: str) -> ScreenplayStats:
    assert project.screenplay is not None
    from toolkit.calendar import scene_words

    index = character_index(project)
    per_page = LINES_PER_PAGE.get(paper, LINES_PER_PAGE["letter"])
    scenes: list[SceneStats] = []
    lines_before = 0
    for number, (scene, eighths) in enumerate(
        zip(project.screenplay.scenes, scene_lengths(project.screenplay, paper), strict=True), start=1
    ):
        setting, location, time = split_heading(scene.title if scene.heading else "")
        scenes.append(
            SceneStats(
                number=number,
                heading=scene.title,
                location=location,
                setting=setting,
                time=time,
                page=lines_before // per_page + 1,
                eighths=eighths,
                words=scene_words(scene),
                day=_day_label(scene_days.get(id(scene))),
                day_short=_day_short(scene_days.get(id(scene))),
                characters=characters_in_scene(scene, project),
            )
        )
        lines_before += _scene_lines(scene)
    spoken: Counter[str] = Counter()
    speeches: Counter[str] = Counter()
    for scene in project.screenplay.scenes:
        for element in scene.elements:
            for speech in speakers(element):
                name = index.speaker(speech.name)
                speeches[name] += 1
                spoken[name] += sum(count_words(plain(line.text)) for line in speech.lines if not line.parenthetical)
    total_eighths = sum(s.eighths for s in scenes)
    return ScreenplayStats(
        pages=max(1, math.ceil(lines_before / per_page)),
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
    parts = re.split(r"\s+[-–—]+\s+", text)
    time = parts.pop().strip().upper() if len(parts) > 1 else ""
    return setting, " - ".join(parts).strip().upper(), time


DAY_NIGHT = ("DAY", "NIGHT", "other")
_NIGHT = re.compile(r"\b(NIGHT|MIDNIGHT|EVENING|DUSK)\b")
_DAY = re.compile(r"\b(DAY|MORNING|AFTERNOON|NOON|DAWN|SUNRISE|SUNSET)\b")


def day_or_night(time: str) -> str:
    """The DAY/NIGHT split of a heading's time: ``NIGHT (1973)`` is NIGHT, ``MORNING`` DAY, and
    what names neither (CONTINUOUS, LATER, MOMENTS LATER, none) is "other"."""
    if _NIGHT.search(time):
        return "NIGHT"
    return "DAY" if _DAY.search(time) else "other"


def _tally(values: object) -> tuple[tuple[str, int], ...]:
    counts = Counter(values)  # type: ignore[call-overload]
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


def prose_stats(project: Project) -> ProseStats:
    chapters = []
    for chapter in project.chapters:
        texts = [paragraph.text for passage in chapter.passages for paragraph in passage.paragraphs]
        words = sum(count_words(text) for text in texts)
        quoted = sum(count_words(q) for text in texts for q in _QUOTED.findall(text))
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
