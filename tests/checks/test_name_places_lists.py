"""Issue 12, third round: near-alike names told apart by what the text says of each (places,
lists of children, what is written after a name set off by a comma, a role).

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_place_is_no_slip_of_a_persons_name(tmp_path: Path) -> None:
    """ "camped in Garon," beside a Gadon who speaks: somewhere, not someone; "Garon said" is his slip."""
    prose = _prose(
        *["Then Gadon rose early, and said Gadon: go."] * 10,
        "The army camped in Garon, and slept.",
    )
    for found in _both(tmp_path, prose, bible="- name: Gadon\n"):
        assert found == []
    slip = prose.replace("The army camped in Garon, and slept.", "At dawn Garon said so.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Gadon\n"):
        assert _spellings(found) == ["Garon"]
    # "in" a person where the clause goes on: what she saw in him, no place.
    slip = prose.replace("The army camped in Garon, and slept.", "She saw courage in Garon and Mira.")
    for found in _both(tmp_path / "in", slip, bible="- name: Gadon\n"):
        assert _spellings(found) == ["Garon"]


def test_a_person_is_no_slip_of_a_places_name(tmp_path: Path) -> None:
    """A child in a list ("the sons of Corm were: Tavel, Ruso and Melpah") is someone, whatever
    the place Melgah is; a Melpah in a place's company is still its slip."""
    prose = _prose(
        *["The road went up to Melgah, and the caravans camped in Melgah."] * 8,
        "The sons of Corm were: Tavel, Ruso and Melpah.",
    )
    for found in _both(tmp_path, prose, bible="- name: Melgah\n"):
        assert found == []
    slip = prose.replace("The sons of Corm were: Tavel, Ruso and Melpah.", "The caravans rested in Melpah.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Melgah\n"):
        assert _spellings(found) == ["Melpah"]


def test_a_list_of_children_names_their_parent(tmp_path: Path) -> None:
    """ "Asrod became the father of Tolun, Bevin, and Jorab": Jorab's father is Asrod, Joab's is
    Zerin: two fathers, two men. Lists of children under "the sons of X:" read alike."""
    prose = _prose(
        *["Then Joab the son of Zerin went up, and said Joab: go."] * 10,
        "Asrod became the father of Tolun, Bevin, and Jorab.",
    )
    for found in _both(tmp_path, prose, bible="- name: Joab\n"):
        assert found == []
    listed = prose.replace("Asrod became the father of Tolun, Bevin, and Jorab.", "The sons of Asrod: Tolun, Jorab.")
    for found in _both(tmp_path / "listed", listed, bible="- name: Joab\n"):
        assert found == []
    # Two people named side by side are no list of children: "Joab the son of Zerin, and Jorab".
    slip = prose.replace("Asrod became the father of Tolun, Bevin, and Jorab.", "The sons of Asrod came with Jorab.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Joab\n"):
        assert _spellings(found) == ["Jorab"]


def test_a_people_written_after_a_name(tmp_path: Path) -> None:
    """ "his friend Hiran, the Gathite" has a people of his own, beside Hiram king of the coast.
    ("Jorab, the son of Asrod" is not read as a father: a mother is written so too, "Absalom,
    son of Maacah", and two parents are no two people.)"""
    prose = _prose(
        *["Then Hiram king of the coast went up, and said Hiram: go."] * 10,
        "Judah stayed with his friend Hiran, the Gathite.",
    )
    for found in _both(tmp_path, prose, bible="- name: Hiram\n"):
        assert found == []
    slip = prose.replace("his friend Hiran, the Gathite.", "his friend Hiran a while.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Hiram\n"):
        assert _spellings(found) == ["Hiran"]


def test_two_roles_are_two_people_but_one_role_alone_says_nothing(tmp_path: Path) -> None:
    """ "Shelna the scribe" beside "Shela the priest": each has his own office. "Eilan the
    prophet" once, beside an Elian never called anything: a role can be given to anyone, and
    "Eilan" stays his slip."""
    prose = _prose(
        *["Then Shela the priest went up, and said Shela: go."] * 10,
        "And Shelna the scribe wrote it down.",
    )
    for found in _both(tmp_path, prose, bible="- name: Shela\n"):
        assert found == []
    prose = _prose(*["Then Elian went up, and said Elian: go."] * 10, "And Eilan the prophet came near.")
    for found in _both(tmp_path / "role", prose, bible="- name: Elian\n"):
        assert _spellings(found) == ["Eilan"]


def test_the_place_a_person_is_from(tmp_path: Path) -> None:
    """ "Abiel of Tormah" (Spanish "Abiel de Tormah"): where Abiel is from, no slip of a Tormak
    who speaks; "con Tormah" is still his slip."""
    prose = _prose(*["Then Tormak rose early, and said Tormak: go."] * 10, "With him came Abiel of Tormah.")
    for found in _both(tmp_path, prose, bible="- name: Tormak\n"):
        assert found == []
    prose = _prose(
        *["Entonces Tormak se levantó, y dijo Tormak: id."] * 10,
        "Con él vino Abiel de Tormah.",
    )
    for found in _both(tmp_path / "es", prose, bible="- name: Tormak\n", toml='language = "es"\n'):
        assert found == []
    slip = prose.replace("Con él vino Abiel de Tormah.", "Abiel vino con Tormah.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Tormak\n", toml='language = "es"\n'):
        assert _spellings(found) == ["Tormah"]


def test_a_word_said_alone_is_no_slip_of_a_name(tmp_path: Path) -> None:
    """ "“Honey.”" as a sentence of its own, never inside one, beside a Haney of the bible: a
    word said alone (it is a given name too); "with Honey" inside a sentence stays a slip."""
    prose = _prose(*["Then Haney rose early, and said Haney: go."] * 10, "“Honey.”", "He sighed. “Honey!”")
    for found in _both(tmp_path, prose, bible="- name: Haney\n"):
        assert found == []
    slip = _prose(*["Then Haney rose early, and said Haney: go."] * 10, "He sat down with Honey.")
    _, with_bible = _both(tmp_path / "slip", slip, bible="- name: Haney\n")
    assert _spellings(with_bible) == ["Honey"]
