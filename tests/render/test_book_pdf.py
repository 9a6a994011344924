"""Book PDF: typeset by Typst, read back with pypdf for page size, chapter pages, heads and text."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pypdf
import pytest

from tests.conftest import FIXTURES, chapter_of, story_of
from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import PROSE_KINDS, Chapter
from toolkit.render.book_pdf import TRIMS, book_typst, compile_typst, page_grid, render_book_pdf, typst_string
from toolkit.render.pandoc import BookFront, BookStyle
from toolkit.render.products import book_front, book_style
from toolkit.render.resources import book_images
from toolkit.resolve import Story

POINTS = {"5.5x8.5": (396, 612), "6x9": (432, 648), "a5": (419.53, 595.28)}
META = Metadata("The Long Road", "Ada Byron", "en", "urn:uuid:00000000-0000-0000-0000-000000000002", 1700000000)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


@dataclasses.dataclass(frozen=True)
class Run:
    """A piece of text as the PDF draws it: its baseline (points from the foot of the page),
    where it starts, its size and its font."""

    y: float
    x: float
    size: float
    font: str
    text: str


def runs(page: pypdf.PageObject) -> list[Run]:
    """Every piece of text on a page, top first (Typst places each line with its own matrix)."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")) if font else ""
            found.append(Run(round(cm[5] + tm[5], 2), round(cm[4] + tm[4], 2), size, name.split("+")[-1], text))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda run: (-run.y, run.x))


def body_baselines(page: pypdf.PageObject, size: float) -> list[float]:
    """The baselines of a page's lines of text at the text size (running head and folio are smaller)."""
    return sorted({run.y for run in runs(page) if run.size == size}, reverse=True)


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
    """Half-title, title page, copyright page on its verso, dedication, epigraph, contents:
    each but the copyright page opens a recto; the versos between stay blank."""
    pages = page_texts(fixture_pdf)
    assert pages[0].strip() == "The Lighthouse Keeper's Daughter"  # the half-title: the title alone
    assert pages[2].split("\n") == ["The Lighthouse Keeper's Daughter", "Ada M. Byron", "Skerrow Light Press"]
    assert pages[3].split("\n") == [
        "Copyright © 2024 Ada M. Byron",
        "All rights reserved.",
        "First edition",
        "Published by Skerrow Light Press",
        "ISBN 9780306406157",
        "Printed in Scotland by Harbour Printers",
    ]
    assert pages[4].strip() == "For the keepers of the Skerrow light"
    assert pages[6].split("\n") == ["The sea has neither meaning nor pity.", "— Anton Chekhov"]
    assert pages[1].strip() == pages[5].strip() == pages[7].strip() == ""
    assert pages[8].startswith("Contents")


def test_the_copyright_page_is_small_flush_left_at_the_foot(fixture_pdf: Path) -> None:
    page = pypdf.PdfReader(fixture_pdf).pages[3]
    lines = runs(page)
    trim = TRIMS["6x9"]
    assert {run.x for run in lines} == {trim.outside}  # a verso: the outside margin is on the left
    assert all(run.size < 11 for run in lines)  # smaller than the 11 pt text
    assert min(run.y for run in lines) < 80 < page_grid("6x9").bottom + 30  # down at the foot
    assert max(run.y for run in lines) < float(page.mediabox.height) / 3


def test_without_copyright_keys_the_page_still_names_the_author(tmp_path: Path) -> None:
    from toolkit.config import Config
    from toolkit.render.products import copyright_page_of

    page = copyright_page_of(Config().book, "Ada Byron")
    assert page is not None and page.groups(printed=True) == (("Copyright © Ada Byron", "All rights reserved."),)
    assert copyright_page_of(Config().book, None) is None
    target = tmp_path / "book.pdf"
    render_book_pdf([long_chapter("One", 2, "x")], META, target, front=BookFront(copyright=page))
    assert page_texts(target)[3].split("\n") == ["Copyright © Ada Byron", "All rights reserved."]


