"""Book PDF: typeset by Typst, read back with pypdf for page size, chapter pages, heads and text."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdf
import pytest

from tests.conftest import FIXTURES, chapter_of, story_of
from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import PROSE_KINDS, Chapter
from toolkit.render.book_pdf import book_typst, compile_typst, render_book_pdf, typst_string
from toolkit.render.pandoc import BookFront
from toolkit.render.products import book_front
from toolkit.render.resources import book_images
from toolkit.resolve import Story

POINTS = {"5.5x8.5": (396, 612), "6x9": (432, 648), "a5": (419.53, 595.28)}
META = Metadata("The Long Road", "Ada Byron", "en", "urn:uuid:00000000-0000-0000-0000-000000000002", 1700000000)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def words(text: str) -> list[str]:
    """The words of a page or a paragraph, with Typst's hyphenation and the quotes smart typography adds undone."""
    text = re.sub("\u00ad?-?\n", lambda m: "" if m.group(0) != "\n" else " ", text)
    text = text.replace("\u00ad", "")
    return re.findall(r"[^\W_]+", text)


def long_paragraph(seed: str, n: int) -> str:
    return (
        f"{seed} paragraph {n} walks along the shore of the long grey loch while the light fails slowly "
        "and the gulls come in over the water, crying, as they always did at this hour of the evening."
    )


def long_chapter(title: str, paragraphs: int, seed: str) -> Chapter:
    body = "\n\n".join(long_paragraph(seed, n) for n in range(1, paragraphs + 1))
    return chapter_of(f"# {title}\n\n{body}\n", f"manuscript/{seed}.md")


@pytest.fixture(scope="module")
def fixture_project() -> Story:
    return story_of(FIXTURES / "book")


