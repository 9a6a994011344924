"""Runs the pipeline: config, sources, calendar, then each renderer into the output folder."""

from __future__ import annotations

import contextlib
import dataclasses
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
from toolkit.parallel import Job, Step, render

if TYPE_CHECKING:
    from toolkit.incremental import OutputCache
    from toolkit.outline import Outline
    from toolkit.render.pandoc import BookFront

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


def with_screenplay_options(loaded: Loaded, paper: str | None = None, notes: bool = False) -> Loaded:
    """``loaded`` with command-line screenplay options laid over fabula.toml's."""
    settings = loaded.config.screenplay
    settings = dataclasses.replace(settings, paper=paper or settings.paper, notes=notes or settings.notes)
    return dataclasses.replace(loaded, config=dataclasses.replace(loaded.config, screenplay=settings))


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
            font = loaded.config.screenplay.font
            files = (loaded.root / font,) if font else ()
            chosen.append(Product("screenplay.pdf", lambda path: _screenplay(loaded, path), (SCREENPLAY,), files))
            chosen.append(Product("screenplay.fdx", lambda path: _screenplay_text(loaded, path, "fdx"), (SCREENPLAY,)))
            chosen.append(
                Product("screenplay.html", lambda path: _screenplay_text(loaded, path, "html"), (SCREENPLAY,))
            )
    if "book" in only:
        # One target, three files from the same chapters: the store's, the printer's, the agent's.
        # The title page's title and author reach the book through the metadata, which every
        # product's key holds: a screenplay edit need not rebuild the book.
        book_products = {"book.epub": _book, "book.pdf": _book_pdf, "manuscript.docx": _manuscript_docx}
        for name, write in book_products.items():
            if not project.chapters:
                skipped.append(f"{name}: no {MANUSCRIPT}/*.md chapters")
            else:
                files = _book_files(loaded, styled=name == "book.epub")
                chosen.append(Product(name, functools.partial(write, loaded), (MANUSCRIPT,), files))
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
    progress: Step | None = None,
    alongside: Callable[[], None] | None = None,
) -> BuildReport:
    """Render every product into temporary files, then move them all into place.

    Nothing is left behind when a renderer fails: the temporary files are removed and the
    previous outputs stay as they were. With ``outputs``, products still up to date are left
    alone; ``progress`` hears of each product (see parallel.Step). The products render on two
    cores where fork is available (parallel.py), and ``alongside`` (the checks) runs in this
    process meanwhile.
    """
    folder = output_folder(loaded.root, out)
    chosen, skipped = products(loaded, only)
    folder.mkdir(parents=True, exist_ok=True)
    unchanged = [p for p in chosen if outputs is not None and outputs.fresh(p, folder / p.name)]
    skip = {id(p) for p in unchanged}
    with _staging(folder) as stage:
        staged = [(p, stage / p.name, folder / p.name) for p in chosen if id(p) not in skip]
        render([Job(product.name, product.write, temp) for product, temp, _ in staged], progress, alongside)
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
    from toolkit.render.screenplay_options import pdf_options
    from toolkit.render.screenplay_pdf import render_screenplay_pdf

    assert loaded.project.screenplay is not None
    settings = loaded.config.screenplay
    font = _project_file(loaded.root, settings.font, "screenplay.font")
    options = pdf_options(settings, font)
    render_screenplay_pdf(loaded.project.screenplay, loaded.meta, settings.paper, path, options)


def _screenplay_text(loaded: Loaded, path: Path, fmt: str) -> None:
    from toolkit.render.screenplay_fdx import render_screenplay_fdx
    from toolkit.render.screenplay_html import render_screenplay_html

    assert loaded.project.screenplay is not None
    render = render_screenplay_fdx if fmt == "fdx" else render_screenplay_html
    text = render(loaded.project.screenplay, loaded.meta, notes=loaded.config.screenplay.notes)
    path.write_text(text, encoding="utf-8", newline="\n")


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
        front=_book_front(loaded),
    )


def _book_front(loaded: Loaded) -> BookFront:
    from toolkit.render.pandoc import BookFront

    book = loaded.config.book
    return BookFront(book.dedication, book.epigraph, book.epigraph_source)


def _book_pdf(loaded: Loaded, path: Path) -> None:
    from toolkit.render.book_pdf import render_book_pdf

    book = loaded.config.book
    render_book_pdf(
        loaded.project.chapters,
        loaded.meta,
        path,
        trim=book.trim,
        small_caps=book.small_caps,
        front=_book_front(loaded),
        image_root=loaded.root,
    )


def _manuscript_docx(loaded: Loaded, path: Path) -> None:
    from toolkit.render.manuscript_docx import ManuscriptCover, render_manuscript_docx

    book = loaded.config.book
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    render_manuscript_docx(loaded.project.chapters, loaded.meta, path, cover)


_IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def _book_files(loaded: Loaded, styled: bool) -> tuple[Path, ...]:
    """Files the book reads besides the chapters: linked images, and for the EPUB cover and stylesheet."""
    root, book = loaded.root, loaded.config.book
    files = [root / name for name in (book.cover, book.css) if name and styled]
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
