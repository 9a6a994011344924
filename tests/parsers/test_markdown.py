"""Markdown chapters: front matter, chapter headings, paragraphs, passages, word counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import FabulaError
from toolkit.model import FrontMatter, Span, StoryDate
from toolkit.parsers.markdown import count_words, parse_chapters

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "prose" / "markdown"


def _parse(name: str):
    return parse_chapters(f"manuscript/{name}", (CASES / name).read_text(encoding="utf-8"))


def test_ferry_file_gives_three_chapters_in_order():
    chapters = _parse("03-the-ferry.md")
    assert [c.title for c in chapters] == ["The Crossing", "DAY 3 – The Funeral", "Afterwards"]
    assert [c.span for c in chapters] == [
        Span("manuscript/03-the-ferry.md", 1),
        Span("manuscript/03-the-ferry.md", 12),
        Span("manuscript/03-the-ferry.md", 31),
    ]


def test_front_matter_applies_to_first_chapter_only_and_ignores_unknown_keys():
    first, second, _ = _parse("03-the-ferry.md")
    assert first.front == FrontMatter(
        title="The Crossing",
        date="2023-03-08",
        day=2,
        summary="Margot takes the ferry.",
        pov="Margot",
    )
    assert second.front == FrontMatter()


def test_front_matter_gives_a_mark_on_its_date_line():
    first = _parse("03-the-ferry.md")[0]
    mark = first.passages[0].mark
    assert mark is not None
    assert (mark.kind, mark.date, mark.day) == ("front-matter", StoryDate(2023, 3, 8), 2)
    assert mark.span == Span("manuscript/03-the-ferry.md", 3)
    assert mark.text == "date: 2023-03-08; day: 2"


def test_sources_are_the_text_as_written_without_front_matter():
    text = (CASES / "03-the-ferry.md").read_text(encoding="utf-8")
    chapters = _parse("03-the-ferry.md")
    body = text.split("---\n", 2)[2]
    assert "".join(c.source for c in chapters) == body
    assert chapters[1].source.startswith("# DAY 3 – The Funeral\n")
    assert chapters[2].source == "# Afterwards #\n\nEverything was quiet.\n"


def test_passages_split_at_inline_markers_not_in_code():
    funeral = _parse("03-the-ferry.md")[1]
    marks = [p.mark for p in funeral.passages]
    assert [(m.kind, m.text) for m in marks] == [
        ("heading", "DAY 3"),
        ("inline", "Friday, 10 March – DAY 4"),
        ("inline", "11 March"),
    ]
    assert marks[0].span == Span("manuscript/03-the-ferry.md", 12, 3)
    assert marks[1].span == Span("manuscript/03-the-ferry.md", 17, 4)
    assert [p.span.line for p in funeral.passages] == [12, 17, 26]
    code = funeral.passages[1].paragraphs[1]
    assert code.text.startswith("```") and code.text.endswith("```")
    assert code.span.line == 20


def test_paragraphs_are_blank_line_blocks_with_their_first_line():
    funeral = _parse("03-the-ferry.md")[1]
    first = funeral.passages[0].paragraphs
    assert [(p.span.line, p.text) for p in first] == [
        (14, ("It rained on the [church](https://example.org/church) roof.\n<!-- a note to self: check the hymn -->")),
    ]
    # "## 11 March" is a block of its own even with text after it on the next line.
    last = funeral.passages[2].paragraphs
    assert [p.span.line for p in last] == [26, 28]


def test_word_counts_skip_markup_comments_code_and_links_targets():
    first, funeral, after = _parse("03-the-ferry.md")
    assert first.words == 7  # The gulls came first before the land
    assert funeral.passages[0].words == 6  # It rained on the church roof
    # On Friday 10 March DAY 4 the will was read / Nobody spoke; the code block counts nothing.
    assert funeral.passages[1].words == 12
    assert funeral.passages[2].words == 6  # 11 March / She sold the house (no alt text)
    assert after.words == 3


def test_count_words_rules():
    assert count_words("Don't stop – well-known *words*, _here_.") == 5
    assert count_words("<!-- hidden words -->") == 0
    assert count_words("![alt text](a.png) [link text](http://x.org/y)") == 2
    assert count_words("<span>tagged</span> words") == 2


def test_title_from_file_name_when_no_heading_and_no_title():
    chapters = _parse("07_the_long_night.md")
    assert len(chapters) == 1
    assert chapters[0].title == "The Long Night"
    assert chapters[0].span == Span("manuscript/07_the_long_night.md", 1)
    assert chapters[0].words == 8


def test_file_starting_with_heading_has_no_preamble_chapter():
    chapters = _parse("plain.md")
    assert [c.title for c in chapters] == ["Only Chapter"]
    assert chapters[0].passages[0].mark is None
    assert chapters[0].words == 3


def test_heading_mark_wins_over_front_matter():
    text = "---\ndate: 2023-03-07\n---\n# DAY 5\n\nText.\n"
    (chapter,) = parse_chapters("manuscript/x.md", text)
    assert chapter.passages[0].mark.text == "DAY 5"
    assert chapter.front.date == "2023-03-07"


def test_first_paragraph_marker_marks_the_first_passage():
    (chapter,) = parse_chapters("manuscript/x.md", "# Rain\n\nOn 9 March it rained.\n\nMore.\n")
    assert len(chapter.passages) == 1
    assert chapter.passages[0].mark.text == "9 March"
    assert len(chapter.passages[0].paragraphs) == 2


def test_heading_mark_then_marked_paragraph_keeps_both():
    (chapter,) = parse_chapters("manuscript/x.md", "# DAY 2\n\nOn 9 March – DAY 3 – it rained.\n")
    assert [p.mark.text for p in chapter.passages] == ["DAY 2", "9 March – DAY 3"]
    assert chapter.passages[0].words == 0


def test_marker_inside_html_comment_is_ignored():
    (chapter,) = parse_chapters("manuscript/x.md", "# A\n\nText.\n\n<!-- 9 March – DAY 3 -->\n")
    assert len(chapter.passages) == 1


def test_front_matter_date_written_as_words_and_flashback():
    text = "---\ndate: Friday, 10 March 2023\nflashback: true\n---\nText.\n"
    (chapter,) = parse_chapters("manuscript/x.md", text)
    assert chapter.front.flashback is True
    mark = chapter.passages[0].mark
    assert (mark.date, mark.weekday, mark.span.line) == (StoryDate(2023, 3, 10), 4, 2)


def test_front_matter_impossible_date_kept_for_the_check():
    (chapter,) = parse_chapters("manuscript/x.md", "---\ndate: 2023-02-30\n---\nText.\n")
    assert chapter.passages[0].mark.date == StoryDate(2023, 2, 30)


def test_empty_file_gives_one_empty_chapter():
    (chapter,) = parse_chapters("manuscript/04-later.md", "")
    assert (chapter.title, chapter.words, chapter.source) == ("Later", 0, "")


def test_crlf_lines():
    chapters = parse_chapters("manuscript/x.md", "# One\r\n\r\nA b.\r\n\r\n# Two\r\n\r\nC.\r\n")
    assert [c.title for c in chapters] == ["One", "Two"]
    assert chapters[0].passages[0].paragraphs[0].text == "A b."


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("broken-yaml.md", 3, "invalid YAML"),
        ("wrong-day.md", 3, "'day' must be a whole number"),
        ("list-front.md", 2, "must be a mapping"),
        ("unclosed.md", 1, "never closed"),
        ("bad-date.md", 2, "'date' must be a date"),
    ],
)
def test_bad_front_matter_is_an_error_on_its_line(name: str, line: int, words: str):
    with pytest.raises(FabulaError) as caught:
        _parse(name)
    assert caught.value.span == Span(f"manuscript/{name}", line)
    assert words in caught.value.message


# ---------------------------------------------------------------- property: nothing lost, no crash

LINE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40),
    st.sampled_from(
        [
            "",
            "---",
            "# DAY 3 — Thursday, 9 March 2023",
            "# Chapter",
            "*10 March.* Rain.",
            "```",
            "DAY 4 – 11 March –",
            "title: x",
            "date: 2023-02-30",
            "day: nine",
            "<!-- note -->",
            "> quote",
            "## Part",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=25))
def test_any_text_gives_chapters_or_a_clean_error_and_loses_no_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        chapters = parse_chapters("manuscript/x.md", text)
    except FabulaError as error:
        assert error.span is not None and error.span.path == "manuscript/x.md"
        assert 1 <= error.span.line <= max(1, len(lines))
        return
    assert chapters
    body = "".join(chapter.source for chapter in chapters)
    assert text.endswith(body)  # the chapters hold the text after the front matter, in order
    kept = {
        line.strip()
        for chapter in chapters
        for p in chapter.passages
        for para in p.paragraphs
        for line in para.text.splitlines()
    }
    headings = {chapter.span.line for chapter in chapters}
    start = len(text.splitlines()) - len(body.splitlines())
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        if line.strip() and number not in headings:
            assert line.strip() in kept, f"line {number} lost: {line!r}"
