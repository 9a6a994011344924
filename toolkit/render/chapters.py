"""The book's chapters through pandoc one by one, each converted once and kept between builds.

A book output made of its chapters as pandoc writes them (the print PDF: each chapter's Typst)
asks pandoc to convert each chapter as a document of its own (filters/chapters.lua: one read,
then each format's Lua filters and writer), so what a chapter becomes depends on its text and
the book's settings alone. The pipeline keeps each chapter's text in its cache, keyed by those,
and asks pandoc only for the chapters it has none for: an edit to one chapter converts that
chapter. A chapter's text is the same whether it was converted alone or with the whole book,
so an incremental build and a clean one give the same bytes.

The chapters missing from the cache are shared out between pandoc processes, one a core, in
about equal amounts of text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from toolkit import children
from toolkit.errors import FabulaError
from toolkit.model import Chapter
from toolkit.render.docx_parts import DocxChapter, docx_chapter
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    TIME_LIMIT_PER_MEGABYTE,
    TIME_LIMIT_SECONDS,
    book_markdown,
    book_pandoc_input,
    default_abbreviations,
    filter_path,
    pandoc_path,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Conversion:
    """What one book output asks pandoc to make of each chapter (a text format)."""

    name: str  # "typst": the output's parts
    writer: str  # pandoc's writer
    filters: tuple[str, ...]  # our Lua filters (toolkit/filters), in the order they run
    meta: tuple[tuple[str, str], ...] = ()  # metadata the filters read (as --metadata gives it)
    options: tuple[tuple[str, str | int], ...] = ()  # the writer's options (pandoc's Lua names)
    # The images the guard filter lets pandoc read (as written -> file), when it must run first
    # (filters/guard.lua; see pandoc.may_fetch); None: no guard.
    guard: tuple[tuple[str, str], ...] | None = None

    def request(self, images_file: Path | None) -> dict[str, Any]:
        filters = ["guard.lua", *self.filters] if self.guard is not None else list(self.filters)
        return {
            "name": self.name,
            "writer": self.writer,
            "filters": [str(filter_path(name)) for name in filters],
            "meta": dict(self.meta),
            "options": dict(self.options),
            "images": str(images_file) if images_file is not None else "",
        }


def guarded(images: Mapping[str, str] | None) -> tuple[tuple[str, str], ...] | None:
    """The guard's list for a Conversion: None (no guard) or the images, in order."""
    return None if images is None else tuple(sorted(images.items()))


@dataclass(frozen=True)
class EpubChapter:
    """A chapter as pandoc's EPUB writer writes it: the body of its file, the media it copied."""

    files: tuple[str, ...]  # the content of the <body> of each file (one: a chapter has one level-1 heading)
    media: tuple[tuple[str, str], ...] = ()  # (path inside the EPUB's folder, SHA-1 of the bytes)


# A chapter's part: its text (Typst), its EPUB files, or its DOCX's parts.
Part = str | EpubChapter | DocxChapter


@dataclass(frozen=True)
class ChapterSource:
    """What pandoc converts of one chapter: its Markdown (see ``book_markdown``), and the images
    it shows (as written -> the file found for it) for the key in the cache, which holds their
    bytes too (pandoc reads them through the guard's list: see Conversion.guard)."""

    markdown: str
    images: tuple[tuple[str, str], ...] = ()

    def key(self) -> str:
        hasher = hashlib.sha256(self.markdown.encode("utf-8"))
        for written, path in self.images:
            hasher.update(f"\0{written}\0{path}\0".encode())
            with contextlib.suppress(OSError):
                hasher.update(hashlib.sha256(Path(path).read_bytes()).digest())
        return hasher.hexdigest()


def chapter_source(chapter: Chapter, images: Mapping[str, str]) -> ChapterSource:
    """One chapter as pandoc converts it, with the files of the images it shows (``images``:
    each image of the book as written -> the file found for it)."""
    shown = dict.fromkeys(image for block in chapter.blocks for image in block.images)
    found = tuple((written, images[written]) for written in shown if written in images)
    return ChapterSource(book_pandoc_input(book_markdown([chapter])), found)


def part_type(conversion: Conversion) -> type:
    """What a conversion's part is, for the cache."""
    return {"epub3": EpubChapter, "docx": DocxChapter}.get(conversion.writer, str)


