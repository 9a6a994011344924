"""The calendar on real-book shapes: languages, quoted and bracketed datelines, ranges, streams,
year headings, nearest-date years, asides and misspelt months (issue 13)."""

from __future__ import annotations

import pytest

from toolkit.checks.dates import check_dates
from toolkit.config import CalendarConfig, Config
from toolkit.model import Project, Span, StoryDate
from toolkit.parsers.documents import document_title, heading_year
from toolkit.parsers.markdown import parse_chapters
from toolkit.parsers.markers import heading_mark, inline_mark
from toolkit.resolve import resolve

AT = Span("m.md", 1)


def _story(*files: tuple[str, str], language: str = "en", config: Config | None = None):
    chapters = tuple(chapter for path, text in files for chapter in parse_chapters(path, text, language))
    return resolve(Project(root=".", chapters=chapters, screenplay=None), config or Config(language=language))


def _dates(story) -> list[str]:
    return [r.day.date.iso() if r.day.date else "-" for r in story.timeline.marks]


def _codes(story) -> list[tuple[int, str]]:
    return [(f.span.line, f.code) for f in check_dates(story)]


@pytest.mark.parametrize(
    ("text", "language", "date", "weekday"),
    [
        ("Samedi 5 mars 2023. Il pleut.", "fr", StoryDate(2023, 3, 5), 5),
        ("8 mai. — Quelle journée admirable !", "fr", StoryDate(None, 5, 8), None),
        ("1er janvier 1900. Neige.", "fr", StoryDate(1900, 1, 1), None),
        ("Am 4. Mai 1771", "de", StoryDate(1771, 5, 4), None),
        ("Montag, den 5. März 1916", "de", StoryDate(1916, 3, 5), 0),
        ("Am 16. Junius", "de", StoryDate(None, 6, 16), None),
        ("Lunes, 9 de marzo de 1916. Llueve.", "es", StoryDate(1916, 3, 9), 0),
        ("Giovedì 1º maggio 1890. Sole.", "it", StoryDate(1890, 5, 1), 3),
        ("Sábado, 3 de maio de 1890.", "pt", StoryDate(1890, 5, 3), 5),
        ("Zaterdag 5 maart 2023. Regen.", "nl", StoryDate(2023, 3, 5), 5),
    ],
)
def test_dates_in_every_language_from_cldr(text: str, language: str, date: StoryDate, weekday: int | None) -> None:
    mark = inline_mark(text, AT, language)
    assert mark is not None and (mark.date, mark.weekday) == (date, weekday)


@pytest.mark.parametrize(("text", "language"), [("JOUR 3", "fr"), ("TAG 3", "de"), ("DÍA 3", "es"), ("DAY 3", "fr")])
def test_day_numbers_in_the_language_and_in_english(text: str, language: str) -> None:
    mark = heading_mark(text, AT, language)
    assert mark is not None and mark.day == 3


def test_english_names_are_not_read_in_a_french_book() -> None:
    assert inline_mark("5 March. Rain.", AT, "fr") is None


@pytest.mark.parametrize(
    ("text", "marker", "until"),
    [
        ("“_12 June._ My dearest Lucy,", "12 June", None),
        ("> “*Tuesday, April 9. Camp.* We marched.", "Tuesday, April 9", None),
        ("(Monday, 14 August) Rain all day.", "Monday, 14 August", None),
        ("14 August (Monday). Rain.", "14 August (Monday)", None),
        ("12–13 June. We rode north.", "12–13 June", StoryDate(None, 6, 13)),
        ("12 June – 3 July. Away.", "12 June – 3 July", StoryDate(None, 7, 3)),
    ],
)
def test_markers_wherever_a_book_puts_them(text: str, marker: str, until: StoryDate | None) -> None:
    mark = inline_mark(text, AT)
    assert mark is not None and (mark.text, mark.until) == (marker, until)


def test_a_date_that_is_a_sentence_subject_is_not_a_marker() -> None:
    assert inline_mark("March 12 was fixed for the wedding.", AT) is None
    assert inline_mark("3 May was her birthday.", AT) is None
    assert inline_mark("On March 3 she wrote to her sister.", AT).form == "sentence"


def test_a_misspelt_month_is_read_and_reported() -> None:
    story = _story(("manuscript/1.md", "# 8 November 1916\n\nA.\n\n*9 Novmber.* B.\n"))
    assert _dates(story) == ["1916-11-08", "1916-11-09"]
    assert _codes(story) == [(5, "D106")]


