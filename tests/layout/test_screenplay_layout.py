"""Pagination rules, scene extents and bookmarks of the pure layout engine (no PDF involved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.layout import LayoutOptions, LineKind, Position, dump, paginate, title_page_lines
from toolkit.layout.text import wrap
from toolkit.model import Action, Dialogue, Run, Screenplay, plain
from toolkit.parsers.fountain import parse_screenplay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = FIXTURES / "screenplay-rules"
SHOWCASE = FIXTURES / "screenplay-export" / "showcase.fountain"
# The break-rule fixtures are filled to put each case at a page's foot with Final Draft's current
# template, two blank lines above a scene heading ([screenplay] heading_space = 2).
TEMPLATE = LayoutOptions(heading_space=2)


def parse(text: str, name: str = "screenplay/test.fountain") -> Screenplay:
    return parse_screenplay([(name, text)])


def parse_file(path: Path) -> Screenplay:
    return parse(path.read_text(encoding="utf-8"), path.name)


def rows(layout, page: int) -> dict[int, list[tuple[LineKind, int, str]]]:
    found: dict[int, list[tuple[LineKind, int, str]]] = {}
    for line in layout.pages[page - 1].lines:
        found.setdefault(line.row, []).append((line.kind, line.column, line.text))
    return found


def last_row(layout, page: int) -> list[tuple[LineKind, int, str]]:
    found = rows(layout, page)
    return found[max(found)]


# ---------------------------------------------------------------- the break rules, one fixture each


def test_long_speech_breaks_after_a_sentence_with_more_and_contd() -> None:
    layout = paginate(parse_file(RULES / "long-speech.fountain"))
    assert len(layout.pages) == 2
    # As Final Draft sets them: the speech fills the 54 lines (rows 0-53), (MORE) stands on the
    # line below them and NAME (CONT'D) on the line above the next page's text.
    assert rows(layout, 1)[53] == [(LineKind.DIALOGUE, 10, "This is sentence number 6.")]
    assert last_row(layout, 1) == [(LineKind.MORE, 22, "(MORE)")]
    assert max(rows(layout, 1)) == 54
    assert rows(layout, 2)[-1] == [(LineKind.CHARACTER, 22, "BOB (CONT'D)")]
    assert rows(layout, 2)[0] == [(LineKind.DIALOGUE, 10, "This is sentence number 7.")]


def test_speech_breaks_inside_a_line_at_a_sentence_and_rewraps() -> None:
    """Final Draft breaks a speech at any sentence end, not only at the end of a line."""
    filler = "\n".join(f"filler {i}" for i in range(47))
    speech = (
        "One two three four. Five six seven eight. Nine ten eleven. Twelve thirteen fourteen fifteen"
        " sixteen. Seventeen eighteen nineteen."
    )
    layout = paginate(parse(f"INT. A - DAY\n\n{filler}\n\nBOB\n{speech}\n"))
    # The speech wraps "One two three four. Five six seven" / "eight. Nine ten eleven. Twelve" /
    # "thirteen fourteen fifteen sixteen." / "Seventeen eighteen nineteen." and rows 50-53 hold
    # only BOB and three lines: the page breaks after "eleven.", in the middle of the second
    # line (two lines of the speech on each side), and what follows is wrapped anew.
    assert [rows(layout, 1)[row][0][2] for row in range(50, 54)] == [
        "BOB",
        "One two three four. Five six seven",
        "eight. Nine ten eleven.",
        "(MORE)",
    ]
    assert [rows(layout, 2)[row][0][2] for row in range(-1, 3)] == [
        "BOB (CONT'D)",
        "Twelve thirteen fourteen fifteen",
        "sixteen. Seventeen eighteen",
        "nineteen.",
    ]


def test_heading_never_ends_a_page() -> None:
    layout = paginate(parse_file(RULES / "heading-at-foot.fountain"), TEMPLATE)
    assert all(kind is not LineKind.HEADING for kind, _, _ in last_row(layout, 1))
    assert rows(layout, 2)[0] == [(LineKind.HEADING, 0, "EXT. GARDEN - NIGHT")]
    assert rows(layout, 2)[2] == [(LineKind.ACTION, 0, "The garden is dark.")]


def test_dual_dialogue_moves_whole_to_the_next_page() -> None:
    layout = paginate(parse_file(RULES / "dual-at-foot.fountain"))
    assert {kind for row in rows(layout, 1).values() for kind, _, _ in row} == {LineKind.HEADING, LineKind.ACTION}
    first = rows(layout, 2)[0]
    # Final Draft's dual dialogue: columns of 29 at 0 and 31, each cue centred over its column.
    assert first == [(LineKind.CHARACTER, 12, "ALICE"), (LineKind.CHARACTER, 44, "BOB")]
    assert rows(layout, 2)[4] == [(LineKind.DIALOGUE, 0, "Four."), (LineKind.DIALOGUE, 31, "Cuatro.")]


def test_speech_may_end_a_page_with_a_parenthetical_after_a_sentence() -> None:
    """Final Draft puts "(beat)" above (MORE) when the line before it ends a sentence."""
    layout = paginate(parse_file(RULES / "parenthetical-at-foot.fountain"))
    assert rows(layout, 1)[53] == [(LineKind.PARENTHETICAL, 16, "(pause)")]
    assert last_row(layout, 1) == [(LineKind.MORE, 22, "(MORE)")]
    assert rows(layout, 2)[-1] == [(LineKind.CHARACTER, 22, "BOB (CONT'D)")]
    assert rows(layout, 2)[0] == [(LineKind.DIALOGUE, 10, "Line three.")]


def test_parenthetical_after_an_unfinished_sentence_does_not_end_a_page() -> None:
    filler = "\n".join(f"filler {i}" for i in range(47))
    layout = paginate(parse(f"INT. A - DAY\n\n{filler}\n\nBOB\nLine one.\nand two\n(pause)\nThree.\nFour.\n"))
    # Rows 50-53 would take BOB, "Line one.", "and two", "(pause)": no place to break, so the
    # whole speech goes over.
    assert last_row(layout, 1) == [(LineKind.ACTION, 0, "filler 46")]
    assert rows(layout, 2)[0] == [(LineKind.CHARACTER, 22, "BOB")]


def test_transition_never_opens_a_page() -> None:
    layout = paginate(parse_file(RULES / "transition-at-head.fountain"), TEMPLATE)
    assert rows(layout, 2)[0] == [(LineKind.ACTION, 0, "Third sentence here.")]
    assert rows(layout, 2)[3] == [(LineKind.TRANSITION, 53, "CUT TO:")]
    assert last_row(layout, 1) == [(LineKind.ACTION, 0, "Second sentence here.")]


def test_speech_without_a_sentence_end_moves_whole() -> None:
    words = " ".join(f"word{i}" for i in range(60))  # wraps to several rows, no full stop
    filler = "\n".join(f"filler {i}" for i in range(48))
    layout = paginate(parse(f"INT. A - DAY\n\n{filler}\n\nBOB\n{words}\n"))
    assert rows(layout, 2)[0] == [(LineKind.CHARACTER, 22, "BOB")]
    assert not any(
        kind is LineKind.MORE for page in (1, 2) for row in rows(layout, page).values() for kind, _, _ in row
    )


def test_element_longer_than_a_page_is_cut_where_the_page_ends() -> None:
    filler = "\n".join(f"filler {i}" for i in range(130))
    layout = paginate(parse(f"INT. A - DAY\n\n{filler}\n"))
    assert len(layout.pages) == 3
    assert max(rows(layout, 1)) == 53  # the heading keeps the first lines with it
    texts = [line.text for page in layout.pages for line in page.lines if line.kind is LineKind.ACTION]
    assert texts == [f"filler {i}" for i in range(130)]


def test_forced_page_break() -> None:
    layout = paginate(parse("INT. A - DAY\n\nOne.\n\n===\n\nTwo.\n"))
    assert [[line.text for line in page.lines] for page in layout.pages] == [["INT. A - DAY", "One."], ["Two."]]


# ---------------------------------------------------------------- geometry and elements


def test_columns_follow_the_industry_geometry() -> None:
    layout = paginate(parse_file(SHOWCASE))
    placed = {(line.kind, line.text): line.column for line in layout.pages[0].lines}
    assert placed[LineKind.HEADING, "INT. KITCHEN - DAY"] == 0  # 1.5"
    assert placed[LineKind.CHARACTER, "MARGOT (V.O.)"] == 22  # 3.7"
    assert placed[LineKind.PARENTHETICAL, "(quietly)"] == 16  # 3.1"
    assert placed[LineKind.DIALOGUE, "Who left this here?"] == 10  # 2.5"
    assert placed[LineKind.TRANSITION, "CUT TO:"] + len("CUT TO:") == 60  # flush right at 7.5"
    centred = placed[LineKind.CENTERED, "THE END OF THE BEGINNING"]
    assert centred == (60 - len("THE END OF THE BEGINNING")) // 2
    assert placed[LineKind.LYRIC, "Row, row, row the boat"] == 0


def test_lyrics_are_italic_and_emphasis_survives_wrapping() -> None:
    layout = paginate(parse_file(SHOWCASE))
    lyric = next(line for line in layout.pages[0].lines if line.kind is LineKind.LYRIC)
    assert all(run.italic for run in lyric.runs)
    runs = [run for line in layout.pages[0].lines if line.kind is LineKind.ACTION for run in line.runs]
    assert Run("every", italic=True) in runs
    assert Run("nothing", bold=True) in runs
    assert Run("dust", underline=True) in runs


def test_wrap_cuts_a_word_longer_than_the_line() -> None:
    assert [run.text for line in wrap((Run("x" * 25),), 10) for run in line] == ["x" * 10, "x" * 10, "x" * 5]
    assert wrap((), 10) == [()]


def lines_of(text: str, width: int) -> list[str]:
    return [plain(line) for line in wrap((Run(text),), width)]


def test_wrap_breaks_where_final_draft_does() -> None:
    # After a hyphen inside a word (Bright: "I don't give a shit about clan-" / "blood.").
    assert lines_of("I don't give a shit about clan-blood. I don't.", 35) == [
        "I don't give a shit about clan-",
        "blood. I don't.",
    ]
    # A hyphen at the end of a line may stand one column past the margin, as spaces may.
    assert lines_of("Only if I can film it for CNN, babe- yes", 35) == ["Only if I can film it for CNN, babe-", "yes"]
    assert lines_of("Sixty-one columns of action.   ", 28) == ["Sixty-one columns of action."]


def test_a_dash_stays_with_the_word_before_it() -> None:
    assert lines_of("I was going to tell you --", 24) == ["I was going to tell", "you --"]
    assert lines_of("Well, I never -- and then he left", 15) == ["Well, I never --", "and then he", "left"]
    assert lines_of("word--word", 6) == ["word--", "word"]  # a dash inside a word is a place to break


def test_dash_at_the_end_of_a_dual_speech_is_not_a_line_of_its_own() -> None:
    """Dual dialogue's 29 columns: "--" used to wrap alone below the speech."""
    play = parse("INT. A - DAY\n\nALICE\nI told you this would happen --\n\nBOB ^\nI know.\n")
    left = [line.text for line in paginate(play).pages[0].lines if line.side == 1]
    assert left == ["ALICE", "I told you this would", "happen --"]


