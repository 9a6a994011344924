"""build_outline: days in story order, chapters before scenes, gaps, undated material, summaries."""

from __future__ import annotations

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
    Section,
    Span,
    StoryDate,
    StoryDay,
    Synopsis,
    Timeline,
)
from toolkit.resolve.outline import OutlineDay, OutlineGap

BIBLE = (
    Character(Span("characters.yaml", 1), "Margot Keller", aliases=("Margot",)),
    Character(Span("characters.yaml", 4), "Jo Adeyemi", aliases=("Jo",)),
)


def day(number: int | None, year: int | None = None, month: int = 0, dom: int = 0) -> StoryDay:
    return StoryDay(number, StoryDate(year, month, dom) if month else None)


def chapter(path: str, title: str, *passage_texts: str, summary: str | None = None) -> Chapter:
    passages = tuple(
        Passage(Span(path, 3 + 10 * i), None, (Paragraph(Span(path, 4 + 10 * i), text),), len(text.split()))
        for i, text in enumerate(passage_texts)
    )
    return Chapter(Span(path, 1), title, FrontMatter(title=title, summary=summary), passages)


def scene(line: int, heading: str, *elements) -> Scene:
    span = Span("screenplay/one.fountain", line)
    return Scene(span, SceneHeading(span, (Run(heading),)), tuple(elements))


def said(name: str, line: int) -> Dialogue:
    span = Span("screenplay/one.fountain", line)
    return Dialogue(span, name, name, (DialogueLine(span, (Run("Yes."),)),))


def on_chapter(chap: Chapter, index: int, when: StoryDay | None) -> Placement:
    passage = chap.passages[index]
    return Placement(passage.span, "chapter", chap.title, passage.words, chap, passage, None, None, when)


def on_scene(shot: Scene, when: StoryDay | None, words: int = 10) -> Placement:
    return Placement(shot.span, "scene", shot.title, words, None, None, shot, None, when)


def project(chapters=(), scenes=()) -> Project:
    screenplay = Screenplay(("screenplay/one.fountain",), (), (), tuple(scenes)) if scenes else None
    return Project("/p", tuple(chapters), screenplay, BIBLE)


def timeline(*placements: Placement, marks: tuple[ResolvedMark, ...] = ()) -> Timeline:
    return Timeline(None, placements, marks)


def test_days_in_story_order_with_chapters_before_scenes():
    one = chapter("manuscript/01.md", "One", "Margot wakes.", "Jo arrives late.")
    two = chapter("manuscript/02.md", "Two", "Earlier, Jo packs.")
    shot = scene(5, "INT. FLAT - DAY", said("MARGOT", 7))
    placements = (
        on_chapter(one, 0, day(2)),
        on_chapter(one, 1, day(3)),
        on_chapter(two, 0, day(1)),
        on_scene(shot, day(2)),
    )
    # The timeline lists scenes after chapters, but put a scene first to prove the outline sorts.
    outline = build_outline(project((one, two), (shot,)), timeline(placements[3], *placements[:3]), "T")
    assert [row.day.number for row in outline.rows] == [1, 2, 3]
    day_two = outline.rows[1]
    assert [(e.kind, e.location) for e in day_two.entries] == [
        ("chapter", "manuscript/01.md:3"),
        ("scene", "screenplay/one.fountain:5"),
    ]
    assert day_two.characters == ("Margot Keller",)
    assert day_two.words == 2 + 10
    assert outline.characters == ("Jo Adeyemi", "Margot Keller")
    assert outline.words == 2 + 3 + 3 + 10


def test_gap_rows_cover_missing_day_numbers_and_carry_dates():
    one = chapter("manuscript/01.md", "One", "a", "b", "c")
    outline = build_outline(
        project((one,)),
        timeline(
            on_chapter(one, 0, day(1, 2022, 12, 30)),
            on_chapter(one, 1, day(3, 2023, 1, 1)),
            on_chapter(one, 2, day(40, 2023, 2, 7)),
        ),
        "T",
    )
    kinds = [type(row).__name__ for row in outline.rows]
    assert kinds == ["OutlineDay", "OutlineGap", "OutlineDay", "OutlineGap", "OutlineDay"]
    assert outline.rows[1] == OutlineGap(day(2, 2022, 12, 31), day(2, 2022, 12, 31))
    assert outline.rows[1].label == "DAY 2"
    assert outline.rows[3].label == "DAY 4–39"
    assert outline.rows[3].last == day(39, 2023, 2, 6)
    assert outline.rows[2].label == "DAY 3 — Sunday, 1 January 2023"


