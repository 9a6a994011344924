"""Submission manuscript DOCX: read back with python-docx and as zip + XML."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from tests.conftest import FIXTURES, chapter_of, story_of
from toolkit.metadata import Metadata
from toolkit.render.manuscript_docx import ManuscriptCover, render_manuscript_docx, rounded_words, running_head
from toolkit.resolve import Story

META = Metadata("Salt", "Wren Abernethy", "en", "urn:uuid:00000000-0000-0000-0000-000000000003", 1700000000)


@pytest.fixture(scope="module")
def fixture_project() -> Story:
    return story_of(FIXTURES / "book")


@pytest.fixture(scope="module")
def manuscript(fixture_project: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = fixture_project.config.book
    target = tmp_path_factory.mktemp("docx") / "manuscript.docx"
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    render_manuscript_docx(fixture_project.project.chapters, fixture_project.meta, target, cover)
    return target


def body_paragraphs(path: Path) -> list[docx.text.paragraph.Paragraph]:
    return list(docx.Document(str(path)).paragraphs)


def test_styles_are_standard_manuscript_format(manuscript: Path) -> None:
    document = docx.Document(str(manuscript))
    for name in ("Normal", "Body Text", "First Paragraph", "Heading 1", "Scene Break"):
        style = document.styles[name]
        assert style.font.name == "Times New Roman", name
        assert style.font.size == Pt(12), name
        assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.DOUBLE, name
    assert document.styles["Body Text"].paragraph_format.first_line_indent == Inches(0.5)
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert {section.left_margin, section.right_margin, section.top_margin, section.bottom_margin} == {Inches(1)}


def test_running_head_is_surname_title_page(manuscript: Path) -> None:
    document = docx.Document(str(manuscript))
    cover, text = document.sections
    header = text.header.paragraphs[0]
    assert header.text == "Byron / THE LIGHTHOUSE KEEPER'S DAUGHTER / "
    assert header.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert re.search(r'<w:fldSimple w:instr="PAGE">', header._p.xml)  # the page number field
    # The text's pages are numbered from 1, every one under the running head, chapter one's too.
    assert not text.different_first_page_header_footer
    assert re.search(r'<w:pgNumType w:start="1"\s*/>', text._sectPr.xml)
    # The cover is a section of its own, with no header of its own (so none at all: it is first).
    assert "headerReference" not in cover._sectPr.xml
    assert (cover.page_width, cover.page_height) == (Inches(8.5), Inches(11))
    assert {cover.left_margin, cover.right_margin, cover.top_margin, cover.bottom_margin} == {Inches(1)}


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_cover_page(manuscript: Path) -> None:
    paragraphs = body_paragraphs(manuscript)
    contact = paragraphs[0]
    assert contact.style.name == "Contact"
    # The word count on the first line, with the name, against the right margin (a right tab).
    assert contact.text.split("\n") == [
        "Ada M. Byron\tabout 200 words",
        "1 Harbour Road",
        "Skerrow KW17 2AB",
        "ada@example.org",
        "+44 1856 000000",
    ]
    (stop,) = contact.style.paragraph_format.tab_stops
    assert stop.position == Inches(6.5) and stop.alignment == WD_TAB_ALIGNMENT.RIGHT
    assert paragraphs[1].text == "The Lighthouse Keeper’s Daughter"
    assert paragraphs[2].text == "by Ada M. Byron"
    # Then the paragraph that ends the cover's section; chapter one follows on page 1.
    assert paragraphs[3].text == "" and paragraphs[3]._p.find(qn("w:pPr")).find(qn("w:sectPr")) is not None
    assert paragraphs[4].style.name == "Heading 1" and paragraphs[4].text == "The Light"


def test_the_end_and_dashes_as_typed(manuscript: Path) -> None:
    paragraphs = body_paragraphs(manuscript)
    assert paragraphs[-1].text == "END" and paragraphs[-1].style.name == "The End"
    assert docx.Document(str(manuscript)).styles["The End"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    text = "\n".join(p.text for p in paragraphs)
    assert "her father had said -- and she was." in text
    assert "“Wait”--she called after him, “the log for 1968–1970, pages 10--20, is yours.”" in text
    assert "—" not in text.replace("DAY 3 — Friday", "")


def test_the_dated_subhead_is_centred_under_the_title(manuscript: Path) -> None:
    paragraphs = body_paragraphs(manuscript)
    index = next(i for i, p in enumerate(paragraphs) if p.text == "The Last Watch")
    dateline = paragraphs[index + 1]
    assert dateline.text == "DAY 3 — Friday, 3 March 2023" and dateline.style.name == "Dateline"
    assert dateline.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


@pytest.mark.parametrize(
    ("author", "contact", "surname", "head"),
    [
        ("Wren Abernethy", (), None, "Abernethy / SALT / "),
        ("Anonymous Press", (), None, "SALT / "),
        ("The Fabula Authors", (), None, "SALT / "),
        ("Anonymous Press", ("Ada M. Byron", "1 Harbour Road"), None, "Byron / SALT / "),
        ("Smith & Jones", (), None, "SALT / "),
        ("Anonymous", (), "Quill", "Quill / SALT / "),
        (None, (), None, "SALT / "),
    ],
)
def test_the_running_heads_surname_is_a_persons(
    author: str | None, contact: tuple[str, ...], surname: str | None, head: str
) -> None:
    meta = dataclasses.replace(META, author=author)
    assert running_head(meta, ManuscriptCover(contact=contact, surname=surname)) == head


def test_chapters_start_new_pages_and_scene_breaks_are_hashes(manuscript: Path, fixture_project: Story) -> None:
    paragraphs = body_paragraphs(manuscript)
    headings = [p for p in paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings] == ["The Light", "LETTERS FROM ABROAD", "The Last Watch"]  # as typed
    assert docx.Document(str(manuscript)).styles["Heading 1"].paragraph_format.page_break_before
    breaks = [p for p in paragraphs if p.style.name == "Scene Break"]
    assert [p.text for p in breaks] == ["#", "#", "#"]
    assert docx.Document(str(manuscript)).styles["Scene Break"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    text = "\n".join(p.text for p in paragraphs)
    assert "Приезжай домой, писала Ольга." in text and "Ilse Þórsdóttir" in text
    with zipfile.ZipFile(manuscript) as archive:
        assert "The light at Skerrow flashed twice" in archive.read("word/footnotes.xml").decode()


def test_word_count_rounds_to_the_nearest_hundred() -> None:
    assert [rounded_words(n) for n in (0, 49, 149, 150, 6524, 6550, 99_951)] == [
        100,
        100,
        100,
        200,
        6500,
        6600,
        100_000,
    ]


def test_courier_and_default_surname(tmp_path: Path) -> None:
    chapter = chapter_of("# One\n\nShe left.\n")
    target = tmp_path / "m.docx"
    render_manuscript_docx([chapter], META, target)
    document = docx.Document(str(target))
    assert document.styles["Normal"].font.name == "Courier New"
    assert document.sections[-1].header.paragraphs[0].text == "Abernethy / SALT / "
    # Without a contact block, the author's name stands in for it.
    assert document.paragraphs[0].text == "Wren Abernethy\tabout 100 words"


def test_two_builds_are_byte_identical(manuscript: Path, fixture_project: Story, tmp_path: Path) -> None:
    book = fixture_project.config.book
    again = tmp_path / "again.docx"
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    render_manuscript_docx(fixture_project.project.chapters, fixture_project.meta, again, cover)
    assert again.read_bytes() == manuscript.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.search(r"1980-01-01T00:00:00Z", core)


def test_french_spacing_in_the_manuscript(tmp_path: Path) -> None:
    chapter = chapter_of('# Un\n\n"Pourquoi?" dit-elle.\n')
    target = tmp_path / "m.docx"
    render_manuscript_docx([chapter], dataclasses.replace(META, language="fr"), target)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "«\u202fPourquoi\u202f?\u202f» dit-elle." in text
