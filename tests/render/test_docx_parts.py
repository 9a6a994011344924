"""The manuscript DOCX spliced from per-chapter DOCX parts equals pandoc's whole-book DOCX, zip
member by member and byte for byte; what cannot be spliced falls back to the whole-book run."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, story_of
from toolkit.render.docx_parts import Unspliceable
from toolkit.render.manuscript_docx import (
    ManuscriptCover,
    _spliced_docx,
    docx_conversion,
    render_manuscript_docx,
    whole_book_docx,
)
from toolkit.render.pandoc import may_fetch
from toolkit.render.products import book_parts
from toolkit.render.resources import book_images

# Every project under tests/fixtures with chapters, and the sample.
PROJECTS = sorted(path.parent.relative_to(FIXTURES).as_posix() for path in FIXTURES.glob("**/manuscript"))


def _both(root: Path, folder: Path) -> tuple[Path, Path]:
    """(spliced, whole-book) manuscripts of the project at ``root``; the splice must succeed."""
    story = story_of(root)
    book, chapters = story.config.book, story.project.chapters
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    images = book_images(root, chapters).for_pandoc()
    guard = dict(images) if may_fetch(chapters) else None
    converted = book_parts(story).docx_chapters(docx_conversion(story.meta.language, guard))
    spliced, whole = folder / "spliced.docx", folder / "whole.docx"
    _spliced_docx(chapters, story.meta, spliced, cover, converted, guard)
    whole_book_docx(chapters, story.meta, whole, cover, images)
    return spliced, whole


def assert_same_docx(spliced: Path, whole: Path) -> None:
    with zipfile.ZipFile(spliced) as ours, zipfile.ZipFile(whole) as pandocs:
        assert ours.namelist() == pandocs.namelist()
        for mine, theirs in zip(ours.infolist(), pandocs.infolist(), strict=True):
            assert (mine.date_time, mine.compress_type, mine.external_attr) == (
                theirs.date_time,
                theirs.compress_type,
                theirs.external_attr,
            ), mine.filename
            assert ours.read(mine) == pandocs.read(theirs), mine.filename
    assert spliced.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("name", ["sample", *PROJECTS])
def test_the_spliced_manuscript_is_pandocs_whole_book_byte_for_byte(name: str, tmp_path: Path) -> None:
    root = REPO if name == "sample" else FIXTURES / name
    assert_same_docx(*_both(root, tmp_path))


def test_the_splice_fixture_has_what_needs_numbering_again(tmp_path: Path) -> None:
    """tests/fixtures/docx holds each thing the splice renumbers, so the test above cannot pass
    on a book that has none: notes in two chapters (one with a link and one with an image),
    lists in three chapters (a multi-paragraph item: numId 1000), two images used twice each,
    links to one address from several chapters, a table, a quote, headings with one name in
    three chapters, a dateline."""
    spliced, _ = _both(FIXTURES / "docx", tmp_path)
    with zipfile.ZipFile(spliced) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
        notes = archive.read("word/footnotes.xml").decode("utf-8")
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
        numbering = archive.read("word/numbering.xml").decode("utf-8")
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
    assert len(re.findall(r'<w:footnote w:id="\d+">', notes)) == 4 and "<a:blip" in notes
    assert {"morning", "morning-1", "morning-2", "morning-3", "dawn"} <= set(re.findall(r'w:name="([^"]*)"', document))
    assert len(media) == 2 and document.count("<a:blip") == 3  # and one in a note
    assert rels.count("https://example.org/almanac") == 1 and document.count("https://") == 0
    assert len(re.findall(r'<w:num w:numId="\d+">', numbering)) >= 8 and '<w:numId w:val="1000" />' in document
    assert "<w:tbl>" in document and 'w:val="BlockText"' in document and 'w:val="Dateline"' in document


# What pandoc reads differently in a whole book: each is detected, and the whole-book run made.
UNSPLICEABLE = {
    "a heading another chapter refers to": ("See [The Lamp] and [lamp].", ""),
    "a link definition in two chapters": (
        "[almanac]: https://example.org/one\n\nSee [almanac].",
        "[almanac]: https://example.org/two",
    ),
    "a heading in a quote": ("> # Quoted\n>\n> text", "## Quoted\n\nx"),
    "a custom style the reference lacks": ('::: {custom-style="Poem"}\nA poem line\n:::', ""),
    "a note in a heading": ("## Morning[^h]\n\n[^h]: A note in a heading.", ""),
}


@pytest.mark.parametrize("case", sorted(UNSPLICEABLE))
def test_what_cannot_be_spliced_is_the_whole_book_run(case: str, tmp_path: Path) -> None:
    root = tmp_path / "book"
    shutil.copytree(FIXTURES / "docx", root)
    first, second = UNSPLICEABLE[case]
    for name, added in (("1-harbour.md", first), ("2-storm.md", second)):
        path = root / "manuscript" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + added + "\n", encoding="utf-8")
    with pytest.raises(Unspliceable):
        _both(root, tmp_path)
    story = story_of(root)
    book = story.config.book
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    images = book_images(root, story.project.chapters).for_pandoc()
    rendered, whole = tmp_path / "rendered.docx", tmp_path / "whole.docx"
    render_manuscript_docx(story.project.chapters, story.meta, rendered, cover, images=images)
    whole_book_docx(story.project.chapters, story.meta, whole, cover, images)
    assert rendered.read_bytes() == whole.read_bytes()


def test_the_manuscript_does_not_depend_on_where_the_project_sits(tmp_path: Path) -> None:
    # pandoc names a picture by its source, and the guard hands it the file's absolute path: the
    # manuscript changed with the project's folder and told its reader where that was on disk.
    made = []
    for place in ("here", "somewhere-else"):
        root = tmp_path / place / "docx"
        shutil.copytree(FIXTURES / "docx", root)
        (tmp_path / place / "out").mkdir()
        spliced, whole = _both(root, tmp_path / place / "out")
        assert_same_docx(spliced, whole)
        with zipfile.ZipFile(spliced) as docx:
            parts = {name: docx.read(name).decode("utf-8") for name in docx.namelist() if name.endswith(".xml")}
        assert not [name for name, text in parts.items() if str(tmp_path) in text]
        described = re.findall(r'<pic:cNvPr descr="([^"]*)"', parts["word/document.xml"] + parts["word/footnotes.xml"])
        assert sorted(set(described)) == ["../art/a-boat.png", "../art/b-lamp.png"]
        made.append(spliced.read_bytes())
    assert made[0] == made[1]
