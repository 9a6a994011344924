"""What the language server tells about a resolved story, in fabula's terms (spans, names, days).

Pure functions of the ``Story`` the pipeline made: no editor types here (server.py turns these
into the protocol's), nothing parsed again. A place is a ``Span`` (1-based line, 1-based column
in characters) and a length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.diagnostics import Diagnostic
from toolkit.model import (
    PROSE_KINDS,
    WEEKDAY_NAMES,
    Action,
    BlockKind,
    Chapter,
    Character,
    Note,
    ResolvedMark,
    Section,
    Span,
    StoryDay,
    cue_key,
    plain,
    speakers,
)
from toolkit.resolve import Story
from toolkit.resolve.presence import title_case
from toolkit.resolve.timeline import day_sort_key

_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(r"(?<![^\W\d_])[A-Z][^\W\d_]{2,}")


@dataclass(frozen=True)
class Place:
    span: Span
    length: int


@dataclass(frozen=True)
class Symbol:
    """A chapter, section or scene of a file, with what it holds."""

    name: str
    detail: str
    kind: str  # "chapter", "section", "scene", "day"
    span: Span
    end_line: int  # the symbol's last line (inclusive)
    children: tuple[Symbol, ...] = ()


# ---------------------------------------------------------------- where the names are


def _pieces(story: Story) -> Iterator[tuple[Span, str]]:
    """Every stretch of text a name may be written in, where it starts (prose blocks as read,
    action lines, spoken lines), as the name rules read them."""
    for chapter in story.project.chapters:
        blocks = (chapter.heading, *chapter.blocks) if chapter.heading is not None else chapter.blocks
        for block in blocks:
            if block.kind in PROSE_KINDS:
                yield Span(block.span.path, block.span.line), block.text
    screenplay = story.project.screenplay
    for element in screenplay.elements if screenplay is not None else ():
        if isinstance(element, Action):
            for number, line in enumerate(element.lines):
                text = plain(line)
                col = element.span.col if number == 0 else 1
                yield Span(element.span.path, element.span.line + number, col), text
        for speaker in speakers(element):
            for spoken in speaker.lines:
                yield spoken.span, plain(spoken.text)


def place_in(span: Span, text: str, offset: int) -> Span:
    """Where ``text[offset]`` is, given that ``text`` starts at ``span``."""
    before = text[:offset]
    newline = before.rfind("\n")
    if newline < 0:
        return Span(span.path, span.line, span.col + offset)
    return Span(span.path, span.line + before.count("\n"), offset - newline)


@dataclass
class NameIndex:
    """Every place each character is named or speaks, worked out once per story on first use."""

    places: dict[str, list[Place]]  # canonical name -> places, in reading order
    words: Counter[str]  # capitalised words of the text never written in lower case, by use

    @classmethod
    def of(cls, story: Story) -> NameIndex:
        cast = story.cast
        places: dict[str, list[Place]] = {}
        seen: Counter[str] = Counter()
        lower: set[str] = set()
        for span, text in _pieces(story):
            if cast.pattern is not None:
                for match in cast.pattern.finditer(text):
                    for name in cast.by_surface.get(" ".join(match.group(0).split()), ()):
                        places.setdefault(name, []).append(
                            Place(place_in(span, text, match.start()), len(match.group()))
                        )
            seen.update(_CAPITALISED.findall(text))
            lower.update(word for word in _WORD.findall(text) if word.islower())
        screenplay = story.project.screenplay
        for element in screenplay.elements if screenplay is not None else ():
            for speaker in speakers(element):
                name = cast.speaker(speaker.name)
                places.setdefault(name, []).append(Place(speaker.span, len(speaker.cue)))
        for found in places.values():
            found.sort(key=lambda place: (_order(story, place.span.path), place.span.line, place.span.col))
        words = Counter({word: uses for word, uses in seen.items() if word.lower() not in lower})
        return cls(places, words)


def _order(story: Story, path: str) -> int:
    """A file's place in reading order: chapters, then scenes."""
    files = _files(story)
    return files.get(path, len(files))


