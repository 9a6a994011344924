"""Page-break rules, furniture and fonts, read back from rendered PDFs with pypdf (text and x)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdf
import pytest

from toolkit.layout import LayoutOptions
from toolkit.metadata import Metadata
from toolkit.model import Screenplay
from toolkit.parsers.fountain import parse_screenplay
from toolkit.render.screenplay_pdf import PdfOptions, render_screenplay_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = FIXTURES / "screenplay-rules"
SHOWCASE = FIXTURES / "screenplay-export" / "showcase.fountain"
META = Metadata("Rules", "Ada Byron", "en", "urn:uuid:00000000-0000-0000-0000-000000000002", 1700000000)
LEFT = 108.0  # 1.5"
INCH = 72.0


def parse(path: Path) -> Screenplay:
    return parse_screenplay([(path.name, path.read_text(encoding="utf-8"))])


def render(tmp_path: Path, play: Screenplay, options: PdfOptions | None = None, paper: str = "letter"):
    target = tmp_path / "out.pdf"
    render_screenplay_pdf(play, META, paper, target, options)
    return pypdf.PdfReader(target)


def drawn(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    """(x, y, text) of each piece pypdf reports (a row of one text object), top to bottom."""
    found: list[tuple[float, float, str]] = []

    def visit(content: str, cm, tm, font_dict, font_size) -> None:
        if content.strip():
            found.append((round(tm[4] + cm[4], 1), round(tm[5] + cm[5], 1), content.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda item: (-item[1], item[0]))


def x_of(page: pypdf.PageObject, text: str) -> float:
    return next(x for x, _, content in drawn(page) if content == text)


def body(page: pypdf.PageObject) -> list[str]:
    """The page's text lines without the page number."""
    lines = [line.strip() for line in page.extract_text().splitlines()]
    return lines[1:] if lines and lines[0].endswith(".") and lines[0][:-1].isdigit() else lines


def test_long_speech_more_and_contd(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "long-speech.fountain"))
    first, second = (body(page) for page in reader.pages)
    assert first[-2:] == ["This is sentence number 6.", "(MORE)"]
    assert second[:2] == ["BOB (CONT'D)", "This is sentence number 7."]
    assert x_of(reader.pages[0], "(MORE)") == pytest.approx(LEFT + 2.2 * INCH)  # the cue's column, 3.7"
    assert x_of(reader.pages[1], "BOB (CONT'D)") == pytest.approx(LEFT + 2.2 * INCH)
    assert x_of(reader.pages[1], "This is sentence number 7.") == pytest.approx(2.5 * INCH)
    assert reader.pages[1].extract_text().splitlines()[0] == "2."
    # Where Final Draft puts them: the 54 lines of text run from 1" below the top to 1" above
    # the foot (baselines 711 to 75); (MORE) stands a line below, NAME (CONT'D) a line above.
    ys = {text: y for _, y, text in drawn(reader.pages[0])} | {text: y for _, y, text in drawn(reader.pages[1])}
    assert (ys["INT. ROOM - DAY"], ys["This is sentence number 6."], ys["(MORE)"]) == (711, 75, 63)
    assert (ys["BOB (CONT'D)"], ys["This is sentence number 7."]) == (723, 711)


# The fixture puts its heading at a page's foot with two blank lines above a heading (Final
# Draft's current template), as tests/layout/test_screenplay_layout.py lays it out.
TEMPLATE = LayoutOptions(heading_space=2)


def test_heading_at_foot_moves_to_next_page(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "heading-at-foot.fountain"), PdfOptions(layout=TEMPLATE))
    first, second = (body(page) for page in reader.pages)
    assert first[-1] == "filler line 48 of 48"
    assert second[:2] == ["EXT. GARDEN - NIGHT", "The garden is dark."]
    assert x_of(reader.pages[1], "EXT. GARDEN - NIGHT") == pytest.approx(1.5 * INCH)