def test_every_chapter_opens_its_own_recto_page(fixture_pdf: Path) -> None:
    pages = page_texts(fixture_pdf)
    titles = ["The Light", "LETTERS FROM ABROAD", "The Last Watch"]
    # pypdf reads Typst's small capitals in mixed case ("Letters FroM aBroad"): compared caseless.
    first_lines = [text.split("\n")[0].casefold() for text in pages]
    openings = [index + 1 for index, line in enumerate(first_lines) if index > 8 and line in map(str.casefold, titles)]
    assert [first_lines[n - 1] for n in openings] == [title.casefold() for title in titles]
    assert all(number % 2 == 1 for number in openings), openings
    # The contents lists each chapter with the page it opens on.
    contents = pages[8]
    for title, number in zip(titles, openings, strict=True):
        assert re.search(rf"{re.escape(title)}[ .]*{number}\b", contents, re.I), contents


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
    assert "1The light at Skerrow flashed twice every fifteen seconds." in page_texts(fixture_pdf)[10]


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
            # A blank verso before a chapter, or the page that makes the count even: no head, no folio.
            assert index + 1 in openings or index == len(pages) - 1
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
    heads = {pages[index].split("\n")[0] for index in range(opening + 1, len(pages)) if pages[index].strip()}
    assert heads == {"The Long Road"}, heads
    assert len(pages) - opening > 2  # a verso and a recto after the opening


# ---------------------------------------------------------------- dashes, datelines, capitals


def test_two_hyphens_are_an_em_dash_and_typed_en_dashes_stay(fixture_pdf: Path) -> None:
    text = " ".join(" ".join(page_texts(fixture_pdf)).split())
    assert "her father had said—and she was." in text  # "said -- and": closed up
    assert "“Wait”—she called after him, “the log for 1968–1970, pages 10–20, is yours.”" in text
    assert "–and" not in text and "-- " not in text


def test_spaced_en_dashes_as_british_houses_set_them(fixture_project: Story, tmp_path: Path) -> None:
    target = tmp_path / "british.pdf"
    chapters = fixture_project.project.chapters
    render_book_pdf(chapters, fixture_project.meta, target, style=BookStyle(dash="spaced-en"))
    text = " ".join(page_texts(target))
    # A no-break space before the dash (it never starts a line), a space after it.
    assert "said\u00a0– and she was." in text.replace("\n", " ")
    assert "“Wait”\u00a0– she called" in text.replace("\n", " ")
    assert "1968–1970, pages 10–20" in text  # a typed en dash and a range stay closed
    assert "said—" not in text and "”—she" not in text


def test_the_dated_subhead_is_centred_italic_at_the_text_size(fixture_pdf: Path) -> None:
    """The chapter titled in front matter keeps its dated heading under the title: centred, in
    italic at the text size, a blank line above it and two below, all on the grid."""
    reader = pypdf.PdfReader(fixture_pdf)
    opening = next(page for page in reader.pages[9:] if "The Last Watch" in page.extract_text())
    lines = runs(opening)
    title, dateline, first = lines[0], lines[1], lines[2]
    assert title.text.strip() == "The Last Watch" and title.size > 11
    assert dateline.text.strip() == "DAY 3 — Friday, 3 March 2023"
    assert dateline.size == 11 and "Italic" in dateline.font
    grid = page_grid("6x9")
    left = TRIMS["6x9"].inside  # a recto: the binding edge is on the left
    assert dateline.x > left + 60  # centred, not flush left as it was
    assert first.y == pytest.approx(dateline.y - 3 * grid.pitch, abs=0.05)
    top_baseline = float(opening.mediabox.height) - grid.trim.top - 0.8 * grid.size
    assert ((top_baseline - dateline.y) / grid.pitch) % 1 == pytest.approx(0, abs=0.01)


def test_bookmarks_name_each_chapter_by_its_title_alone(fixture_project: Story, fixture_pdf: Path) -> None:
    """A dated chapter's bookmark is its title: the dateline set under it is not run into it
    ("The Last WatchDAY 3 — Friday, 3 March 2023" before), set chapter by chapter or whole."""
    book = fixture_project.config.book
    whole = compile_typst(
        book_typst(
            fixture_project.project.chapters, fixture_project.meta, trim=book.trim, front=book_front(fixture_project)
        ),
        fixture_project.meta.epoch,
    )
    for reader in (pypdf.PdfReader(fixture_pdf), pypdf.PdfReader(io.BytesIO(whole))):
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        assert titles == ["The Light", "LETTERS FROM ABROAD", "The Last Watch"]


def test_chapter_titles_typed_in_capitals_can_be_small_capitals(fixture_project: Story) -> None:
    chapters = fixture_project.project.chapters
    meta = fixture_project.meta
    caps = book_typst(chapters, meta, style=book_style(fixture_project))
    assert fixture_project.config.book.small_caps_headings
    assert "= #text(tracking: 0.06em)[#smallcaps(all: true)[LETTERS FROM ABROAD]]" in caps
    assert "#smallcaps(all: true)[The" not in caps  # a title in mixed case is left as typed
    plain = book_typst(chapters, meta)
    assert "= LETTERS FROM ABROAD" in plain and "smallcaps(all: true)" not in plain.split("the chapters\n")[1]


