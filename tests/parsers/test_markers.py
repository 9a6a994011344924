"""Day markers: strict date and DAY patterns, positives and the prose they must ignore."""

from __future__ import annotations

import re

import pytest
from hypothesis import settings

from toolkit.model import DayMark, Span, StoryDate
from toolkit.parsers.markers import _has_digit, heading_mark, inline_mark, whole_mark

AT = Span("manuscript/01.md", 5, 3)


def _fields(mark: DayMark | None) -> tuple | None:
    return None if mark is None else (mark.text, mark.date, mark.weekday, mark.day)


# ---------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("heading", "text", "date", "weekday", "day"),
    [
        ("7 MARCH 2023", "7 MARCH 2023", StoryDate(2023, 3, 7), None, None),
        ("Wednesday, 8 March 2023", "Wednesday, 8 March 2023", StoryDate(2023, 3, 8), 2, None),
        ("March 8, 2023", "March 8, 2023", StoryDate(2023, 3, 8), None, None),
        ("2023-03-08", "2023-03-08", StoryDate(2023, 3, 8), None, None),
        ("DAY 12", "DAY 12", None, None, 12),
        ("Day 4", "Day 4", None, None, 4),
        ("DAY 3 — Thursday, 9 March 2023", "DAY 3 — Thursday, 9 March 2023", StoryDate(2023, 3, 9), 3, 3),
        ("Thursday 9 March (DAY 3)", "Thursday 9 March (DAY 3)", StoryDate(None, 3, 9), 3, 3),
        ("DAY 3: 9 March", "DAY 3: 9 March", StoryDate(None, 3, 9), None, 3),
        ("DAY 3 - 9 March", "DAY 3 - 9 March", StoryDate(None, 3, 9), None, 3),
        ("DAY 3 – The Funeral", "DAY 3", None, None, 3),
        ("9 March 2023: Departure", "9 March 2023", StoryDate(2023, 3, 9), None, None),
        ("9 March 2023 — Departure", "9 March 2023", StoryDate(2023, 3, 9), None, None),
        ("10th March", "10th March", StoryDate(None, 3, 10), None, None),
        ("March 10th", "March 10th", StoryDate(None, 3, 10), None, None),
        ("the 1st of May", "the 1st of May", StoryDate(None, 5, 1), None, None),
        ("2nd June", "2nd June", StoryDate(None, 6, 2), None, None),
        ("Sept 23rd", "Sept 23rd", StoryDate(None, 9, 23), None, None),
        ("Wed. 8 Mar", "Wed. 8 Mar", StoryDate(None, 3, 8), 2, None),
        ("sat 4 nov 2023", "sat 4 nov 2023", StoryDate(2023, 11, 4), 5, None),
        ("**DAY 4**", "DAY 4", None, None, 4),
        ("*10 March.*", "10 March", StoryDate(None, 3, 10), None, None),
        ("_Thursday, 9 March_ – Rain", "Thursday, 9 March", StoryDate(None, 3, 9), 3, None),
        ("30 February 2023", "30 February 2023", StoryDate(2023, 2, 30), None, None),
        ("2023-02-30", "2023-02-30", StoryDate(2023, 2, 30), None, None),
    ],
)
def test_heading_markers(heading: str, text: str, date: StoryDate | None, weekday: int | None, day: int | None):
    mark = heading_mark(heading, AT)
    assert mark is not None
    assert _fields(mark) == (text, date, weekday, day)
    assert mark.kind == "heading"


@pytest.mark.parametrize(
    "heading",
    [
        "The Funeral",
        "The day I met her on 9 March",
        "9 March 2023 was when it began",  # a date, then no separator: a sentence
        "INT. HOUSE - DAY",
        "Day after day",
        "In March 2020",
        "1999",
        "Chapter 12",
        "Friday",
        "DAY",
        "day 4",
        "0 March",
        "32 March",
        "2023-13-01",
        "Mayday 5",
    ],
)
def test_headings_that_are_not_markers(heading: str):
    assert heading_mark(heading, AT) is None


def test_heading_impossible_date_kept_as_written():
    mark = heading_mark("30 February 2023", AT)
    assert mark is not None and mark.date is not None
    assert not mark.date.is_valid


def test_heading_column_points_at_marker():
    assert heading_mark("**DAY 4**", AT).span == Span("manuscript/01.md", 5, 5)
    assert heading_mark("  DAY 4", AT).span.col == 5


def test_heading_with_leading_heading_signs_is_read():
    assert _fields(heading_mark("## DAY 2", AT)) == ("DAY 2", None, None, 2)
    assert _fields(heading_mark("= 8 March", AT)) == ("8 March", StoryDate(None, 3, 8), None, None)


# ---------------------------------------------------------------- prose


