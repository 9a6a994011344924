"""Reads a project's sources and hands each text to the parser for its kind: the model out."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import FabulaError
from toolkit.model import Chapter, Character, Project, Screenplay, ScreenplayPart
from toolkit.sources import (
    BIBLE,
    CHAPTER_SUFFIXES,
    MANUSCRIPT,
    SCENE_SUFFIXES,
    SCREENPLAY,
    Reads,
    Sandbox,
    clean_text,
    natural_key,
    read_text,
    source_files,
)

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


def _parse_part(path: str, text: str, first: bool) -> ScreenplayPart:
    from toolkit.parsers.fountain import parse_part

    return parse_part(path, text, first)


def _screenplay(
    memo: Memo, scenes: tuple[tuple[str, str], ...], parsed: Sequence[ScreenplayPart] | None = None
) -> Screenplay:
    """The screenplay, from each scene file's parse (a changed file is parsed alone), or parsed
    whole when a file leans on the one before it (see ScreenplayPart). ``parsed``: each file's
    parse, already made."""
    from toolkit.parsers.scenes import join_parts

    parses = [functools.partial(_parse_part, *source, number == 0) for number, source in enumerate(scenes)]
    parts = [
        memo("scene/first" if number == 0 else "scene", (source,), parse if parsed is None else _made(parsed[number]))
        for number, (source, parse) in enumerate(zip(scenes, parses, strict=True))
    ]
    joined = join_parts(parts)
    return joined if joined is not None else memo("screenplay", scenes, lambda: _parse_screenplay(list(scenes)))


def _parse_bible(path: str, text: str) -> tuple[Character, ...]:
    from toolkit.parsers.bible import parse_bible

    return parse_bible(path, text)


def _made(value: T) -> Callable[[], T]:
    return lambda: value


# Work on each chapter, and on each scene file's elements, done right after the file's parse in
# the process that parsed it (``work``), its result handed to ``keep`` here: the name rules'
# words of each part counted on two cores with the parse (toolkit/pipeline.py).
PerPart = tuple[Callable[[tuple[Any, ...]], Any], Callable[[tuple[Any, ...], Any], None]]


def _worked(
    parse: Callable[[], tuple[Chapter, ...] | ScreenplayPart], work: Callable[[tuple[Any, ...]], Any]
) -> tuple[tuple[Chapter, ...] | ScreenplayPart, list[Any]]:
    """``parse()``, and ``work`` done on each of its parts (``_parts``)."""
    parsed = parse()
    return parsed, [work(part) for part in _parts(parsed)]


def _parts(parsed: tuple[Chapter, ...] | ScreenplayPart) -> list[tuple[Any, ...]]:
    """A file's parts: each chapter alone, or the scene file's elements (none when it has none)."""
    if isinstance(parsed, ScreenplayPart):
        return [parsed.elements] if parsed.elements else []
    return [(chapter,) for chapter in parsed]


def _parse_all(
    chapter_sources: Sequence[tuple[str, str]],
    scene_sources: Sequence[tuple[str, str]],
    language: str,
    per_part: PerPart | None = None,
) -> tuple[list[tuple[Chapter, ...]], list[ScreenplayPart]] | None:
    """Every chapter file's and scene file's parse, worked out on two cores (toolkit/parallel.py),
    each file a job, the largest first; None where the files are few or small. ``per_part``:
    work done on each file's parts in the job, right after its parse (see ``PerPart``)."""
    from toolkit import parallel

    sources = [*chapter_sources, *scene_sources]
    size = sum(len(text) for _, text in sources)
    if len(sources) < 2 or size < parallel.CONCURRENT_CHARACTERS:
        return None
    # The parsers imported and set up once, here, before the fork: not once in each process
    # (markdown-it's import and build and the language's calendar words from CLDR: ~0.1 s).
    if chapter_sources:
        from toolkit.parsers.markdown import prepare

        prepare(language)
    if scene_sources:
        import toolkit.parsers.fountain  # noqa: F401
    jobs: list[Callable[[], Any]] = [
        *(functools.partial(_parse_chapters, *source, language) for source in chapter_sources),
        *(functools.partial(_parse_part, *source, number == 0) for number, source in enumerate(scene_sources)),
    ]
    order = sorted(range(len(jobs)), key=lambda index: -len(sources[index][1]))
    if per_part is None:
        results = parallel.each(jobs, order, size)
    else:
        work, keep = per_part
        results = []
        for parsed, worked in parallel.each([functools.partial(_worked, job, work) for job in jobs], order, size):
            for part, result in zip(_parts(parsed), worked, strict=True):
                keep(part, result)
            results.append(parsed)
    return results[: len(chapter_sources)], results[len(chapter_sources) :]