def test_dates_only_sort_across_the_new_year_and_gap_by_date():
    one = chapter("manuscript/01.md", "One", "a", "b", "c")
    outline = build_outline(
        project((one,)),
        timeline(
            on_chapter(one, 0, day(None, 2023, 1, 2)),
            on_chapter(one, 1, day(None, 2022, 12, 30)),
            on_chapter(one, 2, day(None, 2023, 1, 3)),
        ),
        "T",
    )
    assert [row.label for row in outline.rows] == [
        "Friday, 30 December 2022",
        "31 December 2022 – 1 January 2023",
        "Monday, 2 January 2023",
        "Tuesday, 3 January 2023",
    ]


def test_yearless_dates_gap_without_inventing_29_february():
    one = chapter("manuscript/01.md", "One", "a", "b", "c")
    outline = build_outline(
        project((one,)),
        timeline(
            on_chapter(one, 0, day(None, None, 2, 27)),
            on_chapter(one, 1, day(None, None, 3, 1)),
            on_chapter(one, 2, day(None, None, 3, 2)),
        ),
        "T",
    )
    assert [row.label for row in outline.rows] == ["27 February", "28 February", "1 March", "2 March"]
    assert isinstance(outline.rows[1], OutlineGap) and outline.rows[1].first.date == StoryDate(None, 2, 28)


def test_yearless_weekday_comes_from_the_marker_as_written():
    one = chapter("manuscript/01.md", "One", "a")
    when = day(1, None, 3, 9)
    mark = DayMark(Span("manuscript/01.md", 3), "Thursday, 9 March", "heading", StoryDate(None, 3, 9), 3)
    outline = build_outline(
        project((one,)),
        timeline(
            on_chapter(one, 0, when),
            marks=(ResolvedMark(mark, when),),
        ),
        "T",
    )
    only = outline.rows[0]
    assert isinstance(only, OutlineDay) and only.weekday == "Thursday"
    assert only.label == "DAY 1 — Thursday, 9 March"


def test_undated_material_is_kept_in_reading_order():
    one = chapter("manuscript/01.md", "One", "Jo sighs.", "Margot sleeps.")
    shot = scene(1, "EXT. ROOF - NIGHT", Action(Span("screenplay/one.fountain", 2), ((Run("Jo smokes."),),)))
    outline = build_outline(
        project((one,), (shot,)),
        timeline(
            on_chapter(one, 0, None),
            on_chapter(one, 1, day(5)),
            on_scene(shot, StoryDay(None, None)),
        ),
        "T",
    )
    assert [row.day.number for row in outline.rows] == [5]
    assert [(e.location, e.characters) for e in outline.undated] == [
        ("manuscript/01.md:3", ("Jo Adeyemi",)),
        ("screenplay/one.fountain:1", ("Jo Adeyemi",)),
    ]
    assert outline.characters == ("Margot Keller", "Jo Adeyemi")
    assert outline.words == 2 + 2 + 10


def test_summaries_from_front_matter_once_and_from_synopses():
    one = chapter("manuscript/01.md", "One", "a", "b", summary="Margot meets Jo.")
    mark = DayMark(Span("screenplay/one.fountain", 2), "DAY 2", "heading", None, None, 2)
    shot = scene(
        1,
        "INT. CAFE - DAY",
        Synopsis(Span("screenplay/one.fountain", 2), "DAY 2", mark),
        Synopsis(Span("screenplay/one.fountain", 3), "Jo orders."),
        Synopsis(Span("screenplay/one.fountain", 4), "Margot pays."),
    )
    bare = scene(9, "INT. CAR - DAY", Synopsis(Span("screenplay/one.fountain", 10), "DAY 2", mark))
    outline = build_outline(
        project((one,), (shot, bare)),
        timeline(
            on_chapter(one, 0, day(1)),
            on_chapter(one, 1, day(2)),
            on_scene(shot, day(2)),
            on_scene(bare, day(2)),
        ),
        "T",
    )
    first, second = outline.rows
    assert first.entries[0].summary == "Margot meets Jo."
    assert [e.summary for e in second.entries] == [None, "Jo orders. Margot pays.", None]


