"""Real-file shapes read as the writer meant them (toolkit.parsers.fountain_intent), one fixture each.

The fixtures are ours, written to reproduce the shape of lines met in real scripts. How each one
prints in PDF, FDX and HTML is tested in tests/render/test_screenplay_intent.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.model import Action, Dialogue, Screenplay, Transition, plain
from toolkit.parsers.fountain import parse_screenplay
from toolkit.parsers.fountain_intent import repair_mojibake

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fountain-intent"


def parse(name: str) -> Screenplay:
    return parse_screenplay([(f"screenplay/{name}", (FIXTURES / name).read_bytes().decode("utf-8"))])


def kinds(screenplay: Screenplay) -> list[str]:
    return [element.kind.value for element in screenplay.elements]


def test_a_line_of_spaces_closes_the_title_page() -> None:
    play = parse("title-page-closed-by-spaces.fountain")
    assert play.title_value("Title") == "The Night Ferry" and play.title_value("Draft date") == "1 May 2024"
    assert kinds(play) == ["heading", "action", "dialogue"]
    assert play.elements[0].span.line == 6  # the heading, after the line of four spaces


def test_a_line_of_spaces_separates_paragraphs_but_two_spaces_keep_a_speech_together() -> None:
    play = parse_screenplay([("s.fountain", "INT. A - DAY\n   \nBOB\nOne.\n  \nTwo.\n\t\nHe goes.\n")])
    assert kinds(play) == ["heading", "dialogue", "action"]
    speech = play.elements[1]
    assert isinstance(speech, Dialogue)
    assert [plain(line.text) for line in speech.lines] == ["One.", "", "Two."]  # the spec's own blank line


def test_an_unindented_line_continues_the_title_page_value_above() -> None:
    play = parse("title-page-unindented-continuation.fountain")
    contact = next(field for field in play.title_page if field.key == "Contact")
    assert contact.values == ("12 Harbour Road", "Portsmouth PO1 2AB", "a.writer@example.org")
    assert contact.span.line == 4
    assert play.title_value("Draft date") == "1 May 2024"
    assert kinds(play) == ["heading", "action"]


def test_a_paragraph_with_a_colon_is_not_taken_for_a_title_page() -> None:
    play = parse_screenplay([("s.fountain", "Note: Bob is late.\nHe runs in.\n\nINT. A - DAY\n")])
    assert play.title_page == () and kinds(play) == ["action", "heading"]


def test_escaped_underscore_is_a_literal_underscore() -> None:
    play = parse("escaped-underscore.fountain")
    action = play.elements[1]
    assert isinstance(action, Action)
    runs = action.lines[0]
    assert plain(runs).startswith("The screen reads: user_name not found.")
    assert not any(run.underline and "name" in run.text for run in runs)
    assert any(run.underline and run.text == "underlined" for run in runs)  # real underlining stays
    speech = play.elements[2]
    assert isinstance(speech, Dialogue) and plain(speech.lines[0].text) == "Type snake_case, not *stars*."
    assert not any(run.underline or run.italic for run in speech.lines[0].text)


def test_transition_above_a_heading_without_a_blank_line() -> None:
    play = parse("transition-before-heading.fountain")
    assert kinds(play) == ["heading", "action", "transition", "heading", "action", "transition", "heading", "action"]
    transitions = [plain(e.text) for e in play.elements if isinstance(e, Transition)]
    assert transitions == ["CUT TO:", "SMASH CUT TO:"]
    assert [e.span.line for e in play.elements] == [1, 3, 5, 6, 8, 10, 11, 12]
    assert len(play.scenes) == 3


def test_mac_roman_mojibake_is_repaired() -> None:
    play = parse("mac-roman-mojibake.fountain")
    action = play.elements[1]
    assert isinstance(action, Action) and plain(action.lines[0]) == "Margot’s lamp flickers. She doesn’t move …"
    speech = play.elements[2]
    assert isinstance(speech, Dialogue) and plain(speech.lines[0].text) == "I’m not leaving. “Not tonight,” I said."
    again = play.elements[4]
    assert isinstance(again, Dialogue) and (again.cue, again.name) == ("MARGOT (CONT’D)", "MARGOT")


@pytest.mark.parametrize(
    "text",
    [
        "INT. CORAÇÕES - DIA\n\nAS LIÇÕES DE JOÃO. ELE PÕE A MESA.\n",  # Portuguese capitals
        "The DonÕt sign.\n",  # one Õ-contraction is no evidence
        "Ñandú in ESPAÑA — “quoted” and ‘single’.\n",
    ],
)
def test_text_without_mojibake_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_long_url_in_the_title_page_is_kept_whole() -> None:
    play = parse("long-url-title.fountain")
    image = next(field for field in play.title_page if field.key == "Image")
    url = (FIXTURES / "long-url-title.fountain").read_text("utf-8").splitlines()[2].removeprefix("image:")
    assert image.values == (url,)
    assert plain(image.rich[0]) == url and not any(run.underline for run in image.rich[0])


def test_underscores_of_a_web_address_in_the_body_are_not_emphasis() -> None:
    play = parse_screenplay([("s.fountain", "INT. A - DAY\n\nSee https://x.example/a_b_c and _this_.\n")])
    runs = play.elements[1].lines[0]  # type: ignore[union-attr]
    assert plain(runs) == "See https://x.example/a_b_c and this."
    assert [run.text for run in runs if run.underline] == ["this"]
