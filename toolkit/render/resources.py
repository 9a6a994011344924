"""The files outputs read besides the sources (images, cover, stylesheet, font), each inside the project.

A shared project must not be able to print a reader's files in its book: every file an output
reads is found here, with its links followed, and is used only when it is inside the project
folder (toolkit.sources.inside_project); anything else is a one-line error naming the file, the
place that names it, and the rule. pandoc reads only the images on the list this module makes
(toolkit/filters/guard.lua), so an image it would find by other means is never read either.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import FabulaError, excerpt
from toolkit.model import Chapter, Span
from toolkit.sources import MANUSCRIPT, inside_project

# pandoc looks for a relative image beside the chapters first, then in the project folder.
IMAGE_FOLDERS = (MANUSCRIPT, "")


@dataclass(frozen=True)
class BookImages:
    """Every image the chapters name that is a file of the project: as written -> the file."""

    files: dict[str, Path]

    def for_pandoc(self) -> dict[str, str]:
        """Written -> the file's absolute path (the EPUB and DOCX writers read it themselves)."""
        return {written: str(path) for written, path in self.files.items()}

    def for_typst(self, root: Path) -> dict[str, str]:
        """Written -> the file as Typst names it: an absolute Typst path starts at the project root."""
        real_root = root.resolve()
        return {written: "/" + path.relative_to(real_root).as_posix() for written, path in self.files.items()}


def book_images(root: Path, chapters: tuple[Chapter, ...] | list[Chapter]) -> BookImages:
    """The images of the book, each checked: inside the project, or an error naming chapter and line."""
    files: dict[str, Path] = {}
    for chapter in chapters:
        blocks = (chapter.heading, *chapter.blocks) if chapter.heading is not None else chapter.blocks
        for block in blocks:
            for written in block.images:
                if written not in files:
                    found = image_file(root, written, block.span)
                    if found is not None:
                        files[written] = found
    return BookImages(files)


def image_file(root: Path, written: str, span: Span) -> Path | None:
    """The project file an image names, found where pandoc looks (beside the chapters, then in
    the project folder); None for inline data. Missing, outside the project or on the web: an
    error naming the chapter's line, for every book output alike."""
    address = written.strip()
    if address.lower().startswith("data:"):
        return None  # the picture is in the text itself: nothing to read
    if _has_scheme(address):
        raise FabulaError(
            f"image {excerpt(address)} is not in the project: fabula never fetches from the network; "
            "save the picture in the project folder and link to it there",
            span,
        )
    for name in dict.fromkeys((address, urllib.parse.unquote(address))):
        for candidate in _candidates(root, name):
            if candidate.is_file():
                try:
                    return inside_project(root, candidate, "image")
                except FabulaError as error:
                    raise FabulaError(f"image {excerpt(address)}: {error.message}", span) from None
    raise FabulaError(
        f"image {excerpt(address)} not found beside the chapters ({MANUSCRIPT}/) or in the project folder", span
    )


def _candidates(root: Path, name: str) -> list[Path]:
    if not name:
        return []
    path = Path(name)
    if path.is_absolute() or PurePosixPath(name).is_absolute():
        return [path]
    return [root / folder / name if folder else root / name for folder in IMAGE_FOLDERS]


def _has_scheme(address: str) -> bool:
    """``https://…``, ``file:///…``, ``mailto:``: an address, not a path (``C:\\x`` is a path)."""
    scheme, colon, _ = address.partition(":")
    return (
        bool(colon)
        and len(scheme) > 1
        and scheme[0].isascii()
        and scheme[0].isalpha()
        and all(char.isascii() and (char.isalnum() or char in "+.-") for char in scheme)
    )


def project_file(root: Path, name: str | None, key: str) -> Path | None:
    """A file that fabula.toml names (``key``), inside the project; None when not set."""
    if name is None:
        return None
    path = root / name
    if not path.is_file():
        raise FabulaError(f"file not found (set by {key} in fabula.toml)", path=name)
    try:
        return inside_project(root, path, f"file (set by {key} in fabula.toml)")
    except FabulaError as error:
        raise FabulaError(error.message, path=name) from None