def test_empty_timeline():
    outline = build_outline(project(), timeline(), "Nothing yet")
    assert (outline.rows, outline.undated, outline.characters, outline.words) == ((), (), (), 0)


def test_gap_labels_by_date_share_month_and_year_where_they_can():
    assert OutlineGap(day(None, 2023, 3, 11), day(None, 2023, 3, 12)).label == "11–12 March 2023"
    assert OutlineGap(day(None, 2023, 1, 31), day(None, 2023, 2, 1)).label == "31 January – 1 February 2023"
    assert OutlineGap(day(None, None, 1, 31), day(None, None, 2, 1)).label == "31 January – 1 February"
    assert OutlineGap(day(13), day(49)).label == "DAY 13–49"
    assert OutlineGap(day(13), day(13)).label == "DAY 13"


def test_front_matter_title_and_point_of_view_character():
    path = "manuscript/03.md"
    passages = (
        Passage(Span(path, 9), None, (Paragraph(Span(path, 11), "I watched Margot leave."),), 4),
        Passage(Span(path, 20), None, (Paragraph(Span(path, 22), "Nobody came."),), 2),
    )
    front = FrontMatter(title="Hogmanay", pov="Jo", summary="The year turns.")
    chap = Chapter(Span(path, 9), "DAY 5 — 31 December", front, passages)
    placements = (on_chapter(chap, 0, day(5)), on_chapter(chap, 1, None))
    outline = build_outline(project((chap,)), timeline(*placements), "T")
    entry = outline.rows[0].entries[0]
    assert (entry.title, entry.characters, entry.summary) == (
        "Hogmanay",
        ("Jo Adeyemi", "Margot Keller"),
        "The year turns.",
    )
    assert (outline.undated[0].title, outline.undated[0].characters, outline.undated[0].summary) == (
        "Hogmanay",
        ("Jo Adeyemi",),
        None,
    )


def test_point_of_view_nobody_knows_is_not_invented():
    chap = Chapter(
        Span("manuscript/01.md", 1),
        "One",
        FrontMatter(pov="the house"),
        (Passage(Span("manuscript/01.md", 3), None, (), 0),),
    )
    outline = build_outline(project((chap,)), timeline(on_chapter(chap, 0, day(1))), "T")
    assert outline.rows[0].entries[0].characters == ()


def test_a_synopsis_under_a_section_goes_to_the_scene_it_leads_into():
    at = lambda line: Span("screenplay/one.fountain", line)  # noqa: E731
    first_heading = SceneHeading(at(4), (Run("EXT. PIER - DAY"),))
    second_heading = SceneHeading(at(9), (Run("INT. PUB"),))
    first_action = Action(at(6), ((Run("Rain."),),))
    tail = Synopsis(at(7), "Inside the scene, after its action.")
    section = Section(at(1), "DAY 1", 1, DayMark(at(1), "DAY 1", "heading", None, None, 1))
    lead = Synopsis(at(2), "The boat comes in.")
    elements = (section, lead, first_heading, first_action, tail, second_heading)
    pier = Scene(at(4), first_heading, (first_heading, first_action, tail), section.mark)
    pub = Scene(at(9), second_heading, (second_heading,), section.mark)
    proj = Project("/p", (), Screenplay(("screenplay/one.fountain",), (), elements, (pier, pub)), BIBLE)
    outline = build_outline(proj, timeline(on_scene(pier, day(1)), on_scene(pub, day(1))), "T")
    assert [e.summary for e in outline.rows[0].entries] == [
        "The boat comes in. Inside the scene, after its action.",
        None,
    ]


def test_year_less_story_across_new_year_keeps_story_order_and_its_gap() -> None:
    dec = day(None, None, 12, 30)
    jan = StoryDay(None, StoryDate(None, 1, 2, cycle=1))
    one = chapter("manuscript/1.md", "One", "Margot waits.", "Jo comes back.")
    timeline = Timeline(None, (on_chapter(one, 1, jan), on_chapter(one, 0, dec)), ())
    outline = build_outline(project([one]), timeline, "T")
    assert [row.label for row in outline.rows] == ["30 December", "31 December – 1 January", "2 January"]
