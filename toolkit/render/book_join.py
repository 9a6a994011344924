"""The book PDF set chapter by chapter and joined: run inside Typst's child process (typst_compile.py).

Every chapter opens on a recto, so its pages depend only on its own Typst, the number its
footnotes start from, and its first page's number (which shows only in the running heads and
folios). Each chapter is therefore its own Typst document: the book's template settings, the page
counter set to the chapter's first page, the footnote counter to the notes before it, and a blank
last page when it ends on a recto (the verso a whole book leaves blank before the next chapter).
The front matter (half-title to contents) is one more document: its contents are Typst's own
outline over one invisible copy of each chapter's heading, each on a page of its own numbered
as the chapter's first page; those pages are dropped in the join.

Each document's PDF is kept in a store (a folder of the build's cache), named by a digest of its
Typst source, the Typst version, the date and the chapter's image files: an edit sets the edited
chapter again, and the chapters after it only when their first page moved (a chapter that gains or
loses a sheet moves every one after it by two pages).

The PDFs are joined with pikepdf (qpdf): pages in order, each chapter's bookmarks (with its
subheads under it), every chapter's named destinations (the contents' links and links inside a
chapter point to them), a TrimBox on every page, and the front matter's document information,
language and XMP metadata. Fonts are embedded once per chapter (each chapter's own subset of
Libertinus Serif). The joined PDF is untagged: pikepdf cannot merge the chapters' tagged
structure (for screen readers), so typst_compile sets their documents without it.
book_pdf.per_chapter says when a book must be set whole instead (a whole book keeps its tags).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORE_PREFIX = "typst-"
STORE_SUFFIX = ".pdf"

_COUNT = re.compile(rb"/Type/Pages/Count (\d+)")  # as Typst writes its page tree


@dataclass(frozen=True)
class BookPieces:
    """The book's Typst cut where the template's sections meet (see templates/book.typ.j2)."""

    preamble: str  # settings, show rules, running heads
    front: str  # half-title to the contents
    end: str  # the last page's marker and the even page count
    chapters: tuple[str, ...]  # each chapter's Typst, labels made unique across the book
    headings: tuple[str, ...]  # each chapter's heading and label lines, as its Typst opens
    notes: tuple[int, ...]  # footnotes in each chapter
    keys: tuple[str, ...]  # what else each chapter's PDF depends on (its images' bytes)


def chapter_document(pieces: BookPieces, index: int, first: int, notes: int) -> str:
    """Chapter ``index`` as a document of its own: first page ``first``, ``notes`` footnotes before it."""
    return (
        f"{pieces.preamble}\n#counter(page).update({first})\n#counter(footnote).update({notes})\n"
        f"{pieces.chapters[index]}\n\n{pieces.end}"
    )


def front_document(pieces: BookPieces, firsts: Sequence[int]) -> str:
    """The front matter, then one page per chapter holding its heading unseen, numbered as its
    first page, for the contents' entries (those pages are not part of the book)."""
    dummies = "\n#pagebreak()\n".join(
        f"#counter(page).update({first})\n{heading}" for first, heading in zip(firsts, pieces.headings, strict=True)
    )
    return (
        f'{pieces.preamble}\n{pieces.front}\n#pagebreak(to: "odd")\n'
        "#show heading.where(level: 1): it => none\n"
        f"{dummies}\n"
    )


def store_key(source: str, epoch: int, extra: str, version: str) -> str:
    digest = hashlib.sha256()
    for part in ("fabula-book-pdf-2", version, str(epoch), extra, source):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def page_count(pdf: bytes) -> int:
    match = _COUNT.search(pdf)
    if match is None:
        raise ValueError("a chapter's PDF has no page count")
    return int(match.group(1))


