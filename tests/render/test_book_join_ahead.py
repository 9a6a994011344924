"""The chapters' PDFs Typst's child opens while it waits for the book (issue 16: an edit build's
join): the book joined from them is the same bytes, each is used once, and a damaged one is not
opened."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import typst

from tests.render.test_book_join import pieces_of, three_chapters
from tests.render.test_book_pdf import META
from toolkit.render import book_join


def test_a_book_joined_from_pdfs_opened_ahead_is_the_same(tmp_path: Path) -> None:
    pieces = pieces_of(three_chapters())
    assert pieces is not None
    compiler = typst.Compiler(ignore_system_fonts=True)
    compiled: list[str] = []

    def compile_source(source: str) -> bytes:
        compiled.append(source)
        pdf = compiler.compile(input=source.encode("utf-8"), timestamp=META.epoch, format="pdf")
        assert isinstance(pdf, bytes)
        return pdf

    store = tmp_path / "store"
    plain = book_join.set_book(pieces, META.epoch, version("typst"), compile_source, book_join.Store(store))
    kept = sorted(store.glob(f"{book_join.STORE_PREFIX}*"))
    assert len(kept) == len(compiled) == 5  # the front matter measured, three chapters, the front matter

    assert book_join.open_ahead(store, lambda: True) == {}  # the book came first: nothing opened
    opened = book_join.open_ahead(store, lambda: False)
    assert len(opened) == 5
    compiled.clear()
    ahead = book_join.set_book(pieces, META.epoch, version("typst"), compile_source, book_join.Store(store), opened)
    assert ahead == plain and not compiled
    assert len(opened) == 1  # the three chapters and the front matter were taken, once each (the measure is left)

    # A damaged PDF in the store is not opened (it would be set again).
    data = kept[1].read_bytes()
    kept[1].write_bytes(data[:-100] + bytes(b ^ 0x55 for b in data[-100:]))
    assert len(book_join.open_ahead(store, lambda: False)) == 4
