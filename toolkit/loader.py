"""Finds a project's source files, reads them as UTF-8 and hands each to its parser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import FabulaError
from toolkit.model import Chapter, Character, Project, Screenplay, Span

MANUSCRIPT = "manuscript"
SCREENPLAY = "screenplay"
BIBLE = "characters.yaml"
CHAPTER_SUFFIXES = (".md", ".markdown")
SCENE_SUFFIXES = (".fountain",)

T = TypeVar("T")
# memo(kind, sources, parse): the parse of ``sources`` ((path, text) pairs), maybe from a cache.
Memo = Callable[[str, tuple[tuple[str, str], ...], Callable[[], Any]], Any]


def _no_memo(kind: str, sources: tuple[tuple[str, str], ...], parse: Callable[[], T]) -> T:
    return parse()


def natural_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts ``2-x`` before ``10-x``: digit runs compare as numbers."""
    parts = re.split(r"(\d+)", path.lower())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def source_files(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of ``root/folder`` (subfolders included) in natural order.

    Hidden files (``.DS_Store``, editor swap files) are skipped; any other file whose suffix is
    not one of ``suffixes`` is an error, so that a chapter saved as ``.txt`` is never silently
    left out of the book.
    """
    base = root / folder
    if not base.is_dir():
        return []
    found: list[Path] = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.endswith("~"):
            continue
        if path.suffix.lower() not in suffixes:
            raise FabulaError(
                f"unknown file in {folder}/: expected {' or '.join(suffixes)} files",
                path=relative.as_posix(),
            )
        found.append(path)
    return sorted(found, key=lambda p: natural_key(p.relative_to(root).as_posix()))


def read_text(root: Path, path: Path) -> str:
    """The file's text; a one-line error naming the file and line when it is not UTF-8."""
    relative = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FabulaError(f"cannot read file: {error.strerror}", path=relative) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FabulaError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); save the file as UTF-8",
            Span(relative, line, column),
        ) from None
    return text


# The parsers (and yaml, screenplain) are imported only when a file is really parsed: a build whose
# parses all come from the cache starts faster without them.
def _parse_chapters(path: str, text: str) -> tuple[Chapter, ...]:
    from toolkit.parsers.markdown import parse_chapters

    return parse_chapters(path, text)


def _parse_screenplay(scenes: list[tuple[str, str]]) -> Screenplay:
    from toolkit.parsers.fountain import parse_screenplay

    return parse_screenplay(scenes)


def _parse_bible(path: str, text: str) -> tuple[Character, ...]:
    from toolkit.parsers.bible import parse_bible

    return parse_bible(path, text)


def load_project(root: Path, memo: Memo = _no_memo) -> Project:
    """Read and parse every source of the project at ``root``.

    Every parse goes through ``memo`` with the texts it reads, so that a cache
    (toolkit/incremental.py) can hand back an earlier parse of the same texts.
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
        chapters.extend(memo("chapters", (source,), lambda source=source: _parse_chapters(*source)))
    scenes = tuple((path.relative_to(root).as_posix(), read_text(root, path)) for path in scene_files)
    screenplay = memo("screenplay", scenes, lambda: _parse_screenplay(list(scenes))) if scenes else None
    bible_path = root / BIBLE
    characters: tuple[Character, ...] = ()
    if bible_path.is_file():
        bible = ((BIBLE, read_text(root, bible_path)),)
        characters = memo("bible", bible, lambda: _parse_bible(*bible[0]))
    return Project(root=str(root), chapters=tuple(chapters), screenplay=screenplay, characters=characters)