class Store:
    """PDFs by key in a folder (none: nothing kept), each file its PDF's SHA-256 and the PDF; keys
    used this run are remembered for prune. With ``stage``, new PDFs go there instead (the
    build moves them into the folder once it has succeeded) and nothing is pruned."""

    def __init__(self, folder: Path | None, stage: Path | None = None) -> None:
        self.folder = folder if folder is not None and not folder.is_symlink() else None
        self.stage = stage if stage is not None and not stage.is_symlink() else None
        self.used: set[str] = set()
        self.compiled = 0

    def _path(self, key: str, folder: Path | None = None) -> Path | None:
        folder = folder or self.folder
        return folder / f"{STORE_PREFIX}{key[:40]}{STORE_SUFFIX}" if folder is not None else None

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        self.used.add(key[:40])
        if path is None or path.is_symlink():
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        # The SHA-256 of the PDF, a newline, the PDF: a file changed on disk (a flipped byte, a
        # truncated write) is never joined into the book, it is set again.
        digest, _, pdf = data.partition(b"\n")
        return pdf if hashlib.sha256(pdf).hexdigest().encode("ascii") == digest else None

    def put(self, key: str, pdf: bytes) -> None:
        path = self._path(key, self.stage)
        if path is None:
            return
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{os.getpid()}")
            temp.write_bytes(hashlib.sha256(pdf).hexdigest().encode("ascii") + b"\n" + pdf)
            os.replace(temp, path)

    def prune(self) -> None:
        """Delete the PDFs this run did not use (older versions of chapters). With a stage, the
        list of those it used goes there instead: the build prunes by it once it has succeeded
        (BookParts.keep_staged)."""
        if self.folder is None:
            return
        if self.stage is not None:
            with contextlib.suppress(OSError):
                (self.stage / USED_NAME).write_text("".join(f"{key}\n" for key in sorted(self.used)), encoding="ascii")
            return
        prune_store(self.folder, self.used)


USED_NAME = "used.txt"  # in a stage: the keys of the PDFs a book was set from


def prune_store(folder: Path, used: set[str]) -> None:
    """Delete the PDFs in ``folder`` whose key (its first 40 characters) is not in ``used``."""
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{STORE_PREFIX}*{STORE_SUFFIX}"):
            if path.name[len(STORE_PREFIX) : -len(STORE_SUFFIX)] not in used:
                with contextlib.suppress(OSError):
                    path.unlink()


Compile = Callable[[str], bytes]


def set_book(
    pieces: BookPieces,
    epoch: int,
    version: str,
    compile_source: Compile,
    store: Store,
    opened: dict[bytes, Any] | None = None,
    also: Compile | None = None,
    joining: Joining | None = None,
) -> bytes:
    """The whole book's PDF from its chapters' PDFs (from the store, else compiled); ``opened``:
    PDFs read ahead (``open_ahead``), by their bytes. ``also``: a second compiler, for a second
    core: the chapters the store does not have are set two at a time (``Ahead``), once two of
    them were missing (a book set anew, or an edit that moved the chapters after it), and
    joined as they are set (``Joining``). ``joining``: the chapters joined so far by the
    caller's own ``Ahead`` (book_pdf.set_streamed); ended here either way."""
    if joining is None and also is not None and len(pieces.chapters) > 2:
        joining = Joining(opened)
    try:
        return _set_book(pieces, epoch, version, compile_source, store, opened, also, joining)
    finally:
        if joining is not None:
            joining.close()


