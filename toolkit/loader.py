"""Reads a project's sources and hands each text to the parser for its kind: the model out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import FabulaError
from toolkit.model import Chapter, Character, Project, Screenplay
from toolkit.sources import BIBLE, CHAPTER_SUFFIXES, MANUSCRIPT, SCENE_SUFFIXES, SCREENPLAY, read_text, source_files

T = TypeVar("T")
# memo(kind, sources, parse): the parse of ``sources`` ((path, text) pairs), maybe from a cache.
Memo = Callable[[str, tuple[tuple[str, str], ...], Callable[[], Any]], Any]


def _no_memo(kind: str, sources: tuple[tuple[str, str], ...], parse: Callable[[], T]) -> T:
    return parse()


# The parsers (and yaml, screenplain) are imported only when a file is really parsed: a build whose
# parses all come from the cache starts faster without them.
def _parse_chapters(path: str, text: str, language: str) -> tuple[Chapter, ...]:
    from toolkit.parsers.markdown import parse_chapters

    return parse_chapters(path, text, language)


def _parse_screenplay(scenes: list[tuple[str, str]]) -> Screenplay:
    from toolkit.parsers.fountain import parse_screenplay

    return parse_screenplay(scenes)


def _parse_bible(path: str, text: str) -> tuple[Character, ...]:
    from toolkit.parsers.bible import parse_bible

    return parse_bible(path, text)


def load_project(root: Path, memo: Memo = _no_memo, language: str = "en") -> Project:
    """Read and parse every source of the project at ``root``.

    Every parse goes through ``memo`` with the texts it reads, so that a cache
    (toolkit/cache.py) can hand back an earlier parse of the same texts. ``language``
    (fabula.toml's) is the language chapters read their day markers in; a chapter's parse is
    remembered per language.
    """
    if not root.is_dir():
        raise FabulaError("no such project folder", path=str(root))
    chapter_files = source_files(root, MANUSCRIPT, CHAPTER_SUFFIXES)
    scene_files = source_files(root, SCREENPLAY, SCENE_SUFFIXES)
    if not chapter_files and not scene_files:
        raise FabulaError(
            f"empty project: no {MANUSCRIPT}/*.md chapters and no {SCREENPLAY}/*.fountain scenes "
            "(run 'fabula new PATH' to start one)",
            path=str(root),
        )
    chapters: list[Chapter] = []
    for path in chapter_files:
        source = (path.relative_to(root).as_posix(), read_text(root, path))
        parse = functools.partial(_parse_chapters, *source, language)
        chapters.extend(memo("chapters" if language == "en" else f"chapters/{language}", (source,), parse))
    scenes = tuple((path.relative_to(root).as_posix(), read_text(root, path)) for path in scene_files)
    screenplay = memo("screenplay", scenes, lambda: _parse_screenplay(list(scenes))) if scenes else None
    bible_path = root / BIBLE
    characters: tuple[Character, ...] = ()
    if bible_path.is_file():
        bible = ((BIBLE, read_text(root, bible_path)),)
        characters = memo("bible", bible, lambda: _parse_bible(*bible[0]))
    return Project(root=str(root), chapters=tuple(chapters), screenplay=screenplay, characters=characters)
