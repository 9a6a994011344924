"""What a build writes: each output file, the renderer that makes it from the story, and its inputs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.render.resources import book_images
from toolkit.sources import BIBLE, MANUSCRIPT, SCREENPLAY

if TYPE_CHECKING:
    from toolkit.config import BookConfig
    from toolkit.render.chapters import BookParts
    from toolkit.render.manuscript_docx import ManuscriptCover
    from toolkit.render.pandoc import BookFront, BookStyle, CopyrightPage
    from toolkit.resolve import Story
    from toolkit.stats_counts import StatsParts


class Target(StrEnum):
    """What ``--only`` picks: each target is one or more output files."""

    screenplay = "screenplay"  # screenplay.pdf, .fdx, .html
    book = "book"  # book.epub, book.pdf, manuscript.docx
    outline = "outline"  # outline.md, .html, .json
    report = "report"  # report.html


TARGETS = tuple(target.value for target in Target)
ALL_SOURCES = (MANUSCRIPT, SCREENPLAY, BIBLE)


@dataclass(frozen=True)
class Product:
    name: str  # file name inside the output folder
    write: Callable[[Path], None]  # renders into the given (temporary) path
    # What the output is made from, for incremental builds (fabula.toml and the metadata always
    # count): source folders/files relative to the project, and any other files it reads.
    sources: tuple[str, ...] = ALL_SOURCES
    files: tuple[Path, ...] = ()
    # Parts of the story it reads that are worked out on first use (``Story.layout``,
    # ``Story.outline``): worked out before rendering starts when two products share them.
    reads: tuple[str, ...] = ()
    # Work done before the products render, in the process that keeps the cache: the book's
    # chapters through pandoc (render/chapters.py), each from the cache or converted. Calling it
    # starts the work; what it returns waits for it (the pipeline works out the outline and runs
    # the checks in between), None: nothing to wait for (the report's counts, from the cache).
    prepare: Callable[[], Callable[[], None] | None] | None = None
    # Whether, once prepared, writing it is mostly a wait for another process (the book PDF when
    # Typst's child has the book: book_pdf.hand_early): it is then taken after the others, so
    # that the two processes of a build render those meanwhile.
    waits: Callable[[], bool] | None = None
    # What its render starts with that another product's may start with too (Jinja2 imported,
    # the templates' environment made): done once before the products are shared out between
    # two processes, when more than one product to render has one, not in each process.
    setup: Callable[[], object] | None = None


def products(
    story: Story,
    only: tuple[str, ...] = TARGETS,
    parts: BookParts | None = None,
    counts: Callable[[], StatsParts] | None = None,
) -> tuple[list[Product], list[str]]:
    """What to write for the targets asked for, and why anything is left out.

    ``parts`` keeps the chapters as pandoc converted each, through the pipeline's cache;
    ``counts`` gives the report's counts through it (called where the cache is kept).
    """
    chosen: list[Product] = []
    skipped: list[str] = []
    project, root = story.project, Path(story.project.root)
    if "screenplay" in only:
        if project.screenplay is None:
            skipped.append(f"screenplay.pdf: no {SCREENPLAY}/*.fountain files")
        else:
            font = story.config.screenplay.font
            files: tuple[Path, ...] = ()
            if font:
                checked = project_file(story, font, "screenplay.font") if (root / font).exists() else None
                files = (checked or root / font,)
            chosen += [
                Product("screenplay.pdf", lambda path: _screenplay(story, path), (SCREENPLAY,), files, ("layout",)),
                Product("screenplay.fdx", lambda path: _screenplay_text(story, path, "fdx"), (SCREENPLAY,)),
                Product("screenplay.html", lambda path: _screenplay_text(story, path, "html"), (SCREENPLAY,)),
            ]
    if "book" in only:
        # One target, three files from the same chapters: the store's, the printer's, the agent's.
        # The title page's title and author reach the book through the metadata, which every
        # product's key holds: a screenplay edit need not rebuild the book.
        book: dict[str, Callable[[Story, Path, BookParts], None]] = {
            "book.epub": _book,
            "book.pdf": _book_pdf,
            "manuscript.docx": _manuscript_docx,
        }
        chapter_parts = parts if parts is not None else book_parts(story)
        for name, write in book.items():
            if not project.chapters:
                skipped.append(f"{name}: no {MANUSCRIPT}/*.md chapters")
            else:
                files = book_files(story, styled=name == "book.epub")
                prepare = _chapters_first(story, name, chapter_parts)
                waits = _handed(chapter_parts) if name == "book.pdf" else None
                bound = _bound(write, story, chapter_parts)
                chosen.append(Product(name, bound, (MANUSCRIPT,), files, prepare=prepare, waits=waits))
    if "outline" in only:
        for fmt in ("md", "html", "json"):
            setup = _outline_templates if fmt != "json" else None
            chosen.append(Product(f"outline.{fmt}", _outline_writer(story, fmt), reads=("outline",), setup=setup))
    if "report" in only:
        counted: list[StatsParts] = []

        def count() -> None:
            if counts is not None:
                counted.append(counts())

        report = Product(
            "report.html",
            lambda path: _report(story, path, counted[0] if counted else None),
            reads=("outline", "layout"),
            prepare=count if counts is not None else None,
            setup=_report_templates,
        )
        chosen.append(report)
    return chosen, skipped


def _bound(write: Callable[[Story, Path, BookParts], None], story: Story, parts: BookParts) -> Callable[[Path], None]:
    return lambda path: write(story, path, parts)


def _handed(parts: BookParts) -> Callable[[], bool]:
    """Whether Typst's child has the book to set (the book PDF's render then reads its answer)."""
    return lambda: parts.pdf_handed is not None


def book_parts(story: Story) -> BookParts:
    """The chapters as pandoc will convert each for the book (render/chapters.py), none yet."""
    from toolkit.render.chapters import BookParts

    root, chapters = Path(story.project.root), story.project.chapters
    return BookParts(tuple(chapters), story.meta.epoch, book_images(root, chapters).for_pandoc())


def _chapters_first(story: Story, name: str, parts: BookParts) -> Callable[[], Callable[[], None]] | None:
    """The work before a book output renders: each chapter through pandoc (or from the cache),
    read once for the EPUB, the book PDF and the manuscript DOCX (the chapters they read are the
    same: they are rebuilt together). ``prepare()`` starts pandoc and returns what waits for it."""

    def prepare() -> Callable[[], None]:
        from toolkit.render.book_pdf import typst_conversion
        from toolkit.render.docx_parts import Unspliceable
        from toolkit.render.epub import epub_conversion
        from toolkit.render.manuscript_docx import docx_conversion, manuscript_frame
        from toolkit.render.pandoc import may_fetch, references_across

        language, style, small_caps = story.meta.language, book_style(story), story.config.book.small_caps
        # The guard's lists, as the renderers hand them to pandoc (the conversions must be the same).
        root, chapters = Path(story.project.root), story.project.chapters
        images = book_images(root, chapters)
        fetch = may_fetch(chapters)
        epub = epub_conversion(language, style, images.for_pandoc() if fetch else None)
        typst = typst_conversion(language, style, small_caps, images.for_typst(root) if fetch else None)
        # The EPUB's and the manuscript's parts, unless each is to be one pandoc run over the
        # whole book (a chapter refers to another's heading or link definition).
        spliced = not references_across(chapters)
        conversions = [epub, typst] if spliced else [typst]
        if spliced:
            conversions.append(docx_conversion(language, images.for_pandoc() if fetch else None))
        parts.begin(*conversions, early=typst)
        frame = _epub_frame_first(story, parts) if name == "book.epub" and spliced else None
        if name == "book.pdf":  # Typst's child starts while pandoc converts (book_pdf.warm_typst)
            from toolkit.render.book_pdf import hand_early, warm_typst

            warm_typst(parts.store)
            # The child sets the book as soon as pandoc has written the chapters' Typst (those it
            # converts: all in a clean build, the edited one after an edit), before their EPUB
            # and DOCX: the pipeline hands it over before the checks (BookParts.hand_early).
            if spliced:
                hand_early(chapters, story.meta, parts=parts, **_book_pdf_options(story))

        def finish() -> None:
            if name == "book.pdf":  # its template, from the cache (or made) here, where the cache is kept
                from toolkit.render.book_pdf import book_template

                book = story.config.book
                front, trim, size = book_front(story), book.trim, book.font_size
                book_template(story.meta, trim=trim, font_size=size, front=front, style=style, parts=parts)
            parts.finish()
            if frame is not None:  # the EPUB's frame, kept here, where the cache is kept
                frame()
            # The manuscript's frame, from the cache (or made) here, where the cache is kept.
            if name == "manuscript.docx" and spliced:
                with contextlib.suppress(Unspliceable):  # the renderer makes the whole-book run
                    manuscript_frame(chapters, story.meta, _cover(story), images.for_pandoc() if fetch else None, parts)

        return finish

    return prepare


def _screenplay(story: Story, path: Path) -> None:
    from toolkit.render.screenplay_options import pdf_options
    from toolkit.render.screenplay_pdf import render_screenplay_pdf

    assert story.project.screenplay is not None
    settings = story.config.screenplay
    font = project_file(story, settings.font, "screenplay.font")
    options = pdf_options(settings, font)
    render_screenplay_pdf(story.project.screenplay, story.meta, settings.paper, path, options, layout=story.layout)


def _screenplay_text(story: Story, path: Path, fmt: str) -> None:
    from toolkit.render.screenplay_fdx import render_screenplay_fdx
    from toolkit.render.screenplay_html import render_screenplay_html

    assert story.project.screenplay is not None
    render = render_screenplay_fdx if fmt == "fdx" else render_screenplay_html
    text = render(story.project.screenplay, story.meta, notes=story.config.screenplay.notes)
    path.write_text(text, encoding="utf-8", newline="\n")


def _book(story: Story, path: Path, parts: BookParts) -> None:
    from toolkit.render.epub import render_epub

    earlier = parts.earlier.get("book.epub")  # what the last build wrote: its compressed files
    render_epub(story.project.chapters, story.meta, path, parts=parts, earlier=earlier, **_epub_options(story))


def _epub_options(story: Story) -> dict[str, Any]:
    """The EPUB's settings, as render_epub (and epub.frame_run) takes them."""
    book, root = story.config.book, Path(story.project.root)
    return {
        "css": project_file(story, book.css, "book.css"),
        "cover": project_file(story, book.cover, "book.cover"),
        # Images are found beside the chapters, or in the project folder; only checked ones are read.
        "images": book_images(root, story.project.chapters).for_pandoc(),
        "front": book_front(story),
        "style": book_style(story),
        "published": book.published,
        "publisher": book.publisher,
    }


