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

import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import FabulaError
from toolkit.model import Chapter
from toolkit.render.pandoc import INPUT_FORMAT, book_markdown, book_pandoc_input, filter_path, pandoc_path


@dataclass(frozen=True)
class Conversion:
    """What one book output asks pandoc to make of each chapter (a text format)."""

    name: str  # "typst": the output's parts
    writer: str  # pandoc's writer
    filters: tuple[str, ...]  # our Lua filters (toolkit/filters), in the order they run
    meta: tuple[tuple[str, str], ...] = ()  # metadata the filters read (as --metadata gives it)
    options: tuple[tuple[str, str | int], ...] = ()  # the writer's options (pandoc's Lua names)

    def request(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "writer": self.writer,
            "filters": [str(filter_path(name)) for name in self.filters],
            "meta": dict(self.meta),
            "options": dict(self.options),
        }


def chapter_source(chapter: Chapter) -> str:
    """The Markdown pandoc reads for one chapter (see ``book_markdown``)."""
    return book_pandoc_input(book_markdown([chapter]))


# A lookup in the pipeline's cache and a keeper into it: (conversion, chapter source) -> text.
Lookup = Callable[[Conversion, str], "str | None"]
Keep = Callable[[Conversion, str, str], None]


@dataclass
class BookParts:
    """Each chapter's text for each conversion, worked out once for every output of a build.

    The pipeline works it out through its cache before the outputs render (``work_out``, in
    the process that keeps the cache); an output rendered without it converts what it needs.
    """

    chapters: tuple[Chapter, ...]
    epoch: int
    lookup: Lookup | None = None
    keep: Keep | None = None
    found: dict[Conversion, tuple[str, ...]] = field(default_factory=dict)
    converted: int = 0  # chapters pandoc converted (not found in the cache), for benchmarks and tests

    def of(self, conversion: Conversion) -> tuple[str, ...]:
        if conversion not in self.found:
            self.work_out(conversion)
        return self.found[conversion]

    def work_out(self, conversion: Conversion) -> None:
        """Every chapter's text for ``conversion``: from the cache, else from pandoc."""
        if conversion in self.found:
            return
        sources = [chapter_source(chapter) for chapter in self.chapters]
        parts: list[str | None] = [self.lookup(conversion, source) if self.lookup else None for source in sources]
        missing = [index for index, part in enumerate(parts) if part is None]
        converted = convert(conversion, [sources[index] for index in missing], self.epoch)
        for index, text in zip(missing, converted, strict=True):
            parts[index] = text
            if self.keep is not None:
                self.keep(conversion, sources[index], text)
        self.converted += len(missing)
        self.found[conversion] = tuple(part or "" for part in parts)


def convert(conversion: Conversion, sources: Sequence[str], epoch: int) -> list[str]:
    """Each chapter source through ``conversion``: its text, a chapter at a time.

    The chapters are shared out between one pandoc process a core, largest first to the
    process with the least text so far, so that both finish at about the same time.
    """
    if not sources:
        return []
    processes = max(1, min(_cores(), len(sources)))
    shares: list[list[int]] = [[] for _ in range(processes)]
    sizes = [0] * processes
    for index in sorted(range(len(sources)), key=lambda i: -len(sources[i])):
        least = sizes.index(min(sizes))
        shares[least].append(index)
        sizes[least] += len(sources[index])
    shares = [sorted(share) for share in shares if share]
    answers: list[list[str] | BaseException | None] = [None] * len(shares)

    def run(number: int) -> None:
        try:
            answers[number] = _run_chapters(conversion, [sources[index] for index in shares[number]], epoch)
        except BaseException as error:  # raised below, in the caller's thread
            answers[number] = error

    threads = [threading.Thread(target=run, args=(number,)) for number in range(1, len(shares))]
    for thread in threads:
        thread.start()
    run(0)
    for thread in threads:
        thread.join()
    results = [""] * len(sources)
    for share, answer in zip(shares, answers, strict=True):
        if isinstance(answer, BaseException):
            raise answer
        assert answer is not None
        for index, text in zip(share, answer, strict=True):
            results[index] = text
    return results


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _run_chapters(conversion: Conversion, sources: Sequence[str], epoch: int) -> list[str]:
    request = {"reader": INPUT_FORMAT, "formats": [conversion.request()], "chapters": list(sources)}
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    with tempfile.TemporaryFile("w+b") as stdin:
        stdin.write(json.dumps(request, ensure_ascii=False).encode("utf-8"))
        stdin.seek(0)
        result = subprocess.run(
            [str(pandoc_path()), "lua", str(filter_path("chapters.lua"))],
            stdin=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise FabulaError(f"pandoc could not convert the book's chapters: {message}")
    answers = json.loads(result.stdout)
    # pandoc's command line ends a text output with a line break; pandoc.write does not.
    texts = [str(answer[conversion.name]) for answer in answers]
    return [text if text.endswith("\n") else text + "\n" for text in texts]
