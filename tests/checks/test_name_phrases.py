"""Issue 12, sixth round: a name written in a phrase of its own, and a roll of names. What a
writer's slip would not look like: a spelling never in the phrase its near name is nearly always
in, or written once in a list of names beside a name typed only a few times.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _ammon(*extra: str) -> str:
    return _prose(
        *["Then the children of Ammon came up, and the children of Ammon camped by the ford."] * 6,
        *extra,
    )


def test_a_spelling_never_in_the_phrase_its_near_name_is_always_in_is_another_name(tmp_path: Path) -> None:
    """Ammon is written twelve times, every time in "the children of Ammon"; Amnon, twice, never
    is. A slip is typed where the name is meant, so at least one of its two uses would be in the
    name's phrase but for a chance of about one in two hundred: Amnon is someone else."""
    prose = _ammon("And Amnon went up to the house of his father.", "So Amnon rode home alone.")
    assert _both(tmp_path, prose) == ([], [])


def test_a_slip_in_the_names_own_phrase_or_of_a_name_of_many_phrases_is_still_a_slip(tmp_path: Path) -> None:
    """The same spelling written in the name's own phrase ("the children of Amnon") is a slip; so
    is a slip of a name written in many phrases (Harrow after "said", "with", "and", "to", …)."""
    prose = _ammon("And the children of Amnon went up to the house of their father.")
    for found in _both(tmp_path / "phrase", prose):
        assert _spellings(found) == ["Amnon"]
    harrow = _prose(
        *["“Not tonight,” said Harrow, and Harrow locked the shed."] * 3,
        *["She walked with Harrow to the quay, and waved to Harrow."] * 3,
        "Then Harorw went home alone.",
    )
    for found in _both(tmp_path / "many", harrow):
        assert _spellings(found) == ["Harorw"]


def _roll(stranger_sentence: str) -> str:
    return _prose(
        *["Then Zichri went up to the gate, and Zichri kept the keys."] * 4,
        "And Mishael, Elzaphan, Bedan and Eliel stood by the wall.",
        "And Ithran, Jethro, Athriel, Ithream and Ithmah came, and Azitha, Zithan and Ozithel.",
        stranger_sentence,
    )


def test_a_spelling_written_once_in_a_list_of_names_beside_a_minor_name_is_one_more_of_them(tmp_path: Path) -> None:
    """Zichri is written eight times, never in the bible; "Zithri" once, as an item of a list of
    names ("Mishael, and Elzaphan, and Zithri, and Bedan"), made of letters the book's names are
    made of ("zit" of Azitha, Zithan, Ozithel; "thr" of Jethro, Athriel, Ithran): a roll names people the
    book names nowhere else, and one more of them is no slip of a name typed only a few times.
    "Zicrhi" in the same list makes runs no name has: a slip."""
    prose = _roll("With them stood Mishael, and Elzaphan, and Zithri, and Bedan.")
    assert _both(tmp_path, prose) == ([], [])
    for found in _both(tmp_path / "slip", prose.replace("Zithri", "Zicrhi")):
        assert _spellings(found) == ["Zicrhi"]


def test_a_slip_of_a_bible_name_in_a_list_or_of_a_minor_name_outside_one_is_still_a_slip(tmp_path: Path) -> None:
    """The same list, with Zichri in the bible: a character's name, judged as before (the bible
    only makes the check stricter). And the same spelling in running prose is still a slip."""
    prose = _roll("With them stood Mishael, and Elzaphan, and Zithri, and Bedan.")
    _, with_bible = _both(tmp_path / "bible", prose, bible="- name: Zichri\n")
    assert _spellings(with_bible) == ["Zithri"]
    prose = _roll("Then Zithri went home alone.")
    for found in _both(tmp_path / "prose", prose):
        assert _spellings(found) == ["Zithri"]


def test_a_spelling_seldom_in_the_phrase_its_near_name_is_always_in_is_another_name(tmp_path: Path) -> None:
    """Amon, five times, is once in "the children of Amon", where Ammon is at every one of its
    sixteen uses: a sample of Ammon's uses would be there four or five times in five; once is
    too seldom for a slip (a chance of about one in twenty thousand). Two names, no "also spelled"."""
    prose = _ammon(
        *["And the children of Ammon went home, and the children of Ammon slept."] * 2,
        "And Amon his son reigned in his stead.",
        "Then Amon went up to the house of his father.",
        "So Amon rode home alone, and the children of Amon wept.",
        "And Amon slept with his fathers.",
    )
    assert _both(tmp_path, prose) == ([], [])


def test_the_people_of_another_name_of_the_text_is_no_slip(tmp_path: Path) -> None:
    """ "Hezronites", once, beside the Hebronites written eight times: it is the people of
    Hezron, a name the text uses, with a people's ending; a slip of Hebronites seldom makes
    another name of the book. "Hebromites" (no name "Hebrom") is still a slip."""
    hebronites = _prose(
        *["And the Hebronites kept the gate, and the Hebronites sang."] * 4,
        *["Then Hezron went up to the well."] * 2,
    )
    assert _both(tmp_path / "people", hebronites + "\nOf Hezron, the family of the Hezronites.\n") == ([], [])
    for found in _both(tmp_path / "slip", hebronites + "\nOf Hezron, the family of the Hebromites.\n"):
        assert _spellings(found) == ["Hebromites"]