def _files(story: Story) -> dict[str, int]:
    order = [chapter.span.path for chapter in story.project.chapters]
    if story.project.screenplay is not None:
        order.extend(story.project.screenplay.files)
    return {path: index for index, path in enumerate(dict.fromkeys(order))}


def name_at(story: Story, line_text: str, col: int, fountain: bool) -> tuple[str, int, int] | None:
    """(canonical name, first column, length) of the character named at ``col`` (1-based) of a
    line, a Fountain cue included."""
    cast = story.cast
    if fountain:
        key = cue_key(line_text)
        stripped = line_text.strip()
        if key and stripped.lstrip("@").upper() == stripped.lstrip("@") and key in cast.by_cue:
            start = len(line_text) - len(line_text.lstrip()) + 1
            if start <= col <= start + len(stripped):
                return cast.by_cue[key], start, len(stripped)
    if cast.pattern is None:
        return None
    for match in cast.pattern.finditer(line_text):
        if match.start() + 1 <= col <= match.end() + 1:
            names = cast.by_surface.get(" ".join(match.group(0).split()), ())
            if names:
                return names[0], match.start() + 1, len(match.group())
    return None


def character(story: Story, name: str) -> Character | None:
    return next((c for c in story.project.characters if c.name == name), None)


def definition(story: Story, index: NameIndex, name: str) -> Place | None:
    """The bible entry of a character, else where the story first names them."""
    entry = character(story, name)
    if entry is not None:
        return Place(entry.span, len(entry.name))
    found = index.places.get(name)
    return found[0] if found else None


# ---------------------------------------------------------------- hover


def _appearance(story: Story, name: str, last: bool) -> str | None:
    indexes = range(len(story.timeline.placements))
    for index in reversed(indexes) if last else indexes:
        if name in story.present(index):
            placement = story.timeline.placements[index]
            day = placement.day.label() if placement.day is not None else "undated"
            return f"{placement.title} ({day}; {placement.span.path}:{placement.span.line})"
    return None


def name_hover(story: Story, index: NameIndex, name: str) -> str:
    """A character as the bible and the story know them, in Markdown."""
    lines = [f"**{name}**"]
    entry = character(story, name)
    if entry is not None:
        if entry.aliases:
            lines.append(f"- aliases: {', '.join(entry.aliases)}")
        lines.append(f"- cue: {entry.cue_name}")
        if entry.distinct:
            lines.append(f"- not to be confused with: {', '.join(entry.distinct)}")
        if entry.exits is not None:
            day = story.calendar.resolve(entry.exits)
            lines.append(f"- exits: {entry.exits.text} ({day.label()})")
        lines.append(f"- characters.yaml, line {entry.span.line}")
    else:
        lines.append("- not in characters.yaml")
    first, last = _appearance(story, name, last=False), _appearance(story, name, last=True)
    if first is not None:
        lines.append(f"- first appears: {first}")
    if last is not None and last != first:
        lines.append(f"- last appears: {last}")
    uses = len(index.places.get(name, ()))
    lines.append(f"- named or speaking {uses} time{'s' * (uses != 1)}")
    return "\n".join(lines)


def mark_at(story: Story, path: str, line: int, col: int) -> ResolvedMark | None:
    for resolved in story.timeline.marks:
        span = resolved.mark.span
        width = len(resolved.mark.text.split("\n", 1)[0])
        if span.path == path and span.line == line and span.col <= col <= span.col + width:
            return resolved
    return None


def story_days(story: Story) -> list[StoryDay]:
    """The story's dated days, in story order, once each."""
    days = {placement.day for placement in story.timeline.placements if placement.day is not None}
    return sorted(days, key=day_sort_key)


