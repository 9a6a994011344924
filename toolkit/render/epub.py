"""EPUB 3 book: the chapters' Markdown through pandoc (pypandoc-binary), one chapter a file."""

from __future__ import annotations

import datetime as _dt
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter

# Markdown as writers type it, with "smart" quotes and dashes; front matter is already removed,
# so a "---" line further down must never be taken for a YAML block.
INPUT_FORMAT = "markdown+smart-yaml_metadata_block"
COVER_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_H1_ATX = re.compile(r" {0,3}#(?!#)([ \t]+\S|[ \t]*$)")
_SETEXT_H1 = re.compile(r"=+[ \t]*$")
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def render_epub(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    *,
    css: Path | None = None,
    cover: Path | None = None,
    resource_paths: Sequence[Path] = (),
) -> None:
    """Write ``chapters`` as an EPUB 3 book with a chapter TOC to ``target``.

    ``css`` replaces the packaged ``toolkit/styles/book.css``; ``cover`` is a PNG or JPEG;
    ``resource_paths`` are the folders where images that chapters link to are looked up.
    """
    if cover is not None:
        _check_cover(cover)
    if css is not None and not css.is_file():
        raise FabulaError("stylesheet not found", path=str(css))

    with tempfile.TemporaryDirectory(prefix="fabula-epub-") as temp:
        source = Path(temp) / "book.md"
        source.write_text(book_markdown(chapters), encoding="utf-8")
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
            *_metadata_args(meta),
        ]
        if resource_paths:
            args.append("--resource-path=" + os.pathsep.join(str(path) for path in resource_paths))
        if cover is not None:
            args.append(f"--epub-cover-image={cover}")
        _run_pandoc([*args, str(source)], meta.epoch)


def book_markdown(chapters: Sequence[Chapter]) -> str:
    """All chapters as one Markdown text, each starting with a level-1 heading (pandoc splits there)."""
    parts = []
    for number, chapter in enumerate(chapters, start=1):
        # Footnote labels are per chapter as written ("[^1]" in every chapter) but one namespace
        # in the joined text, where pandoc would keep only the first definition of each.
        text = _FOOTNOTE.sub(rf"[^{number}.\1]", chapter.source.strip("\n"))
        if not _starts_with_h1(text):
            text = f"# {chapter.title}\n\n{text}"
        parts.append(text.rstrip() + "\n")
    return "\n".join(parts)


def _starts_with_h1(text: str) -> bool:
    lines = text.lstrip("\n").splitlines()
    if not lines:
        return False
    if _H1_ATX.match(lines[0]):
        return True
    return len(lines) > 1 and bool(lines[0].strip()) and bool(_SETEXT_H1.match(lines[1]))


def _metadata_args(meta: Metadata) -> list[str]:
    # -M values are literal strings (a --metadata-file would read them as Markdown).
    date = _dt.datetime.fromtimestamp(meta.epoch, _dt.UTC).date().isoformat()
    values = {"title": meta.title, "lang": meta.language, "identifier": meta.identifier, "date": date}
    if meta.author:
        values["author"] = meta.author
    return [arg for key, value in values.items() for arg in ("--metadata", f"{key}={value}")]


def _check_cover(cover: Path) -> None:
    try:
        with cover.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise FabulaError("cover image not found", path=str(cover)) from None
    except OSError as error:
        raise FabulaError(f"cover image cannot be read: {error.strerror}", path=str(cover)) from None
    if not any(head.startswith(magic) for magic in COVER_MAGIC):
        raise FabulaError("cover image must be a PNG or JPEG file", path=str(cover))


def pandoc_path() -> Path:
    """The pandoc that pypandoc-binary ships: a system pandoc may be any version."""
    import pypandoc

    name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
    path = Path(pypandoc.__file__).resolve().parent / "files" / name
    if not path.is_file():
        raise FabulaError("pandoc not found: install the pypandoc-binary package")
    return path


def _run_pandoc(args: list[str], epoch: int) -> None:
    # Pandoc takes every date it writes (dcterms:modified, zip entries) from SOURCE_DATE_EPOCH;
    # a subprocess env leaves our own process environment alone.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [str(pandoc_path()), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise FabulaError(f"pandoc could not build the EPUB: {result.stderr.strip()}")
