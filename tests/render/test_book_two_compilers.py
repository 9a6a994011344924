"""The book's chapters set two at a time on two compilers (book_join.Ahead, through set_book's
``also``): a book set anew (a new trim or type size) and an edit that moves the chapters after
it. The book is the same bytes as one compiler sets; a chapter set at a wrong guess of its first
page is set again by the compiler that set it; an edit that leaves its chapter's length as it
was sets that chapter alone, guessing at none; a chapter Typst refuses fails the book as it
does set chapter by chapter on one compiler. (Each compile runs in Typst's child, as a build's
does: typst's compiler would leave threads behind in this process, and a process with threads
does not fork.)"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import chapter_of
from tests.render.test_book_join import pieces_of
from tests.render.test_book_pdf import META
from toolkit.errors import FabulaError
from toolkit.model import Chapter
from toolkit.render.book_join import BookPieces, Store, set_book
from toolkit.render.book_pdf import compile_typst

LONG = " ".join(["The ferry crossed the harbour in the grey light while the gulls followed it."] * 14)


def chapters_of(texts: list[str]) -> list[Chapter]:
    return [chapter_of(text, f"manuscript/{number}.md") for number, text in enumerate(texts, 1)]


def four_chapters(ferry: int = 120) -> list[Chapter]:
    """Four chapters; the second, of ``ferry`` one-word paragraphs, fills many pages with few
    characters: a guess from the first's characters a page puts the third too early."""
    return chapters_of(
        [
            "# Departure\n\n" + "\n\n".join([LONG] * 6) + "\n",
            "# The Ferry\n\n" + "\n\n".join(["Yes."] * ferry) + "\n",
            "# Home\n\n" + "\n\n".join([LONG] * 3) + "\n",
            "# After\n\n" + "\n\n".join([LONG] * 2) + "\n",
        ]
    )


Call = tuple[str, str, int]  # compiler, the chapter's title (or "front"), its first page


def _first_page(source: str) -> int:
    if "#counter(footnote).update(" not in source:
        return 0  # the front matter
    return int(source.split("#counter(page).update(", 1)[1].split(")", 1)[0])


def _title(source: str, titles: list[str]) -> str:
    if "#counter(footnote).update(" not in source:
        return "front"  # the front matter (which holds every chapter's heading)
    return next(title for title in titles if f"= {title}" in source)


def compilers(
    titles: list[str], hold: str | None = None
) -> tuple[Callable[[str], bytes], Callable[[str], bytes], list[Call]]:
    """Two compile functions recording (compiler, chapter, first page) in turn. With ``hold``
    (a chapter's title), its compile waits until a compile of another chapter has ended
    meanwhile, or 60 s: where the other compiler takes no chapter, the calls show it."""
    calls: list[Call] = []
    other_done = threading.Event()
    lock = threading.Lock()

    def compiler(name: str) -> Callable[[str], bytes]:
        def compile_source(source: str) -> bytes:
            title = _title(source, titles)
            with lock:
                calls.append((name, title, _first_page(source)))
            if title == hold:
                other_done.wait(60)
            pdf = compile_typst(source, META.epoch)
            if title not in (hold, "front"):
                other_done.set()
            return pdf

        return compile_source

    return compiler("one"), compiler("two"), calls


def one_by_one(pieces: BookPieces, store: Store | None = None) -> bytes:
    def compile_source(source: str) -> bytes:
        return compile_typst(source, META.epoch)

    return set_book(pieces, META.epoch, version("typst"), compile_source, store or Store(None))


def test_a_book_set_anew_is_set_two_chapters_at_a_time_to_the_same_bytes() -> None:
    chapters = four_chapters()
    titles = [chapter.title for chapter in chapters]
    pieces = pieces_of(chapters)
    assert pieces is not None
    # The second chapter held until the other compiler has set another chapter meanwhile.
    one, two, calls = compilers(titles, hold="The Ferry")
    pdf = set_book(pieces, META.epoch, version("typst"), one, Store(None), also=two)
    assert pdf == one_by_one(pieces)

    chapter_calls = [call for call in calls if call[1] != "front"]
    assert {name for name, _, _ in chapter_calls} == {"one", "two"}
    # The chapters after the held one were set at a guess of their first page, too early (the
    # second chapter's pages hold few characters); each was set again at its real first page by
    # the compiler that had set it, and no chapter more than twice.
    again = [title for title in titles if len({page for _, t, page in chapter_calls if t == title}) > 1]
    assert again
    for title in again:
        assert len({name for name, t, _ in chapter_calls if t == title}) == 1
    assert all(sum(t == title for _, t, _ in chapter_calls) <= 2 for title in titles), calls
    # The first two chapters, each at its known first page, before any guess.
    assert [t for _, t, _ in chapter_calls[:2]] == titles[:2]


def test_an_edit_that_keeps_its_chapters_length_sets_that_chapter_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    chapters = four_chapters()
    pieces = pieces_of(chapters)
    assert pieces is not None
    one_by_one(pieces, store)
    edited = four_chapters()
    edited[2] = chapters_of(["# Home\n\n" + "\n\n".join([LONG] * 3) + " And so home.\n"])[0]
    changed = pieces_of(edited)
    assert changed is not None
    titles = [chapter.title for chapter in edited]
    one, two, calls = compilers(titles)
    pdf = set_book(changed, META.epoch, version("typst"), one, Store(tmp_path / "store"), also=two)
    assert pdf == one_by_one(changed)
    assert [title for _, title, _ in calls if title != "front"] == ["Home"]


def test_an_edit_that_moves_the_chapters_after_it_sets_them_again_to_the_same_bytes(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    pieces = pieces_of(four_chapters())
    assert pieces is not None
    one_by_one(pieces, store)
    longer = pieces_of(four_chapters(ferry=200))  # the second chapter gains sheets
    assert longer is not None
    titles = [chapter.title for chapter in four_chapters()]
    one, two, calls = compilers(titles)
    pdf = set_book(longer, META.epoch, version("typst"), one, Store(tmp_path / "store"), also=two)
    assert pdf == one_by_one(longer)
    # The first chapter from the store; the others set again at their new first pages.
    assert {title for _, title, _ in calls} == {"The Ferry", "Home", "After", "front"}


def test_a_chapter_typst_refuses_fails_the_book_as_on_one_compiler() -> None:
    chapters = four_chapters()
    pieces = pieces_of(chapters)
    assert pieces is not None
    broken = list(pieces.chapters)
    broken[2] = broken[2] + "\n#this-is-not-defined\n"
    bad = dataclasses.replace(pieces, chapters=tuple(broken))
    with pytest.raises(FabulaError) as alone:
        one_by_one(bad)
    titles = [chapter.title for chapter in chapters]
    one, two, _ = compilers(titles)
    with pytest.raises(FabulaError) as both:
        set_book(bad, META.epoch, version("typst"), one, Store(None), also=two)
    assert str(both.value) == str(alone.value)
    assert "this-is-not-defined" in str(both.value)
    assert threading.active_count() == 1  # no thread of the setting left behind