# A lookup in the pipeline's cache and a keeper into it: (conversion, chapter source key) -> part.
Lookup = Callable[[Conversion, str], "Part | None"]
Keep = Callable[[Conversion, str, Part], None]


@dataclass
class BookParts:
    """Each chapter's text for each conversion, worked out once for every output of a build.

    The pipeline works it out through its cache before the outputs render (``work_out``, in
    the process that keeps the cache); an output rendered without it converts what it needs.
    """

    chapters: tuple[Chapter, ...]
    epoch: int
    images: Mapping[str, str] = field(default_factory=dict)  # each image as written -> its file
    lookup: Lookup | None = None
    keep: Keep | None = None
    # Whether the cache holds an entry for (conversion, chapter source key), without reading it
    # (``begin`` reads them once pandoc has started on the chapters that have none).
    exists: Callable[[Conversion, str], bool] | None = None
    found: dict[Conversion, tuple[Part, ...]] = field(default_factory=dict)
    # The pipeline cache's ``remember`` (kind, key, make, type), for what the book outputs make
    # once for every chapter (the manuscript's frame); and what was made, by key.
    memo: Callable[[str, str, Callable[[], Any], Any], Any] | None = None
    made: dict[str, Any] = field(default_factory=dict)
    # The pipeline cache's ``get`` (kind, key, type) -> (found, value): whether it keeps a thing
    # without making it (``kept``).
    recall: Callable[[str, str, Any], tuple[bool, Any]] | None = None
    converted: int = 0  # chapters pandoc converted (not found in the cache), for benchmarks and tests
    # Conversions ``begin`` started, and what collects their pandoc runs' answers (``finish``).
    started: set[Conversion] = field(default_factory=set)
    pending: list[Callable[[], None]] = field(default_factory=list)
    keyed: tuple[tuple[ChapterSource, ...], tuple[str, ...]] | None = None  # see ``sources``
    # The cache's folder, where the book PDF keeps each chapter's PDF (render/book_join.py); None: nowhere.
    store: Path | None = None
    # The conversion ``begin`` asked pandoc to write first (see ``convert_later``): what waits
    # for each process's texts of it, the parts found in the cache meanwhile, and what is to be
    # handed them all as soon as they are known (``when_early``), before the other conversions end.
    early_waits: list[Callable[[], dict[int, str] | None]] = field(default_factory=list)
    early_known: tuple[Conversion, list[Part | None]] | None = None
    early_hooks: list[tuple[Conversion, Callable[[tuple[str, ...]], None]]] = field(default_factory=list)
    converting: dict[Conversion, int] = field(default_factory=dict)  # chapters pandoc converts, by conversion
    # The book PDF handed to Typst's child ahead (book_pdf.hand_early): its time limit, and
    # whether it is set whole; None: not handed. ``staged``: where that child puts the chapters'
    # new PDFs until the build has succeeded (``stage``, ``keep_staged``, ``drop_staged``).
    pdf_handed: tuple[float, bool] | None = None
    staged: Path | None = None
    # The outputs an earlier build wrote, each with the SHA-256 it had then (the pipeline's
    # record): the EPUB copies the compressed files it would write again (epub.finish_epub).
    earlier: dict[str, tuple[Path, str]] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)  # the pandoc runs ``begin`` started
    # Where pandoc writes each chapter's text of ``begin``'s early conversion as soon as it has
    # written it (by the chapter's index; ``early_folder`` holds them, removed with the stage):
    # Typst's child sets the chapters from them in turn (book_pdf.hand_early).
    early_files: dict[int, Path] = field(default_factory=dict)
    early_folder: Path | None = None
    # Where the pandoc runs' request/answer folders and ``early_folder`` are made: the build's
    # output folder (``scratch_folder``), so that a killed build's are removed by the next.
    # None: the system's temporary folder (conversions outside a build).
    scratch: Path | None = None

    def yield_to_book(self) -> None:
        """Typst's child has the book to set (book_pdf.hand_early): from now on it is the build's
        longest path (it sets every new chapter in turn, ~0.15 s of CPU each, while each pandoc
        process has only its share of the EPUB's and DOCX's parts left to write), so the
        chapters' pandoc processes yield the CPU to it (children.yield_cpu): Typst keeps a core
        of its own, pandoc and fabula share the other, and neither waits on an idle core at the
        end. Only when pandoc converts more than one chapter: after an edit of one, Typst's work
        and pandoc's rest are about as long."""
        if self.early_known is not None and self.converting.get(self.early_known[0], 0) > 1:
            children.yield_cpu(self.processes)

    def stage(self) -> Path:
        """A new folder beside the store (named as the pipeline's staging folders, so that one a
        killed build left behind is removed by the next: pipeline.remove_stale_staging)."""
        assert self.store is not None
        self.staged = scratch_folder("pdfs", self.store.parent)
        return self.staged

    def keep_staged(self) -> None:
        """Move what the stage holds into the store (the build succeeded), and remove it."""
        from toolkit.render.book_join import USED_NAME, prune_store

        if self.staged is not None and self.store is not None and not self.store.is_symlink():
            with contextlib.suppress(OSError):
                self.store.mkdir(parents=True, exist_ok=True)
                used = None
                for path in sorted(self.staged.iterdir()):
                    if path.name == USED_NAME:  # the PDFs the book was set from (book_join.Store.prune)
                        used = set(path.read_text(encoding="ascii").split())
                    elif path.is_file() and not path.is_symlink():
                        os.replace(path, self.store / path.name)
                if used is not None:
                    prune_store(self.store, used)
        self.drop_staged()

    def drop_staged(self) -> None:
        if self.staged is not None:
            shutil.rmtree(self.staged, ignore_errors=True)
            self.staged = None
        self.drop_early_files()

    def drop_early_files(self) -> None:
        """Remove the early conversion's files of each chapter (``early_files``): Typst's child
        has read them, or will not."""
        if self.early_folder is not None:
            shutil.rmtree(self.early_folder, ignore_errors=True)
            self.early_folder = None

    def sources(self) -> tuple[tuple[ChapterSource, ...], tuple[str, ...]]:
        """Each chapter as pandoc converts it and its key in the cache (its Markdown and the bytes
        of its images), worked out once a build: the conversions and the book PDF's chapter
        store both key on it."""
        if self.keyed is None:
            sources = tuple(chapter_source(chapter, self.images) for chapter in self.chapters)
            self.keyed = sources, tuple(source.key() for source in sources)
        return self.keyed

    def of(self, conversion: Conversion) -> tuple[Part, ...]:
        if conversion not in self.found:
            self.finish()
        if conversion not in self.found:
            self.work_out(conversion)
        return self.found[conversion]

    def texts(self, conversion: Conversion) -> tuple[str, ...]:
        """The chapters' text for a text format (Typst)."""
        return tuple(part for part in self.of(conversion) if isinstance(part, str))

    def epub_chapters(self, conversion: Conversion) -> tuple[EpubChapter, ...]:
        """The chapters' files as the EPUB writer wrote them."""
        return tuple(part for part in self.of(conversion) if isinstance(part, EpubChapter))

    def remembered(self, kind: str, key: str, make: Callable[[], T], of: type[T]) -> T:
        """``make()``, once a build, and from the cache when the pipeline keeps one."""
        if key not in self.made:
            self.made[key] = self.memo(kind, key, make, of) if self.memo is not None else make()
        value = self.made[key]
        return value if isinstance(value, of) else make()

    def kept(self, kind: str, key: str, of: type[Any]) -> bool:
        """Whether ``remembered`` has ``key`` without making it: made this build, or in the cache
        (then fetched from it now)."""
        if key in self.made:
            return True
        if self.recall is None:
            return False
        found, value = self.recall(kind, key, of)
        if found and isinstance(value, of):
            self.made[key] = value
            return True
        return False

    def docx_chapters(self, conversion: Conversion) -> tuple[DocxChapter, ...]:
        """The chapters as the DOCX writer wrote each (render/docx_parts.py)."""
        return tuple(part for part in self.of(conversion) if isinstance(part, DocxChapter))

    def work_out(self, *conversions: Conversion) -> None:
        """Every chapter's part for each of ``conversions``: from the cache, else from pandoc,
        which reads each chapter once for all the conversions it misses."""
        self.begin(*conversions)
        self.finish()

    def begin(self, *conversions: Conversion, early: Conversion | None = None) -> None:
        """Start pandoc on the chapters whose part for one of ``conversions`` is neither worked out
        nor in the cache, and return: ``finish`` (or the first ``of``) waits for it. The pipeline
        works out the outline and runs the checks meanwhile. pandoc writes the ``early`` one
        (a text conversion) of every chapter first: see ``when_early``."""
        wanted = [c for c in dict.fromkeys(conversions) if c not in self.found and c not in self.started]
        if not wanted:
            return
        sources, keys = self.sources()
        parts: dict[Conversion, list[Part | None]] = {conversion: [None] * len(keys) for conversion in wanted}
        # With ``exists``, the cache's entries are only looked for before pandoc starts on the
        # chapters that have none (an edit's one chapter), and read while it runs; an entry that
        # then cannot be read (damaged) sends its chapter to pandoc after all.
        exists, lookup = self.exists if self.lookup is not None else None, self.lookup
        if exists is None and lookup is not None:
            parts = {conversion: [lookup(conversion, key) for key in keys] for conversion in wanted}
        present = {conversion: [exists(conversion, key) for key in keys] for conversion in wanted} if exists else {}
        first = early if early in wanted else None
        running: list[tuple[tuple[Conversion, ...], list[int], Callable[[], list[dict[str, Part]]]]] = []
        abbreviations: list[Sequence[str] | None] = []

        def start(missing: Callable[[Conversion, int], bool]) -> None:
            # Chapters that miss the same conversions go to pandoc together (usually: all of them).
            groups: dict[tuple[Conversion, ...], list[int]] = {}
            for index in range(len(sources)):
                needed = tuple(conversion for conversion in wanted if missing(conversion, index))
                if needed:
                    groups.setdefault(needed, []).append(index)
            if groups and not abbreviations:
                # pandoc's abbreviations (one small pandoc run) from the cache, keyed by the pandoc binary.
                memo = self.memo
                abbreviations.append(
                    memo("pandoc", "abbreviations", default_abbreviations, tuple[str, ...])
                    if memo is not None
                    else None
                )
            for needed, indexes in groups.items():
                waits: list[Callable[[], dict[int, str] | None]] = []
                group = [sources[index] for index in indexes]
                files: dict[int, Path] = {}
                if first is not None and first in needed and self.early_folder is None:
                    self.early_folder = scratch_folder("early", self.scratch)
                each = (self.early_folder, files) if first is not None and self.early_folder is not None else None
                later = convert_later(
                    needed, group, self.epoch, abbreviations[0], first, waits, self.processes, each, self.scratch
                )
                running.append((needed, indexes, later))
                self.early_waits += [_renumbered(wait, indexes) for wait in waits]
                self.early_files.update({indexes[position]: path for position, path in files.items()})

        if exists is None:
            start(lambda conversion, index: parts[conversion][index] is None)
        else:
            assert lookup is not None
            start(lambda conversion, index: not present[conversion][index])
            for conversion in wanted:
                for index, key in enumerate(keys):
                    if present[conversion][index]:
                        parts[conversion][index] = lookup(conversion, key)
            start(lambda conversion, index: present[conversion][index] and parts[conversion][index] is None)
        for conversion in wanted:
            self.converting[conversion] = sum(part is None for part in parts[conversion])
        if first is not None:
            self.early_known = first, parts[first]
        self.started.update(wanted)

        def collect() -> None:
            for needed, indexes, answers in running:
                for index, answer in zip(indexes, answers(), strict=True):
                    for conversion in needed:
                        parts[conversion][index] = answer[conversion.name]
                        if self.keep is not None:
                            self.keep(conversion, keys[index], answer[conversion.name])
                self.converted += len(indexes) * len(needed)
            for conversion in wanted:
                self.found[conversion] = tuple(part if part is not None else "" for part in parts[conversion])

        self.pending.append(collect)

    def when_early(self, conversion: Conversion, hook: Callable[[tuple[str, ...]], None]) -> None:
        """Hand ``hook`` every chapter's text for ``conversion`` (``begin``'s ``early``) as soon
        as ``finish`` has them, before it waits for the rest of pandoc's work: the book PDF's
        Typst starts setting the chapters while pandoc writes the EPUB's and the DOCX's. Not
        called when pandoc failed to write them (the wait for the answers says why)."""
        self.early_hooks.append((conversion, hook))

    def hand_early(self) -> None:
        """Hand ``when_early``'s hooks their texts now, once pandoc has written them (waiting for
        that): the pipeline calls this before the checks, so that the book PDF's Typst sets the
        book while the checks run and pandoc writes the EPUB's and the DOCX's parts."""
        self._hand_early()

    def _hand_early(self) -> None:
        hooks, self.early_hooks = self.early_hooks, []
        if not hooks or self.early_known is None:
            return
        conversion, known = self.early_known
        texts: list[Part | None] = list(known)
        for wait in self.early_waits:
            found = wait()
            if found is None:
                return
            for index, text in found.items():
                texts[index] = text
        if not all(isinstance(text, str) for text in texts):
            return
        ready = tuple(text for text in texts if isinstance(text, str))
        for wanted, hook in hooks:
            if wanted == conversion:
                hook(ready)

    def finish(self) -> None:
        """Wait for what ``begin`` started and keep it (handing the early texts on first)."""
        self._hand_early()
        while self.pending:
            self.pending.pop(0)()


