"""Issue 12, tenth round: a spelling written once among names its near name never meets. A slip
is typed where the writer means the name, among the people and places that name is met with;
the parent of a named child, or (in a book crowded with names written alike) an item of a list
of names, among names the near name is never written beside, is one more name of the line of
descent or the roll.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_crowded import _roll
from tests.checks.test_name_evidence import _both, _prose, _spellings


def _story(stranger_sentence: str) -> str:
    return _prose(
        *["Then Balthek the son of Orvan went up to Zippar, and Balthek spoke."] * 4,
        *["And Telmuk the son of Balthek dwelt by the ford."] * 4,
        *["They came to the house of Balthek at Zippar."] * 3,
        "And Azem, and Hormal, and Shemuel came to the ford.",
        "Then Geuel went down to the sea, and Geuel slept.",
        stranger_sentence,
    )


def test_the_parent_of_a_named_child_its_near_name_never_meets_is_another_man(tmp_path: Path) -> None:
    """Balthek (15 uses) is written beside Orvan, Telmuk and Zippar, and in that much company one
    new companion says nothing of who a spelling is; but "Geuel the son of Balthem", once, is
    the father of a man Balthek is never written with: one more man of a line of descent. With
    the bible naming Balthek, a character's name is judged as before (the bible only makes the
    check stricter): reported."""
    without, with_bible = _both(
        tmp_path, _story("And Geuel the son of Balthem rose up early."), bible="- name: Balthek\n"
    )
    assert without == []
    assert _spellings(with_bible) == ["Balthem"]


def test_a_parent_among_the_names_company_or_of_no_named_child_is_still_a_slip(tmp_path: Path) -> None:
    """The same spelling is a slip where the child is one Balthek is written beside (Telmuk), where
    no child is named ("a daughter of Balthem"), and as an item of a list in a text whose names
    are not crowded."""
    for number, sentence in enumerate(
        (
            "And Telmuk the son of Balthem rose up early.",
            "And a daughter of Balthem rose up early.",
            "And Azem, and Balthem, and Hormal, and Shemuel rose up early.",
        )
    ):
        for found in _both(tmp_path / str(number), _story(sentence)):
            assert _spellings(found) == ["Balthem"]


def test_an_item_of_a_list_among_crowded_names_its_near_name_never_meets(tmp_path: Path) -> None:
    """Among crowded names (a book of genealogies), "Adonikam, and Mormanzeth, and Bartimon, and
    Caphrel" once, beside a Moranzeth who acts but is never written with any of them: one more
    name of the roll. With the bible naming him, in a text not crowded, or where the list holds a
    name he is written with (Adonikam), a slip."""
    sentence = "And Adonikam, and Mormanzeth, and Bartimon, and Caphrel dwelt in the valley."
    without, with_bible = _both(tmp_path, _roll(True, sentence), bible="- name: Moranzeth\n")
    assert without == []
    assert _spellings(with_bible) == ["Mormanzeth"]
    for found in _both(tmp_path / "plain", _roll(False, sentence)):
        assert _spellings(found) == ["Mormanzeth"]
    met = _roll(True, sentence, "Then Moranzeth went up with Adonikam to the hill.")
    for found in _both(tmp_path / "met", met):
        assert _spellings(found) == ["Mormanzeth"]


def test_a_sentence_of_names_a_minor_name_never_meets_among_crowded_names(tmp_path: Path) -> None:
    """Among crowded names, "Mormanzeth dwelt with Adonikam and Bartimon and Caphrel" once, no
    list: three names Moranzeth (16 uses) is never written with, one more man of the rolls. Beside
    a main name (22 uses) it is a slip: a main character meets new people all through the book."""
    sentence = "And Mormanzeth dwelt with Adonikam and Bartimon and Caphrel in the valley."
    assert _both(tmp_path, _roll(True, sentence)) == ([], [])
    main = _roll(True, sentence, *["Then Moranzeth went up to the hill, and said Moranzeth: go."] * 3)
    for found in _both(tmp_path / "main", main):
        assert _spellings(found) == ["Mormanzeth"]