def _epub_frame_first(story: Story, parts: BookParts) -> Callable[[], None] | None:
    """Start pandoc on the EPUB's frame (epub.frame_run) now, unless the cache keeps it: it runs
    while pandoc converts the chapters; what is returned waits for it and keeps it in ``parts``
    (and the cache). None: nothing started (kept, or left to the renderer: a stylesheet or cover
    it will refuse, say, and the error it gives)."""
    from toolkit.errors import FabulaError
    from toolkit.render.epub import EpubFrame, check_cover, frame_run

    try:
        options = _epub_options(story)
        if options["cover"] is not None:
            check_cover(options["cover"])
        if options["css"] is not None and not options["css"].is_file():
            return None
        run = frame_run(story.project.chapters, story.meta, **options)
    except FabulaError:
        return None
    if parts.kept("epub-frame", run.key, EpubFrame):
        return None
    wait = run.start(parts.scratch)

    def keep() -> None:
        with contextlib.suppress(FabulaError):  # the renderer runs pandoc again, and says what failed
            parts.remembered("epub-frame", run.key, lambda: EpubFrame.of(wait()), EpubFrame)

    return keep


def book_front(story: Story) -> BookFront:
    """The front matter from fabula.toml's [book] table."""
    from toolkit.render.pandoc import BookFront

    book = story.config.book
    copyright_page = copyright_page_of(book, story.meta.author)
    return BookFront(book.dedication, book.epigraph, book.epigraph_source, copyright_page, book.publisher)