def test_year_headings_and_document_titles_are_recognised() -> None:
    assert [heading_year(t) for t in ("1903", "Part I — 1903", "Spring 1916", "9 March 1903", "1914–1918")] == [
        1903,
        1903,
        1916,
        None,
        None,
    ]
    assert document_title("Dr. Seward’s Diary.") == "journal: Seward"
    assert document_title("Letter from Miss Mina Murray to Miss Lucy Westenra.") == "letters: Mina Murray"
    assert document_title("Telegram, Arthur Holmwood to Seward.") == "letters: Arthur Holmwood"
    assert document_title("Note, however, that it rained.") is None
    assert document_title("Dr. Seward's diary was lost in the fire.") is None


def test_a_year_heading_gives_its_year_and_the_outline_says_so() -> None:
    story = _story(("manuscript/1.md", "# Part I — 1903\n\nJanuary 3\n\nA.\n\n# Part II — 1904\n\nJanuary 5\n\nB.\n"))
    assert _dates(story) == ["1903-01-03", "1904-01-05"]
    entry = story.outline.days[0].entries[0]
    assert entry.marker is not None and entry.marker.year == "year from the heading"


def test_a_short_step_back_is_a_slip_not_a_new_year() -> None:
    story = _story(("manuscript/1.md", "# 5 September 1916\n\nA.\n\n*6 August.* B.\n\n*7 September.* C.\n"))
    assert _dates(story) == ["1916-09-05", "1916-08-06", "1916-09-07"]
    assert _codes(story) == [(5, "D101")]


def test_a_long_step_back_is_a_new_year_and_marked_inferred() -> None:
    story = _story(("manuscript/1.md", "# 30 December 1916\n\nA.\n\n*2 January.* B.\n"))
    assert _dates(story) == ["1916-12-30", "1917-01-02"]
    assert story.outline.days[1].entries[0].marker.year == "year inferred"
    assert _codes(story) == []


def test_narrators_are_streams_of_their_own() -> None:
    text = (
        "# Chapter VI\n\n## Mina Murray’s Journal.\n\n*24 July.* A.\n\n*1 August.* B.\n\n"
        "## Dr. Seward’s Diary.\n\n*5 June.* C.\n\n*18 June.* D.\n\n## Mina Murray’s Journal.\n\n*3 August.* E.\n"
    )
    story = _story(("manuscript/6.md", text))
    assert [s.name for s in story.streams] == ["journal: Mina Murray", "journal: Seward"]
    assert _dates(story) == ["--07-24", "--08-01", "--08-03", "--06-05", "--06-18"]
    assert _codes(story) == []
    days = [day.day.date.iso() for day in story.outline.days]
    assert days == sorted(days)  # the outline interleaves the streams by date


def test_a_stream_note_and_front_matter_name_a_stream() -> None:
    main = "# 12 May 1916\n\nA.\n\n<!-- fabula: stream Tom -->\n\n*11 May.* Tom's memorandum.\n"
    other = "---\nstream: Anna\n---\n# 10 May\n\nB.\n"
    story = _story(("manuscript/1.md", main), ("manuscript/2.md", other))
    assert sorted(s.name for s in story.streams) == ["Anna", "Tom", "prose"]
    assert _codes(story) == []


def test_a_history_date_in_a_sentence_neither_places_nor_sets_the_year() -> None:
    intro = "# Introduction\n\nOn 3 March 1805 the party wintered at Fort Mandan.\n"
    journal = "# 1911\n\n*Sunday, December 3.* A calm sea.\n"
    story = _story(("manuscript/0.md", intro), ("manuscript/1.md", journal))
    history = story.timeline.marks[0].mark
    assert history in story.calendar.asides
    assert _dates(story)[1] == "1911-12-03"
    assert _codes(story) == []


def test_config_year_overrides_where_the_story_starts() -> None:
    story = _story(("manuscript/1.md", "# 3 December\n\nA.\n"), config=Config(calendar=CalendarConfig(year=1911)))
    assert _dates(story) == ["1911-12-03"]
    assert story.outline.days[0].entries[0].marker.year == "year from fabula.toml"


def test_front_matter_language_and_year_apply_to_the_chapter() -> None:
    text = "---\nlanguage: fr\nyear: 1900\n---\n# Samedi 3 mars\n\nNeige.\n"
    story = _story(("manuscript/1.md", text))
    assert _dates(story) == ["1900-03-03"]
    assert _codes(story) == []  # 3 March 1900 was a Saturday


def test_a_wrong_weekday_in_a_quoted_letter_is_found() -> None:
    text = "# 1916\n\n*4 June.* A.\n\n> “*Tuesday, 4 June.* My dear,\n"
    story = _story(("manuscript/1.md", text))
    assert _codes(story) == [(5, "D102")]  # 4 June 1916 was a Sunday


def test_a_range_spans_its_days_in_the_outline() -> None:
    story = _story(("manuscript/1.md", "# 1916\n\n*12–14 June.* Away.\n\n*15 June.* Home.\n"))
    assert story.outline.days[0].until == StoryDate(1916, 6, 14)
    assert len(story.outline.rows) == 2  # no gap claimed for the days the range spans