def _set_book(
    pieces: BookPieces,
    epoch: int,
    version: str,
    compile_source: Compile,
    store: Store,
    opened: dict[bytes, Any] | None,
    also: Compile | None,
    joining: Joining | None,
) -> bytes:
    made: dict[str, bytes] = {}
    found: dict[str, bytes] = {}

    def key_of(source: str, extra: str) -> str:
        return store_key(source, epoch, extra, version)

    def pdf_of(source: str, extra: str) -> bytes:
        key = key_of(source, extra)
        pdf = found.get(source) or store.get(key)
        if pdf is None:
            pdf = made.get(source) or compile_source(source)
            store.compiled += 1
            store.put(key, pdf)
        return pdf

    count = len(pieces.chapters)
    # The front matter's length with every chapter numbered 1: the contents' entries hardly ever
    # wrap differently with the real numbers; when they do, the loop below sets the book again.
    front_pages = page_count(pdf_of(front_document(pieces, [1] * count), "")) - count
    if also is not None and count > 2:
        cut = (pieces.preamble, pieces.front, pieces.end)
        ahead = Ahead(
            cut,
            front_pages + 1,
            [compile_source, also],
            known=lambda index, source: store.get(key_of(source, pieces.keys[index])),
            guess_after=2,
            joining=joining,
        )
        for text, notes in zip(pieces.chapters, pieces.notes, strict=True):
            ahead.add(text, notes)
        ahead.end()
        made = ahead.finish()
        found = ahead.found
    for _ in range(3):
        firsts: list[int] = []
        chapter_pdfs: list[bytes] = []
        first, notes = front_pages + 1, 0
        for index in range(count):
            pdf = pdf_of(chapter_document(pieces, index, first, notes), pieces.keys[index])
            firsts.append(first)
            chapter_pdfs.append(pdf)
            first += page_count(pdf)
            notes += pieces.notes[index]
        front = pdf_of(front_document(pieces, firsts), "")
        if page_count(front) - count == front_pages:
            store.prune()
            return join(front, front_pages, chapter_pdfs, opened, joining)
        front_pages = page_count(front) - count
    raise ValueError("the contents' length did not settle")