def copyright_page_of(book: BookConfig, author: str | None) -> CopyrightPage | None:
    """The copyright page: its notice names the holder (the author unless ``copyright_holder``
    says otherwise) and the year (of ``published`` unless ``copyright_year`` says otherwise).
    None when there is nothing to say: no author and none of the page's keys."""
    from toolkit.render.pandoc import CopyrightPage

    holder = book.copyright_holder or author
    year = book.copyright_year or (int(book.published[:4]) if book.published else None)
    keys = (book.copyright_year, book.rights, book.edition, book.publisher, book.isbn, book.printer, book.published)
    if holder is None and all(key is None for key in keys):
        return None
    notice = " ".join(part for part in ("Copyright ©", str(year) if year else None, holder) if part)
    return CopyrightPage(
        notice=notice if holder or year else None,
        rights=book.rights or "All rights reserved.",
        edition=book.edition,
        publisher=book.publisher,
        isbn=book.isbn,
        printer=book.printer,
    )


def book_style(story: Story) -> BookStyle:
    from toolkit.render.pandoc import BookStyle

    book = story.config.book
    return BookStyle(dash=book.dash, small_caps_headings=book.small_caps_headings)


def _book_pdf(story: Story, path: Path, parts: BookParts) -> None:
    from toolkit.render.book_pdf import render_book_pdf

    render_book_pdf(story.project.chapters, story.meta, path, parts=parts, **_book_pdf_options(story))


