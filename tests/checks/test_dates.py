"""Date checks D102-D104: loud on wrong dates, quiet on a consistent story."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.checks.dates import check_dates
from toolkit.config import CalendarConfig, Config
from toolkit.diagnostics import Diagnostic
from toolkit.loader import load_project
from toolkit.model import Project, Span
from toolkit.parsers.markdown import parse_chapters
from toolkit.resolve import resolve

PROSE = Path(__file__).resolve().parent.parent / "fixtures" / "prose"


def _check_case(case: str, config: Config | None = None) -> list[Diagnostic]:
    config = config or Config()
    return list(check_dates(resolve(load_project(PROSE / case), config)))


def _check_text(text: str, config: Config | None = None) -> list[Diagnostic]:
    config = config or Config()
    project = Project(root=".", chapters=parse_chapters("manuscript/01.md", text), screenplay=None)
    return list(check_dates(resolve(project, config)))


def test_consistent_story_is_quiet():
    assert _check_case("consistent") == []


def test_boundary_fixtures_are_quiet():
    assert _check_case("new-year") == []
    assert _check_case("month-end") == []
    # The year-less fixture ends on DAY 2 after DAY 5: only the order rule speaks, once.
    assert [d.format() for d in _check_case("no-years")] == [
        (
            "manuscript/01-yearless.md:13:3: D101 'DAY 2' (31 December – DAY 2) is earlier than "
            "'Monday, 3 January – DAY 5' before it (line 9); if this is a flashback, mark it "
            "(front matter 'flashback: true' or a [[flashback]] note)"
        )
    ]


def test_wrong_dates_each_reported_once_with_place_and_code():
    assert [d.format() for d in _check_case("wrong-dates")] == [
        (
            "manuscript/01-wrong.md:5:1: D101 'Saturday, 5 March 2023' (Sunday, 5 March 2023 – DAY -1) is "
            "earlier than 'DAY 1 – 7 March 2023' before it (line 1); if this is a flashback, mark it "
            "(front matter 'flashback: true' or a [[flashback]] note)"
        ),
        (
            "manuscript/01-wrong.md:5:1: D102 5 March 2023 is a Sunday, but the text says Saturday "
            "('Saturday, 5 March 2023')"
        ),
        (
            "manuscript/01-wrong.md:7:4: D103 DAY 4 is 10 March 2023 by the calendar (day one 2023-03-07), "
            "but the text says 11 March 2023"
        ),
        (
            "manuscript/01-wrong.md:9:3: D104 30 February 2023 is not a date: February 2023 has 28 days "
            "('30 February 2023')"
        ),
    ]
    assert {d.severity for d in _check_case("wrong-dates")} == {"error"}


def test_weekday_of_an_inferred_year_says_so():
    found = _check_text("# 1 May 2023\n\nA.\n\n# Monday, 3 May\n\nB.\n")
    assert [(d.code, d.span) for d in found] == [("D102", Span("manuscript/01.md", 5, 3))]
    assert "3 May 2023 is a Wednesday, but the text says Monday" in found[0].message
    assert "year 2023 inferred" in found[0].message


def test_weekday_without_any_year_is_not_checked():
    assert _check_text("# Monday, 3 May\n\nB.\n") == []


def test_weekday_checked_against_config_year():
    found = _check_text("# Monday, 3 May\n\nB.\n", Config(calendar=CalendarConfig(year=2023)))
    assert [d.code for d in found] == ["D102"]


def test_day_number_against_config_day_one():
    config = Config(calendar=CalendarConfig(day_one=dt.date(2023, 3, 7)))
    found = _check_text("# DAY 1 – 8 March 2023\n\nA.\n", config)
    assert [d.message for d in found] == [
        "DAY 1 is 7 March 2023 by the calendar (day one 2023-03-07), but the text says 8 March 2023",
    ]


def test_day_number_in_a_year_less_story():
    found = _check_text("# 30 December (DAY 1)\n\nA.\n\n# DAY 4 – 3 January\n\nB.\n")
    assert [d.message for d in found] == [
        "DAY 4 is 2 January by the calendar (day one --12-30), but the text says 3 January",
    ]


def test_front_matter_impossible_date():
    found = _check_text("---\ndate: 2023-02-29\n---\nText.\n")
    assert [(d.code, d.span.line) for d in found] == [("D104", 2)]


def test_year_less_29_february_is_impossible_once_the_year_is_common():
    found = _check_text("# 1 February 2023\n\nA.\n\n# 29 February\n\nB.\n")
    assert [d.code for d in found] == ["D104"]
    assert "February 2023 has 28 days" in found[0].message
    assert _check_text("# 1 February 2024\n\nA.\n\n# 29 February\n\nB.\n") == []


def test_diagnostics_sort_by_place_then_code():
    found = sorted(_check_case("wrong-dates"), reverse=True)
    assert [d.code for d in sorted(found)] == ["D101", "D102", "D103", "D104"]


def test_year_less_30_february_is_never_a_date():
    found = _check_text("# 30 February\n\nA.\n")
    assert [d.message for d in found] == ["30 February is not a date: February has at most 29 days ('30 February')"]


def test_a_typo_in_the_year_is_one_finding_even_with_year_less_dates_after_it():
    """The year-less dates after "2032" take 2032 from it; only the typo is reported."""
    found = _check_text(
        "# Friday, 24 March 2023\n\nA.\n\n# Saturday, 25 March 2032\n\nB.\n\n"
        "*Sunday, 26 March.* C.\n\n# Monday, 27 March 2023\n\nD.\n\n*Tuesday, 28 March.* E.\n"
    )
    assert [(d.span.line, d.code) for d in found] == [(5, "D105")]
    assert found[0].message.endswith("did you mean 2023?")


def test_a_story_that_moves_on_a_year_is_not_out_of_span():
    found = _check_text("# 1 May 2023\n\nA.\n\n# 2 May 2023\n\nB.\n\n# 3 May 2024\n\nC.\n\n# 4 May 2024\n\nD.\n")
    assert found == []
