"""More false-alarm and missed-typo patterns of issue 12, seen on published books and scripts.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _names, _project, _prose, _spellings


def test_lines_in_capitals_read_as_cues_and_joint_cues_are_no_unknown_cues(tmp_path: Path) -> None:
    """A shouted line that the Fountain parser takes for a cue holds sentence marks; a joint cue
    names two characters the bible knows. Neither is N102; a cue nobody knows still is."""
    fountain = (
        "INT. HOLD - NIGHT\n\nMIRA\nHold it.\n\nDON'T LET GO, WHATEVER HAPPENS, HOLD\nTHE HATCH SHUT.\n\n"
        "MIRA / TOBIAS\nNow!\n\nTOBIAS AND MIRA\nAgain!\n\nPORTER\nTickets.\n"
    )
    found = _names(_project(tmp_path, fountain=fountain, bible="- name: Mira Dale\n- name: Tobias Crane\n"))
    assert [(d.code, d.names) for d in found] == [("N102", ("PORTER",))]


def test_cues_made_as_the_bible_makes_its_own_are_no_unknown_cues(tmp_path: Path) -> None:
    """The bible lists Shade of Orrin beside Orrin, and First and Second Sailor: SHADE OF MIRA is
    Mira with the bible's own descriptor, SAILORS the sailors together (also in a joint cue).
    A descriptor the bible never uses (ECHO OF), a plural of no shared word (GULLS), a
    descriptor before a name nobody has (SHADE OF PELL) are still unknown."""
    bible = (
        "- name: Mira Dale\n- name: Orrin Vey\n- name: Shade of Orrin\n- name: First Sailor\n- name: Second Sailor\n"
    )
    speeches = ["SHADE OF MIRA", "TOBIAS & SAILORS", "SAILORS", "ECHO OF MIRA", "GULLS", "SHADE OF PELL", "MIRA"]
    fountain = "INT. HOLD - NIGHT\n\n" + "".join(f"{cue}\nHold it.\n\n" for cue in speeches)
    found = _names(_project(tmp_path, fountain=fountain, bible=bible + "- name: Tobias Crane\n"))
    assert [(d.code, d.names) for d in found] == [
        ("N102", ("ECHO OF MIRA",)),
        ("N102", ("GULLS",)),
        ("N102", ("SHADE OF PELL",)),
    ]
    # Without Orrin beside his shade, "Shade of" is no descriptor of the bible's: one more unknown.
    found = _names(_project(tmp_path / "alone", fountain=fountain, bible=bible.replace("- name: Orrin Vey\n", "")))
    assert ("N102", ("SHADE OF MIRA",)) in [(d.code, d.names) for d in found]


def test_a_word_of_the_language_used_again_and_again_is_the_word_even_beside_a_bible_name(tmp_path: Path) -> None:
    """ "Nanny" four times beside a Fanny of the bible: a slip is not typed alike four times."""
    prose = _prose(
        *["At noon Fanny walked to the mill, and Fanny sang."] * 10,
        *["The children waited for their nanny by the gate, and Nanny came."] * 4,
    )
    for found in _both(tmp_path, prose, bible="- name: Fanny Price\n"):
        assert found == []


def test_a_name_cut_short_to_address_someone_is_a_nickname(tmp_path: Path) -> None:
    """ ", Stace." beside Stacey is how friends say her name; "with Stace" is still a slip."""
    prose = _prose(*["At noon Stacey walked to the mill, and Stacey sang."] * 10, "“Come on, Stace.”")
    for found in _both(tmp_path, prose, bible="- name: Stacey Moor\n"):
        assert found == []
    slip = prose.replace("“Come on, Stace.”", "She went with Stace to the shore.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Stacey Moor\n"):
        assert _spellings(found) == ["Stace"]


def test_two_given_names_changed_in_two_letters_are_two_people(tmp_path: Path) -> None:
    """Henry and Harry Dashwood are father and son; Stefan and Stephan Kovacs one man."""
    prose = _prose(*["Then Henry Marlowe spoke."] * 3, *["Then Harry Marlowe spoke."] * 6)
    assert _names(_project(tmp_path / "two", prose)) == []
    prose = _prose(*["Then Stefan Kovacs spoke."] * 6, *["Then Stephan Kovacs spoke."] * 3)
    assert [d.code for d in _names(_project(tmp_path / "one", prose))] == ["N103"]


def test_an_interjection_that_opens_sentences_is_no_character(tmp_path: Path) -> None:
    """ "Halloa!" nine times and "Holloa!" three: words that only ever open a sentence, though
    "says I" follows one of them once."""
    prose = _prose(*["“Halloa!” he called across the water."] * 8, "“Halloa,” says I.", *["“Holloa!” came back."] * 3)
    for found in _both(tmp_path, prose):
        assert found == []


def test_a_given_name_used_again_and_again_is_someone_even_where_nobody_speaks(tmp_path: Path) -> None:
    """Letters that never say "said": Lorenzo, a real given name used inside sentences, is someone
    and "Lorenzio" his slip (a real given name as the model: no "said" needed)."""
    prose = _prose(
        *["We sent the letter with Lorenzo, and the brothers thanked Lorenzo."] * 5,
        "Greet the household of Lorenzio for me.",
    )
    without, with_bible = _both(tmp_path, prose, bible="- name: Lorenzo\n")
    assert _spellings(without) == ["Lorenzio"]
    assert _spellings(with_bible) == ["Lorenzio"]


def test_it_is_written_points_at_no_spelling(tmp_path: Path) -> None:
    """ "Como está escrito" (as it is written) quotes Scripture; it says nothing of a spelling."""
    prose = _prose(
        *["Y Pablo fué á la ciudad, y vino Pablo con ellos."] * 10,
        "Y Palbo dijo: como está escrito, así será.",
    )
    without, _ = _both(tmp_path, prose, toml='language = "es"\n')
    assert _spellings(without) == ["Palbo"]


def test_a_different_father_or_a_rank_of_its_own_is_another_person(tmp_path: Path) -> None:
    """ "Captain Obed the son of Jesse" is no slip of Captain Oded the son of Azor, though both are
    captains; nor is "Odel king of the hills"; an Obed with nothing of his own beside him is."""
    prose = _prose(
        *["Then Captain Oded the son of Azor went up, and said Oded: go."] * 10,
        "And Captain Obed the son of Jesse stood by the gate.",
        "They fled before Odel king of the hills at dawn.",
    )
    for found in _both(tmp_path, prose, bible="- name: Oded\n"):
        assert found == []
    slip = prose.replace("And Captain Obed the son of Jesse stood", "And they saw Obed stand")
    for found in _both(tmp_path / "slip", slip, bible="- name: Oded\n"):
        assert _spellings(found) == ["Obed"]


def test_the_people_of_a_place_or_a_father_are_no_slip(tmp_path: Path) -> None:
    """ "the Benjamite" beside Benjamin: the ending of a people, not a slip of the name."""
    prose = _prose(*["Then Benjamin went up, and said Benjamin: go."] * 10, "And a Benjamite stood by the gate.")
    for found in _both(tmp_path, prose, bible="- name: Benjamin\n"):
        assert found == []