def _book_pdf_options(story: Story) -> dict[str, Any]:
    """The book PDF's settings, as render_book_pdf (and book_pdf.hand_early) takes them."""
    book, root = story.config.book, Path(story.project.root)
    return {
        "trim": book.trim,
        "font_size": book.font_size,
        "small_caps": book.small_caps,
        "front": book_front(story),
        "style": book_style(story),
        "image_root": root,
        "images": book_images(root, story.project.chapters).for_typst(root),
    }


def _cover(story: Story) -> ManuscriptCover:
    from toolkit.render.manuscript_docx import ManuscriptCover

    book = story.config.book
    return ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)


def _manuscript_docx(story: Story, path: Path, parts: BookParts) -> None:
    from toolkit.render.manuscript_docx import render_manuscript_docx

    root, cover = Path(story.project.root), _cover(story)
    images = book_images(root, story.project.chapters).for_pandoc()
    render_manuscript_docx(story.project.chapters, story.meta, path, cover, images=images, parts=parts)


def book_files(story: Story, styled: bool) -> tuple[Path, ...]:
    """Files the book reads besides the chapters: linked images, and for the EPUB cover and stylesheet.

    Each is checked to be inside the project before anything reads it (even to hash it for the
    cache); one outside is an error here, before any output is written.
    """
    root, book = Path(story.project.root), story.config.book
    files: list[Path] = []
    for name, key in ((book.cover, "book.cover"), (book.css, "book.css")):
        if name and styled:  # a missing one is the renderer's error to report; its key says "missing"
            checked = project_file(story, name, key) if (root / name).exists() else None
            files.append(checked or root / name)
    files += book_images(root, story.project.chapters).files.values()
    return tuple(dict.fromkeys(files))


def _report(story: Story, path: Path, counts: StatsParts | None = None) -> None:
    from toolkit.render.report import render_report
    from toolkit.stats import project_stats

    stats = project_stats(story, counts)
    path.write_text(render_report(stats, story.config.language), encoding="utf-8", newline="\n")


def project_file(story: Story, name: str | None, key: str) -> Path | None:
    """A file that fabula.toml names (``key``), inside the project; None when not set."""
    from toolkit.render.resources import project_file as checked_file

    return checked_file(Path(story.project.root), name, key)


def _outline_templates() -> object:
    from toolkit.render.outline import environment

    return environment()


def _report_templates() -> object:
    from toolkit.render.report import environment

    return environment()


def _outline_writer(story: Story, fmt: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        from toolkit.render.outline import render_outline

        path.write_text(render_outline(story.outline, fmt, story.config.language), encoding="utf-8", newline="\n")

    return write
