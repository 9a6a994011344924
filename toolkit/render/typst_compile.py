"""Typst's compiler in a process of its own: ``main([ROOT, EPOCH])``, run by book_pdf.compile_typst.

Typst source comes in on standard input and the PDF goes out on standard output; a Typst error
is one line on standard error and exit status 3. ``main([ROOT, EPOCH, "chapters", STORE])`` reads
the book's pieces as JSON instead (book_pdf.set_per_chapter) and sets it chapter by chapter
(render/book_join.py), keeping each chapter's PDF in the folder STORE ("": none); with a fifth
argument, a folder, new PDFs go there instead (book_pdf.hand_early: the build keeps them once
it has succeeded). With "streamed" in place of "chapters" it reads what book_pdf.set_streamed
reads instead, and sets each chapter as pandoc writes its Typst (a clean build). The documents
of a book set chapter by chapter are untagged (no structure for screen readers: the join could
not keep it); a book set whole is tagged. ``main([ROOT, EPOCH, "untagged"])`` sets one document
untagged, as they are (book_pdf.compile_typst).
book_pdf runs this with a time limit (toolkit/children.py): the compiler is native code that no
signal can interrupt inside fabula's own process, and its threads would outlive the build there
(a forked worker then waits for them forever: toolkit/parallel.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

TYPST_ERROR = 3


def main(argv: list[str]) -> int:
    import typst

    from toolkit.parallel import cores

    opened: dict[bytes, Any] = {}
    if argv[:1] == ["--wait"]:  # started ahead (book_pdf.warm_typst): load what the work needs, then wait for it
        import pikepdf  # noqa: F401

        from toolkit.render.book_join import open_ahead

        if len(argv) > 1 and argv[1]:  # the store: its PDFs opened meanwhile, until the book comes
            opened = open_ahead(Path(argv[1]), lambda: _readable(sys.stdin.buffer))
        argv, payload = _request(sys.stdin.buffer)
    else:
        payload = None
    root, epoch = argv[0] or None, int(argv[1])
    # One compiler for every document of the book (its chapters, the front matter): the fonts
    # are found once and what the documents share (the template's settings) is kept between
    # them; each PDF is the bytes a compiler of its own makes (tests/render/test_book_join.py).
    # A book set chapter by chapter takes a second compiler on a second core (book_join.Ahead:
    # a compiler serves one thread at a time), but not a clean build's, set as pandoc writes
    # the chapters: pandoc keeps both cores busy then, and with a second compiler Typst was done
    # first while pandoc, slowed by it, ended the later (the clean build took 1.04 x as long).
    compiler = typst.Compiler(root=root, ignore_system_fonts=True)
    compile_source = _compiling(compiler, epoch)
    # The documents of a book set chapter by chapter are untagged: the join could not keep their
    # structure (render/book_join.py), and the tags took 4-7% of Typst's time on the benchmark's
    # chapters. A book set whole (streamed, when a chapter cannot be set alone) keeps its tags.
    untagged = _compiling(compiler, epoch, tags=False)

    try:
        source = payload if payload is not None else sys.stdin.buffer.read()
        if argv[2:3] in (["chapters"], ["streamed"]):  # "streamed": book_pdf.STREAMED
            stage = argv[4] if len(argv) > 4 else ""
            also = None
            if argv[2] == "chapters" and cores() > 1:
                also = _compiling_later(lambda: typst.Compiler(root=root, ignore_system_fonts=True), epoch, tags=False)
            pdf = _chapters(json.loads(source), epoch, argv[3], untagged, stage, opened, argv[2], also, compile_source)
        elif argv[2:3] == ["untagged"]:  # book_pdf.UNTAGGED
            pdf = untagged(source)
        else:
            pdf = compile_source(source)
    except typst.TypstError as error:
        sys.stderr.write(" ".join(str(error.message).split()) + "\n")
        return TYPST_ERROR
    except ValueError as error:  # joining the chapters' PDFs (book_join.join)
        sys.stderr.write("joining the chapters' PDFs: " + " ".join(str(error).split()) + "\n")
        return TYPST_ERROR
    if payload is not None:
        sys.stdout.buffer.write(b"ok\n")  # book_pdf.WAITING_OK
    sys.stdout.buffer.write(pdf)
    return 0


def _compiling(compiler: Any, epoch: int, tags: bool = True) -> Callable[[bytes], bytes]:
    """PDFs from ``compiler``; without ``tags``, untagged (no structure for screen readers)."""

    def compile_source(source: bytes) -> bytes:
        pdf = compiler.compile(input=source, timestamp=epoch, format="pdf", pdf_tags=tags)
        assert isinstance(pdf, bytes)
        return pdf

    return compile_source


def _compiling_later(make: Callable[[], Any], epoch: int, tags: bool = True) -> Callable[[bytes], bytes]:
    """``_compiling`` of a compiler made on the first compile (its fonts and memo take memory:
    book_join.Ahead uses the second compiler only for a book set anew)."""
    made: list[Callable[[bytes], bytes]] = []

    def compile_source(source: bytes) -> bytes:
        if not made:
            made.append(_compiling(make(), epoch, tags))
        return made[0](source)

    return compile_source


def _of_text(compile_source: Callable[[bytes], bytes]) -> Callable[[str], bytes]:
    return lambda source: compile_source(source.encode("utf-8"))


def _request(stream: Any) -> tuple[list[str], bytes]:
    """A waiting child's work: a JSON line of the arguments, a line with the payload's length,
    then the payload (read by its length: the pipe may stay open in other processes)."""
    argv = json.loads(stream.readline())
    size = int(stream.readline())
    payload = stream.read(size)
    if not isinstance(argv, list) or not all(isinstance(arg, str) for arg in argv) or len(payload) != size:
        raise SystemExit("Typst's child: a request it cannot read")
    return argv, payload


def _readable(stream: Any) -> bool:
    """Whether ``stream`` (a pipe nothing was read from yet) has something to read, or is closed."""
    import select

    return bool(select.select([stream], [], [], 0)[0])


def _chapters(
    pieces: dict[str, Any],
    epoch: int,
    store: str,
    compile_source: Callable[[bytes], bytes],
    stage: str = "",
    opened: dict[bytes, Any] | None = None,
    mode: str = "chapters",
    also: Callable[[bytes], bytes] | None = None,
    whole: Callable[[bytes], bytes] | None = None,
) -> bytes:
    """The book set chapter by chapter from its ``pieces`` (BookPieces), or with ``mode``
    "streamed" from what book_pdf.set_streamed reads as pandoc writes the chapters (``whole``
    sets the book whole there, if it must be: ``compile_source`` otherwise)."""
    from toolkit.render.book_join import BookPieces, Store, set_book

    kept = Store(Path(store) if store else None, Path(stage) if stage else None)
    compile_text = _of_text(compile_source)
    second = _of_text(also) if also is not None else None
    if mode == "streamed":
        from toolkit.render.book_pdf import set_streamed

        whole_text = _of_text(whole) if whole is not None else compile_text
        return set_streamed(pieces, epoch, typst_version(), compile_text, kept, opened, whole=whole_text)
    book = BookPieces(
        pieces["preamble"],
        pieces["front"],
        pieces["end"],
        tuple(pieces["chapters"]),
        tuple(pieces["headings"]),
        tuple(pieces["notes"]),
        tuple(pieces["keys"]),
    )
    return set_book(book, epoch, typst_version(), compile_text, kept, opened, also=second)


def typst_version() -> str:
    """The typst package's version (in the key of each chapter's PDF kept in the store): the
    module's own, as its distribution names it; importlib.metadata only where the module has
    none (its import took ~0.08 s of the child's CPU while an edit build loads the project)."""
    import typst

    found = getattr(typst, "__version__", None)
    if isinstance(found, str) and found:
        return found
    from importlib.metadata import version

    return version("typst")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