def test_automatic_contd_is_an_option() -> None:
    text = "INT. A - DAY\n\nBOB\nHi.\n\nHe waits.\n\nBOB\nStill here.\n\nEXT. B - DAY\n\nBOB\nNew scene.\n"
    cues = [line.text for line in paginate(parse(text)).pages[0].lines if line.kind is LineKind.CHARACTER]
    assert cues == ["BOB", "BOB (CONT'D)", "BOB"]
    plain_cues = paginate(parse(text), LayoutOptions(contd=False)).pages[0].lines
    assert [line.text for line in plain_cues if line.kind is LineKind.CHARACTER] == ["BOB", "BOB", "BOB"]


def test_scene_numbers_forced_always_numbered_on_request() -> None:
    text = "INT. A - DAY\n\nOne.\n\nINT. B - DAY #7A#\n\nTwo.\n\nINT. C - DAY\n\nThree.\n"
    numbers = [line.scene_number for line in paginate(parse(text)).pages[0].lines if line.kind is LineKind.HEADING]
    assert numbers == [None, "7A", None]
    layout = paginate(parse(text), LayoutOptions(scene_numbers=True))
    assert [line.scene_number for line in layout.pages[0].lines if line.kind is LineKind.HEADING] == ["1", "7A", "3"]


def test_notes_only_when_asked() -> None:
    hidden = paginate(parse_file(SHOWCASE))
    shown = paginate(parse_file(SHOWCASE), LayoutOptions(notes=True))
    assert not any(line.kind is LineKind.NOTE for page in hidden.pages for line in page.lines)
    notes = [line.text for page in shown.pages for line in page.lines if line.kind is LineKind.NOTE]
    assert notes == ["[[check the weather on this day]]"]
    joined = " ".join(line.text for page in hidden.pages for line in page.lines)
    assert "Act One" not in joined and "Margot finds the letter" not in joined  # sections, synopses


