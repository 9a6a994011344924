"""Outline as Markdown, HTML and JSON: golden files, well-formed self-contained HTML, escaping."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import ClassVar

import pytest

from tests.conftest import outline_of as build_outline
from tests.conftest import paragraph as Paragraph
from toolkit.model import (
    Action,
    Chapter,
    Character,
    DayMark,
    Dialogue,
    DialogueLine,
    FrontMatter,
    Passage,
    Placement,
    Project,
    ResolvedMark,
    Run,
    Scene,
    SceneHeading,
    Screenplay,
    Span,
    StoryDate,
    StoryDay,
    Synopsis,
    Timeline,
)
from toolkit.render.outline import render_outline_html, render_outline_json, render_outline_markdown
from toolkit.resolve.outline import Outline

BIBLE = (
    Character(Span("characters.yaml", 1), "Margot Keller", aliases=("Margot",)),
    Character(Span("characters.yaml", 4), "Jo Adeyemi", aliases=("Jo",)),
    Character(Span("characters.yaml", 7), "Ruth", cue="RUTH"),
)


def chapter(path: str, title: str, texts: tuple[str, ...], summary: str | None = None) -> Chapter:
    passages = tuple(
        Passage(Span(path, 3 + 20 * i), None, (Paragraph(Span(path, 5 + 20 * i), text),), len(text.split()))
        for i, text in enumerate(texts)
    )
    return Chapter(Span(path, 1), title, FrontMatter(title=title, summary=summary), passages)


def scene(line: int, heading: str, *elements) -> Scene:
    span = Span("screenplay/winter.fountain", line)
    return Scene(span, SceneHeading(span, (Run(heading),)), tuple(elements))


def act(line: int, text: str) -> Action:
    return Action(Span("screenplay/winter.fountain", line), ((Run(text),),))


def said(line: int, name: str, text: str) -> Dialogue:
    span = Span("screenplay/winter.fountain", line)
    return Dialogue(span, name, name.split(" (")[0], (DialogueLine(span, (Run(text),)),))


def passage_at(chap: Chapter, index: int, day: StoryDay | None) -> Placement:
    passage = chap.passages[index]
    return Placement(passage.span, "chapter", chap.title, passage.words, chap, passage, None, None, day)


def scene_at(shot: Scene, words: int, day: StoryDay | None) -> Placement:
    return Placement(shot.span, "scene", shot.title, words, None, None, shot, None, day)


def dated_outline() -> Outline:
    """A story across the new year (DAY 1 = Friday 30 December 2022), a gap, undated material."""
    one = chapter(
        "manuscript/01-arrival.md",
        "Arrival",
        (
            "Margot carries her case up four flights. Jo is not there.",
            "By New Year's Eve, Jo's note is still on the table.",
        ),
        summary="Margot moves into Jo's empty flat.",
    )
    two = chapter(
        "manuscript/02-letters.md",
        "Letters <unsent> & kept",
        (
            "Ruth reads the letters aloud.",
            "Nobody writes back.",
        ),
    )
    roof = scene(
        12,
        "EXT. ROOF <NEON SIGN> - NIGHT",
        Synopsis(Span("screenplay/winter.fountain", 13), "Fireworks; Jo finally calls."),
        act(15, "MARGOT watches the fireworks alone."),
        said(17, "JO (V.O.)", "Happy new year, Margot."),
    )
    cafe = scene(
        30,
        "INT. CAFE - DAY",
        said(32, "WAITER", "Table for one?"),
        act(34, "Ruth waves from the back."),
    )
    stray = scene(50, "INT. STAIRWELL - NIGHT", act(51, "Footsteps. RUTH, on the stairs."))
    day = {
        1: StoryDay(1, StoryDate(2022, 12, 30)),
        2: StoryDay(2, StoryDate(2022, 12, 31)),
        3: StoryDay(3, StoryDate(2023, 1, 1)),
        6: StoryDay(6, StoryDate(2023, 1, 4)),
    }
    screenplay = Screenplay(("screenplay/winter.fountain",), (), (), (roof, cafe, stray))
    project = Project("/p", (one, two), screenplay, BIBLE)
    timeline = Timeline(
        None,
        (
            passage_at(one, 0, day[1]),
            passage_at(one, 1, day[2]),
            passage_at(two, 0, day[6]),
            passage_at(two, 1, None),
            scene_at(roof, 42, day[3]),
            scene_at(cafe, 17, day[6]),
            scene_at(stray, 3, None),
        ),
        (),
    )
    return build_outline(project, timeline, "The Winter <Flat> & Co.")


def yearless_outline() -> Outline:
    """Dates without a year or DAY numbers: weekdays as the markers write them, a gap by dates."""
    one = chapter("manuscript/01.md", "Thursday", ("Margot finds the key.",))
    two = chapter("manuscript/02.md", "Friday", ("Jo changes the lock.",))
    three = chapter("manuscript/03.md", "Monday", ("Margot and Jo do not speak.",), summary="Silence.")
    thursday = StoryDay(None, StoryDate(None, 3, 9))
    marker = DayMark(Span("manuscript/01.md", 3), "Thursday, 9 March", "heading", StoryDate(None, 3, 9), 3)
    project = Project("/p", (one, two, three), None, BIBLE)
    timeline = Timeline(
        None,
        (
            passage_at(one, 0, thursday),
            passage_at(two, 0, StoryDay(None, StoryDate(None, 3, 10))),
            passage_at(three, 0, StoryDay(None, StoryDate(None, 3, 13))),
        ),
        (ResolvedMark(marker, thursday),),
    )
    return build_outline(project, timeline, "Spring")


CASES = {"dated": dated_outline, "yearless": yearless_outline}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_markdown(case, golden):
    golden(f"outline/{case}.md", render_outline_markdown(CASES[case]()))


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_html(case, golden):
    golden(f"outline/{case}.html", render_outline_html(CASES[case]()))


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_json(case, golden):
    golden(f"outline/{case}.json", render_outline_json(CASES[case]()))


def test_markdown_has_a_heading_per_day_gap_lines_and_undated():
    text = render_outline_markdown(dated_outline())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## DAY 1 — Friday, 30 December 2022",
        "## DAY 2 — Saturday, 31 December 2022",
        "## DAY 3 — Sunday, 1 January 2023",
        "## DAY 6 — Wednesday, 4 January 2023",
        "## Undated",
    ]
    assert "*DAY 4–5: nothing*" in text.splitlines()
    assert "`manuscript/02-letters.md:23`" in text.split("## Undated")[1]
    assert "Summary: Margot moves into Jo's empty flat." in text
    assert text.endswith("\n") and not text.endswith("\n\n")


class WellFormed(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "br", "hr", "img", "link", "input", "wbr", "col", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.cells: list[list[str]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
        if tag == "tr":
            self.cells.append([])
        if tag in ("td", "th"):
            self._text = []

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'} at {self.getpos()}")
        else:
            self.open.pop()
        if tag in ("td", "th") and self._text is not None and self.cells:
            self.cells[-1].append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


@pytest.mark.parametrize("case", sorted(CASES))
def test_html_is_well_formed_and_self_contained(case):
    page = render_outline_html(CASES[case]())
    parser = WellFormed()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.open == []
    assert "http" not in page.lower()
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert '<meta name="viewport"' in page


def test_html_escapes_titles():
    page = render_outline_html(dated_outline())
    assert "<Flat>" not in page and "&lt;Flat&gt; &amp; Co." in page
    assert "Letters &lt;unsent&gt; &amp; kept" in page and "<unsent>" not in page
    assert "EXT. ROOF &lt;NEON SIGN&gt; - NIGHT" in page


def test_html_grid_marks_who_is_present_each_day():
    parser = WellFormed()
    parser.feed(render_outline_html(dated_outline()))
    grid = {row[0]: row[1:] for row in parser.cells}
    assert grid["Character"] == ["DAY 1", "DAY 2", "DAY 3", "DAY 6", "Undated"]
    assert grid["Margot Keller"] == ["●", "", "●", "", ""]
    assert grid["Jo Adeyemi"] == ["●", "●", "●", "", ""]
    assert grid["Ruth"] == ["", "", "", "●", "●"]
    assert grid["Waiter"] == ["", "", "", "●", ""]


def test_json_dates_are_iso_and_yearless_dates_have_no_year():
    dated = json.loads(render_outline_json(dated_outline()))
    assert [row.get("date") for row in dated["rows"]] == [
        "2022-12-30",
        "2022-12-31",
        "2023-01-01",
        None,
        "2023-01-04",
    ]
    assert dated["rows"][3] == {
        "type": "gap",
        "label": "DAY 4–5",
        "first": {"number": 4, "date": "2023-01-02"},
        "last": {"number": 5, "date": "2023-01-03"},
    }
    assert [entry["location"] for entry in dated["undated"]] == [
        "manuscript/02-letters.md:23",
        "screenplay/winter.fountain:50",
    ]
    yearless = json.loads(render_outline_json(yearless_outline()))
    dates = [(row["type"], row["first"]["date"] if row["type"] == "gap" else row["date"]) for row in yearless["rows"]]
    assert dates == [("day", "--03-09"), ("day", "--03-10"), ("gap", "--03-11"), ("day", "--03-13")]
    assert yearless["rows"][0]["weekday"] == "Thursday" and yearless["rows"][1]["weekday"] is None


def test_output_is_deterministic():
    assert render_outline_html(dated_outline()) == render_outline_html(dated_outline())
    assert render_outline_json(dated_outline()) == render_outline_json(dated_outline())


def test_an_empty_outline_renders_in_every_format():
    empty = build_outline(Project("/p", (), None, ()), Timeline(None, (), ()), "Blank")
    assert render_outline_markdown(empty) == (
        "# Blank\n\nDay-by-day outline: 0 story days, 0 words.\n\nCharacters: nobody named\n"
    )
    page = render_outline_html(empty)
    assert "<table" not in page and "<h1>Blank</h1>" in page
    assert json.loads(render_outline_json(empty)) == {
        "title": "Blank",
        "words": 0,
        "characters": [],
        "rows": [],
        "undated": [],
    }
