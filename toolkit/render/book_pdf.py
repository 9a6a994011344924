"""Print book PDF: chapters through pandoc's Typst writer into our template, typeset by the typst library."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import children
from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.chapters import BookParts, ChapterSource, Conversion, convert, guarded
from toolkit.render.pandoc import (
    BOOK_STYLE,
    NO_FRONT,
    BookFront,
    BookStyle,
    book_filters,
    book_markdown,
    book_pandoc_input,
    may_fetch,
    plain_dashes,
    references_across,
    typed_dashes_back,
    words_for,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit.render.book_join import BookPieces, Store


@dataclass(frozen=True)
class Trim:
    """A trade trim size and the margins a printer expects for it, in points."""

    width: float
    height: float
    inside: float  # binding edge: wider, so text does not run into the gutter
    outside: float
    top: float
    bottom: float  # at least this much: the text block is a whole number of lines
    font_size: float  # the text size when fabula.toml gives none


MM = 72 / 25.4
TRIMS = {
    "5.5x8.5": Trim(396, 612, 57.6, 39.6, 50.4, 54, 10.5),
    "6x9": Trim(432, 648, 61.2, 43.2, 54, 57.6, 11),
    "a5": Trim(148 * MM, 210 * MM, 20 * MM, 14 * MM, 18 * MM, 20 * MM, 10.5),
}
LEADING = 1.38  # baseline to baseline, as a multiple of the text size: 10.5 on 14.5, 11 on 15.2


@dataclass(frozen=True)
class PageGrid:
    """The page and its baseline grid: every line of text, blank line and heading sits on it,
    so facing pages end on the same line. ``lines`` lines fill the text block exactly."""

    trim: Trim
    size: float  # text size, points
    pitch: float  # baseline to baseline, points
    lines: int  # lines of text on a full page

    @property
    def leading(self) -> float:
        """The space between two lines' boxes: a line's box is one em tall (see book.typ.j2)."""
        return round(self.pitch - self.size, 3)

    @property
    def bottom(self) -> float:
        """The bottom margin that leaves a text block of exactly ``lines`` lines (and a hair)."""
        return round(self.trim.height - self.trim.top - (self.lines * self.pitch - self.leading) - 0.05, 3)


def page_grid(trim: str = "5.5x8.5", font_size: float | None = None) -> PageGrid:
    """The grid for a trim (a key of TRIMS) and a text size: as many lines as the margins allow."""
    page = TRIMS[trim]
    size = font_size or page.font_size
    pitch = round(size * LEADING, 1)
    room = page.height - page.top - page.bottom
    lines = int((room + pitch - size) // pitch)
    return PageGrid(page, size, pitch, lines)


def render_book_pdf(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    *,
    trim: str = "5.5x8.5",
    font_size: float | None = None,
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    image_root: Path | None = None,
    parts: BookParts | None = None,
    images: Mapping[str, str] | None = None,
) -> None:
    """Typeset ``chapters`` as a print-ready book PDF at ``target`` (``trim`` is a key of TRIMS).

    ``images`` maps each image as the chapters write it to the file fabula checked, as Typst
    names it inside ``image_root`` (the project folder, Typst's root: it reads nothing outside).
    The PDF has an even number of pages and a TrimBox on every page, as printers ask.
    ``parts`` holds the chapters' Typst as the pipeline's cache kept it (see render/chapters.py).
    """
    if parts is not None and parts.pdf_handed is not None:  # Typst's child has it already (hand_early)
        seconds, whole = parts.pdf_handed
        parts.pdf_handed = None
        answered = children.collect(TYPST_CHILD, seconds, _SETTING)
        if answered is not None:
            pdf = _typst_answer(*answered)
            target.write_bytes(with_trim_box(pdf) if whole else pdf)
            return
    template, texts = _book_texts(
        chapters,
        meta,
        trim=trim,
        font_size=font_size,
        small_caps=small_caps,
        front=front,
        style=style,
        images=images,
        parts=parts,
    )
    payload, mode, whole = _typst_work(template, texts, chapters, meta, image_root, parts)
    pdf = _run_typst(payload, meta.epoch, image_root, mode)
    target.write_bytes(with_trim_box(pdf) if whole else pdf)


def hand_early(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    trim: str = "5.5x8.5",
    font_size: float | None = None,
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    image_root: Path | None = None,
    parts: BookParts,
    images: Mapping[str, str] | None = None,
) -> None:
    """Have Typst's waiting child (``warm_typst``) set the book PDF as soon as pandoc has written
    every chapter's Typst, while it writes the EPUB's and the DOCX's (``BookParts.when_early``):
    ``render_book_pdf``, given the same arguments, then reads its answer. The chapters' Typst is
    the same text either way, so is the PDF. When pandoc converts every chapter (a clean
    build), the child is handed the book now and sets each chapter as soon as pandoc has written
    its Typst (``set_streamed``)."""
    conversion = typst_conversion(meta.language, style, small_caps, dict(images or {}) if may_fetch(chapters) else None)
    if _streamable(parts, conversion, len(chapters)):
        template = book_template(meta, trim=trim, font_size=font_size, front=front, style=style, parts=parts)
        sources, keys = parts.sources()
        request = {
            "template": template,
            "keys": list(keys),
            "files": [str(parts.early_files[index]) for index in range(len(chapters))],
            "titles": [chapter.title for chapter in chapters],
        }
        payload = json.dumps(request, ensure_ascii=False).encode("utf-8")
        size = sum(len(source.markdown) for source in sources)
        seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, size)
        mode = [STREAMED, str(parts.store or "")]
        if parts.store is not None:  # the chapters' PDFs kept once the build has succeeded (as below)
            mode.append(str(parts.stage()))
        if children.hand(TYPST_CHILD, _waiting_request(payload, meta.epoch, image_root, mode)):
            # The child gives the TrimBoxes to a book set whole. pandoc does not yield the CPU to
            # Typst here (as below): Typst starts with pandoc's first chapter, no longer last on
            # the build's longest path, and pandoc's EPUB and DOCX parts would then be (behind
            # other programs', on a busy machine).
            parts.pdf_handed = seconds, False
        return

    def hand(converted: tuple[str, ...]) -> None:
        template, texts = _book_texts(
            chapters,
            meta,
            trim=trim,
            font_size=font_size,
            small_caps=small_caps,
            front=front,
            style=style,
            images=images,
            parts=parts,
            converted=converted,
        )
        payload, mode, whole = _typst_work(template, texts, chapters, meta, image_root, parts)
        seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, len(payload))
        if mode and parts.store is not None:
            # The chapters' PDFs go to the cache only if the build succeeds: set this early, the
            # book may yet fail for another output's sake (BookParts.keep_staged).
            mode.append(str(parts.stage()))
        if children.hand(TYPST_CHILD, _waiting_request(payload, meta.epoch, image_root, mode)):
            parts.pdf_handed = seconds, whole
            parts.yield_to_book()

    parts.when_early(conversion, hand)


def _streamable(parts: BookParts, conversion: Conversion, count: int) -> bool:
    """Whether pandoc writes every chapter's Typst for ``conversion``, each to a file of its own
    (``BookParts.early_files``), so that Typst's child can take them as they come."""
    known = parts.early_known
    return (
        known is not None
        and known[0] == conversion
        and count > 0
        and all(part is None for part in known[1])
        and sorted(parts.early_files) == list(range(count))
    )


def _typst_work(
    template: str,
    texts: Sequence[str],
    chapters: Sequence[Chapter],
    meta: Metadata,
    image_root: Path | None,
    parts: BookParts | None,
) -> tuple[bytes, list[str], bool]:
    """What Typst's child is asked: the payload, the mode (its arguments after the root and
    the date), and whether the book is set whole (its PDF then gets its TrimBoxes here)."""
    # What a chapter's PDF depends on besides its Typst: its source's key, which holds the bytes
    # of the images it shows.
    _, keys = (parts or BookParts(tuple(chapters), meta.epoch)).sources()
    pieces = book_pieces(template, texts, list(keys))
    if pieces is not None:
        store = parts.store if parts is not None else None
        payload = json.dumps(dataclasses.asdict(pieces), ensure_ascii=False).encode("utf-8")
        return payload, ["chapters", str(store or "")], False
    return template.replace(_BODY, "\n".join(texts)).encode("utf-8"), [], True


def book_typst(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    trim: str = "5.5x8.5",
    font_size: float | None = None,
    small_caps: bool = True,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    images: Mapping[str, str] | None = None,
    parts: BookParts | None = None,
) -> str:
    """The whole book as one Typst source: our template around pandoc's Typst for the chapters.

    Each chapter's Typst is its own conversion (render/chapters.py; from ``parts`` when given),
    the text pandoc writes for it in the whole book but for labels: one that several chapters
    define (two chapters with a section "Morning") is made unique as pandoc makes it. ``images``
    (as written -> the file as Typst names it) goes to the guard filter (see filters/guard.lua).
    """
    template, texts = _book_texts(
        chapters,
        meta,
        trim=trim,
        font_size=font_size,
        small_caps=small_caps,
        front=front,
        style=style,
        images=images,
        parts=parts,
    )
    return template.replace(_BODY, "\n".join(texts))


# Where the chapters go in the rendered template (a Typst comment, so never in a chapter's text).
_BODY = "// fabula: the chapters' Typst goes here"


def _book_texts(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    trim: str,
    font_size: float | None,
    small_caps: bool,
    front: BookFront,
    style: BookStyle,
    images: Mapping[str, str] | None,
    parts: BookParts | None,
    converted: Sequence[str] | None = None,
) -> tuple[str, list[str]]:
    """The rendered template with ``_BODY`` where the chapters go, and each chapter's Typst
    (``converted``: pandoc's, when the caller has it)."""
    conversion = typst_conversion(meta.language, style, small_caps, dict(images or {}) if may_fetch(chapters) else None)
    book = parts or BookParts(tuple(chapters), meta.epoch)
    if converted is not None:
        pass
    elif references_across(chapters):
        # pandoc links "[The Lamp]" to another chapter's heading (or a link definition) only
        # when it reads the whole book, as the EPUB and the DOCX do then: one run over the book,
        # one text, which book_pieces leaves to be set whole. (A source's images only key the
        # cache, which this run does not use: the guard has them from the conversion.)
        whole = ChapterSource(book_pandoc_input(book_markdown(chapters)))
        part = convert([conversion], [whole], meta.epoch)[0][conversion.name]
        converted = (part,) if isinstance(part, str) else ()
    else:
        converted = book.texts(conversion)
    texts = [typed_dashes_back(text) for text in unique_labels_each(converted)]
    return book_template(meta, trim=trim, font_size=font_size, front=front, style=style, parts=parts), texts


def book_template(
    meta: Metadata,
    *,
    trim: str = "5.5x8.5",
    font_size: float | None = None,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    parts: BookParts | None = None,
) -> str:
    """Our Typst template rendered for the book, with ``_BODY`` where the chapters go. Kept in
    ``parts`` (the pipeline's cache) by everything it is rendered from: the pipeline asks for it
    before the outputs render, so an edit build's book PDF neither loads Jinja2 nor compiles
    the template."""
    language, _, region = meta.language.partition("-")
    copyright_page = front.copyright.groups(printed=True) if front.copyright else ()
    grid = page_grid(trim, font_size)
    values = dict(
        title=plain_dashes(meta.title, style.dash),
        author=meta.author,
        lang=language.lower(),
        region=region.upper() if re.fullmatch(r"[A-Za-z]{2}", region) else None,
        grid=grid,
        sink=max(4, round(grid.lines / 6)),  # a chapter title's drop: a sixth of the page
        publisher=front.publisher,
        copyright=" #parbreak() ".join(
            " #linebreak() ".join("#" + typst_string(plain_dashes(line, style.dash)) for line in group)
            for group in copyright_page
        ),
        dedication=front.dedication and plain_dashes(front.dedication, style.dash),
        epigraph=front.epigraph and plain_dashes(front.epigraph, style.dash),
        epigraph_source=front.epigraph_source and plain_dashes(front.epigraph_source, style.dash),
        contents=words_for(meta.language)["contents"],
        body=_BODY,
    )

    def render() -> str:
        return _environment().get_template("book.typ.j2").render(**values)

    if parts is None:
        return render()
    key = hashlib.sha256(repr(sorted(values.items())).encode("utf-8")).hexdigest()
    return parts.remembered("typst-template", key, render, str)


def typst_conversion(
    language: str, style: BookStyle = BOOK_STYLE, small_caps: bool = True, guard: Mapping[str, str] | None = None
) -> Conversion:
    """What the book PDF asks pandoc to make of each chapter: Typst markup, with the book's filters
    (after the guard, when ``guard`` lists the images: as written -> the file as Typst names it)."""
    filters, meta = book_filters(language, style)
    if small_caps:
        filters = (*filters, "opening.lua")
    options = (("wrap_text", "preserve"),)
    return Conversion("typst", "typst", filters, (*meta, ("lang", language)), options, guarded(guard))


# The label pandoc's Typst writer puts on the line after a heading (``<storm>``); a link to it is
# ``#link(<storm>)``.
_LABEL = re.compile(r"^<([\w:.-]+)>$", re.M)


def unique_labels(body: str) -> str:
    """The chapters' Typst with every heading's label defined once: a later heading whose label
    an earlier chapter's heading has is renamed ("morning-1"), as pandoc renames an identifier
    taken before in a whole book; links keep pointing to the first, as they do there (Typst
    refuses a link to a label defined twice)."""
    return unique_labels_each([body])[0]


def unique_labels_each(texts: Sequence[str]) -> list[str]:
    """``unique_labels`` over texts that follow one another (the chapters, in order)."""
    unique = labels_made_unique()
    return [unique(text) for text in texts]


def labels_made_unique() -> Callable[[str], str]:
    """``unique_labels`` for one text after another (the chapters, in order), as they come."""
    taken: set[str] = set()

    def unique(match: re.Match[str]) -> str:
        label = match.group(1)
        if label not in taken:
            taken.add(label)
            return match.group(0)
        number = 1
        while f"{label}-{number}" in taken:
            number += 1
        taken.add(f"{label}-{number}")
        return f"<{label}-{number}>"

    def unique_text(text: str) -> str:
        return _LABEL.sub(unique, text)

    return unique_text


# ---------------------------------------------------------------- chapter by chapter

_SECTION = "// ---------------------------------------------------------------- "
# A chapter's Typst as pandoc writes it: its heading on the first line, its label on the next.
_OPENING = re.compile(r"\A\s*(= [^\n]*\n<[\w:.-]+>)\n")
_LINK_TARGET = re.compile(r"#link\(<([\w:.-]+)>\)")
_DEFINED = re.compile(r"(?<!#link\()<([\w:.-]+)>")
_FOOTNOTE = re.compile(r"#footnote\[")
_RAW = re.compile(r"(?<!\\)`")  # raw text (code), where "#footnote[" may be only text


def book_pieces(template: str, texts: Sequence[str], keys: Sequence[str]) -> BookPieces | None:
    """The book cut for setting chapter by chapter (render/book_join.py), or None where only the
    whole book can be right:

    - a chapter's Typst does not open on its one level-1 heading and label (pandoc's output for
      a chapter; anything else is set whole rather than guessed at);
    - a chapter links to a label that another chapter defines (a link between documents);
    - a chapter refers or cites (``#ref``, ``#cite``), or holds raw text (code) and footnotes:
      footnotes are numbered across the book, so each chapter's are counted, and in raw text
      ``#footnote[`` may be only text.
    """
    from toolkit.render.book_join import BookPieces

    cut = _template_cut(template)
    if not texts or len(texts) != len(keys) or cut is None:
        return None
    headings, notes = [], []
    for text in texts:
        piece = _chapter_piece(text)
        if piece is None:
            return None
        headings.append(piece[0])
        notes.append(piece[1])
    return BookPieces(
        preamble=cut[0],
        front=cut[1],
        end=cut[2],
        chapters=tuple(texts),
        headings=tuple(headings),
        notes=tuple(notes),
        keys=tuple(keys),
    )


def _template_cut(template: str) -> tuple[str, str, str] | None:
    """The rendered template cut for setting chapter by chapter: the preamble, the front matter
    and the end (see book_pieces), or None."""
    if template.count(_BODY) != 1:
        return None
    cut = [template.find(_SECTION + name) for name in ("front matter", "the chapters", "the end")]
    if min(cut) < 0 or sorted(cut) != cut:
        return None
    return template[: cut[0]], template[cut[0] : cut[1]], template[cut[2] :]


def _chapter_piece(text: str) -> tuple[str, int] | None:
    """A chapter's heading lines and its footnotes, or None when it cannot be set alone (see
    book_pieces: whether it can depends on its own text only)."""
    opening = _OPENING.match(text)
    # One line opening with "= " (a level-1 heading), counted without a pattern tried at each line.
    if opening is None or text.startswith("= ") + text.count("\n= ") != 1:
        return None
    if "#ref(" in text or "#cite(" in text or "#heading(" in text:
        return None
    if (("`" in text and _RAW.search(text)) or "#raw(" in text) and _FOOTNOTE.search(text):
        return None
    targets = _LINK_TARGET.findall(text) if "#link(<" in text else []
    if len(targets) != text.count("#link(<") or (targets and set(targets) - set(_DEFINED.findall(text))):
        return None
    return opening.group(1), len(_FOOTNOTE.findall(text))


STREAMED = "streamed"  # typst_compile.main's mode for set_streamed


def set_streamed(
    request: Mapping[str, Any],
    epoch: int,
    version: str,
    compile_source: Callable[[str], bytes],
    store: Store,
    opened: dict[bytes, Any] | None = None,
    poll: float = 0.005,
    whole: Callable[[str], bytes] | None = None,
) -> bytes:
    """The book PDF from chapters' Typst that pandoc is still writing (run in Typst's child:
    book_pdf.hand_early). ``request`` holds the rendered template, each chapter's key and the
    file pandoc writes its Typst to (BookParts.early_files), and the chapters' titles.

    Each chapter is set as soon as its file is there (polled every ``poll`` seconds), on the
    page after the chapters before it (book_join.Ahead, one compiler): the front matter's length
    is guessed first from the titles as headings; each chapter set is joined into the book
    meanwhile (book_join.Joining). Then the book is set as ``_typst_work`` has it set
    (``book_pieces``: chapter by chapter, else whole, with its TrimBoxes), from the chapters set
    and joined so far wherever their document is the same text: all of them, unless the guess
    was wrong. The PDF is the same either way. ``whole`` sets a book that must be set whole
    (``compile_source`` when not given: typst_compile sets the chapters' documents untagged, a
    whole book tagged)."""
    from toolkit.render.book_join import Ahead, BookPieces, Joining, front_document, page_count, set_book
    from toolkit.render.chapters import early_text

    template, keys = str(request["template"]), [str(key) for key in request["keys"]]
    files = [Path(path) for path in request["files"]]
    count = len(files)
    cut = _template_cut(template)
    ahead: Ahead | None = None
    joining: Joining | None = None
    try:
        if cut is not None and count:
            headings = tuple(f"= #{typst_string(str(title))}" for title in request["titles"])
            guessed = BookPieces(*cut, chapters=(), headings=headings, notes=(), keys=())
            first = page_count(compile_source(front_document(guessed, [1] * count))) - count + 1
            joining = Joining(opened)
            ahead = Ahead(cut, first, [compile_source], joining=joining)
        unique = labels_made_unique()
        texts: list[str] = []
        for path in files:
            while not path.exists():
                time.sleep(poll)
            text = typed_dashes_back(unique(early_text(path)))
            texts.append(text)
            piece = _chapter_piece(text)
            if ahead is not None and piece is None:
                ahead.stop()  # set whole, or chapter by chapter from the first that cannot be
            elif ahead is not None and piece is not None:
                ahead.add(text, piece[1])
        made: dict[str, bytes] = {}
        if ahead is not None:
            ahead.end()
            made = ahead.finish()
        pieces = book_pieces(template, texts, keys)
        if pieces is None:
            return with_trim_box((whole or compile_source)(template.replace(_BODY, "\n".join(texts))))

        def compile_text(source: str) -> bytes:
            found = made.get(source)
            return found if found is not None else compile_source(source)

        return set_book(pieces, epoch, version, compile_text, store, opened, joining=joining)
    except BaseException:
        if ahead is not None:  # its threads set no more (once they have ended, this does nothing)
            ahead.stop()
        raise
    finally:
        if joining is not None:
            joining.close()


def set_per_chapter(pieces: BookPieces, epoch: int, root: Path | None = None, store: Path | None = None) -> bytes:
    """The book PDF set chapter by chapter in Typst's child process, chapters' PDFs kept in ``store``."""
    payload = json.dumps(dataclasses.asdict(pieces), ensure_ascii=False).encode("utf-8")
    return _run_typst(payload, epoch, root, ["chapters", str(store or "")])


# Typst's time limit: the 300k-word book sets in about a minute of one core; real books stay far
# inside it on a busy machine, input that makes Typst's time grow faster than its length does not.
TIME_LIMIT_SECONDS = 300.0
TIME_LIMIT_PER_MEGABYTE = 120.0


def compile_typst(source: str, epoch: int, root: Path | None = None, tagged: bool = True) -> bytes:
    """PDF bytes from Typst source, with only Typst's built-in fonts and a fixed creation date.

    The compiler runs in a child process (render/typst_compile.py) under a time limit, reading
    files only inside ``root`` (the project folder). The child is an isolated interpreter (no
    current folder on its import path, no PYTHON* variables): a project holding a ``typst.py``
    must not have it run. ``tagged``: with Typst's structure for screen readers, as a book set
    whole has it (not the documents of a book set chapter by chapter: render/book_join.py).
    """
    return _run_typst(source.encode("utf-8"), epoch, root, [] if tagged else [UNTAGGED])


def _typst_command(*args: str) -> list[str]:
    package_parent = str(Path(__file__).resolve().parents[2])
    start = f"import sys; sys.path.insert(0, {package_parent!r}); from toolkit.render.typst_compile import main; "
    return [sys.executable, "-I", "-c", start + "sys.exit(main(sys.argv[1:]))", *args]


TYPST_CHILD = "typst"


def warm_typst(store: Path | None = None) -> None:
    """Start Typst's child process ahead of the book PDF (its interpreter, typst and pikepdf
    load meanwhile, and it opens the chapters' PDFs kept in ``store``, the cache's folder, if
    given: book_join.open_ahead): the pipeline does this before it loads the project or while
    the edited chapter is in pandoc, and hands it the book (``hand_early``, ``_run_typst``)."""
    kept = [str(store)] if store is not None and not store.is_symlink() else []
    children.warm(TYPST_CHILD, _typst_command(WAITING, *kept))


UNTAGGED = "untagged"  # typst_compile.main: one document, without tags
WAITING = "--wait"  # typst_compile.main: the root, date and mode come in on standard input
WAITING_OK = b"ok\n"  # what a waiting child writes before the PDF


_SETTING = "Typst, setting the book PDF,"


def _waiting_request(payload: bytes, epoch: int, root: Path | None, mode: list[str]) -> bytes:
    """A waiting child's work (typst_compile._request): its arguments, the payload's length, the payload."""
    args = [str(root or ""), str(epoch), *mode]
    return json.dumps(args).encode("utf-8") + b"\n%d\n" % len(payload) + payload


def _typst_answer(out: bytes, err: bytes, returncode: int | None = None) -> bytes:
    """The PDF a waiting child wrote: it says "ok" before it (a worker that borrowed the child
    has no exit status to read), or its error."""
    status = 0 if out.startswith(WAITING_OK) else returncode or 1
    if status != 0:
        message = err.decode("utf-8", "replace").strip()
        raise FabulaError(f"Typst could not set the book PDF: {message or f'status {status}'}")
    return bytes(out[len(WAITING_OK) :])


def _run_typst(payload: bytes, epoch: int, root: Path | None, mode: list[str]) -> bytes:
    seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, len(payload))
    warm = children.take_warm(TYPST_CHILD)
    if warm is not None:
        out, err = children.answer(warm, _waiting_request(payload, epoch, root, mode), seconds, _SETTING)
        return _typst_answer(out, err, warm.returncode)
    args = [str(root or ""), str(epoch), *mode]
    result = children.run(_typst_command(*args), seconds, _SETTING, stdin=payload, text=False)
    status, out, err = result.returncode, result.stdout, result.stderr
    if status != 0:
        message = err.decode("utf-8", "replace").strip()
        raise FabulaError(f"Typst could not set the book PDF: {message or f'status {status}'}")
    return bytes(out)


