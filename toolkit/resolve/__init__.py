"""Resolve: everything derived from the whole story, worked out once per build and read by all.

``resolve(project, config)`` gives the ``Story``: the mark streams with their flashbacks and
the calendar (years filled in, day one), and, worked out on first use, the timeline (every
passage and scene on its day), the cast (who the characters are), the people a bible-less
book's prose names, who is present in each passage and scene, the day-by-day outline and the
screenplay's pages. The outline, the stats, the
checks and the renderers read these; none of them works any of it out again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from toolkit.config import Config, ScreenplayConfig
from toolkit.metadata import Metadata, project_metadata
from toolkit.model import Project, Timeline
from toolkit.resolve.calendar import StoryCalendar, story_calendar
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.streams import MarkStream, mark_streams

if TYPE_CHECKING:
    # Imported where first used: a build that asks for neither (the checks, the screenplay's
    # text outputs) does not load them, and one that does loads them in the process that renders.
    # The presence's module comes with the cast, on first use (see Story.timeline).
    from toolkit.layout import Layout, LayoutOptions
    from toolkit.resolve.outline import Outline
    from toolkit.resolve.presence import CharacterIndex

__all__ = ["PartMemo", "Remember", "Story", "layout_options", "resolve"]

# A store kept from one build to the next (the pipeline's cache): ``remember(kind, key, make,
# type)`` is the value kept under ``key``, else ``make()`` (then kept).
Remember = Callable[[str, str, Callable[[], Any], Any], Any]
PASSAGES_PRESENCE = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Story:
    """A project resolved: one per build. The cached parts are worked out on first use, once."""

    project: Project
    config: Config
    meta: Metadata
    streams: tuple[MarkStream, ...]
    calendar: StoryCalendar
    # What was worked out from parts of the project (a chapter, a scene), kept from one
    # story to the next by a face that checks again and again (pipeline.Session).
    memo: PartMemo = field(default_factory=PartMemo, compare=False, repr=False)
    # Who is present in each placement, worked out for a placement when first asked.
    _present: dict[int, tuple[str, ...]] = field(default_factory=dict, init=False, compare=False, repr=False)
    # The pipeline's cache, kept between builds: who is present in each chapter's passages, by
    # the chapter's text and the people looked for (an edit works out its own chapter's again).
    remember: Remember | None = field(default=None, compare=False, repr=False)

    @cached_property
    def timeline(self) -> Timeline:
        """Every passage and scene on its day. Worked out on first use, as the cast is: a build
        shares its products out between two processes once the story is resolved
        (toolkit/parallel.py), and of a screenplay build only the checks (and the summary after
        them) read these: worked out in the process that runs the checks, they no longer delay
        the screenplay PDF's process (for Big Fish ~15 ms with their imports, issue 16). A
        build with more than one outline or report product has them worked out before it
        shares the products out, with the outline (pipeline._work_out_shared_parts)."""
        from toolkit.resolve.timeline import build_timeline

        return build_timeline(self.project, self.calendar, self.streams, self.memo)

    @cached_property
    def cast(self) -> CharacterIndex:
        """Who the characters are: the bible's characters and the screenplay's cues (the same
        parts, the same index, and the presence worked out with it is kept too)."""
        from toolkit.resolve.presence import character_index, screenplay_cues

        project = self.project
        cues = tuple(screenplay_cues(project))
        return self.memo.get("cast", (project.characters,), lambda: character_index(project), cues)

    def present(self, index: int) -> tuple[str, ...]:
        """The characters present in the timeline's ``index``-th placement (a passage or a scene)."""
        found = self._present.get(index)
        if found is None:
            from toolkit.resolve.presence import present_in

            placement, people = self.timeline.placements[index], self.people
            moment = placement.scene.elements if placement.scene is not None else (placement.passage,)
            found = self._present[index] = self.memo.get(
                "present", (people, *moment), lambda: present_in(placement, people), placement.scene is not None
            )
        return found

    @cached_property
    def people(self) -> CharacterIndex:
        """Who may be present in a passage or a scene: the cast, and with no bible also the
        people the prose names (a bible-less novel's outline would otherwise name nobody).
        Worked out on first use: the checks judge names from the cast alone."""
        from toolkit.resolve.presence import character_index, people_in_prose

        if self.project.characters or not self.project.chapters:
            return self.cast
        return character_index(self.project, people_in_prose(self.project, self.config.language, self.remember))

    @cached_property
    def presence(self) -> tuple[tuple[str, ...], ...]:
        """The characters present in each placement of the timeline, in the same order."""
        if self.remember is not None:
            self._recall_prose_presence(self.remember)
        return tuple(self.present(index) for index in range(len(self.timeline.placements)))

    def _work_out(self, indices: list[int]) -> tuple[tuple[str, ...], ...]:
        return tuple(self.present(index) for index in indices)

    def _recall_prose_presence(self, remember: Remember) -> None:
        """Who is present in each chapter's passages, from ``remember`` by chapter: the key is the
        text of the chapter's blocks, passage by passage, and every form of every name looked for
        (``present_in`` reads nothing else of a passage)."""
        chapters: dict[int, list[int]] = {}
        for index, placement in enumerate(self.timeline.placements):
            if placement.chapter is not None and placement.passage is not None and placement.scene is None:
                chapters.setdefault(id(placement.chapter), []).append(index)
        if not chapters:
            return
        people = hashlib.sha256(repr(sorted(self.people.by_surface.items())).encode("utf-8")).hexdigest()
        for indices in chapters.values():
            hasher = hashlib.sha256(people.encode("ascii"))
            for index in indices:
                passage = self.timeline.placements[index].passage
                assert passage is not None
                hasher.update(b"\1%d" % len(passage.blocks))
                for block in passage.blocks:
                    text = block.text.encode("utf-8")
                    hasher.update(b"\0%d\0" % len(text) + text)
            found = remember(
                "presence", hasher.hexdigest(), functools.partial(self._work_out, indices), PASSAGES_PRESENCE
            )
            if isinstance(found, tuple) and len(found) == len(indices):
                for index, names in zip(indices, found, strict=True):
                    self._present.setdefault(index, names)

    @cached_property
    def outline(self) -> Outline:
        from toolkit.resolve.outline import build_outline

        return build_outline(self.project, self.timeline, self.presence, self.people, self.meta.title, self.calendar)

    @cached_property
    def layout(self) -> Layout | None:
        """The screenplay paginated as ``screenplay.pdf`` prints it (None without a screenplay)."""
        from toolkit.layout import paginate

        if self.project.screenplay is None:
            return None
        return paginate(self.project.screenplay, layout_options(self.config.screenplay))


def layout_options(settings: ScreenplayConfig) -> LayoutOptions:
    """The pagination that fabula.toml's [screenplay] asks for: the PDF and the stats share it."""
    from toolkit.layout import LayoutOptions

    return LayoutOptions(
        contd=settings.contd,
        notes=settings.notes,
        scene_numbers=settings.scene_numbers,
        heading_space=settings.heading_space,
    )


def resolve(project: Project, config: Config, memo: PartMemo | None = None, remember: Remember | None = None) -> Story:
    """The story of ``project``: streams and calendar (the rest on first use).
    ``memo`` holds what earlier stories of the same project worked out from parts still here;
    ``remember`` what earlier builds worked out (the pipeline's cache)."""
    memo = memo if memo is not None else PartMemo()
    streams = mark_streams(project)
    return Story(
        project=project,
        config=config,
        meta=project_metadata(project, config),
        streams=streams,
        calendar=story_calendar(streams, config),
        memo=memo,
        remember=remember,
    )