@pytest.fixture(scope="module")
def fixture_pdf(fixture_project: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "book.pdf"
    book = fixture_project.config.book
    render_book_pdf(
        fixture_project.project.chapters,
        fixture_project.meta,
        target,
        trim=book.trim,
        small_caps=book.small_caps,
        front=book_front(fixture_project),
    )
    return target


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three chapters long enough for running heads; the first ends on a recto, so a blank verso follows."""
    chapters = [
        long_chapter("Departure", 50, "first"),
        long_chapter("The Ferry", 12, "second"),
        long_chapter("Home", 3, "third"),
    ]
    target = tmp_path_factory.mktemp("long") / "book.pdf"
    render_book_pdf(chapters, META, target)
    return target


def test_page_size_is_the_trim_from_config(fixture_pdf: Path) -> None:
    for page in pypdf.PdfReader(fixture_pdf).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == POINTS["6x9"]


@pytest.mark.parametrize("trim", ["5.5x8.5", "a5"])
def test_other_trims(trim: str, tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    render_book_pdf([long_chapter("One", 2, "x")], META, target, trim=trim)
    box = pypdf.PdfReader(target).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(POINTS[trim], abs=0.5)


def test_front_matter_pages(fixture_pdf: Path) -> None:
    pages = page_texts(fixture_pdf)
    assert pages[0].split("\n")[:2] == ["The Lighthouse Keeper's Daughter", "Ada M. Byron"]
    # Dedication, epigraph and contents each open a recto page; the versos between stay blank.
    assert pages[2].strip() == "For the keepers of the Skerrow light"
    assert pages[4].split("\n") == ["The sea has neither meaning nor pity.", "— Anton Chekhov"]
    assert pages[1].strip() == pages[3].strip() == pages[5].strip() == ""
    assert pages[6].startswith("Contents")


def test_every_chapter_opens_its_own_recto_page(fixture_pdf: Path) -> None:
    pages = page_texts(fixture_pdf)
    titles = ["The Light", "Letters from Abroad", "The Last Watch"]
    openings = [index + 1 for index, text in enumerate(pages) if text.split("\n")[0] in titles]
    assert [pages[n - 1].split("\n")[0] for n in openings] == titles
    assert all(number % 2 == 1 for number in openings), openings
    # The contents lists each chapter with the page it opens on.
    contents = pages[6]
    for title, number in zip(titles, openings, strict=True):
        assert re.search(rf"{re.escape(title)}[ .]*{number}\b", contents), contents


def body_text(pages: list[str], meta: Metadata) -> str:
    """The pages without running heads and folios, so paragraphs run on across page breaks."""
    kept = []
    for text in pages:
        lines = text.strip().split("\n")
        if lines and lines[0].lower() in {meta.title.lower(), (meta.author or "").lower()}:
            lines = lines[1:]
        if lines and lines[-1].isdigit():
            lines = lines[:-1]
        kept.append("\n".join(lines))
    return "\n".join(kept)


def test_all_text_is_there_in_order(fixture_project: Story, fixture_pdf: Path) -> None:
    pdf_words = " ".join(words(body_text(page_texts(fixture_pdf), fixture_project.meta)))
    position = 0
    for chapter in fixture_project.project.chapters:
        for paragraph in chapter.blocks:
            if paragraph.kind not in PROSE_KINDS or paragraph.label:
                continue  # a footnote: set at the foot of the page, checked below
            found = pdf_words.find(" ".join(words(paragraph.text)), position)
            assert found >= 0, f"{paragraph.span}: paragraph missing from the PDF (or out of order)"
            position = found
    assert "1The light at Skerrow flashed twice every fifteen seconds." in page_texts(fixture_pdf)[8]


def test_long_paragraphs_survive_page_breaks(long_pdf: Path) -> None:
    text = " ".join(words(body_text(page_texts(long_pdf), META)))
    for seed, count in (("first", 50), ("second", 12), ("third", 3)):
        for n in range(1, count + 1):
            paragraph = long_paragraph(seed, n)
            assert " ".join(words(paragraph)) in text, (seed, n)


def test_unicode_chapter_is_set_in_the_embedded_serif(fixture_pdf: Path) -> None:
    reader = pypdf.PdfReader(fixture_pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    for phrase in (
        "Приезжай домой, писала Ольга. Море ждёт, и мы тоже.",
        "Έλα σπίτι, έγραφε η Ελένη. Η θάλασσα περιμένει.",
        "Ærøskøbing, Łódź, Dvořák and Ångström",
        "Ilse Þórsdóttir",
    ):
        assert phrase in " ".join(text.split()), phrase
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1].removesuffix("-Identity-H"))
    assert fonts <= {"LibertinusSerif-Regular", "LibertinusSerif-Italic", "LibertinusSerif-Bold"}, fonts


def test_scene_breaks_are_centred_asterisms(fixture_pdf: Path) -> None:
    first_chapter = next(text for text in page_texts(fixture_pdf) if text.split("\n")[0] == "The Light")
    lines = first_chapter.split("\n")
    assert lines.count("⁂") == 2  # "* * *" and "---"


def test_running_heads_and_folios(long_pdf: Path) -> None:
    pages = page_texts(long_pdf)
    openings = {index for index, text in enumerate(pages) if text.split("\n")[0] in ("Departure", "The Ferry", "Home")}
    assert len(openings) == 3
    body = [index for index in range(min(openings), len(pages))]
    headed = 0
    for index in body:
        lines = pages[index].strip().split("\n")
        number = index + 1
        if index in openings:
            assert lines[-1] == str(number)  # a drop folio, no running head
            continue
        if not pages[index].strip():
            assert index + 1 in openings  # a blank verso before a chapter: no head, no folio
            assert number % 2 == 0
            continue
        expected = "Ada Byron" if number % 2 == 0 else "The Long Road"
        assert lines[0].lower() == expected.lower(), (number, lines[0])
        assert lines[-1] == str(number)
        headed += 1
    assert headed >= 4
    assert any(not pages[index].strip() for index in body), "expected at least one blank verso"


def test_opening_words_in_small_caps_is_optional(fixture_project: Story) -> None:
    chapters = fixture_project.project.chapters
    with_caps = book_typst(chapters, fixture_project.meta, small_caps=True)
    without = book_typst(chapters, fixture_project.meta, small_caps=False)
    assert "#smallcaps[The lamp had to]" in with_caps
    assert "#smallcaps[A letter came from]" in with_caps
    assert "#smallcaps" not in without.split("the chapters\n")[1]


def test_french_typography(tmp_path: Path) -> None:
    chapter = chapter_of('# Un\n\n"Tu viens?" dit-elle. Il a dit : non !\n')
    target = tmp_path / "livre.pdf"
    render_book_pdf([chapter], dataclasses.replace(META, language="fr"), target)
    text = " ".join(page_texts(target))
    assert "«\u202fTu viens\u202f?\u202f»" in text
    assert "dit\u00a0: non\u202f!" in text
    assert "Table des matières" in text


def test_two_builds_are_byte_identical(
    fixture_project: Story, fixture_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")  # the renderer uses meta.epoch, not the environment
    again = tmp_path / "again.pdf"
    book = fixture_project.config.book
    render_book_pdf(
        fixture_project.project.chapters,
        fixture_project.meta,
        again,
        trim=book.trim,
        front=book_front(fixture_project),
    )
    assert again.read_bytes() == fixture_pdf.read_bytes()
    assert pypdf.PdfReader(again).metadata["/CreationDate"] == "D:19800101000000Z"


def test_title_and_front_matter_are_text_not_markup(tmp_path: Path) -> None:
    meta = dataclasses.replace(META, title='The #set "Quote" \\ [Book]')
    front = BookFront(dedication="For *you* & $me$", epigraph="= not a heading", epigraph_source="#pagebreak()")
    target = tmp_path / "odd.pdf"
    render_book_pdf([long_chapter("One", 1, "x")], meta, target, front=front)
    text = " ".join(page_texts(target))
    for phrase in ('The #set "Quote" \\ [Book]', "For *you* & $me$", "= not a heading", "#pagebreak()"):
        assert phrase in text, phrase
    assert typst_string('a"b\\c') == '"a\\"b\\\\c"'


def test_typst_errors_are_one_line_fabula_errors() -> None:
    with pytest.raises(FabulaError, match="Typst could not set the book PDF"):
        compile_typst("#let x = (", 0)


def test_images_are_found_in_the_project_folder(tmp_path: Path) -> None:
    from PIL import Image

    (tmp_path / "images").mkdir()
    Image.new("RGB", (60, 90), (20, 60, 120)).save(tmp_path / "images" / "map.png")
    chapter = chapter_of("# Map\n\n![Skerrow](images/map.png)\n\nThe coast.\n")
    target = tmp_path / "book.pdf"
    images = book_images(tmp_path, [chapter]).for_typst(tmp_path)
    render_book_pdf([chapter], META, target, image_root=tmp_path, images=images)
    assert any("/XObject" in page["/Resources"] for page in pypdf.PdfReader(target).pages)
    (tmp_path / "images" / "map.png").unlink()
    with pytest.raises(FabulaError, match=r"image 'images/map\.png' not found"):
        book_images(tmp_path, [chapter])
    # An image that fabula did not check is never read: Typst sets its description instead.
    render_book_pdf([chapter], META, tmp_path / "again.pdf", image_root=tmp_path)
    assert not any("/XObject" in page["/Resources"] for page in pypdf.PdfReader(tmp_path / "again.pdf").pages)


def test_without_an_author_both_heads_give_the_title(tmp_path: Path) -> None:
    target = tmp_path / "anon.pdf"
    render_book_pdf([long_chapter("One", 30, "anon")], dataclasses.replace(META, author=None), target)
    pages = page_texts(target)
    opening = next(index for index, text in enumerate(pages) if text.startswith("One"))
    heads = {pages[index].split("\n")[0] for index in range(opening + 1, len(pages))}
    assert heads == {"The Long Road"}, heads
    assert len(pages) - opening > 2  # a verso and a recto after the opening