def load_project(
    root: Path,
    memo: Memo = _no_memo,
    language: str = "en",
    buffers: Mapping[str, str] | None = None,
    reads: Reads | None = None,
    concurrent: bool = False,
    per_part: PerPart | None = None,
) -> Project:
    """Read and parse every source of the project at ``root``.

    Every parse goes through ``memo`` with the texts it reads, so that a cache
    (toolkit/cache.py) can hand back an earlier parse of the same texts. ``language``
    (fabula.toml's) is the language chapters read their day markers in; a chapter's parse is
    remembered per language. ``buffers`` maps paths relative to ``root`` to texts that stand
    for the files' text on disk (an editor's unsaved buffers): a buffer of a file not yet saved
    in manuscript/ or screenplay/ is read too, in its place in the natural order. ``reads``
    hands back the text of a file unchanged since it last read it. With ``concurrent`` (every
    file is to be parsed: no cache), a large project's files are parsed on two cores, and
    ``per_part`` done on each file's parts there, with its parse (see ``PerPart``).
    """
    buffers = buffers or {}
    if not root.is_dir():
        raise FabulaError("no such project folder", path=str(root))
    listed = reads.files if reads is not None else source_files
    chapter_files = _with_buffers(
        root, listed(root, MANUSCRIPT, CHAPTER_SUFFIXES), buffers, MANUSCRIPT, CHAPTER_SUFFIXES
    )
    scene_files = _with_buffers(root, listed(root, SCREENPLAY, SCENE_SUFFIXES), buffers, SCREENPLAY, SCENE_SUFFIXES)
    if not chapter_files and not scene_files:
        raise FabulaError(
            f"empty project: no {MANUSCRIPT}/*.md chapters and no {SCREENPLAY}/*.fountain scenes "
            "(run 'fabula new PATH' to start one)",
            path=str(root),
        )

    sandbox = Sandbox(root)

    def text_of(path: Path) -> tuple[str, str]:
        relative = path.relative_to(root).as_posix()
        buffered = buffers.get(relative)
        if buffered is None:
            return relative, reads.text(root, path) if reads is not None else read_text(root, path, sandbox)
        # The same text as read_text makes of a file: NFC, without a byte-order mark or control characters.
        return relative, unicodedata.normalize("NFC", clean_text(buffered.removeprefix("\ufeff")))

    read: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None
    if concurrent:
        try:
            read = [text_of(path) for path in chapter_files], [text_of(path) for path in scene_files]
        except Exception:
            read = None  # read and parsed in order below, which raises the same error at the same file
    made = _parse_all(*read, language, per_part) if read is not None else None
    chapters: list[Chapter] = []
    for number, path in enumerate(chapter_files):
        source = text_of(path) if read is None else read[0][number]
        parse = functools.partial(_parse_chapters, *source, language) if made is None else _made(made[0][number])
        chapters.extend(memo("chapters" if language == "en" else f"chapters/{language}", (source,), parse))
    scenes = tuple(text_of(path) for path in scene_files) if read is None else tuple(read[1])
    screenplay = _screenplay(memo, scenes, None if made is None else made[1]) if scenes else None
    bible_path = root / BIBLE
    characters: tuple[Character, ...] = ()
    if bible_path.is_file() or BIBLE in buffers:
        bible = (text_of(bible_path),)
        characters = memo("bible", bible, lambda: _parse_bible(*bible[0]))
    return Project(root=str(root), chapters=tuple(chapters), screenplay=screenplay, characters=characters)


def _with_buffers(
    root: Path, found: list[Path], buffers: Mapping[str, str], folder: str, suffixes: tuple[str, ...]
) -> list[Path]:
    """The files found on disk, and the buffers' files of ``folder`` that are not there yet."""
    on_disk = {path.relative_to(root).as_posix() for path in found}
    new = [
        root / relative
        for relative in buffers
        if relative.startswith(folder + "/")
        and relative not in on_disk
        and relative.lower().endswith(suffixes)
        and not any(part.startswith(".") for part in relative.split("/"))
    ]
    if not new:
        return found
    return sorted([*found, *new], key=lambda p: natural_key(p.relative_to(root).as_posix()))


def source_text(root: Path, relative: str, buffers: Mapping[str, str] | None = None) -> str | None:
    """The text of one file of the project (its buffer's where an editor holds one); None when
    there is no such file."""
    if buffers and relative in buffers:
        return unicodedata.normalize("NFC", clean_text(buffers[relative].removeprefix("\ufeff")))
    path = root / relative
    return read_text(root, path) if path.is_file() else None


def ignore_comment(path: str, codes: Sequence[str]) -> str:
    """The line that silences ``codes`` on what follows it, in the syntax of the file's kind,
    newline included: ``<!-- fabula: ignore N101 -->`` in a chapter, ``[[fabula: ignore N101]]``
    and a blank line in a scene (a note standing alone, so it never joins the element below)."""
    listed = " ".join(codes)
    if path.lower().endswith(SCENE_SUFFIXES):
        return f"[[fabula: ignore {listed}]]\n\n"
    return f"<!-- fabula: ignore {listed} -->\n"
