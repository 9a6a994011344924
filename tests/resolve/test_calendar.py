"""Story calendar: years filled in, day one found, every mark and placement on its day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.config import CalendarConfig, Config
from toolkit.loader import load_project
from toolkit.model import Project, StoryDate, StoryDay
from toolkit.parsers.markdown import parse_chapters
from toolkit.resolve import resolve
from toolkit.resolve.timeline import day_sort_key

PROSE = Path(__file__).resolve().parent.parent / "fixtures" / "prose"


def _timeline(case: str, config: Config | None = None):
    return resolve(load_project(PROSE / case), config or Config()).timeline


def _days(timeline) -> list[tuple[str, int | None, str | None]]:
    return [(r.mark.text, r.day.number, r.day.date.iso() if r.day.date else None) for r in timeline.marks]


def _project(text: str) -> Project:
    return Project(root=".", chapters=parse_chapters("manuscript/01.md", text), screenplay=None)


def test_year_boundary_rolls_over_to_the_next_year():
    timeline = _timeline("new-year")
    assert timeline.day_one == dt.date(2023, 12, 28)
    assert _days(timeline) == [
        ("Thursday, 28 December 2023 – DAY 1", 1, "2023-12-28"),
        ("30 December – DAY 3", 3, "2023-12-30"),
        ("1 January", 5, "2024-01-01"),
        ("Wednesday, 3 January", 7, "2024-01-03"),
        ("DAY 8", 8, "2024-01-04"),
    ]


def test_month_boundary_in_a_common_year():
    timeline = _timeline("month-end")
    assert _days(timeline) == [
        ("Tuesday, 28 February 2023 (DAY 1)", 1, "2023-02-28"),
        ("1 March", 2, "2023-03-01"),
        ("DAY 3", 3, "2023-03-02"),
    ]


def test_placements_in_reading_order_chapters_then_scenes():
    timeline = _timeline("consistent")
    assert [(p.kind, p.title, p.day.label() if p.day else None) for p in timeline.placements] == [
        ("chapter", "Arrival", "Tuesday, 7 March 2023 – DAY 1"),
        ("chapter", "Wednesday, 8 March 2023", "Wednesday, 8 March 2023 – DAY 2"),
        ("chapter", "Wednesday, 8 March 2023", "Friday, 10 March 2023 – DAY 4"),
        ("chapter", "12 January", "12 January"),  # a flashback keeps its missing year
        ("chapter", "DAY 6 – The Sale", "Sunday, 12 March 2023 – DAY 6"),
        ("scene", "INT. CHURCH - DAY", "Thursday, 9 March 2023 – DAY 3"),
        ("scene", "EXT. LAWYER'S OFFICE - DAY", "Friday, 10 March 2023 – DAY 4"),
    ]
    church = timeline.placements[5]
    assert church.scene is not None and church.words == 9  # Rain on the roof. He would have hated this.
    assert timeline.placements[0].words == 6


def test_marks_include_front_matter_and_screenplay_sections():
    kinds = [(r.mark.kind, r.mark.span.path) for r in _timeline("consistent").marks]
    assert kinds[0] == ("front-matter", "manuscript/01-arrival.md")
    assert kinds[-2:] == [("heading", "screenplay/01-funeral.fountain")] * 2


def test_story_without_years_stays_year_less_and_wraps_new_year():
    timeline = _timeline("no-years")
    assert timeline.day_one is None
    assert _days(timeline) == [
        ("30 December (DAY 1)", 1, "--12-30"),
        ("2 January", 4, "--01-02"),
        ("Monday, 3 January – DAY 5", 5, "--01-03"),
        ("DAY 2", 2, "--12-31"),
    ]


def test_config_year_fills_a_story_without_years():
    timeline = _timeline("no-years", Config(calendar=CalendarConfig(year=2022)))
    assert timeline.day_one == dt.date(2022, 12, 30)
    assert _days(timeline)[1] == ("2 January", 4, "2023-01-02")


def test_config_day_one_wins_over_the_text():
    timeline = _timeline("month-end", Config(calendar=CalendarConfig(day_one=dt.date(2023, 2, 27))))
    assert timeline.day_one == dt.date(2023, 2, 27)
    # written values stay: DAY 1 is written with 28 February; "1 March" gets its number from the calendar.
    assert _days(timeline) == [
        ("Tuesday, 28 February 2023 (DAY 1)", 1, "2023-02-28"),
        ("1 March", 3, "2023-03-01"),
        ("DAY 3", 3, "2023-03-01"),
    ]


def test_year_less_dates_before_the_first_year_count_back():
    project = _project("# 30 December\n\nA.\n\n# 2 January 2024\n\nB.\n")
    assert resolve(project, Config()).calendar.dates == {
        project.chapters[0].passages[0].mark: StoryDate(2023, 12, 30),
        project.chapters[1].passages[0].mark: StoryDate(2024, 1, 2),
    }


def test_flashback_neither_moves_nor_takes_the_year():
    project = _project("# 10 March 2023\n\nA.\n\n# 12 March\n\nB.\n")
    flash = parse_chapters("manuscript/02.md", "---\nflashback: true\n---\n# 12 January\n\nOld.\n")
    after = parse_chapters("manuscript/03.md", "# 14 March\n\nC.\n")
    project = Project(root=".", chapters=project.chapters + flash + after, screenplay=None)
    dates = [d.iso() for d in resolve(project, Config()).calendar.dates.values()]
    assert dates == ["2023-03-10", "2023-03-12", "--01-12", "2023-03-14"]


def test_screenplay_without_years_takes_the_prose_year():
    timeline = _timeline("consistent")
    lawyer = timeline.placements[-1]
    assert lawyer.mark.date == StoryDate(None, 3, 10)
    assert lawyer.day == StoryDay(4, StoryDate(2023, 3, 10))


def test_day_one_inferred_from_first_mark_with_date_and_day():
    project = _project("# DAY 2\n\nA.\n\n# 9 March 2023\n\nB.\n\n# DAY 5 – 11 March 2023\n\nC.\n")
    timeline = resolve(project, Config()).timeline
    assert timeline.day_one == dt.date(2023, 3, 7)
    assert [r.day for r in timeline.marks] == [
        StoryDay(2, StoryDate(2023, 3, 8)),
        StoryDay(3, StoryDate(2023, 3, 9)),
        StoryDay(5, StoryDate(2023, 3, 11)),
    ]


def test_without_day_one_marks_keep_only_what_they_say():
    project = _project("# DAY 2\n\nA.\n\n# 9 March 2023\n\nB.\n")
    timeline = resolve(project, Config()).timeline
    assert timeline.day_one is None
    assert [r.day for r in timeline.marks] == [StoryDay(2, None), StoryDay(None, StoryDate(2023, 3, 9))]


def test_impossible_date_resolves_by_its_day_number_or_not_at_all():
    project = _project("# DAY 1 – 1 February 2023\n\nA.\n\n# DAY 30 – 30 February\n\nB.\n\n# 31 April\n\nC.\n")
    timeline = resolve(project, Config()).timeline
    assert [r.day for r in timeline.marks] == [
        StoryDay(1, StoryDate(2023, 2, 1)),
        StoryDay(30, StoryDate(2023, 3, 2)),
        StoryDay(None, None),
    ]
    assert timeline.placements[2].day == StoryDay(None, None)


def test_unmarked_chapter_is_undated():
    timeline = resolve(_project("# DAY 1 – 1 May 2023\n\nA.\n\n# Interlude\n\nB.\n"), Config()).timeline
    assert timeline.placements[1].day is None and timeline.placements[1].mark is None


def test_time_of_day_in_scene_headings_is_never_a_day():
    timeline = _timeline("consistent")
    assert all("INT." not in r.mark.text and "EXT." not in r.mark.text for r in timeline.marks)


def test_day_sort_key_orders_by_number_then_date():
    days = [
        StoryDay(None, None),
        StoryDay(None, StoryDate(2023, 1, 2)),
        StoryDay(3, None),
        StoryDay(1, StoryDate(2023, 5, 1)),
        StoryDay(None, StoryDate(None, 1, 1)),
    ]
    assert sorted(days, key=day_sort_key) == [
        StoryDay(1, StoryDate(2023, 5, 1)),
        StoryDay(3, None),
        StoryDay(None, StoryDate(2023, 1, 2)),
        StoryDay(None, StoryDate(None, 1, 1)),  # year-less (a flashback's) after the dated ones
        StoryDay(None, None),
    ]


YEARLESS_NEW_YEAR = """\
# 30 December

Snow on the pier.

*2 January.* The ferry came back.

*5 January.* She left.
"""


def test_a_story_without_years_still_runs_from_december_into_january():
    project = _project(YEARLESS_NEW_YEAR)
    timeline = resolve(project, Config()).timeline
    days = [p.day for p in timeline.placements]
    assert [d.date.iso() for d in days] == ["--12-30", "--01-02", "--01-05"]  # still no year in outputs
    assert [d.date.cycle for d in days] == [0, 1, 1]
    assert sorted(days, key=day_sort_key) == days


def test_year_less_day_numbers_cross_new_year():
    text = "# DAY 1 — 30 December\n\nOne.\n\n*DAY 4.* Four.\n\n*3 January.* Five.\n"
    timeline = resolve(_project(text), Config()).timeline
    assert [(p.day.number, p.day.date.label()) for p in timeline.placements] == [
        (1, "30 December"),
        (4, "2 January"),
        (5, "3 January"),
    ]