def _renumbered(
    wait: Callable[[], dict[int, str] | None], indexes: Sequence[int]
) -> Callable[[], dict[int, str] | None]:
    """``wait`` with its texts by the index of their chapter in the book (not in the group)."""

    def renumbered() -> dict[int, str] | None:
        found = wait()
        return None if found is None else {indexes[position]: text for position, text in found.items()}

    return renumbered


def convert(conversions: Sequence[Conversion], sources: Sequence[ChapterSource], epoch: int) -> list[dict[str, Part]]:
    """Each chapter source through every conversion: one mapping name -> part a chapter."""
    return convert_later(conversions, sources, epoch)()


def convert_later(
    conversions: Sequence[Conversion],
    sources: Sequence[ChapterSource],
    epoch: int,
    abbreviations: Sequence[str] | None = None,
    early: Conversion | None = None,
    early_texts: list[Callable[[], dict[int, str] | None]] | None = None,
    into: list[subprocess.Popen[bytes]] | None = None,
    each: tuple[Path, dict[int, Path]] | None = None,
    scratch: Path | None = None,
) -> Callable[[], list[dict[str, Part]]]:
    """Start converting each chapter source through every conversion; the function returned
    waits for pandoc and gives one mapping name -> part a chapter. ``abbreviations``: pandoc's
    own (``default_abbreviations``), when the caller has them already.

    With ``early`` (a text conversion among ``conversions``), each pandoc process writes that
    conversion of all its chapters first, and a function for each process goes into
    ``early_texts``: it waits for them, before the process ends, and gives them by the index of
    their source (None: the process ended without them, having failed). The pandoc processes
    started go into ``into``, when given. With ``each`` (a folder and a mapping), each process
    also writes each chapter's text of ``early`` to a file of its own in that folder as soon as
    it has written it, and the mapping gets the file of each source (by its index). Each
    process's request and answer are kept in a folder made by ``scratch_folder`` in ``scratch``.

    The chapters are shared out between one pandoc process a core, largest first to the
    process with the least text so far, so that both finish at about the same time.
    """
    if not sources:
        return list
    processes = max(1, min(_cores(), len(sources)))
    shares: list[list[int]] = [[] for _ in range(processes)]
    sizes = [0] * processes
    for index in sorted(range(len(sources)), key=lambda i: -len(sources[i].markdown)):
        least = sizes.index(min(sizes))
        shares[least].append(index)
        sizes[least] += len(sources[index].markdown)
    shares = [sorted(share) for share in shares if share]
    running: list[Callable[[], list[dict[str, Part]]]] = []
    started_processes: list[subprocess.Popen[bytes]] = []
    try:
        for share in shares:
            share_sources = [sources[index] for index in share]
            runtime = pandoc_runtime(len(shares), sum(len(source.markdown) for source in share_sources))
            first = early.name if early is not None and early in conversions else None
            prefix = None
            if first is not None and each is not None:
                folder = Path(tempfile.mkdtemp(prefix="share-", dir=each[0]))
                prefix = str(folder / "chapter-")
                # chapters.lua numbers a process's chapters from 1, in the request's order
                each[1].update({index: folder / f"chapter-{place + 1}" for place, index in enumerate(share)})
            answers_of, early_of, process = _start_chapters(
                conversions, share_sources, epoch, runtime, abbreviations, first, prefix, scratch
            )
            running.append(answers_of)
            started_processes.append(process)
            if into is not None:
                into.append(process)
            if first is not None and early_texts is not None:
                early_texts.append(_by_source(share, early_of))
    except BaseException:
        # Those started before the failure (or Ctrl-C, SIGTERM) are stopped, not waited for: their
        # work would hold the failure back for as long as they take (tens of seconds on a book).
        # Waiting for them then only reaps them and removes their folders.
        for process in started_processes:
            with contextlib.suppress(OSError):
                process.kill()
        for started in running:
            with contextlib.suppress(FabulaError):
                started()
        raise

    def answers() -> list[dict[str, Part]]:
        results: list[dict[str, Part]] = [{} for _ in sources]
        failure: BaseException | None = None
        for share, finish in zip(shares, running, strict=True):
            try:
                for index, text in zip(share, finish(), strict=True):
                    results[index] = text
            except BaseException as error:  # every process is waited for; the first failure is raised
                failure = failure or error
                for process in started_processes:  # the others' work is lost with it: stopped, not waited for
                    with contextlib.suppress(OSError):
                        process.kill()
        if failure is not None:
            raise failure
        return results

    return answers


