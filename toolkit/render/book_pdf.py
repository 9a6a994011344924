"""Print book PDF: chapters through pandoc's Typst writer into our template, typeset by the typst library."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    NO_FRONT,
    BookFront,
    book_markdown,
    filter_path,
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
) -> None:
    """Typeset ``chapters`` as a print-ready book PDF at ``target`` (``trim`` is a key of TRIMS).

    Images that chapters link to are found relative to ``image_root`` (the project folder).
    """
    source = book_typst(chapters, meta, trim=trim, small_caps=small_caps, front=front)
    pdf = compile_typst(source, meta.epoch, root=image_root)
    target.write_bytes(pdf)


def book_typst(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    trim: str = "5.5x8.5",
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
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


def compile_typst(source: str, epoch: int, root: Path | None = None) -> bytes:
    """PDF bytes from Typst source, with only Typst's built-in fonts and a fixed creation date."""
    import typst

    # typst's stubs tie ``root`` to the input's type (a path, or bytes of source): ours are
    # source bytes and a folder path, which the library accepts.
    compile_source: Callable[..., bytes | None] = typst.compile
    try:
        pdf = compile_source(
            source.encode("utf-8"),
            root=str(root) if root is not None else None,
            ignore_system_fonts=True,
            timestamp=epoch,
            format="pdf",
        )
    except typst.TypstError as error:
        raise FabulaError(f"Typst could not set the book PDF: {error.message}") from None
    assert isinstance(pdf, bytes)
    return pdf


def typst_string(value: str) -> str:
    """A Typst string literal: shown as plain text, never read as markup."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def _environment() -> Environment:
    from toolkit.render.templates import template_environment

    # Typst, not HTML: values go through typst_string instead of an escape.
    return template_environment("none", filters={"typst_string": typst_string})
