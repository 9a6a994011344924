"""Issue 12, fifth round: a family of names written alike, and evidence the first uses read miss.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_given_name_written_past_the_uses_read_is_still_the_names(tmp_path: Path) -> None:
    """Breen is used more times than are read for company; "Eddie Breen" is written only after
    them. "Eddie Brelen" shares that given name: the same man, and the slip is reported. Where the
    text never writes "Eddie Breen", Eddie is a given name Breen never has: someone else."""
    prose = _prose(
        *["Then Breen went down to the boat, and said Breen: go."] * 80,
        "At last Eddie Breen came back.",
        "They saw Eddie Brelen run along the quay.",
    )
    for found in _both(tmp_path, prose, bible="- name: Eddie Breen\n"):
        assert _spellings(found) == ["Brelen"]
    other = prose.replace("At last Eddie Breen came back.", "At last Breen came back.")
    without, _ = _both(tmp_path / "other", other)
    assert without == []


def test_a_place_word_that_opens_the_sentence_is_no_place(tmp_path: Path) -> None:
    """ "Well Harrey, dare you?": "Well" opens the sentence, an interjection, not the well of a
    place ("the well Harod"): the slip of Harry is reported."""
    prose = _prose(
        *["“Not tonight,” said Harry, and Harry locked the shed."] * 6,
        "Well Harrey, dare you come down?",
    )
    for found in _both(tmp_path, prose, bible="- name: Harry\n"):
        assert _spellings(found) == ["Harrey"]


def _genealogy(uses: int, stranger: str) -> str:
    return _prose(
        *["Then Shemaiah went up, and said Shemaiah: go."] * (uses // 2),
        *["And Shemariah rested by the gate."] * 9,
        *["And Shealtiel, Shearam, Hearon and Kearah came."] * 2,
        *["And Amariah, Azariah and Zechariah stood."] * 2,
        f"With them stood {stranger} by the wall.",
    )


def test_one_more_of_a_family_of_names_written_alike_is_no_slip(tmp_path: Path) -> None:
    """A book of genealogies: Shemaiah (ten uses) has a near-alike name of his own used again
    (Shemariah), and "Sheariah", once, is made of letters the book's other names are made of
    (Shealtiel, Shearam, Kearah, Amariah, Zechariah): one more name of the family, not a slip."""
    assert _both(tmp_path, _genealogy(10, "Sheariah"), bible="- name: Hearon\n") == ([], [])


def test_a_slip_in_a_family_of_names_is_still_a_slip(tmp_path: Path) -> None:
    """ "Shemaaih" makes letters no name of the book has ("aai", "aih"); and a main character's
    name (Shemaiah used 24 times) is missed by a writer, not shared by a family: both reported."""
    for number, (uses, stranger) in enumerate(((10, "Shemaaih"), (24, "Sheariah"))):
        for found in _both(tmp_path / str(number), _genealogy(uses, stranger), bible="- name: Hearon\n"):
            assert _spellings(found) == [stranger]


def test_a_name_written_five_times_one_of_them_mistyped(tmp_path: Path) -> None:
    """A name nothing shows to be a character (no one says it speaks or acts), written five
    times, one of them "Obrelin": the writer typed the name five times, and the slip among them
    is reported; four times in all (three right) is still too few to tell."""
    prose = _prose(
        *["The letters spoke of Oberlin and of the winter road."] * 4,
        "The letters spoke of Obrelin and of the summer road.",
    )
    for found in _both(tmp_path, prose):
        assert _spellings(found) == ["Obrelin"]
    fewer = prose.replace("The letters spoke of Oberlin and of the winter road.", "The letters spoke.", 1)
    assert _both(tmp_path / "fewer", fewer) == ([], [])
