"""Scenes cut from a screenplay's elements, and a screenplay joined from scene files parsed apart.

No parsing library here: a project whose parses all come from the cache joins its scene files
without importing screenplain.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.model import (
    Action,
    DayMark,
    Dialogue,
    DualDialogue,
    Element,
    Scene,
    SceneHeading,
    Screenplay,
    ScreenplayPart,
    Section,
    Synopsis,
)


def join_parts(parts: Sequence[ScreenplayPart]) -> Screenplay | None:
    """The screenplay of files parsed one by one (``parse_part``), as ``parse_screenplay``
    reads them end to end; None when a file after the first leans on the one before it."""
    if any(part.leans for part in parts[1:]):
        return None
    elements: list[Element] = []
    owners: dict[int, int] = {}
    for part in parts:
        offset = len(elements)
        for index, owner in part.synopsis_owner:
            owners[index + offset] = owner + offset if owner >= 0 else -1
        elements.extend(part.elements)
    joined = tuple(elements)
    title_page = parts[0].title_page if parts else ()
    return Screenplay(tuple(part.path for part in parts), title_page, joined, scenes_of(joined, owners))


def scenes_of(elements: Sequence[Element], synopsis_owner: dict[int, int]) -> tuple[Scene, ...]:
    """Cuts the elements into scenes at headings and at day-marked sections."""
    # A synopsis's mark belongs to its heading or section: the scene starts there, not
    # halfway through it (a marked synopsis under a heading dates that heading's scene).
    marks: dict[int, DayMark] = {
        index: element.mark
        for index, element in enumerate(elements)
        if isinstance(element, Section) and element.mark is not None
    }
    for index, owner in sorted(synopsis_owner.items()):
        synopsis = elements[index]
        if isinstance(synopsis, Synopsis) and synopsis.mark is not None:
            marks[owner if owner >= 0 else index] = synopsis.mark
    starts: list[tuple[int, DayMark | None]] = [(0, None)]
    current: DayMark | None = None
    for index, element in enumerate(elements):
        if isinstance(element, SceneHeading) or index in marks:
            current = marks.get(index, current)
            if index == 0:
                starts = []
            starts.append((index, current))
    scenes = []
    for (start, mark), (end, _) in zip(starts, [*starts[1:], (len(elements), None)], strict=True):
        chunk = tuple(elements[start:end])
        heading = chunk[0] if chunk and isinstance(chunk[0], SceneHeading) else None
        if heading is None and not any(isinstance(e, Action | Dialogue | DualDialogue) for e in chunk):
            continue
        scenes.append(Scene(heading.span if heading else chunk[0].span, heading, chunk, mark))
    return tuple(scenes)