def test_nothing_printable_gives_one_empty_page() -> None:
    layout = paginate(parse("# Act One\n\n[[a note]]\n"))
    assert len(layout.pages) == 1 and layout.pages[0].lines == ()


# ---------------------------------------------------------------- scene extents and bookmarks (for stats)


def test_scene_extents_and_eighths() -> None:
    filler = "\n".join(f"filler {i}" for i in range(60))
    text = f"INT. A - DAY\n\nShort.\n\nINT. B - DAY\n\n{filler}\n\nINT. C - DAY\n\nEnd.\n"
    play = parse(text)
    layout = paginate(play, TEMPLATE)
    assert [extent.title for extent in layout.scenes] == [scene.title for scene in play.scenes]
    first, second, third = layout.scenes
    assert (first.start, first.end) == (Position(1, 0), Position(1, 2))
    assert first.rows(54) == 3 and first.eighths() == 1  # 3/54 of a page rounds up to the minimum
    assert second.start == Position(1, 5) and second.end.page == 2  # two blank lines above a heading
    assert paginate(play).scenes[1].start == Position(1, 4)  # one, by default
    assert second.eighths() == round(second.rows(54) * 8 / 54)
    assert third.start.page == 2


def test_every_big_fish_scene_has_an_extent_in_order(corpus_dir: Path) -> None:
    play = parse((corpus_dir / "big-fish.fountain").read_text(encoding="utf-8-sig"))
    layout = paginate(play)
    assert [extent.scene for extent in layout.scenes] == list(range(len(play.scenes)))
    for before, after in zip(layout.scenes, layout.scenes[1:], strict=False):
        assert before.start <= before.end < after.start
    total = sum(extent.rows(54) for extent in layout.scenes)
    assert total <= len(layout.pages) * 54