def mark_hover(story: Story, resolved: ResolvedMark, findings: list[Diagnostic]) -> str:
    """A day marker: its weekday, DAY number and place among the story's days, and what is wrong."""
    mark, day = resolved.mark, resolved.day
    lines = [f"**{day.label()}**"]
    date = story.calendar.date_in_story(mark)
    if date is not None and date.weekday is not None:
        said = f" (the text says {WEEKDAY_NAMES[mark.weekday]})" if mark.weekday not in (None, date.weekday) else ""
        lines.append(f"- weekday: {WEEKDAY_NAMES[date.weekday]}{said}")
        if mark.date is not None and mark.date.year is None and date.year is not None:
            lines.append(f"- year {date.year}, from the story so far")
    if day.number is not None:
        lines.append(
            f"- DAY {day.number}" + (f" (day one {story.calendar.day_one.label()})" if story.calendar.day_one else "")
        )
    days = story_days(story)
    if day in days:
        lines.append(f"- story day {days.index(day) + 1} of {len(days)}")
    lines.extend(f"- **{finding.code}** {finding.message}" for finding in findings)
    return "\n".join(lines)


def finding_hover(finding: Diagnostic, title: str) -> str:
    return f"**{finding.code}** {title}\n\n`fabula check --explain {finding.code}`"


# ---------------------------------------------------------------- symbols


def _close(symbols: list[Symbol], last_line: int) -> tuple[Symbol, ...]:
    """Each symbol ends where the next one starts."""
    closed = []
    for number, symbol in enumerate(symbols):
        end = symbols[number + 1].span.line - 1 if number + 1 < len(symbols) else last_line
        closed.append(
            Symbol(symbol.name, symbol.detail, symbol.kind, symbol.span, max(end, symbol.span.line), symbol.children)
        )
    return tuple(closed)


def _day(story: Story, resolved: StoryDay | None) -> str:
    return resolved.label() if resolved is not None else ""


def document_symbols(story: Story, path: str, last_line: int) -> tuple[Symbol, ...]:
    """The outline of one file: chapters with their sections, or sections with their scenes."""
    if any(chapter.span.path == path for chapter in story.project.chapters):
        return _chapter_symbols(story, [c for c in story.project.chapters if c.span.path == path], last_line)
    screenplay = story.project.screenplay
    if screenplay is None or path not in screenplay.files:
        return ()
    days = {placement.scene.span: placement.day for placement in story.timeline.placements if placement.scene}
    top: list[Symbol] = []
    section: tuple[Symbol, list[Symbol]] | None = None
    for element in screenplay.elements:
        if element.span.path != path:
            continue
        if isinstance(element, Section) and element.level == 1:
            if section is not None:
                top.append(_with_children(section, element.span.line - 1))
            section = (Symbol(element.text.strip() or "(section)", "", "section", element.span, element.span.line), [])
    if section is not None:
        top.append(_with_children(section, last_line))
    scenes = [
        Symbol(scene.title, _day(story, days.get(scene.span)), "scene", scene.span, scene.span.line)
        for scene in screenplay.scenes
        if scene.span.path == path and scene.heading is not None
    ]
    scenes_closed = _close(scenes, last_line)
    if not top:
        return scenes_closed
    placed = []
    for symbol in top:
        inside = tuple(s for s in scenes_closed if symbol.span.line <= s.span.line <= symbol.end_line)
        placed.append(Symbol(symbol.name, symbol.detail, symbol.kind, symbol.span, symbol.end_line, inside))
    before = tuple(s for s in scenes_closed if s.span.line < top[0].span.line)
    return (*before, *_close(placed, last_line))


def _with_children(section: tuple[Symbol, list[Symbol]], end: int) -> Symbol:
    symbol, children = section
    return Symbol(symbol.name, symbol.detail, symbol.kind, symbol.span, end, tuple(children))


