"""Finds a project's source files, reads them as UTF-8 and hands each to its parser."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.errors import FabulaError
from toolkit.model import Project, Span

MANUSCRIPT = "manuscript"
SCREENPLAY = "screenplay"
BIBLE = "characters.yaml"
CHAPTER_SUFFIXES = (".md", ".markdown")
SCENE_SUFFIXES = (".fountain",)


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


def load_project(root: Path) -> Project:
    """Read and parse every source of the project at ``root``."""
    from toolkit.parsers.fountain import parse_screenplay
    from toolkit.parsers.markdown import parse_chapters

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
    chapters = tuple(
        chapter
        for path in chapter_files
        for chapter in parse_chapters(path.relative_to(root).as_posix(), read_text(root, path))
    )
    screenplay = (
        parse_screenplay([(path.relative_to(root).as_posix(), read_text(root, path)) for path in scene_files])
        if scene_files
        else None
    )
    bible_path = root / BIBLE
    characters = ()
    if bible_path.is_file():
        from toolkit.parsers.bible import parse_bible  # and PyYAML (~10 ms), only for a project with a bible

        characters = parse_bible(BIBLE, read_text(root, bible_path))
    return Project(root=str(root), chapters=chapters, screenplay=screenplay, characters=characters)