@pytest.mark.parametrize(
    ("paragraph", "text", "date", "weekday", "day"),
    [
        ("On Friday, 10 March – DAY 4 – she left.", "Friday, 10 March – DAY 4", StoryDate(None, 3, 10), 4, 4),
        ("DAY 30 – Wednesday, 5 April – rain again.", "DAY 30 – Wednesday, 5 April", StoryDate(None, 4, 5), 2, 30),
        ("The siege went on. 13 May 2023 was DAY 68.", "13 May 2023 was DAY 68", StoryDate(2023, 5, 13), None, 68),
        ("10 March. The rain had stopped.", "10 March", StoryDate(None, 3, 10), None, None),
        ("*10 March.* The rain had stopped.", "10 March", StoryDate(None, 3, 10), None, None),
        ("On 10 March the rain stopped.", "10 March", StoryDate(None, 3, 10), None, None),
        ("By 12 May the snow had gone.", "12 May", StoryDate(None, 5, 12), None, None),
        ("It was the 10th of March when she came.", "the 10th of March", StoryDate(None, 3, 10), None, None),
        ("It was March 10th, and cold.", "March 10th", StoryDate(None, 3, 10), None, None),
        ("**DAY 4**\nThe road north.", "DAY 4", None, None, 4),
        ("ON 7 MARCH 2023 IT SNOWED.", "7 MARCH 2023", StoryDate(2023, 3, 7), None, None),
        ("## 10 March", "10 March", StoryDate(None, 3, 10), None, None),
        ("She wrote: 9 March (DAY 3), and stopped.", "9 March (DAY 3)", StoryDate(None, 3, 9), None, 3),
    ],
)
def test_inline_markers(paragraph: str, text: str, date: StoryDate | None, weekday: int | None, day: int | None):
    mark = inline_mark(paragraph, AT)
    assert mark is not None
    assert _fields(mark) == (text, date, weekday, day)
    assert mark.kind == "inline"


@pytest.mark.parametrize(
    "paragraph",
    [
        "Her birthday was 3 May 1990.",
        "In March 2020 the world closed.",
        "Day after day the rain fell.",
        "She counted the 4 days left.",
        "He said the day 4 of us would go.",
        "At 10:30 the train left; by 7 in the evening it was dark.",
        "In 1999 we moved to Leeds.",
        "They met on 9 March, years before any of this.",  # a date mid-sentence, no DAY
        "He remembered Day 1 of training.",  # a DAY mid-sentence, no date
        "She left at dawn on Friday.",
        "Mayday, mayday.",
        "",
    ],
)
def test_prose_that_is_not_a_marker(paragraph: str):
    assert inline_mark(paragraph, AT) is None


def test_inline_marker_on_a_later_line_gets_its_own_line_and_column():
    mark = inline_mark("The night was long.\nAt last, 10 March – DAY 4 – came.", AT)
    assert mark is not None
    assert mark.span == Span("manuscript/01.md", 6, 10)
    assert mark.text == "10 March – DAY 4"


def test_marker_wrapped_over_two_lines_is_found():
    mark = inline_mark("On 10\nMarch – DAY 4 – it rained.", AT)
    assert _fields(mark) == ("10\nMarch – DAY 4", StoryDate(None, 3, 10), None, 4)


def test_inline_column_on_first_line_is_offset_from_the_span():
    mark = inline_mark("On Friday, 10 March – DAY 4 –", AT)
    assert mark.span == Span("manuscript/01.md", 5, 6)


def test_weekday_is_as_written_not_as_true():
    # 5 March 2023 was a Sunday: the marker keeps the Saturday the text names.
    mark = heading_mark("Saturday, 5 March 2023", AT)
    assert mark.weekday == 5


# ---------------------------------------------------------------- whole values


def test_whole_mark_reads_only_a_marker():
    assert _fields(whole_mark("8 March 2023", AT, "front-matter")) == (
        "8 March 2023",
        StoryDate(2023, 3, 8),
        None,
        None,
    )
    assert whole_mark("8 March 2023 and more", AT, "front-matter") is None
    assert whole_mark("soon", AT, "front-matter") is None


# ---------------------------------------------------------------- any text


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "DAY 4",
        "Day",
        "day 2",
        " ",
        "\n",
        "–",
        ":",
        "(",
        ")",
        "*",
        "_",
        "On ",
        "10",
        "March",
        "Fri",
        ", ",
        "2023",
        "2023-03-10",
        "th",
        "was ",
        "x",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_any_text_gives_a_marker_found_where_its_span_says(text: str):
    start = Span("m.md", 1, 1)
    for mark in (heading_mark(text, start), inline_mark(text, start)):
        if mark is not None:
            # A hard-wrapped paragraph may break a marker over two lines: read from its start on.
            lines = text.split("\n")
            offset = sum(len(line) + 1 for line in lines[: mark.span.line - 1]) + mark.span.col - 1
            assert text[offset:].startswith(mark.text)
            assert mark.date is not None or mark.day is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 5 people come in?", None),
        ("May I come in on the 5th?", None),
        ("May 5, and still raining.", "May 5"),
        ("May 5th. Cold.", "May 5th"),
        ("May 5th was cold.", None),  # a date as a sentence's subject is what it is about: not a marker
        ("Friday, May 5 began grey.", "Friday, May 5"),
        ("*May 5.* Rain.", "May 5"),
    ],
)
def test_may_the_verb_is_not_may_the_month(text: str, expected: str | None) -> None:
    mark = inline_mark(text, Span("m.md", 1))
    assert (mark.text if mark else None) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab 09\n٣５x", max_size=20) | st.text(max_size=20))
def test_the_digit_fast_path_agrees_with_the_pattern(text: str) -> None:
    assert _has_digit(text) == (re.search(r"\d", text) is not None)
