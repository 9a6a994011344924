"""The stats' costly counts, each made from one part of the project: kept between builds.

A chapter's words and the words inside its quotation marks depend on its text alone; the
screenplay's pages, each scene's length and each cue's speeches on the screenplay and its
pagination alone. The pipeline keeps them in its cache (``stats_parts``), so that the report
after an edit to one chapter counts that chapter only. This module stays light (no layout, no
report): the pipeline reads the counts before the products are shared out between two cores.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from toolkit.model import Chapter, Screenplay, plain, speakers
from toolkit.resolve import Remember, Story, layout_options
from toolkit.words import count_words

if TYPE_CHECKING:
    from toolkit.layout import Layout

_QUOTE_MARKS = re.compile('[“"]')
T = TypeVar("T")


def quotations(text: str) -> list[str]:
    """The quoted stretches of ``text``: “…” (over line breaks), and "…" within a line.

    One pass: each opening mark looks for its closing one once, and a closing mark found is
    kept for the openings after it, so that a text of ten thousand “ and no ” takes no longer
    than any other (a pattern such as “[^”]*” searched again from every “ took quadratic time).
    """
    found: list[str] = []
    ahead = {"”": -2, '"': -2, "\n": -2}  # the next of each mark at or after ``position``, -1: none

    def next_of(mark: str, position: int) -> int:
        if ahead[mark] != -1 and ahead[mark] < position:
            ahead[mark] = text.find(mark, position)
        return ahead[mark]

    position = 0
    for opening in _QUOTE_MARKS.finditer(text):
        start = opening.start()
        if start < position:
            continue
        if opening.group() == "“":
            close = next_of("”", start + 1)
        else:
            close = next_of('"', start + 1)
            line_end = next_of("\n", start + 1)
            if 0 <= line_end < close:
                close = -1
        if close >= 0:
            found.append(text[start : close + 1])
            position = close + 1
    return found


def scene_lengths(layout: Layout, scenes: int) -> list[tuple[int, int]]:
    """(page, eighths of a page) for each of the ``scenes`` scenes of the paginated screenplay.

    The page is the script page where the scene's first line is printed; eighths are rounded
    from its printed rows, at least 1. A scene that prints nothing (only notes or boneyard)
    takes 0 eighths on the page where the previous scene ended.
    """
    lines_per_page = layout.options.lines_per_page
    extents = {extent.scene: extent for extent in layout.scenes}
    lengths = []
    page = 1
    for index in range(scenes):
        extent = extents.get(index)
        if extent is None:
            lengths.append((page, 0))
        else:
            lengths.append((extent.start.page, extent.eighths(lines_per_page)))
            page = extent.end.page
    return lengths


# ---------------------------------------------------------------- counts


@dataclass(frozen=True)
class ChapterCounts:
    """What the stats count in a chapter's text: its blocks' words, and the words inside quotation marks."""

    words: int
    quoted: int


@dataclass(frozen=True)
class ScreenplayCounts:
    """What the stats read of the screenplay as the PDF paginates it, and of its speeches."""

    pages: int
    lengths: tuple[tuple[int, int], ...]  # (page, eighths) of each scene: see scene_lengths
    speeches: tuple[tuple[str, int, int], ...]  # (cue as written, speeches, words spoken), first speech first


@dataclass(frozen=True)
class StatsParts:
    """The costly counts of the stats, each made from one part of the project (a chapter's text,
    the screenplay): kept between builds by the pipeline's cache (see ``stats_parts``)."""

    chapters: tuple[ChapterCounts, ...]
    screenplay: ScreenplayCounts | None


def chapter_counts(chapter: Chapter) -> ChapterCounts:
    texts = [block.text for block in chapter.blocks]
    words = sum(count_words(text) for text in texts)
    return ChapterCounts(words, sum(count_words(q) for text in texts for q in quotations(text)))


def screenplay_counts(screenplay: Screenplay, layout: Layout) -> ScreenplayCounts:
    speeches: Counter[str] = Counter()
    spoken: Counter[str] = Counter()
    for scene in screenplay.scenes:
        for element in scene.elements:
            for speech in speakers(element):
                speeches[speech.name] += 1
                spoken[speech.name] += sum(
                    count_words(plain(line.text)) for line in speech.lines if not line.parenthetical
                )
    lengths = tuple(scene_lengths(layout, len(screenplay.scenes)))
    return ScreenplayCounts(len(layout.pages), lengths, tuple((cue, speeches[cue], spoken[cue]) for cue in speeches))


def chapter_key(chapter: Chapter) -> str:
    """A chapter's key for its counts: the text of its blocks, which is all ``chapter_counts`` reads."""
    hasher = hashlib.sha256(b"chapter counts")
    for block in chapter.blocks:
        text = block.text.encode("utf-8")
        hasher.update(b"\0%d\0" % len(text) + text)
    return hasher.hexdigest()


def stats_parts(story: Story, remember: Remember | None = None, screenplay_key: str | None = None) -> StatsParts:
    """The stats' counts of ``story``, each from ``remember`` (the pipeline's cache) when it keeps
    one: a chapter's by the text of its blocks, the screenplay's by ``screenplay_key`` (its
    sources as read) and the pagination asked for. An edit to one chapter counts that one."""

    def kept(key: str | None, make: Callable[[], T], of: type[T]) -> T:
        found = make() if remember is None or key is None else remember("stats", key, make, of)
        return found if isinstance(found, of) else make()

    chapters = tuple(
        kept(chapter_key(chapter), functools.partial(chapter_counts, chapter), ChapterCounts)
        for chapter in story.project.chapters
    )
    screenplay = story.project.screenplay
    if screenplay is None:
        return StatsParts(chapters, None)

    def count() -> ScreenplayCounts:
        layout = story.layout  # paginated only when the counts are not kept
        assert layout is not None and screenplay is not None
        return screenplay_counts(screenplay, layout)

    key = None
    if screenplay_key is not None:
        pagination = repr(layout_options(story.config.screenplay))
        key = hashlib.sha256(f"screenplay counts\0{screenplay_key}\0{pagination}".encode()).hexdigest()
    counts = kept(key, count, ScreenplayCounts)
    if len(counts.lengths) != len(screenplay.scenes):
        counts = count()
    return StatsParts(chapters, counts)