def test_dual_dialogue_at_foot_moves_whole(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "dual-at-foot.fountain"))
    assert "ALICE" not in reader.pages[0].extract_text() and "BOB" not in reader.pages[0].extract_text()
    page = reader.pages[1]
    assert x_of(page, "One.") < 4.25 * INCH < x_of(page, "Uno.")
    ys = {content: y for _, y, content in drawn(page)}
    assert ys["ALICE"] == ys["BOB"] and ys["Four."] == ys["Cuatro."]


def test_parenthetical_at_foot_is_carried_over(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "parenthetical-at-foot.fountain"))
    first, second = (body(page) for page in reader.pages)
    assert first[-3:] == ["Line two.", "(pause)", "(MORE)"]
    assert second[:2] == ["BOB (CONT'D)", "Line three."]
    assert x_of(reader.pages[0], "(pause)") == pytest.approx(3.1 * INCH)


def test_transition_at_head_brings_the_action_before_it(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "transition-at-head.fountain"))
    second = body(reader.pages[1])
    assert second[:3] == ["Third sentence here.", "Fourth sentence here.", "CUT TO:"]
    x = x_of(reader.pages[1], "CUT TO:")
    assert x + 7.2 * len("CUT TO:") == pytest.approx(7.5 * INCH)  # flush right


def test_non_latin_text_is_drawn_and_reads_back(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(RULES / "unicode.fountain"))
    title, script = (page.extract_text() for page in reader.pages)
    assert "Ἡ Ὀδύσσεια" in title and "Zoë Ångström" in title
    for text in ("INT. КУХНЯ - НОЧЬ", "Ça déjà vu: naïve façade, São Paulo, Øresund, Łódź.", "Привет, мир. Как дела?"):
        assert text in script
    assert "ΝΙΚΟΣ" in script and "Καλημέρα, κόσμε." in script
    fonts = {str(font["/BaseFont"]) for font in reader.pages[1]["/Resources"]["/Font"].values()}
    assert {font.split("+")[-1] for font in fonts} == {"CourierPrime", "DejaVuSansMono"}
    # Fallback glyphs keep Courier's pitch: the cue stays at 3.7" and the next line's start at 2.5".
    assert x_of(reader.pages[1], "МАША") == pytest.approx(LEFT + 2.2 * INCH)


def test_a4_keeps_the_text_block_centred_vertically(tmp_path: Path) -> None:
    play = parse(RULES / "long-speech.fountain")
    letter, a4 = render(tmp_path, play), render(tmp_path, play, paper="a4")
    assert [body(page) for page in letter.pages] == [body(page) for page in a4.pages]
    top_letter = max(y for _, y, text in drawn(letter.pages[0]) if text == "INT. ROOM - DAY")
    top_a4 = max(y for _, y, text in drawn(a4.pages[0]) if text == "INT. ROOM - DAY")
    assert 792 - top_letter == pytest.approx(81)  # 1" margin + the ascent of the first row
    assert 841.89 - top_a4 == pytest.approx(81 + (841.89 - 792) / 2, abs=0.1)


def test_bookmarks_for_sections_and_scenes(tmp_path: Path) -> None:
    reader = render(tmp_path, parse(SHOWCASE))
    outline = reader.outline
    assert outline[0].title == "Act One"
    # pypdf: an entry's children follow it as a list.
    assert [item.title for item in outline[1] if not isinstance(item, list)] == ["1. INT. KITCHEN - DAY", "The Storm"]
    assert [item.title for item in outline[1][2]] == ["EXT. LIGHTHOUSE - NIGHT"]
    assert reader.get_destination_page_number(outline[1][2][0]) == 2  # page 0 is the title page


def test_scene_numbers_in_both_margins(tmp_path: Path) -> None:
    options = PdfOptions(layout=LayoutOptions(scene_numbers=True, heading_space=2))
    page = render(tmp_path, parse(RULES / "heading-at-foot.fountain"), options).pages[1]
    assert page.extract_text().splitlines()[1] == "2 EXT. GARDEN - NIGHT 2"
    # pypdf reports a row as one piece: it starts with the left number, half an inch left of the block.
    x, text = next((x, text) for x, _, text in drawn(page) if "GARDEN" in text)
    assert text == "2 EXT. GARDEN - NIGHT 2" and x == pytest.approx(LEFT - 0.5 * INCH - 7.2)