def test_bookmarks_nest_scenes_under_sections() -> None:
    layout = paginate(parse_file(SHOWCASE))
    assert [(b.level, b.title, b.position) for b in layout.bookmarks] == [
        (1, "Act One", Position(1, 0)),
        (2, "1. INT. KITCHEN - DAY", Position(1, 0)),
        (2, "The Storm", Position(2, 0)),
        (3, "EXT. LIGHTHOUSE - NIGHT", Position(2, 0)),
    ]


def test_title_page_centres_credits_and_puts_contact_at_the_foot() -> None:
    lines = title_page_lines(parse_file(SHOWCASE).title_page)
    placed = {line.text: (line.row, line.column) for line in lines}
    assert placed["THE LIGHTHOUSE"] == (18, (60 - len("THE LIGHTHOUSE")) // 2)
    assert placed["Byron & Lind"][1] == 0 and placed["12 Harbour Road"] == (53, 0)
    assert placed["1 March 2024"] == (53, 60 - len("1 March 2024"))
    assert {line.text: line.align for line in lines if line.row in (18, 53)} == {
        "THE LIGHTHOUSE": "center",
        "12 Harbour Road": "left",
        "1 March 2024": "right",
    }
    assert all(run.bold for line in lines if line.text == "THE LIGHTHOUSE" for run in line.runs)


def test_long_title_page_moves_up_rather_than_into_the_contact_block() -> None:
    notes = "\n".join(f"    Note line {i}." for i in range(40))
    play = parse(f"Title: Long\nNotes:\n{notes}\nContact:\n    1 Road\n    Town\n\nINT. A - DAY\n")
    lines = title_page_lines(play.title_page)
    rows = {line.text: line.row for line in lines}
    assert rows["Town"] == 53 and rows["1 Road"] == 52
    assert rows["Note line 39."] < 51 and rows["Long"] < 18
    assert len({line.row for line in lines}) == len(lines)  # no two lines on one row


def test_indented_title_page_keys_are_recognised() -> None:
    play = parse("    Title: Masks\n    Author: N. B.\n\nINT. A - DAY\n")
    assert {line.text for line in title_page_lines(play.title_page)} == {"Masks", "N. B."}


# ---------------------------------------------------------------- goldens and properties


@pytest.mark.parametrize("name", sorted(path.stem for path in RULES.glob("*.fountain")))
def test_layout_golden(golden, name: str) -> None:
    golden(f"layout/{name}.txt", dump(paginate(parse_file(RULES / f"{name}.fountain"), TEMPLATE)))


def test_showcase_layout_golden(golden) -> None:
    golden("layout/showcase.txt", dump(paginate(parse_file(SHOWCASE), LayoutOptions(notes=True, scene_numbers=True))))


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀéñЖΩ.,!?'-", min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(
    speeches=st.lists(st.lists(_WORD, min_size=1, max_size=80), min_size=1, max_size=8),
    lines_per_page=st.integers(min_value=12, max_value=60),
)
def test_no_word_is_lost_or_reordered(speeches: list[list[str]], lines_per_page: int) -> None:
    text = "INT. A - DAY\n\n" + "\n\n".join(
        f"BOB\n{' '.join(words)}" if index % 2 else " ".join(words).capitalize() for index, words in enumerate(speeches)
    )
    play = parse(text + "\n")
    layout = paginate(play, LayoutOptions(lines_per_page=lines_per_page, contd=False))
    # Compared without spaces: a line may break after a hyphen inside a word ("clan-" / "blood").
    printed = "".join(
        line.text.replace(" ", "")
        for page in layout.pages
        for line in sorted(page.lines, key=lambda line: line.row)
        if line.kind not in (LineKind.MORE, LineKind.CHARACTER, LineKind.HEADING)
    )
    expected: list[str] = []
    for element in play.elements:
        if isinstance(element, Action):
            expected += [word for line in element.lines for word in plain(line).split()]
        elif isinstance(element, Dialogue):
            expected += [word for line in element.lines for word in plain(line.text).split()]
    assert printed == "".join(expected)
    for page in layout.pages:
        # (MORE) may take the line below the text block, NAME (CONT'D) the line above it.
        assert all(
            0 <= line.row < lines_per_page for line in page.lines if line.kind is not LineKind.MORE and line.row >= 0
        )
        assert all(line.row in (-1, lines_per_page) for line in page.lines if not 0 <= line.row < lines_per_page)
