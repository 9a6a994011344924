"""Markdown chapters: front matter, chapter headings, paragraphs, passages, word counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import FabulaError
from toolkit.model import BlockKind, FrontMatter, Span, StoryDate
from toolkit.parsers.markdown import parse_chapters, read_inline, split_lines
from toolkit.words import count_words

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


def test_blocks_have_their_kind_lines_and_markdown():
    chapters = _parse("03-the-ferry.md")
    assert chapters[0].heading is None
    assert [(c.heading.span.line, c.heading.level, c.heading.title) for c in chapters[1:]] == [
        (12, 1, "DAY 3 – The Funeral"),
        (31, 1, "Afterwards"),
    ]
    assert chapters[2].heading.markdown == "# Afterwards"  # the closing hashes are not the title
    blocks = chapters[1].blocks
    assert [(b.span.line, b.last_line, b.kind) for b in blocks] == [
        (14, 14, BlockKind.PARAGRAPH),
        (15, 15, BlockKind.COMMENT),
        (17, 18, BlockKind.PARAGRAPH),
        (20, 24, BlockKind.CODE),
        (26, 26, BlockKind.HEADING),
        (28, 29, BlockKind.PARAGRAPH),
    ]
    assert blocks[1].comments[0].text == " a note to self: check the hymn "
    assert blocks[5].images == ("house.png",)


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
    code = funeral.passages[1].blocks[1]
    assert code.kind is BlockKind.CODE and code.markdown.startswith("```") and code.markdown.endswith("```")
    assert (code.span.line, code.text, code.words) == (20, "", 0)


def test_a_blocks_text_keeps_columns_and_blanks_what_is_not_read():
    funeral = _parse("03-the-ferry.md")[1]
    (paragraph, comment) = funeral.passages[0].blocks
    assert paragraph.markdown == "It rained on the [church](https://example.org/church) roof."
    assert paragraph.text == "It rained on the  church" + " " * len("](https://example.org/church)") + " roof."
    assert (comment.text, comment.words) == ("", 0)
    # "## 11 March" is a block of its own even with text after it on the next line.
    last = funeral.passages[2].blocks
    assert [b.span.line for b in last] == [26, 28]


def test_word_counts_skip_markup_comments_code_and_links_targets():
    first, funeral, after = _parse("03-the-ferry.md")
    assert first.words == 7  # The gulls came first before the land
    assert funeral.passages[0].words == 6  # It rained on the church roof
    # On Friday 10 March DAY 4 the will was read / Nobody spoke; the code block counts nothing.
    assert funeral.passages[1].words == 12
    assert funeral.passages[2].words == 6  # 11 March / She sold the house (no alt text)
    assert after.words == 3


def test_count_words_rules():
    def read(markdown: str) -> str:
        return read_inline(markdown, Span("manuscript/x.md", 1))[0]

    assert count_words("Don't stop – well-known *words*, _here_.") == 5
    assert count_words(read("<!-- hidden words -->")) == 0
    assert count_words(read("![alt text](a.png) [link text](http://x.org/y)")) == 2
    assert count_words(read("<span>tagged</span> words")) == 2
    assert count_words(read("A note.[^1] And [^long-label] more.")) == 4


def test_a_nul_reads_as_the_replacement_character_as_commonmark_says():
    # markdown-it's "normalize" rule is off (the text comes split into lines); the parser does its part.
    chapters = parse_chapters("manuscript/x.md", "# The\0Lamp\n\nA\0line.\r\nAnd more.\r\n")
    assert chapters[0].title == "The\ufffdLamp"
    assert chapters[0].passages[0].blocks[0].markdown == "A\0line.\nAnd more."  # the lines as written


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
    assert len(chapter.passages[0].blocks) == 2


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
    assert (chapter.title, chapter.words, chapter.blocks, chapter.heading) == ("Later", 0, (), None)


def test_crlf_lines():
    chapters = parse_chapters("manuscript/x.md", "# One\r\n\r\nA b.\r\n\r\n# Two\r\n\r\nC.\r\n")
    assert [c.title for c in chapters] == ["One", "Two"]
    assert chapters[0].passages[0].blocks[0].text == "A b."


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


def _front_end(lines: list[str]) -> int:
    """The last line of the front matter (0 without one)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    return next((n for n in range(2, len(lines) + 1) if lines[n - 1].rstrip() in ("---", "...")), 0)


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
    covered: set[int] = set()
    blocks = [block for chapter in chapters for block in (*filter(None, [chapter.heading]), *chapter.blocks)]
    for block in blocks:
        assert block.span.line <= block.last_line
        covered.update(range(block.span.line, block.last_line + 1))
    # Every line after the front matter is in a block, in order, and no block overlaps another.
    lines = split_lines(text)
    body = [n for n, line in enumerate(lines, start=1) if line.strip() and n > _front_end(lines)]
    assert set(body) <= covered, f"lines lost: {sorted(set(body) - covered)}"
    starts = [block.span.line for block in blocks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


# ---------------------------------------------------------------- one parse for every stage


def test_setext_headings_start_chapters_as_atx_ones_do():
    text = "Arrival\n=======\n\nShe came.\n\nDeparture\n=========\n\nShe went.\n\nLater\n-----\n\nGone.\n"
    chapters = parse_chapters("manuscript/x.md", text)
    assert [(c.title, c.span.line) for c in chapters] == [("Arrival", 1), ("Departure", 6)]
    later = chapters[1].blocks[1]
    assert (later.kind, later.level, later.markdown, later.last_line) == (BlockKind.HEADING, 2, "## Later", 12)


def test_a_level_one_heading_inside_a_quote_or_a_fence_is_no_chapter():
    text = "# One\n\n> # Quoted\n\n```\n# Fenced\n```\n\n    # Indented\n\nText.\n"
    one, indented = parse_chapters("manuscript/x.md", text)
    assert [b.kind for b in one.blocks] == [BlockKind.QUOTE, BlockKind.CODE]
    # Indented text is never code: an indented heading is a heading, here a chapter's.
    assert (indented.title, indented.heading.markdown, indented.words) == ("Indented", "# Indented", 1)


LETTER = """\
# The Letter

He opened it on the stairs.

    Dear Tom,
    the ferry is late again and
    nobody says why.

    Yours, Anna

He read it twice.
"""


def test_an_indented_letter_in_flush_prose_is_one_block_quote():
    (chapter,) = parse_chapters("manuscript/x.md", LETTER)
    blocks = chapter.blocks
    assert [(b.kind, b.joined) for b in blocks] == [
        (BlockKind.PARAGRAPH, False),
        (BlockKind.QUOTE, False),
        (BlockKind.QUOTE, True),
        (BlockKind.PARAGRAPH, False),
    ]
    assert blocks[1].markdown == "> Dear Tom,\n> the ferry is late again and\n> nobody says why."
    assert blocks[1].text.startswith("    Dear Tom,")  # columns as written, for findings
    assert chapter.words == 6 + 11 + 2 + 4


def test_a_chapter_indented_throughout_is_ordinary_paragraphs():
    text = "# Habit\n\n\tIt was late.\n\n\tShe waited\n\tand waited.\n\n    He came.\n"
    (chapter,) = parse_chapters("manuscript/x.md", text)
    assert [(b.kind, b.markdown) for b in chapter.blocks] == [
        (BlockKind.PARAGRAPH, "It was late."),
        (BlockKind.PARAGRAPH, "She waited\nand waited."),
        (BlockKind.PARAGRAPH, "He came."),
    ]


@pytest.mark.parametrize("line", ["* * *", "*       *       *", "        *       *       *", "---", "***", "\t* * *"])
def test_spaced_and_indented_asterisks_are_scene_breaks(line: str):
    (chapter,) = parse_chapters("manuscript/x.md", f"# A\n\nOne.\n\n{line}\n\nTwo.\n")
    kinds = [b.kind for b in chapter.blocks]
    assert kinds == [BlockKind.PARAGRAPH, BlockKind.BREAK, BlockKind.PARAGRAPH]
    assert chapter.blocks[1].markdown == "* * *"


def test_footnotes_and_link_definitions_are_kept_as_blocks():
    text = "# A\n\nSee [the map][m].[^1]\n\n[^1]: A note\n    on two lines.\n\n[m]: https://example.org/map\n"
    (chapter,) = parse_chapters("manuscript/x.md", text)
    note, reference = chapter.blocks[1:]
    assert (note.kind, note.label, note.span.line, note.last_line) == (BlockKind.FOOTNOTE, "1", 5, 6)
    assert note.words == 5  # "A note on two lines", not the label
    assert (reference.kind, reference.markdown, reference.words) == (
        BlockKind.REFERENCE,
        "[m]: https://example.org/map",
        0,
    )


def test_raw_html_images_are_found_and_tags_are_not_words():
    text = '# A\n\n<p>One <img src="pics/a.png" alt="x"> two</p>\n\nThree ![b](pics/b.png "Title") four.\n'
    (chapter,) = parse_chapters("manuscript/x.md", text)
    html, paragraph = chapter.blocks
    assert (html.kind, html.images, html.words) == (BlockKind.HTML, ("pics/a.png",), 2)
    assert (paragraph.images, paragraph.words) == (("pics/b.png",), 2)


def test_first_line_indents_and_one_line_indented_paragraphs_are_a_habit():
    wrapped = "# A\n\nFirst paragraph,\nflush.\n\n    Second paragraph,\nwrapped flush.\n"
    one_line = "# B\n\nFirst.\n\n\tSecond.\n\n\tThird.\n"
    for text in (wrapped, one_line):
        (chapter,) = parse_chapters("manuscript/x.md", text)
        assert {b.kind for b in chapter.blocks} == {BlockKind.PARAGRAPH}, text


def test_blocks_made_without_init_equal_blocks_made_with_it():
    from toolkit.model import Block
    from toolkit.parsers.markdown import _new_block

    assert not hasattr(Block, "__post_init__")  # _new_block would skip it
    values = (Span("m.md", 3, 5), BlockKind.QUOTE, "> a", "  a", 1, 0, "", "", True, (), ("i.png",), 4, 1903, None)
    made = _new_block(*values)
    assert made == Block(*values) and hash(made) == hash(Block(*values))
    assert vars(made) == vars(Block(*values)) and list(vars(made)) == list(vars(Block(*values)))
    with pytest.raises(Exception, match="cannot assign"):
        made.__setattr__("words", 2)  # frozen as ever
    with pytest.raises(ValueError):
        _new_block(*values[:-1])  # every field, in order