def test_notes_watermark_header_footer_and_stamp(tmp_path: Path) -> None:
    options = PdfOptions(
        layout=LayoutOptions(notes=True),
        watermark="CONFIDENTIAL",
        header="The Lighthouse - blue pages",
        footer="Property of Byron & Lind",
        stamp="BLUE REVISION",
        stamp_pages=(2, 2),
    )
    reader = render(tmp_path, parse(RULES / "long-speech.fountain"), options)
    first, second = (page.extract_text() for page in reader.pages)
    for text in (first, second):
        assert "CONFIDENTIAL" in text and "The Lighthouse - blue pages" in text and "Property of Byron & Lind" in text
    assert "BLUE REVISION" not in first and "BLUE REVISION" in second
    showcase = render(tmp_path, parse(SHOWCASE), PdfOptions(layout=LayoutOptions(notes=True)))
    assert "[[check the weather on this day]]" in showcase.pages[1].extract_text()
    assert "check the weather" not in render(tmp_path, parse(SHOWCASE)).pages[1].extract_text()


@pytest.mark.parametrize(("paper", "width"), [("letter", 612.0), ("a4", 595.2756)])
def test_title_page_is_centred_on_the_paper(tmp_path: Path, paper: str, width: float) -> None:
    # As Final Draft centres it; centred on the text block it sat 0.37" right of the middle on A4.
    page = render(tmp_path, parse(SHOWCASE), paper=paper).pages[0]
    for text in ("THE LIGHTHOUSE", "written by", "Ada Byron"):
        x = x_of(page, text)
        assert x + 7.2 * len(text) / 2 == pytest.approx(width / 2, abs=0.1), text  # drawn() rounds x


def test_page_labels_and_subject(tmp_path: Path) -> None:
    """A viewer's page 2 is the script's page 2: the title page is labelled "Title"."""
    reader = render(tmp_path, parse(SHOWCASE))
    assert reader.page_labels == ["Title", "1", "2"]
    assert reader.metadata is not None and reader.metadata.subject == "Screenplay"
    untitled = render(tmp_path, dataclasses.replace(parse(SHOWCASE), title_page=()))
    assert untitled.page_labels == ["1", "2"]


def test_title_page_positions(tmp_path: Path) -> None:
    page = render(tmp_path, parse(SHOWCASE)).pages[0]
    placed = {text: (x, y) for x, y, text in drawn(page)}
    # pypdf reports a row as one piece: the contact's last line shares its row with the draft date.
    assert placed["12 Harbour Road 1 March 2024"][0] == pytest.approx(LEFT)  # contact at the lower left
    assert placed["12 Harbour Road 1 March 2024"][1] < 2 * INCH
    assert "1." not in page.extract_text().split()  # no page number on the title page


def test_custom_font_option(tmp_path: Path) -> None:
    font = Path(__file__).resolve().parents[2] / "toolkit" / "fonts" / "DejaVuSansMono.ttf"
    reader = render(tmp_path, parse(RULES / "unicode.fountain"), PdfOptions(font=font))
    fonts = {str(f["/BaseFont"]) for f in reader.pages[1]["/Resources"]["/Font"].values()}
    assert not any("CourierPrime" in name for name in fonts)
    assert "Привет, мир. Как дела?" in reader.pages[1].extract_text()


def test_same_input_same_bytes_with_every_option(tmp_path: Path) -> None:
    options = PdfOptions(layout=LayoutOptions(notes=True, scene_numbers=True), watermark="DRAFT")
    play = parse(SHOWCASE)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_screenplay_pdf(play, META, "letter", first, options)
    render_screenplay_pdf(play, META, "letter", second, dataclasses.replace(options))
    assert first.read_bytes() == second.read_bytes()