# pandoc's runtime (GHC's) collects garbage every time its allocation area fills: 1 MB by default
# (with a 64 MB suggested heap), a fifth of a chapter process's CPU on the 300,000-word benchmark.
# The chapters' processes get 256 MB of allocation area between them (128 MB each on two cores):
# that took ~0.8 s of CPU off each process there, for ~110 MB more memory each. GHCRTS rather
# than +RTS on the command line: a pandoc built without runtime options warns and goes on, where
# it would refuse the command line. A process with little text (an edit's one chapter) gets an
# area in proportion to it, 16 MB at least: 256 MB that a chapter never fills still cost the
# kernel's time to hand over (~0.17 s of system time a run, measured on one 10,000-word chapter).
ALLOCATION_MEGABYTES = 256
ALLOCATION_PER_MEGABYTE = 160  # MB of allocation area per MB of Markdown (128 MB for a share of ~0.8 MB)


def pandoc_runtime(processes: int, characters: int | None = None) -> str:
    """The GHCRTS setting for one of ``processes`` pandoc processes converting chapters at once,
    this one ``characters`` of Markdown (None: as much as a share can be)."""
    area = ALLOCATION_MEGABYTES // max(1, processes)
    if characters is not None:
        area = min(area, -(-characters * ALLOCATION_PER_MEGABYTE // 1_000_000))
    return f"-A{max(16, area)}m"


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _by_source(share: Sequence[int], texts: Callable[[], list[str] | None]) -> Callable[[], dict[int, str] | None]:
    def early() -> dict[int, str] | None:
        found = texts()
        return None if found is None else dict(zip(share, found, strict=True))

    return early


def scratch_folder(kind: str, near: Path | None) -> Path:
    """A new folder for this process's temporary files of ``kind``: in ``near`` (the build's output
    folder; made when missing), named as the pipeline's staging folders
    (``.fabula-stage-PID-kind-…``) so that the next build removes one a build killed with
    ``kill -9`` left behind (pipeline.remove_stale_staging). None: in the system's temporary
    folder (a conversion outside a build)."""
    prefix, folder = _scratch_place(kind, near)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))


