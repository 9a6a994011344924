"""Runs the pipeline: config, sources, calendar, then each renderer into the output folder."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.config import Config, load_config
from toolkit.errors import FabulaError
from toolkit.loader import BIBLE, MANUSCRIPT, SCREENPLAY, Memo, load_project
from toolkit.metadata import Metadata, project_metadata
from toolkit.model import Project, Timeline

if TYPE_CHECKING:
    from toolkit.incremental import OutputCache
    from toolkit.outline import Outline

TARGETS = ("screenplay", "book", "outline", "report")
ALL_SOURCES = (MANUSCRIPT, SCREENPLAY, BIBLE)
OUTPUT = "output"


@dataclass(frozen=True)
class Loaded:
    """A project read and placed on its calendar: what every command starts from."""

    root: Path
    config: Config
    project: Project
    timeline: Timeline
    meta: Metadata


@dataclass(frozen=True)
class Product:
    name: str  # file name inside the output folder
    write: Callable[[Path], None]  # renders into the given (temporary) path
    # What the output is made from, for incremental builds (fabula.toml and the metadata always
    # count): source folders/files relative to the project, and any other files it reads.
    sources: tuple[str, ...] = ALL_SOURCES
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # human-readable reasons
    unchanged: tuple[Path, ...] = ()  # up to date from an earlier build (incremental builds)


def find_root(start: Path) -> Path:
    """The project folder: ``start`` or the nearest parent holding fabula.toml or a source folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "fabula.toml").is_file() or (folder / MANUSCRIPT).is_dir() or (folder / SCREENPLAY).is_dir():
            return folder
    return start


def load(root: Path, memo: Memo | None = None) -> Loaded:
    from toolkit.calendar import build_timeline

    config = load_config(root)
    project = load_project(root) if memo is None else load_project(root, memo)
    timeline = build_timeline(project, config)
    return Loaded(root, config, project, timeline, project_metadata(project, config))


def summary(loaded: Loaded) -> str:
    """One line on what was read: "Title: 6 chapters (9,034 words), 28 scenes, 11 story days"."""
    project = loaded.project
    chapters = len(project.chapters)
    words = sum(chapter.words for chapter in project.chapters)
    scenes = len(project.screenplay.scenes) if project.screenplay else 0
    days = {placement.day for placement in loaded.timeline.placements if placement.day is not None}
    undated = sum(1 for placement in loaded.timeline.placements if placement.day is None)
    parts = []
    if chapters:
        parts.append(f"{chapters} chapter{'s' * (chapters != 1)} ({words:,} words)")
    if project.screenplay is not None:
        parts.append(f"{scenes} scene{'s' * (scenes != 1)}")
    parts.append(f"{len(days)} story day{'s' * (len(days) != 1)}")
    if undated:
        parts.append(f"{undated} undated (listed at the end of the outline)")
    return f"{loaded.meta.title}: {', '.join(parts)}"


def output_folder(root: Path, out: Path | None) -> Path:
    """``root/output`` or the folder asked for, refusing one that holds sources."""
    folder = (out if out is not None else root / OUTPUT).resolve()
    protected = {root.resolve(), (root / MANUSCRIPT).resolve(), (root / SCREENPLAY).resolve()}
    if folder in protected or any(p in folder.parents for p in protected - {root.resolve()}):
        raise FabulaError("refusing to write build output into the project's sources", path=str(folder))
    return folder


def products(loaded: Loaded, only: tuple[str, ...] = TARGETS) -> tuple[list[Product], list[str]]:
    """What to write for the targets asked for, and why anything is left out."""
    chosen: list[Product] = []
    skipped: list[str] = []
    project = loaded.project
    if "screenplay" in only:
        if project.screenplay is None:
            skipped.append(f"screenplay.pdf: no {SCREENPLAY}/*.fountain files")
        else:
            chosen.append(Product("screenplay.pdf", lambda path: _screenplay(loaded, path), (SCREENPLAY,)))
    if "book" in only:
        if not project.chapters:
            skipped.append(f"book.epub: no {MANUSCRIPT}/*.md chapters")
        else:
            chosen.append(
                # The title page's title and author reach the book through the metadata, which
                # every product's key holds: a screenplay edit need not rebuild the EPUB.
                Product("book.epub", lambda path: _book(loaded, path), (MANUSCRIPT,), _book_files(loaded))
            )
    if "outline" in only:
        outline = functools.cache(lambda: build_outline_of(loaded))
        for fmt in ("md", "html", "json"):
            chosen.append(Product(f"outline.{fmt}", _outline_writer(outline, fmt, loaded.config.language)))
    if "report" in only:
        chosen.append(Product("report.html", lambda path: _report(loaded, path)))
    return chosen, skipped


