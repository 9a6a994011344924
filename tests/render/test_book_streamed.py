"""The book PDF set as pandoc writes the chapters' Typst (book_pdf.set_streamed, run by Typst's
child in a clean build): each chapter set as soon as its Typst is there, and the same bytes as
the book set from all of it at once, also when the front matter's guessed length is wrong or
the book must be set whole. And pandoc's side: each chapter's Typst in a file of its own."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from tests.conftest import chapter_of
from tests.render.test_book_join import three_chapters
from tests.render.test_book_pdf import META
from toolkit.model import Chapter
from toolkit.render.book_join import Store
from toolkit.render.book_pdf import book_template, compile_typst, render_book_pdf, set_streamed, typst_conversion
from toolkit.render.chapters import BookParts, early_text
from toolkit.render.pandoc import BOOK_STYLE


def streamed_request(chapters: Sequence[Chapter], folder: Path) -> tuple[dict[str, Any], list[Path], tuple[str, ...]]:
    """What hand_early hands Typst's child, and each chapter's Typst as pandoc writes it (not yet
    written to its file)."""
    parts = BookParts(tuple(chapters), META.epoch)
    texts = parts.texts(typst_conversion(META.language, BOOK_STYLE, True, None))
    files = [folder / f"chapter-{number}" for number in range(1, len(chapters) + 1)]
    request = {
        "template": book_template(META),
        "keys": list(parts.sources()[1]),
        "files": [str(path) for path in files],
        "titles": [chapter.title for chapter in chapters],
    }
    return request, files, texts


def set_as_pandoc_writes(
    chapters: Sequence[Chapter], folder: Path, titles: list[str] | None = None, at_once: bool = False
) -> tuple[bytes, list[tuple[str, int]]]:
    """The book PDF from set_streamed, each chapter's file written only after Typst's last
    compile (as pandoc writes them while Typst works; ``at_once``: all there from the start);
    and each compile's source with the number of chapters' files there when it began."""
    request, files, texts = streamed_request(chapters, folder)
    if titles is not None:
        request["titles"] = titles
    for path, text in zip(files, texts, strict=True):
        if at_once:
            path.write_text(text, encoding="utf-8")
    calls: list[tuple[str, int]] = []

    def compile_source(source: str) -> bytes:
        calls.append((source, sum(path.exists() for path in files)))
        pdf = compile_typst(source, META.epoch, tagged=False)  # as Typst's child sets the chapters
        missing = [index for index, path in enumerate(files) if not path.exists()]
        if missing:
            # Whole once it is there, as chapters.lua writes it (a temporary name, renamed):
            # Typst's child reads it in another thread than this compile's (book_join.Ahead).
            temporary = files[missing[0]].with_suffix(".part")
            temporary.write_text(texts[missing[0]].rstrip("\n"), encoding="utf-8")
            temporary.replace(files[missing[0]])
        return pdf

    def whole(source: str) -> bytes:  # a book set whole keeps its tags
        calls.append((source, sum(path.exists() for path in files)))
        return compile_typst(source, META.epoch)

    pdf = set_streamed(request, META.epoch, version("typst"), compile_source, Store(None), poll=0.001, whole=whole)
    return pdf, calls


def test_each_chapter_is_set_as_its_typst_comes_and_the_book_is_the_same(tmp_path: Path) -> None:
    chapters = three_chapters(8)
    pdf, calls = set_as_pandoc_writes(chapters, tmp_path)
    expected = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, expected)
    assert pdf == expected.read_bytes()
    # The front matter guessed, each chapter once, as soon as its own Typst was there and before
    # the next one's, then the front matter twice (its length, then with the chapters' pages).
    assert len(calls) == 1 + len(chapters) + 2
    chapter_sets = [there for source, there in calls if "#counter(footnote).update(" in source]
    assert chapter_sets == [1, 2, 3]


def test_a_wrong_guess_of_the_front_matter_sets_the_chapters_again_to_the_same_bytes(tmp_path: Path) -> None:
    chapters = three_chapters(8)
    # Titles that fill pages of contents: the guessed front matter is longer than the real one.
    long_titles = [" ".join(["an endless title"] * 200)] * len(chapters)
    pdf, calls = set_as_pandoc_writes(chapters, tmp_path, long_titles)
    expected = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, expected)
    assert pdf == expected.read_bytes()
    assert len(calls) == 1 + len(chapters) + 1 + len(chapters) + 1


def test_a_book_only_the_whole_can_set_is_set_whole_with_its_trim_boxes(tmp_path: Path) -> None:
    markdown = ["# One\n\nSee [the harbour](#harbour).\n", "# Two\n\n## Harbour\n\nThe harbour.\n"]
    chapters = [chapter_of(text, f"manuscript/{n}.md") for n, text in enumerate(markdown, 1)]
    pdf, calls = set_as_pandoc_writes(chapters, tmp_path, at_once=True)
    expected = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, expected)
    assert pdf == expected.read_bytes()
    assert b"/TrimBox" in pdf
    assert len(calls) == 1 + 1  # the guess, then the whole book: no chapter set alone


def test_pandoc_writes_each_chapters_typst_to_a_file_of_its_own(tmp_path: Path) -> None:
    chapters = three_chapters(3)
    typst = typst_conversion(META.language, BOOK_STYLE, True, None)
    parts = BookParts(tuple(chapters), META.epoch)
    parts.begin(typst, early=typst)
    assert sorted(parts.early_files) == [0, 1, 2]
    folder = parts.early_folder
    assert folder is not None
    texts = parts.texts(typst)
    assert [early_text(parts.early_files[index]) for index in range(3)] == list(texts)
    assert all(text.startswith("= ") for text in texts)
    parts.drop_staged()
    assert not folder.exists()