_PAGE_BOX = re.compile(rb"/Type/Page/[^>]*?/MediaBox(\[[^\]]*\])")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(\r?\n)")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n((?:\d{10} \d{5} [nf]\r?\n)+)trailer\n(.*?)\nstartxref\n(\d+)\n%%EOF\n?\Z", re.S)


def with_trim_box(pdf: bytes) -> bytes:
    """Typst's PDF with a TrimBox beside each page's MediaBox (the same box: no bleed).

    Typst writes a TrimBox only for a page with bleed; printers' preflight asks for one on
    every page. The boxes go into Typst's page dictionaries, and the cross-reference table's
    offsets move by what was inserted before each object, so the file stays one revision.
    Anything but the layout Typst writes (one xref table, page dictionaries with a MediaBox) is
    an error here rather than a PDF without the box.
    """
    xref = _XREF.search(pdf)
    pages = list(_PAGE_BOX.finditer(pdf))
    count = re.search(rb"/Type/Pages/Count (\d+)", pdf)
    if xref is None or count is None or len(pages) != int(count.group(1)):
        raise FabulaError("the book PDF's pages could not be given a TrimBox (an unexpected Typst version?)")
    inserts = [(match.end(), b"/TrimBox" + match.group(1)) for match in pages]
    body = bytearray()
    position = 0
    for offset, text in inserts:
        body += pdf[position:offset] + text
        position = offset
    body += pdf[position : xref.start()]

    # What was inserted before each offset: a running sum over the inserts (in file order), found
    # by bisection; a sum over every insert for every object took seconds on a 600-page book.
    places = [at for at, _ in inserts]
    before = list(itertools.accumulate((len(text) for _, text in inserts), initial=0))

    def moved(offset: int) -> int:
        return offset + before[bisect.bisect_right(places, offset)]

    entries = [
        b"%010d %s %s%s" % (moved(int(offset)) if kind == b"n" else int(offset), generation, kind, end)
        for offset, generation, kind, end in _XREF_ENTRY.findall(xref.group(2))
    ]
    start = len(body) + 1
    body += b"\nxref\n0 " + xref.group(1) + b"\n" + b"".join(entries) + b"trailer\n" + xref.group(3)
    body += b"\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(body)


def typst_string(value: str) -> str:
    """A Typst string literal: shown as plain text, never read as markup."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"'


def _environment() -> Environment:
    from toolkit.render.templates import template_environment

    # Typst, not HTML: values go through typst_string instead of an escape.
    return template_environment("none", filters={"typst_string": typst_string})
