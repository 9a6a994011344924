"""Tests for the Fountain parser: element kinds, spans, notes, scenes, marks, robustness."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.model import (
    Action,
    Dialogue,
    DualDialogue,
    Note,
    Run,
    SceneHeading,
    Screenplay,
    Section,
    Span,
    Synopsis,
    TitleField,
    plain,
)
from toolkit.model import cue_key as cue_name
from toolkit.parsers import fountain
from toolkit.parsers.fountain import parse_screenplay

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fountain"


def parse(*names: str) -> Screenplay:
    return parse_screenplay([(f"screenplay/{name}", (FIXTURES / name).read_text("utf-8")) for name in names])


def text_of(element: object) -> str:
    if isinstance(element, Action):
        return "/".join(plain(line) for line in element.lines)
    if isinstance(element, Dialogue):
        return element.cue + ": " + "/".join(plain(line.text) for line in element.lines)
    if isinstance(element, DualDialogue):
        return text_of(element.left) + " ^ " + text_of(element.right)
    text = getattr(element, "text", "")
    return plain(text) if isinstance(text, tuple) else text


def outline(screenplay: Screenplay) -> list[tuple[str, int, int, str]]:
    """(kind, line, col, text) of every element: the whole parse, readable in an assert."""
    return [(e.kind.value, e.span.line, e.span.col, text_of(e)) for e in screenplay.elements]


# ---------------------------------------------------------------- element kinds and spans


def test_scene_headings_and_what_is_not_one() -> None:
    assert outline(parse("heading.fountain")) == [
        ("heading", 1, 1, "INT. KITCHEN - DAY"),
        ("action", 3, 1, "Margot cooks."),
        ("heading", 5, 1, "EXT. GARDEN - NIGHT"),
        # screenplain: an indented "int." line is action, not a heading.
        ("action", 7, 3, "  int. cellar - day"),
    ]


def test_forced_heading_with_a_dot() -> None:
    assert outline(parse("forced-heading.fountain")) == [
        ("heading", 1, 1, "FLASHBACK TO THE WAR"),
        ("action", 3, 1, ".. not a heading"),
        ("action", 5, 1, "INTERIOR DESIGN IS HARD."),
    ]


def test_scene_numbers_are_kept_apart_from_the_heading() -> None:
    headings = parse("scene-number.fountain").elements
    assert [(plain(h.text), h.number, h.span.line) for h in headings] == [
        ("INT. HOUSE - DAY", "12", 1),
        ("EXT. ROAD - NIGHT", "12A-1", 3),
    ]


def test_action_keeps_its_lines() -> None:
    assert outline(parse("action.fountain")) == [
        ("action", 1, 1, "Margot opens the door./She waits."),
        ("action", 4, 1, "The kettle SCREAMS."),
    ]


def test_forced_action_with_a_bang() -> None:
    assert outline(parse("forced-action.fountain")) == [
        ("action", 1, 1, "INT. NOT A HEADING"),
        ("action", 3, 1, "MARGOT/is shouting, not speaking."),
    ]


def test_centered_action() -> None:
    first, second = parse("centered.fountain").elements
    assert isinstance(first, Action) and first.centered and plain(first.lines[0]) == "THE END"
    assert isinstance(second, Action) and second.centered
    assert second.lines == ((Run("Fin", italic=True),), (Run("again"),))
    assert second.span == Span("screenplay/centered.fountain", 3, 1)


def test_dialogue_cue_name_parenthetical_and_lines() -> None:
    margot, bob, mcclane = parse("dialogue.fountain").elements
    assert isinstance(bob, Dialogue)
    assert (bob.cue, bob.name, bob.span.line) == ("BOB (V.O.) (CONT'D)", "BOB", 4)
    assert [(line.span.line, plain(line.text), line.parenthetical) for line in bob.lines] == [
        (5, "(quietly)", True),
        (6, "I heard.", False),
        (7, "You did?", False),
    ]
    assert isinstance(margot, Dialogue) and (margot.name, margot.lines[0].span.line) == ("MARGOT", 2)
    # "@" forces a cue that is not upper case; the name is upper-cased for matching.
    assert isinstance(mcclane, Dialogue) and (mcclane.cue, mcclane.name) == ("McClane", "MCCLANE")


@pytest.mark.parametrize(
    ("cue", "name"),
    [
        ("MARGOT (V.O.)", "MARGOT"),
        ("MARGOT(CONT'D)", "MARGOT"),
        ("MARY ANN (O.S.) (CONT'D)", "MARY ANN"),
        ("Dr. Who", "DR. WHO"),
        ("BOB (unclosed", "BOB"),
    ],
)
def test_cue_name_drops_extensions(cue: str, name: str) -> None:
    assert cue_name(cue) == name


def test_dual_dialogue_pairs_with_the_dialogue_before() -> None:
    dual, lone = parse("dual-dialogue.fountain").elements
    assert isinstance(dual, DualDialogue)
    assert (dual.span.line, dual.left.cue, dual.left.span.line) == (1, "BRICK", 1)
    assert (dual.right.cue, dual.right.span.line, dual.right.lines[0].span.line) == ("STEEL", 4, 5)
    # A caret after something that is not dialogue has nothing to pair with: plain dialogue, caret dropped.
    assert isinstance(lone, Dialogue) and (lone.cue, lone.name, lone.span.line) == ("LONE", "LONE", 7)


def test_transitions_forced_and_not() -> None:
    assert outline(parse("transition.fountain")) == [
        ("transition", 1, 1, "CUT TO:"),
        ("transition", 3, 1, "FADE OUT."),
        ("action", 5, 1, "Smash cut to:"),  # not upper case: action, as the spec says
    ]


def test_sections_and_synopses_are_separate_elements() -> None:
    screenplay = parse("section-synopsis.fountain")
    assert outline(screenplay) == [
        ("section", 1, 1, "Act One"),
        ("section", 3, 1, "DAY 2"),
        ("synopsis", 4, 1, "The morning after the party."),
        ("heading", 6, 1, "INT. HOUSE - DAY"),
        ("synopsis", 8, 1, "Wednesday, 8 March: Margot wakes."),
    ]
    assert [e.level for e in screenplay.elements if isinstance(e, Section)] == [1, 2]


def test_notes_alone_inline_above_a_cue_and_across_lines() -> None:
    assert outline(parse("notes.fountain")) == [
        ("note", 1, 1, "A note alone."),
        ("action", 3, 1, "Margot waits.  She sits."),
        ("note", 3, 15, "inline note"),
        # A line holding only a note is dropped, so MARGOT stays a cue; the note follows its paragraph.
        ("dialogue", 6, 1, "MARGOT: Hi."),
        ("note", 5, 1, "fabula: ignore N101"),
        ("action", 9, 1, "Bob reads  the paper."),
        ("note", 9, 11, "a note\nacross two lines"),
    ]


def test_boneyard_spanning_lines_keeps_later_lines_right() -> None:
    assert outline(parse("boneyard.fountain")) == [
        ("heading", 1, 1, "INT. HOUSE - DAY"),
        ("action", 10, 1, "Margot waits."),
        ("dialogue", 12, 1, "BOB: Well?"),
    ]


def test_boneyard_inside_a_line_keeps_columns_and_line_breaks() -> None:
    text = "Margot /* aside\nstill aside */ waits.\n\nBOB /* x */\nWell?\n"
    assert outline(parse_screenplay([("s.fountain", text)])) == [
        # The break inside the boneyard is kept: " waits." is line 2 of the action.
        ("action", 1, 1, "Margot/ waits."),
        ("dialogue", 4, 1, "BOB: Well?"),
    ]
    (_, dialogue) = parse_screenplay([("s.fountain", text)]).elements
    assert dialogue.lines[0].span == Span("s.fountain", 5, 1)


def test_two_space_line_in_dialogue_is_located_at_its_start() -> None:
    dialogue, note = parse_screenplay([("s.fountain", "BOB\nHi.\n  \n[[x]] Still me.\n")]).elements
    assert isinstance(note, Note) and str(note.span) == "s.fountain:4:1"
    assert [(str(line.span), plain(line.text)) for line in dialogue.lines] == [
        ("s.fountain:2:1", "Hi."),
        ("s.fountain:3:1", ""),
        ("s.fountain:4:7", "Still me."),
    ]


def test_page_break() -> None:
    assert outline(parse("page-break.fountain")) == [
        ("action", 1, 1, "Before the break."),
        ("page_break", 3, 1, ""),
        ("action", 5, 1, "After the break."),
    ]


def test_title_page_with_continuation_values() -> None:
    screenplay = parse("title-page.fountain")
    path = "screenplay/title-page.fountain"
    assert screenplay.title_page == (
        TitleField(Span(path, 1), "Title", ("*The Kettle*",)),
        TitleField(Span(path, 2), "Credit", ("written by",)),
        TitleField(Span(path, 3), "Author", ("Ann Example",)),
        TitleField(Span(path, 4), "Contact", ("1 Road", "Town")),
        TitleField(Span(path, 7), "Draft date", ("1 May",)),
    )
    assert screenplay.title_value("author") == "Ann Example"
    assert outline(screenplay) == [("heading", 9, 1, "INT. KITCHEN - DAY")]


def test_emphasis_becomes_runs() -> None:
    emphasis, escaped = parse("emphasis.fountain").elements
    assert emphasis.lines == (
        (
            Run("Margot is "),
            Run("very", italic=True),
            Run(" "),
            Run("angry", bold=True),
            Run(" and "),
            Run("shouts", underline=True),
            Run(" "),
            Run("loudly", italic=True, bold=True),
            Run("."),
        ),
    )
    assert escaped.lines == ((Run("An *escaped* star."),),)


def test_tabs_are_expanded_but_columns_count_source_characters() -> None:
    assert outline(parse("tabs.fountain"))[1] == ("action", 3, 2, "    Margot  indents with tabs.")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.fountain")))
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_give_the_same_parse(name: str, newline: str) -> None:
    text = (FIXTURES / name).read_text("utf-8")
    assert "\r" not in text
    expected = parse_screenplay([(name, text)])
    assert parse_screenplay([(name, text.replace("\n", newline))]) == expected


def test_byte_order_mark_is_ignored() -> None:
    text = (FIXTURES / "title-page.fountain").read_text("utf-8")
    assert parse_screenplay([("t.fountain", "\ufeff" + text)]) == parse_screenplay([("t.fountain", text)])


def test_multiple_files_name_their_own_spans_and_only_the_first_has_a_title_page() -> None:
    screenplay = parse("multi-1.fountain", "multi-2.fountain")
    assert screenplay.files == ("screenplay/multi-1.fountain", "screenplay/multi-2.fountain")
    assert [(f.key, f.values) for f in screenplay.title_page] == [("Title", ("One",))]
    assert [(e.kind.value, str(e.span), text_of(e)) for e in screenplay.elements] == [
        ("section", "screenplay/multi-1.fountain:3:1", "DAY 2"),
        ("heading", "screenplay/multi-1.fountain:5:1", "INT. ONE - DAY"),
        ("dialogue", "screenplay/multi-1.fountain:7:1", "BOB: Leaving."),
        ("action", "screenplay/multi-2.fountain:1:1", "Title: Not a title page here"),
        ("heading", "screenplay/multi-2.fountain:3:1", "EXT. TWO - DAY"),
        ("dialogue", "screenplay/multi-2.fountain:5:1", "ALICE: Bye."),
    ]


def test_no_files_no_screenplay_content() -> None:
    assert parse_screenplay([]) == Screenplay((), (), (), ())


def _library_objects(value: object) -> list[object]:
    """Every object reachable through our dataclasses whose type comes from screenplain."""
    found = [value] if type(value).__module__.startswith("screenplain") else []
    if dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            found += _library_objects(getattr(value, item.name))
    elif isinstance(value, tuple):
        for item in value:
            found += _library_objects(item)
    return found


def test_no_screenplain_object_leaks_out() -> None:
    names = sorted(p.name for p in FIXTURES.glob("*.fountain"))
    screenplay = parse(*names)
    assert len(screenplay.elements) > 40
    assert _library_objects(screenplay) == []


# ---------------------------------------------------------------- scenes and day marks


def test_marked_synopsis_dates_its_heading_scene() -> None:
    screenplay = parse("section-synopsis.fountain")
    # "## DAY 2" starts a scene of its own, dropped for holding no action or dialogue.
    (scene,) = screenplay.scenes
    assert scene.heading is screenplay.elements[3]
    assert scene.mark is not None and scene.mark.text == "Wednesday, 8 March"
    assert scene.mark.span == Span("screenplay/section-synopsis.fountain", 8, 3)
    day_two = screenplay.elements[1]
    assert isinstance(day_two, Section) and day_two.mark is not None and day_two.mark.day == 2
    assert day_two.mark.span == Span("screenplay/section-synopsis.fountain", 3, 4)


def test_mark_carries_across_files() -> None:
    screenplay = parse("multi-1.fountain", "multi-2.fountain")
    assert [(scene.title, scene.mark.text if scene.mark else None) for scene in screenplay.scenes] == [
        ("INT. ONE - DAY", "DAY 2"),
        ("EXT. TWO - DAY", "DAY 2"),
    ]


def test_marked_section_cuts_a_scene_and_unmarked_text_stays() -> None:
    text = (
        "Cold open.\n\n"  # 1: before any heading, with action: a scene of its own
        "INT. A - DAY\n\nOne.\n\n"  # 3
        "# DAY 2\n\nTwo.\n\n"  # 7: marked section mid-scene: new scene without heading
        "# Interlude\n\nStill two.\n\n"  # 11: unmarked: no cut
        "INT. B - NIGHT\n\n= It was DAY 3 and raining.\n\nThree.\n"  # 15: inline-marked synopsis
    )
    screenplay = parse_screenplay([("s.fountain", text)])
    assert [(s.span.line, s.title, s.mark.day if s.mark else None, len(s.elements)) for s in screenplay.scenes] == [
        (1, "(before the first scene heading)", None, 1),
        (3, "INT. A - DAY", None, 2),
        (7, "(before the first scene heading)", 2, 4),
        (15, "INT. B - NIGHT", 3, 3),
    ]
    synopsis = screenplay.elements[-2]
    assert isinstance(synopsis, Synopsis) and synopsis.mark is not None and synopsis.mark.kind == "inline"
    assert screenplay.scenes[-1].cues == ()


def test_heading_time_of_day_is_not_a_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.parsers import markers

    calls: list[str] = []
    monkeypatch.setattr(markers, "heading_mark", lambda text, span: calls.append(text))
    monkeypatch.setattr(markers, "inline_mark", lambda text, span: calls.append("inline " + text))
    parse_screenplay([("s.fountain", "INT. HOUSE - DAY 2\n\n# Act\n= Summary\n\nAction on DAY 2.\n")])
    assert calls == ["Act", "Summary", "inline Summary"]


# ---------------------------------------------------------------- never crash, never lose a line

_FOUNTAIN_ALPHABET = st.sampled_from(
    [*list("abcXYZé019 .:!@#=>^<*_()[]/\\~\t\n"), "\r\n", "\r", "INT. ", "[[", "]]", "/*", "*/", "===", "  "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=3))
def test_any_text_parses(texts: list[str]) -> None:
    screenplay = parse_screenplay([(f"f{i}.fountain", text) for i, text in enumerate(texts)])
    assert isinstance(screenplay, Screenplay)


def _words(text: str) -> Counter[str]:
    return Counter(char for char in text.casefold() if char.isalnum())


def _element_words(screenplay: Screenplay) -> Counter[str]:
    words: Counter[str] = Counter()
    for element in screenplay.elements:
        parts = [element.left, element.right] if isinstance(element, DualDialogue) else [element]
        for part in parts:
            if isinstance(part, SceneHeading):
                words += _words(part.number or "")
            words += _words(text_of(part).replace("/", ""))
    return words


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_FOUNTAIN_ALPHABET, max_size=60).map("".join), min_size=1, max_size=3))
def test_no_text_is_lost_and_spans_point_at_text(texts: list[str]) -> None:
    # A leading blank line rules out a title page, whose valueless keys screenplain drops.
    files = [(f"f{i}.fountain", "\n" + text) for i, text in enumerate(texts)]
    screenplay = parse_screenplay(files)
    source = Counter[str]()
    for _, text in files:
        source += _words(re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL))
    assert _element_words(screenplay) == source
    lines = {path: re.split("\r\n|\n|\r", text) for path, text in files}
    for element in screenplay.elements:
        line = lines[element.span.path][element.span.line - 1]
        # Notes may hold only spaces; a paragraph of spaces is an (empty) action for screenplain.
        if not isinstance(element, Note) and text_of(element).replace("/", "").strip():
            assert line[element.span.col - 1 :].strip(), (element, line)


# ---------------------------------------------------------------- the locator against real scripts


def _folded(text: str) -> str:
    """Text compared without emphasis marks, escapes, case or forcing signs."""
    return re.sub(r"[*_\\]", "", text).casefold()


def _expected_lines(element: object) -> list[tuple[int, str]]:
    """(line, text) pairs the source must hold, for one element."""
    if isinstance(element, DualDialogue):
        return _expected_lines(element.left) + _expected_lines(element.right)
    if isinstance(element, Dialogue):
        spoken = [(line.span.line, plain(line.text)) for line in element.lines]
        return [(element.span.line, element.cue), *spoken]
    if isinstance(element, Action):
        return [(element.span.line + index, plain(line)) for index, line in enumerate(element.lines)]
    if element.kind.value == "page_break":
        return [(element.span.line, "===")]
    return [(element.span.line, text_of(element))]


CORPUS_SCRIPTS = [
    "big-fish",
    "brick-and-steel",
    "complete-and-utter-nonsense",
    "my-living-memory",
    "nemesis",
    "our-many-masks",
    "printing-trouble",
    "the-last-birthday-card",
]


@pytest.mark.parametrize("name", CORPUS_SCRIPTS)
def test_every_element_line_holds_its_text(corpus_dir: Path, name: str) -> None:
    text = (corpus_dir / f"{name}.fountain").read_text("utf-8")
    source = text.removeprefix("\ufeff").splitlines()
    screenplay = parse_screenplay([(f"{name}.fountain", text)])
    checked = 0
    for element in screenplay.elements:
        for line, expected in _expected_lines(element):
            assert _folded(expected.strip()) in _folded(source[line - 1]), (element, line, source[line - 1])
            checked += 1
        assert not source[element.span.line - 1][: element.span.col - 1].strip(), element
    for title_field in screenplay.title_page:
        assert source[title_field.span.line - 1].casefold().startswith(title_field.key.casefold())
    assert checked > 50


def test_big_fish_counts(corpus_dir: Path) -> None:
    text = (corpus_dir / "big-fish.fountain").read_text("utf-8")
    screenplay = parse_screenplay([("big-fish.fountain", text)])
    headings = [e for e in screenplay.elements if isinstance(e, SceneHeading)]
    assert len(headings) == 190
    assert [s.heading for s in screenplay.scenes if s.heading] == headings
    assert screenplay.title_value("Title") == "Big Fish"
    first_heading = headings[0]
    assert (first_heading.span.line, plain(first_heading.text)) == (31, "INT.  WILL'S BEDROOM - NIGHT (1973)")


def test_synopsis_at_the_top_of_a_file_dates_that_file_not_the_one_before() -> None:
    first = "INT. A - DAY\n\nOne.\n"
    second = "= Friday, 29 December 2023\n\nINT. B - NIGHT\n\nTwo.\n"
    screenplay = parse_screenplay([("1.fountain", first), ("2.fountain", second)])
    assert [(s.title, s.mark.text if s.mark else None) for s in screenplay.scenes] == [
        ("INT. A - DAY", None),
        ("INT. B - NIGHT", "Friday, 29 December 2023"),
    ]
    synopsis = screenplay.elements[2]
    assert isinstance(synopsis, Synopsis) and synopsis.span == Span("2.fountain", 1, 1)


def test_synopsis_after_dialogue_is_a_synopsis_not_action() -> None:
    text = "INT. A - DAY\n\nBOB\nHi.\n\n= DAY 2 – Tuesday, 7 March 2023\n\nINT. B - DAY\n\nLater.\n"
    screenplay = parse_screenplay([("s.fountain", text)])
    assert [type(e).__name__ for e in screenplay.elements] == [
        "SceneHeading",
        "Dialogue",
        "Synopsis",
        "SceneHeading",
        "Action",
    ]
    assert [(s.title, s.mark.day if s.mark else None) for s in screenplay.scenes] == [
        ("INT. A - DAY", None),
        ("INT. B - DAY", 2),
    ]


def test_lyrics_are_action_marked_lyric_without_the_tilde() -> None:
    play = parse_screenplay(
        [("a.fountain", "INT. A - DAY\n\n~Row, *row*, row\n~the boat\n\n~half a lyric\nhalf not\n")]
    )
    lyric, mixed = play.elements[1:]
    assert isinstance(lyric, Action) and lyric.lyric
    assert [plain(line) for line in lyric.lines] == ["Row, row, row", "the boat"]
    assert Run("row", italic=True) in lyric.lines[0]
    assert isinstance(mixed, Action) and not mixed.lyric  # every line must open with "~"
    assert plain(mixed.lines[0]) == "~half a lyric"


def test_title_values_carry_their_emphasis() -> None:
    play = parse_screenplay([("a.fountain", "Title: **BIG** _fish_\nAuthor: Me\n\nINT. A - DAY\n")])
    title = play.title_page[0]
    assert title.values == ("**BIG** _fish_",)
    assert title.rich == ((Run("BIG", bold=True), Run(" "), Run("fish", underline=True)),)


@pytest.mark.parametrize(
    "text",
    [
        "INT. HOUSE - DAY\n\nPlain action.\n   \n  \nBOB\nHi.\n",
        "Tabbed\taction\there.\n\n\t\t\n" + "\t" * 30 + "wide\n",
        "A gap" + " " * 120 + "here, *" + "*" * 110 + " and _" + "_" * 105 + "\n",
        "snake\\_case and https://example.com/a_b*c_d and www.x_y.org\n\n \n",
        "A /* boneyard\n that hides */ line\n\\/* x */_under\n\n/* open",
        "\r\n\r\n \r\nMixed\rbreaks\n" + " " * 101 + "\n",
    ],
)
def test_lines_prepared_as_each_line_alone(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tabs, long runs, escapes and web addresses are looked for once in the whole text (issue
    16): every line comes out as the line-by-line steps make it."""
    found = list(fountain._source_lines(text))

    def one_by_one(_: str, lines: Iterator[fountain._Line]) -> Iterator[fountain._Line]:
        return (fountain._as_written(fountain._short_runs(fountain._expand_tabs(line))) for line in lines)

    monkeypatch.setattr(fountain, "_prepared", one_by_one)
    assert found == list(fountain._source_lines(text))


def test_a_script_without_sections_or_synopses_does_not_load_the_markers() -> None:
    """The day markers' patterns and calendar words are loaded by the first section or synopsis
    (issue 16: Big Fish has neither, and waited for them before its build forked)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from toolkit.parsers.fountain import parse_screenplay\n"
        "parse_screenplay([('a.fountain', 'INT. HOUSE - DAY\\n\\nBOB\\nHi.\\n\\n====\\n\\nAction.\\n')])\n"
        "print('toolkit.parsers.markers' in sys.modules)\n"
        "parse_screenplay([('a.fountain', '# Act One\\n\\nINT. HOUSE - DAY\\n')])\n"
        "print('toolkit.parsers.markers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]