def _chapter_symbols(story: Story, chapters: list[Chapter], last_line: int) -> tuple[Symbol, ...]:
    found = []
    for chapter in chapters:
        children = []
        for passage in chapter.passages:
            for block in passage.blocks:
                if block.kind is BlockKind.HEADING and block.level >= 2:
                    children.append(Symbol(block.title, "", "section", block.span, block.last_line))
            if passage.mark is not None and passage.mark.kind == "inline":
                day = story.calendar.resolve(passage.mark)
                children.append(Symbol(passage.mark.text, day.label(), "day", passage.span, passage.span.line))
        children.sort(key=lambda symbol: symbol.span.line)
        first = chapter.passages[0].mark if chapter.passages and chapter.passages[0].mark else None
        detail = story.calendar.resolve(first).label() if first is not None else ""
        found.append(Symbol(chapter.title, detail, "chapter", chapter.span, chapter.span.line, tuple(children)))
    closed = _close(found, last_line)
    return tuple(
        Symbol(c.name, c.detail, c.kind, c.span, c.end_line, _close(list(c.children), c.end_line)) for c in closed
    )


def workspace_symbols(story: Story, index: NameIndex, query: str) -> list[Symbol]:
    """Characters (at their bible entry or first appearance) and story days (at their first
    passage or scene) whose name holds ``query``."""
    wanted = query.casefold()
    found = []
    for name in story.cast.order:
        place = definition(story, index, name)
        if place is not None and wanted in name.casefold():
            found.append(Symbol(name, "character", "character", place.span, place.span.line))
    first: dict[StoryDay, Span] = {}
    for placement in story.timeline.placements:
        if placement.day is not None:
            first.setdefault(placement.day, placement.span)
    for day in story_days(story):
        label = day.label()
        if wanted in label.casefold():
            found.append(Symbol(label, "story day", "day", first[day], first[day].line))
    return found


# ---------------------------------------------------------------- completion


def cue_names(story: Story) -> list[str]:
    """Cues a scene may use: each bible character's cue, then the cues the screenplay uses."""
    cues = [c.cue_name.upper() for c in story.project.characters]
    screenplay = story.project.screenplay
    for scene in screenplay.scenes if screenplay is not None else ():
        cues.extend(scene.cues)
    return list(dict.fromkeys(cue for cue in cues if cue))


def prose_names(story: Story, index: NameIndex) -> list[str]:
    """Names prose may use: the bible's names and aliases, the cast's, and the capitalised
    words the text uses as names (never in lower case, three times or more)."""
    names: list[str] = []
    for entry in story.project.characters:
        names.extend((entry.name, *entry.aliases, title_case(entry.cue_name)))
    names.extend(story.cast.order)
    names.extend(word for word, uses in index.words.most_common() if uses >= 3)
    return list(dict.fromkeys(names))


def is_cue_line(line_before_cursor: str, previous_line: str | None) -> bool:
    """A Fountain line that is becoming a cue: capitals so far, after a blank line."""
    typed = line_before_cursor.strip()
    return (previous_line is None or not previous_line.strip()) and typed == typed.upper() and "." not in typed


# ---------------------------------------------------------------- ignore comments


def ignore_line(story: Story, finding: Diagnostic) -> int:
    """The line above which an ignore comment covers ``finding``: the first line of the block
    (Markdown) or element (Fountain, a speech from its cue) that holds it."""
    path, line = finding.span.path, finding.span.line
    for chapter in story.project.chapters:
        if chapter.span.path != path:
            continue
        blocks = (chapter.heading, *chapter.blocks) if chapter.heading is not None else chapter.blocks
        for block in blocks:
            if block.span.line <= line <= max(block.last_line, block.span.line):
                return block.span.line
    screenplay = story.project.screenplay
    best = None
    for element in screenplay.elements if screenplay is not None else ():
        inside = element.span.path == path and not isinstance(element, Note) and element.span.line <= line
        if inside and (best is None or element.span.line > best):
            best = element.span.line
    return best if best is not None else line