# ---------------------------------------------------------------- the baseline grid


def grid_chapter(seed: str, paragraphs: int) -> Chapter:
    """A chapter as novels are written: narration, one-line speeches, scene breaks, a list."""
    parts = []
    for n in range(1, paragraphs + 1):
        parts.append(long_paragraph(seed, n))
        parts.append(f'"Is it {n}?" she said.' if n % 3 else f'"No," he said -- and then, "it is {n}."')
        if n % 5 == 0:
            parts.append("* * *")
        if n % 17 == 0:
            parts.append("- the rope\n- the lamp oil, which ran short in the winter of the long storm\n- the log")
    return chapter_of(f"# {seed.title()}\n\n" + "\n\n".join(parts) + "\n", f"manuscript/{seed}.md")


@pytest.mark.parametrize(("trim", "size"), [("5.5x8.5", None), ("a5", 11.0)])
def test_facing_pages_end_on_the_same_line(trim: str, size: float | None, tmp_path: Path) -> None:
    """Every line of text sits on the baseline grid, and every full page ends on the grid's last
    line: scene breaks, speeches and lists take whole lines, so no spread is uneven."""
    target = tmp_path / "grid.pdf"
    render_book_pdf([grid_chapter("harbour", 60), grid_chapter("island", 25)], META, target, trim=trim, font_size=size)
    grid = page_grid(trim, size)
    reader = pypdf.PdfReader(target)
    height = float(reader.pages[0].mediabox.height)
    top_baseline = height - grid.trim.top - 0.8 * grid.size
    last_line = top_baseline - (grid.lines - 1) * grid.pitch
    full = 0
    for number, page in enumerate(reader.pages, start=1):
        baselines = body_baselines(page, grid.size)
        text = page.extract_text()
        if number < 6 or not baselines or text.split("\n")[0] in ("Harbour", "Island"):
            continue  # front matter and chapter openings
        for y in baselines:
            assert ((top_baseline - y) / grid.pitch) % 1 == pytest.approx(0, abs=0.01) or (
                (top_baseline - y) / grid.pitch
            ) % 1 == pytest.approx(1, abs=0.01), (number, y)
        following = reader.pages[number].extract_text() if number < len(reader.pages) else ""
        if following.split("\n")[0] in ("Island",) or number == len(reader.pages) or not following.strip():
            continue  # a chapter's last page ends where its text does
        assert baselines[-1] == pytest.approx(last_line, abs=0.05), number
        assert len(baselines) == grid.lines, number
        full += 1
    assert full >= 8


def test_headings_quotations_and_figures_take_whole_lines(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (60, 90), (20, 60, 120)).save(tmp_path / "map.png")
    parts = []
    for n in range(1, 40):
        parts.append(long_paragraph("grid", n))
        parts += {
            3: ["## A part title"],
            5: ["### A smaller heading"],
            7: ["> Dear Ada,\n>\n> The boat is late, and I am waiting on the pier with the others."],
            11: ["![The map](map.png)"],
            13: ["| a | b |\n|---|---|\n| 1 | 2 |"],
        }.get(n % 14, [])
    target = tmp_path / "blocks.pdf"
    chapter = chapter_of("# Blocks\n\n" + "\n\n".join(parts) + "\n")
    images = book_images(tmp_path, [chapter]).for_typst(tmp_path)
    render_book_pdf([chapter], META, target, image_root=tmp_path, images=images)
    grid = page_grid()
    reader = pypdf.PdfReader(target)
    top_baseline = float(reader.pages[0].mediabox.height) - grid.trim.top - 0.8 * grid.size
    checked = 0
    for page in reader.pages[6:]:  # the chapter opens on page 7
        for run in runs(page):
            if run.size != grid.size or run.text.strip() in ("a", "b", "1", "2") or "Figure" in run.text:
                continue  # inside a figure or a table, centred in its whole lines
            offset = ((top_baseline - run.y) / grid.pitch) % 1
            assert min(offset, 1 - offset) < 0.01, run
            checked += 1
    assert checked > 100


# ---------------------------------------------------------------- for the printer


