"""The chapters' PDFs joined as they are set (book_join.Joining): the same book as joined at the end."""

from __future__ import annotations

import re
import threading

import pytest

from tests.render.test_book_join import pieces_of
from tests.render.test_book_pdf import META
from tests.render.test_book_two_compilers import four_chapters
from toolkit.render.book_join import BookPieces, Joining, chapter_document, front_document, join, page_count
from toolkit.render.book_pdf import compile_typst


def set_apart(pieces: BookPieces) -> tuple[bytes, int, list[bytes]]:
    """The front matter, its pages, and each chapter's PDF at its real first page, as set_book sets them."""
    count = len(pieces.chapters)
    front_pages = page_count(compile_typst(front_document(pieces, [1] * count), META.epoch, tagged=False)) - count
    chapters: list[bytes] = []
    firsts: list[int] = []
    first, notes = front_pages + 1, 0
    for index in range(count):
        pdf = compile_typst(chapter_document(pieces, index, first, notes), META.epoch, tagged=False)
        chapters.append(pdf)
        firsts.append(first)
        first += page_count(pdf)
        notes += pieces.notes[index]
    front = compile_typst(front_document(pieces, firsts), META.epoch, tagged=False)
    assert page_count(front) - count == front_pages
    return front, front_pages, chapters


@pytest.fixture(scope="module")
def book() -> tuple[bytes, int, list[bytes]]:
    pieces = pieces_of(four_chapters())
    assert pieces is not None
    return set_apart(pieces)


def test_chapters_joined_as_they_come_make_the_book_joined_at_the_end(book: tuple[bytes, int, list[bytes]]) -> None:
    front, front_pages, chapters = book
    joining = Joining()
    for index in (2, 0, 3, 1):  # handed in any order, joined in the book's
        joining.put(index, chapters[index])
    joined = joining.close()
    assert joined is not None and joined.chapters == chapters  # all four joined before the front matter came
    assert join(front, front_pages, chapters, joining=joining) == join(front, front_pages, chapters)
    assert not joining.thread.is_alive()


def test_a_joining_that_holds_the_first_chapters_only_is_given_the_rest(book: tuple[bytes, int, list[bytes]]) -> None:
    front, front_pages, chapters = book
    joining = Joining()
    joining.put(0, chapters[0])
    joining.put(2, chapters[2])  # waits for the second, which never comes
    assert join(front, front_pages, chapters, joining=joining) == join(front, front_pages, chapters)


def test_chapters_joined_from_other_pdfs_are_joined_again(book: tuple[bytes, int, list[bytes]]) -> None:
    front, front_pages, chapters = book
    joining = Joining()
    joining.put(0, chapters[1])  # another chapter's PDF in the first place (a guess set it elsewhere)
    joining.put(1, chapters[0])
    assert join(front, front_pages, chapters, joining=joining) == join(front, front_pages, chapters)


def test_a_chapter_pdf_that_cannot_be_joined_fails_the_book_as_at_the_end(book: tuple[bytes, int, list[bytes]]) -> None:
    front, front_pages, chapters = book
    broken = [chapters[0], b"%PDF-1.7\nnot a PDF at all\n", *chapters[2:]]
    with pytest.raises(ValueError) as at_the_end:
        join(front, front_pages, broken)
    joining = Joining()
    for index, pdf in enumerate(broken):
        joining.put(index, pdf)
    with pytest.raises(ValueError) as as_they_came:
        join(front, front_pages, broken, joining=joining)
    # The same message, but for where pikepdf's stream of the PDF was in memory.
    assert _unplaced(str(as_they_came.value)) == _unplaced(str(at_the_end.value))
    assert "damaged" in str(as_they_came.value)
    assert threading.active_count() == 1  # the joining thread ended with the book


def _unplaced(message: str) -> str:
    return re.sub(r"0x[0-9a-f]+", "0x…", message)