def build(
    loaded: Loaded,
    out: Path | None = None,
    only: tuple[str, ...] = TARGETS,
    outputs: OutputCache | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Render every product into temporary files, then move them all into place.

    Nothing is left behind when a renderer fails: the temporary files are removed and the
    previous outputs stay as they were. With ``outputs``, products still up to date are left
    alone; ``progress`` hears the name of each product before it is rendered.
    """
    folder = output_folder(loaded.root, out)
    chosen, skipped = products(loaded, only)
    folder.mkdir(parents=True, exist_ok=True)
    unchanged = [p for p in chosen if outputs is not None and outputs.fresh(p, folder / p.name)]
    skip = {id(p) for p in unchanged}
    with _staging(folder) as stage:
        staged = []
        for product in chosen:
            if id(product) in skip:
                continue
            if progress is not None:
                progress(product.name)
            temp = stage / product.name
            product.write(temp)
            staged.append((product, temp, folder / product.name))
        for product, temp, final in staged:
            os.replace(temp, final)
            if outputs is not None:
                outputs.record(product, final)
    if outputs is not None:
        outputs.save()
    return BuildReport(
        tuple(final for _, _, final in staged), tuple(skipped), tuple(folder / p.name for p in unchanged)
    )


@contextlib.contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A temporary folder inside ``folder`` (same file system, so renames are atomic)."""
    with tempfile.TemporaryDirectory(prefix=".fabula-", dir=folder) as stage:
        yield Path(stage)


def _screenplay(loaded: Loaded, path: Path) -> None:
    from toolkit.render.screenplay_pdf import render_screenplay_pdf

    assert loaded.project.screenplay is not None
    render_screenplay_pdf(loaded.project.screenplay, loaded.meta, loaded.config.screenplay.paper, path)


def _book(loaded: Loaded, path: Path) -> None:
    from toolkit.render.epub import render_epub

    book = loaded.config.book
    render_epub(
        loaded.project.chapters,
        loaded.meta,
        path,
        css=_project_file(loaded.root, book.css, "book.css"),
        cover=_project_file(loaded.root, book.cover, "book.cover"),
        # Images are linked relative to the chapter file, or to the project as a fallback.
        resource_paths=(loaded.root / MANUSCRIPT, loaded.root),
    )


_IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def _book_files(loaded: Loaded) -> tuple[Path, ...]:
    """Files the EPUB reads besides the chapters: cover, stylesheet and linked images."""
    root, book = loaded.root, loaded.config.book
    files = [root / name for name in (book.cover, book.css) if name]
    for chapter in loaded.project.chapters:
        for link in _IMAGE_LINK.findall(chapter.source):
            files += [root / MANUSCRIPT / link, root / link]
    return tuple(dict.fromkeys(files))


def _report(loaded: Loaded, path: Path) -> None:
    from toolkit.render.report import render_report
    from toolkit.stats import project_stats

    stats = project_stats(loaded.project, loaded.timeline, loaded.config, loaded.meta.title)
    path.write_text(render_report(stats, loaded.config.language), encoding="utf-8", newline="\n")


def _project_file(root: Path, name: str | None, key: str) -> Path | None:
    if name is None:
        return None
    path = root / name
    if not path.is_file():
        raise FabulaError(f"file not found (set by {key} in fabula.toml)", path=name)
    return path


def build_outline_of(loaded: Loaded) -> Outline:
    from toolkit.outline import build_outline

    return build_outline(loaded.project, loaded.timeline, loaded.meta.title)


def outline_text(outline: Outline, fmt: str, language: str) -> str:
    """The outline as Markdown ("md"), HTML ("html", marked as written in ``language``) or JSON ("json")."""
    from toolkit.render import outline as render

    if fmt == "html":
        return render.render_outline_html(outline, language)
    renderers = {"md": render.render_outline_markdown, "json": render.render_outline_json}
    return renderers[fmt](outline)


def _outline_writer(outline: Callable[[], Outline], fmt: str, language: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(outline_text(outline(), fmt, language), encoding="utf-8", newline="\n")

    return write