def scratch_temporary(kind: str, near: Path | None) -> tempfile.TemporaryDirectory[str]:
    """``scratch_folder`` as a temporary folder object: one a build interrupted before it could
    remove it is removed when the interpreter exits."""
    prefix, folder = _scratch_place(kind, near)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=folder)


def _scratch_place(kind: str, near: Path | None) -> tuple[str, Path | None]:
    if near is None:
        return f".fabula-{kind}-", None
    near.mkdir(parents=True, exist_ok=True)
    return f"{children.STAGE_PREFIX}{os.getpid()}-{kind}-", near


def _start_chapters(
    conversions: Sequence[Conversion],
    sources: Sequence[ChapterSource],
    epoch: int,
    runtime: str,
    abbreviations: Sequence[str] | None = None,
    early: str | None = None,
    each: str | None = None,
    scratch: Path | None = None,
) -> tuple[Callable[[], list[dict[str, Part]]], Callable[[], list[str] | None], subprocess.Popen[bytes]]:
    """Start one pandoc process on ``sources``: its request, answer and errors are files in a
    temporary folder made in ``scratch`` (no pipes to keep flowing while fabula does other work
    meanwhile; see ``scratch_folder``).
    ``runtime`` is its GHC runtime's options (``pandoc_runtime``). Returned: what waits for the
    answers, what waits for the ``early`` conversion's texts (see ``convert_later``), and the process.
    ``each``: the beginning of the path of each chapter's file of the early text (chapters.lua)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "GHCRTS": runtime}
    env.pop("FABULA_IMAGES", None)
    size = sum(len(source.markdown) for source in sources)
    seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, size * len(conversions))
    what = "pandoc, converting the book's chapters,"
    started = time.monotonic()
    temp = scratch_temporary("chapters", scratch)  # removed at exit when no one waits for pandoc
    folder = Path(temp.name)
    env["TMPDIR"] = str(folder)  # pandoc's own temporary files (`pandoc lua` makes one) go there too
    try:
        formats = []
        for number, conversion in enumerate(conversions):
            listed = None
            if conversion.guard is not None:  # the guard's list of images, as run_pandoc hands it over
                listed = folder / f"images-{number}.json"
                listed.write_text(json.dumps(dict(conversion.guard), ensure_ascii=False), encoding="utf-8")
            formats.append(conversion.request(listed))
        request: dict[str, Any] = {
            "reader": INPUT_FORMAT,
            "abbreviations": list(default_abbreviations() if abbreviations is None else abbreviations),
            "formats": formats,
            "chapters": [source.markdown for source in sources],
        }
        if early is not None:
            request["early"] = {"name": early, "path": str(folder / "early.json")}
            if each is not None:
                request["early"]["each"] = each
        (folder / "request.json").write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        process = children.start(
            [str(pandoc_path()), "lua", str(filter_path("chapters.lua"))],
            stdin=folder / "request.json",
            stdout=folder / "answer.json",
            stderr=folder / "errors.txt",
            env=env,
        )
    except BaseException:
        temp.cleanup()
        raise

    def answers() -> list[dict[str, Part]]:
        try:
            status = children.wait(process, seconds, what, started)
            if status != 0:
                message = (folder / "errors.txt").read_bytes().decode("utf-8", "replace").strip()
                raise FabulaError(f"pandoc could not convert the book's chapters: {message}")
            answered = json.loads((folder / "answer.json").read_bytes())
        finally:
            temp.cleanup()
        return [{c.name: _part(c, answer[c.name]) for c in conversions} for answer in answered]

    def early_texts() -> list[str] | None:
        # pandoc renames the file into place once it is whole; it is read here before the
        # answer's wait removes the folder. A process that ended without it failed: its answer says why.
        path = folder / "early.json"
        while not path.exists():
            if process.poll() is not None and not path.exists():
                return None
            if time.monotonic() - started > seconds:
                return None  # the answer's wait stops the process and says so
            time.sleep(0.005)
        texts = json.loads(path.read_bytes())
        return [_text(text) for text in texts]

    return answers, early_texts, process


def _part(conversion: Conversion, value: Any) -> Part:
    if conversion.writer == "epub3":
        # Written without a template, each file is its body's content.
        files = tuple(str(text) for text in value["files"])
        return EpubChapter(files, tuple((str(name), str(sha)) for name, sha in value["media"]))
    if conversion.writer == "docx":
        return docx_chapter(value)
    return _text(value)


def early_text(path: Path) -> str:
    """A chapter's text as pandoc wrote it to its own file (``BookParts.early_files``), as the
    answer gives it."""
    return _text(path.read_bytes().decode("utf-8"))


def _text(value: Any) -> str:
    # pandoc's command line ends a text output with a line break; pandoc.write does not.
    text = str(value)
    return text if text.endswith("\n") else text + "\n"
