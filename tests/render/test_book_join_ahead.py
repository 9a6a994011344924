"""The chapters' PDFs Typst's child opens while it waits for the book (issue 16: an edit build's
join): the book joined from them is the same bytes, each is used once, and a damaged one is not
opened. (Typst sets the PDFs in its own process, as a build does: its compiler would leave
threads behind in this one, and a process with threads does not fork.)"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import toolkit.parallel
from tests.render.test_book_join import three_chapters
from tests.render.test_book_pdf import META
from toolkit.render import book_join
from toolkit.render.book_pdf import _book_texts, book_pieces, render_book_pdf
from toolkit.render.chapters import BookParts
from toolkit.render.pandoc import NO_FRONT, BookStyle


def _book_in_store(tmp_path: Path) -> tuple[Path, book_join.BookPieces]:
    """Three chapters' book PDF set by Typst's child into tmp_path/book.pdf, its PDFs kept in
    the store (returned) and the book cut into its pieces, as the child is handed them."""
    chapters = three_chapters()
    store = tmp_path / "store"
    parts = BookParts(tuple(chapters), META.epoch, store=store)
    render_book_pdf(chapters, META, tmp_path / "book.pdf", parts=parts)
    template, texts = _book_texts(
        chapters,
        META,
        trim="5.5x8.5",
        font_size=None,
        small_caps=True,
        front=NO_FRONT,
        style=BookStyle(),
        images=None,
        parts=parts,
    )
    pieces = book_pieces(template, texts, list(parts.sources()[1]))
    assert pieces is not None
    return store, pieces


def test_a_book_joined_from_pdfs_opened_ahead_is_the_same(tmp_path: Path) -> None:
    could_fork = toolkit.parallel.can_fork()
    store, pieces = _book_in_store(tmp_path)
    compiled: list[str] = []

    def compile_source(source: str) -> bytes:  # every PDF is in the store
        compiled.append(source)
        raise AssertionError("set again")

    def joined(opened: dict[bytes, object] | None = None) -> bytes:
        return book_join.set_book(pieces, META.epoch, version("typst"), compile_source, book_join.Store(store), opened)

    kept = sorted(store.glob(f"{book_join.STORE_PREFIX}*"))
    assert len(kept) == 5  # the front matter measured, three chapters, the front matter
    plain = joined()
    assert plain == (tmp_path / "book.pdf").read_bytes() and not compiled

    assert book_join.open_ahead(store, lambda: True) == {}  # the book came first: nothing opened
    opened = book_join.open_ahead(store, lambda: False)
    assert len(opened) == 5
    assert joined(opened) == plain and not compiled
    assert len(opened) == 1  # the chapters and the front matter were taken, once each (the measure is left)

    # A damaged PDF in the store is not opened (it would be set again).
    data = kept[1].read_bytes()
    kept[1].write_bytes(data[:-100] + bytes(b ^ 0x55 for b in data[-100:]))
    assert len(book_join.open_ahead(store, lambda: False)) == 4
    assert toolkit.parallel.can_fork() == could_fork  # no thread left behind in this process


def test_typst_child_started_ahead_sets_the_book_without_importlib_metadata(tmp_path: Path) -> None:
    """The child an edit build starts ahead (book_pdf.warm_typst) keys the store's PDFs by the
    typst module's version, the distribution's (so it finds every PDF set before), without
    importing importlib.metadata (~0.08 s of its CPU): the book it sets from the store is the
    same bytes and sets nothing again."""
    import dataclasses
    import json
    import subprocess

    from toolkit.render.book_pdf import WAITING, _typst_answer, _typst_command, _waiting_request
    from toolkit.render.typst_compile import typst_version

    assert typst_version() == version("typst")
    store, pieces = _book_in_store(tmp_path)
    kept = {path: path.stat().st_mtime_ns for path in store.glob(f"{book_join.STORE_PREFIX}*")}
    payload = json.dumps(dataclasses.asdict(pieces), ensure_ascii=False).encode("utf-8")
    command = _typst_command(WAITING, str(store))
    command[3] = command[3].replace(
        "sys.exit(main(sys.argv[1:]))",
        "code = main(sys.argv[1:]); sys.stderr.write(repr(sorted(m for m in sys.modules if 'metadata' in m))); "
        "sys.exit(code)",
    )
    request = _waiting_request(payload, META.epoch, None, ["chapters", str(store)])
    done = subprocess.run(command, input=request, capture_output=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _typst_answer(done.stdout, b"") == (tmp_path / "book.pdf").read_bytes()
    assert "importlib.metadata" not in done.stderr.decode()
    # Every PDF came from the store, none set again (a new one would be written there).
    assert {path: path.stat().st_mtime_ns for path in store.glob(f"{book_join.STORE_PREFIX}*")} == kept