class Ahead:
    """Chapters set on one thread per compiler (Typst's compiler lets go of Python's lock while it
    works: two compilers set two chapters at once on two cores), ahead of ``set_book``.

    A chapter's first page is known once every chapter before it is set. A compiler with no
    chapter whose first page is known sets the next one where it is expected to start: after the
    chapters set so far, each one still being set taking as many pages for its length as those
    did. A chapter's pages do not hang on its first page's number (it shows only in the running
    heads and folios, and every chapter opens on a recto), so once the chapters before it are
    set its first page is known: where the guess was wrong, the compiler that set it sets it
    again there, mostly from its memo (about a third of the first setting's time). Only
    documents set at their known first page are kept (``made``, by source): ``set_book`` sets
    the book from them and sets any other itself, so the PDF is the same bytes however the
    guesses fell.

    ``known`` looks a chapter's document up in the store (chapter, source -> PDF or None): a
    document found there is not set (``found``). Only once ``guess_after`` documents were missing
    from the store are chapters guessed at and the second compiler used at all: an edit that
    leaves its chapter's length as it was sets that chapter alone on the first, one that moves
    the chapters after it sets them two at a time, as does a book set anew (a new trim or type
    size).

    ``add`` hands each chapter's Typst and footnotes in the book's order; ``end`` says there is
    no more, ``stop`` to set no more; ``finish`` waits for the threads. A compile that fails stops
    the setting: ``set_book`` sets that chapter again in the book's order and fails as setting
    them one by one fails.
    """

    def __init__(
        self,
        cut: tuple[str, str, str],
        first: int,
        compilers: Sequence[Compile],
        known: Callable[[int, str], bytes | None] | None = None,
        guess_after: int = 0,
        joining: Joining | None = None,
    ) -> None:
        self.cut = cut
        self.first = first
        self.compilers = compilers
        self.known = known
        self.guess_after = guess_after
        self.joining = joining
        self.texts: list[tuple[str, int]] = []  # each chapter's Typst and its footnotes, in order
        self.ended = False
        self.stopped = False
        self.claimed = 0  # chapters a compiler has taken
        self.missing = 0  # documents looked for in the store and not found
        self.owner: dict[int, int] = {}  # chapter -> the compiler that set it first (its memo)
        self.pages: dict[int, int] = {}  # chapter -> its pages, once set anywhere
        self.exact: set[int] = set()  # chapters set (or found) at their known first page
        self.made: dict[str, bytes] = {}  # the documents set there: source -> PDF
        self.found: dict[str, bytes] = {}  # the documents found in the store: source -> PDF
        self.error: BaseException | None = None
        self.condition = threading.Condition()
        self.threads = [
            threading.Thread(target=self._work, args=(number,), daemon=True, name=f"fabula-typst-{number}")
            for number in range(len(compilers))
        ]
        for thread in self.threads:
            thread.start()

    def add(self, text: str, notes: int) -> None:
        with self.condition:
            self.texts.append((text, notes))
            self.condition.notify_all()

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()

    def end(self) -> None:
        with self.condition:
            self.ended = True
            self.condition.notify_all()

    def finish(self) -> dict[str, bytes]:
        """Wait for the threads (``end`` or ``stop`` said first); the documents set at their
        known first page, by source. An error of this code (not a compile's) is raised here."""
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error
        return self.made

    def _place(self, index: int) -> int | None:
        """Chapter ``index``'s first page, once every chapter before it has been set."""
        if any(earlier not in self.pages for earlier in range(index)):
            return None
        return self.first + sum(self.pages[earlier] for earlier in range(index))

    def _guess(self, index: int) -> int:
        """Where chapter ``index`` is expected to start: each chapter before it not yet set taking
        as many pages for its length as the ones set did, to the nearest sheet (an even count,
        one sheet at least: the guess is a recto too)."""
        known = [earlier for earlier in self.pages if earlier < len(self.texts)]
        characters = sum(len(self.texts[earlier][0]) for earlier in known)
        per_page = characters / sum(self.pages[earlier] for earlier in known) if known else _CHARACTERS_A_PAGE
        first = self.first
        for earlier in range(index):
            if earlier in self.pages:
                first += self.pages[earlier]
            else:
                first += 2 * max(1, round(len(self.texts[earlier][0]) / (2 * per_page)))
        return first

    def _task(self, worker: int) -> tuple[int, int, bool] | None:
        """The next chapter this compiler sets, where, and whether that is its known first page:
        one of its own set at a wrong guess whose first page is now known, else the next chapter
        no compiler has taken (at a guess only once ``guess_after`` documents were missing)."""
        for index, owner in self.owner.items():
            if owner == worker and index in self.pages and index not in self.exact:
                place = self._place(index)
                if place is not None:
                    return index, place, True
        if self.claimed < len(self.texts) and not self.stopped:
            if worker > 0 and self.missing < self.guess_after:
                return None  # the second compiler (and its memory) only for a book set anew
            index = self.claimed
            place = self._place(index)
            if place is None and self.missing < self.guess_after:
                return None  # the store may have it once its first page is known
            self.claimed += 1
            self.owner[index] = worker
            return (index, place, True) if place is not None else (index, self._guess(index), False)
        return None

    def _over(self) -> bool:
        return self.stopped or self.error is not None or (self.ended and len(self.exact) == len(self.texts))

    def _work(self, worker: int) -> None:
        try:
            while True:
                with self.condition:
                    task = self._task(worker)
                    while task is None and not self._over():
                        self.condition.wait()
                        task = self._task(worker)
                    if task is None:
                        return
                    index, first, exact = task
                    text, _ = self.texts[index]
                    notes = sum(count for _, count in self.texts[:index])
                alone = BookPieces(*self.cut, chapters=(text,), headings=(), notes=(), keys=())
                source = chapter_document(alone, 0, first, notes)
                pdf = self.known(index, source) if exact and self.known is not None else None
                if pdf is not None:
                    with self.condition:
                        self.found[source] = pdf
                        self._set(index, first, page_count(pdf))
                    if self.joining is not None:
                        self.joining.put(index, pdf)
                    continue
                if self.known is not None and exact:
                    with self.condition:
                        self.missing += 1
                        self.condition.notify_all()  # a compiler waiting to guess may now
                try:
                    pdf = self.compilers[worker](source)
                    pages = page_count(pdf)
                except Exception:  # set again in the book's order by set_book, which raises it there
                    self.stop()
                    return
                with self.condition:
                    exact = self._set(index, first, pages)
                    if exact:
                        self.made[source] = pdf
                if exact and self.joining is not None:
                    self.joining.put(index, pdf)
        except BaseException as error:  # this code's own: raised by finish
            with self.condition:
                self.error = error
                self.condition.notify_all()

    def _set(self, index: int, first: int, pages: int) -> bool:
        """Note chapter ``index`` set at ``first`` in ``pages`` pages (the condition held); whether
        that was its known first page."""
        exact = first == self._place(index)
        if exact:
            self.exact.add(index)
            self.pages[index] = pages
        else:
            self.pages.setdefault(index, pages)
        self.condition.notify_all()
        return exact


