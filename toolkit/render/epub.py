"""EPUB 3 book: the chapters' Markdown through pandoc (pypandoc-binary), one chapter a file."""

from __future__ import annotations

import datetime as _dt
import tempfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    NO_FRONT,
    BookFront,
    book_markdown,
    markdown_escape,
    may_fetch,
    run_pandoc,
    typography_args,
    words_for,
)

__all__ = ["COVER_MAGIC", "BookFront", "book_markdown", "check_cover", "render_epub"]

COVER_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}

ACCESSIBILITY_SUMMARY = (
    "The text of this book is in reading order, with a table of contents and headings for "
    "navigation; it has no known accessibility hazards."
)
COVER_SUMMARY = " The cover is a picture; its title and author are also in the text."


def render_epub(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    *,
    css: Path | None = None,
    cover: Path | None = None,
    images: Mapping[str, str] | None = None,
    front: BookFront = NO_FRONT,
) -> None:
    """Write ``chapters`` as an EPUB 3 book with a chapter TOC to ``target``.

    ``css`` replaces the packaged ``toolkit/styles/book.css``; ``cover`` is a PNG or JPEG;
    ``images`` maps each image as the chapters write it to the file fabula checked (see
    render/resources.py): pandoc reads those and no other; ``front`` holds the dedication and
    epigraph pages. Temporary files go beside ``target`` (the build's staging folder).
    """
    if cover is not None:
        check_cover(cover)
    if css is not None and not css.is_file():
        raise FabulaError("stylesheet not found", path=str(css))

    with tempfile.TemporaryDirectory(prefix=".fabula-epub-", dir=target.parent) as temp:
        source = Path(temp) / "book.md"
        text = front_markdown(front, meta.language) + book_markdown(chapters)
        source.write_text(text, encoding="utf-8")
        stylesheet = css if css is not None else Path(temp) / "book.css"
        if css is None:
            stylesheet.write_bytes(resources.files("toolkit.styles").joinpath("book.css").read_bytes())
        args = [
            "--from",
            INPUT_FORMAT,
            "--to",
            "epub3",
            "--output",
            str(target),
            "--toc",
            "--toc-depth=1",
            "--split-level=1",
            "--css",
            str(stylesheet),
            *typography_args(meta.language),
            *_metadata_args(meta, cover is not None),
        ]
        # Nothing to find by a relative path: every image pandoc may read is on the guard's list.
        args.append(f"--resource-path={temp}")
        if cover is not None:
            args.append(f"--epub-cover-image={cover}")
        guarded = dict(images or {}) if may_fetch(chapters) else None
        run_pandoc([*args, str(source)], meta.epoch, "EPUB", images=guarded, size=len(text), workdir=Path(temp))


def front_markdown(front: BookFront, language: str) -> str:
    """Dedication and epigraph as unlisted level-1 sections: pandoc gives each its own page and
    marks it ``epub:type`` so reading systems know it is front matter, not chapter one."""
    words = words_for(language)
    parts = []
    if front.dedication:
        parts.append(
            f"# {words['dedication']} {{.unlisted .front epub:type=dedication}}\n\n"
            f"::: dedication\n{markdown_escape(front.dedication)}\n:::\n"
        )
    if front.epigraph:
        quote = "\n".join("> " + line for line in markdown_escape(front.epigraph).splitlines())
        source = ""
        if front.epigraph_source:
            source = f"\n>\n> ::: epigraph-source\n> — {markdown_escape(front.epigraph_source)}\n> :::"
        parts.append(
            f"# {words['epigraph']} {{.unlisted .front epub:type=epigraph}}\n\n::: epigraph\n{quote}{source}\n:::\n"
        )
    return "\n".join(part + "\n" for part in parts)


def _metadata_args(meta: Metadata, has_cover: bool) -> list[str]:
    # -M values are literal strings (a --metadata-file would read them as Markdown).
    date = _dt.datetime.fromtimestamp(meta.epoch, _dt.UTC).date().isoformat()
    values: list[tuple[str, str]] = [
        ("title", meta.title),
        ("lang", meta.language),
        ("identifier", meta.identifier),
        ("date", date),
        ("toc-title", words_for(meta.language)["contents"]),
        # schema.org accessibility metadata (EPUB Accessibility 1.1), which stores ask for.
        # Repeating a -M key makes a list. A cover is a picture, but the text alone suffices.
        ("accessModes", "textual"),
        *([("accessModes", "visual")] if has_cover else []),
        ("accessModeSufficient", "textual"),
        ("accessibilityFeatures", "readingOrder"),
        ("accessibilityFeatures", "structuralNavigation"),
        ("accessibilityFeatures", "tableOfContents"),
        ("accessibilityHazards", "none"),
        ("accessibilitySummary", ACCESSIBILITY_SUMMARY + (COVER_SUMMARY if has_cover else "")),
    ]
    if meta.author:
        values.insert(1, ("author", meta.author))
    return [arg for key, value in values for arg in ("--metadata", f"{key}={value}")]


def check_cover(cover: Path) -> None:
    """A clear error when the cover is missing, unreadable, or not a PNG or JPEG."""
    try:
        with cover.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise FabulaError("cover image not found", path=str(cover)) from None
    except OSError as error:
        raise FabulaError(f"cover image cannot be read: {error.strerror}", path=str(cover)) from None
    if not any(head.startswith(magic) for magic in COVER_MAGIC):
        raise FabulaError("cover image must be a PNG or JPEG file", path=str(cover))
