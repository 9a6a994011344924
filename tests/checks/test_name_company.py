"""Issue 12, fourth round: what a near miss's company says, and what it does not.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_name_with_fathers_of_its_own_is_a_name_many_bear(tmp_path: Path) -> None:
    """ "Jeshun the son of Nun", "of Ezer", "of Kadmiel": a spelling written as the child of two
    fathers or more that the name beside it never has is borne by several men, no slip of Joshun's
    (though one of them shares Joshun's father)."""
    prose = _prose(
        *["Then Joshun the son of Nun rose, and said Joshun: go."] * 10,
        "And Jeshun the son of Nun stood by the gate.",
        "And Jeshun the son of Ezer stood by the wall.",
        "And Jeshun the son of Kadmiel stood by the well.",
    )
    assert _both(tmp_path, prose) == ([], [])
    # One father of its own is not enough: a slip may sit in any line of a genealogy.
    slip = prose.replace("And Jeshun the son of Kadmiel stood by the well.", "Joshun rested.")
    slip = slip.replace("And Jeshun the son of Ezer stood by the wall.", "Joshun rested.")
    without, with_bible = _both(tmp_path / "slip", slip, bible="- name: Joshun\n")
    assert _spellings(without) == _spellings(with_bible) == ["Jeshun"]


def test_a_kinship_word_is_no_company_of_its_own(tmp_path: Path) -> None:
    """ "a daughter of Abrahm" beside "the son of Abraham": daughter and son say someone is a
    parent, not who; the slip is reported."""
    prose = _prose(
        *["Then Abraham went up, and said Abraham: go."] * 10,
        "The son of Abraham rested by the well.",
        "She was a daughter of Abrahm, bent for many years.",
    )
    for found in _both(tmp_path, prose, bible="- name: Abraham\n"):
        assert _spellings(found) == ["Abrahm"]


def test_one_new_companion_of_a_name_seen_in_much_company_says_nothing(tmp_path: Path) -> None:
    """Joseph is seen with a title, a house and a father: "the son of Semein, the son of Josefh"
    once is one more companion, no other man, and the slip is reported. A given name of its own
    ("Carl Josefh") or a title ("Sir Josefh") still makes someone else."""
    base = _prose(
        *["Then Joseph the son of Jacob went down, and said Joseph: go."] * 8,
        "Captain Joseph slept.",
        "They came to the house of Joseph.",
        "the son of Matthat, the son of Semein, the son of Josefh, the son of Judah.",
    )
    for found in _both(tmp_path, base, bible="- name: Joseph\n"):
        assert _spellings(found) == ["Josefh"]
    for number, other in enumerate(("Carl Josefh", "Sir Josefh")):
        prose = base.replace("the son of Semein, the son of Josefh", f"they heard {other} play")
        assert _both(tmp_path / str(number), prose) == ([], [])


def test_a_new_name_introduced_is_a_slip_only_when_nothing_knows_it(tmp_path: Path) -> None:
    """ "he called Abrraham" once, beside Abraham who speaks: a spelling no list knows, used once,
    is a slip though words that introduce a name come before it. "a city called Nain" beside
    Cain is a place."""
    prose = _prose(
        *["Then Abraham went up, and Cain went with him, and said Cain: go, said Abraham."] * 10,
        "Then the king called Abrraham, and said to him: what have you done?",
    )
    for found in _both(tmp_path, prose, bible="- name: Abraham\n- name: Cain\n"):
        assert _spellings(found) == ["Abrraham"]
    others = prose.replace("the king called Abrraham", "they came to a city called Nain")
    assert _both(tmp_path / "nain", others) == ([], [])


def test_words_that_point_at_a_spelling_count_in_its_sentence_only(tmp_path: Path) -> None:
    """ "instead of" in the next verse points at no spelling in this one: "spoke to Gidoen,
    saying," is a slip of Gideon's; "wrote Gidoen instead of Gideon" is meant."""
    verses = ["Then Gideon went up, and said Gideon: go."] * 10
    prose = "# One\n\n" + "\n\n".join(
        [*verses, "And he spoke to Gidoen, saying,", "Take the rams instead of the ewes."]
    )
    for found in _both(tmp_path, prose + "\n", bible="- name: Gideon\n"):
        assert _spellings(found) == ["Gidoen"]
    meant = prose.replace("And he spoke to Gidoen, saying,", "The boy wrote Gidoen instead of Gideon.")
    for found in _both(tmp_path / "meant", meant + "\n", bible="- name: Gideon\n"):
        assert found == []


def test_a_comparison_points_at_the_words_beside_it_only(tmp_path: Path) -> None:
    """ "Gidoen sat on the throne as king instead of his father" compares the king and his father,
    not spellings: Gidoen is a slip of Gideon's; so in "Instead of which king Gidoen made shields".
    "wrote Gidoen instead of Gideon", "painted Gidoen's Yard instead of" point at the spelling."""
    verses = ["Then Gideon went up, and said Gideon: go."] * 10
    for number, line in enumerate(
        ("Then Gidoen sat on the throne as king instead of his father.", "Instead of which king Gidoen made shields.")
    ):
        prose = "# One\n\n" + "\n\n".join([*verses, line]) + "\n"
        for found in _both(tmp_path / str(number), prose, bible="- name: Gideon\n"):
            assert _spellings(found) == ["Gidoen"]
    for number, line in enumerate(("She wrote Gidoen instead of Gideon.", "She painted Gidoen's Yard instead of it.")):
        prose = "# One\n\n" + "\n\n".join([*verses, line]) + "\n"
        for found in _both(tmp_path / f"meant{number}", prose, bible="- name: Gideon\n"):
            assert found == []


def test_a_name_right_after_a_comparison_is_compared_with_something_else(tmp_path: Path) -> None:
    """ "O, bid me leap, rather than marry Paris" (Romeo and Juliet) compares a leap with a
    marriage, not two spellings: "rather than marry Parvis" and "Rather than Parvis." are slips
    of Paris. "He wrote Paris rather than Parvis" compares two spellings."""
    verses = ["Then Paris went up, and said Paris: go."] * 10
    for number, line in enumerate(("O, bid me leap, rather than marry Parvis.", "Rather than Parvis. These are news.")):
        prose = "# One\n\n" + "\n\n".join([*verses, line]) + "\n"
        for found in _both(tmp_path / str(number), prose, bible="- name: Paris\n"):
            assert _spellings(found) == ["Parvis"]
    prose = "# One\n\n" + "\n\n".join([*verses, "He wrote Paris rather than Parvis."]) + "\n"
    for found in _both(tmp_path / "meant", prose, bible="- name: Paris\n"):
        assert found == []


def test_a_spelling_always_written_as_someones_children_is_a_people(tmp_path: Path) -> None:
    """ "a son of Ammor" again and again beside Amnor, the son of David, who speaks: a people
    named for its father, not a slip (one "daughter of" is no company; many are)."""
    prose = _prose(
        *["Then Amnor the son of David went up, and said Amnor: go."] * 10,
        *["Then a son of Ammor came out against the city."] * 6,
    )
    assert _both(tmp_path, prose, bible="- name: Amnor\n") == ([], [])


def test_a_name_introduced_that_ends_otherwise_is_someone_new(tmp_path: Path) -> None:
    """ "he had a young son, who was called Michak" beside Michal: a new person introduced,
    and the two differ at the end (as Maria and Mario do): no slip."""
    prose = _prose(
        *["Then Michal the daughter of Saul looked out, and said Michal: go."] * 10,
        "And he had a young son, who was called Michak.",
    )
    assert _both(tmp_path, prose) == ([], [])


def test_words_that_introduce_a_name_with_no_word_before_them(tmp_path: Path) -> None:
    """Words that introduce a name with no word before them ("read: “named Gidoen”") are read, not a crash:
    the slip is reported."""
    prose = _prose(*["Then Gideon went up, and said Gideon: go."] * 10, "The tag read: “named Gidoen” in ink.")
    for found in _both(tmp_path, prose, bible="- name: Gideon\n"):
        assert _spellings(found) == ["Gidoen"]


def test_one_before_a_name_introduces_someone(tmp_path: Path) -> None:
    """ "This is one Lucianus, nephew to the king" beside Lucilius, who speaks: "one" before a name
    says a person of that name, as "a man called" does, so a spelling written again is someone
    new. Written once and known to no list, it is still a slip ("one Lucilus")."""
    verses = ["Then Lucilius went in, and said Lucilius: my lord is gone to the senate."] * 12
    lines = ["This is one Lucianus, nephew to the king.", "Lucianus, the murderer, pours the poison."]
    assert _both(tmp_path, _prose(*verses, *lines, "Lucianus bows.")) == ([], [])
    slip = _prose(*verses, "This is one Lucilus, nephew to the king.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Lucilius\n"):
        assert _spellings(found) == ["Lucilus"]