# Characters of a chapter's Typst a page, until a chapter has been set (the generated novel's
# chapters: ~2,400 in a 5.5 x 8.5 inch page of 10.5 point text).
_CHARACTERS_A_PAGE = 2400


def join(
    front: bytes,
    front_pages: int,
    chapters: Sequence[bytes],
    opened: dict[bytes, Any] | None = None,
    joining: Joining | None = None,
) -> bytes:
    """One PDF: the front matter's first ``front_pages`` pages, then every chapter's pages.
    A PDF in ``opened`` (by its bytes: ``open_ahead``) is taken from there, once, rather than
    opened here: the same bytes, opened earlier. ``joining``: the chapters joined so far while
    the others were set (``Joining``), taken where they are the first of ``chapters``, and
    ended either way."""
    import pikepdf

    try:
        book = joining.close() if joining is not None else None
        if book is None or book.chapters != list(chapters[: len(book.chapters)]):
            book = _Book(opened if opened is not None else {})
        for data in chapters[len(book.chapters) :]:
            book.add(data)
        return book.finish(front, front_pages)
    except pikepdf.PdfError as error:
        raise ValueError(str(error)) from error


def open_ahead(folder: Path, stop: Callable[[], bool], most: int = 4096) -> dict[bytes, Any]:
    """The store's sound PDFs in ``folder`` opened with pikepdf, by their bytes: Typst's child
    opens them while it waits for the book (the chapters an edit did not change are joined from
    them). It stops as soon as ``stop()`` says so (the book has come), after ``most`` PDFs."""
    import pikepdf

    opened: dict[bytes, Any] = {}
    store = Store(folder)
    with contextlib.suppress(OSError):
        for path in sorted(folder.glob(f"{STORE_PREFIX}*{STORE_SUFFIX}"))[:most]:
            if stop():
                break
            pdf = store.get(path.name[len(STORE_PREFIX) : -len(STORE_SUFFIX)])
            if pdf is not None and pdf not in opened:
                with contextlib.suppress(pikepdf.PdfError):
                    opened[pdf] = pikepdf.open(io.BytesIO(pdf))
    return opened


def _opened(data: bytes, opened: dict[bytes, Any]) -> Any:
    import pikepdf

    found = opened.pop(data, None)
    return found if found is not None else pikepdf.open(io.BytesIO(data))


class _Book:
    """A book PDF being joined: each chapter's pages added in turn (``add``), then the front
    matter's before them (``finish``). qpdf numbers a PDF's objects as it writes them, in the
    order the document's catalogue and page tree reach them, not in the order they were added:
    the bytes are the same as with the front matter added first (the benchmark novel's book.pdf
    had the same SHA-256 both ways)."""

    def __init__(self, opened: dict[bytes, Any]) -> None:
        import pikepdf

        self.pdf = pikepdf.new()
        self.opened = opened
        self.chapters: list[bytes] = []  # the PDFs added, in order
        # Every chapter's named destinations (its headings' labels: the contents' links lead
        # there), whether or not a link inside the chapter uses them; pikepdf carries only the used ones.
        self.destinations: dict[str, Any] = {}

    def add(self, data: bytes) -> None:
        import pikepdf

        book = self.pdf
        source = _opened(data, self.opened)
        start = len(book.pages)
        book.add_pages_from(source, outlines="preserve")
        places: dict[tuple[int, int], int] = {
            page.obj.objgen: start + number for number, page in enumerate(source.pages)
        }
        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            for name, destination in pikepdf.NameTree(source.Root.Names.Dests).items():
                if isinstance(destination, pikepdf.Array) and len(destination) and destination[0].objgen in places:
                    target = book.pages[places[destination[0].objgen]].obj
                    self.destinations[name] = pikepdf.Array([target, *destination[1:]])
        self.chapters.append(data)

    def finish(self, front: bytes, front_pages: int) -> bytes:
        """The book's bytes, the front matter's first ``front_pages`` pages put before the chapters'."""
        import pikepdf

        book = self.pdf
        head = _opened(front, self.opened)
        # Its pages only, without its bookmarks or named destinations (those lead to its hidden
        # pages of headings, not joined): the contents' links lead to the chapters' (below).
        for number in range(front_pages):
            book.pages.insert(number, head.pages[number])
        for key in ("/Lang", "/ViewerPreferences", "/Metadata"):
            if key in head.Root:
                book.Root[key] = _copied(book, head.Root[key])
        if "/Info" in head.trailer:
            book.trailer.Info = _copied(book, head.trailer.Info)
        if self.destinations:
            tree = pikepdf.NameTree.new(book)
            for name, destination in sorted(self.destinations.items()):
                tree[name] = destination
            book.Root.Names = pikepdf.Dictionary(Dests=tree.obj)

        for font in book.objects:
            if isinstance(font, pikepdf.Dictionary) and isinstance(font.get("/ToUnicode"), pikepdf.Stream):
                _hyphen_as_hyphen(font.ToUnicode)
        for page in book.pages:
            page.obj.TrimBox = pikepdf.Array(list(page.obj.MediaBox))
            if "/StructParents" in page.obj:
                del page.obj.StructParents
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    del annotation.StructParent
        out = io.BytesIO()
        book.save(out, deterministic_id=True)
        return out.getvalue()


