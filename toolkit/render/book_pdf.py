"""Print book PDF: chapters through pandoc's Typst writer into our template, typeset by the typst library."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import children
from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    NO_FRONT,
    BookFront,
    book_markdown,
    filter_path,
    may_fetch,
    run_pandoc,
    typography_args,
    words_for,
)

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class Trim:
    """A trade trim size and the margins a printer expects for it (Typst lengths)."""

    width: str
    height: str
    inside: str  # binding edge: wider, so text does not run into the gutter
    outside: str
    top: str
    bottom: str
    font_size: str


TRIMS = {
    "5.5x8.5": Trim("5.5in", "8.5in", "0.8in", "0.55in", "0.7in", "0.75in", "10.5pt"),
    "6x9": Trim("6in", "9in", "0.85in", "0.6in", "0.75in", "0.8in", "11pt"),
    "a5": Trim("148mm", "210mm", "20mm", "14mm", "18mm", "20mm", "10.5pt"),
}


def render_book_pdf(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    *,
    trim: str = "5.5x8.5",
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
    image_root: Path | None = None,
    images: Mapping[str, str] | None = None,
) -> None:
    """Typeset ``chapters`` as a print-ready book PDF at ``target`` (``trim`` is a key of TRIMS).

    ``images`` maps each image as the chapters write it to the file fabula checked, as Typst
    names it inside ``image_root`` (the project folder, Typst's root: it reads nothing outside).
    """
    source = book_typst(chapters, meta, trim=trim, small_caps=small_caps, front=front, images=images)
    pdf = compile_typst(source, meta.epoch, root=image_root)
    target.write_bytes(pdf)


def book_typst(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    trim: str = "5.5x8.5",
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
    images: Mapping[str, str] | None = None,
) -> str:
    """The whole book as one Typst source: our template around pandoc's Typst for the chapters."""
    filters = typography_args(meta.language)
    if small_caps:
        filters += ["--lua-filter", str(filter_path("opening.lua"))]
    body = run_pandoc(
        ["--from", INPUT_FORMAT, "--to", "typst", "--wrap=preserve", *filters, "--metadata", f"lang={meta.language}"],
        meta.epoch,
        "book PDF",
        stdin=book_markdown(chapters),
        images=dict(images or {}) if may_fetch(chapters) else None,
    )
    language, _, region = meta.language.partition("-")
    template = _environment().get_template("book.typ.j2")
    return template.render(
        title=meta.title,
        author=meta.author,
        lang=language.lower(),
        region=region.upper() if re.fullmatch(r"[A-Za-z]{2}", region) else None,
        page=TRIMS[trim],
        dedication=front.dedication,
        epigraph=front.epigraph,
        epigraph_source=front.epigraph_source,
        contents=words_for(meta.language)["contents"],
        body=body,
    )


# Typst's time limit: the 300k-word book sets in about a minute of one core; real books stay far
# inside it on a busy machine, input that makes Typst's time grow faster than its length does not.
TIME_LIMIT_SECONDS = 300.0
TIME_LIMIT_PER_MEGABYTE = 120.0


def compile_typst(source: str, epoch: int, root: Path | None = None) -> bytes:
    """PDF bytes from Typst source, with only Typst's built-in fonts and a fixed creation date.

    The compiler runs in a child process (render/typst_compile.py) under a time limit, reading
    files only inside ``root`` (the project folder). The child is an isolated interpreter (no
    current folder on its import path, no PYTHON* variables): a project holding a ``typst.py``
    must not have it run.
    """
    seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, len(source))
    package_parent = str(Path(__file__).resolve().parents[2])
    start = f"import sys; sys.path.insert(0, {package_parent!r}); from toolkit.render.typst_compile import main; "
    command = [sys.executable, "-I", "-c", start + "sys.exit(main(sys.argv[1:]))", str(root or ""), str(epoch)]
    result = children.run(command, seconds, "Typst, setting the book PDF,", stdin=source.encode("utf-8"), text=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise FabulaError(f"Typst could not set the book PDF: {message or f'status {result.returncode}'}")
    pdf: bytes = result.stdout
    return pdf


def typst_string(value: str) -> str:
    """A Typst string literal: shown as plain text, never read as markup."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def _environment() -> Environment:
    from toolkit.render.templates import template_environment

    # Typst, not HTML: values go through typst_string instead of an escape.
    return template_environment("none", filters={"typst_string": typst_string})