def test_an_even_page_count_and_a_trim_box_on_every_page(fixture_pdf: Path, long_pdf: Path, tmp_path: Path) -> None:
    counts = set()
    for pdf in (fixture_pdf, long_pdf):
        reader = pypdf.PdfReader(pdf, strict=True)
        assert len(reader.pages) % 2 == 0
        for page in reader.pages:
            assert page.trimbox == page.mediabox and "/TrimBox" in page
        counts.add(len(pypdf.PdfReader(pdf).pages))
    # A book whose text ends on an even page gets no extra page; one ending on an odd page does.
    ends = []
    for paragraphs in (2, 40):
        target = tmp_path / f"{paragraphs}.pdf"
        render_book_pdf([long_chapter("One", paragraphs, "end")], META, target)
        pages = page_texts(target)
        ends.append(len(pages) - (0 if pages[-1].strip() else 1))
        assert len(pages) % 2 == 0
    assert {end % 2 for end in ends} == {0, 1}, ends


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_eleven_point_gives_thirty_to_thirty_five_lines(trim: str, tmp_path: Path) -> None:
    grid = page_grid(trim, 11)
    assert 30 <= grid.lines <= 35
    target = tmp_path / "eleven.pdf"
    render_book_pdf([long_chapter("One", 40, "eleven")], META, target, trim=trim, font_size=11)
    full = pypdf.PdfReader(target).pages[7]  # the page after the opening (page 7): full
    assert len(body_baselines(full, 11)) == grid.lines
    assert {run.size for run in runs(full)} == {11, 11 * 0.85}  # the text, and the head and folio


@pytest.mark.parametrize(
    "style", [BookStyle(), BookStyle(dash="spaced-en"), BookStyle(dash="typed", small_caps_headings=True)]
)
def test_the_chapters_typst_one_by_one_is_pandocs_typst_of_the_whole_book(
    fixture_project: Story, style: BookStyle
) -> None:
    """Each chapter goes through pandoc on its own (and is kept in the cache): put together, the
    chapters are the text pandoc writes for the whole book at once, byte for byte."""
    from toolkit.render.book_pdf import typst_conversion
    from toolkit.render.chapters import BookParts
    from toolkit.render.pandoc import (
        INPUT_FORMAT,
        book_filter_args,
        book_markdown,
        book_pandoc_input,
        filter_path,
        run_pandoc,
    )

    # pandoc's command line puts a no-break space after the abbreviations of its data file.
    doctor = chapter_of("# The Doctor\n\nDr. Hawkins saw a girl aet. twenty, vs. Mr. Hale.\n", "manuscript/99.md")
    chapters = (*fixture_project.project.chapters, doctor)
    args = [*book_filter_args("en", style), "--lua-filter", str(filter_path("opening.lua")), "--metadata", "lang=en"]
    whole = run_pandoc(
        ["--from", INPUT_FORMAT, "--to", "typst", "--wrap=preserve", *args],
        META.epoch,
        "book PDF",
        stdin=book_pandoc_input(book_markdown(chapters)),
    )
    parts = BookParts(tuple(chapters), META.epoch).of(typst_conversion("en", style))
    assert len(parts) == len(chapters) >= 2
    assert "\n".join(parts) == whole


def test_a_heading_label_two_chapters_share_is_made_unique_as_pandoc_does(tmp_path: Path) -> None:
    chapters = [chapter_of(f"# Chapter {n}\n\n## Morning\n\nSee [the first morning](#morning).\n") for n in (1, 2)]
    source = book_typst(chapters, META)
    assert re.findall(r"^<(morning[-\d]*)>$", source, re.M) == ["morning", "morning-1"]
    assert source.count("#link(<morning>)") == 2
    compile_typst(source, META.epoch)  # a label defined twice would be an error for Typst


def test_a_chapter_referring_to_another_chapters_heading_or_link_is_linked_as_in_a_whole_book(tmp_path: Path) -> None:
    """pandoc links "[Two]" to the heading "Two" and "[the map][map]" to another chapter's link
    definition only when it reads the whole book: such a book is one pandoc run, set whole (the
    chapters converted alone printed "[Two]" and "[the map][map]" as typed)."""
    chapters = [
        chapter_of("# One\n\nSee [Two] and [the map][map].\n", "manuscript/1.md"),
        chapter_of("# Two\n\nRain.\n\n[map]: https://example.org/map\n", "manuscript/2.md"),
    ]
    target = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, target)
    reader = pypdf.PdfReader(target)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "See Two and the map." in text and "[" not in text
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert any(link.get("/A", {}).get("/URI") == "https://example.org/map" for link in links)
    assert any("/Dest" in link or link.get("/A", {}).get("/S") == "/GoTo" for link in links)