class Joining:
    """Chapters' PDFs joined into the book on a thread of its own as they are set, while the
    chapters after them are still being set (Typst's compiler lets go of Python's lock while it
    works), instead of all at the end, on the book's longest path (0.3-0.45 s for the
    300,000-word benchmark's 30 chapters; on two busy cores the work moves rather than goes).
    ``put`` hands a chapter's PDF by the chapter's index, in any order; they are joined in the
    book's order. ``close`` stops the thread and gives the book joined
    so far (``join`` adds the rest and the front matter, once they are known), or None if a
    PDF could not be joined: ``join`` then joins them all again, and raises that error there."""

    def __init__(self, opened: dict[bytes, Any] | None = None) -> None:
        self.book = _Book(opened if opened is not None else {})
        self.waiting: dict[int, bytes] = {}  # chapters put before the ones before them
        self.failed = False
        self.queue: queue.SimpleQueue[tuple[int, bytes] | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._work, daemon=True, name="fabula-join")
        self.thread.start()

    def put(self, index: int, pdf: bytes) -> None:
        self.queue.put((index, pdf))

    def close(self) -> _Book | None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        return None if self.failed else self.book

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            index, pdf = item
            self.waiting[index] = pdf
            try:
                while not self.failed and len(self.book.chapters) in self.waiting:
                    self.book.add(self.waiting.pop(len(self.book.chapters)))
            except Exception:  # joined again by ``join``, which raises it there
                self.failed = True


def _copied(book: Any, value: Any) -> Any:
    """``value`` from another PDF into ``book``: an indirect object copied, a direct one as it is."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copied(book, item) for key, item in value.items()})
    return value


# A ToUnicode entry that reads a glyph as a soft hyphen: ``<002B> <00AD>``.
_SOFT_HYPHEN = re.compile(rb"^(<[0-9A-Fa-f]{4}> )<00[Aa][Dd]>$", re.M)


def _hyphen_as_hyphen(cmap: Any) -> None:
    """Read the hyphen glyph as a hyphen ("twenty-one"), not a soft hyphen.

    Typst maps each glyph of a font's subset to the text it first drew it for; the hyphen glyph
    is drawn both for a hyphen and where a word is broken at a line's end. A chapter whose first
    hyphen is a break maps the glyph to U+00AD, and every "twenty-one" in it would then copy and
    search as "twenty\u00adone"; in a whole book the first is almost always a hyphen.
    """
    data = cmap.read_bytes()
    fixed = _SOFT_HYPHEN.sub(rb"\1<002D>", data)
    if fixed != data:
        cmap.write(fixed)
